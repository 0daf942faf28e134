import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError } from '../support/hub';
import { createPlan, jointPlanInput, PLAN_FIELDS, publishPlan, testClock } from './fixtures';

// Monday 2 March 2026, 10:00 in Shanghai.
const time = testClock('2026-03-02T02:00:00Z');

describeWithHub(
  'annual plans',
  (hub) => {
    const plansOf = async (year = 2026) =>
      (
        await hub().query<{ jointPlans: Array<{ id: string }> }>(`{ jointPlans(year: ${year}) { id } }`, {
          token: await hub().token(Role.AUDITOR),
        })
      ).data!.jointPlans;

    it(
      'R10, R11: a coordinator of the lead department makes a plan; it is a draft with a publication deadline ' +
        '5 working days on',
      async () => {
        const created = await createPlan(hub(), jointPlanInput());
        expect(created.errors).toBeUndefined();
        const plan = created.data!.jointCreatePlan as unknown as Record<string, unknown>;
        expect(plan).toMatchObject({
          year: 2026,
          leadDepartment: 'market',
          departments: ['fire', 'market', 'tax'],
          kind: 'JOINT',
          status: 'DRAFT',
          revision: 1,
          publishedRevision: null,
        });
        // R3: items carry their department's checklist text as it stood.
        expect((plan.items as Array<{ code: string; title: string }>).map((i) => i.code)).toEqual([
          'MKT-09',
          'TAX-08',
          'FIRE-01',
        ]);
        expect((plan.items as Array<{ title: string }>).every((i) => i.title.length > 2)).toBe(true);
        // 2026-03-02 (Mon) + 5 working days = Mon 2026-03-09.
        expect((plan.revisions as Array<{ publishBy: string }>)[0]!.publishBy).toBe('2026-03-09');
        expect(plan.ratios).toEqual({ high: 30, elevated: 10, general: 2, low: 1 });
      },
    );

    it(
      'R3: an item not on the checklist, at a version that does not exist, or a department without items is ' +
        'refused; nothing is written',
      async () => {
        const before = (await plansOf()).length;
        const cases: Array<[Record<string, unknown>, RegExp]> = [
          [
            { items: [...jointPlanInput().items, { department: 'market', code: 'MKT-99', version: 1 }] },
            /no checklist item MKT-99 version 1/,
          ],
          [
            {
              items: [
                { department: 'market', code: 'MKT-09', version: 2 },
                { department: 'tax', code: 'TAX-08', version: 1 },
                { department: 'fire', code: 'FIRE-01', version: 1 },
              ],
            },
            /MKT-09 version 2/,
          ],
          [
            {
              items: [
                { department: 'market', code: 'MKT-09', version: 1 },
                { department: 'tax', code: 'TAX-08', version: 1 },
              ],
            },
            /fire takes part but has no item/,
          ],
          [
            { items: [...jointPlanInput().items, { department: 'housing', code: 'HSG-01', version: 1 }] },
            /'housing' does not take part/,
          ],
        ];
        for (const [overrides, message] of cases) {
          const error = onlyError(await createPlan(hub(), jointPlanInput(overrides)));
          expect([error.code, error.extensions.rule]).toEqual(['BAD_USER_INPUT', 'R3']);
          expect(error.message).toMatch(message);
        }
        expect((await plansOf()).length).toBe(before);
      },
    );

    it('R2: a GENERAL item caps every ratio of the plan', async () => {
      const items = [...jointPlanInput().items, { department: 'market', code: 'MKT-01', version: 1 }];
      const error = onlyError(await createPlan(hub(), jointPlanInput({ items })));
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R2', field: 'input.items[3]' });
      expect(error.message).toMatch(/30% exceeds the 5% cap of GENERAL item market MKT-01/);
      const capped = await createPlan(
        hub(),
        jointPlanInput({ items, ratios: { high: 5, elevated: 4, general: 2, low: 1 } }),
      );
      expect(capped.errors).toBeUndefined();
    });

    it('R13: ratios may not rise from high to low risk', async () => {
      const error = onlyError(
        await createPlan(hub(), jointPlanInput({ ratios: { high: 2, elevated: 10, general: 2, low: 1 } })),
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R13', field: 'input.ratios' });
    });

    it('R16, R30: only a coordinator of the lead department makes or changes its plans', async () => {
      const inspector = onlyError(
        await createPlan(hub(), jointPlanInput(), await hub().token(Role.INSPECTOR, 'market')),
      );
      expect(inspector.code).toBe('FORBIDDEN');
      const created = await createPlan(hub(), jointPlanInput());
      const revise = await hub().query(
        `mutation($id: ID!, $input: PlanInput!) { jointRevisePlan(id: $id, input: $input, note: "x") { id } }`,
        {
          variables: { id: created.data!.jointCreatePlan.id, input: jointPlanInput() },
          token: await hub().token(Role.COORDINATOR, 'tax'),
        },
      );
      expect(onlyError(revise).code).toBe('FORBIDDEN');
    });

    it(
      'R11: every change is a revision kept with time and author; the public sees only what is published; late ' +
        'revisions are reported',
      async () => {
        time.set('2026-03-02T02:00:00Z');
        const created = await createPlan(hub(), jointPlanInput({ name: '待修订计划' }));
        const id = created.data!.jointCreatePlan.id;
        await publishPlan(hub(), id);
        time.set('2026-03-03T02:00:00Z');
        const revised = await hub().query<{
          jointRevisePlan: {
            revision: number;
            status: string;
            revisions: Array<{ revision: number; note: string | null; publishedAt: string | null; publishBy: string }>;
          };
        }>(
          `mutation($id: ID!, $input: PlanInput!) { jointRevisePlan(id: $id, input: $input, note: "增加第二批次任务") { ` +
            `${PLAN_FIELDS} } }`,
          {
            variables: { id, input: jointPlanInput({ name: '待修订计划（修订）', windowEnd: '2026-12-15' }) },
            token: await hub().token(Role.COORDINATOR, 'market'),
          },
        );
        expect(revised.errors).toBeUndefined();
        expect(revised.data!.jointRevisePlan).toMatchObject({ revision: 2, status: 'DRAFT' });
        expect(
          revised.data!.jointRevisePlan.revisions.map((r) => [r.revision, r.note, r.publishedAt !== null, r.publishBy]),
        ).toEqual([
          [1, null, true, '2026-03-09'],
          [2, '增加第二批次任务', false, '2026-03-10'],
        ]);
        // The public, and staff of departments outside the plan, still read revision 1; a participating department's
        // staff read the draft (R30).
        const publicView = await hub().query<{ jointPlan: { name: string; revision: number } }>(
          `{ jointPlan(id: "${id}") { name revision } }`,
        );
        expect(publicView.data!.jointPlan).toEqual({ name: '待修订计划', revision: 1 });
        const outsider = await hub().query<{ jointPlan: { revision: number } }>(
          `{ jointPlan(id: "${id}") { revision } }`,
          { token: await hub().token(Role.INSPECTOR, 'housing') },
        );
        expect(outsider.data!.jointPlan.revision).toBe(1);
        const partner = await hub().query<{ jointPlan: { revision: number } }>(
          `{ jointPlan(id: "${id}") { revision } }`,
          { token: await hub().token(Role.INSPECTOR, 'tax') },
        );
        expect(partner.data!.jointPlan.revision).toBe(2);

        const overdue = async (asOf: string) =>
          (
            await hub().query<{ jointOverduePlanRevisions: Array<{ planId: string; revision: number }> }>(
              `{ jointOverduePlanRevisions(asOf: "${asOf}") { planId revision } }`,
              { token: await hub().token(Role.AUDITOR) },
            )
          ).data!.jointOverduePlanRevisions.filter((r) => r.planId === id);
        expect(await overdue('2026-03-10')).toEqual([]);
        expect(await overdue('2026-03-11')).toEqual([{ planId: id, revision: 2 }]);
        await publishPlan(hub(), id);
        expect(await overdue('2026-03-11')).toEqual([]);
        const after = await hub().query<{ jointPlan: { name: string; revision: number } }>(
          `{ jointPlan(id: "${id}") { name revision } }`,
        );
        expect(after.data!.jointPlan).toEqual({ name: '待修订计划（修订）', revision: 2 });
      },
    );

    it(
      'R11: a plan made on 5 January 2027, whose holiday notice is not loaded, is made with a provisional ' +
        'deadline (never refused for a missing year)',
      async () => {
        time.set('2027-01-05T02:00:00Z');
        try {
          const created = await hub().query<{
            jointCreatePlan: { id: string; revisions: Array<{ publishBy: string; publishByProvisional: boolean }> };
          }>(
            'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id revisions { publishBy ' +
              'publishByProvisional } } }',
            {
              variables: { input: jointPlanInput({ year: 2027, windowStart: '2027-03-01', windowEnd: '2027-11-30' }) },
              token: await hub().token(Role.COORDINATOR, 'market'),
            },
          );
          expect(created.errors).toBeUndefined();
          // Tue 5 January: Wed 6 (1), Thu 7 (2), Fri 8 (3), Mon 11 (4), Tue 12 (5).
          expect(created.data!.jointCreatePlan.revisions).toEqual([
            { publishBy: '2027-01-12', publishByProvisional: true },
          ]);
          expect((await plansOf(2027)).length).toBe(1);
        } finally {
          time.set('2026-03-02T02:00:00Z');
        }
      },
    );

    it(
      'R4, R12: the hub reports checklist items no published ' + 'plan covers, and departments in no joint plan',
      async () => {
        const uncovered = async () =>
          (
            await hub().query<{ jointUncoveredItems: Array<{ code: string }> }>(
              '{ jointUncoveredItems(year: 2026, department: "housing") { code } }',
            )
          ).data!.jointUncoveredItems.map((i) => i.code);
        const without = async () =>
          (
            await hub().query<{ jointDepartmentsWithoutJointPlan: string[] }>(
              '{ jointDepartmentsWithoutJointPlan(year: 2026) }',
            )
          ).data!.jointDepartmentsWithoutJointPlan.sort();
        expect(await uncovered()).toContain('HSG-01');
        // earlier tests published a market-tax-fire plan
        expect(await without()).toEqual(['environment', 'health', 'housing']);
        // A housing plan alone is internal: it covers HSG-01 but is no joint plan (R12).
        const internal = await createPlan(
          hub(),
          jointPlanInput({
            partners: [],
            items: [{ department: 'housing', code: 'HSG-01', version: 1 }],
            scope: { targetKinds: ['PROJECT'], regions: [], industries: [] },
          }),
          await hub().token(Role.COORDINATOR, 'housing'),
        );
        expect(internal.errors).toBeUndefined();
        await publishPlan(hub(), internal.data!.jointCreatePlan.id, await hub().token(Role.COORDINATOR, 'housing'));
        expect(await uncovered()).not.toContain('HSG-01');
        expect(await uncovered()).toContain('HSG-02');
        expect(await without()).toEqual(['environment', 'health', 'housing']);
        // Environment joins a joint plan led by housing: both leave the list.
        const joint = await createPlan(
          hub(),
          jointPlanInput({
            partners: ['environment'],
            items: [
              { department: 'housing', code: 'HSG-02', version: 1 },
              { department: 'environment', code: 'ENV-15', version: 1 },
            ],
            scope: { targetKinds: ['PROJECT'], regions: [], industries: [] },
            ratios: { high: 10, elevated: 10, general: 2, low: 1 },
          }),
          await hub().token(Role.COORDINATOR, 'housing'),
        );
        expect(joint.errors).toBeUndefined();
        expect(await without()).toEqual(['environment', 'health', 'housing']); // a draft is not a plan yet
        await publishPlan(hub(), joint.data!.jointCreatePlan.id, await hub().token(Role.COORDINATOR, 'housing'));
        // Health (its checklist in its existing system, read through the connector) is a partner like any other.
        expect(await without()).toEqual(['health']);
        const withHealth = await createPlan(
          hub(),
          jointPlanInput({
            name: '2026年度医疗机构联合抽查计划',
            partners: ['health'],
            items: [
              { department: 'market', code: 'MKT-09', version: 1 },
              { department: 'health', code: 'WJ-001', version: 1 },
            ],
          }),
        );
        expect(withHealth.errors).toBeUndefined();
        await publishPlan(hub(), withHealth.data!.jointCreatePlan.id);
        expect(await without()).toEqual([]);
      },
    );
  },
  300,
  time.clock,
);
