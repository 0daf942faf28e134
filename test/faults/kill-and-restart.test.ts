import { startJoint, type RunningJoint } from '../../subgraphs/joint';
import { OutboxRow } from '../../subgraphs/joint/visits/entities';
import { startDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { tax } from '../../subgraphs/tax';
import { describeWithHub, type TestHub } from '../support/hub';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit as submit,
  teamVisits,
  testClock,
  type TeamVisit as Visit,
} from '../joint/fixtures';

const time = testClock('2026-03-02T02:00:00Z');

/** Every result of a task each department holds, counted per visit and item. */
async function resultsPerItem(hub: TestHub, task: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const department of ['market', 'tax', 'fire']) {
    const r = await hub.query<Record<string, { results: Array<{ targetKey: string; itemCode: string }> }>>(
      `{ ${department} { results(taskId: "${task}", first: 1000) { targetKey itemCode } } }`,
      { token: await hub.token(Role.AUDITOR) },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    for (const x of r.data![department]!.results)
      counts.set(
        `${department}:${x.targetKey}:${x.itemCode}`,
        (counts.get(`${department}:${x.targetKey}:${x.itemCode}`) ?? 0) + 1,
      );
  }
  return counts;
}

function expected(visits: readonly Visit[]): Map<string, number> {
  return new Map(
    visits.flatMap((v) => v.checklist.map((c) => [`${c.department}:${v.key}:${c.itemCode}`, 1] as [string, number])),
  );
}

async function restartTax(hub: TestHub, port: number): Promise<void> {
  const index = hub.departments.findIndex((d) => d.name === 'tax');
  hub.departments[index] = await startDepartment(tax, hub.config, {
    verifier: hub.verifier,
    logger: createLogger('silent', 'tax'),
    port,
  });
}

describeWithHub(
  'faults: services killed and restarted, nothing lost',
  (hub) => {
    let task: string;
    let visits: Visit[];

    beforeAll(async () => {
      const planId = await publishedPlan(
        hub(),
        jointPlanInput({ ratios: { high: 30, elevated: 20, general: 10, low: 5 } }),
      );
      task = await runTaskTo(hub(), time, planId, 'LOCKED');
      await drawAllInspectors(hub(), task, ['market', 'tax', 'fire']);
      visits = (await teamVisits(hub(), task)).filter((v) => v.checklist.some((c) => c.department === 'tax') && v.uscc);
      expect(visits.length).toBeGreaterThanOrEqual(16);
    });

    it(
      'R24: a department killed while results are submitted costs only its own data meanwhile; after its ' +
        'restart every result is there exactly once',
      async () => {
        const batch = visits.slice(0, 8);
        const taxPort = hub().departments.find((d) => d.name === 'tax')!.port;
        // Submissions flow; tax is killed after the third.
        const answers = [];
        for (const [i, visit] of batch.entries()) {
          if (i === 3)
            await hub()
              .departments.find((d) => d.name === 'tax')!
              .stop();
          answers.push(await submit(hub(), task, visit));
        }
        for (const a of answers) expect(a.errors).toBeUndefined();
        await deliverEverything(hub().joint.deliverer);
        // Meanwhile the gateway answers the other departments' data, naming the one missing.
        const view = await hub().query<{
          marketEntity: { name: string; tax: unknown; fire: { onRoster: boolean } | null };
        }>(`{ marketEntity(uscc: "${batch[5]!.uscc}") { name tax { onRoster } fire { onRoster } } }`, {
          token: await hub().token(Role.AUDITOR),
        });
        expect(view.data?.marketEntity.name).toBeTruthy();
        expect(view.data?.marketEntity.fire).not.toBeNull();
        expect(view.data?.marketEntity.tax).toBeNull();
        expect(view.errors).toEqual([
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'tax' }),
          }),
        ]);

        await restartTax(hub(), taxPort);
        time.set('2026-03-04T03:00:00Z');
        await deliverEverything(hub().joint.deliverer);
        const counts = await resultsPerItem(hub(), task);
        const want = expected(batch);
        for (const [key, n] of want) expect([key, counts.get(key)]).toEqual([key, n]);
      },
    );

    it(
      'R24: two joint service instances on one database share the outbox: each entry is delivered by exactly ' +
        'one of them',
      async () => {
        const batch = visits.slice(8, 16);
        const taxPort = hub().departments.find((d) => d.name === 'tax')!.port;
        await hub()
          .departments.find((d) => d.name === 'tax')!
          .stop();
        for (const visit of batch) expect((await submit(hub(), task, visit)).errors).toBeUndefined();
        await deliverEverything(hub().joint.deliverer);
        const waiting = (await hub().joint.database.dataSource.manager.find(OutboxRow, {})).filter(
          (o) => o.status !== 'DELIVERED',
        );
        expect(waiting.length).toBe(batch.length);
        expect(waiting.every((o) => o.department === 'tax')).toBe(true);
        await restartTax(hub(), taxPort);
        time.set('2026-03-04T05:00:00Z');
        // A second instance: its own process would have its own connections to the same database.
        const second: RunningJoint = await startJoint(hub().config, {
          verifier: hub().verifier,
          issuer: hub().issuer,
          logger: createLogger('silent', 'joint-2'),
          port: 0,
          departments: () => hub().registry.departments(),
          clock: time.clock,
          deliveryIntervalMs: 3_600_000,
        });
        try {
          let delivered = 0;
          for (;;) {
            const [a, b] = await Promise.all([hub().joint.deliverer.deliverDue(), second.deliverer.deliverDue()]);
            delivered += a + b;
            if (a + b === 0) break;
          }
          // Counted by the deliverers themselves: a share sent twice would count twice.
          expect(delivered).toBe(batch.length);
        } finally {
          await second.stop();
        }
        const entries = await hub().joint.database.dataSource.manager.find(OutboxRow, {});
        expect(entries.every((e) => e.status === 'DELIVERED')).toBe(true);
        const counts = await resultsPerItem(hub(), task);
        for (const [key, n] of expected(batch)) expect([key, counts.get(key)]).toEqual([key, n]);
      },
    );

    // Last in this file: it replaces the hub's joint service.
    it(
      'R24: the joint service killed between sending a share and recording it: after a restart the share is ' +
        'sent again when its lease runs out, and the department keeps it once',
      async () => {
        const visit = visits[16]!;
        // Tax is away while the visit is submitted, so no delivery round can take its share first.
        const taxPort = hub().departments.find((d) => d.name === 'tax')!.port;
        await hub()
          .departments.find((d) => d.name === 'tax')!
          .stop();
        expect((await submit(hub(), task, visit)).errors).toBeUndefined();
        await deliverEverything(hub().joint.deliverer);
        await restartTax(hub(), taxPort);
        const m = hub().joint.database.dataSource.manager;
        const entry = (await m.find(OutboxRow, { where: { department: 'tax' } })).find((o) =>
          (o.payload as Array<{ targetKey: string }>).some((p) => p.targetKey === visit.key),
        )!;
        expect(entry.status).toBe('PENDING');
        // What the dead process did: it claimed the entry (lease) and sent the share, then died before recording it.
        await m.update(
          OutboxRow,
          { id: entry.id },
          {
            leaseUntil: new Date(time.clock().getTime() + 30_000),
            attempts: entry.attempts + 1,
            nextAttemptAt: time.clock(),
          },
        );
        const sent = await hub().joint.deps.departments.run<Record<string, Array<{ created: boolean }>>>(
          'tax',
          'DepartmentRecordResults',
          { input: entry.payload },
        );
        expect(sent.taxRecordResults!.every((r) => r.created)).toBe(true);
        const jointPort = hub().joint.port;
        await hub().joint.stop();
        const restarted = await startJoint(hub().config, {
          verifier: hub().verifier,
          issuer: hub().issuer,
          logger: createLogger('silent', 'joint'),
          port: jointPort,
          departments: () => hub().registry.departments(),
          clock: time.clock,
          deliveryIntervalMs: 3_600_000,
        });
        const after = restarted.database.dataSource.manager;
        try {
          // The lease still holds: tax's share waits.
          expect(await restarted.deliverer.deliverDue()).toBe(0);
          expect((await after.findOneByOrFail(OutboxRow, { id: entry.id })).status).toBe('PENDING');
          time.set(new Date(time.clock().getTime() + 3_600_000).toISOString());
          expect(await restarted.deliverer.deliverDue()).toBe(1);
          const done = await after.findOneByOrFail(OutboxRow, { id: entry.id });
          expect(done.status).toBe('DELIVERED');
          // The department answered the second send with the records it already had.
          expect((done.receipts as Array<{ created: boolean }>).every((r) => r.created === false)).toBe(true);
          const counts = await resultsPerItem(hub(), task);
          for (const [key, n] of expected([visit])) expect([key, counts.get(key)]).toEqual([key, n]);
        } finally {
          await restarted.stop();
        }
      },
    );
  },
  400,
  time.clock,
);
