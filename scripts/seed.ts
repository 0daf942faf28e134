import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';
import { loadConfig } from '../kernel/config';
import { dropServiceDatabase, openServiceDatabase } from '../kernel/datasource';
import { seedDepartmentDemo } from '../subgraphs/department-kernel/demo/department-demo';

const USAGE = `Usage: npm run seed -- --targets <count> [--dept <code>[,<code>...]] [--seed <text>] [--reset]
Fills department databases (JOINTCHECK_DB, as configured) with generated data: the register of
<count> market entities and each department's roster of those it supervises. Memory stays flat
(entities are streamed), so benchmark rosters of 1,000,000 entities can be made.
--reset drops the department databases first; without it, a database with data is left alone.`;

/** `npm run seed`: demo or benchmark data for the built-in departments. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string' },
      dept: { type: 'string' },
      seed: { type: 'string' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const targets = Number(values.targets);
  if (values.help || !Number.isInteger(targets) || targets < 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const config = loadConfig();
  const wanted = values.dept ? values.dept.split(',') : BUILTIN_DEPARTMENTS.map((d) => d.definition.code);
  for (const code of wanted) {
    const module = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === code);
    if (!module)
      throw new Error(
        `Unknown department '${code}' (built in: ${BUILTIN_DEPARTMENTS.map((d) => d.definition.code).join(', ')})`,
      );
    if (module.definition.existingSystem) {
      console.log(
        `${code}: skipped, its rosters and checklist are in ${module.definition.existingSystem} (read through ` +
          `a connector)`,
      );
      continue;
    }
    if (values.reset) await dropServiceDatabase(config.db, code);
    const { dataSource } = await openServiceDatabase(config.db, code, {
      entities: module.entities,
      migrations: module.migrations,
    });
    const started = Date.now();
    const progress = (done: number) => {
      if (process.stderr.isTTY)
        process.stderr.write(`\r${code}: ${done.toLocaleString('en')} / ${targets.toLocaleString('en')} entities`);
    };
    try {
      const seeded = await seedDepartmentDemo(
        dataSource,
        code,
        module.definition.demo,
        { seed: values.seed ?? config.demo.seed, targets },
        { transactionPerBatch: true, onProgress: progress },
      );
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(
        seeded
          ? `${code}: ${targets} entities generated in ${((Date.now() - started) / 1000).toFixed(1)} s`
          : `${code}: has data already (use --reset to replace it)`,
      );
    } finally {
      await dataSource.destroy();
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
