import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '../../kernel/identity';
import { OutboxRow } from '../../subgraphs/joint/visits/entities';
import { HUB_SERVICES, startTestHub, type TestHub } from '../support/hub';
import { testDatabases } from '../support/databases';
import {
  type TeamVisit,
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  noProblemResults,
  publishedPlan,
  runTaskTo,
  teamVisits,
  testClock,
} from '../joint/fixtures';

/** A span as an OTLP/HTTP JSON export carries it, with the service that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  links: Array<{ traceId: string; spanId: string }>;
}

/**
 * A real OTLP/HTTP receiver (what an OpenTelemetry collector listens with on :4318): it takes
 * the JSON the services' exporters post to /v1/traces and keeps the spans.
 */
async function otlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; stop(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url !== '/v1/traces' || req.method !== 'POST') return void res.writeHead(404).end();
      const exported = JSON.parse(body) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: Array<Omit<ReceivedSpan, 'service'>> }>;
        }>;
      };
      for (const r of exported.resourceSpans) {
        const service = r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const s of r.scopeSpans)
          for (const span of s.spans) spans.push({ ...span, links: span.links ?? [], service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const time = testClock('2026-03-02T02:00:00Z');

describe.each(testDatabases())('issue L: one submission is one trace across processes ($label)', (database) => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let hub: TestHub | undefined;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    hub = await startTestHub(database, 400, time.clock, { env: { JOINTCHECK_OTLP_ENDPOINT: receiver.url } });
  });

  afterAll(async () => {
    await hub?.stop();
    await database.drop(HUB_SERVICES);
    await receiver?.stop();
  });

  /** Submits a visit through the gateway as its market inspector, the request carrying a trace of the caller's own. */
  async function submitTraced(h: TestHub, task: string, visit: TeamVisit) {
    const member = visit.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'market')!;
    // The caller starts the trace (a phone's app, a test): W3C traceparent, version 00, sampled.
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const response = await fetch(h.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await h.token(Role.INSPECTOR, 'market', member.personId)}`,
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      body: JSON.stringify({
        query: 'mutation Submit($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
        variables: {
          input: {
            taskId: task,
            targetKey: visit.key,
            inspectedOn: '2026-03-04',
            results: noProblemResults(visit),
          },
        },
      }),
    });
    const body = (await response.json()) as { data?: { jointSubmitVisitResults: { id: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const submission = body.data!.jointSubmitVisitResults.id;
    // The entries keep the submission's trace for their delivery.
    const entries = await h.joint.database.dataSource.manager.findBy(OutboxRow, { submissionId: submission });
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(e.traceParent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    return { traceId, callerSpan, departments: entries.map((e) => e.department).sort() };
  }

  /** The spans of one trace, and the one span of a service with a name (fails on none or several). */
  function traceOf(traceId: string) {
    const spans = receiver.spans.filter((s) => s.traceId === traceId);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const find = (service: string, name: string | RegExp) =>
      spans.filter((s) => s.service === service && (typeof name === 'string' ? s.name === name : name.test(s.name)));
    const one = (service: string, name: string | RegExp) => {
      const found = find(service, name);
      expect([service, String(name), found.length]).toEqual([service, String(name), 1]);
      return found[0]!;
    };
    return { spans, byId, find, one };
  }

  it(
    "R24: the caller's traceparent, the gateway, the joint service, the outbox entry's later delivery and the " +
      "department's RecordResults are one trace, each span the child of the one before; a batch links the others",
    async () => {
      const h = hub!;
      const task = await runTaskTo(h, time, await publishedPlan(h, jointPlanInput()), 'LOCKED');
      await drawAllInspectors(h, task, ['market', 'tax', 'fire']);
      const visits = await teamVisits(h, task, 3);
      const alone = await submitTraced(h, task, visits[0]!);
      await deliverEverything(h.joint.deliverer);
      // Two more submitted while no round runs: one round delivers both, each department's share in one call.
      await h.joint.deliverer.stop();
      const batched = [await submitTraced(h, task, visits[1]!), await submitTraced(h, task, visits[2]!)];
      await deliverEverything(h.joint.deliverer);

      // Stopping flushes every service's spans to the receiver.
      await h.stop();
      hub = undefined;
      const chain = (submitted: Awaited<ReturnType<typeof submitTraced>>) => {
        const t = traceOf(submitted.traceId);
        const gateway = t.one('jointcheck-gateway', 'mutation Submit');
        expect(gateway.parentSpanId).toBe(submitted.callerSpan);
        const call = t.one('jointcheck-gateway', 'subgraph joint');
        expect(call.parentSpanId).toBe(gateway.spanId);
        // The gateway names what it sends each subgraph after the caller's operation.
        const joint = t.one('jointcheck-joint', /^mutation Submit__joint__/);
        expect(joint.parentSpanId).toBe(call.spanId);
        // Nothing of another trace hangs off these spans: every span of the trace has its parent in it, but the first.
        for (const s of t.spans)
          if (s !== gateway) expect([s.name, t.byId.has(s.parentSpanId)]).toEqual([s.name, true]);
        return { ...t, joint };
      };

      const first = chain(alone);
      for (const department of alone.departments) {
        const delivery = first.one('jointcheck-joint', `deliver to ${department}`);
        expect([department, delivery.parentSpanId]).toEqual([department, first.joint.spanId]);
        const recorded = first.one(`jointcheck-${department}`, /RecordResults/);
        expect([department, recorded.parentSpanId]).toEqual([department, delivery.spanId]);
      }

      const [a, b] = batched.map(chain);
      for (const department of batched[0]!.departments.filter((d) => batched[1]!.departments.includes(d))) {
        // The call is in one submission's trace; the other submission's trace has a span linking it.
        const [carrier, linked] = a!.find('jointcheck-joint', `deliver to ${department}`).length ? [a!, b!] : [b!, a!];
        const call = carrier.one('jointcheck-joint', `deliver to ${department}`);
        expect(call.parentSpanId).toBe(carrier.joint.spanId);
        expect(carrier.one(`jointcheck-${department}`, /RecordResults/).parentSpanId).toBe(call.spanId);
        expect(linked.find(`jointcheck-${department}`, /RecordResults/)).toEqual([]);
        const share = linked.one('jointcheck-joint', `deliver to ${department} (in a batch)`);
        expect(share.parentSpanId).toBe(linked.joint.spanId);
        expect(share.links.map((l) => l.spanId)).toEqual([call.spanId]);
        expect(call.links.map((l) => [l.traceId, l.spanId])).toEqual([[linked.joint.traceId, linked.joint.spanId]]);
      }
    },
    120_000,
  );
});
