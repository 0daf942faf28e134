import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The compiled build (`npm run build`, the Docker image) counts working days on the same holiday
 * notices as the sources (R11, R25): tsc copies no JSON into dist/, so the calendar's folder is
 * found from the project root (the image copies it there) or named by JOINTCHECK_CALENDAR_DIR.
 * Here the calendar and the configuration are compiled with the build's settings into an image's
 * layout (/app: package.json, dist/, and what the Dockerfile's final stage copies), then run.
 */
describe('the compiled build reads the holiday notices (R11, R25)', () => {
  let app: string;
  let notices: string;

  beforeAll(() => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-calendar-'));
    app = path.join(work, 'app');
    notices = path.join(work, 'notices');
    fs.mkdirSync(app);
    const tsconfig = path.join(work, 'tsconfig.json');
    const files = ['subgraphs/joint/calendar/working-days.ts', 'kernel/config.ts'].map((f) => path.join(ROOT, f));
    fs.writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: path.join(ROOT, 'tsconfig.build.json'),
        compilerOptions: {
          outDir: path.join(app, 'dist'),
          sourceMap: false,
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        },
        files,
        include: [],
      }),
    );
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    // The Dockerfile's final stage: package.json, dist/, and the folders it copies from the build.
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const copied = [...final.matchAll(/^COPY --from=build \/app\/(\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(copied).toContainEqual(['subgraphs/joint/calendar/data', 'subgraphs/joint/calendar/data']);
    for (const [from, to] of copied.filter(([from]) => from.startsWith('subgraphs/')))
      fs.cpSync(path.join(ROOT, from), path.join(app, to), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'));
    fs.mkdirSync(notices);
    fs.writeFileSync(
      path.join(notices, '2027.json'),
      JSON.stringify({
        year: 2027,
        source: 'test: a fictitious notice',
        holidays: ['2027-01-01', '2027-01-04'],
        workdays: ['2027-01-09'],
      }),
    );
  }, 120_000);

  afterAll(() => fs.rmSync(path.dirname(app), { recursive: true, force: true }));

  /** Runs the compiled calendar as the joint service builds it, from the settings in `env`. */
  function run(env: Record<string, string>): {
    deadline: { date: string; provisionalYears: number[] };
    covered: number[];
  } {
    const script = `
      const { loadConfig } = require('./dist/kernel/config.js');
      const { hubCalendar } = require('./dist/subgraphs/joint/calendar/working-days.js');
      const calendar = hubCalendar(loadConfig(process.env));
      console.log(JSON.stringify({ deadline: calendar.deadline('2026-12-10', 20), covered: calendar.coveredYears() }));`;
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JOINTCHECK_')));
    return JSON.parse(
      execFileSync(process.execPath, ['-e', script], {
        cwd: app,
        env: { ...clean, ...env },
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ) as ReturnType<typeof run>;
  }

  it(
    'R25: from the image layout, with the shipped folder, a deadline into a year without its notice is ' +
      'provisional',
    () => {
      const out = run({});
      expect(out.covered).toEqual(expect.arrayContaining([2025, 2026]));
      expect(out.deadline).toEqual({ date: '2027-01-08', provisionalYears: [2027] });
    },
  );

  it(
    'R25: with JOINTCHECK_CALENDAR_DIR naming a folder with 2027.json, the year is loaded and the deadline ' + 'final',
    () => {
      const out = run({ JOINTCHECK_CALENDAR_DIR: notices });
      expect(out.covered).toContain(2027);
      // 4 January off and Saturday 9 January worked by this notice.
      expect(out.deadline).toEqual({ date: '2027-01-09', provisionalYears: [] });
    },
  );

  it('refuses to start on a calendar folder that does not exist, naming the setting', () => {
    expect(() => run({ JOINTCHECK_CALENDAR_DIR: path.join(notices, 'missing') })).toThrow(/JOINTCHECK_CALENDAR_DIR/);
  });
});
