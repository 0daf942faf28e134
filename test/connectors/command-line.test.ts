import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../kernel/config';
import { openServiceDatabase } from '../../kernel/datasource';
import { RosterTargetRow } from '../../subgraphs/department-kernel/entities';
import { usccCheckCharacter } from '../../kernel/uscc';
import { tax } from '../../subgraphs/tax';

const ROOT = path.join(__dirname, '..', '..');

/** Runs a script as `npm run <script>` runs it (node with the TypeScript loader), in a fresh data dir. */
function run(script: string, args: string[], env: Record<string, string>, nodeOptions: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [...nodeOptions, '-r', '@swc-node/register', path.join(ROOT, script), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const uscc = (n: number) => {
  const first17 = `9131010${String(n).padStart(9, '0')}X`.slice(0, 17);
  return first17 + usccCheckCharacter(first17);
};

/**
 * The command lines of issue E as an operator runs them: `npm run import` (R6, its exit codes and
 * its report, with the memory cap package.json gives it) and a connector department's process
 * refusing to start without its system. On SQLite; the import itself is tested on MySQL too
 * (csv-import.test.ts).
 */
describe('the connectors on the command line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-cli-'));
  const env = { JOINTCHECK_DATA_DIR: dir, JOINTCHECK_LOG_LEVEL: 'silent' };
  const importArgs = ['--max-old-space-size=128'];
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The tax roster's ids in the database the command wrote. */
  async function storedTargets(): Promise<string[]> {
    const database = await openServiceDatabase(loadConfig(env).db, 'tax', {
      entities: tax.entities,
      migrations: tax.migrations,
    });
    try {
      return (await database.dataSource.manager.find(RosterTargetRow, { order: { id: 'ASC' } })).map((r) => r.id);
    } finally {
      await database.dataSource.destroy();
    }
  }

  it(
    'R6: npm run import exits 1 with a report of the bad rows (line, key and reason), stores the good ones, ' +
      'and a re-run stores nothing twice; a clean file exits 0',
    async () => {
      const header =
        'kind,uscc,name,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints';
      const file = path.join(dir, 'tax-targets.csv');
      fs.writeFileSync(
        file,
        [
          header,
          `ENTERPRISE,${uscc(1)},上海甲有限公司,310104,C13,A,LOW,0,0`,
          `ENTERPRISE,${uscc(2).slice(0, 17)}0,上海乙有限公司,310104,C13,A,LOW,0,0`,
          `ENTERPRISE,${uscc(3)},上海丙有限公司,310104,C13,Z,LOW,0,0`,
        ].join('\n') + '\n',
      );
      const first = run('scripts/import.ts', ['--dept', 'tax', '--kind', 'targets', file], env, importArgs);
      expect(first.stdout).toMatch(/3 rows read, 1 imported, 0 unchanged, 2 rejected/);
      expect(first.code).toBe(1);
      const report = fs.readFileSync(`${file}.rejects.csv`, 'utf8').trim().split('\n');
      expect(report).toHaveLength(3);
      // Each reject with its line, the row's key (id, uscc, name) and the reason.
      expect(report[0]).toBe('line,id,uscc,name,reason');
      expect(report[1]).toMatch(new RegExp(`^3,,${uscc(2).slice(0, 17)}0,上海乙有限公司,".*check character`, 'i'));
      expect(report[2]).toMatch(new RegExp(`^4,,${uscc(3)},上海丙有限公司,.*creditLevel`));
      expect(await storedTargets()).toEqual([uscc(1)]);
      // Rows are replaced by id: the same row again is stored over itself, not beside it.
      const again = run('scripts/import.ts', ['--dept', 'tax', '--kind', 'targets', file], env, importArgs);
      expect(again.stdout).toMatch(/3 rows read, 1 imported, 0 unchanged, 2 rejected/);
      expect(again.code).toBe(1);
      expect(await storedTargets()).toEqual([uscc(1)]);
      const clean = path.join(dir, 'tax-clean.csv');
      fs.writeFileSync(
        clean,
        [header, `ENTERPRISE,${uscc(4)},上海丁有限公司,310105,F52,B,GENERAL,0,1`].join('\n') + '\n',
      );
      const ok = run('scripts/import.ts', ['--dept', 'tax', '--kind', 'targets', clean], env, importArgs);
      expect(ok.stdout).toMatch(/1 rows read, 1 imported/);
      expect(ok.code).toBe(0);
      expect(fs.existsSync(`${clean}.rejects.csv`)).toBe(false);
      expect(await storedTargets()).toEqual([uscc(1), uscc(4)].sort());
    },
  );

  // `script` (util-linux) gives the command a terminal, as an operator's shell would.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  (hasScript ? it : it.skip)(
    'npm run import shows a progress bar on a terminal, and none when its output is not one (a log, a pipe)',
    () => {
      const file = path.join(dir, 'tax-bar.csv');
      fs.writeFileSync(
        file,
        [
          'kind,uscc,name,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints',
          `ENTERPRISE,${uscc(9)},上海壬有限公司,310104,C13,A,LOW,0,0`,
        ].join('\n') + '\n',
      );
      const command = [
        process.execPath,
        ...importArgs,
        '-r',
        '@swc-node/register',
        path.join(ROOT, 'scripts/import.ts'),
        '--dept',
        'tax',
        '--kind',
        'targets',
        file,
      ]
        .map((a) => `'${a}'`)
        .join(' ');
      const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(onTerminal.status).toBe(0);
      expect(onTerminal.stdout).toMatch(/={10,} 100% \| 1 rows read/);
      const piped = run('scripts/import.ts', ['--dept', 'tax', '--kind', 'targets', file], env, importArgs);
      expect(piped.code).toBe(0);
      expect(piped.stdout + piped.stderr).not.toMatch(/100% \|/);
    },
  );

  it(
    'npm run import refuses, with exit code 2 and the reason, a usage mistake and a department whose roster is ' +
      'in its own system',
    () => {
      const usage = run('scripts/import.ts', ['--dept', 'tax'], env, importArgs);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/Usage: npm run import/);
      const connected = run(
        'scripts/import.ts',
        ['--dept', 'health', '--kind', 'targets', path.join(dir, 'tax-clean.csv')],
        env,
        importArgs,
      );
      expect(connected.code).toBe(2);
      expect(connected.stderr).toMatch(
        /health department keeps its rosters and checklist in .*import into that system/,
      );
      const batch = run(
        'scripts/import.ts',
        ['--dept', 'tax', '--kind', 'targets', '--batch', '0', path.join(dir, 'tax-clean.csv')],
        env,
        importArgs,
      );
      expect(batch.code).toBe(2);
      expect(batch.stderr).toMatch(/--batch '0'/);
    },
  );

  it(
    'npm run import refuses a header that does not fit with exit code 2 (usage), naming the missing and ' +
      'unknown columns and the expected ones, and writes no report',
    () => {
      const file = path.join(dir, 'tax-checklist-bad-header.csv');
      fs.writeFileSync(
        file,
        [
          'code,title,content,basis,inspectingBody,targetKinds,method,category,frequency,remarks',
          'TAX-50,甲,内容,《税收征收管理法》,税务局,ENTERPRISE,ON_SITE,KEY,每年,备注',
        ].join('\n') + '\n',
      );
      const refused = run('scripts/import.ts', ['--dept', 'tax', '--kind', 'checklist', file], env, importArgs);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        'The header of this checklist file does not fit: missing domain; unknown remarks.',
      );
      expect(refused.stderr).toContain(
        'A checklist file has the columns code, title, content, basis, inspectingBody, targetKinds, method, ' +
          'category, frequency, domain (required) and ratioCapPercent, industries (optional)',
      );
      expect(fs.existsSync(`${file}.rejects.csv`)).toBe(false);
    },
  );

  it(
    'a department on a connector run alone refuses to start without the settings naming its system, saying ' +
      'which to give',
    () => {
      const generic = run('connectors/main.ts', [], { ...env, JOINTCHECK_PORT: '0' });
      expect(generic.code).toBe(1);
      expect(generic.stderr).toMatch(
        /Set JOINTCHECK_CONNECTOR_KIND, JOINTCHECK_CONNECTOR_MAPPING and JOINTCHECK_CONNECTOR_UPSTREAM_URL/,
      );
      const health = run('subgraphs/health/main.ts', [], { ...env, JOINTCHECK_PORT: '0' });
      expect(health.code).toBe(1);
      expect(health.stderr).toMatch(/set JOINTCHECK_HEALTH_SYSTEM_URL and JOINTCHECK_HEALTH_SYSTEM_KEY/);
    },
  );
});
