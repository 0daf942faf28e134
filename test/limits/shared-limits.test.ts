import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startGateway, type GatewayHandle } from '../../gateway';
import { RedisLedger } from '../../gateway/caller-ledger';
import { loadConfig } from '../../kernel/config';
import { Role, type TokenIssuer } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { METRIC } from '../../kernel/metrics';
import { SharedStore } from '../../kernel/shared-store';
import { composeSupergraph } from '../../subgraphs/registry/compose';
import { Gates } from '../support/gates';
import { testKeys } from '../support/hub';
import { scrape, valueOf } from '../support/metrics';
import { eventually } from '../support/eventually';
import { FED2, servePlainSubgraph } from '../support/plain-subgraph';
import { startTestRedis, type TestRedis } from '../support/redis';

/**
 * Issue L: two gateways on one Redis count each caller's limits together (H2's mutation limit and
 * callers' budget); with Redis gone each counts alone, says so, and shares again once it is back.
 * A Redis of the test's own (so it can be stopped), two gateways in front of a plain subgraph whose
 * `held` fields wait for the test to open their gate. No database: the same on SQLite and MySQL.
 */
const SDL = `${FED2}
type Query { held(gate: String!): String  ping: String }
type Mutation { bump: Int }`;

const METRICS_CREDENTIAL = 'operator-credential-shared-limits-0123456789';

describe('issue L: limits shared by every gateway through Redis', () => {
  const gates = new Gates();
  let bumps = 0;
  let subgraph: Awaited<ReturnType<typeof servePlainSubgraph>>;
  let redis: TestRedis;
  let a: GatewayHandle;
  let b: GatewayHandle;
  let issuer: TokenIssuer;
  let dir: string;
  const lines: string[] = [];
  const token = (subject: string) => issuer.issue({ subject, role: Role.AUDITOR, department: null });

  const post = async (gateway: GatewayHandle, query: string, bearer: string) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      },
    };
  };
  const metricsOf = (gateway: GatewayHandle) => scrape(gateway.url, METRICS_CREDENTIAL);
  const until = eventually;

  beforeAll(async () => {
    subgraph = await servePlainSubgraph(SDL, {
      Query: {
        held: async (_: unknown, { gate }: { gate: string }) => {
          await gates.wait(gate);
          return gate;
        },
        ping: () => 'pong',
      },
      Mutation: { bump: () => ++bumps },
    });
    redis = await startTestRedis();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-limits-'));
    const composed = composeSupergraph([{ name: 'hold', url: subgraph.url, sdl: SDL }]);
    if ('errors' in composed) throw new Error(composed.errors.join('\n'));
    const file = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(file, composed.supergraphSdl);
    const credential = path.join(dir, 'metrics.token');
    fs.writeFileSync(credential, METRICS_CREDENTIAL);
    const keys = await testKeys();
    issuer = keys.issuer;
    const config = loadConfig({
      JOINTCHECK_DATA_DIR: dir,
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_CALLER_CONCURRENCY: '2',
      JOINTCHECK_MUTATIONS_PER_MINUTE: '3',
      JOINTCHECK_REDIS_URL: redis.url,
      JOINTCHECK_REDIS_PREFIX: `test-${process.pid}`,
      JOINTCHECK_METRICS_TOKEN_FILE: credential,
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const start = (name: string) =>
      startGateway({
        supergraph: { kind: 'file', file, pollMs: 60_000 },
        verifier: keys.verifier,
        signer: null,
        host: '127.0.0.1',
        port: 0,
        logger: pino({ level: 'info', base: { service: name } }, sink),
        limits: config.limits,
        webDir: config.webDir,
        operations: config,
      });
    a = await start('gateway-a');
    b = await start('gateway-b');
    await until('shared', async () => valueOf(await metricsOf(a), METRIC.limitStore) === 1);
    await until('shared', async () => valueOf(await metricsOf(b), METRIC.limitStore) === 1);
  });

  afterAll(async () => {
    gates.open('a1', 'b1', 'alone-1', 'alone-2');
    await a?.stop();
    await b?.stop();
    await subgraph?.stop();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    "H2: a caller's operations in flight are counted across both gateways: a third, at either, is refused " +
      'while another caller is served; once answered, the caller is served again',
    async () => {
      const flooder = await token('shared-flooder');
      const first = post(a, '{ held(gate: "a1") }', flooder);
      const second = post(b, '{ held(gate: "b1") }', flooder);
      await Promise.all([gates.arrived('a1'), gates.arrived('b1')]);
      for (const gateway of [a, b]) {
        const refused = await post(gateway, '{ ping }', flooder);
        expect(refused.status).toBe(429);
        expect(refused.body.errors?.[0]?.extensions).toMatchObject({
          code: 'RATE_LIMITED',
          limit: 'concurrency',
          inFlight: 2,
          budget: 2,
        });
        expect(refused.body.errors?.[0]?.message).toContain("at the hub's gateways together (2)");
      }
      expect((await post(a, '{ ping }', await token('someone-else'))).body.data).toEqual({ ping: 'pong' });
      gates.open('a1', 'b1');
      expect((await first).body.data).toEqual({ held: 'a1' });
      expect((await second).body.data).toEqual({ held: 'b1' });
      expect((await post(b, '{ ping }', flooder)).body.data).toEqual({ ping: 'pong' });
    },
  );

  it('H2: the mutation limit per caller is one count across both gateways', async () => {
    const caller = await token('shared-mutator');
    const before = bumps;
    for (const gateway of [a, b, a])
      expect((await post(gateway, 'mutation { bump }', caller)).body.errors).toBeUndefined();
    const fourth = await post(b, 'mutation { bump }', caller);
    expect(fourth.status).toBe(429);
    expect(fourth.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(bumps - before).toBe(3);
  });

  it('a slot of a gateway that stops renewing it (killed mid-operation) is freed when its lease runs out', async () => {
    const store = new SharedStore(
      { url: redis.url, prefix: `test-${process.pid}-lease` },
      'gateway',
      createLogger('silent', 'test'),
    );
    await until('connected', () => store.connected);
    const dying = new RedisLedger(store, createLogger('silent', 'test'), 600);
    const other = new RedisLedger(store, createLogger('silent', 'test'), 600);
    const budget = { callerConcurrency: 1, callerCost: 1000 };
    try {
      expect((await dying.take('sub:x', 1, budget)).taken).toBe(true);
      await dying.close(); // its renewals stop, as when the process is killed; the slot is never given back
      expect(await other.take('sub:x', 1, budget)).toMatchObject({ taken: false, limit: 'concurrency' });
      // Renewed, a slot outlives many leases: the other ledger's own slot is still held after 3 of them.
      await new Promise((resolve) => setTimeout(resolve, 700));
      const kept = await other.take('sub:x', 1, budget);
      expect(kept.taken).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1800));
      expect(await dying.take('sub:x', 1, budget)).toMatchObject({ taken: false, limit: 'concurrency' });
      if (kept.taken) kept.slot.give();
      await until('given back', async () => (await other.take('sub:x', 1, budget)).taken);
    } finally {
      await other.close();
      await store.close();
    }
  }, 20_000);

  it(
    'with Redis gone each gateway counts alone (logged, and in its metrics), never without limits; shared again ' +
      'once Redis is back',
    async () => {
      await redis.stop();
      await until('alone', async () => valueOf(await metricsOf(a), METRIC.limitStore) === 0);
      expect(lines.some((l) => l.includes('cannot be reached') && l.includes('"level":40'))).toBe(true);
      // The mutation limit still holds, per gateway.
      const caller = await token('mutator-while-redis-is-away');
      for (let i = 0; i < 3; i++) expect((await post(a, 'mutation { bump }', caller)).body.errors).toBeUndefined();
      expect((await post(a, 'mutation { bump }', caller)).status).toBe(429);
      expect((await post(b, 'mutation { bump }', caller)).body.errors).toBeUndefined(); // b counts its own
      // And the budget, per gateway.
      const flooder = await token('flooder-while-redis-is-away');
      const held = [post(a, '{ held(gate: "alone-1") }', flooder), post(a, '{ held(gate: "alone-2") }', flooder)];
      await Promise.all([gates.arrived('alone-1'), gates.arrived('alone-2')]);
      const refused = await post(a, '{ ping }', flooder);
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.message).toContain('at this gateway (2)');
      gates.open('alone-1', 'alone-2');
      await Promise.all(held);
      const metrics = await metricsOf(a);
      expect(valueOf(metrics, METRIC.limitStoreFallbacks, { limit: 'mutations' })).toBeGreaterThanOrEqual(4);
      expect(valueOf(metrics, METRIC.limitStoreFallbacks, { limit: 'budget' })).toBeGreaterThanOrEqual(3);

      await redis.start();
      await until('shared again', async () => valueOf(await metricsOf(a), METRIC.limitStore) === 1);
      await until('shared again', async () => valueOf(await metricsOf(b), METRIC.limitStore) === 1);
      expect(lines.some((l) => l.includes('Redis is back'))).toBe(true);
      const again = await token('mutator-after-redis-is-back');
      for (const gateway of [a, b, a])
        expect((await post(gateway, 'mutation { bump }', again)).body.errors).toBeUndefined();
      expect((await post(b, 'mutation { bump }', again)).status).toBe(429);
    },
    30_000,
  );
});
