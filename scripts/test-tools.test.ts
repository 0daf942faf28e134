import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { planTools, type ToolProbe } from './test-tools';

const ready: ToolProbe = {
  chromium: '/usr/bin/chromium',
  chromiumChosen: false,
  hasChromium: true,
  hasCjkFont: true,
  hasPoppler: true,
  installer: null,
};

describe("npm test gets the browser and paper tests' tools, or stops before any test saying what to install", () => {
  it('does nothing when Chromium, a CJK font and poppler are there', () => {
    expect(planTools(ready)).toEqual({ action: 'ready' });
  });

  it("installs Debian's chromium and the font when they are missing and it can (as root, or through sudo)", () => {
    expect(planTools({ ...ready, hasChromium: false, hasCjkFont: false, installer: 'root' })).toEqual({
      action: 'install',
      packages: ['chromium', 'fonts-wqy-microhei'],
      via: 'root',
    });
    expect(planTools({ ...ready, hasCjkFont: false, installer: 'sudo' })).toEqual({
      action: 'install',
      packages: ['fonts-wqy-microhei'],
      via: 'sudo',
    });
  });

  it('stops with one line naming what to install when it cannot install', () => {
    const plan = planTools({ ...ready, hasChromium: false, hasCjkFont: false, hasPoppler: false });
    expect(plan.action).toBe('stop');
    const message = (plan as { message: string }).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('sudo apt-get install chromium fonts-wqy-microhei poppler-utils');
    expect(message).toContain('poppler-utils: pdftoppm, pdftotext, pdffonts, pdfinfo, pdfimages');
    expect(message).toContain('CHROMIUM_PATH');
  });

  it(
    "installs poppler-utils (the paper tests' pdftoppm, pdftotext, pdffonts, pdfinfo, pdfimages) when pdftoppm " +
      'is missing, alone or with the rest',
    () => {
      expect(planTools({ ...ready, hasPoppler: false, installer: 'root' })).toEqual({
        action: 'install',
        packages: ['poppler-utils'],
        via: 'root',
      });
      expect(
        planTools({ ...ready, hasChromium: false, hasCjkFont: false, hasPoppler: false, installer: 'sudo' }),
      ).toEqual({ action: 'install', packages: ['chromium', 'fonts-wqy-microhei', 'poppler-utils'], via: 'sudo' });
    },
  );

  it('stops with one line naming poppler-utils when only poppler is missing and it cannot install', () => {
    const plan = planTools({ ...ready, hasPoppler: false });
    expect(plan.action).toBe('stop');
    const message = (plan as { message: string }).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('sudo apt-get install poppler-utils');
    expect(message).toContain('paper tests');
    expect(message).not.toContain('browser tests');
    expect(message).not.toContain('CHROMIUM_PATH');
  });

  it('never installs over a Chromium the user chose with CHROMIUM_PATH, and says when it is not there', () => {
    const plan = planTools({
      ...ready,
      chromium: '/opt/none/chrome',
      chromiumChosen: true,
      hasChromium: false,
      installer: 'root',
    });
    expect(plan).toEqual({ action: 'stop', message: expect.stringContaining('CHROMIUM_PATH is /opt/none/chrome') });
  });

  it('run as npm runs it, with CHROMIUM_PATH pointing nowhere: exit 1 and one line, before any test', () => {
    const root = path.join(__dirname, '..');
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'scripts/test-tools.ts'], {
      cwd: root,
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('CHROMIUM_PATH is /nonexistent/chromium')]);
  });
});
