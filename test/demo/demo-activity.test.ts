import { runDemoActivity } from '../../scripts/demo-activity';
import { SettableClock } from '../../kernel/settable-clock';
import { chinaDate, defaultCalendar } from '../../subgraphs/joint/calendar/working-days';
import { verifyDrawRecord, type FullDrawRecord } from '../../subgraphs/joint/draw/record';
import { Role } from '../../kernel/identity';
import { describeWithHub, type TestHub } from '../support/hub';

// The demo year on a hub of 4,000 entities takes a few seconds a database; the hub's start as many.
jest.setTimeout(180_000);

const TODAY = '2026-12-03';
const clock = new SettableClock();
clock.set(new Date(`${TODAY}T02:00:00Z`)); // 10:00 in China
const calendar = defaultCalendar();

interface Result {
  id: string;
  targetKey: string;
  uscc: string | null;
  outcome: string;
  notes: string | null;
  confidentialNotes: string | null;
  status: string;
  inspectedOn: string;
  recordedAt: string;
  publishedAt: string | null;
  correctsId: string | null;
  correctionReason: string | null;
}
const RESULT_FIELDS =
  'id targetKey uscc outcome notes confidentialNotes status inspectedOn recordedAt publishedAt correctsId ' +
  'correctionReason';

async function data<T>(hub: TestHub, query: string, token?: string): Promise<T> {
  const r = await hub.query<T>(query, { token });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

/** A department's results of a task, read by an auditor (every status, confidential notes included). */
async function results(hub: TestHub, department: string, taskId: string): Promise<Result[]> {
  const r = await data<Record<string, { results: Result[] }>>(
    hub,
    `{ ${department} { results(taskId: "${taskId}", first: 1000) { ${RESULT_FIELDS} } } }`,
    await hub.token(Role.AUDITOR),
  );
  return r[department]!.results;
}

/** The drawn targets of a task, as the public reads them. */
async function drawnUsccs(hub: TestHub, taskId: string): Promise<string[]> {
  const r = await data<{ jointTask: { drawn: Array<{ uscc: string | null }> } }>(
    hub,
    `{ jointTask(id: "${taskId}") { drawn(first: 1000) { uscc } } }`,
  );
  return [...new Set(r.jointTask.drawn.map((d) => d.uscc).filter((u): u is string => u !== null))];
}

describeWithHub(
  'the demo year of joint work, made through the API',
  (hub) => {
    const demo = () => hub().demo!;
    const tasks = () => [demo().tasks.spring, demo().tasks.housing, demo().tasks.autumn];
    const participants: Record<string, string[]> = {
      spring: ['market', 'tax', 'fire', 'environment'],
      housing: ['housing'],
      autumn: ['tax', 'health'],
    };

    it("R11, R30: the year's published plans are public, the draft is not", async () => {
      expect(demo()).toMatchObject({ year: 2026, today: TODAY });
      const seen = await data<{
        jointPlans: Array<{ id: string; status: string; departments: string[] }>;
        jointPlan: null;
      }>(hub(), `{ jointPlans(year: 2026) { id status departments } jointPlan(id: "${demo().plans.draft}") { id } }`);
      expect(seen.jointPlans.map((p) => p.id).sort()).toEqual(
        [demo().plans.joint, demo().plans.taxHealth, demo().plans.housing].sort(),
      );
      expect(seen.jointPlans.every((p) => p.status === 'PUBLISHED')).toBe(true);
      expect(seen.jointPlan).toBeNull();
      // Hub staff see the draft, unpublished and overdue (R11).
      const overdue = await data<{ jointOverduePlanRevisions: Array<{ planId: string }> }>(
        hub(),
        '{ jointOverduePlanRevisions { planId } }',
        await hub().token(Role.AUDITOR),
      );
      expect(overdue.jointOverduePlanRevisions.map((r) => r.planId)).toEqual([demo().plans.draft]);
    });

    it(
      'R9, R16, R17: every task is locked and its full record re-plays to the same draw, with a witness that ' +
        'says it is demo data',
      async () => {
        for (const id of tasks()) {
          const r = await data<{ jointTask: { status: string; witnessSource: string; fullRecord: FullDrawRecord } }>(
            hub(),
            `{ jointTask(id: "${id}") { status witnessSource fullRecord } }`,
            await hub().token(Role.AUDITOR),
          );
          expect(r.jointTask.status).toBe('LOCKED');
          expect(r.jointTask.witnessSource).toMatch(/演示数据.*非真实彩票开奖/);
          const verification = verifyDrawRecord(r.jointTask.fullRecord);
          expect([id, verification.ok, verification.replayed, verification.checks.filter((c) => !c.ok)]).toEqual([
            id,
            true,
            true,
            [],
          ]);
          expect(r.jointTask.fullRecord.drawn.length).toBeGreaterThan(0);
        }
      },
    );

    it(
      'R18, R29, R30: each step was taken by the role that takes it, none of them dated today or later, on an ' +
        'unbroken audit trail',
      async () => {
        const auditor = await hub().token(Role.AUDITOR);
        const trail = await data<{
          jointAuditTrail: Array<{ at: string; role: string; department: string | null; action: string }>;
          jointVerifyAuditTrail: { ok: boolean };
        }>(
          hub(),
          '{ jointAuditTrail(first: 5000) { at role department action } jointVerifyAuditTrail { ok } }',
          auditor,
        );
        expect(trail.jointVerifyAuditTrail.ok).toBe(true);
        const roleOf = (action: string) =>
          new Set(trail.jointAuditTrail.filter((e) => e.action === action).map((e) => e.role));
        for (const action of [
          'plan.created',
          'plan.published',
          'task.committed',
          'task.snapshot',
          'task.drawn',
          'task.locked',
          'team.drawn',
        ])
          expect([action, [...roleOf(action)]]).toEqual([action, [Role.COORDINATOR]]);
        for (const action of ['visit.submitted', 'code.issued'])
          expect([action, [...roleOf(action)]]).toEqual([action, [Role.INSPECTOR]]);
        // R18: each participating department drew its own inspectors.
        expect(
          new Set(trail.jointAuditTrail.filter((e) => e.action === 'team.drawn').map((e) => e.department)),
        ).toEqual(new Set(['market', 'tax', 'fire', 'environment', 'housing', 'health']));
        expect(trail.jointAuditTrail.every((e) => chinaDate(new Date(e.at)) < TODAY && e.at.startsWith('2026-'))).toBe(
          true,
        );
        // The clock was given back: the test's today.
        expect(chinaDate(clock.now())).toBe(TODAY);
      },
    );

    it(
      'R24, R25, R26, R27: results are published for every department; the public never sees a confidential ' + 'note',
      async () => {
        const spring = await results(hub(), 'market', demo().tasks.spring);
        // The spring task: every visit submitted; one target unreachable (R26) and one serious refusal (R27), every
        // item
        // of it.
        expect(demo().visits.spring.submitted).toBe(demo().visits.spring.drawn);
        expect(new Set(spring.filter((r) => r.outcome === 'UNREACHABLE').map((r) => r.targetKey)).size).toBe(1);
        expect(new Set(spring.filter((r) => r.outcome === 'REFUSED_SERIOUS').map((r) => r.targetKey)).size).toBe(1);
        const confidential: string[] = [];
        const publishedBy = new Map<string, number>();
        for (const [key, departments] of Object.entries(participants)) {
          for (const department of departments) {
            const all = await results(hub(), department, demo().tasks[key as 'spring']);
            confidential.push(...all.map((r) => r.confidentialNotes).filter((n): n is string => n !== null));
            publishedBy.set(
              department,
              (publishedBy.get(department) ?? 0) + all.filter((r) => r.status === 'PUBLISHED').length,
            );
          }
        }
        expect(confidential.length).toBeGreaterThan(0);
        expect(
          [...publishedBy]
            .filter(([, n]) => n > 0)
            .map(([d]) => d)
            .sort(),
        ).toEqual(['environment', 'fire', 'health', 'housing', 'market', 'tax']);
        expect(Object.fromEntries(publishedBy)).toEqual(demo().published);
        // The public reads every department's published results of the spring task's targets: never a confidential
        // note.
        const usccs = (await drawnUsccs(hub(), demo().tasks.spring)).slice(0, 12);
        const fields = 'outcome notes confidentialNotes status';
        const answers = await Promise.all(
          usccs.map((u) =>
            hub().query<
              Record<string, { publishedResults: Array<{ confidentialNotes: string | null; status: string }> }>
            >(
              `{ ` +
                (`${participants.spring.map((d) => `${d} { publishedResults(uscc: "${u}") { ${fields} } }`).join(' ')} ` +
                  `` +
                  ``) +
                `}`,
            ),
          ),
        );
        expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
        const text = JSON.stringify(answers);
        const rows = answers.flatMap((a) => Object.values(a.data!).flatMap((d) => d.publishedResults));
        expect(rows.length).toBeGreaterThan(20);
        expect(rows.every((r) => r.confidentialNotes === null && r.status === 'PUBLISHED')).toBe(true);
        for (const note of [...new Set([...confidential, ...demo().confidentialNotes])])
          expect(text).not.toContain(note);
      },
    );

    it('R28: the corrected result and its correction are both public, the correction pointing at it', async () => {
      const { uscc, correctedId, correctionId } = demo().correction!;
      const r = await data<{ market: { publishedResults: Result[] } }>(
        hub(),
        `{ market { publishedResults(uscc: "${uscc}") { ${RESULT_FIELDS} } } }`,
      );
      const old = r.market.publishedResults.find((x) => x.id === correctedId)!;
      const correction = r.market.publishedResults.find((x) => x.id === correctionId)!;
      expect(old).toMatchObject({ outcome: 'FOLLOW_UP_PENDING', status: 'PUBLISHED', correctsId: null });
      expect(correction).toMatchObject({
        outcome: 'CORRECTED_ON_ORDER',
        status: 'PUBLISHED',
        correctsId: correctedId,
        targetKey: old.targetKey,
        inspectedOn: old.inspectedOn,
      });
      expect(correction.correctionReason).toMatch(/主要负责人/);
      expect(correction.publishedAt! > old.publishedAt!).toBe(true);
    });

    it(
      'R4, R12, R22, R25, R31: the statistics show results on time, late and overdue and visits saved, as ' +
        'counted from the departments and the visits',
      async () => {
        const auditor = await hub().token(Role.AUDITOR);
        const stats = await data<{
          jointStatistics: {
            visits: number;
            visitsSaved: number;
            lockedTasks: number;
            departments: Array<{
              department: string;
              itemsCovered: number;
              results: number;
              publishedOnTime: number;
              publishedLate: number;
              overdue: number;
            }>;
          };
          jointDepartmentsWithoutJointPlan: string[];
        }>(
          hub(),
          '{ jointStatistics(year: 2026) { visits visitsSaved lockedTasks departments { department ' +
            'itemsCovered results publishedOnTime publishedLate overdue } } ' +
            'jointDepartmentsWithoutJointPlan(year: 2026) }',
          auditor,
        );
        expect(stats.jointDepartmentsWithoutJointPlan).toEqual(['housing']);
        expect(stats.jointStatistics.lockedTasks).toBe(3);
        // R25 counted here from every department's own results: 20 working days from the end of the check.
        const expected = new Map<
          string,
          { results: number; publishedOnTime: number; publishedLate: number; overdue: number }
        >();
        for (const [key, departments] of Object.entries(participants)) {
          for (const department of departments) {
            const counts = expected.get(department) ?? { results: 0, publishedOnTime: 0, publishedLate: 0, overdue: 0 };
            for (const r of await results(hub(), department, demo().tasks[key as 'spring'])) {
              const deadline = calendar.addWorkingDays(r.inspectedOn, 20);
              counts.results++;
              if (r.publishedAt)
                counts[chinaDate(new Date(r.publishedAt)) <= deadline ? 'publishedOnTime' : 'publishedLate']++;
              else if (TODAY > deadline) counts.overdue++;
            }
            expected.set(department, counts);
          }
        }
        for (const d of stats.jointStatistics.departments) {
          const { department, results: n, publishedOnTime, publishedLate, overdue } = d;
          expect({ department, results: n, publishedOnTime, publishedLate, overdue }).toEqual({
            department,
            ...expected.get(department),
          });
          // R4: every department's checklist is partly covered
          expect([department, d.itemsCovered > 0]).toEqual([department, true]);
        }
        const total = (k: 'publishedOnTime' | 'publishedLate' | 'overdue') =>
          [...expected.values()].reduce((n, c) => n + c[k], 0);
        expect([total('publishedOnTime') > 0, total('publishedLate') > 0, total('overdue') > 0]).toEqual([
          true,
          true,
          true,
        ]);
        // The autumn task's unpublished results are still within their deadline (none overdue).
        const autumnOpen = (await results(hub(), 'tax', demo().tasks.autumn)).filter((r) => !r.publishedAt);
        expect(autumnOpen.length).toBeGreaterThan(0);
        expect(autumnOpen.every((r) => calendar.addWorkingDays(r.inspectedOn, 20) >= TODAY)).toBe(true);
        // R22: visits saved, counted from each visit's combined checklist: k departments on a visit save k - 1.
        let saved = 0;
        let visits = 0;
        for (const id of tasks()) {
          const v = await data<{ jointTask: { visits: Array<{ checklist: Array<{ department: string }> }> } }>(
            hub(),
            `{ jointTask(id: "${id}") { visits(first: 1000) { checklist { department } } } }`,
            auditor,
          );
          visits += v.jointTask.visits.length;
          saved += v.jointTask.visits.reduce((n, x) => n + new Set(x.checklist.map((c) => c.department)).size - 1, 0);
        }
        expect(stats.jointStatistics.visits).toBe(visits);
        expect(saved).toBeGreaterThan(0);
        expect(stats.jointStatistics.visitsSaved).toBe(saved);
      },
    );

    it('R32: the issued inspection codes check genuine for anyone, and a business rated its visit', async () => {
      expect(demo().inspectionCodes.length).toBeGreaterThan(3);
      for (const code of demo().inspectionCodes.slice(0, 5)) {
        const r = await data<{
          jointCheckInspectionCode: { genuine: boolean; year: number; items: unknown[]; inspectors: unknown[] };
        }>(
          hub(),
          `{ jointCheckInspectionCode(code: "${code}") { genuine year items { itemCode } inspectors { name } } }`,
        );
        expect(r.jointCheckInspectionCode).toMatchObject({ genuine: true, year: 2026 });
        expect(r.jointCheckInspectionCode.inspectors.length).toBeGreaterThanOrEqual(2);
      }
      const v = await data<{
        jointTask: { visits: Array<{ feedback: Array<{ kind: string; rating: number | null }> }> };
      }>(
        hub(),
        `{ jointTask(id: "${demo().tasks.spring}") { visits(first: 1000) { feedback { kind rating } } } }`,
        await hub().token(Role.COORDINATOR, 'market'),
      );
      expect(v.jointTask.visits.flatMap((x) => x.feedback).filter((f) => f.kind === 'RATING').length).toBeGreaterThan(
        0,
      );
    });

    it('the demo year is made once: a second run is refused and changes nothing', async () => {
      const before = await data<{ jointPlans: unknown[] }>(
        hub(),
        '{ jointPlans(year: 2026) { id } }',
        await hub().token(Role.AUDITOR),
      );
      await expect(
        runDemoActivity({ gatewayUrl: hub().gateway.url, issuer: hub().issuer, clock, seed: hub().config.demo.seed }),
      ).rejects.toThrow(/made once/);
      const after = await data<{ jointPlans: unknown[] }>(
        hub(),
        '{ jointPlans(year: 2026) { id } }',
        await hub().token(Role.AUDITOR),
      );
      expect(after.jointPlans.length).toBe(before.jointPlans.length);
      expect(chinaDate(clock.now())).toBe(TODAY);
    });
  },
  4000,
  undefined,
  { demoYear: clock },
);
