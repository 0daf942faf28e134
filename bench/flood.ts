import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { composeSupergraph, fetchSubgraphSdl } from '../subgraphs/registry/compose';
import { Role } from '../kernel/identity';
import { postGraphQL } from '../test/support/hub';
import { benchIdentity, spawnService, type ServiceProcess } from './processes';
import { REFERENCE_QUERY } from './query-plan';

/** A refused or answered request of the flood: its status, Retry-After and GraphQL answer. */
interface FloodAnswer {
  status: number;
  retryAfter: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

const DEPARTMENTS = ['market', 'tax', 'environment', 'housing', 'fire'];

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface FloodFigures {
  /** The other caller's `{__typename}` latency while the flood ran, ms. */
  other: Latency;
  /**
   * The flooder's heavy queries: answered whole, answered with an error (partial), of which timeouts, refused (429)
   * and still refused at the window's end.
   */
  heavy: {
    sent: number;
    whole: number;
    partial: number;
    timeouts: number;
    refusals: number;
    neverAdmitted: number;
    errorSamples: string[];
  };
  /** From the first heavy query until the last answer, ms. */
  floodMs: number;
}

export interface FloodBenchResult {
  entities: number;
  flood: number;
  windowSeconds: number;
  /** Budget off (settings very high) and the default budget: idle latency, and the flood. */
  open: { idle: Latency; flood: FloodFigures };
  budgeted: { idle: Latency; flood: FloodFigures };
  peakRssMb: Record<string, number>;
}

function latency(times: number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 100) / 100;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

/** One POST over `agent`: status, headers and the parsed body. */
function send(
  url: string,
  agent: http.Agent,
  body: string,
  token: string,
): Promise<{
  status: number;
  retryAfter: number;
  body: FloodAnswer['body'];
}> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          try {
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: Number(response.headers['retry-after'] ?? 1),
              body: JSON.parse(text) as FloodAnswer['body'],
            });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * `{__typename}` one at a time over one kept-alive connection, until `until()` says stop (and at least `min`), ms each.
 */
async function probe(url: string, token: string, until: () => boolean, min = 0): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ query: '{ __typename }' });
  const times: number[] = [];
  for (let i = 0; times.length < min || !until(); i++) {
    const started = performance.now();
    const answer = await send(url, agent, body, token);
    if (answer.status !== 200 || answer.body.errors)
      throw new Error(`{__typename} failed: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  agent.destroy();
  return times;
}

/**
 * One flood: `flood` heavy queries from one caller sent at once; each refused one (429) is sent
 * again after its Retry-After (with up to as long again of jitter, as a client told to wait would),
 * until the window closes; meanwhile another caller sends `{__typename}` one at a time. The
 * other caller is measured during the window; the heavy answers are all awaited.
 */
async function floodOnce(
  url: string,
  heavyBody: string,
  flooder: string,
  other: string,
  flood: number,
  windowMs: number,
): Promise<FloodFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: flood + 10 });
  const started = performance.now();
  const windowOpen = () => performance.now() - started < windowMs;
  const heavy = {
    sent: 0,
    whole: 0,
    partial: 0,
    timeouts: 0,
    refusals: 0,
    neverAdmitted: 0,
    errorSamples: [] as string[],
  };
  const worker = async () => {
    for (;;) {
      heavy.sent++;
      const answer = await send(url, agent, heavyBody, flooder).catch((error: Error) => ({
        status: 0,
        retryAfter: 1,
        body: { errors: [{ message: `socket: ${error.message}` }] },
      }));
      if (answer.status === 429) {
        heavy.refusals++;
        if (!windowOpen()) return void heavy.neverAdmitted++;
        await new Promise((resolve) => setTimeout(resolve, answer.retryAfter * 1000 * (1 + Math.random())));
        continue;
      }
      const errors: Array<{ message: string; extensions?: Record<string, unknown> }> = answer.body.errors ?? [];
      if (!errors.length && answer.status === 200) heavy.whole++;
      else {
        heavy.partial++;
        if (errors.some((e) => e.extensions?.timeoutSeconds !== undefined)) heavy.timeouts++;
        for (const e of errors)
          if (heavy.errorSamples.length < 3 && !heavy.errorSamples.some((s) => s === e.message))
            heavy.errorSamples.push(e.message);
      }
      return;
    }
  };
  const workers = Array.from({ length: flood }, () => worker());
  const times = await probe(url, other, () => !windowOpen(), 20);
  await Promise.all(workers);
  const floodMs = performance.now() - started;
  agent.destroy();
  return { other: latency(times), heavy, floodMs };
}

/** Waits until the department processes are nearly idle (under 5% of a core over a second), at most `maxMs`. */
async function quiet(departments: ServiceProcess[], maxMs = 240_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let before = departments.reduce((a, d) => a + d.cpuMs(), 0);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = departments.reduce((a, d) => a + d.cpuMs(), 0);
    if (now - before < 50) return;
    before = now;
  }
}

/**
 * H2, a flood: one caller sends `flood` (200) heavy queries at once, each 1,000 market entities
 * with their market data and the five native departments' views (the gateway benchmark's reference
 * query, 50 times the targets), while another caller sends `{__typename}`. Five department
 * processes (SQLite, 2,000 demo entities) behind two gateway processes on the same supergraph:
 * one with the caller budget off (settings very high) and one with the default budget. Measured:
 * the other caller's latency idle and during the flood (its ratio to idle), and how the heavy
 * answers ended. The budgeted gateway is flooded first (the open one leaves the subgraphs busy
 * with requests it gave up on), and the subgraphs are let go quiet between.
 */
export async function benchFlood(
  dataDir: string,
  options: { flood?: number; entities?: number; windowSeconds?: number } = {},
): Promise<FloodBenchResult> {
  const flood = options.flood ?? 200;
  const entities = options.entities ?? 1000;
  const windowSeconds = options.windowSeconds ?? 30;
  fs.mkdirSync(dataDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(dataDir, 'flood-'));
  const { issuer, env: common } = await benchIdentity(dir);
  const env = {
    ...common,
    JOINTCHECK_MODE: 'production',
    JOINTCHECK_DEMO_TARGETS: '2000',
    JOINTCHECK_DEMO_SEED: 'bench-gateway',
  };
  const profiles = path.join(dataDir, 'profiles');
  const services: ServiceProcess[] = [];
  try {
    for (const code of DEPARTMENTS)
      services.push(await spawnService(code, 'serve-department.ts', [code], env, profiles));
    const departments = [...services];
    const sources = await Promise.all(
      departments.map(async (s) => ({ name: s.name, url: s.url, sdl: await fetchSubgraphSdl(s.url) })),
    );
    const composed = composeSupergraph(sources);
    if ('errors' in composed) throw new Error(composed.errors.join('\n'));
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, composed.supergraphSdl);
    const gatewayEnv = { ...env, JOINTCHECK_SUPERGRAPH_FILE: supergraphFile };
    const open = await spawnService(
      'gateway-open',
      'serve-gateway.ts',
      [],
      { ...gatewayEnv, JOINTCHECK_CALLER_CONCURRENCY: '1000000', JOINTCHECK_CALLER_COST: '1000000000' },
      profiles,
    );
    services.push(open);
    const budgeted = await spawnService('gateway-budgeted', 'serve-gateway.ts', [], gatewayEnv, profiles);
    services.push(budgeted);

    const flooder = await issuer.issue({ subject: 'bench-flooder', role: Role.AUDITOR, department: null }, '2h');
    const other = await issuer.issue({ subject: 'bench-other', role: Role.AUDITOR, department: null }, '2h');
    const page = await postGraphQL<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
      budgeted.url,
      `{ market { targets(first: ${entities}) { nodes { id } } } }`,
      {},
      other,
    );
    const usccs = page.data?.market.targets.nodes.map((n) => n.id) ?? [];
    if (usccs.length < entities)
      throw new Error(
        `the demo roster gave ${usccs.length} targets, not ${entities}: ` +
          `${JSON.stringify(page.errors ?? null).slice(0, 300)}`,
      );
    const heavyBody = JSON.stringify({ query: REFERENCE_QUERY, variables: { usccs } });
    // Each gateway answers the heavy query whole when alone (and is warmed up by it).
    for (const g of [budgeted, open]) {
      for (let i = 0; i < 2; i++) {
        const answer = await postGraphQL<{ marketEntities: unknown[] }>(g.url, REFERENCE_QUERY, { usccs }, flooder);
        if (answer.errors || answer.data?.marketEntities.length !== entities)
          throw new Error(
            `${g.name}: the heavy query alone failed: ${JSON.stringify(answer.errors ?? null).slice(0, 300)}`,
          );
      }
    }
    await quiet(departments);
    const idleOf = async (g: ServiceProcess) => latency((await probe(g.url, other, () => true, 320)).slice(20));
    const idle = { budgeted: await idleOf(budgeted), open: await idleOf(open) };
    const budgetedFlood = await floodOnce(budgeted.url, heavyBody, flooder, other, flood, windowSeconds * 1000);
    await quiet(departments);
    const openFlood = await floodOnce(open.url, heavyBody, flooder, other, flood, windowSeconds * 1000);
    return {
      entities,
      flood,
      windowSeconds,
      open: { idle: idle.open, flood: openFlood },
      budgeted: { idle: idle.budgeted, flood: budgetedFlood },
      peakRssMb: Object.fromEntries(services.map((s) => [s.name, s.peakRssMb()])),
    };
  } finally {
    for (const s of services.reverse()) await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
