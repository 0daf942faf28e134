import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';
import {
  deliverEverything,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  step,
  submitVisit,
  teamVisits,
  testClock,
  type Task,
} from '../joint/fixtures';

const time = testClock('2026-03-02T02:00:00Z');

/** A joint plan led by market with health, whose roster, inspectors and checklist are in its existing system. */
const HEALTH_PLAN = jointPlanInput({
  name: '2026年度医疗卫生领域部门联合抽查计划',
  partners: ['health'],
  items: [
    { department: 'market', code: 'MKT-09', version: 1 },
    { department: 'health', code: 'WJ-001', version: 1 },
  ],
});

const TASK = (id: string) => `{ jointTask(id: "${id}") { status snapshotHash snapshotSize } }`;

async function taskState(hub: TestHub, id: string) {
  return (
    await hub.query<{ jointTask: { status: string; snapshotHash: string | null; snapshotSize: number | null } }>(
      TASK(id),
      { token: await hub.token(Role.AUDITOR) },
    )
  ).data!.jointTask;
}

/** What the health system holds of the hub's write-back (read with its own key, as its staff would). */
async function upstreamResults(
  hub: TestHub,
): Promise<
  Array<{ request_key: string; payload: { upstream_task_no: string; unit_credit_code: string; item_no: string } }>
> {
  const system = hub.standIns.health!;
  const r = await fetch(`${system.url}/api/v2/results?pageSize=500`, { headers: { 'x-api-key': system.apiKey } });
  return ((await r.json()) as { data: { records: Awaited<ReturnType<typeof upstreamResults>> } }).data.records;
}

/**
 * Issue E, upstream failures end to end: the health department in the running hub (gateway,
 * registry, joint service) over its stand-in system, with the system failing under it. The
 * tests run in order: the first reads health's roster before anything has cached it.
 */
describeWithHub(
  'the health department on its existing REST system, in the hub',
  (hub) => {
    let taskId: string;

    afterEach(() => {
      hub().standIns.health!.faults.length = 0;
    });

    it(
      'joins through the registry like any department: registered with its code and name, composed, and served ' +
        'by the gateway',
      async () => {
        const admin = await hub().token(Role.HUB_ADMIN);
        const subgraphs = await hub().query<{
          registrySubgraphs: Array<{ name: string; code: string | null; departmentName: string | null }>;
        }>('{ registrySubgraphs { name code departmentName } }', { token: admin });
        expect(subgraphs.data!.registrySubgraphs.find((s) => s.name === 'health')).toEqual({
          name: 'health',
          code: 'health',
          departmentName: '卫生健康委员会',
        });
        const checklist = await hub().query<{ health: { checklist: Array<{ code: string }> } }>(
          '{ health { checklist { code } } }',
        );
        expect(checklist.data!.health.checklist.map((i) => i.code)).toContain('WJ-001');
      },
    );

    it(
      'E, R9: a snapshot while the health system answers 503 is refused with a coded error naming health, ' +
        'stores nothing, and succeeds once it is back',
      async () => {
        const plan = await publishedPlan(hub(), HEALTH_PLAN);
        taskId = await runTaskTo(hub(), time, plan, 'COMMITTED');
        const system = hub().standIns.health!;
        system.faults.push({ path: /^\/v2\/units$/, times: 1000, status: 503 });
        const refused = await hub().query(`mutation { jointTakeSnapshot(taskId: "${taskId}") { id } }`, {
          token: await hub().token(Role.COORDINATOR, 'market'),
        });
        const error = onlyError(refused);
        expect(error.code).toBe('DOWNSTREAM_SERVICE_ERROR');
        expect(error.message).toMatch(/health/);
        expect(error.message).toMatch(/503|try again/i);
        // Bounded: the connector tried a few times, then reported (it did not hang or loop).
        const attempts = system.calls.filter((c) => c.path === '/v2/units').length;
        expect(attempts).toBeGreaterThanOrEqual(2);
        expect(attempts).toBeLessThanOrEqual(3);
        expect(await taskState(hub(), taskId)).toEqual({ status: 'COMMITTED', snapshotHash: null, snapshotSize: null });
        system.faults.length = 0;
        const taken = await hub().query(`mutation { jointTakeSnapshot(taskId: "${taskId}") { id } }`, {
          token: await hub().token(Role.COORDINATOR, 'market'),
        });
        expect(taken.errors).toBeUndefined();
        expect(await taskState(hub(), taskId)).toMatchObject({
          status: 'SNAPSHOT_TAKEN',
          snapshotHash: expect.stringMatching(/^[0-9a-f]{64}$/),
          snapshotSize: expect.any(Number),
        });
      },
    );

    it(
      "E, R18: health's inspectors come from its existing system, read and frozen with the snapshot: drawing " +
        'them later makes no call to it, so its failure then changes nothing',
      async () => {
        time.set('2026-03-04T02:00:00Z');
        const drawn = await step(hub(), 'jointDrawTargets(taskId: $taskId, witnessValue: $witnessValue)', {
          taskId,
          witnessValue: '05 11 16 23 28 32 + 07',
        });
        expect(drawn.errors).toBeUndefined();
        const locked = await step(hub(), 'jointLockTask(taskId: $taskId)', { taskId });
        expect(locked.errors).toBeUndefined();
        expect((locked.data!.jointLockTask as Task).status).toBe('LOCKED');
        const market = await hub().query(
          `mutation { jointDrawInspectors(taskId: "${taskId}", department: "market") { id } }`,
          { token: await hub().token(Role.COORDINATOR, 'market') },
        );
        expect(market.errors).toBeUndefined();
        const visits = await teamVisits(hub(), taskId);
        expect(visits.length).toBeGreaterThan(0);
        // Every visit's checklist has health's item: the plan's items, read from its system.
        expect(visits.every((v) => v.checklist.some((c) => c.department === 'health' && c.itemCode === 'WJ-001'))).toBe(
          true,
        );
        expect(visits.every((v) => !v.team.some((m) => m.department === 'health'))).toBe(true);
        // Inspectors' rosters were frozen at the snapshot (R14); drawing them reads health's system no more, so it
        // succeeds even while the system is down, and the team members are health's own staff numbers.
        hub().standIns.health!.faults.push({ path: /.*/, times: 1000, status: 503 });
        hub().standIns.health!.calls.length = 0;
        const health = await hub().query(
          `mutation { jointDrawInspectors(taskId: "${taskId}", department: "health") { id } }`,
          { token: await hub().token(Role.COORDINATOR, 'health') },
        );
        expect(health.errors).toBeUndefined();
        expect(hub().standIns.health!.calls).toEqual([]);
        const teams = await teamVisits(hub(), taskId);
        expect(
          teams.every((v) => v.team.some((m) => m.department === 'health' && /^WJ-S\d{3}$/.test(m.personId))),
        ).toBe(true);
      },
    );

    it(
      'E, R24: results for health go to its existing system; while it answers 503 the delivery waits with the ' +
        'reason, and is delivered once, when it is back',
      async () => {
        const visit = (await teamVisits(hub(), taskId))[0]!;
        const system = hub().standIns.health!;
        system.faults.push({ path: /^\/v2\/results$/, method: 'POST', times: 1000, status: 503 });
        const submitted = await submitVisit(hub(), taskId, visit);
        expect(submitted.errors).toBeUndefined();
        await deliverEverything(hub().joint.deliverer);
        const deliveries = async () =>
          (
            await hub().query<{
              jointTask: {
                visits: Array<{
                  key: string;
                  submission: {
                    deliveries: Array<{
                      department: string;
                      status: string;
                      attempts: number;
                      lastError: string | null;
                    }>;
                  } | null;
                }>;
              };
            }>(
              `{ jointTask(id: "${taskId}") { visits(first: 1000) { key submission { deliveries { department ` +
                `status attempts lastError } } } } }`,
              { token: await hub().token(Role.AUDITOR) },
            )
          ).data!.jointTask.visits.find((v) => v.key === visit.key)!.submission!.deliveries;
        const waiting = await deliveries();
        expect(waiting.find((d) => d.department === 'market')).toMatchObject({ status: 'DELIVERED' });
        const pending = waiting.find((d) => d.department === 'health')!;
        expect(pending).toMatchObject({ status: 'PENDING', attempts: 1 });
        expect(pending.lastError).toMatch(/health/);
        expect((await upstreamResults(hub())).filter((r) => r.payload.upstream_task_no === taskId)).toHaveLength(0);
        // Nothing recorded in the health subgraph either (R24: sent first, then recorded).
        const none = await hub().query<{ health: { results: unknown[] } }>(
          `{ health { results(taskId: "${taskId}", first: 100) { id } } }`,
          { token: await hub().token(Role.AUDITOR) },
        );
        expect(none.data!.health.results).toHaveLength(0);

        system.faults.length = 0;
        time.set('2026-03-04T02:10:00Z'); // past the outbox's backoff
        await deliverEverything(hub().joint.deliverer);
        expect((await deliveries()).find((d) => d.department === 'health')).toMatchObject({
          status: 'DELIVERED',
          lastError: null,
        });
        const upstream = (await upstreamResults(hub())).filter((r) => r.payload.upstream_task_no === taskId);
        const healthItems = visit.checklist.filter((c) => c.department === 'health');
        expect(upstream).toHaveLength(healthItems.length);
        expect(upstream.map((r) => [r.payload.unit_credit_code, r.payload.item_no])).toEqual(
          healthItems.map((c) => [visit.uscc, c.itemCode]),
        );
        const stored = await hub().query<{ health: { results: Array<{ itemCode: string }> } }>(
          `{ health { results(taskId: "${taskId}", first: 100) { itemCode } } }`,
          { token: await hub().token(Role.AUDITOR) },
        );
        expect(stored.data!.health.results.map((r) => r.itemCode)).toEqual(healthItems.map((c) => c.itemCode));
        // A repeated delivery round sends nothing twice.
        await deliverEverything(hub().joint.deliverer);
        expect((await upstreamResults(hub())).filter((r) => r.payload.upstream_task_no === taskId)).toHaveLength(
          healthItems.length,
        );
      },
    );

    it(
      'E: through the gateway, a view query while the health system fails answers every other department and a ' +
        "coded error for health's part (upstream status kept)",
      async () => {
        const token = await hub().token(Role.COORDINATOR, 'market');
        // An entity on health's roster (its system lists some of the register's enterprises).
        const rows = await hub().query<{ health: { exportTargetRows: { tsv: string } } }>(
          '{ health { exportTargetRows(first: 1) { tsv } } }',
          { token: await hub().token(Role.AUDITOR) },
        );
        const uscc = rows.data!.health.exportTargetRows.tsv.split('\t')[2]!;
        const query =
          `{ marketEntities(usccs: ["${uscc}"]) { uscc market { onRoster } tax { onRoster } health { onRoster ` +
          `riskLevel } } }`;
        hub().standIns.health!.faults.push({ path: /^\/v2\/units\/batch$/, times: 1000, status: 502 });
        const failing = await hub().query<{
          marketEntities: Array<{ uscc: string; market: unknown; tax: unknown; health: unknown }>;
        }>(query, { token });
        expect(failing.data!.marketEntities[0]).toMatchObject({
          uscc,
          market: { onRoster: expect.any(Boolean) },
          tax: { onRoster: expect.any(Boolean) },
          health: null,
        });
        expect(failing.errors).toHaveLength(1);
        expect(failing.errors![0]!.extensions).toMatchObject({
          code: 'DOWNSTREAM_SERVICE_ERROR',
          serviceName: 'health',
          upstreamStatus: 502,
        });
        expect(failing.errors![0]!.path?.slice(0, 2)).toEqual(['marketEntities', 0]);
        hub().standIns.health!.faults.length = 0;
        const back = await hub().query<{ marketEntities: Array<{ health: { onRoster: boolean } }> }>(query, { token });
        expect(back.errors).toBeUndefined();
        expect(back.data!.marketEntities[0]!.health.onRoster).toBe(true);
      },
    );

    it(
      'E: the registry reports health DEGRADED, with the reason, while its existing system fails or hangs, and ' +
        'UP when it is back; the others stay UP',
      async () => {
        const admin = await hub().token(Role.HUB_ADMIN);
        const read = async () =>
          (
            await hub().query<{ registryHealth: Array<{ name: string; status: string; error: string | null }> }>(
              '{ registryHealth { name status error } }',
              { token: admin },
            )
          ).data!.registryHealth;
        // The subgraph reuses one check of its system for 2 s: check until the state shows (at most 15 s).
        const until = async (healthStatus: string, reason = /.*/) => {
          for (const deadline = Date.now() + 15_000; ;) {
            await hub().registry.health.checkNow();
            const states = await read();
            const state = states.find((h) => h.name === 'health');
            if (state?.status === healthStatus && reason.test(state.error ?? '')) return states;
            if (Date.now() > deadline)
              throw new Error(`health is not ${healthStatus} (${reason}): ${JSON.stringify(states)}`);
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        };
        expect((await until('UP')).every((h) => h.status === 'UP')).toBe(true);
        const system = hub().standIns.health!;
        system.faults.push({ path: /^\/v2\/items$/, times: 1000, status: 503 });
        expect((await until('DEGRADED')).filter((h) => h.status !== 'UP')).toEqual([
          { name: 'health', status: 'DEGRADED', error: expect.stringMatching(/depends on does not: HTTP 503/) },
        ]);
        // A system that hangs is no better: the subgraph gives up on it within 2 s and says so.
        system.faults.length = 0;
        system.faults.push({ path: /^\/v2\/items$/, times: 1000, delayMs: 4000 });
        const hanging = await until('DEGRADED', /did not answer/);
        expect(hanging.find((h) => h.name === 'health')!.error).toMatch(
          /depends on does not: The health system did not answer the health check within 2000 ms/,
        );
        system.faults.length = 0;
        expect((await until('UP')).every((h) => h.status === 'UP')).toBe(true);
      },
    );
  },
  400,
  time.clock,
);
