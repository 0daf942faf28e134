import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DevIdentityProviderAnnouncement, DevIdentityProviderOptions } from './types';

export interface SpawnedDevIdentityProvider extends DevIdentityProviderAnnouncement {
  pid: number;
  /** Sends SIGTERM and waits for the process to end. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Each line the provider writes on stderr (oidc-provider's notices, errors); dropped by default. */
  onLog?: (line: string) => void;
  /** Node's working directory; the repository's root by default (where node_modules is). */
  cwd?: string;
}

/**
 * Starts the development identity provider (idp/main.ts) in a process of its own and resolves once
 * it listens. CommonJS-safe: no import of oidc-provider here (an ES module, which Jest cannot load).
 * The options go through the environment (they hold the users' passwords). The process stops when
 * stop() is called, and with this process (its stdin is a pipe from here).
 */
export function spawnDevIdentityProvider(
  options: Partial<DevIdentityProviderOptions> & { demo?: { seed: string; departments: string[] } },
  spawnOptions: SpawnOptions = {},
): Promise<SpawnedDevIdentityProvider> {
  const typescript = path.extname(__filename) === '.ts';
  const entry = path.join(__dirname, typescript ? 'main.ts' : 'main.js');
  const args = typescript ? ['-r', '@swc-node/register', entry] : [entry];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: spawnOptions.cwd ?? path.join(__dirname, '..'),
    env: {
      ...process.env,
      JOINTCHECK_DEV_IDP_OPTIONS: JSON.stringify(options),
      JOINTCHECK_DEV_IDP_STOP_WITH_STDIN: '1',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stderr: string[] = [];
  return new Promise((resolve, reject) => {
    let announced = false;
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (data: string) => {
      err += data;
      let nl: number;
      while ((nl = err.indexOf('\n')) >= 0) {
        const line = err.slice(0, nl);
        err = err.slice(nl + 1);
        if (!announced) stderr.push(line);
        spawnOptions.onLog?.(line);
      }
    });
    child.stdout!.setEncoding('utf8').on('data', (data: string) => {
      if (announced) return;
      out += data;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      let announcement: DevIdentityProviderAnnouncement;
      try {
        announcement = JSON.parse(out.slice(0, nl)) as DevIdentityProviderAnnouncement;
      } catch {
        child.kill('SIGTERM');
        reject(new Error(`the dev identity provider printed '${out.slice(0, nl)}' instead of its address`));
        return;
      }
      announced = true;
      resolve({
        issuer: announcement.issuer,
        url: announcement.url,
        pid: child.pid!,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!announced)
        reject(
          new Error(
            `the dev identity provider stopped before listening ` +
              `(${signal ?? `exit code ${code}`}):\n${[...stderr, err].join('\n').trim()}`,
          ),
        );
    });
  });
}
