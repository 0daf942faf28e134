import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { spawnService, type ServiceProcess } from '../../bench/processes';
import { loadConfig } from '../../kernel/config';
import { generateHubKeys, Role, TokenIssuer, TokenVerifier } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { METRIC } from '../../kernel/metrics';
import { hubRegistration } from '../../subgraphs';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { fire } from '../../subgraphs/fire';
import { JOINT_SERVICE, startJoint } from '../../subgraphs/joint';
import { market } from '../../subgraphs/market';
import { REGISTRY_SERVICE, startRegistry, type RunningRegistry } from '../../subgraphs/registry';
import { tax } from '../../subgraphs/tax';
import { testDatabases } from '../support/databases';
import { postGraphQL, TEST_SETTINGS, type TestHub } from '../support/hub';
import { scrape, valueOf } from '../support/metrics';
import { eventually } from '../support/eventually';
import { startTestRedis, type TestRedis } from '../support/redis';
import { roundRobin } from '../support/round-robin';
import { freePort } from '../support/ports';
import {
  drawAllInspectors,
  jointPlanInput,
  noProblemResults,
  publishedPlan,
  runTaskTo,
  teamVisits,
  testClock,
  type TeamVisit,
} from '../joint/fixtures';

/**
 * Issue L: a province runs several gateways and more than one joint service on one MySQL and one
 * Redis. Here: two gateways and two joint services, each a process of its own (as deployed), the
 * joint services behind a round-robin proxy, the registry and three departments in this process.
 * Limits are counted across both gateways; a supergraph switch is seen by both; every result is
 * delivered once with both joint services delivering; one gateway and one joint service are killed
 * (SIGKILL) mid-run and nothing is lost. MySQL only: that is what several processes share.
 */
const database = testDatabases().find((d) => d.label === 'mysql');
const DEPARTMENTS = [market, tax, fire];
const CODES = DEPARTMENTS.map((d) => d.definition.code);
const METRICS_CREDENTIAL = 'operator-credential-two-of-each-0123456789';
const LEASE_MS = 4000;
const MUTATIONS_PER_MINUTE = 60;

const time = testClock('2026-03-02T02:00:00Z');

(database ? describe : describe.skip)('issue L: two gateways and two joint services on one MySQL and one Redis', () => {
  const db = database!;
  let dir: string;
  let redis: TestRedis;
  let issuer: TokenIssuer;
  let verifier: TokenVerifier;
  let registry: RunningRegistry;
  const departments: RunningDepartment[] = [];
  const gateways: ServiceProcess[] = [];
  const joints: ServiceProcess[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobin>>;
  let env: Record<string, string>;
  let task: string;
  let visits: TeamVisit[];

  const token = (role: Role, department: string | null, subject: string) => issuer.issue({ subject, role, department });
  const metricsOf = (url: string) => scrape(url, METRICS_CREDENTIAL);
  const until = (what: string, check: () => Promise<boolean>, ms = 30_000) => eventually(what, check, ms);
  const servedVersion = async (gateway: ServiceProcess) =>
    (
      (await (await fetch(gateway.url.replace(/\/graphql$/, '/health'))).json()) as {
        supergraph?: { version?: number };
      }
    ).supergraph?.version;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-of-each-'));
    const keys = await generateHubKeys('two');
    fs.mkdirSync(path.join(dir, 'keys'));
    const file = (name: string, value: unknown) => {
      const at = path.join(dir, 'keys', name);
      fs.writeFileSync(at, JSON.stringify(value));
      return at;
    };
    const credential = path.join(dir, 'keys', 'metrics.token');
    fs.writeFileSync(credential, METRICS_CREDENTIAL);
    redis = await startTestRedis();
    env = {
      ...db.env,
      JOINTCHECK_JWT_PUBLIC_KEYS: file('jwks.json', keys.jwks),
      JOINTCHECK_JWT_PRIVATE_KEY: file('private.jwk.json', keys.hub.privateJwk),
      JOINTCHECK_GATEWAY_PRIVATE_KEY: file('gateway.jwk.json', keys.gateway.privateJwk),
      JOINTCHECK_JWT_ISSUER: TEST_SETTINGS.issuer,
      JOINTCHECK_JWT_AUDIENCE: TEST_SETTINGS.audience,
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_DEMO_TARGETS: '400',
      JOINTCHECK_DEMO_SEED: 'two-of-each',
      JOINTCHECK_REDIS_URL: redis.url,
      JOINTCHECK_REDIS_PREFIX: `two-of-each-${process.pid}`,
      JOINTCHECK_METRICS_TOKEN_FILE: credential,
      JOINTCHECK_OUTBOX_LEASE_MS: String(LEASE_MS),
      JOINTCHECK_SUPERGRAPH_POLL_MS: '200',
      JOINTCHECK_MUTATIONS_PER_MINUTE: String(MUTATIONS_PER_MINUTE),
      JOINTCHECK_HEALTH_INTERVAL_MS: '3600000',
    };
    const config = loadConfig({ ...env, JOINTCHECK_PORT: '0' });
    issuer = await TokenIssuer.fromJwk(keys.hub.privateJwk, TEST_SETTINGS);
    verifier = new TokenVerifier(keys.jwks, TEST_SETTINGS);
    const logger = createLogger('silent', 'test');
    registry = await startRegistry(config, { verifier, logger, port: 0 });
    for (const module of DEPARTMENTS)
      departments.push(await startDepartment(module, config, { verifier, logger, port: 0 }));

    // The work before the visits happens on a clock of the test's own (the witness is published on a day it chooses):
    // a joint service in this process, on the joint database the two processes will share.
    const before = await startJoint(config, {
      verifier,
      issuer,
      logger,
      port: 0,
      departments: () => registry.departments(),
      clock: time.clock,
      deliveryIntervalMs: 3_600_000,
    });
    await registry.bootstrap([
      ...departments.map((d) => hubRegistration(d.name, d.url)),
      hubRegistration(JOINT_SERVICE, before.url),
      hubRegistration(REGISTRY_SERVICE, registry.url),
    ]);
    // The fixtures speak to a gateway; the joint service answers them alike, with tokens for it.
    const direct = {
      token: (role: Role, department: string | null = null, subject = `test-${role.toLowerCase()}`) =>
        issuer.issueFor(JOINT_SERVICE, { subject, role, department }),
      query: (query: string, options: { variables?: Record<string, unknown>; token?: string } = {}) =>
        postGraphQL(before.url, query, options.variables, options.token),
    } as unknown as TestHub;
    try {
      const plan = await publishedPlan(
        direct,
        jointPlanInput({ ratios: { high: 40, elevated: 20, general: 10, low: 10 } }),
      );
      task = await runTaskTo(direct, time, plan, 'LOCKED');
      await drawAllInspectors(direct, task, CODES);
      visits = await teamVisits(direct, task, 1000);
    } finally {
      await before.stop();
    }
    expect(visits.length).toBeGreaterThanOrEqual(20);

    // The two joint services (the first migrates the database; the second finds it done) and the proxy before them.
    for (const name of ['joint-1', 'joint-2']) {
      const port = await freePort();
      joints.push(
        await spawnService(
          name,
          '../subgraphs/joint/main.ts',
          [],
          { ...env, JOINTCHECK_PORT: String(port), JOINTCHECK_REGISTRY_URL: registry.url },
          undefined,
          `http://127.0.0.1:${port}/graphql`,
        ),
      );
    }
    proxy = await roundRobin(joints.map((j) => j.url.replace(/\/graphql$/, '')));
    for (const name of ['gateway-1', 'gateway-2']) {
      const port = await freePort();
      gateways.push(
        await spawnService(
          name,
          '../gateway/main.ts',
          [],
          { ...env, JOINTCHECK_PORT: String(port) },
          undefined,
          `http://127.0.0.1:${port}/graphql`,
        ),
      );
    }
  }, 240_000);

  afterAll(async () => {
    for (const p of [...gateways, ...joints]) await p.stop().catch(() => undefined);
    await proxy?.stop();
    for (const d of departments) await d.stop();
    await registry?.stop();
    await redis?.stop();
    await db.drop([...CODES, JOINT_SERVICE, REGISTRY_SERVICE]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a supergraph switch is seen by both gateways: the joint service moves behind the proxy', async () => {
    const head = await registry.service.head();
    for (const g of gateways) await until(`${g.name} serving ${head}`, async () => (await servedVersion(g)) === head);
    await registry.bootstrap([
      ...departments.map((d) => hubRegistration(d.name, d.url)),
      hubRegistration(JOINT_SERVICE, `${proxy.url}/graphql`),
      hubRegistration(REGISTRY_SERVICE, registry.url),
    ]);
    const next = await registry.service.head();
    expect(next).toBe(head + 1);
    for (const g of gateways) await until(`${g.name} serving ${next}`, async () => (await servedVersion(g)) === next);
    for (const g of gateways)
      expect([g.name, valueOf(await metricsOf(g.url), METRIC.supergraphServed)]).toEqual([g.name, next]);
    // The joint services learn the departments from the registry (every 5 s): both answer through either gateway.
    const auditor = await token(Role.AUDITOR, null, 'two-of-each-auditor');
    for (const g of gateways)
      await until(`${g.name} reading the task`, async () => {
        const r = await postGraphQL<{ jointTask: { status: string } }>(
          g.url,
          `{ jointTask(id: "${task}") { status } }`,
          {},
          auditor,
        );
        return r.data?.jointTask.status === 'LOCKED';
      });
  }, 60_000);

  it("H2: one caller's mutations are counted across both gateways: over the limit at either, refused", async () => {
    const probe = await token(Role.INSPECTOR, 'market', 'limit-probe');
    // Refused by the joint service (not this inspector's task), but counted when resolved, as every mutation is.
    const mutation = `mutation { jointLockTask(taskId: "${randomUUID()}") { id } }`;
    for (let i = 0; i < MUTATIONS_PER_MINUTE; i++) {
      const r = await postGraphQL(gateways[i % 2]!.url, mutation, {}, probe);
      expect([i, r.errors?.[0]?.extensions?.code]).not.toEqual([i, 'RATE_LIMITED']);
    }
    for (const g of gateways) {
      const r = await postGraphQL(g.url, mutation, {}, probe);
      expect([g.name, r.errors?.[0]?.extensions?.code]).toEqual([g.name, 'RATE_LIMITED']);
    }
  });

  it(
    'R24: every result is delivered once with both joint services delivering; a gateway and a joint service ' +
      'killed mid-run lose nothing',
    async () => {
      const submitted = new Map<string, string>(); // visit key → submission id
      const alive = new Set(gateways);
      let sent = 0;
      const submit = async (visit: TeamVisit) => {
        const member = visit.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'market')!;
        const bearer = await token(Role.INSPECTOR, 'market', member.personId);
        const input = {
          taskId: task,
          targetKey: visit.key,
          inspectedOn: '2026-03-04',
          // The phone's key: sent again with it, a submission is stored once (R24).
          idempotencyKey: `two-of-each-${visit.key}`,
          results: noProblemResults(visit),
        };
        for (let attempt = 0; ; attempt++) {
          const all = [...alive];
          const gateway = all[(sent++ + attempt) % all.length]!;
          try {
            const r = await postGraphQL<{ jointSubmitVisitResults: { id: string } }>(
              gateway.url,
              'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
              { input },
              bearer,
            );
            if (r.data?.jointSubmitVisitResults) {
              submitted.set(visit.key, r.data.jointSubmitVisitResults.id);
              return;
            }
            // A joint service killed under the request: the gateway says the subgraph failed; sent again.
            const code = r.errors?.[0]?.extensions?.code;
            if (code !== 'DOWNSTREAM_SERVICE_ERROR' && code !== 'UNAVAILABLE')
              throw new Error(JSON.stringify(r.errors));
          } catch (error) {
            // A gateway killed under the request: the connection is gone; sent again through another.
            if (!(error instanceof TypeError) && !/fetch failed|ECONNRESET|socket/.test(String(error))) throw error;
          }
          if (attempt > 20) throw new Error(`visit ${visit.key} could not be submitted`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      const third = Math.floor(visits.length / 3);
      // A first third, four at a time, through both gateways and so both joint services.
      const inBatches = async (list: TeamVisit[]) => {
        for (let i = 0; i < list.length; i += 4) await Promise.all(list.slice(i, i + 4).map(submit));
      };
      await inBatches(visits.slice(0, third));
      // Both joint services have delivered some results by now.
      for (const j of joints)
        await until(
          `${j.name} delivering`,
          async () => valueOf(await metricsOf(j.url), METRIC.deliveries, { outcome: 'delivered' }) > 0,
        );
      // The rest, while the second gateway and the second joint service are killed.
      const rest = inBatches(visits.slice(third));
      await new Promise((resolve) => setTimeout(resolve, 150));
      process.kill(gateways[1]!.pid, 'SIGKILL');
      process.kill(joints[1]!.pid, 'SIGKILL');
      alive.delete(gateways[1]!);
      await rest;
      expect(submitted.size).toBe(visits.length);

      // Every outbox entry delivered, within the lease of the killed joint service.
      const connection = await mysql.createConnection(db.db.kind === 'mysql' ? db.db.url : '');
      try {
        const jointDb = `${db.db.prefix}${JOINT_SERVICE}`;
        await until(
          'every entry delivered',
          async () => {
            const [rows] = await connection.query(
              `SELECT COUNT(*) AS n FROM \`${jointDb}\`.outbox WHERE status <> 'DELIVERED'`,
            );
            return Number((rows as Array<{ n: number }>)[0]!.n) === 0;
          },
          LEASE_MS * 5 + 20_000,
        );
        const [submissions] = await connection.query(
          `SELECT target_key AS targetKey, COUNT(*) AS n FROM \`${jointDb}\`.submission WHERE task_id = ? GROUP BY target_key`,
          [task],
        );
        // One submission per visit, however often it was sent.
        expect((submissions as Array<{ n: number }>).every((s) => Number(s.n) === 1)).toBe(true);
        expect((submissions as unknown[]).length).toBe(visits.length);
      } finally {
        await connection.end();
      }
      // Each department holds each result once: the keys it stored are exactly those the visits carried.
      for (const department of departments) {
        const expected = visits.flatMap((v) =>
          v.checklist
            .filter((c) => c.department === department.name)
            .map((c) => `${submitted.get(v.key)}:${department.name}:${c.itemCode}`),
        );
        const r = await postGraphQL<Record<string, { results: Array<{ idempotencyKey: string }> }>>(
          department.url,
          `{ ${department.name} { results(taskId: "${task}", first: 1000) { idempotencyKey } } }`,
          {},
          await issuer.issueFor(department.name, { subject: 'auditor', role: Role.AUDITOR, department: null }),
        );
        const stored = r.data![department.name]!.results.map((x) => x.idempotencyKey);
        expect([department.name, stored.length]).toEqual([department.name, expected.length]);
        expect([department.name, [...stored].sort()]).toEqual([department.name, [...expected].sort()]);
      }
    },
    240_000,
  );
});
