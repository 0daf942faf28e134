import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startHub } from '../scripts/hub';
import { loadConfig } from '../kernel/config';
import { demoEntity } from '../subgraphs/department-kernel/demo/generator';
import { Role } from '../kernel/identity';
import { inMemoryKeys } from './processes';
import { FED2, servePlainSubgraph } from '../test/support/plain-subgraph';

export interface RegistryBenchResult {
  subgraphs: number;
  pollMs: number;
  /** Per switch: the registration (fetch the SDL, compose, check, store), and until the gateway serves it, ms. */
  switches: Array<{ registerMs: number; servedMs: number }>;
  load: { requests: number; non2xx: number; errors: number; graphqlErrors: number; errorSamples: string[] };
  /** The hub's process (every service in one, with autocannon), MB. */
  peakRssMb: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue F, benchmark 5: the whole hub in one process (SQLite, the default gateway poll interval)
 * with 10 subgraphs registered (six departments, joint, registry and two plain subgraphs); one of
 * the plain ones is switched between two schemas five times while autocannon sends a query across
 * market and the other plain subgraph through the gateway (10 connections). Each switch is timed
 * from the registration call to the gateway serving the new version; every answer is checked.
 */
export async function benchRegistry(): Promise<RegistryBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-bench-registry-'));
  const settings = { issuer: 'bench', audience: 'bench' };
  const keys = await inMemoryKeys(settings);
  const config = loadConfig({
    JOINTCHECK_DATA_DIR: dir,
    JOINTCHECK_PORT: '0',
    JOINTCHECK_DEMO_TARGETS: '400',
    JOINTCHECK_LOG_LEVEL: 'silent',
    JOINTCHECK_DEV_KEYS: 'false',
    JOINTCHECK_MUTATIONS_PER_MINUTE: '1000000',
  });
  const hub = await startHub(config, { ...keys, deliveryIntervalMs: 3_600_000 });
  const plain = [
    await servePlainSubgraph(`${FED2} type Query { benchSteady: Int }`, { Query: { benchSteady: () => 1 } }),
    await servePlainSubgraph(`${FED2} type Query { benchSwitched: Int }`, { Query: { benchSwitched: () => 2 } }),
    await servePlainSubgraph(`${FED2} type Query { benchSwitched: Int benchAdded: String }`, {
      Query: { benchSwitched: () => 2, benchAdded: () => 'x' },
    }),
  ];
  const admin = { subject: 'bench', role: Role.HUB_ADMIN, department: null };
  const register = async (name: string, url: string) => {
    const started = performance.now();
    const { version } = await hub.registry.service.register({ name, url }, admin);
    const registerMs = performance.now() - started;
    while (hub.gateway.supergraph.current?.number !== version.number) await sleep(5);
    return { registerMs, servedMs: performance.now() - started };
  };
  try {
    await register('benchsteady', plain[0]!.url);
    await register('benchswitched', plain[1]!.url);
    const subgraphs = (await hub.registry.service.version(await hub.registry.service.head()))!.subgraphs.length;
    const uscc = demoEntity(config.demo.seed, 0).uscc;
    const body = JSON.stringify({ query: `{ benchSteady benchSwitched marketEntity(uscc: "${uscc}") { uscc name } }` });
    const url = new URL(hub.gateway.url);
    let graphqlErrors = 0;
    const errorSamples: string[] = [];
    // Load until the switches are done.
    let instance: autocannon.Instance | undefined;
    const options: autocannon.Options = {
      url: url.origin,
      connections: 10,
      duration: 120,
      requests: [
        {
          method: 'POST',
          path: url.pathname,
          body,
          headers: { 'content-type': 'application/json' },
          onResponse: (status, text) => {
            if (status !== 200) return;
            const parsed = JSON.parse(text) as {
              data?: { benchSteady?: number; marketEntity?: { uscc: string } };
              errors?: Array<{ message: string }>;
            };
            if (parsed.errors?.length || parsed.data?.benchSteady !== 1 || parsed.data.marketEntity?.uscc !== uscc) {
              graphqlErrors++;
              if (errorSamples.length < 5) errorSamples.push(parsed.errors?.[0]?.message ?? text.slice(0, 200));
            }
          },
        },
      ],
    };
    const running = new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    });
    await sleep(3000);
    const switches = [];
    for (let i = 0; i < 5; i++) {
      switches.push(await register('benchswitched', plain[i % 2 === 0 ? 2 : 1]!.url));
      await sleep(1000);
    }
    instance!.stop();
    const result = await running;
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    return {
      subgraphs,
      pollMs: config.supergraph.pollMs,
      switches,
      load: {
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        graphqlErrors,
        errorSamples,
      },
      peakRssMb: Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024),
    };
  } finally {
    for (const p of plain) await p.stop();
    await hub.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
