import { Role } from '../../kernel/identity';
import { describeWithHub, type TestHub } from '../support/hub';
import { jointPlanInput, publishedPlan, runTaskTo, TASK_FIELDS, testClock, type Task } from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');

async function snapshotAt(hub: TestHub, planId: string, day: string, witnessOn: string): Promise<Task> {
  time.set(`${day}T02:00:00Z`);
  const token = await hub.token(Role.COORDINATOR, 'market');
  const created = await hub.query<{ jointCreateTask: { id: string } }>(
    `mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }`,
    {
      variables: {
        input: {
          planId,
          name: '第二批',
          witnessSource: '中国福利彩票快乐8开奖号码',
          witnessAvailableOn: witnessOn,
          witnessNumbers: 20,
        },
      },
      token,
    },
  );
  const r = await hub.query<{ jointTakeSnapshot: Task }>(
    `mutation { jointTakeSnapshot(taskId: "${created.data!.jointCreateTask.id}") { ${TASK_FIELDS} } }`,
    { token },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTakeSnapshot;
}

describeWithHub(
  'leaving out recently inspected targets',
  (hub) => {
    it(
      'R14: a plan may leave out targets drawn by a locked task within a window of days (tax practice: three ' +
        'years)',
      async () => {
        const scope = { targetKinds: ['ENTERPRISE'], regions: ['310104'], industries: [] };
        const ratios = { high: 50, elevated: 50, general: 50, low: 50 };
        const first = await publishedPlan(hub(), jointPlanInput({ name: '第一批', scope, ratios }));
        const taskA = await runTaskTo(hub(), time, first, 'LOCKED'); // locked on 2026-03-04
        const drawnA = (
          await hub().query<{ jointTask: { drawn: unknown[]; snapshotSize: number } }>(
            `{ jointTask(id: "${taskA}") { snapshotSize drawn(first: 10000) { key } } }`,
          )
        ).data!.jointTask;
        expect(drawnA.drawn.length).toBeGreaterThan(0);

        const withWindow = await publishedPlan(
          hub(),
          jointPlanInput({ name: '三年内已检查的不再抽取', scope, ratios, excludeInspectedWithinDays: 1095 }),
        );
        const b = await snapshotAt(hub(), withWindow, '2026-03-05', '2026-03-07');
        expect(b.exclusions).toEqual({
          inspectedTwiceThisYear: 0,
          recentlyInspected: drawnA.drawn.length,
          overLimitReason: null,
        });
        expect(b.snapshotSize).toBe(drawnA.snapshotSize - drawnA.drawn.length);

        // A window of one day no longer reaches back to the lock on 4 March.
        const shortWindow = await publishedPlan(
          hub(),
          jointPlanInput({ name: '一天窗口', scope, ratios, excludeInspectedWithinDays: 1 }),
        );
        const c = await snapshotAt(hub(), shortWindow, '2026-03-09', '2026-03-11');
        expect(c.exclusions!.recentlyInspected).toBe(0);
        expect(c.snapshotSize).toBe(drawnA.snapshotSize);
        // Without a window, nothing is left out after a single inspection.
        const none = await snapshotAt(hub(), first, '2026-03-09', '2026-03-11');
        expect(none.exclusions).toEqual({ inspectedTwiceThisYear: 0, recentlyInspected: 0, overLimitReason: null });
      },
    );

    it(
      'R22, R31: statistics point out targets that several departments visited separately, where one joint ' +
        'visit would have done',
      async () => {
        const scope = { targetKinds: ['ENTERPRISE'], regions: ['310110'], industries: [] };
        const all = { high: 100, elevated: 100, general: 100, low: 100 };
        // Market alone, then fire alone, each drawing every enterprise of 310110.
        const marketOnly = await publishedPlan(
          hub(),
          jointPlanInput({
            name: '市场监管部门内部抽查',
            partners: [],
            items: [{ department: 'market', code: 'MKT-09', version: 1 }],
            scope,
            ratios: all,
          }),
        );
        await runTaskTo(hub(), time, marketOnly, 'LOCKED');
        const fireCoordinator = await hub().token(Role.COORDINATOR, 'fire');
        const firePlan = await hub().query<{ jointCreatePlan: { id: string } }>(
          'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id } }',
          {
            variables: {
              input: jointPlanInput({
                name: '消防部门内部抽查',
                partners: [],
                items: [{ department: 'fire', code: 'FIRE-01', version: 1 }],
                scope,
                ratios: all,
              }),
            },
            token: fireCoordinator,
          },
        );
        const fireId = firePlan.data!.jointCreatePlan.id;
        await hub().query(`mutation { jointPublishPlan(id: "${fireId}") { id } }`, { token: fireCoordinator });
        time.set('2026-03-02T02:00:00Z');
        const created = await hub().query<{ jointCreateTask: { id: string } }>(
          'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }',
          {
            variables: {
              input: {
                planId: fireId,
                name: '消防',
                witnessSource: '快乐8',
                witnessAvailableOn: '2026-03-04',
                witnessNumbers: 7,
              },
            },
            token: fireCoordinator,
          },
        );
        const fireTask = created.data!.jointCreateTask.id;
        await hub().query(`mutation { jointTakeSnapshot(taskId: "${fireTask}") { id } }`, { token: fireCoordinator });
        time.set('2026-03-04T02:00:00Z');
        await hub().query(
          `mutation { jointDrawTargets(taskId: "${fireTask}", witnessValue: "1 2 3 4 5 6 7") { id } }`,
          {
            token: fireCoordinator,
          },
        );
        await hub().query(`mutation { jointLockTask(taskId: "${fireTask}") { id } }`, { token: fireCoordinator });
        const stats = await hub().query<{ jointStatistics: { separateVisits: string[] } }>(
          '{ jointStatistics(year: 2026) { separateVisits } }',
          { token: await hub().token(Role.AUDITOR) },
        );
        // Every enterprise of 310110 on both rosters (market's holds all; fire's those it supervises) was visited
        // twice.
        const onFireRoster = await hub().query<{ fire: { targets: { nodes: Array<{ id: string }> } } }>(
          '{ fire { targets(first: 1000, filter: { kinds: [ENTERPRISE], regions: ["310110"] }) { nodes { id } } } }',
          {
            token: await hub().token(Role.AUDITOR),
          },
        );
        const expected = onFireRoster.data!.fire.targets.nodes.map((n) => n.id).sort();
        expect(expected.length).toBeGreaterThan(0);
        expect(stats.data!.jointStatistics.separateVisits).toEqual(expected);
      },
    );
  },
  300,
  time.clock,
);
