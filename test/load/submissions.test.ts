import { storedPerDepartment, submitThroughGateway, visitSubmissions } from '../../bench/load';
import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  teamVisits,
  testClock,
} from '../joint/fixtures';

const time = testClock('2026-03-02T02:00:00Z');
const DEPARTMENTS = ['market', 'tax', 'fire', 'environment', 'housing'];

/**
 * The load run of `npm run bench` (issue D), CI-sized: concurrent visit submissions through the
 * gateway with autocannon, then every result counted in its department. Throughput is reported
 * by the benchmark, never asserted here (these machines are noisy); what is asserted is that
 * nothing fails, nothing is lost and nothing is doubled.
 */
describeWithHub(
  'load: concurrent visit submissions through the gateway',
  (hub) => {
    it(
      'R24: 60 submissions over 6 connections: every answer a success, and each department holds exactly the ' +
        'results submitted to it',
      async () => {
        const planId = await publishedPlan(
          hub(),
          jointPlanInput({
            partners: ['tax', 'fire', 'environment', 'housing'],
            items: [
              { department: 'market', code: 'MKT-09', version: 1 },
              { department: 'tax', code: 'TAX-08', version: 1 },
              { department: 'fire', code: 'FIRE-01', version: 1 },
              { department: 'environment', code: 'ENV-11', version: 1 },
              { department: 'housing', code: 'HSG-19', version: 1 },
            ],
            ratios: { high: 100, elevated: 100, general: 100, low: 100 },
            batchSize: 50,
          }),
        );
        const task = await runTaskTo(hub(), time, planId, 'LOCKED');
        await drawAllInspectors(hub(), task, DEPARTMENTS);
        const auditor = await hub().token(Role.AUDITOR);
        const visits = await teamVisits(hub(), task, 60);
        expect(visits).toHaveLength(60);
        const tokens = new Map<string, string>();
        for (const v of visits)
          for (const m of v.team)
            tokens.set(`${m.department}/${m.personId}`, await hub().token(Role.INSPECTOR, m.department, m.personId));
        const submissions = visitSubmissions(task, visits, (d, p) => tokens.get(`${d}/${p}`)!);

        const load = await submitThroughGateway(hub().gateway.url, submissions, 6);
        expect(load.errorSamples).toEqual([]);
        expect({ sent: load.sent, non2xx: load.non2xx, graphqlErrors: load.graphqlErrors }).toEqual({
          sent: 60,
          non2xx: 0,
          graphqlErrors: 0,
        });
        await deliverEverything(hub().joint.deliverer);
        const stored = await storedPerDepartment(
          async (q, variables) => {
            const r = await hub().query<never>(q, { variables, token: auditor });
            if (r.errors) throw new Error(JSON.stringify(r.errors));
            return r.data!;
          },
          task,
          DEPARTMENTS,
        );
        expect(stored).toEqual(load.submittedPerDepartment);
        expect(Object.values(stored).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60);
      },
    );
  },
  400,
  time.clock,
);
