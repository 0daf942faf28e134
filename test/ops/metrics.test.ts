import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { MAX_OPERATION_LABELS, METRIC, ServiceMetrics } from '../../kernel/metrics';
import { startDepartment } from '../../subgraphs/department-kernel/run';
import { tax } from '../../subgraphs/tax';
import { OutboxRow, SubmissionRow } from '../../subgraphs/joint/visits/entities';
import { describeWithHub, type TestHub } from '../support/hub';
import { parseMetrics, scrape, valueOf, type Sample } from '../support/metrics';
import { parse } from 'yaml';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit,
  teamVisits,
  testClock,
} from '../joint/fixtures';

const time = testClock('2026-03-02T02:00:00Z');
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-metrics-'));
const CREDENTIAL = 'operator-credential-of-this-test-0123456789';
const credentialFile = path.join(folder, 'metrics.token');
fs.writeFileSync(credentialFile, `${CREDENTIAL}\n`);
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const metricsUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');

describe('operation labels', () => {
  it('names past the first 200, and names that are not GraphQL names, are counted as other', () => {
    const metrics = new ServiceMetrics('test');
    expect(metrics.operationLabel(null)).toBe('anonymous');
    expect(metrics.operationLabel('Ok_1')).toBe('Ok_1');
    expect(metrics.operationLabel('not a name')).toBe('other');
    expect(metrics.operationLabel('x'.repeat(65))).toBe('other');
    for (let i = 1; i < MAX_OPERATION_LABELS; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
    expect(metrics.operationLabel('OneTooMany')).toBe('other');
    expect(metrics.operationLabel('Ok_1')).toBe('Ok_1'); // one seen before keeps its name
    expect(metrics.codeLabel('FORBIDDEN')).toBe('FORBIDDEN');
    expect(metrics.codeLabel('SOMETHING_A_SUBGRAPH_MADE_UP')).toBe('OTHER');
  });
});

describeWithHub(
  'metrics at /metrics of the gateway and every service',
  (hub) => {
    const services = (h: TestHub) => [
      { name: 'gateway', url: h.gateway.url },
      ...h.departments.map((d) => ({ name: d.name, url: d.url })),
      { name: 'joint', url: h.joint.url },
      { name: 'registry', url: h.registry.url },
    ];
    const read = (url: string) => scrape(url, CREDENTIAL);

    it('are refused without the operator credential (a coded answer); given it, every service answers', async () => {
      for (const { name, url } of services(hub())) {
        const none = await fetch(metricsUrl(url));
        expect([name, none.status]).toEqual([name, 401]);
        expect(none.headers.get('www-authenticate')).toContain('Bearer');
        expect(
          ((await none.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code,
        ).toBe('UNAUTHENTICATED');
        // A hub token is not the operator's credential, whoever holds it.
        const admin = await fetch(metricsUrl(url), {
          headers: { authorization: `Bearer ${await hub().token(Role.HUB_ADMIN)}` },
        });
        expect([name, admin.status]).toEqual([name, 401]);
        const samples = await read(url);
        expect([name, samples.some((s) => s.name === 'process_cpu_user_seconds_total')]).toEqual([name, true]);
        expect([name, samples.find((s) => s.name === METRIC.dbPoolLimit)?.labels.service ?? name]).toEqual([
          name,
          name,
        ]);
      }
    });

    it('a service without an operator credential refuses /metrics to everyone, saying how to set one', async () => {
      const alone = await startDepartment(
        tax,
        { ...hub().config, metrics: { tokenFile: path.join(folder, 'none-here') } },
        { verifier: hub().verifier, logger: createLogger('silent', 'tax'), port: 0 },
      );
      try {
        const answer = await fetch(metricsUrl(alone.url), { headers: { authorization: `Bearer ${CREDENTIAL}` } });
        expect(answer.status).toBe(403);
        const body = (await answer.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
        expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
        expect(body.errors[0]!.message).toContain('JOINTCHECK_METRICS_TOKEN_FILE');
      } finally {
        await alone.stop();
      }
    });

    it('count operations by name, errors by code, refusals by HTTP status and the calls to each subgraph', async () => {
      const before = await read(hub().gateway.url);
      const marketBefore = await read(hub().departments.find((d) => d.name === 'market')!.url);
      const token = await hub().token(Role.COORDINATOR, 'market');
      for (let i = 0; i < 3; i++) {
        const r = await hub().query('query MetricsProbe { market { targets(first: 2) { nodes { id } } } }', { token });
        expect(r.errors).toBeUndefined();
      }
      // An inspector may not create plans: FORBIDDEN, counted by its code.
      const refused = await hub().query('mutation MetricsRefused { jointCreatePlan(input: {}) { id } }', {
        token: await hub().token(Role.INSPECTOR, 'market', 'market-i0001'),
      });
      expect(refused.errors?.length).toBeGreaterThan(0);
      const badToken = await fetch(hub().gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(badToken.status).toBe(401);

      const after = await read(hub().gateway.url);
      const marketAfter = await read(hub().departments.find((d) => d.name === 'market')!.url);
      const grew = (samples: [Sample[], Sample[]], name: string, labels: Record<string, string>) =>
        valueOf(samples[1], name, labels) - valueOf(samples[0], name, labels);
      const gateway: [Sample[], Sample[]] = [before, after];
      expect(grew(gateway, METRIC.requests, { operation: 'MetricsProbe', type: 'query', service: 'gateway' })).toBe(3);
      expect(grew(gateway, `${METRIC.duration}_count`, { operation: 'MetricsProbe' })).toBe(3);
      expect(grew(gateway, METRIC.subgraphRequests, { subgraph: 'market', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
      expect(grew(gateway, `${METRIC.subgraphDuration}_count`, { subgraph: 'market' })).toBeGreaterThanOrEqual(3);
      const codes = refused.errors!.map((e) => String(e.extensions?.code));
      for (const code of new Set(codes)) expect(grew(gateway, METRIC.errors, { code })).toBeGreaterThanOrEqual(1);
      expect(grew(gateway, METRIC.httpResponses, { route: '/graphql', status: '401' })).toBe(1);
      expect(grew(gateway, METRIC.httpResponses, { route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(3);
      // The department counts what the gateway sent it, by the gateway's operation (anonymous there).
      expect(grew([marketBefore, marketAfter], METRIC.requests, { service: 'market' })).toBeGreaterThanOrEqual(3);
    });

    it("the registry's version and each subgraph's health, and the version each gateway serves", async () => {
      await hub().registry.health.checkNow();
      const registry = await read(hub().registry.url);
      const head = await hub().registry.service.head();
      expect(head).toBeGreaterThan(0);
      expect(valueOf(registry, METRIC.registryVersion)).toBe(head);
      for (const d of hub().departments)
        expect([d.name, valueOf(registry, METRIC.subgraphStatus, { subgraph: d.name, status: 'UP' })]).toEqual([
          d.name,
          1,
        ]);
      expect(valueOf(await read(hub().gateway.url), METRIC.supergraphServed)).toBe(
        hub().gateway.supergraph.current!.number,
      );
    });

    it(
      'R24: the outbox waiting per department and the age of its oldest entry; deliveries by outcome; draw and ' +
        'snapshot times',
      async () => {
        const task = await runTaskTo(hub(), time, await publishedPlan(hub(), jointPlanInput()), 'LOCKED');
        await drawAllInspectors(hub(), task, ['market', 'tax', 'fire']);
        const visits = await teamVisits(hub(), task, 2);
        const ids: string[] = [];
        for (const visit of visits) {
          const submitted = await submitVisit(hub(), task, visit);
          expect(submitted.errors).toBeUndefined();
          ids.push(submitted.data!.jointSubmitVisitResults.id);
        }
        await deliverEverything(hub().joint.deliverer);
        let joint = await read(hub().joint.url);
        expect(valueOf(joint, `${METRIC.drawDuration}_count`)).toBeGreaterThanOrEqual(1);
        expect(valueOf(joint, `${METRIC.snapshotDuration}_count`)).toBeGreaterThanOrEqual(1);
        expect(valueOf(joint, `${METRIC.drawDuration}_sum`)).toBeGreaterThan(0);
        expect(
          valueOf(joint, METRIC.deliveries, { department: 'market', outcome: 'delivered' }),
        ).toBeGreaterThanOrEqual(2);
        expect(joint.filter((s) => s.name === METRIC.outboxPending)).toEqual([]);

        // Held back (a department away, its next attempt later): the entries wait, and the oldest one's age shows it.
        const manager = hub().joint.database.dataSource.manager;
        const hours = [1, 2];
        for (const [i, id] of ids.entries()) {
          await manager.update(
            SubmissionRow,
            { id },
            { submittedAt: new Date(time.clock().getTime() - hours[i]! * 3_600_000) },
          );
          await manager.update(
            OutboxRow,
            { submissionId: id, department: 'market' },
            { status: 'PENDING', nextAttemptAt: new Date(Date.now() + 3_600_000), leaseUntil: null },
          );
        }
        try {
          joint = await read(hub().joint.url);
          expect(
            joint.filter((s) => s.name === METRIC.outboxPending).map((s) => [s.labels.department, s.value]),
          ).toEqual([['market', 2]]);
          const age = valueOf(joint, METRIC.outboxOldestAge, { department: 'market' });
          expect(age).toBeGreaterThanOrEqual(7200);
          expect(age).toBeLessThan(7300);
        } finally {
          await manager.update(OutboxRow, { department: 'market', status: 'PENDING' }, { status: 'DELIVERED' });
        }
      },
      120_000,
    );

    it("H1, R25: a year today's deadlines reach without its holiday notice is 1, and none in June", async () => {
      time.set('2026-06-01T02:00:00Z');
      expect((await read(hub().joint.url)).filter((s) => s.name === METRIC.calendarProvisional)).toEqual([]);
      time.set('2026-12-31T02:00:00Z');
      const december = await read(hub().joint.url);
      expect(valueOf(december, METRIC.calendarProvisional, { year: '2027' })).toBe(1);
      time.set('2027-01-02T02:00:00Z');
      expect(valueOf(await read(hub().joint.url), METRIC.calendarProvisional, { year: '2027' })).toBe(1);
    });

    it(
      'ops/: every series the Grafana dashboard and the Prometheus alerts use is one the services expose, with ' +
        'the labels they select by',
      async () => {
        const exposed = new Map<string, Set<string>>(); // name → labels seen on its samples
        const declared = new Set<string>();
        for (const { url } of services(hub())) {
          const text = await (
            await fetch(metricsUrl(url), { headers: { authorization: `Bearer ${CREDENTIAL}` } })
          ).text();
          for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
            declared.add(m[1]!);
            if (m[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) declared.add(m[1]! + suffix);
          }
          for (const sample of parseMetrics(text)) {
            const labels = exposed.get(sample.name) ?? new Set<string>();
            for (const l of Object.keys(sample.labels)) labels.add(l);
            exposed.set(sample.name, labels);
          }
        }
        const ops = path.join(__dirname, '..', '..', 'ops');
        const dashboard = JSON.parse(fs.readFileSync(path.join(ops, 'grafana-dashboard.json'), 'utf8')) as {
          panels: Array<{ targets: Array<{ expr: string }> }>;
        };
        const alerts = parse(fs.readFileSync(path.join(ops, 'prometheus-alerts.yml'), 'utf8')) as {
          groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
        };
        const expressions = [
          ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
          ...alerts.groups.flatMap((g) => g.rules.map((r) => r.expr)),
        ];
        expect(expressions.length).toBeGreaterThan(20);
        const used = new Set<string>();
        for (const expr of expressions) {
          for (const m of expr.matchAll(/\b((?:jointcheck|process|nodejs)_[a-z0-9_]+)(\{[^}]*\})?/g)) {
            const name = m[1]!;
            used.add(name);
            expect([expr, name, declared.has(name)]).toEqual([expr, name, true]);
            // The labels a selector names are on the series (when it has samples yet).
            const seen = exposed.get(name);
            for (const l of [...(m[2] ?? '').matchAll(/([a-z_]+)\s*(?:=~|!=|=)/g)].map((x) => x[1]!))
              if (seen) expect([name, l, seen.has(l)]).toEqual([name, l, true]);
          }
        }
        // Every series of the hub's own is on the dashboard or in an alert.
        for (const name of Object.values(METRIC)) {
          const shown = [...used].some((u) => u === name || u.startsWith(`${name}_`));
          expect([name, shown]).toEqual([name, true]);
        }
      },
    );

    it('database pools: SQLite one connection, MySQL the configured pool', async () => {
      const joint = await read(hub().joint.url);
      const limit = valueOf(joint, METRIC.dbPoolLimit);
      expect(limit).toBe(hub().config.db.kind === 'sqlite' ? 1 : 10);
      const states = joint.filter((s) => s.name === METRIC.dbPool).map((s) => s.labels.state);
      expect(states.sort()).toEqual(['idle', 'in_use', 'waiting']);
    });
  },
  400,
  time.clock,
  {
    env: {
      JOINTCHECK_METRICS_TOKEN_FILE: credentialFile,
      // The machine's Redis (its limit series are exposed only where one is configured); keys of this run only.
      JOINTCHECK_REDIS_URL: 'redis://127.0.0.1:6379/0',
      JOINTCHECK_REDIS_PREFIX: `metrics-test-${process.pid}`,
    },
  },
);
