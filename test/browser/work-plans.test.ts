import type { Locator, Page } from 'playwright-core';
import { Role } from '../../kernel/identity';
import { overflowsHorizontally, screenshot } from '../support/browser';
import { testDatabases } from '../support/databases';
import { startSignedInHub, type SignedInHub } from '../support/workspace';
import { testClock } from '../joint/fixtures';

/**
 * Issue I: the lead department's coordinator's plan screens (web/src/work/plans.tsx), walked in a
 * browser by officials signed in at the identity provider: a joint plan made from the departments'
 * own checklists (R3, R2, R13), saved, published with its deadline (R11), a task created with its
 * witness (R15, R16); each figure compared with the API's answer to the same caller.
 */
const PLAN_QUERY = `query($id: ID!) {
  jointPlan(id: $id) { id name status revision publishedRevision leadDepartment departments windowStart windowEnd
    items { department code version category ratioCapPercent } ratios { high elevated general low }
    revisions { revision note publishBy publishedAt } }
  jointTasks(planId: $id) { id name status witnessSource witnessAvailableOn witnessNumbers }
}`;
const LIST_QUERY =
  'query($year: Int!) { jointPlanPage(year: $year, first: 500) { nodes { id name status revision ' +
  'publishedRevision leadDepartment departments } } }';

interface ApiPlan {
  id: string;
  name: string;
  status: string;
  revision: number;
  publishedRevision: number | null;
  leadDepartment: string;
  departments: string[];
  windowStart: string;
  windowEnd: string;
  items: Array<{ department: string; code: string; version: number; category: string; ratioCapPercent: number | null }>;
  ratios: { high: number; elevated: number; general: number; low: number };
  revisions: Array<{ revision: number; note: string | null; publishBy: string; publishedAt: string | null }>;
}
interface ApiTask {
  id: string;
  name: string;
  status: string;
  witnessSource: string;
  witnessAvailableOn: string;
  witnessNumbers: number;
}

describe.each(testDatabases().slice(0, 1))("I: the coordinator's plan screens ($label)", (database) => {
  let env: SignedInHub;
  // The hub's clock: Tuesday 10 February 2026 (China), so the test works on any real date.
  const time = testClock('2026-02-10T02:00:00Z');
  beforeAll(async () => {
    env = await startSignedInHub(database, { clock: time.clock });
  }, 180_000);
  afterAll(async () => env?.stop());

  const apiPlan = (page: Page, id: string) =>
    env.asCaller<{ jointPlan: ApiPlan; jointTasks: ApiTask[] }>(page, PLAN_QUERY, { id });
  async function apiPlans(page: Page) {
    return (
      await env.asCaller<{
        jointPlanPage: { nodes: Array<Omit<ApiPlan, 'items' | 'ratios' | 'revisions' | 'windowStart' | 'windowEnd'>> };
      }>(page, LIST_QUERY, { year: 2026 })
    ).jointPlanPage.nodes;
  }
  /** Waits until a locator shows exactly this text (the page updates after the hub answers). */
  const shows = async (locator: Locator, text: string) => {
    await locator
      .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
      .first()
      .waitFor({ timeout: 10_000 });
    return locator.innerText();
  };
  const pick = (page: Page, department: string, code: string) =>
    page
      .locator(
        `[data-testid="checklist-item"][data-department="${department}"][data-code="${code}"] ` +
          `[data-testid="pick-item"]`,
      )
      .check();

  let planId = '';

  it(
    "I: a market coordinator makes a joint plan from each department's own checklist, refused in the hub's " +
      'words on bad input, publishes it with its deadline and creates a task (R2, R3, R10, R11, R13, R15, R16, ' +
      'R23)',
    async () => {
      const { context, page } = await env.signedIn(env.user(Role.COORDINATOR, 'market'), { then: '/work/plans' });
      try {
        // The list: the hub's year (2026, its clock), nothing yet, and a "new plan" button for a coordinator.
        await expect(page.getByTestId('plan-year').inputValue()).resolves.toBe('2026');
        await page.getByTestId('no-plans').waitFor();
        expect(await apiPlans(page)).toEqual([]);
        await page.getByTestId('new-plan').click();
        await page.waitForURL('**/work/plans/new');

        // The editor: partners from the registry, items from each department's own checklist (R3).
        await page.getByTestId('plan-name-input').fill('2026年度发票与消防安全部门联合抽查计划');
        await page.getByTestId('partner-tax').check();
        await page.getByTestId('partner-fire').check();
        for (const d of ['market', 'tax', 'fire'])
          await page
            .locator(`[data-testid="checklist"][data-department="${d}"] [data-testid="checklist-item"]`)
            .first()
            .waitFor();
        // Each department's checklist as the gateway shows it (the same question, per department).
        const tax = await env.hub.query<{
          tax: { checklist: Array<{ code: string; category: string; ratioCapPercent: number | null }> };
        }>('{ tax { checklist { code category ratioCapPercent } } }', { token: await env.tokenOf(page) });
        await expect(
          page.locator('[data-testid="checklist"][data-department="tax"] [data-testid="checklist-item"]').count(),
        ).resolves.toBe(tax.data!.tax.checklist.length);
        const tax04 = tax.data!.tax.checklist.find((i) => i.code === 'TAX-04')!;
        expect(tax04).toMatchObject({ category: 'GENERAL', ratioCapPercent: 20 });
        await expect(
          page
            .locator(
              '[data-testid="checklist-item"][data-department="tax"][data-code="TAX-04"] [data-field="category"]',
            )
            .innerText(),
        ).resolves.toContain(`比例上限 ${tax04.ratioCapPercent}%`);
        await pick(page, 'market', 'MKT-09');
        await pick(page, 'tax', 'TAX-08');
        await pick(page, 'tax', 'TAX-04');
        await pick(page, 'fire', 'FIRE-01');
        await expect(
          page.locator('[data-testid="checklist"][data-department="tax"] [data-testid="chosen-count"]').innerText(),
        ).resolves.toBe('2');
        // R2: the lowest cap of the GENERAL items chosen is shown where the ratios are set.
        await expect(page.getByTestId('ratio-cap').innerText()).resolves.toContain('TAX-04：20%');
        await page.getByTestId('plan-regions').fill('3101');
        await page.getByTestId('method-WRITTEN').check();
        await page.getByTestId('plan-window-start').fill('2026-03-01');
        await page.getByTestId('plan-window-end').fill('2026-02-01');
        await page.getByTestId('plan-batchSize').fill('10');
        await screenshot(page, 'i-plan-editor-desktop');

        // A window ending before it starts: the hub's own BAD_USER_INPUT, and nothing written (R10).
        await page.getByTestId('save-plan').click();
        const refusal = page.locator('[data-testid="plan-editor"] .notice.error');
        await refusal.waitFor();
        await expect(refusal.getAttribute('data-code')).resolves.toBe('BAD_USER_INPUT');
        await expect(refusal.innerText()).resolves.toContain('input.windowEnd is before input.windowStart');
        expect(await apiPlans(page)).toEqual([]);

        // The default high-risk ratio (30%) above TAX-04's 20% cap: refused by R2, nothing written.
        await page.getByTestId('plan-window-end').fill('2026-11-30');
        await page.getByTestId('save-plan').click();
        await refusal.filter({ hasText: 'cap of GENERAL item' }).waitFor();
        await expect(refusal.innerText()).resolves.toContain('exceeds the 20% cap of GENERAL item tax TAX-04 (R2)');
        await expect(refusal.getAttribute('data-code')).resolves.toBe('BAD_USER_INPUT');
        expect(await apiPlans(page)).toEqual([]);
        await screenshot(page, 'i-plan-refused-desktop');

        // Ratios within the cap, falling from high to low risk (R13): saved, a draft.
        await page.getByTestId('plan-high').fill('20');
        await page.getByTestId('plan-elevated').fill('8');
        await page.getByTestId('save-plan').click();
        await page.waitForURL(/\/work\/plans\/[0-9a-f-]{36}$/);
        planId = page.url().split('/').pop()!;
        await page.getByTestId('work-plan-detail').waitFor();
        let api = await apiPlan(page, planId);
        expect(api.jointPlan).toMatchObject({
          status: 'DRAFT',
          revision: 1,
          publishedRevision: null,
          leadDepartment: 'market',
          departments: ['fire', 'market', 'tax'],
          windowStart: '2026-03-01',
          windowEnd: '2026-11-30',
          ratios: { high: 20, elevated: 8, general: 2, low: 1 },
        });
        expect(api.jointPlan.items.map((i) => `${i.department}/${i.code}`).sort()).toEqual([
          'fire/FIRE-01',
          'market/MKT-09',
          'tax/TAX-04',
          'tax/TAX-08',
        ]);
        const shownItems = await page
          .getByTestId('plan-item')
          .evaluateAll((rows) =>
            rows.map((r) => `${r.getAttribute('data-department')}/${r.getAttribute('data-code')}`),
          );
        expect(shownItems.sort()).toEqual(api.jointPlan.items.map((i) => `${i.department}/${i.code}`).sort());
        await expect(page.getByTestId('plan-status').innerText()).resolves.toBe('草稿');
        await expect(page.getByTestId('plan-ratios').innerText()).resolves.toContain('高风险 20%');

        // R11: the deadline the hub counted for revision 1, shown before publishing.
        const deadline = api.jointPlan.revisions[0]!.publishBy;
        expect(deadline > '2026-02-10').toBe(true);
        await expect(
          page.locator('[data-testid="publish-deadline"] [data-field="publishBy"]').innerText(),
        ).resolves.toBe(deadline);
        await page.getByTestId('publish-plan').click();
        await expect(shows(page.getByTestId('plan-status'), '已公布')).resolves.toBe('已公布');
        api = await apiPlan(page, planId);
        expect(api.jointPlan).toMatchObject({ status: 'PUBLISHED', publishedRevision: 1 });
        expect(api.jointPlan.revisions[0]!.publishedAt).not.toBeNull();
        const revision = page.locator('[data-testid="plan-revision"][data-revision="1"]');
        await expect(revision.locator('[data-field="publishBy"]').innerText()).resolves.toBe(deadline);
        await expect(revision.locator('[data-field="publishedAt"]').innerText()).resolves.toBe('公布于 2026-02-10');
        await expect(page.getByTestId('plan-published-revision').innerText()).resolves.toBe('第 1 版');

        // A task of the published plan, its witness published after the hub's today (R15, R16).
        await expect(page.getByTestId('task-witness-date').inputValue()).resolves.toBe('2026-02-12');
        await page.getByTestId('task-name').fill('2026年第一批发票与消防联合抽查');
        await page
          .getByTestId('task-witness-source')
          .fill('中国福利彩票双色球第2026018期开奖号码（2026年2月12日开奖）');
        await screenshot(page, 'i-plan-published-desktop');
        await page.getByTestId('create-task').click();
        await page.waitForURL(/\/work\/tasks\/[0-9a-f-]{36}$/);
        const taskId = page.url().split('/').pop()!;
        api = await apiPlan(page, planId);
        expect(api.jointTasks).toEqual([
          {
            id: taskId,
            name: '2026年第一批发票与消防联合抽查',
            status: 'COMMITTED',
            witnessSource: '中国福利彩票双色球第2026018期开奖号码（2026年2月12日开奖）',
            witnessAvailableOn: '2026-02-12',
            witnessNumbers: 7,
          },
        ]);

        // Back on the plan: its task, linked to the task's screen.
        await page.goto(`/work/plans/${planId}`);
        const task = page.locator(`[data-testid="plan-task"][data-task-id="${taskId}"]`);
        await expect(task.locator('[data-field="status"]').innerText()).resolves.toBe('已承诺随机数');
        await expect(task.locator('a').getAttribute('href')).resolves.toBe(`/work/tasks/${taskId}`);

        // The list, as the API answers the same caller.
        await page.goto('/work/plans');
        const row = page.locator(`[data-testid="work-plan"][data-plan-id="${planId}"]`);
        await row.waitFor();
        const [listed] = await apiPlans(page);
        expect(listed).toMatchObject({ id: planId, status: 'PUBLISHED', revision: 1, publishedRevision: 1 });
        await expect(row.locator('[data-field="status"]').innerText()).resolves.toBe('已公布');
        await expect(row.locator('[data-field="revision"]').innerText()).resolves.toBe(String(listed!.revision));
        await expect(row.locator('[data-field="publishedRevision"]').innerText()).resolves.toBe(
          String(listed!.publishedRevision),
        );
        await expect(page.getByTestId('work-plan').count()).resolves.toBe(1);
        await screenshot(page, 'i-plan-list-desktop');
      } finally {
        await context.close();
      }
    },
    90_000,
  );

  it(
    "I: another department's coordinator reads the plan without the lead's steps, and the screens fit a phone " +
      '(R16, R30)',
    async () => {
      const { context, page } = await env.signedIn(env.user(Role.COORDINATOR, 'tax'), {
        phone: true,
        then: `/work/plans/${planId}`,
      });
      try {
        await page.getByTestId('plan-read-only').waitFor();
        await expect(page.getByTestId('publish-plan').count()).resolves.toBe(0);
        await expect(page.getByTestId('revise-plan').count()).resolves.toBe(0);
        await expect(page.getByTestId('create-task').count()).resolves.toBe(0);
        const api = await apiPlan(page, planId);
        // A participating department's staff see the latest revision, as the API answers them.
        await expect(page.getByTestId('plan-revision-number').innerText()).resolves.toBe(
          String(api.jointPlan.revision),
        );
        await expect(page.getByTestId('plan-task').locator('a').getAttribute('href')).resolves.toBe(
          `/work/tasks/${api.jointTasks[0]!.id}`,
        );
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, 'i-plan-published-phone');

        await page.goto('/work/plans');
        await page.locator(`[data-testid="work-plan"][data-plan-id="${planId}"]`).waitFor();
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, 'i-plan-list-phone');

        // The editor, as a coordinator (tax leads its own plans) sees it on a phone.
        await page.getByTestId('new-plan').click();
        await page.getByTestId('partner-market').check();
        await page
          .locator('[data-testid="checklist"][data-department="market"] [data-testid="checklist-item"]')
          .first()
          .waitFor();
        await pick(page, 'tax', 'TAX-04');
        await expect(page.getByTestId('editor-lead').innerText()).resolves.not.toBe('');
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, 'i-plan-editor-phone');
      } finally {
        await context.close();
      }
    },
    60_000,
  );
  it('I: a revision keeps its note and gets its own deadline to publish (R11)', async () => {
    const { context, page } = await env.signedIn(env.user(Role.COORDINATOR, 'market'), {
      then: `/work/plans/${planId}`,
    });
    try {
      time.set('2026-02-11T02:00:00Z');
      await page.getByTestId('revise-plan').click();
      // The editor holds the plan as it is (its items ticked on each department's checklist).
      await expect(
        page
          .locator(
            '[data-testid="checklist-item"][data-department="fire"][data-code="FIRE-01"] [data-testid="pick-item"]',
          )
          .isChecked(),
      ).resolves.toBe(true);
      await page.getByTestId('plan-batchSize').fill('20');
      await page.getByTestId('plan-note').fill('每批户数由 10 户调整为 20 户');
      await page.getByTestId('save-plan').click();
      await expect(shows(page.getByTestId('plan-revision-number'), '2')).resolves.toBe('2');
      const api = (await apiPlan(page, planId)).jointPlan;
      expect(api).toMatchObject({ status: 'DRAFT', revision: 2, publishedRevision: 1 });
      expect(api.revisions[1]).toMatchObject({ revision: 2, note: '每批户数由 10 户调整为 20 户', publishedAt: null });
      await expect(page.locator('[data-testid="publish-deadline"] [data-field="publishBy"]').innerText()).resolves.toBe(
        api.revisions[1]!.publishBy,
      );
      await expect(page.getByTestId('plan-batch-size').innerText()).resolves.toBe('20');
    } finally {
      await context.close();
    }
  }, 60_000);
});
