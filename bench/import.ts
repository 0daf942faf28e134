import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoEntity } from '../subgraphs/department-kernel/demo/generator';

export interface ImportBenchResult {
  rows: number;
  /** One row in `brokenEvery` is good when `mostlyBad`, else one in `brokenEvery` is broken. */
  brokenEvery: number;
  mostlyBad: boolean;
  fileMb: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  output: string;
}

/**
 * Writes a targets CSV of `rows` demo entities (streamed; reused when it exists): every 1,000th
 * row broken, or, `mostlyBad`, every row broken but each 10th.
 */
async function targetsFile(file: string, rows: number, mostlyBad: boolean): Promise<void> {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(`${file}.partial`);
  const write = (line: string) =>
    out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('kind,uscc,name,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints\n');
  for (let i = 0; i < rows; i++) {
    const e = demoEntity('bench-import', i);
    const broken = mostlyBad ? i % 10 !== 0 : i % 1000 === 999;
    await write(
      `${e.kind},${broken ? e.uscc.slice(0, 17) + '?' : e.uscc},"${e.name}",${e.regionCode},${e.industryCode},${'ABCD'[i % 4]},${['LOW', 'GENERAL', 'ELEVATED', 'HIGH'][i % 4]},${i % 3},${i % 2}\n`,
    );
  }
  await new Promise<void>((resolve) => out.end(resolve));
  fs.renameSync(`${file}.partial`, file);
}

/**
 * `npm run import` of a 1,000,000-row targets file into a fresh SQLite database, as its own
 * process, whose resident memory is sampled every 100 ms (issue E: under 300 MB).
 */
export async function benchImport(rows: number, dataDir: string, mostlyBad = false): Promise<ImportBenchResult> {
  const file = path.join(dataDir, `targets-${rows}${mostlyBad ? '-mostly-bad' : ''}.csv`);
  await targetsFile(file, rows, mostlyBad);
  const dbDir = fs.mkdtempSync(path.join(dataDir, 'import-db-'));
  const started = performance.now();
  // Exactly what `npm run import` runs (its node flags included), as its own process.
  const root = path.join(__dirname, '..');
  const script = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts.import!.split(/\s+/);
  const child = spawn(
    process.execPath,
    [...script.slice(1), '--dept', 'tax', '--kind', 'targets', file, '--report', path.join(dbDir, 'rejects.csv')],
    {
      cwd: root,
      env: {
        ...process.env,
        JOINTCHECK_DATA_DIR: dbDir,
        JOINTCHECK_DB: 'sqlite',
        JOINTCHECK_LOG_LEVEL: 'silent',
        JOINTCHECK_DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let peak = 0;
  const sample = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, hwm);
    } catch {
      /* exited */
    }
  }, 100);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  clearInterval(sample);
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(dbDir, { recursive: true, force: true });
  return {
    rows,
    brokenEvery: mostlyBad ? 10 : 1000,
    mostlyBad,
    fileMb: fs.statSync(file).size / 1e6,
    seconds,
    rowsPerSecond: rows / seconds,
    peakRssMb: Math.round(peak / 1024),
    output: output.trim(),
  };
}
