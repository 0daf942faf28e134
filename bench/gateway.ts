import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { Role, serviceAudience } from '../kernel/identity';
import { composeSupergraph, fetchSubgraphSdl } from '../subgraphs/registry/compose';
import { postGraphQL } from '../test/support/hub';
import { benchIdentity, spawnService, type ServiceProcess } from './processes';
import { planOf, REFERENCE_QUERY } from './query-plan';

/** The gateways compared, each in a process of its own in front of the same subgraph processes. */
export const GATEWAYS = ['ours', 'hive', 'floor'] as const;
export type GatewayName = (typeof GATEWAYS)[number];

export interface LoadFigures {
  /** Requests answered per second (autocannon's mean over the run). */
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** CPU time the gateway process used per answered request (user + system), and the subgraphs' together, ms. */
  gatewayCpuMs: number;
  subgraphsCpuMs: number;
  /** Latency with one connection (one request at a time: no queueing), ms. */
  single: { p50: number; p99: number };
}

export interface GatewayBenchResult {
  targets: number;
  connections: number;
  seconds: number;
  rounds: number;
  /** The query plan the gateways run (the floor runs its fetches and nothing else). */
  plan: string;
  runs: Record<GatewayName, LoadFigures[]>;
  /** Per gateway, the median of the rounds. */
  median: Record<GatewayName, LoadFigures>;
  /** Our throughput over Hive's, and our p50 over the floor's and over Hive's (same run). */
  ratios: {
    throughputOursOverHive: number;
    p50OursOverFloor: number;
    p50OursOverHive: number;
    throughputOursOverFloor: number;
    singleP50OursOverFloor: number;
    singleP50OursOverHive: number;
  };
  /** Peak resident memory of each process, MB. */
  peakRssMb: Record<string, number>;
}

const DEPARTMENTS = ['market', 'tax', 'environment', 'housing', 'fire'];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * autocannon at `connections`, for `seconds`, each request the next of `bodies` in turn (different
 * targets, as different callers ask: identical requests in flight at once would let a gateway
 * that merges them, as Hive Gateway does by default, answer several with one set of subgraph calls).
 */
async function load(
  url: string,
  bodies: readonly string[],
  token: string,
  connections: number,
  seconds: number,
): Promise<LoadFigures> {
  const u = new URL(url);
  let next = 0;
  const r = await autocannon({
    url: u.origin,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: u.pathname,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.non2xx + r.errors + r.timeouts,
    gatewayCpuMs: NaN,
    subgraphsCpuMs: NaN,
    single: { p50: NaN, p99: NaN },
  };
}

/**
 * Latency one request at a time (no queueing), timed here to the microsecond (autocannon reports
 * whole milliseconds), over one kept-alive connection: `count` requests after 20 unmeasured.
 */
async function sequentialLatency(
  url: string,
  bodies: readonly string[],
  token: string,
  count: number,
): Promise<{ p50: number; p99: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
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
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < count + 20; i++) {
    const started = performance.now();
    const status = await send(bodies[i % bodies.length]!);
    if (status !== 200) errors++;
    if (i >= 20) times.push(performance.now() - started);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 100) / 100;
  return { p50: at(0.5), p99: at(0.99), errors };
}

/** The department views of an answer, by USCC (what the floor and the gateways must agree on). */
function views(data: unknown): Record<string, unknown> {
  const entities = (data as { marketEntities: Array<Record<string, unknown>> }).marketEntities;
  return Object.fromEntries(
    entities.map((e) => [e.uscc as string, Object.fromEntries(DEPARTMENTS.map((d) => [d, e[d]]))]),
  );
}

/**
 * Issue F, benchmark 1: the reference federated query (20 targets, market data and five
 * departments' views) through our gateway, through Hive Gateway (default configuration) on the
 * same supergraph, and through the floor (the query plan's subgraph requests and nothing else),
 * each a process of its own in front of the same five department processes (SQLite, demo data).
 * autocannon at a fixed concurrency, a warm-up then a measured run per gateway, rounds in rotated
 * order; the figures are medians of the rounds, the ratios taken from them.
 */
export async function benchGateway(
  dataDir: string,
  options: {
    targets?: number;
    connections?: number;
    seconds?: number;
    rounds?: number;
    only?: readonly GatewayName[];
  } = {},
): Promise<GatewayBenchResult> {
  const measured = options.only ?? GATEWAYS;
  const targets = options.targets ?? 2000;
  const connections = options.connections ?? 10;
  const seconds = options.seconds ?? 6;
  const rounds = options.rounds ?? 5;
  fs.mkdirSync(dataDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(dataDir, 'gateway-'));
  const { issuer, env: common } = await benchIdentity(dir);
  const env = {
    ...common,
    JOINTCHECK_MODE: 'production',
    JOINTCHECK_DEMO_TARGETS: String(targets),
    JOINTCHECK_DEMO_SEED: 'bench-gateway',
  };
  const profiles = path.join(dataDir, 'profiles');
  const services: ServiceProcess[] = [];
  try {
    for (const code of DEPARTMENTS)
      services.push(await spawnService(code, 'serve-department.ts', [code], env, profiles));
    const sources = await Promise.all(
      services.map(async (s) => ({ name: s.name, url: s.url, sdl: await fetchSubgraphSdl(s.url) })),
    );
    const composed = composeSupergraph(sources);
    if ('errors' in composed) throw new Error(composed.errors.join('\n'));
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, composed.supergraphSdl);
    const gateways: Record<GatewayName, ServiceProcess> = {
      ours: await spawnService(
        'gateway',
        'serve-gateway.ts',
        [],
        { ...env, JOINTCHECK_SUPERGRAPH_FILE: supergraphFile },
        profiles,
      ),
      hive: await spawnService('hive-gateway', 'serve-hive.ts', [supergraphFile], env, profiles),
      floor: await spawnService('floor', 'serve-floor.ts', [supergraphFile], env, profiles),
    };
    const departments = [...services];
    services.push(...Object.values(gateways));

    // Hive Gateway and the floor pass the caller's token on as it is, while every subgraph accepts only
    // its own audience (H2): the bench's token names the gateway's audience and every department's, so
    // that all three are measured on the same request. Ours still signs a token per subgraph (that cost is in its
    // figures).
    const token = await issuer.issue({ subject: 'bench', role: Role.AUDITOR, department: null }, '2h', {
      audience: ['bench', ...DEPARTMENTS.map((code) => serviceAudience('bench', code))],
    });
    // 50 sets of 20 targets from the market roster: each request asks for the next set.
    const page = await postGraphQL<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
      services[0]!.url,
      '{ market { targets(first: 1000) { nodes { id } } } }',
      {},
      token,
    );
    const roster = page.data!.market.targets.nodes.map((n) => n.id);
    if (roster.length < 1000) throw new Error(`the demo roster has ${roster.length} targets, not 1,000`);
    const sets = Array.from({ length: 50 }, (_, i) => roster.slice(i * 20, i * 20 + 20));
    const bodies = sets.map((usccs) => JSON.stringify({ query: REFERENCE_QUERY, variables: { usccs } }));
    const usccs = sets[0]!;
    // Same data everywhere before anything is timed: Hive's answer equals ours; the floor's views equal ours.
    const answers = Object.fromEntries(
      await Promise.all(
        GATEWAYS.map(async (g) => [g, await postGraphQL(gateways[g].url, REFERENCE_QUERY, { usccs }, token)] as const),
      ),
    );
    for (const g of GATEWAYS)
      if (answers[g]!.errors) throw new Error(`${g}: ${JSON.stringify(answers[g]!.errors).slice(0, 500)}`);
    if (!isDeepStrictEqual(answers.hive!.data, answers.ours!.data))
      throw new Error('Hive Gateway and ours answer the reference query differently');
    if (!isDeepStrictEqual(views(answers.floor!.data), views(answers.ours!.data)))
      throw new Error('the floor and our gateway answer the reference query differently');

    // Every process warmed up first (JIT, plan caches, sockets, SQLite pages), then a short warm-up before each run.
    for (const g of measured) await load(gateways[g].url, bodies, token, connections, 5);
    const runs: Record<GatewayName, LoadFigures[]> = { ours: [], hive: [], floor: [] };
    for (let round = 0; round < rounds; round++) {
      const order = measured.map((_, i) => measured[(i + round) % measured.length]!);
      for (const g of order) {
        await load(gateways[g].url, bodies, token, connections, 2); // warm-up (JIT, plan cache, sockets)
        const before = { gateway: gateways[g].cpuMs(), subgraphs: departments.reduce((a, d) => a + d.cpuMs(), 0) };
        const figures = await load(gateways[g].url, bodies, token, connections, seconds);
        const answered = figures.rps * seconds;
        figures.gatewayCpuMs = (gateways[g].cpuMs() - before.gateway) / answered;
        figures.subgraphsCpuMs = (departments.reduce((a, d) => a + d.cpuMs(), 0) - before.subgraphs) / answered;
        // Then one request at a time: the latency the gateway adds, without queueing behind others.
        const single = await sequentialLatency(gateways[g].url, bodies, token, 300);
        figures.single = { p50: single.p50, p99: single.p99 };
        figures.errors += single.errors;
        runs[g].push(figures);
      }
    }
    const none = {
      rps: NaN,
      p50: NaN,
      p99: NaN,
      errors: 0,
      gatewayCpuMs: NaN,
      subgraphsCpuMs: NaN,
      single: { p50: NaN, p99: NaN },
    };
    const med = Object.fromEntries(
      GATEWAYS.map((g) => [
        g,
        runs[g].length
          ? {
              rps: median(runs[g].map((r) => r.rps)),
              p50: median(runs[g].map((r) => r.p50)),
              p99: median(runs[g].map((r) => r.p99)),
              errors: runs[g].reduce((a, r) => a + r.errors, 0),
              gatewayCpuMs: median(runs[g].map((r) => r.gatewayCpuMs)),
              subgraphsCpuMs: median(runs[g].map((r) => r.subgraphsCpuMs)),
              single: { p50: median(runs[g].map((r) => r.single.p50)), p99: median(runs[g].map((r) => r.single.p99)) },
            }
          : none,
      ]),
    ) as Record<GatewayName, LoadFigures>;
    return {
      targets,
      connections,
      seconds,
      rounds,
      plan: planOf(composed.supergraphSdl, REFERENCE_QUERY).text,
      runs,
      median: med,
      ratios: {
        throughputOursOverHive: med.ours.rps / med.hive.rps,
        p50OursOverFloor: med.ours.p50 / med.floor.p50,
        p50OursOverHive: med.ours.p50 / med.hive.p50,
        throughputOursOverFloor: med.ours.rps / med.floor.rps,
        singleP50OursOverFloor: med.ours.single.p50 / med.floor.single.p50,
        singleP50OursOverHive: med.ours.single.p50 / med.hive.single.p50,
      },
      peakRssMb: Object.fromEntries(services.map((s) => [s.name, s.peakRssMb()])),
    };
  } finally {
    for (const s of services.reverse()) await s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
