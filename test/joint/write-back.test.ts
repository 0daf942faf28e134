import { updateRows } from '../../kernel/rows';
import { In } from 'typeorm';
import { OutboxRow } from '../../subgraphs/joint/visits/entities';
import { OutboxDeliverer } from '../../subgraphs/joint/visits/outbox-deliverer';
import { startDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { tax } from '../../subgraphs/tax';
import { fire } from '../../subgraphs/fire';
import { startJoint } from '../../subgraphs/joint';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';
import { deliverEverything, jointPlanInput, publishedPlan, runTaskTo, testClock } from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');

interface Visit {
  key: string;
  industryCode: string;
  team: Array<{ department: string; personId: string; kind: string; status: string }>;
  checklist: Array<{ department: string; itemCode: string }>;
  submission: {
    id: string;
    deliveries: Array<{ department: string; status: string; attempts: number; lastError: string | null }>;
  } | null;
}
const VISITS = (task: string) =>
  `{ jointTask(id: "${task}") { visits(first: 1000) { key industryCode team { department personId kind status ` +
  `} checklist { department itemCode } submission { id deliveries { department status attempts lastError } } ` +
  `} } }`;

async function visits(hub: TestHub, task: string): Promise<Visit[]> {
  const r = await hub.query<{ jointTask: { visits: Visit[] } }>(VISITS(task), { token: await hub.token(Role.AUDITOR) });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTask.visits;
}

function resultsFor(visit: Visit, outcome = 'NO_PROBLEM') {
  return visit.checklist.map((c) => ({
    department: c.department,
    itemCode: c.itemCode,
    outcome,
    method: 'ON_SITE',
    notes: '现场检查',
    confidentialNotes: null,
    evidence: ['photo-1'],
  }));
}

async function submit(
  hub: TestHub,
  task: string,
  visit: Visit,
  results = resultsFor(visit),
  as?: { department: string; personId: string },
) {
  const member = as ?? visit.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'market')!;
  return hub.query<{
    jointSubmitVisitResults: { id: string; deliveries: Array<{ department: string; status: string }> };
  }>(
    'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id deliveries { ' +
      'department status } } }',
    {
      variables: { input: { taskId: task, targetKey: visit.key, inspectedOn: '2026-03-04', results } },
      token: await hub.token(Role.INSPECTOR, member.department, member.personId),
    },
  );
}

/** Delivery rounds until two in a row deliver nothing (deliverEverything: a running round may predate the clock). */
async function deliverAll(hub: TestHub): Promise<void> {
  await deliverEverything(hub.joint.deliverer);
}

async function storedResults(hub: TestHub, department: string, task: string) {
  const r = await hub.query<
    Record<string, { results: Array<{ targetKey: string; itemCode: string; idempotencyKey: string }> }>
  >(`{ ${department} { results(taskId: "${task}", first: 1000) { targetKey itemCode idempotencyKey } } }`, {
    token: await hub.token(Role.AUDITOR),
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data![department]!.results;
}

describeWithHub(
  'visit results written back to every department',
  (hub) => {
    let task: string;
    beforeAll(async () => {
      // Ratios that draw 56 of the 400 targets, about half of them with a tax item (TAX-08 applies to
      // four industry sections only): the tests below take 7 visits with one and 6 without, and at
      // the former ratios (28 visits) a random draw sometimes left fewer than 7 (seen on CI).
      const planId = await publishedPlan(
        hub(),
        jointPlanInput({ ratios: { high: 40, elevated: 20, general: 10, low: 10 } }),
      );
      task = await runTaskTo(hub(), time, planId, 'LOCKED');
      for (const d of ['market', 'tax', 'fire']) {
        const r = await hub().query(`mutation { jointDrawInspectors(taskId: "${task}", department: "${d}") { id } }`, {
          token: await hub().token(Role.COORDINATOR, d),
        });
        if (r.errors) throw new Error(JSON.stringify(r.errors));
      }
    });

    it(
      "R22: each visit shows its combined checklist: every participating department's items that apply to the " +
        'target',
      async () => {
        const all = await visits(hub(), task);
        // MKT-09 and FIRE-01 apply to every enterprise; TAX-08 to industries C, F, G and L only.
        for (const v of all) {
          const expected = [
            ['market', 'MKT-09'],
            ...(/^[CFGL]/.test(v.industryCode) ? [['tax', 'TAX-08']] : []),
            ['fire', 'FIRE-01'],
          ];
          expect([v.key, v.checklist.map((c) => [c.department, c.itemCode])]).toEqual([v.key, expected]);
        }
        expect(all.some((v) => /^[CFGL]/.test(v.industryCode))).toBe(true);
        expect(all.some((v) => !/^[CFGL]/.test(v.industryCode))).toBe(true);
      },
    );

    it(
      'R22, R24, R30: only a team member submits, every item ' + 'of the visit once, each under its own department',
      async () => {
        const visit = (await visits(hub(), task))[0]!;
        const outsider = onlyError(
          await submit(hub(), task, visit, resultsFor(visit), { department: 'market', personId: 'market-i9999' }),
        );
        expect(outsider.code).toBe('FORBIDDEN');
        const partial = onlyError(await submit(hub(), task, visit, resultsFor(visit).slice(1)));
        expect(partial.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R22' });
        const wrongDept = resultsFor(visit).map((r) => (r.itemCode === 'FIRE-01' ? { ...r, department: 'market' } : r));
        expect(onlyError(await submit(hub(), task, visit, wrongDept)).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          rule: 'R24',
        });
        // A mistyped outcome is refused now, with the department's dictionary, instead of being refused by the
        // department later.
        const typo = resultsFor(visit).map((r, i) => (i === 0 ? { ...r, outcome: 'NO_PROBLEMS' } : r));
        const refused = onlyError(await submit(hub(), task, visit, typo));
        expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'results[0].outcome' });
        expect(refused.message).toMatch(/NO_PROBLEM/);
        // R30: a task's visits are for the departments taking part (and hub roles).
        expect(
          onlyError(await hub().query(VISITS(task), { token: await hub().token(Role.DEPT_ADMIN, 'housing') })).code,
        ).toBe('FORBIDDEN');
        expect((await visits(hub(), task))[0]!.submission).toBeNull();
      },
    );

    it(
      'R24: a submission is stored with one outbox entry per department and each share reaches its department ' +
        'once, even when sent again',
      async () => {
        const visit = (await visits(hub(), task))[0]!;
        const submitted = await submit(hub(), task, visit);
        expect(submitted.errors).toBeUndefined();
        await deliverAll(hub());
        const after = (await visits(hub(), task))[0]!;
        expect(after.submission!.deliveries.map((d) => [d.department, d.status])).toEqual(
          [
            ['fire', 'DELIVERED'],
            ['market', 'DELIVERED'],
            ['tax', 'DELIVERED'],
          ].filter(([d]) => visit.checklist.some((c) => c.department === d)),
        );
        for (const department of ['market', 'tax', 'fire']) {
          const expected = visit.checklist
            .filter((c) => c.department === department)
            .map((c) => c.itemCode)
            .sort();
          const stored = (await storedResults(hub(), department, task))
            .filter((r) => r.targetKey === visit.key)
            .map((r) => r.itemCode)
            .sort();
          expect([department, stored]).toEqual([department, expected]);
        }
        // A crash after sending but before marking: the entries are sent again; nothing is duplicated.
        await hub().joint.database.dataSource.manager.update(
          OutboxRow,
          { submissionId: after.submission!.id },
          { status: 'PENDING', leaseUntil: null },
        );
        await deliverAll(hub());
        for (const department of ['market', 'tax', 'fire']) {
          const stored = (await storedResults(hub(), department, task)).filter((r) => r.targetKey === visit.key);
          expect(stored.length).toBe(visit.checklist.filter((c) => c.department === department).length);
        }
        expect(onlyError(await submit(hub(), task, visit)).code).toBe('CONFLICT'); // a visit is submitted once

        // A share refused by its department (say its dictionary changed meanwhile) is sent again once mended: nothing
        // is
        // lost.
        await hub().joint.database.dataSource.manager.update(
          OutboxRow,
          { submissionId: after.submission!.id, department: 'fire' },
          { status: 'REFUSED' },
        );
        const retry =
          `mutation { jointRetryDelivery(submissionId: "${after.submission!.id}", department: "fire") { ` +
          `department status } }`;
        expect(onlyError(await hub().query(retry, { token: await hub().token(Role.COORDINATOR, 'tax') })).code).toBe(
          'FORBIDDEN',
        );
        expect((await hub().query(retry, { token: await hub().token(Role.COORDINATOR, 'market') })).data).toEqual({
          jointRetryDelivery: { department: 'fire', status: 'PENDING' },
        });
        await deliverAll(hub());
        expect(
          (await visits(hub(), task))[0]!.submission!.deliveries.find((d) => d.department === 'fire')!.status,
        ).toBe('DELIVERED');
        expect(onlyError(await hub().query(retry, { token: await hub().token(Role.COORDINATOR, 'market') })).code).toBe(
          'CONFLICT',
        );
      },
    );

    it(
      'R25, R31: statistics count visits, visits saved, coverage, and results published on time, late or ' +
        'overdue (20 working days)',
      async () => {
        const STATS =
          '{ jointStatistics(year: 2026) { lockedTasks tasksDone visits visitsSubmitted visitsSaved ' +
          'departments { department tasks tasksDone visits itemsInForce itemsCovered results published ' +
          'publishedOnTime publishedLate overdue publicationRate } } }';
        const stats = async () =>
          (
            await hub().query<{
              jointStatistics: {
                lockedTasks: number;
                visits: number;
                visitsSubmitted: number;
                visitsSaved: number;
                departments: Array<Record<string, number | string>>;
              };
            }>(STATS, { token: await hub().token(Role.COORDINATOR, 'market') })
          ).data!.jointStatistics;
        // Two visits with a tax item, submitted and delivered.
        const withTax = (await visits(hub(), task))
          .filter((v) => !v.submission && v.checklist.some((c) => c.department === 'tax'))
          .slice(0, 2);
        expect(withTax).toHaveLength(2);
        for (const v of withTax) expect((await submit(hub(), task, v)).errors).toBeUndefined();
        await deliverAll(hub());
        const before = await stats();
        expect(before).toMatchObject({
          lockedTasks: 1,
          visitsSubmitted: (await visits(hub(), task)).filter((v) => v.submission).length,
        });
        // A visit saves one separate visit per department beyond the first that checks items there.
        const all = await visits(hub(), task);
        expect(before.visits).toBe(all.length);
        expect(before.visitsSaved).toBe(
          all.reduce((n, v) => n + new Set(v.checklist.map((c) => c.department)).size - 1, 0),
        );
        expect(before).toMatchObject({ tasksDone: 0 }); // most visits are not submitted yet
        const taxBefore = before.departments.find((d) => d.department === 'tax')!;
        expect(taxBefore).toMatchObject({
          tasks: 1,
          tasksDone: 0,
          visits: all.filter((v) => v.checklist.some((c) => c.department === 'tax')).length,
        });
        expect(before.departments.find((d) => d.department === 'housing')).toMatchObject({ tasks: 0, visits: 0 });
        expect(taxBefore).toMatchObject({ itemsCovered: 1, published: 0, overdue: 0, publicationRate: 0 });
        expect(taxBefore.results).toBeGreaterThan(0);
        expect(taxBefore.itemsInForce).toBe(16);
        // 4 March + 20 working days = 1 April 2026. The tax admin publishes one result on 20 March
        // (on time) and, on 1 May, another (late); the rest is overdue by then.
        const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const rows = (
          await hub().query<{ tax: { results: Array<{ id: string }> } }>(
            `{ tax { results(taskId: "${task}") { id } } }`,
            { token: admin },
          )
        ).data!.tax.results;
        expect(rows.length).toBeGreaterThanOrEqual(2);
        const publish = async (id: string) => {
          await hub().query(`mutation { taxApproveResults(ids: ["${id}"]) { id } }`, { token: admin });
          return hub().query<{ taxPublishResults: Array<{ publishedAt: string }> }>(
            `mutation { taxPublishResults(ids: ["${id}"]) { publishedAt } }`,
            { token: admin },
          );
        };
        time.set('2026-03-20T02:00:00Z');
        expect((await publish(rows[0]!.id)).data!.taxPublishResults[0]!.publishedAt).toBe('2026-03-20T02:00:00.000Z');
        time.set('2026-05-01T02:00:00Z');
        await publish(rows[1]!.id);
        const after = (await stats()).departments.find((d) => d.department === 'tax')!;
        time.set('2026-03-04T02:00:00Z');
        expect(after).toMatchObject({
          results: taxBefore.results,
          published: 2,
          publishedOnTime: 1,
          publishedLate: 1,
          overdue: (taxBefore.results as number) - 2,
        });
        expect(after.publicationRate).toBeCloseTo(2 / (taxBefore.results as number));
      },
    );

    it(
      'R26, R27: a serious refusal is the result of every item and, once published, a dishonesty record on the ' +
        'view; a problem for another department is a lead for it',
      async () => {
        const visit = (await visits(hub(), task)).find(
          (v) => !v.submission && v.checklist.some((c) => c.department === 'tax'),
        )!;
        const results = resultsFor(visit, 'REFUSED_SERIOUS').map((r, i) =>
          i === 0 ? { ...r, leadFor: 'environment', leadNote: '现场发现疑似违法排放废水' } : r,
        );
        const badLead = resultsFor(visit, 'REFUSED_SERIOUS').map((r, i) =>
          i === 0 ? { ...r, leadFor: 'nowhere', leadNote: 'x' } : r,
        );
        expect(onlyError(await submit(hub(), task, visit, badLead)).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          rule: 'R27',
        });
        expect((await submit(hub(), task, visit, results)).errors).toBeUndefined();
        await deliverAll(hub());
        const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const mine = (
          await hub().query<{ tax: { results: Array<{ id: string; targetKey: string; dishonesty: boolean }> } }>(
            `{ tax { results(taskId: "${task}", first: 1000) { id targetKey dishonesty } } }`,
            { token: admin },
          )
        ).data!.tax.results.filter((r) => r.targetKey === visit.key);
        expect(mine.length).toBeGreaterThan(0);
        expect(mine.every((r) => r.dishonesty)).toBe(true);
        const VIEW = `{ marketEntity(uscc: "${visit.key}") { tax { dishonestyRecords { outcome dishonesty } } } }`;
        const coordinator = await hub().token(Role.COORDINATOR, 'market');
        expect(
          (await hub().query<{ marketEntity: { tax: { dishonestyRecords: unknown[] } } }>(VIEW, { token: coordinator }))
            .data!.marketEntity.tax.dishonestyRecords,
        ).toEqual([]); // not published yet
        const ids = JSON.stringify(mine.map((r) => r.id));
        await hub().query(`mutation { taxApproveResults(ids: ${ids}) { id } }`, { token: admin });
        await hub().query(`mutation { taxPublishResults(ids: ${ids}) { id } }`, { token: admin });
        const records = (
          await hub().query<{ marketEntity: { tax: { dishonestyRecords: Array<{ outcome: string }> } } }>(VIEW, {
            token: coordinator,
          })
        ).data!.marketEntity.tax.dishonestyRecords;
        expect(records.map((r) => r.outcome)).toEqual(mine.map(() => 'REFUSED_SERIOUS'));
        const leads = await hub().query<{
          jointLeads: Array<{ targetKey: string; fromDepartment: string; note: string }>;
        }>('{ jointLeads(department: "environment") { targetKey fromDepartment note } }', {
          token: await hub().token(Role.INSPECTOR, 'environment'),
        });
        expect(leads.data!.jointLeads).toEqual([
          { targetKey: visit.key, fromDepartment: results[0]!.department, note: '现场发现疑似违法排放废水' },
        ]);
        expect(
          onlyError(
            await hub().query('{ jointLeads(department: "environment") { note } }', {
              token: await hub().token(Role.INSPECTOR, 'fire'),
            }),
          ).code,
        ).toBe('FORBIDDEN');
      },
    );

    it(
      "R30: a team's inspector reads every participating department's view of their own visits' targets " +
        'through the joint service, and no other',
      async () => {
        const all = await visits(hub(), task);
        const member = all[0]!.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'tax')!;
        const other = all.find((v) => !v.team.some((m) => m.personId === member.personId))!;
        const token = await hub().token(Role.INSPECTOR, 'tax', member.personId);
        const answer = await hub().query<{
          jointTask: { targetViews: Array<{ key: string; department: string; onRoster: boolean }> };
        }>(
          `{ jointTask(id: "${task}") { targetViews(keys: ["${all[0]!.key}", "${other.key}"]) { key department ` +
            `onRoster creditLevel riskLevel } } }`,
          { token },
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.jointTask.targetViews.map((v) => [v.key, v.department]).sort()).toEqual(
          ['fire', 'market', 'tax'].map((d) => [all[0]!.key, d]),
        );
        // Directly, the fire department does not let a tax inspector read its view.
        const direct = await hub().query(`{ marketEntity(uscc: "${all[0]!.key}") { fire { creditLevel } } }`, {
          token,
        });
        expect(direct.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      },
    );

    it('an inspector sees only the visits whose team they are on', async () => {
      const all = await visits(hub(), task);
      const member = all[0]!.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'tax')!;
      const mine = await hub().query<{ jointTask: { visits: Visit[] } }>(VISITS(task), {
        token: await hub().token(Role.INSPECTOR, 'tax', member.personId),
      });
      const keys = mine.data!.jointTask.visits.map((v) => v.key);
      expect(keys).toContain(all[0]!.key);
      expect(keys.length).toBeLessThan(all.length);
      for (const v of mine.data!.jointTask.visits)
        expect(v.team.some((m) => m.personId === member.personId && m.status === 'ACTIVE')).toBe(true);
    });

    it(
      "R32: a visit's inspection code lets the business check it is genuine, see who and on what basis, and " +
        'rate it or complain; nothing private',
      async () => {
        const visit = (await visits(hub(), task))[2]!;
        const member = visit.team.find((m) => m.kind === 'INSPECTOR' && m.department === 'fire')!;
        const issue = async (token: string) =>
          hub().query<{ jointIssueInspectionCode: string }>(
            `mutation { jointIssueInspectionCode(taskId: "${task}", targetKey: "${visit.key}") }`,
            { token },
          );
        expect(onlyError(await issue(await hub().token(Role.INSPECTOR, 'fire', 'fire-i9999'))).code).toBe('FORBIDDEN');
        const code = (await issue(await hub().token(Role.INSPECTOR, 'fire', member.personId))).data!
          .jointIssueInspectionCode;
        expect(code).toMatch(/^JC-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
        // one code per visit
        expect((await issue(await hub().token(Role.COORDINATOR, 'market'))).data!.jointIssueInspectionCode).toBe(code);

        const CHECK = (c: string) =>
          `{ jointCheckInspectionCode(code: "${c}") { genuine taskName departments items { department itemCode ` +
          `basis } inspectors { department name certificateNo } } }`;
        const checked = await hub().query<{
          jointCheckInspectionCode: {
            genuine: boolean;
            items: Array<{ itemCode: string; basis: string }>;
            inspectors: Array<{ name: string; certificateNo: string }>;
          };
        }>(CHECK(code.toLowerCase()));
        expect(checked.errors).toBeUndefined();
        const answer = checked.data!.jointCheckInspectionCode;
        expect(answer.genuine).toBe(true);
        expect(answer.items.map((i) => i.itemCode).sort()).toEqual(visit.checklist.map((c) => c.itemCode).sort());
        expect(answer.items.every((i) => /《.+》/.test(i.basis))).toBe(true);
        expect(answer.inspectors.length).toBe(
          visit.team.filter((m) => m.kind === 'INSPECTOR' && m.status === 'ACTIVE').length,
        );
        expect(JSON.stringify(answer)).not.toMatch(/1[3-9]\d{9}/); // no phone number anywhere
        expect(
          (await hub().query<{ jointCheckInspectionCode: { genuine: boolean } }>(CHECK('JC-0000-0000-0000-0000'))).data!
            .jointCheckInspectionCode.genuine,
        ).toBe(false);

        expect(
          (
            await hub().query(
              `mutation { jointRateVisit(code: "${code}", rating: 5, comment: "检查人员出示了证件，规范") }`,
            )
          ).data,
        ).toEqual({ jointRateVisit: true });
        expect(
          (await hub().query(`mutation { jointComplainAboutVisit(code: "${code}", text: "检查时间过长") }`)).data,
        ).toEqual({ jointComplainAboutVisit: true });
        expect(
          onlyError(await hub().query(`mutation { jointRateVisit(code: "${code}", rating: 9) }`)).extensions,
        ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rating' });
        expect(
          onlyError(
            await hub().query('mutation { jointComplainAboutVisit(code: "JC-0000-0000-0000-0000", text: "x") }'),
          ).code,
        ).toBe('BAD_USER_INPUT');
        const seen = await hub().query<{
          jointTask: {
            visits: Array<{
              key: string;
              inspectionCode: string;
              feedback: Array<{ kind: string; rating: number | null }>;
            }>;
          };
        }>(`{ jointTask(id: "${task}") { visits(first: 1000) { key inspectionCode feedback { kind rating } } } }`, {
          token: await hub().token(Role.COORDINATOR, 'market'),
        });
        const mine = seen.data!.jointTask.visits.find((v) => v.key === visit.key)!;
        expect(mine.inspectionCode).toBe(code);
        // Both were left at the same (test) instant: compare without order.
        expect([...mine.feedback].sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
          { kind: 'COMPLAINT', rating: null },
          { kind: 'RATING', rating: 5 },
        ]);
      },
    );

    it(
      'R24: a department that is down gets its share when it is back, exactly once; the others get theirs at ' + 'once',
      async () => {
        const all = await visits(hub(), task);
        const visit = all.find((v) => !v.submission && v.checklist.some((c) => c.department === 'tax'))!;
        const index = hub().departments.findIndex((d) => d.name === 'tax');
        const port = hub().departments[index]!.port;
        await hub().departments[index]!.stop();
        expect((await submit(hub(), task, visit)).errors).toBeUndefined();
        await deliverAll(hub());
        const waiting = (await visits(hub(), task)).find((v) => v.key === visit.key)!.submission!.deliveries;
        const taxDelivery = waiting.find((d) => d.department === 'tax')!;
        expect(taxDelivery).toMatchObject({ status: 'PENDING', attempts: 1 });
        expect(taxDelivery.lastError).toMatch(/tax department could not be reached/);
        expect(waiting.filter((d) => d.department !== 'tax').every((d) => d.status === 'DELIVERED')).toBe(true);

        // Tax comes back (a new process would: its own database, its address); the next round after the backoff
        // delivers.
        hub().departments[index] = await startDepartment(tax, hub().config, {
          verifier: hub().verifier,
          logger: createLogger('silent', 'tax'),
          port,
        });
        time.set('2026-03-04T02:10:00Z');
        await deliverAll(hub());
        const done = (await visits(hub(), task)).find((v) => v.key === visit.key)!.submission!.deliveries;
        expect(done.every((d) => d.status === 'DELIVERED')).toBe(true);
        const stored = (await storedResults(hub(), 'tax', task)).filter((r) => r.targetKey === visit.key);
        expect(stored.length).toBe(visit.checklist.filter((c) => c.department === 'tax').length);
      },
    );

    it(
      "R24: a department's due shares go to it in one call; a share it refuses is found and marked REFUSED " +
        'alone, the others are delivered with their own receipts',
      async () => {
        // Fire checks every enterprise; visits without a tax item are taken (the tests below need those with one).
        const fresh = (await visits(hub(), task))
          .filter((v) => !v.submission && !v.checklist.some((c) => c.department === 'tax'))
          .slice(0, 3);
        expect(fresh.length).toBe(3);
        const index = hub().departments.findIndex((d) => d.name === 'fire');
        const port = hub().departments[index]!.port;
        await hub().departments[index]!.stop();
        for (const v of fresh) expect((await submit(hub(), task, v)).errors).toBeUndefined();
        await deliverAll(hub()); // the others' shares go; fire's three wait
        hub().departments[index] = await startDepartment(fire, hub().config, {
          verifier: hub().verifier,
          logger: createLogger('silent', 'fire'),
          port,
        });
        const m = hub().joint.database.dataSource.manager;
        type Payload = Array<{ targetKey: string; idempotencyKey: string; outcome: string }>;
        const waiting = await m.find(OutboxRow, { where: { department: 'fire', status: 'PENDING' } });
        expect(waiting.map((e) => (e.payload as Payload)[0]!.targetKey).sort()).toEqual(fresh.map((v) => v.key).sort());
        // One share carries an outcome fire does not know (as if its own system changed its dictionary after the
        // submission).
        const bad = waiting.find((e) => (e.payload as Payload)[0]!.targetKey === fresh[1]!.key)!;
        await updateRows(
          m,
          OutboxRow,
          { id: bad.id },
          { payload: (bad.payload as Payload).map((p) => ({ ...p, outcome: 'EXITS_BLOCKED' })) },
        );
        const run = jest.spyOn(hub().joint.deps.departments, 'run');
        try {
          time.set('2026-03-04T02:20:00Z');
          await deliverAll(hub());
          const sent = run.mock.calls
            .filter(([d, op]) => d === 'fire' && op === 'DepartmentRecordResults')
            .map(([, , v]) => (v!.input as Payload).map((p) => p.targetKey));
          // The three shares in one call; it is refused all or none, so then each alone, in the same order.
          const order = sent[0]!.filter((k, i, all) => all.indexOf(k) === i);
          expect(order.sort()).toEqual(fresh.map((v) => v.key).sort());
          expect(sent.length).toBe(4);
          expect(sent.slice(1).map((keys) => [...new Set(keys)])).toEqual(
            sent[0]!.filter((k, i, all) => all.indexOf(k) === i).map((k) => [k]),
          );
        } finally {
          run.mockRestore();
        }
        const after = await m.find(OutboxRow, { where: { id: In(waiting.map((e) => e.id)) } });
        for (const entry of after) {
          if (entry.id === bad.id) {
            expect(entry).toMatchObject({ status: 'REFUSED', leaseUntil: null, leaseId: null });
            expect(entry.lastError).toMatch(/EXITS_BLOCKED/);
            expect(entry.receipts).toBeNull();
          } else {
            expect(entry).toMatchObject({ status: 'DELIVERED', leaseId: null });
            // Each entry keeps the receipts of its own results, cut from the batch's answer.
            expect((entry.receipts as Array<{ idempotencyKey: string }>).map((r) => r.idempotencyKey)).toEqual(
              (entry.payload as Payload).map((p) => p.idempotencyKey),
            );
          }
        }
        const stored = await storedResults(hub(), 'fire', task);
        expect(stored.filter((r) => r.targetKey === fresh[1]!.key)).toEqual([]);
        for (const v of [fresh[0]!, fresh[2]!])
          expect(stored.filter((r) => r.targetKey === v.key).length).toBe(
            v.checklist.filter((c) => c.department === 'fire').length,
          );
        // Mended (fire defines the outcome) and sent again by the lead's coordinator: nothing refused is lost.
        expect(
          (
            await hub().query('mutation { fireDefineOutcome(code: "EXITS_BLOCKED", label: "疏散通道堵塞") { code } }', {
              token: await hub().token(Role.DEPT_ADMIN, 'fire'),
            })
          ).errors,
        ).toBeUndefined();
        expect(
          (
            await hub().query(
              `mutation { jointRetryDelivery(submissionId: "${bad.submissionId}", department: "fire") { status } }`,
              { token: await hub().token(Role.COORDINATOR, 'market') },
            )
          ).data,
        ).toEqual({ jointRetryDelivery: { status: 'PENDING' } });
        await deliverAll(hub());
        expect((await m.findOneByOrFail(OutboxRow, { id: bad.id })).status).toBe('DELIVERED');
        expect((await storedResults(hub(), 'fire', task)).filter((r) => r.targetKey === fresh[1]!.key).length).toBe(
          fresh[1]!.checklist.filter((c) => c.department === 'fire').length,
        );
      },
    );

    it(
      'R24: an outcome a department added a moment ago is taken at once, though its dictionary was read for ' +
        'the submission before; known outcomes are not read again for every submission',
      async () => {
        const [first, second, third] = (await visits(hub(), task)).filter(
          (v) => !v.submission && !v.checklist.some((c) => c.department === 'tax'),
        );
        const run = jest.spyOn(hub().joint.deps.departments, 'run');
        const reads = () => run.mock.calls.filter(([d, op]) => d === 'market' && op === 'DepartmentOutcomes').length;
        try {
          expect((await submit(hub(), task, first!)).errors).toBeUndefined();
          expect((await submit(hub(), task, second!)).errors).toBeUndefined();
          // read once (or not at all, when a read of the tests before is still fresh)
          expect(reads()).toBeLessThanOrEqual(1);
          const defined = await hub().query(
            `mutation { marketDefineOutcome(code: "LICENCE_NOT_SHOWN", label: "未按规定公示营业执照") { code } }`,
            { token: await hub().token(Role.DEPT_ADMIN, 'market') },
          );
          expect(defined.errors).toBeUndefined();
          const before = reads();
          const withNew = resultsFor(third!).map((r) =>
            r.department === 'market' ? { ...r, outcome: 'LICENCE_NOT_SHOWN' } : r,
          );
          expect((await submit(hub(), task, third!, withNew)).errors).toBeUndefined();
          expect(reads()).toBe(before + 1); // the code was not in the kept dictionary: read again before judging
        } finally {
          run.mockRestore();
        }
        await deliverAll(hub());
        const stored = await storedResults(hub(), 'market', task);
        expect(stored.filter((r) => r.targetKey === third!.key).length).toBe(
          third!.checklist.filter((c) => c.department === 'market').length,
        );
      },
    );

    it(
      'R24: two deliverers working at once send each share once: the lease keeps them apart, the keys keep ' +
        'records single',
      async () => {
        const fresh = (await visits(hub(), task))
          .filter((v) => !v.submission && v.checklist.some((c) => c.department === 'tax'))
          .slice(0, 3);
        expect(fresh.length).toBe(3);
        const index = hub().departments.findIndex((d) => d.name === 'tax');
        const port = hub().departments[index]!.port;
        await hub().departments[index]!.stop();
        for (const v of fresh) expect((await submit(hub(), task, v)).errors).toBeUndefined();
        await deliverAll(hub()); // the others' shares go; tax's wait
        hub().departments[index] = await startDepartment(tax, hub().config, {
          verifier: hub().verifier,
          logger: createLogger('silent', 'tax'),
          port,
        });
        time.set('2026-03-04T04:00:00Z');
        const second = new OutboxDeliverer(hub().joint.deps, createLogger('silent', 'deliverer-2'), 3_600_000);
        const run = jest.spyOn(hub().joint.deps.departments, 'run');
        let sent: string[];
        try {
          const [a, b] = await Promise.all([hub().joint.deliverer.deliverDue(), second.deliverDue()]);
          // Each of the three waiting tax shares was delivered by exactly one of them, and sent once.
          expect(a + b).toBe(3);
          sent = run.mock.calls
            .filter(([d, op]) => d === 'tax' && op === 'DepartmentRecordResults')
            .flatMap(([, , v]) => (v!.input as Array<{ idempotencyKey: string }>).map((r) => r.idempotencyKey));
        } finally {
          run.mockRestore();
        }
        const entries = await hub().joint.database.dataSource.manager.find(OutboxRow, {});
        expect(entries.every((e) => e.status === 'DELIVERED')).toBe(true);
        const taxShares = entries.filter(
          (e) =>
            e.department === 'tax' &&
            fresh.some((v) => (e.payload as Array<{ targetKey: string }>)[0]!.targetKey === v.key),
        );
        const keysOf = (e: OutboxRow) => (e.payload as Array<{ idempotencyKey: string }>).map((r) => r.idempotencyKey);
        expect([...sent].sort()).toEqual(taxShares.flatMap(keysOf).sort());
        // Delivered in one batch, each entry keeps the receipts of its own results.
        for (const e of taxShares)
          expect((e.receipts as Array<{ idempotencyKey: string }>).map((r) => r.idempotencyKey)).toEqual(keysOf(e));
        for (const v of fresh) {
          const stored = (await storedResults(hub(), 'tax', task)).filter((r) => r.targetKey === v.key);
          expect(stored.length).toBe(v.checklist.filter((c) => c.department === 'tax').length);
        }
      },
    );

    // Last in this file: it replaces the hub's joint service.
    it('R24: a restart of the joint service with deliveries pending loses nothing and duplicates nothing', async () => {
      const visit = (await visits(hub(), task)).find(
        (v) => !v.submission && v.checklist.some((c) => c.department === 'fire'),
      )!;
      const fireIndex = hub().departments.findIndex((d) => d.name === 'fire');
      const firePort = hub().departments[fireIndex]!.port;
      await hub().departments[fireIndex]!.stop();
      expect((await submit(hub(), task, visit)).errors).toBeUndefined();
      await deliverAll(hub());
      // The joint service stops with fire's share pending, and starts again on its database.
      const jointPort = hub().joint.port;
      await hub().joint.stop();
      const restarted = await startJoint(hub().config, {
        verifier: hub().verifier,
        issuer: hub().issuer,
        logger: createLogger('silent', 'joint'),
        port: jointPort,
        departments: () => hub().departments.map((d) => ({ code: d.name, name: d.name, url: d.url })),
        clock: time.clock,
        deliveryIntervalMs: 3_600_000,
      });
      try {
        hub().departments[fireIndex] = await startDepartment(fire, hub().config, {
          verifier: hub().verifier,
          logger: createLogger('silent', 'fire'),
          port: firePort,
        });
        time.set('2026-03-04T06:00:00Z');
        await restarted.deliverer.deliverDue();
        const deliveries = (await visits(hub(), task)).find((v) => v.key === visit.key)!.submission!.deliveries;
        expect(deliveries.every((d) => d.status === 'DELIVERED')).toBe(true);
        for (const department of ['market', 'tax', 'fire']) {
          const stored = (await storedResults(hub(), department, task)).filter((r) => r.targetKey === visit.key);
          expect([department, stored.length]).toEqual([
            department,
            visit.checklist.filter((c) => c.department === department).length,
          ]);
        }
      } finally {
        await restarted.stop();
      }
    });
  },
  400,
  time.clock,
);
