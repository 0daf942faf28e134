import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';
import { jointPlanInput, publishedPlan, runTaskTo, testClock } from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');

/**
 * A task's visits through the gateway: the target with market data and each department's view, the team, the combined
 * checklist.
 */
const QUERY = (task: string, first: number) => `{ jointTask(id: "${task}") { visits(first: ${first}) {
  key batch position
  team { department name certificateNo leader }
  checklist { department itemCode title basis method }
  entity { uscc name status onAbnormalList market { riskLevel } tax { creditLevel creditRating { rating } } environment { onRoster dischargePermits { permitNo } } housing { onRoster qualifications { grade } } fire { keyUnit { isKeyUnit } } }
} } }`;

describeWithHub(
  "a task's visits in one request",
  (hub) => {
    it(
      'R22: 10 and 100 visits of a five-department plan, with targets, views, teams and combined checklists, ' +
        'cost the same requests and SQL statements per service',
      async () => {
        const items = [
          ...jointPlanInput().items,
          { department: 'environment', code: 'ENV-11', version: 1 },
          { department: 'housing', code: 'HSG-19', version: 1 },
        ];
        const planId = await publishedPlan(
          hub(),
          jointPlanInput({
            partners: ['tax', 'fire', 'environment', 'housing'],
            items,
            ratios: { high: 100, elevated: 100, general: 100, low: 100 },
          }),
        );
        const task = await runTaskTo(hub(), time, planId, 'LOCKED');
        for (const d of ['market', 'tax', 'fire', 'environment', 'housing'])
          await hub().query(`mutation { jointDrawInspectors(taskId: "${task}", department: "${d}") { id } }`, {
            token: await hub().token(Role.COORDINATOR, d),
          });
        const token = await hub().token(Role.AUDITOR);
        const services = [...hub().departments, hub().joint];
        const counted = async (first: number) => {
          for (const s of services) {
            s.stats.requests = 0;
            s.database.queries.reset();
          }
          const response = await hub().query<{
            jointTask: {
              visits: Array<{ entity: { name: string; tax: unknown } | null; checklist: unknown[]; team: unknown[] }>;
            };
          }>(QUERY(task, first), { token });
          expect(response.errors).toBeUndefined();
          return {
            visits: response.data!.jointTask.visits,
            counts: Object.fromEntries(
              services.map((s) => [s.name, { requests: s.stats.requests, sql: s.database.queries.count }]),
            ),
          };
        };
        const small = await counted(10);
        const large = await counted(100);
        expect(small.visits).toHaveLength(10);
        expect(large.visits).toHaveLength(100);
        expect(
          large.visits.every(
            (v) => v.entity !== null && v.entity.name && v.checklist.length >= 3 && v.team.length >= 3,
          ),
        ).toBe(true); // some housing seats may be vacant (no 城镇燃气 inspector with jurisdiction)
        expect(large.counts).toEqual(small.counts);
        for (const name of ['joint', 'market', 'tax', 'fire', 'environment', 'housing'])
          expect([name, large.counts[name]!.requests]).toEqual([name, 1]);
        expect(large.counts.joint!.sql).toBeLessThanOrEqual(10);
      },
    );
  },
  400,
  time.clock,
);
