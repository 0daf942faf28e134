import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { importCsv, rejectReport, type ImportKind } from '../connectors/csv/import';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';
import { loadConfig } from '../subgraphs/kernel/config';
import { openServiceDatabase } from '../subgraphs/kernel/datasource';

const USAGE = `Usage: npm run import -- --dept <code> --kind targets|inspectors|checklist <file.csv> [--report <rejects.csv>] [--batch 2000]

Imports a department's CSV export into its own database (R6 batch import), in one transaction
per batch. Every row is checked with the API's rules; rejected rows go to the report (default:
<file>.rejects.csv) with their line and reason, and do not stop the others. Re-running the same
file stores nothing twice. Lists inside a cell (domains, jurisdiction, targetKinds, industries)
are separated by ';'.`;

/** `npm run import`: the CSV import of issue E, on the database JOINTCHECK_DB names. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dept: { type: 'string' }, kind: { type: 'string' }, report: { type: 'string' }, batch: { type: 'string', default: '2000' }, help: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  const kind = values.kind as ImportKind | undefined;
  if (values.help || !values.dept || !file || !kind || !['targets', 'inspectors', 'checklist'].includes(kind)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const module = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === values.dept);
  if (!module) {
    console.error(`No built-in department '${values.dept}' (${BUILTIN_DEPARTMENTS.map((d) => d.definition.code).join(', ')}). A department on a connector imports into its own system.`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    console.error(`No file ${file}.`);
    return 2;
  }
  const config = loadConfig();
  const database = await openServiceDatabase(config.db, module.definition.code, { entities: module.entities, migrations: module.migrations });
  const bar = process.stderr.isTTY ? new SingleBar({ format: ' {bar} {percentage}% | {value} rows read | {eta_formatted} left', stream: process.stderr }) : null;
  const size = fs.statSync(file).size;
  let bytes = 0;
  const input = fs.createReadStream(file);
  input.on('data', (chunk) => (bytes += chunk.length));
  bar?.start(size, 0);
  try {
    const report = await importCsv({ dataSource: database.dataSource, department: module.definition.code, kind, input, batchSize: Number(values.batch), actor: 'csv-import', onProgress: (read) => bar?.update(bytes, { value: read }) });
    bar?.update(size);
    bar?.stop();
    const reportFile = values.report ?? `${file}.rejects.csv`;
    if (report.rejected.length) fs.writeFileSync(reportFile, rejectReport(report.rejected));
    console.log(`${path.basename(file)}: ${report.read} rows read, ${report.imported} imported, ${report.unchanged} unchanged, ${report.rejected.length} rejected${report.rejected.length ? ` (see ${reportFile})` : ''}.`);
    return report.rejected.length ? 1 : 0;
  } finally {
    bar?.stop();
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
