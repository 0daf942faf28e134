import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import {
  CsvHeaderError,
  importCsv,
  rejectLine,
  rejectsHeader,
  REJECT_KEY_COLUMNS,
  type ImportKind,
} from '../subgraphs/department-kernel/csv-import';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';
import { loadConfig } from '../kernel/config';
import { openServiceDatabase } from '../kernel/datasource';

const USAGE = `Usage: npm run import -- --dept <code> --kind targets|inspectors|checklist <file.csv> [--report <rejects.csv>] [--batch 2000]

Imports a department's CSV export into its own database (R6 batch import), in one transaction
per batch. A header row names the columns (README, "CSV files of npm run import", lists each
kind's). Every row is checked with the API's rules; rejected rows go to the report (default:
<file>.rejects.csv) with their line, their key (${Object.entries(REJECT_KEY_COLUMNS)
  .map(([kind, key]) => `${kind}: ${key.join(', ')}`)
  .join('; ')})
and the reason, and do not stop the others. Re-running the same file stores nothing twice. Lists
inside a cell (domains, jurisdiction, targetKinds, industries) are separated by ';'. Exit code:
0 all imported, 1 some rows rejected, 2 usage (a header that does not fit too), 3 the file or
the database failed part-way (the message says how many rows were stored before).`;

/** `npm run import`: the CSV import of issue E, on the database JOINTCHECK_DB names. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dept: { type: 'string' },
      kind: { type: 'string' },
      report: { type: 'string' },
      batch: { type: 'string', default: '2000' },
      help: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  const kind = values.kind as ImportKind | undefined;
  if (values.help || !values.dept || !file || !kind || !['targets', 'inspectors', 'checklist'].includes(kind)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const module = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === values.dept);
  const native = BUILTIN_DEPARTMENTS.filter((d) => !d.definition.existingSystem).map((d) => d.definition.code);
  if (!module) {
    console.error(`No built-in department '${values.dept}' (${native.join(', ')}).`);
    return 2;
  }
  if (module.definition.existingSystem) {
    // R6 data of a connector-backed department lives in its existing system; the hub only reads it.
    console.error(
      `The ${values.dept} department keeps its rosters and checklist in ${module.definition.existingSystem}, ` +
        `which the hub reads through a connector: import into that system. Departments that import here: ` +
        `${native.join(', ')}.`,
    );
    return 2;
  }
  if (!fs.existsSync(file)) {
    console.error(`No file ${file}.`);
    return 2;
  }
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
    console.error(`--batch '${values.batch}' must be a whole number of rows per transaction, 1 to 50000.`);
    return 2;
  }
  const config = loadConfig();
  const database = await openServiceDatabase(config.db, module.definition.code, {
    entities: module.entities,
    migrations: module.migrations,
  });
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format: ' {bar} {percentage}% | {rows} rows read | {eta_formatted} left',
        stream: process.stderr,
      })
    : null;
  const size = fs.statSync(file).size;
  let bytes = 0;
  const input = fs.createReadStream(file);
  input.on('data', (chunk) => (bytes += chunk.length));
  bar?.start(size, 0, { rows: 0 });
  // Rejects are written as they are found (a file of bad rows is never held in memory).
  const reportFile = values.report ?? `${file}.rejects.csv`;
  let rejects: fs.WriteStream | null = null;
  try {
    const report = await importCsv({
      manager: database.dataSource.manager,
      department: module.definition.code,
      kind,
      input,
      batchSize,
      actor: 'csv-import',
      onProgress: (read) => bar?.update(bytes, { rows: read }),
      onReject: (r) => {
        if (!rejects) {
          rejects = fs.createWriteStream(reportFile);
          rejects.write(rejectsHeader(kind));
        }
        rejects.write(rejectLine(kind, r));
      },
    });
    bar?.update(size);
    bar?.stop();
    console.log(
      `${path.basename(file)}: ${report.read} rows read, ${report.imported} imported, ${report.unchanged} ` +
        `unchanged, ${report.rejectedCount} rejected${report.rejectedCount ? ` (see ${reportFile})` : ''}.`,
    );
    return report.rejectedCount ? 1 : 0;
  } catch (error) {
    bar?.stop();
    console.error((error as Error).message);
    // A header that does not fit is a usage mistake: nothing was read.
    return error instanceof CsvHeaderError ? 2 : 3;
  } finally {
    bar?.stop();
    const open: fs.WriteStream | null = rejects;
    if (open) await new Promise((resolve) => (open as fs.WriteStream).end(resolve));
    await database.dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
