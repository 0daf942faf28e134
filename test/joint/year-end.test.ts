import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCalendar } from '../../subgraphs/joint/calendar/working-days';
import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';
import {
  createPlan,
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit,
  teamVisits,
  testClock,
  type TeamVisit,
} from './fixtures';

/*
 * The turn of the year (R11, R25, R31). In December a check that ends now has its 20-working-day
 * deadline in January, and next year's holiday notice is not loaded (chinese-days@1.5.7 has none
 * for 2027; if an upgrade brings it, these tests need a year it lacks). Nothing may fail as a
 * whole: deadlines through 2027 are counted provisionally, said to be so, and become final once
 * the year's file is loaded. Deadlines here are counted by hand, not by the code under test.
 */

const time = testClock('2026-03-02T02:00:00Z');

interface Deadline {
  department: string;
  inspectedOn: string;
  deadline: string;
  workingDaysLeft: number;
  overdue: boolean;
  provisional: boolean;
}

interface DepartmentFigures {
  department: string;
  results: number;
  publishedOnTime: number;
  publishedLate: number;
  overdue: number;
  provisionalDeadlines: number;
}

describeWithHub(
  'the turn of the year: deadlines into a year without its holiday notice',
  (hub) => {
    let task: string;
    let visits: TeamVisit[];

    async function must<T>(query: string, token: string): Promise<T> {
      const r = await hub().query<T>(query, { token });
      if (r.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
      return r.data!;
    }

    const deadlines = async () =>
      (
        await must<{ jointPublicationDeadlines: Deadline[] }>(
          '{ jointPublicationDeadlines(year: 2026, department: "market", first: 1000) { department ' +
            'inspectedOn deadline workingDaysLeft overdue provisional } }',
          await hub().token(Role.HUB_ADMIN),
        )
      ).jointPublicationDeadlines;

    const statistics = async () =>
      (
        await must<{
          jointStatistics: {
            provisionalCalendarYears: number[];
            calendarNote: string | null;
            departments: DepartmentFigures[];
          };
        }>(
          '{ jointStatistics(year: 2026) { provisionalCalendarYears calendarNote departments { department ' +
            'results publishedOnTime publishedLate overdue provisionalDeadlines } } }',
          await hub().token(Role.HUB_ADMIN),
        )
      ).jointStatistics;

    const health = async () =>
      (await (await fetch(hub().joint.url.replace(/\/graphql$/, '/health'))).json()) as {
        status: string;
        calendar: { provisionalYears: number[]; note: string };
      };

    beforeAll(async () => {
      task = await runTaskTo(
        hub(),
        time,
        await publishedPlan(hub(), jointPlanInput({ windowEnd: '2026-12-31' })),
        'LOCKED',
      );
      await drawAllInspectors(hub(), task, ['market', 'tax', 'fire']);
      visits = await teamVisits(hub(), task, 2);
      // Monday 28 December 2026: one visit checked on Thursday 3 December, one on Thursday 10 December.
      time.set('2026-12-28T02:00:00Z');
      for (const [visit, day] of [
        [visits[0]!, '2026-12-03'],
        [visits[1]!, '2026-12-10'],
      ] as const) {
        const r = await submitVisit(hub(), task, visit, 'market', day);
        if (r.errors) throw new Error(JSON.stringify(r.errors));
      }
      await deliverEverything(hub().joint.deliverer);
    }, 120_000);

    it(
      'R25, R31: on 28 December the deadlines list answers, a deadline into 2027 provisional (1 January off, ' +
        'no swaps), one in 2026 final',
      async () => {
        const market = await deadlines();
        const on = (day: string) => market.filter((d) => d.inspectedOn === day);
        expect(on('2026-12-03').length).toBeGreaterThan(0);
        expect(on('2026-12-10').length).toBeGreaterThan(0);
        // 3 December (Thu): Fri 4 (1) ... Thu 31 (20), all in 2026. Three working days left: 29, 30, 31.
        for (const d of on('2026-12-03'))
          expect(d).toEqual({
            department: 'market',
            inspectedOn: '2026-12-03',
            deadline: '2026-12-31',
            workingDaysLeft: 3,
            overdue: false,
            provisional: false,
          });
        // 10 December: Thu 31 is day 15, 1 January (元旦) off, Mon 4 to Fri 8 January are 16 to 20.
        for (const d of on('2026-12-10'))
          expect(d).toEqual({
            department: 'market',
            inspectedOn: '2026-12-10',
            deadline: '2027-01-08',
            workingDaysLeft: 8,
            overdue: false,
            provisional: true,
          });
      },
    );

    it(
      'R31: jointStatistics answers for the year, names 2027 as provisional and counts the results resting on ' + 'it',
      async () => {
        const stats = await statistics();
        expect(stats.provisionalCalendarYears).toEqual([2027]);
        expect(stats.calendarNote).toContain('2027.json');
        const market = stats.departments.find((d) => d.department === 'market')!;
        const provisional = (await deadlines()).filter((d) => d.provisional).length;
        expect(market.provisionalDeadlines).toBe(provisional);
        expect(market.results).toBe((await deadlines()).length);
        expect(market.overdue).toBe(0);
      },
    );

    it(
      "the joint service's /health names the year whose notice is missing once today's deadlines reach it, and " +
        'stays ok',
      async () => {
        time.set('2026-06-01T02:00:00Z');
        expect((await health()).calendar.provisionalYears).toEqual([]);
        time.set('2026-12-28T02:00:00Z');
        const now = await health();
        expect(now.status).toBe('ok');
        expect(now.calendar.provisionalYears).toEqual([2027]);
        expect(now.calendar.note).toContain('国务院办公厅关于2027年部分节假日安排的通知');
      },
    );

    it(
      'R11: on the first working day of 2027 a plan is created, ' + 'revised and published, its deadline provisional',
      async () => {
        time.set('2027-01-04T02:00:00Z');
        const coordinator = await hub().token(Role.COORDINATOR, 'market');
        const input = jointPlanInput({
          name: '2027年度部门联合抽查计划',
          year: 2027,
          windowStart: '2027-03-01',
          windowEnd: '2027-11-30',
        });
        const created = await createPlan(hub(), input, coordinator);
        expect(created.errors).toBeUndefined();
        const id = created.data!.jointCreatePlan.id;
        // Mon 4 January: Tue 5 (1) ... Mon 11 (5).
        const revised = await hub().query<{
          jointRevisePlan: { revisions: Array<{ publishBy: string; publishByProvisional: boolean }> };
        }>(
          'mutation($id: ID!, $input: PlanInput!) { jointRevisePlan(id: $id, input: $input, note: "范围调整") { ' +
            'revisions { publishBy publishByProvisional } } }',
          { variables: { id, input: { ...input, batchSize: 5 } }, token: coordinator },
        );
        expect(revised.errors).toBeUndefined();
        expect(revised.data!.jointRevisePlan.revisions).toEqual([
          { publishBy: '2027-01-11', publishByProvisional: true },
          { publishBy: '2027-01-11', publishByProvisional: true },
        ]);
        const published = await hub().query(`mutation { jointPublishPlan(id: "${id}") { id status } }`, {
          token: coordinator,
        });
        expect(published.errors).toBeUndefined();
      },
    );

    it(
      "R25: in January this year's results are approved, published and counted against their provisional " + 'deadline',
      async () => {
        time.set('2027-01-05T02:00:00Z');
        const admin = await hub().token(Role.DEPT_ADMIN, 'market');
        const results = (
          await must<{ market: { results: Array<{ id: string; inspectedOn: string; publishedAt: string | null }> } }>(
            '{ market { results(first: 1000) { id inspectedOn publishedAt } } }',
            admin,
          )
        ).market.results;
        const ids = results.filter((r) => r.inspectedOn === '2026-12-10').map((r) => JSON.stringify(r.id));
        await must(`mutation { marketApproveResults(ids: [${ids.join(',')}]) { id } }`, admin);
        await must(`mutation { marketPublishResults(ids: [${ids.join(',')}]) { id } }`, admin);
        // Tuesday 5 January 2027: the results of 3 December are overdue (deadline 31 December), those of 10 December
        // published on time.
        const market = (await statistics()).departments.find((d) => d.department === 'market')!;
        expect(market).toMatchObject({
          publishedOnTime: ids.length,
          publishedLate: 0,
          overdue: market.results - ids.length,
        });
        const left = await deadlines();
        expect(left.length).toBe(market.results - ids.length);
        // Today is in 2027: the days counted from 31 December to today run through it, so they are provisional too.
        for (const d of left)
          expect(d).toMatchObject({ deadline: '2026-12-31', overdue: true, workingDaysLeft: -2, provisional: true });
      },
    );

    it(
      "with 2027's file in the calendar folder (JOINTCHECK_CALENDAR_DIR), the same deadlines are final, " +
        'counted on the notice',
      async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-2027-'));
        const calendar = hub().joint.deps.calendar;
        try {
          // A fictitious notice: 4 January off, Saturday 9 January worked.
          fs.writeFileSync(
            path.join(dir, '2027.json'),
            JSON.stringify({
              year: 2027,
              source: 'test: a fictitious notice',
              holidays: ['2027-01-01', '2027-01-04'],
              workdays: ['2027-01-09'],
            }),
          );
          // What a restart of the joint service with JOINTCHECK_CALENDAR_DIR=dir reads.
          hub().joint.deps.calendar = defaultCalendar({ dataDir: dir });
          time.set('2026-12-28T02:00:00Z');
          const stats = await statistics();
          expect(stats.provisionalCalendarYears).toEqual([]);
          expect(stats.calendarNote).toBeNull();
          expect(stats.departments.every((d) => d.provisionalDeadlines === 0)).toBe(true);
          expect((await health()).calendar.provisionalYears).toEqual([]);
          for (const d of await deadlines()) expect(d).toMatchObject({ deadline: '2026-12-31', provisional: false });
          // The plan made on 4 January (a day off by this notice): Tue 5 (1) ... Fri 8 (4), Sat 9 (worked, 5).
          time.set('2027-01-05T02:00:00Z');
          const plans = await must<{
            jointPlans: Array<{ year: number; revisions: Array<{ publishBy: string; publishByProvisional: boolean }> }>;
          }>(
            '{ jointPlans(year: 2027) { year revisions { publishBy publishByProvisional } } }',
            await hub().token(Role.HUB_ADMIN),
          );
          expect(plans.jointPlans[0]!.revisions[0]).toEqual({ publishBy: '2027-01-09', publishByProvisional: false });
        } finally {
          hub().joint.deps.calendar = calendar;
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  },
  400,
  time.clock,
);
