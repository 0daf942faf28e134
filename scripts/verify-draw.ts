import fs from 'node:fs';
import { verifyDrawRecord, type Verdict, type Verification } from '../subgraphs/joint/draw/record';
import { verifyTeamDrawRecord } from '../subgraphs/joint/draw/teams';

/**
 * `npm run verify-draw -- <record.json>`: checks a draw record offline, with no database and no
 * server, as subgraphs/joint/draw/README.md writes the draw down: a full target-draw record or an
 * inspector-draw record is re-played; a public record gets every check it allows.
 */
const USAGE = `Usage: npm run verify-draw -- <record.json>

Checks a draw record offline (the draw is written down in subgraphs/joint/draw/README.md):
  a full target-draw record (Task.fullRecord, auditors and hub admins) or an inspector-draw record
  (Task.inspectorDrawRecord) is re-played; a public record (Task.publicRecord) gets every check that
  needs no target's stratum (commitment, hash forms, witness, counts, list and batches).

Exit codes:
  0  verified: re-played, and every check passes
  1  a check fails: the record is not what the draw gives
  2  the file cannot be read, is not JSON, or is not a draw record
  3  not re-played, nothing found wrong: a public record (the re-play needs the full record),
     or a record drawn but not yet locked (the secret comes with the lock)`;

/** The command's exit code for each verdict (USAGE, README's Scripts table). */
const EXIT: Record<Verdict, number> = { verified: 0, failed: 1, public: 3, 'awaiting-lock': 3 };

const CONCLUSION: Record<Verdict, string> = {
  verified: 'VERIFIED: the record is what the draw gives.',
  failed: 'NOT VERIFIED: the record is not what the draw gives (see ✗ above).',
  public:
    'CHECKED, NOT RE-PLAYED: every check a public record allows passes. Which targets were drawn, and in ' +
    "which batch order, is re-played from the full record with each target's stratum (auditors and hub " +
    'admins: Task.fullRecord).',
  'awaiting-lock':
    'CHECKED, NOT RE-PLAYED: nothing found wrong; the secret is revealed when the list is locked (R17), and ' +
    'the commitment and the re-play wait for it.',
};

function main(): number {
  const file = process.argv[2];
  if (file === '--help' || file === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  let record;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!record || typeof record !== 'object' || Array.isArray(record)) throw new Error('not a JSON object');
  } catch (error) {
    console.error(`Cannot read ${file} as a draw record: ${(error as Error).message}`);
    return 2;
  }
  // A target-draw record (public or full), or a department's inspector-draw record.
  let result: Pick<Verification, 'verdict' | 'checks'>;
  try {
    if (record.format === 'jointcheck-team-record/1') {
      const team = verifyTeamDrawRecord(record);
      result = { verdict: team.ok ? 'verified' : 'failed', checks: team.checks };
    } else {
      result = verifyDrawRecord(record);
    }
  } catch (error) {
    console.error(`${file} is not a draw record this verifier can read: ${(error as Error).message}`);
    return 2;
  }
  for (const c of result.checks) console.log(`${c.ok ? (c.warning ? '!' : '✓') : '✗'} ${c.check}: ${c.detail}`);
  console.log(CONCLUSION[result.verdict]);
  return EXIT[result.verdict];
}

process.exitCode = main();
