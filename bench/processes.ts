import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateHubKeys, TokenIssuer, TokenVerifier } from '../kernel/identity';

/** A service of the benchmark in a process of its own, as deployed (one container per service). */
export interface ServiceProcess {
  name: string;
  url: string;
  pid: number;
  /** The process's peak resident memory so far (the kernel's `VmHWM`), in MB. */
  peakRssMb(): number;
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs(): number;
  /**
   * With BENCH_PROFILE=window, starts (then, called again, stops and writes) the process's CPU
   * profile of the window between the two calls (bench/profile-window.ts); otherwise nothing.
   */
  profileWindow(): void;
  stop(): Promise<void>;
}

/**
 * Starts `script` (TypeScript, through the same loader `npm start` uses) with `args` and `env`;
 * resolves once it prints a `{"url": ...}` line, or, given `listensAt`, once its `/health` answers there.
 * BENCH_PROFILE=1 writes a CPU profile of each
 * service's whole life to `<profileDir>` when it stops (`node --cpu-prof`); BENCH_PROFILE=window one of
 * the window a benchmark marks with `profileWindow()` (its load, without the start-up).
 */
export async function spawnService(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  profileDir?: string,
  listensAt?: string,
): Promise<ServiceProcess> {
  const window = process.env.BENCH_PROFILE === 'window' && profileDir;
  const profile =
    process.env.BENCH_PROFILE === '1' && profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...profile,
      '-r',
      '@swc-node/register',
      // After the loader: the preload is TypeScript too.
      ...(window ? ['-r', path.join(__dirname, 'profile-window.ts')] : []),
      path.join(__dirname, script),
      ...args,
    ],
    {
      env: {
        ...process.env,
        ...env,
        ...(window ? { BENCH_PROFILE_DIR: profileDir, BENCH_PROFILE_NAME: `${name}-window` } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // A service's own entry point prints no URL: it is ready when its /health answers at `listensAt`.
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (status) => reject(new Error(`${name} exited (${status}) before it listened`)));
    if (listensAt) {
      const health = listensAt.replace(/\/graphql$/, '/health');
      const deadline = Date.now() + 120_000;
      const poll = () =>
        fetch(health).then(
          (r) => (r.ok ? resolve(listensAt) : retry()),
          () => retry(),
        );
      const retry = () =>
        Date.now() > deadline
          ? reject(new Error(`${name} did not answer at ${health} within 120 s`))
          : void setTimeout(poll, 200);
      return void poll();
    }
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  // What the service prints is read to the end (a pipe nobody reads blocks its writer once full),
  // and kept in <profileDir>/../logs/<name>.log when there is a profile dir (BENCH_LOG_LEVEL=error says more).
  child.stdout!.removeAllListeners('data');
  const log = profileDir ? path.join(profileDir, '..', 'logs', `${name}.log`) : null;
  if (log) fs.mkdirSync(path.dirname(log), { recursive: true });
  const sink = log ? fs.createWriteStream(log) : null;
  child.stdout!.on('data', (chunk: Buffer) => sink?.write(chunk));
  child.once('exit', () => sink?.end());
  let lastPeak = 0;
  const peakRssMb = () => {
    try {
      lastPeak = Math.round(
        Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
      );
    } catch {
      /* exited: the last reading stands */
    }
    return lastPeak;
  };
  const cpuMs = () => processCpuMs(child.pid!);
  return {
    name,
    url,
    pid: child.pid!,
    peakRssMb,
    cpuMs,
    profileWindow: () => {
      if (window && child.exitCode === null) child.kill('SIGUSR2');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        peakRssMb();
        // Exited, or killed by a signal (a test's SIGKILL): nothing to wait for.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** What the benchmark's service processes share: a key pair (files in `dir`) and the settings every process gets. */
export interface BenchIdentity {
  issuer: TokenIssuer;
  verifier: TokenVerifier;
  /** The private key's file, for a service that signs its own tokens (the joint service). */
  privateKeyFile: string;
  /**
   * Production mode, silent logs (BENCH_LOG_LEVEL to change), the data dir and the keys: the settings common to every
   * process.
   */
  env: Record<string, string>;
}

/** The hub's key pair and the gateway's (H2), in memory, for a benchmark that starts the hub in its own process. */
export async function inMemoryKeys(settings: {
  issuer: string;
  audience: string;
}): Promise<{ issuer: TokenIssuer; gatewaySigner: TokenIssuer; verifier: TokenVerifier }> {
  const { hub, gateway, jwks } = await generateHubKeys('bench');
  return {
    issuer: await TokenIssuer.fromJwk(hub.privateJwk, settings),
    gatewaySigner: await TokenIssuer.fromJwk(gateway.privateJwk, settings),
    verifier: new TokenVerifier(jwks, settings),
  };
}

/** A key pair for one benchmark, written to `dir`, and the settings its processes share. */
export async function benchIdentity(dir: string): Promise<BenchIdentity> {
  const settings = { issuer: 'bench', audience: 'bench' };
  // The hub's key and the gateway's own for the tokens it forwards to subgraphs (H2).
  const { hub: keys, gateway, jwks } = await generateHubKeys('bench');
  const publicKeysFile = path.join(dir, 'jwks.json');
  const privateKeyFile = path.join(dir, 'private.jwk.json');
  fs.writeFileSync(publicKeysFile, JSON.stringify(jwks));
  fs.writeFileSync(privateKeyFile, JSON.stringify(keys.privateJwk), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'gateway.jwk.json'), JSON.stringify(gateway.privateJwk), { mode: 0o600 });
  return {
    issuer: await TokenIssuer.fromJwk(keys.privateJwk, settings),
    verifier: new TokenVerifier(jwks, settings),
    privateKeyFile,
    env: {
      NODE_ENV: 'production',
      JOINTCHECK_DATA_DIR: dir,
      JOINTCHECK_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_JWT_PUBLIC_KEYS: publicKeysFile,
      JOINTCHECK_GATEWAY_PRIVATE_KEY: path.join(dir, 'gateway.jwk.json'),
      JOINTCHECK_JWT_ISSUER: settings.issuer,
      JOINTCHECK_JWT_AUDIENCE: settings.audience,
    },
  };
}

/** CPU time a process has used so far (user + system), in ms; NaN once it has gone. */
export function processCpuMs(pid: number): number {
  // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The local MySQL or MariaDB server's process id (mariadbd or mysqld), or null when none runs on this machine. */
export function databaseServerProcess(): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (name === 'mariadbd' || name === 'mysqld') return Number(entry);
    } catch {
      /* gone meanwhile */
    }
  }
  return null;
}
