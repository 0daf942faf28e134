/**
 * `npm test` runs this first (package.json `pretest`): the browser tests (test/browser/) need
 * Chromium and a CJK font for readable screenshots, and the paper tests (test/joint/papers-pdf)
 * read the PDFs back with poppler (pdftoppm, pdftotext, pdffonts, pdfinfo, pdfimages). On a
 * fresh Debian machine the test command
 * gets them itself (apt-get as root, or through `sudo -n`); where it cannot, it stops before any
 * test with one line saying what to install. CHROMIUM_PATH names a Chromium of one's own, which is
 * then never installed over.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import process from 'node:process';

/** What this machine has, and how it could install the rest. */
export interface ToolProbe {
  /** The Chromium the browser tests start (CHROMIUM_PATH, or Debian's /usr/bin/chromium). */
  chromium: string;
  /** Whether CHROMIUM_PATH chose it (then it is never installed: the choice is the user's). */
  chromiumChosen: boolean;
  hasChromium: boolean;
  /** A font with Chinese glyphs (fontconfig knows one for :lang=zh). */
  hasCjkFont: boolean;
  /** Poppler's command-line tools (`pdftoppm -v` succeeds), which read the rendered papers back. */
  hasPoppler: boolean;
  /** How Debian packages can be installed here: as root, through sudo without a password, or not. */
  installer: 'root' | 'sudo' | null;
}

/** Debian's packages for what is missing. */
export const PACKAGES = { chromium: 'chromium', font: 'fonts-wqy-microhei', poppler: 'poppler-utils' } as const;

/** What to do about a probe: nothing, install these packages, or stop with this line. */
export type ToolPlan =
  | { action: 'ready' }
  | { action: 'install'; packages: string[]; via: 'root' | 'sudo' }
  | { action: 'stop'; message: string };

/** Decides from a probe alone (tested without touching the machine). */
export function planTools(probe: ToolProbe): ToolPlan {
  if (probe.chromiumChosen && !probe.hasChromium) {
    return {
      action: 'stop',
      message:
        `npm test: CHROMIUM_PATH is ${probe.chromium}, which is not an executable file; point it at Chromium, ` +
        `or unset it to use Debian's (apt-get install ${PACKAGES.chromium}).`,
    };
  }
  const packages = [
    ...(probe.hasChromium ? [] : [PACKAGES.chromium]),
    ...(probe.hasCjkFont ? [] : [PACKAGES.font]),
    ...(probe.hasPoppler ? [] : [PACKAGES.poppler]),
  ];
  if (packages.length === 0) return { action: 'ready' };
  if (probe.installer) return { action: 'install', packages, via: probe.installer };
  const browser = [!probe.hasChromium && `Chromium (${probe.chromium})`, !probe.hasCjkFont && 'a CJK font']
    .filter(Boolean)
    .join(' and ');
  const what = [
    browser && `the browser tests need ${browser}`,
    !probe.hasPoppler &&
      "the paper tests need poppler's PDF tools (poppler-utils: pdftoppm, pdftotext, pdffonts, pdfinfo, pdfimages)",
  ]
    .filter(Boolean)
    .join('; ');
  return {
    action: 'stop',
    message:
      `npm test: ${what}: run \`sudo apt-get install ${packages.join(' ')}\` ` +
      `(Debian/Ubuntu)${probe.hasChromium ? '' : ', or set CHROMIUM_PATH to a Chromium binary'}, then npm test ` +
      `again.`,
  };
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** Looks at this machine. */
export function probeTools(env: NodeJS.ProcessEnv = process.env): ToolProbe {
  const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  let hasCjkFont = false;
  try {
    hasCjkFont =
      execFileSync('fc-list', [':lang=zh', 'family'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() !== '';
  } catch {
    hasCjkFont = false; // no fontconfig: no font it knows
  }
  const debian = process.platform === 'linux' && succeeds('apt-get', ['--version']);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const installer = !debian ? null : root ? 'root' : succeeds('sudo', ['-n', 'true']) ? 'sudo' : null;
  return {
    chromium,
    chromiumChosen: env.CHROMIUM_PATH !== undefined,
    hasChromium: executable(chromium),
    hasCjkFont,
    hasPoppler: succeeds('pdftoppm', ['-v']),
    installer,
  };
}

/** Installs Debian packages, showing apt's progress; true when it worked. */
function install(packages: string[], via: 'root' | 'sudo'): boolean {
  const run = (args: string[]) => {
    const [command, rest] = via === 'root' ? [args[0]!, args.slice(1)] : ['sudo', ['-n', ...args]];
    return (
      spawnSync(command, rest, {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).status === 0
    );
  };
  return run(['apt-get', 'update', '-qq']) && run(['apt-get', 'install', '-y', '-qq', ...packages]);
}

function main(): void {
  const plan = planTools(probeTools());
  if (plan.action === 'ready') return;
  if (plan.action === 'install') {
    console.log(
      `npm test: installing ${plan.packages.join(' ')} for the browser and paper tests ` +
        `(apt-get${plan.via === 'sudo' ? ' through sudo' : ''}) ...`,
    );
    const again = install(plan.packages, plan.via) ? planTools(probeTools()) : null;
    if (again?.action === 'ready') return;
    console.error(
      `npm test: installing ${plan.packages.join(' ')} failed; install them with \`sudo apt-get install ` +
        `${plan.packages.join(' ')}\`, then npm test again.`,
    );
    process.exit(1);
  }
  console.error(plan.message);
  process.exit(1);
}

if (require.main === module) main();
