import fs from 'node:fs';
import { verifyDrawRecord } from '../subgraphs/joint/draw/record';
import { verifyTeamDrawRecord } from '../subgraphs/joint/draw/teams';

/**
 * `npm run verify-draw -- <record.json>`: re-plays a draw record offline, with no database and
 * no server, and says whether the list and the batch order match (a target draw) or whether the
 * teams match (an inspector draw record). Exit code 0 when every check
 * passes, 1 when one fails, 2 when the file cannot be read.
 */
function main(): number {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run verify-draw -- <record.json>   (a full record re-plays the draw; a public one checks what it can)');
    return 2;
  }
  let record;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  // A target-draw record (public or full), or a department's inspector-draw record.
  const result = record.format === 'jointcheck-team-record/1' ? { ...verifyTeamDrawRecord(record), replayed: true } : verifyDrawRecord(record);
  for (const c of result.checks) console.log(`${c.ok ? '✓' : '✗'} ${c.check}: ${c.detail}`);
  console.log(result.ok ? 'VERIFIED: the record is what the draw gives.' : result.replayed ? 'NOT VERIFIED: the record differs from its re-play (see ✗ above).' : 'NOT VERIFIED: see ✗ above.');
  return result.ok ? 0 : 1;
}

process.exitCode = main();
