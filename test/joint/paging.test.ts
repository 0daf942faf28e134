import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type GraphQLResponse } from '../support/hub';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit,
  teamVisits,
  testClock,
} from './fixtures';

/*
 * H1 point 5, the unified schema as an integrator reads it, for the joint service: every list that
 * grows is paged one way (`first`, `after`, `nodes`, `pageInfo`, `totalCount`); a thing has one
 * name (VisitChecklistEntry.code, CodeCheckItem.code); closed vocabularies are enums whose values
 * are the strings answered before. Read through the gateway, on every database.
 */

const time = testClock('2026-03-02T02:00:00Z');
const RATIOS = { high: 20, elevated: 10, general: 5, low: 5 };

interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

describeWithHub(
  'H1 point 5: the joint lists page one way, one name for one thing, enums for closed vocabularies',
  (hub) => {
    let planId: string;
    let taskId: string;

    const as = (role: Role, department: string | null = null, subject?: string) =>
      hub().token(role, department, subject);

    async function must<T>(query: string, token?: string, variables?: Record<string, unknown>): Promise<T> {
      const r = await hub().query<T>(query, { token, variables });
      if (r.errors) throw new Error(`${query.slice(0, 100)}: ${JSON.stringify(r.errors)}`);
      return r.data!;
    }

    /**
     * Reads a paged field page after page (`read(after)` gives one page) and checks that each page
     * but the last is full and says another follows, the last says none does, every page's
     * totalCount is the same, and the pages together are as long as it says.
     */
    async function everyPage<T>(size: number, read: (after: string | null) => Promise<Page<T>>): Promise<T[]> {
      const all: T[] = [];
      const totals = new Set<number>();
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(1000);
        const page: Page<T> = await read(after);
        totals.add(page.totalCount);
        all.push(...page.nodes);
        if (!page.pageInfo.hasNextPage) {
          expect(page.nodes.length).toBeLessThanOrEqual(size);
          break;
        }
        expect(page.nodes).toHaveLength(size);
        expect(page.pageInfo.endCursor).toEqual(expect.any(String));
        after = page.pageInfo.endCursor;
      }
      expect([...totals]).toEqual([all.length]);
      return all;
    }

    beforeAll(async () => {
      planId = await publishedPlan(hub(), jointPlanInput({ ratios: RATIOS }));
      taskId = await runTaskTo(hub(), time, planId, 'LOCKED');
      await drawAllInspectors(hub(), taskId, ['market', 'tax', 'fire']);
      // A few visits submitted and delivered: results recorded by the departments, unpublished, with deadlines (R25).
      const visits = await teamVisits(hub(), taskId);
      for (const visit of visits.slice(0, 4)) {
        const r = await submitVisit(hub(), taskId, visit, 'market', '2026-03-04');
        if (r.errors) throw new Error(JSON.stringify(r.errors));
      }
      await deliverEverything(hub().joint.deliverer);
    }, 180_000);

    it(
      'H1: the audit trail reads in pages keyed by its entries: the pages make the whole trail, in order, as ' +
        'many as totalCount, also of one task',
      async () => {
        const auditor = await as(Role.AUDITOR);
        const whole = (
          await must<{ jointAuditTrail: Array<{ seq: number; hash: string }> }>(
            '{ jointAuditTrail(first: 5000) { seq hash } }',
            auditor,
          )
        ).jointAuditTrail;
        expect(whole.length).toBeGreaterThan(10);
        const paged = await everyPage(
          4,
          async (after) =>
            (
              await must<{ jointAuditTrailPage: Page<{ seq: number; hash: string }> }>(
                'query($after: String) { jointAuditTrailPage(first: 4, after: $after) { nodes { seq hash } ' +
                  'pageInfo { endCursor hasNextPage } totalCount } }',
                auditor,
                { after },
              )
            ).jointAuditTrailPage,
        );
        expect(paged).toEqual(whole);
        const ofTask = await everyPage(
          3,
          async (after) =>
            (
              await must<{ jointAuditTrailPage: Page<{ seq: number; entityId: string }> }>(
                'query($after: String, $id: String) { jointAuditTrailPage(first: 3, after: $after, entityId: ' +
                  '$id) { nodes { seq entityId } pageInfo { endCursor hasNextPage } totalCount } }',
                auditor,
                { after, id: taskId },
              )
            ).jointAuditTrailPage,
        );
        expect(ofTask.length).toBeGreaterThan(3);
        expect(ofTask.every((e) => e.entityId === taskId)).toBe(true);
        expect(ofTask.map((e) => e.seq)).toEqual(
          whole.filter((e) => ofTask.some((t) => t.seq === e.seq)).map((e) => e.seq),
        );
        // Refused as before: the public and a department's staff (R29, R30).
        expect(
          onlyError(
            await hub().query('{ jointAuditTrailPage(first: 2) { totalCount } }', {
              token: await as(Role.COORDINATOR, 'market'),
            }),
          ).code,
        ).toBe('FORBIDDEN');
      },
    );

    it(
      'H1: the publication deadlines read in pages: the pages make the whole list, in its order, as many as ' +
        'totalCount; their statuses are the strings of before',
      async () => {
        const admin = await as(Role.HUB_ADMIN);
        const FIELDS = 'department resultId deadline overdue status itemCode';
        type Deadline = { department: string; resultId: string; status: string };
        const whole = (
          await must<{ jointPublicationDeadlines: Deadline[] }>(
            `{ jointPublicationDeadlines(year: 2026, first: 1000) { ${FIELDS} } }`,
            admin,
          )
        ).jointPublicationDeadlines;
        expect(whole.length).toBeGreaterThan(5);
        const paged = await everyPage(
          5,
          async (after) =>
            (
              await must<{ jointPublicationDeadlinePage: Page<Deadline> }>(
                `query($after: String) { jointPublicationDeadlinePage(year: 2026, first: 5, after: $after) { ` +
                  `nodes { ${FIELDS} } pageInfo { endCursor hasNextPage } totalCount } }`,
                admin,
                { after },
              )
            ).jointPublicationDeadlinePage,
        );
        expect(paged).toEqual(whole);
        expect([...new Set(paged.map((d) => d.status))]).toEqual(['RECORDED']);
        // A department's filter pages the same way.
        const ofTax = await everyPage(
          2,
          async (after) =>
            (
              await must<{ jointPublicationDeadlinePage: Page<Deadline> }>(
                `query($after: String) { jointPublicationDeadlinePage(year: 2026, department: "tax", first: 2, ` +
                  `after: $after) { nodes { ${FIELDS} } pageInfo { endCursor hasNextPage } totalCount } }`,
                admin,
                { after },
              )
            ).jointPublicationDeadlinePage,
        );
        expect(ofTax).toEqual(whole.filter((d) => d.department === 'tax'));
      },
    );

    it(
      "H1: a task's drawn list reads in pages (public): the pages make the drawn order, as many as totalCount " +
        'and the draw drew',
      async () => {
        const whole = (
          await must<{
            jointTask: { drawn: Array<{ key: string; position: number }>; strata: Array<{ drawn: number }> };
          }>(`{ jointTask(id: "${taskId}") { drawn(first: 10000) { key position } strata { drawn } } }`)
        ).jointTask;
        expect(whole.drawn.length).toBe(whole.strata.reduce((n, s) => n + s.drawn, 0));
        const paged = await everyPage(
          7,
          async (after) =>
            (
              await must<{ jointTask: { drawnPage: Page<{ key: string; position: number }> } }>(
                'query($id: ID!, $after: String) { jointTask(id: $id) { drawnPage(first: 7, after: $after) { ' +
                  'nodes { key position } pageInfo { endCursor hasNextPage } totalCount } } }',
                undefined,
                { id: taskId, after },
              )
            ).jointTask.drawnPage,
        );
        expect(paged).toEqual(whole.drawn);
        // One page holding everything says no other follows.
        const one = (
          await must<{ jointTask: { drawnPage: Page<{ key: string }> } }>(
            `{ jointTask(id: "${taskId}") { drawnPage(first: 10000) { nodes { key } pageInfo { endCursor ` +
              `hasNextPage } totalCount } } }`,
          )
        ).jointTask.drawnPage;
        expect([one.nodes.length, one.pageInfo.hasNextPage, one.totalCount]).toEqual([
          whole.drawn.length,
          false,
          whole.drawn.length,
        ]);
        // Past the end: an empty page, no cursor.
        const beyond = (
          await must<{ jointTask: { drawnPage: Page<{ key: string }> } }>(
            'query($id: ID!, $after: String) { jointTask(id: $id) { drawnPage(first: 5, after: $after) { nodes ' +
              '{ key } pageInfo { endCursor hasNextPage } } } }',
            undefined,
            { id: taskId, after: one.pageInfo.endCursor },
          )
        ).jointTask.drawnPage;
        expect(beyond).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false } });
      },
    );

    it(
      "H1: a task's visits read in pages: the same visits as the offset list; an inspector's pages hold only " +
        'their own visits (R30)',
      async () => {
        const auditor = await as(Role.AUDITOR);
        const whole = (
          await must<{ jointTask: { visits: Array<{ key: string }> } }>(
            `{ jointTask(id: "${taskId}") { visits(first: 1000) { key } } }`,
            auditor,
          )
        ).jointTask.visits;
        const paged = await everyPage(
          6,
          async (after) =>
            (
              await must<{ jointTask: { visitPage: Page<{ key: string }> } }>(
                'query($id: ID!, $after: String) { jointTask(id: $id) { visitPage(first: 6, after: $after) { ' +
                  'nodes { key } pageInfo { endCursor hasNextPage } totalCount } } }',
                auditor,
                { id: taskId, after },
              )
            ).jointTask.visitPage,
        );
        expect(paged).toEqual(whole);
        const member = (await teamVisits(hub(), taskId))[0]!.team.find(
          (m) => m.department === 'market' && m.kind === 'INSPECTOR',
        )!;
        const inspector = await as(Role.INSPECTOR, 'market', member.personId);
        const own = (
          await must<{ jointTask: { visits: Array<{ key: string }> } }>(
            `{ jointTask(id: "${taskId}") { visits(first: 1000) { key } } }`,
            inspector,
          )
        ).jointTask.visits;
        const ownPaged = await everyPage(
          1,
          async (after) =>
            (
              await must<{ jointTask: { visitPage: Page<{ key: string }> } }>(
                'query($id: ID!, $after: String) { jointTask(id: $id) { visitPage(first: 1, after: $after) { ' +
                  'nodes { key } pageInfo { endCursor hasNextPage } totalCount } } }',
                inspector,
                { id: taskId, after },
              )
            ).jointTask.visitPage,
        );
        expect(ownPaged).toEqual(own);
        expect(own.length).toBeLessThan(whole.length);
      },
    );

    it('H1: plans, overdue revisions and leads read in pages as their lists do', async () => {
      const admin = await as(Role.HUB_ADMIN);
      // A second plan, left a draft: the admin sees both.
      const draft = await hub().query<{ jointCreatePlan: { id: string } }>(
        'mutation($input: PlanInput!) { jointCreatePlan(input: $input) { id } }',
        {
          variables: { input: jointPlanInput({ name: '2026年度草稿计划（H1 分页）' }) },
          token: await as(Role.COORDINATOR, 'market'),
        },
      );
      expect(draft.errors).toBeUndefined();
      const plans = (
        await must<{ jointPlans: Array<{ id: string; status: string }> }>(
          '{ jointPlans(year: 2026) { id status } }',
          admin,
        )
      ).jointPlans;
      expect(plans.length).toBe(2);
      expect(
        await everyPage(
          1,
          async (after) =>
            (
              await must<{ jointPlanPage: Page<{ id: string; status: string }> }>(
                'query($after: String) { jointPlanPage(year: 2026, first: 1, after: $after) { nodes { id ' +
                  'status } pageInfo { endCursor hasNextPage } totalCount } }',
                admin,
                { after },
              )
            ).jointPlanPage,
        ),
      ).toEqual(plans);
      // The public sees the published plan alone, paged or not.
      const publicPage = (
        await must<{ jointPlanPage: Page<{ id: string }> }>(
          '{ jointPlanPage(year: 2026) { nodes { id } pageInfo { endCursor hasNextPage } totalCount } }',
        )
      ).jointPlanPage;
      expect([publicPage.nodes.map((p) => p.id), publicPage.totalCount]).toEqual([[planId], 1]);
      const overdue = (
        await must<{ jointOverduePlanRevisions: Array<{ planId: string; revision: number }> }>(
          '{ jointOverduePlanRevisions(asOf: "2026-12-31") { planId revision } }',
          admin,
        )
      ).jointOverduePlanRevisions;
      expect(overdue.length).toBeGreaterThan(0);
      expect(
        await everyPage(
          1,
          async (after) =>
            (
              await must<{ jointOverduePlanRevisionPage: Page<{ planId: string; revision: number }> }>(
                'query($after: String) { jointOverduePlanRevisionPage(asOf: "2026-12-31", first: 1, after: ' +
                  '$after) { nodes { planId revision } pageInfo { endCursor hasNextPage } totalCount } }',
                admin,
                { after },
              )
            ).jointOverduePlanRevisionPage,
        ),
      ).toEqual(overdue);
      const stats = (
        await must<{
          jointStatistics: {
            overInspected: string[];
            separateVisits: string[];
            overInspectedPage: Page<string>;
            separateVisitPage: Page<string>;
          };
        }>(
          '{ jointStatistics(year: 2026) { overInspected separateVisits overInspectedPage { nodes totalCount ' +
            'pageInfo { hasNextPage } } separateVisitPage { nodes totalCount pageInfo { hasNextPage } } } }',
          admin,
        )
      ).jointStatistics;
      expect([
        stats.overInspectedPage.nodes,
        stats.overInspectedPage.totalCount,
        stats.separateVisitPage.nodes,
        stats.separateVisitPage.totalCount,
      ]).toEqual([stats.overInspected, stats.overInspected.length, stats.separateVisits, stats.separateVisits.length]);
      const leads = (
        await must<{ jointLeads: Array<{ id: string }> }>('{ jointLeads(department: "tax") { id } }', admin)
      ).jointLeads;
      expect(
        await everyPage(
          2,
          async (after) =>
            (
              await must<{ jointLeadPage: Page<{ id: string }> }>(
                'query($after: String) { jointLeadPage(department: "tax", first: 2, after: $after) { nodes { ' +
                  'id } pageInfo { endCursor hasNextPage } totalCount } }',
                admin,
                { after },
              )
            ).jointLeadPage,
        ),
      ).toEqual(leads);
    });

    it(
      'H1: a cursor of another list, or one not made by the hub, is BAD_USER_INPUT; so is a page above the ' +
        'largest, whose size the error names',
      async () => {
        const auditor = await as(Role.AUDITOR);
        const auditCursor = (
          await must<{ jointAuditTrailPage: Page<unknown> }>(
            '{ jointAuditTrailPage(first: 1) { nodes { seq } pageInfo { endCursor hasNextPage } totalCount } }',
            auditor,
          )
        ).jointAuditTrailPage.pageInfo.endCursor!;
        const drawnCursor = (
          await must<{ jointTask: { drawnPage: Page<unknown> } }>(
            `{ jointTask(id: "${taskId}") { drawnPage(first: 1) { nodes { key } pageInfo { endCursor ` +
              `hasNextPage } totalCount } } }`,
          )
        ).jointTask.drawnPage.pageInfo.endCursor!;
        const refusals: Array<[string, GraphQLResponse<unknown>]> = [
          [
            'drawn page after an audit cursor',
            await hub().query(
              'query($id: ID!, $after: String) { jointTask(id: $id) { drawnPage(after: $after) { nodes { key } } } }',
              { variables: { id: taskId, after: auditCursor } },
            ),
          ],
          [
            'audit page after a drawn-list cursor',
            await hub().query('query($after: String) { jointAuditTrailPage(after: $after) { nodes { seq } } }', {
              variables: { after: drawnCursor },
              token: auditor,
            }),
          ],
          [
            'deadline page after a made-up cursor',
            await hub().query(
              'query($after: String) { jointPublicationDeadlinePage(year: 2026, after: $after) { nodes { ' +
                'resultId } } }',
              { variables: { after: 'not-a-cursor' }, token: auditor },
            ),
          ],
        ];
        for (const [what, r] of refusals) {
          const error = onlyError(r);
          expect([what, error.code, error.extensions.field]).toEqual([what, 'BAD_USER_INPUT', 'after']);
          expect(error.message).toMatch(/is not a cursor/);
        }
        const tooLarge: Array<[string, number, GraphQLResponse<unknown>]> = [
          [
            'drawn',
            10_000,
            await hub().query(`{ jointTask(id: "${taskId}") { drawnPage(first: 10001) { nodes { key } } } }`),
          ],
          [
            'audit',
            5000,
            await hub().query('{ jointAuditTrailPage(first: 5001) { nodes { seq } } }', { token: auditor }),
          ],
          [
            'deadlines',
            1000,
            await hub().query('{ jointPublicationDeadlinePage(year: 2026, first: 1001) { nodes { resultId } } }', {
              token: auditor,
            }),
          ],
          [
            'visits',
            1000,
            await hub().query(`{ jointTask(id: "${taskId}") { visitPage(first: 1001) { nodes { key } } } }`, {
              token: auditor,
            }),
          ],
          ['plans', 500, await hub().query('{ jointPlanPage(year: 2026, first: 0) { nodes { id } } }')],
        ];
        for (const [what, max, r] of tooLarge) {
          const error = onlyError(r);
          expect([what, error.code, error.extensions.field]).toEqual([what, 'BAD_USER_INPUT', 'first']);
          expect(error.message).toContain(`${max} is the largest page`);
        }
        // The largest page is stated in the schema too.
        const args = (
          await must<{
            __type: { fields: Array<{ name: string; args: Array<{ name: string; description: string | null }> }> };
          }>('{ __type(name: "Task") { fields { name args { name description } } } }')
        ).__type.fields.find((f) => f.name === 'drawnPage')!.args;
        expect(args.find((a) => a.name === 'first')!.description).toContain('1 to 10,000 (the largest page)');
      },
    );

    it(
      'H1: VisitChecklistEntry.code and CodeCheckItem.code are itemCode under one name; the old names stay, ' +
        'deprecated',
      async () => {
        const auditor = await as(Role.AUDITOR);
        const page = (
          await must<{
            jointTask: {
              visitPage: Page<{
                key: string;
                checklist: Array<{ code: string; itemCode: string; department: string }>;
              }>;
            };
          }>(
            `{ jointTask(id: "${taskId}") { visitPage(first: 20) { nodes { key checklist { department code ` +
              `itemCode } } pageInfo { hasNextPage endCursor } totalCount } } }`,
            auditor,
          )
        ).jointTask.visitPage;
        const entries = page.nodes.flatMap((v) => v.checklist);
        expect(entries.length).toBeGreaterThan(0);
        for (const e of entries) expect(e.code).toBe(e.itemCode);
        const visit = page.nodes[0]!;
        const code = await must<{ jointIssueInspectionCode: string }>(
          `mutation { jointIssueInspectionCode(taskId: "${taskId}", targetKey: "${visit.key}") }`,
          await as(Role.COORDINATOR, 'market'),
        );
        const check = (
          await must<{ jointCheckInspectionCode: { items: Array<{ code: string; itemCode: string }> } }>(
            `{ jointCheckInspectionCode(code: "${code.jointIssueInspectionCode}") { items { code itemCode } } }`,
          )
        ).jointCheckInspectionCode;
        expect(check.items.map((i) => i.code)).toEqual(visit.checklist.map((c) => c.code));
        for (const i of check.items) expect(i.code).toBe(i.itemCode);
        const deprecated = async (type: string) =>
          (
            await must<{ __type: { fields: Array<{ name: string; deprecationReason: string | null }> } }>(
              `{ __type(name: "${type}") { fields(includeDeprecated: true) { name deprecationReason } } }`,
            )
          ).__type.fields
            .filter((f) => f.deprecationReason)
            .map((f) => [f.name, f.deprecationReason]);
        expect(await deprecated('VisitChecklistEntry')).toEqual([['itemCode', 'Use code.']]);
        expect(await deprecated('CodeCheckItem')).toEqual([['itemCode', 'Use code.']]);
        expect(Object.fromEntries(await deprecated('Task'))).toEqual({
          drawn: 'Use drawnPage.',
          visits: 'Use visitPage.',
        });
      },
    );

    it(
      'H1: statuses of plans, tasks, team seats, deliveries and results are enums, answered as the same ' +
        'strings as before',
      async () => {
        const auditor = await as(Role.AUDITOR);
        const data = await must<{
          jointPlan: { status: string; kind: string };
          jointTask: {
            status: string;
            strata: Array<{ stratum: string }>;
            visitPage: Page<{
              kind: string;
              team: Array<{ kind: string; origin: string; status: string }>;
              checklist: Array<{ method: string; category: string }>;
              submission: { deliveries: Array<{ status: string }> } | null;
            }>;
          };
        }>(
          `{ jointPlan(id: "${planId}") { status kind } jointTask(id: "${taskId}") { status strata { stratum } ` +
            `visitPage(first: 4) { nodes { kind team { kind origin status } checklist { method category } ` +
            `submission { deliveries { status } } } pageInfo { hasNextPage endCursor } totalCount } } }`,
          auditor,
        );
        expect([data.jointPlan.status, data.jointPlan.kind, data.jointTask.status]).toEqual([
          'PUBLISHED',
          'JOINT',
          'LOCKED',
        ]);
        expect(data.jointTask.strata.length).toBeGreaterThan(0);
        for (const s of data.jointTask.strata) expect(['HIGH', 'ELEVATED', 'GENERAL', 'LOW']).toContain(s.stratum);
        const visits = data.jointTask.visitPage.nodes;
        expect([...new Set(visits.map((v) => v.kind))]).toEqual(['ENTERPRISE']);
        expect([...new Set(visits.flatMap((v) => v.team.map((m) => `${m.kind} ${m.origin} ${m.status}`)))]).toEqual([
          'INSPECTOR DRAWN ACTIVE',
        ]);
        for (const c of visits.flatMap((v) => v.checklist)) {
          expect(['ON_SITE', 'WRITTEN', 'ONLINE_MONITORING', 'THIRD_PARTY']).toContain(c.method);
          expect(c.category).toBe('KEY'); // the fixture plan's items are KEY items
        }
        expect([...new Set(visits.flatMap((v) => v.submission?.deliveries.map((d) => d.status) ?? []))]).toEqual([
          'DELIVERED',
        ]);
        // The schema says so: each is an enum with those values.
        const typeOf = async (type: string, field: string) => {
          const fields = (
            await must<{
              __type: {
                fields: Array<{
                  name: string;
                  type: { kind: string; name: string | null; ofType: { kind: string; name: string | null } | null };
                }>;
              };
            }>(`{ __type(name: "${type}") { fields { name type { kind name ofType { kind name } } } } }`)
          ).__type.fields;
          const t = fields.find((f) => f.name === field)!.type;
          return t.kind === 'NON_NULL' ? t.ofType! : t;
        };
        const expected: Array<[string, string, string]> = [
          ['Plan', 'status', 'PlanStatus'],
          ['Plan', 'kind', 'PlanKind'],
          ['Task', 'status', 'TaskStatus'],
          ['StratumCount', 'stratum', 'Stratum'],
          ['TeamMember', 'status', 'TeamSeatStatus'],
          ['TeamMember', 'origin', 'TeamMemberOrigin'],
          ['TeamMember', 'kind', 'TeamMemberKind'],
          ['Delivery', 'status', 'DeliveryStatus'],
          ['ResultDeadline', 'status', 'ResultStatus'],
          ['VisitFeedback', 'kind', 'VisitFeedbackKind'],
        ];
        for (const [type, field, name] of expected)
          expect([type, field, await typeOf(type, field)]).toEqual([type, field, { kind: 'ENUM', name }]);
        const values = async (name: string) =>
          (
            await must<{ __type: { enumValues: Array<{ name: string }> } }>(
              `{ __type(name: "${name}") { enumValues { name } } }`,
            )
          ).__type.enumValues.map((v) => v.name);
        expect(await values('TaskStatus')).toEqual(['COMMITTED', 'SNAPSHOT_TAKEN', 'DRAWN', 'LOCKED', 'CANCELLED']);
        expect(await values('TeamSeatStatus')).toEqual(['ACTIVE', 'REPLACED']);
        expect(await values('DeliveryStatus')).toEqual(['PENDING', 'DELIVERED', 'REFUSED']);
      },
    );
  },
  400,
  time.clock,
);
