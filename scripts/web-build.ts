import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The public page and the dashboard (web/) are built by Vite into dist/web, which the gateway
 * serves at `/`. `npm run build` builds them with the server code; `npm start` and the test suite
 * build them when their sources changed since the last build (a hash of the sources is kept
 * beside the output), so `npm install && npm start` serves the page on a fresh clone.
 */
export const ROOT = path.resolve(__dirname, '..');
export const WEB_OUT_DIR = path.join(ROOT, 'dist', 'web');
const HASH_FILE = '.source-hash';

/**
 * What the page is built from: its own code, the stored operations it sends, the draw verifier it bundles, the locked
 * dependencies.
 */
const SOURCES = [
  'web',
  'operations/web',
  'operations/index.ts',
  'subgraphs/joint/draw',
  'subgraphs/joint/visits/submission-content.ts',
  'kernel/codes.ts',
  'subgraphs/department-kernel/csv-columns.ts',
  'package-lock.json',
];

function filesUnder(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [entry];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .flatMap((d) =>
      d.name === 'node_modules' || d.name.startsWith('.')
        ? []
        : d.isDirectory()
          ? filesUnder(path.join(entry, d.name))
          : d.name.endsWith('.test.ts')
            ? []
            : [path.join(entry, d.name)],
    );
}

/** SHA-256 over the page's sources, by path and content. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder).sort())
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Whether dist/web holds a build of the sources as they are now. */
export function webBuildIsCurrent(outDir = WEB_OUT_DIR): boolean {
  const file = path.join(outDir, HASH_FILE);
  return (
    fs.existsSync(path.join(outDir, 'index.html')) &&
    fs.existsSync(file) &&
    fs.readFileSync(file, 'utf8') === webSourceHash()
  );
}

/**
 * Builds the page with Vite (a child process: Vite is ESM and loads its config itself) into a
 * folder of its own beside `outDir`, then puts it in place with renames: a gateway serving
 * `outDir` never reads a half-written build, and two builds at once (npm start and a test run on
 * one checkout) each finish whole, the later one in place.
 */
export async function buildWeb(outDir = WEB_OUT_DIR, log: (line: string) => void = console.log): Promise<void> {
  const hash = webSourceHash();
  const staging = `${outDir}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await viteBuild(staging);
    fs.writeFileSync(path.join(staging, HASH_FILE), hash);
    const old = `${outDir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
    if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
    try {
      fs.renameSync(staging, outDir);
    } catch (error) {
      // Another build put its own in place meanwhile: of the same sources, it will do.
      if (!webBuildIsCurrent(outDir)) throw error;
    }
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log(`Built the public page into ${path.relative(process.cwd(), outDir) || outDir}.`);
}

async function viteBuild(outDir: string): Promise<void> {
  // The package's own command (its exports map hides bin/), found beside its package.json.
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [ROOT] })), 'bin', 'vite.js');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        vite,
        'build',
        '--config',
        path.join(ROOT, 'web', 'vite.config.mts'),
        '--outDir',
        outDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      {
        cwd: ROOT,
        // The config imports the hub's own operations module (CommonJS TypeScript), which Vite's
        // bundling config loader reads; the warning is about a future default loader that would not.
        env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`Building the public page (web/) failed:\n${output.join('')}`);
}

/** Builds the page unless dist/web is a build of the current sources; says which it did. */
export async function ensureWebBuilt(log: (line: string) => void = console.log): Promise<'built' | 'current'> {
  if (webBuildIsCurrent()) return 'current';
  const started = Date.now();
  await buildWeb(WEB_OUT_DIR, () => undefined);
  log(`Built the public page (web/ → dist/web) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 'built';
}

if (require.main === module) {
  // `npm run build:web`: always build.
  buildWeb().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
