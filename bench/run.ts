import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchDraw } from './draw';

/**
 * `npm run bench`: the benchmarks, on this machine, one after the other in one process; results
 * and method go to BENCHMARKS.md by hand. Generated rosters are kept in .bench-data/ between runs
 * (the same seed always gives the same data).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { targets: { type: 'string', default: '1000000' }, data: { type: 'string', default: '.bench-data' } } });
  const targets = Number(values.targets);
  console.log(`# JointCheck benchmarks — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const draw = await benchDraw(targets, path.resolve(values.data!));
  console.log(`\n## Draw over ${draw.targets.toLocaleString('en')} targets (${draw.eligible.toLocaleString('en')} eligible, ${draw.drawn.toLocaleString('en')} drawn)`);
  for (const [step, ms] of Object.entries(draw.steps)) console.log(`  ${step.padEnd(10)} ${(ms / 1000).toFixed(2)} s`);
  console.log(`  end to end ${(draw.endToEndMs / 1000).toFixed(2)} s   (target ≤ 10 s)`);
  console.log(`  floor      ${(draw.floorMs / 1000).toFixed(2)} s   (the same ${draw.floorRows.toLocaleString('en')} eligible rows read straight from SQLite${draw.floorRows === draw.eligible ? '' : ' — NOT the snapshot size: the comparison is off'})`);
  console.log(`  ratio      ${draw.ratio.toFixed(1)} × the floor`);
  console.log(`  peak RSS   ${draw.peakRssMb} MB (the joint service's process; the department runs in its own)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
