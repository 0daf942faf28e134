import { updateRows } from '../../kernel/rows';
import type { ResultDeadlineType } from '../../subgraphs/joint/visits/deadline-types';
import { OutboxRow } from '../../subgraphs/joint/visits/entities';
import { startDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { tax } from '../../subgraphs/tax';
import { DEPARTMENT_CODES, describeWithHub, onlyError, type GraphQLResponse } from '../support/hub';
import {
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
 * What the coordinators' dashboard reads besides the counts of jointStatistics: each department's
 * delivery status (R24, R31) and the unpublished results with their deadlines (R25, R31), seen by
 * whom R30 allows. Two tasks of 2026: one led by market (with tax and fire), one led by tax (with
 * fire), so that a coordinator's view of the tasks its department leads can be told apart.
 */

const time = testClock('2026-03-02T02:00:00Z');
const RATIOS = { high: 20, elevated: 10, general: 5, low: 5 };

/**
 * R25: the 20th working day after the check's end, counted by hand on the State Council's 2026
 * notice (清明 4月4日至6日, 劳动节 5月1日至5日 with Sat 5月9日 worked), not by the code under test.
 */
const DEADLINE: Record<string, string> = {
  '2026-03-04': '2026-04-01', // Thu 5 (1) ... Tue 31 (19), Wed 1 April (20)
  '2026-03-07': '2026-04-03', // a Saturday, day 0: Mon 9 (1) ... Fri 3 April (20)
  '2026-03-10': '2026-04-08', // over 清明: Fri 3 April (18), Tue 7 (19), Wed 8 (20)
  // over 劳动节: Thu 30 April (14), Wed 6 to Fri 8 May (17), Sat 9 (18), Mon 11 (19), Tue 12 (20)
  '2026-04-10': '2026-05-12',
};

const DEADLINE_FIELDS =
  'department resultId taskId taskName targetKey uscc itemCode inspectedOn status deadline workingDaysLeft overdue';

/** A deadline as the query answers it. */
type Deadline = ResultDeadlineType;

interface Counts {
  pending: number;
  delivered: number;
  refused: number;
  oldestPendingSince: string | null;
  lastDeliveredAt: string | null;
}

const NO_DELIVERIES: Counts = { pending: 0, delivered: 0, refused: 0, oldestPendingSince: null, lastDeliveredAt: null };

interface SubmittedVisit {
  key: string;
  submission: {
    submittedAt: string;
    deliveries: Array<{ department: string; status: string; deliveredAt: string | null }>;
  } | null;
}

describeWithHub(
  "the coordinators' dashboard: delivery status and publication deadlines",
  (hub) => {
    /** The market-led task and the tax-led one, with their visits. */
    let main: string;
    let taxTask: string;
    let mainVisits: TeamVisit[];
    let taxVisits: TeamVisit[];

    const as = (role: Role, department: string | null = null) => hub().token(role, department);

    async function must<T>(query: string, token: string): Promise<T> {
      const r = await hub().query<T>(query, { token });
      if (r.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
      return r.data!;
    }

    /** Each department's delivery counts as jointStatistics gives them. */
    async function statistics(year = 2026): Promise<Record<string, Counts & { overdue: number }>> {
      const data = await must<{
        jointStatistics: { departments: Array<{ department: string; overdue: number; deliveries: Counts }> };
      }>(
        `{ jointStatistics(year: ${year}) { departments { department overdue deliveries { pending delivered ` +
          `refused oldestPendingSince lastDeliveredAt } } } }`,
        await as(Role.HUB_ADMIN),
      );
      return Object.fromEntries(
        data.jointStatistics.departments.map((d) => [d.department, { ...d.deliveries, overdue: d.overdue }]),
      );
    }

    /** The same counts, worked out from what Visit.submission.deliveries says of every visit of both tasks. */
    async function countsFromVisits(): Promise<Record<string, Counts>> {
      const visits: SubmittedVisit[] = [];
      for (const task of [main, taxTask]) {
        const data = await must<{ jointTask: { visits: SubmittedVisit[] } }>(
          `{ jointTask(id: "${task}") { visits(first: 1000) { key submission { submittedAt deliveries { ` +
            `department status deliveredAt } } } } }`,
          await as(Role.AUDITOR),
        );
        visits.push(...data.jointTask.visits);
      }
      const out: Record<string, Counts> = Object.fromEntries(DEPARTMENT_CODES.map((d) => [d, { ...NO_DELIVERIES }]));
      const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);
      const later = (a: string | null, b: string) => (a === null || b > a ? b : a);
      for (const v of visits) {
        for (const d of v.submission?.deliveries ?? []) {
          const c = out[d.department]!;
          if (d.status === 'PENDING') {
            c.pending++;
            c.oldestPendingSince = earlier(c.oldestPendingSince, v.submission!.submittedAt);
          } else if (d.status === 'DELIVERED') {
            c.delivered++;
            c.lastDeliveredAt = later(c.lastDeliveredAt, d.deliveredAt!);
          } else if (d.status === 'REFUSED') c.refused++;
        }
      }
      return out;
    }

    /**
     * Compares jointStatistics' delivery counts with the visits', and returns them with the SQL statements
     * jointStatistics cost the joint service.
     */
    async function checkedCounts(): Promise<{ counts: Record<string, Counts>; statements: number }> {
      const sql = hub().joint.database.queries;
      sql.reset();
      const stats = await statistics();
      const statements = sql.count;
      const counts = Object.fromEntries(Object.entries(stats).map(([d, { overdue: _overdue, ...c }]) => [d, c]));
      expect(counts).toEqual(await countsFromVisits());
      return { counts, statements };
    }

    async function deadlines(
      token: string | undefined,
      args = 'year: 2026, first: 1000',
    ): Promise<GraphQLResponse<{ jointPublicationDeadlines: Deadline[] }>> {
      return hub().query<{ jointPublicationDeadlines: Deadline[] }>(
        `{ jointPublicationDeadlines(${args}) { ${DEADLINE_FIELDS} } }`,
        { token },
      );
    }

    async function submit(task: string, visit: TeamVisit, inspectedOn: string, department = 'market'): Promise<void> {
      const r = await submitVisit(hub(), task, visit, department, inspectedOn);
      if (r.errors) throw new Error(JSON.stringify(r.errors));
    }

    /** Submits without the delivery round a submission starts, so its shares stay pending until asked. */
    async function submitQuietly(task: string, visit: TeamVisit, inspectedOn: string): Promise<void> {
      const deps = hub().joint.deps;
      const afterSubmit = deps.afterSubmit;
      deps.afterSubmit = undefined;
      try {
        await submit(task, visit, inspectedOn);
      } finally {
        deps.afterSubmit = afterSubmit;
      }
    }

    /**
     * Stops the tax subgraph and returns how to start it again at the same address (a new process would: its own
     * database).
     */
    async function stopTax(): Promise<() => Promise<void>> {
      const index = hub().departments.findIndex((d) => d.name === 'tax');
      const port = hub().departments[index]!.port;
      await hub().departments[index]!.stop();
      return async () => {
        hub().departments[index] = await startDepartment(tax, hub().config, {
          verifier: hub().verifier,
          logger: createLogger('silent', 'tax'),
          port,
        });
      };
    }

    const withTax = (visits: TeamVisit[]) => visits.filter((v) => v.checklist.some((c) => c.department === 'tax'));

    beforeAll(async () => {
      main = await runTaskTo(hub(), time, await publishedPlan(hub(), jointPlanInput({ ratios: RATIOS })), 'LOCKED');
      await drawAllInspectors(hub(), main, ['market', 'tax', 'fire']);
      // A plan led by tax, with fire: its coordinator runs the task (R16).
      const taxItems = [
        { department: 'tax', code: 'TAX-08', version: 1 },
        { department: 'fire', code: 'FIRE-01', version: 1 },
      ];
      const taxPlan = await publishedPlan(
        hub(),
        jointPlanInput({
          name: '2026年度税务领域部门联合抽查计划（发票、消防）',
          partners: ['fire'],
          items: taxItems,
          ratios: RATIOS,
        }),
        await as(Role.COORDINATOR, 'tax'),
      );
      taxTask = await runTaskTo(hub(), time, taxPlan, 'LOCKED', '02 07 13 19 24 30 + 05', null, 'tax');
      await drawAllInspectors(hub(), taxTask, ['tax', 'fire']);
      mainVisits = await teamVisits(hub(), main);
      taxVisits = await teamVisits(hub(), taxTask);
      expect(withTax(mainVisits).length).toBeGreaterThanOrEqual(3);
      expect(withTax(taxVisits).length).toBeGreaterThanOrEqual(1);
    }, 120_000);

    it(
      "R24, R31: each department's shares are counted pending while it is down or before delivery, delivered " +
        'after, refused when refused, as Visit.submission.deliveries says',
      async () => {
        const [v1, v2, v4] = withTax(mainVisits) as [TeamVisit, TeamVisit, TeamVisit];
        for (const counts of Object.values((await checkedCounts()).counts)) expect(counts).toEqual(NO_DELIVERIES);

        // Tax is down: its share of a visit waits, market's and fire's are delivered at once. (The
        // statistics read every department's results, so they are read once tax is back, before the
        // share's next attempt: the clock stands still.)
        const restartTax = await stopTax();
        time.set('2026-03-04T03:00:00Z');
        await submit(main, v1, '2026-03-04');
        await deliverEverything(hub().joint.deliverer);
        await restartTax();
        let { counts } = await checkedCounts();
        expect(counts.tax).toEqual({
          pending: 1,
          delivered: 0,
          refused: 0,
          oldestPendingSince: '2026-03-04T03:00:00.000Z',
          lastDeliveredAt: null,
        });
        expect(counts.market).toEqual({
          pending: 0,
          delivered: 1,
          refused: 0,
          oldestPendingSince: null,
          lastDeliveredAt: '2026-03-04T03:00:00.000Z',
        });
        expect(counts.fire).toEqual(counts.market);

        // A second visit, not delivered yet: every department's share is pending; the oldest stays tax's first.
        time.set('2026-03-07T03:00:00Z');
        await submitQuietly(main, v2, '2026-03-07');
        const few = await checkedCounts();
        counts = few.counts;
        expect(counts.tax).toEqual({
          pending: 2,
          delivered: 0,
          refused: 0,
          oldestPendingSince: '2026-03-04T03:00:00.000Z',
          lastDeliveredAt: null,
        });
        expect(counts.market).toEqual({
          pending: 1,
          delivered: 1,
          refused: 0,
          oldestPendingSince: '2026-03-07T03:00:00.000Z',
          lastDeliveredAt: '2026-03-04T03:00:00.000Z',
        });

        // After the backoff everything is delivered. A third visit's fire share carries an outcome
        // fire does not know (its own system changed its dictionary meanwhile): refused.
        time.set('2026-03-10T03:00:00Z');
        await deliverEverything(hub().joint.deliverer);
        await submitQuietly(main, v4, '2026-03-10');
        const m = hub().joint.database.dataSource.manager;
        const share = await m.findOneByOrFail(OutboxRow, { department: 'fire', status: 'PENDING' });
        await updateRows(
          m,
          OutboxRow,
          { id: share.id },
          {
            payload: (share.payload as Array<Record<string, unknown>>).map((p) => ({
              ...p,
              outcome: 'EXITS_BLOCKED',
            })),
          },
        );
        await deliverEverything(hub().joint.deliverer);
        const more = await checkedCounts();
        counts = more.counts;
        const at = '2026-03-10T03:00:00.000Z';
        expect(counts.tax).toEqual({
          pending: 0,
          delivered: 3,
          refused: 0,
          oldestPendingSince: null,
          lastDeliveredAt: at,
        });
        expect(counts.market).toEqual({
          pending: 0,
          delivered: 3,
          refused: 0,
          oldestPendingSince: null,
          lastDeliveredAt: at,
        });
        expect(counts.fire).toEqual({
          pending: 0,
          delivered: 2,
          refused: 1,
          oldestPendingSince: null,
          lastDeliveredAt: at,
        });
        for (const d of DEPARTMENT_CODES.filter((c) => !['market', 'tax', 'fire'].includes(c)))
          expect([d, counts[d]]).toEqual([d, NO_DELIVERIES]);
        // A constant number of SQL statements: more entries and statuses cost none more.
        expect(more.statements).toBe(few.statements);
        expect(more.statements).toBeLessThanOrEqual(8);
        // Only the year's tasks count.
        for (const [d, c] of Object.entries(await statistics(2025)))
          expect([d, c]).toEqual([d, { ...NO_DELIVERIES, overdue: 0 }]);
      },
    );

    /**
     * Every result of both tasks not yet published, read from each department as an auditor, with its deadline by hand.
     */
    async function unpublished(today: string, workingDaysLeft: Record<string, number>): Promise<Deadline[]> {
      const names = new Map<string, string>();
      for (const task of [main, taxTask])
        names.set(
          task,
          (await must<{ jointTask: { name: string } }>(`{ jointTask(id: "${task}") { name } }`, await as(Role.AUDITOR)))
            .jointTask.name,
        );
      const out: Deadline[] = [];
      for (const department of DEPARTMENT_CODES) {
        type Row = Omit<
          Deadline,
          'department' | 'resultId' | 'taskName' | 'deadline' | 'workingDaysLeft' | 'overdue'
        > & { id: string; publishedAt: string | null };
        const data = await must<Record<string, { results: Row[] }>>(
          `{ ${department} { results(first: 1000) { id taskId targetKey uscc itemCode status inspectedOn ` +
            `publishedAt } } }`,
          await as(Role.AUDITOR),
        );
        for (const { id, publishedAt, ...r } of data[department]!.results) {
          if (publishedAt !== null || !names.has(r.taskId)) continue;
          const deadline = DEADLINE[r.inspectedOn]!;
          out.push({
            department,
            resultId: id,
            ...r,
            taskName: names.get(r.taskId)!,
            deadline,
            workingDaysLeft: workingDaysLeft[deadline]!,
            overdue: today > deadline,
          });
        }
      }
      const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      return out.sort(
        (a, b) =>
          compare(a.deadline, b.deadline) || compare(a.department, b.department) || compare(a.resultId, b.resultId),
      );
    }

    it(
      'R25, R31: unpublished results with their deadlines (20 working days, over weekends and holidays), ' +
        'overdue by the clock, published ones left out, sorted, at most `first`',
      async () => {
        // A visit checked on 10 April, and one of the tax-led task.
        time.set('2026-04-10T03:00:00Z');
        await submit(
          main,
          mainVisits.find((v) => !withTax(mainVisits).slice(0, 3).includes(v))!,
          '2026-04-10',
        );
        const taxVisit = withTax(taxVisits)[0]!;
        await submit(taxTask, taxVisit, '2026-03-04', 'tax');
        await deliverEverything(hub().joint.deliverer);
        // Tax publishes one result of the first visit and approves another.
        const admin = await as(Role.DEPT_ADMIN, 'tax');
        const taxResults = (
          await must<{ tax: { results: Array<{ id: string; taskId: string; inspectedOn: string }> } }>(
            '{ tax { results(first: 1000) { id taskId inspectedOn } } }',
            admin,
          )
        ).tax.results;
        const [toPublish, toApprove] = taxResults.filter((r) => r.taskId === main);
        if (!toPublish || !toApprove)
          throw new Error(`tax has ${taxResults.length} results; two of the market-led task are needed`);
        await must(`mutation { taxApproveResults(ids: ["${toPublish.id}", "${toApprove.id}"]) { id } }`, admin);
        await must(`mutation { taxPublishResults(ids: ["${toPublish.id}"]) { id } }`, admin);

        // Thursday 2 April: the results checked on 4 March are one working day late.
        time.set('2026-04-02T02:00:00Z');
        const expected = await unpublished('2026-04-02', {
          '2026-04-01': -1,
          '2026-04-03': 1,
          '2026-04-08': 3,
          '2026-05-12': 25,
        });
        const hubAdmin = await as(Role.HUB_ADMIN);
        const all = await deadlines(hubAdmin);
        expect(all.errors).toBeUndefined();
        expect(all.data!.jointPublicationDeadlines).toEqual(expected);
        // The list is worth sorting: four deadlines, several departments, both tasks, both statuses; the published one
        // is not in it.
        expect(new Set(expected.map((d) => d.deadline)).size).toBe(4);
        expect(new Set(expected.map((d) => d.department))).toEqual(new Set(['market', 'tax', 'fire']));
        expect(new Set(expected.map((d) => d.taskId))).toEqual(new Set([main, taxTask]));
        expect(expected.find((d) => d.resultId === toApprove.id)!.status).toBe('APPROVED');
        expect(expected.some((d) => d.status === 'RECORDED')).toBe(true);
        expect(expected.some((d) => d.resultId === toPublish.id)).toBe(false);
        // The overdue ones alone; the same count as jointStatistics' (R31).
        const overdue = (await deadlines(hubAdmin, 'year: 2026, overdueOnly: true, first: 1000')).data!
          .jointPublicationDeadlines;
        expect(overdue).toEqual(expected.filter((d) => d.deadline < '2026-04-02'));
        expect(overdue.length).toBeGreaterThan(0);
        const stats = await statistics();
        for (const department of ['market', 'tax', 'fire'])
          expect([department, stats[department]!.overdue]).toEqual([
            department,
            overdue.filter((d) => d.department === department).length,
          ]);
        // At most `first`; one department's when asked.
        expect((await deadlines(hubAdmin, 'year: 2026, first: 3')).data!.jointPublicationDeadlines).toEqual(
          expected.slice(0, 3),
        );
        expect((await deadlines(hubAdmin, 'year: 2026, department: "fire"')).data!.jointPublicationDeadlines).toEqual(
          expected.filter((d) => d.department === 'fire'),
        );
        expect((await deadlines(hubAdmin, 'year: 2025')).data!.jointPublicationDeadlines).toEqual([]);

        // On the deadline day (Wednesday 1 April, evening in China) nothing is overdue yet.
        time.set('2026-04-01T10:00:00Z');
        const dueToday = (await deadlines(hubAdmin)).data!.jointPublicationDeadlines;
        expect(dueToday).toEqual(
          await unpublished('2026-04-01', { '2026-04-01': 0, '2026-04-03': 2, '2026-04-08': 4, '2026-05-12': 26 }),
        );
        expect(dueToday.some((d) => d.overdue)).toBe(false);
        // Saturday 4 April, in the 清明 holiday: counted as Tuesday 7 April, the next working day.
        time.set('2026-04-04T02:00:00Z');
        expect((await deadlines(hubAdmin)).data!.jointPublicationDeadlines).toEqual(
          await unpublished('2026-04-04', { '2026-04-01': -3, '2026-04-03': -1, '2026-04-08': 1, '2026-05-12': 23 }),
        );

        // `first` out of range and an unknown department are refused, naming the field.
        for (const first of [0, 1001])
          expect(onlyError(await deadlines(hubAdmin, `year: 2026, first: ${first}`)).extensions).toMatchObject({
            code: 'BAD_USER_INPUT',
            field: 'first',
          });
        const unknown = onlyError(await deadlines(hubAdmin, 'year: 2026, department: "customs"'));
        expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'department' });
        expect(unknown.message).toContain('registryDepartments');
      },
    );

    it(
      "R30: hub roles see every department's deadlines, a department's staff its own, a coordinator also those " +
        'of the tasks its department leads; others are refused and learn nothing',
      async () => {
        time.set('2026-04-02T02:00:00Z');
        const expected = await unpublished('2026-04-02', {
          '2026-04-01': -1,
          '2026-04-03': 1,
          '2026-04-08': 3,
          '2026-05-12': 25,
        });
        const seen = async (role: Role, department: string | null, args?: string) => {
          const r = await deadlines(await as(role, department), args);
          expect([role, department, args, r.errors]).toEqual([role, department, args, undefined]);
          return r.data!.jointPublicationDeadlines;
        };
        for (const role of [Role.HUB_ADMIN, Role.AUDITOR, Role.SERVICE])
          expect(await seen(role, null)).toEqual(expected);
        // A department's own staff, any role: its own results, of every task.
        const taxOwn = expected.filter((d) => d.department === 'tax');
        expect(new Set(taxOwn.map((d) => d.taskId))).toEqual(new Set([main, taxTask]));
        for (const role of [Role.DEPT_ADMIN, Role.INSPECTOR, Role.DEPUTY_HEAD])
          expect(await seen(role, 'tax')).toEqual(taxOwn);
        expect(await seen(Role.DEPT_ADMIN, 'tax', 'year: 2026, department: "tax", first: 1000')).toEqual(taxOwn);
        expect(await seen(Role.INSPECTOR, 'fire')).toEqual(expected.filter((d) => d.department === 'fire'));
        expect(await seen(Role.DEPT_ADMIN, 'environment')).toEqual([]);
        // A coordinator also follows the visits of the tasks its department leads: every department's results of them.
        const marketCoordinator = expected.filter((d) => d.department === 'market' || d.taskId === main);
        expect(await seen(Role.COORDINATOR, 'market')).toEqual(marketCoordinator);
        expect(marketCoordinator.some((d) => d.department === 'tax')).toBe(true);
        expect(marketCoordinator.some((d) => d.taskId === taxTask)).toBe(false);
        expect(await seen(Role.COORDINATOR, 'market', 'year: 2026, department: "tax", first: 1000')).toEqual(
          expected.filter((d) => d.department === 'tax' && d.taskId === main),
        );
        const taxCoordinator = expected.filter((d) => d.department === 'tax' || d.taskId === taxTask);
        expect(taxCoordinator.some((d) => d.department === 'fire')).toBe(true);
        expect(await seen(Role.COORDINATOR, 'tax')).toEqual(taxCoordinator);
        expect(await seen(Role.COORDINATOR, 'environment')).toEqual([]);

        // Refused: the public, and a department's staff asking for another department (before anything is looked up:
        // even an unknown one).
        const anonymous = await deadlines(undefined);
        expect(onlyError(anonymous).code).toBe('UNAUTHENTICATED');
        expect(anonymous.data ?? null).toBeNull();
        for (const [role, department, asked] of [
          [Role.DEPT_ADMIN, 'tax', 'fire'],
          [Role.INSPECTOR, 'market', 'tax'],
          [Role.PRINCIPAL_HEAD, 'environment', 'market'],
          [Role.DEPT_ADMIN, 'market', 'customs'],
        ] as const) {
          const r = await deadlines(await as(role, department), `year: 2026, department: "${asked}"`);
          const error = onlyError(r);
          expect([role, department, asked, error.extensions]).toEqual([
            role,
            department,
            asked,
            expect.objectContaining({ code: 'FORBIDDEN', rule: 'R30' }),
          ]);
          expect(error.message).toMatch(/own staff.*coordinators.*hub admins, auditors and hub services/);
          expect(r.data ?? null).toBeNull();
        }
      },
    );
  },
  400,
  time.clock,
);
