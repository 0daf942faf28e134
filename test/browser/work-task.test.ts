import type { BrowserContext, Page } from 'playwright-core';
import { Role } from '../../kernel/identity';
import { jointPlanInput, publishedPlan, testClock, WITNESS } from '../joint/fixtures';
import { overflowsHorizontally, screenshot, SCREENSHOT_DIR } from '../support/browser';
import { testDatabases } from '../support/databases';
import { startSignedInHub, type SignedInHub } from '../support/workspace';

/**
 * Issue I: a task's workspace screen (/work/tasks/:id) and its teams, walked in the browser by the
 * officials signed in at the identity provider as themselves: the market coordinator takes the
 * snapshot, enters the witness once it is out, draws and locks; the record verifies in the
 * browser; market's, tax's and fire's coordinators draw their inspectors; market's deputy head
 * replaces one. Every figure on screen is compared with the API's answer to the same caller.
 */
jest.setTimeout(120_000);

const TASK_QUERY =
  `query($id: ID!) { jointTask(id: $id) { status commitment witnessValue snapshotHash snapshotSize exclusions { ` +
  `inspectedTwiceThisYear recentlyInspected } strata { stratum eligible drawn } publicRecord drawnPage(first: ` +
  `1000) { totalCount nodes { key position batch } } } }`;
const TEAMS_QUERY =
  `query($id: ID!) { jointTask(id: $id) { inspectorDraws { department drawnBy } visitPage(first: 10) { ` +
  `totalCount nodes { key teamProblems team { department personId status origin replacementReason approvedBy } ` +
  `} } } }`;

interface TaskAnswer {
  jointTask: {
    status: string;
    commitment: string;
    witnessValue: string | null;
    snapshotHash: string | null;
    snapshotSize: number | null;
    exclusions: { inspectedTwiceThisYear: number; recentlyInspected: number } | null;
    strata: Array<{ stratum: string; eligible: number; drawn: number }>;
    publicRecord: { secret: string | null };
    drawnPage: { totalCount: number; nodes: Array<{ key: string; position: number; batch: number }> };
  };
}
interface TeamsAnswer {
  jointTask: {
    inspectorDraws: Array<{ department: string; drawnBy: string }>;
    visitPage: {
      totalCount: number;
      nodes: Array<{
        key: string;
        teamProblems: string[];
        team: Array<{
          department: string;
          personId: string;
          status: string;
          origin: string;
          replacementReason: string | null;
          approvedBy: string | null;
        }>;
      }>;
    };
  };
}

describe.each(testDatabases().slice(0, 1))("I: a task's workspace and its teams ($label)", (database) => {
  const time = testClock('2026-03-02T02:00:00Z'); // Monday 2 March 2026, 10:00 in China
  let env: SignedInHub;
  let taskId: string;
  let coordinator: { context: BrowserContext; page: Page };
  let phone: { context: BrowserContext; page: Page };

  const status = (page: Page) => page.getByTestId('task-status').getAttribute('data-status');
  const shot = async (name: string) => {
    await screenshot(coordinator.page, `i-work-task-${name}-desktop`);
    await phone.page.reload();
    await phone.page.getByTestId('task-status').waitFor();
    expect(await overflowsHorizontally(phone.page)).toBe(false);
    await screenshot(phone.page, `i-work-task-${name}-phone`);
  };

  beforeAll(async () => {
    env = await startSignedInHub(database, { clock: time.clock });
    const token = await env.hub.token(Role.COORDINATOR, 'market');
    const planId = await publishedPlan(env.hub, jointPlanInput(), token);
    const created = await env.hub.query<{ jointCreateTask: { id: string } }>(
      'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }',
      {
        variables: { input: { planId, name: '2026年第一批联合抽查（工作台）', ...WITNESS } },
        token,
      },
    );
    expect(created.errors).toBeUndefined();
    taskId = created.data!.jointCreateTask.id;
    const who = env.user(Role.COORDINATOR, 'market');
    coordinator = await env.signedIn(who, { then: `/work/tasks/${taskId}` });
    phone = await env.signedIn(who, { phone: true, then: `/work/tasks/${taskId}` });
  }, 180_000);
  afterAll(async () => {
    await coordinator?.context.close();
    await phone?.context.close();
    await env?.stop();
  });

  it(
    'R9, R14: the lead coordinator takes the snapshot, with the rows the hub has read of each roster shown ' +
      "while the page waits; size, hash and exclusions equal the API's",
    async () => {
      const { page } = coordinator;
      expect(await status(page)).toBe('COMMITTED');
      const before = await env.asCaller<TaskAnswer>(page, TASK_QUERY, { id: taskId });
      expect(await page.getByTestId('commitment').innerText()).toBe(before.jointTask.commitment);
      expect(await page.getByTestId('witness-date').innerText()).toBe(WITNESS.witnessAvailableOn);
      await shot('committed');
      // The snapshot's answer held back a moment on its way to the page, so the progress the hub
      // reports (rows read of each roster, asked every second) is seen; this demo roster is read in
      // one page, so what is seen is its final count, which the hub keeps a minute.
      await page.route('**/graphql', async (route) => {
        if (route.request().postDataJSON()?.operationName === 'WorkTaskTakeSnapshot') {
          const response = await route.fetch();
          await new Promise((r) => setTimeout(r, 2_300));
          await route.fulfill({ response });
          return;
        }
        await route.continue();
      });
      await page.getByTestId('take-snapshot').click();
      await page.getByTestId('snapshot-progress').waitFor();
      const lead = page.locator('[data-testid=snapshot-progress-department][data-department=market][data-done=true]');
      await lead.waitFor();
      const leadRows = Number(await lead.getAttribute('data-rows'));
      await expect(
        page
          .getByTestId('snapshot-progress-department')
          .evaluateAll((l) => l.map((x) => x.getAttribute('data-department'))),
      ).resolves.toEqual(['market', 'fire', 'tax']);
      await screenshot(page, 'i-work-task-snapshot-progress-desktop');
      await page.locator('[data-testid=task-status][data-status=SNAPSHOT_TAKEN]').waitFor();
      await page.unroute('**/graphql');
      const api = (await env.asCaller<TaskAnswer>(page, TASK_QUERY, { id: taskId })).jointTask;
      expect(api.status).toBe('SNAPSHOT_TAKEN');
      expect(await page.getByTestId('snapshot-size').innerText()).toBe(String(api.snapshotSize));
      expect(api.snapshotSize).toBeGreaterThan(0);
      expect(await page.getByTestId('snapshot-hash-work').innerText()).toBe(api.snapshotHash);
      expect(await page.getByTestId('excluded-twice').innerText()).toBe(String(api.exclusions!.inspectedTwiceThisYear));
      expect(await page.getByTestId('excluded-recent').innerText()).toBe(String(api.exclusions!.recentlyInspected));
      // R9: the lead's rows read are the snapshot's targets and those left out (R14), no more, no fewer.
      expect(leadRows).toBe(
        api.snapshotSize! + api.exclusions!.inspectedTwiceThisYear + api.exclusions!.recentlyInspected,
      );
      await page.locator('[data-rule=R9]').first().waitFor();
      // Before its date, the witness is not asked for: the page says when it is published (R15).
      await page.getByTestId('witness-not-yet').waitFor();
      await shot('snapshot');
    },
  );

  it(
    'R15, R16: once the witness date has come the coordinator enters the witness and draws; a witness of the ' +
      "wrong length shows the hub's code; strata and the drawn list equal the API's",
    async () => {
      const { page } = coordinator;
      time.set('2026-03-04T02:00:00Z'); // the witness is out
      await page.reload();
      await page.getByTestId('witness-input').fill('05 11 16');
      await page.getByTestId('draw-targets').click();
      const refusal = page.locator('[data-testid=witness-step] .notice.error');
      await refusal.waitFor();
      expect(await refusal.getAttribute('data-code')).toBe('BAD_USER_INPUT');
      expect(await refusal.innerText()).toContain('witnessValue holds 3 numbers');
      expect(await status(page)).toBe('SNAPSHOT_TAKEN');
      await page.locator('[data-rule=R15]').first().waitFor();
      await page.getByTestId('witness-input').fill('05 11 16 23 28 32 + 07');
      await page.getByTestId('draw-targets').click();
      await page.locator('[data-testid=task-status][data-status=DRAWN]').waitFor();
      const api = (await env.asCaller<TaskAnswer>(page, TASK_QUERY, { id: taskId })).jointTask;
      expect(await page.getByTestId('witness-value').innerText()).toBe(api.witnessValue);
      const strata = await page.getByTestId('work-stratum').evaluateAll((rows) =>
        rows.map((r) => ({
          stratum: r.getAttribute('data-stratum'),
          eligible: Number(r.querySelector('[data-field=eligible]')!.textContent),
          drawn: Number(r.querySelector('[data-field=drawn]')!.textContent),
        })),
      );
      expect(strata).toEqual(api.strata);
      expect(api.drawnPage.totalCount).toBeGreaterThan(0);
      await page.getByTestId('drawn-target').first().waitFor();
      expect(await page.getByTestId('drawn-total').innerText()).toBe(String(api.drawnPage.totalCount));
      const keys = await page
        .getByTestId('drawn-target')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
      expect(keys).toEqual(api.drawnPage.nodes.slice(0, 50).map((n) => n.key));
      await shot('drawn');
    },
  );

  it(
    'R17, R9: the coordinator locks; the record verifies in the browser (public checks for the coordinator, ' +
      'the full re-play for the auditor); locking twice (from a page that still shows the drawn list) shows the ' +
      "hub's code and words",
    async () => {
      const { page } = coordinator;
      // The phone still shows the drawn list, with its lock button.
      await phone.page.reload();
      await phone.page.getByTestId('lock-task').waitFor();
      await page.getByTestId('lock-task').click();
      await page.locator('[data-testid=task-status][data-status=LOCKED]').waitFor();
      const api = (await env.asCaller<TaskAnswer>(page, TASK_QUERY, { id: taskId })).jointTask;
      expect(api.status).toBe('LOCKED');
      expect(api.publicRecord.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByTestId('secret').innerText()).toBe(api.publicRecord.secret);
      // The coordinator checks the public record (every public check passes); a full re-play needs every
      // target's credit-risk class (internal), which the auditor re-plays on the same screen (R9, R30).
      await page.getByTestId('verify-public').click();
      await page.locator('[data-testid=verification][data-verdict=public]').waitFor();
      expect(await page.getByTestId('verification-status').innerText()).toBe('公开记录核验通过');
      expect(
        await page.getByTestId('check').evaluateAll((checks) => checks.map((c) => c.getAttribute('data-ok'))),
      ).not.toContain('false');
      const auditor = await env.signedIn(env.user(Role.AUDITOR), { then: `/work/tasks/${taskId}` });
      try {
        await auditor.page.getByTestId('verify-full').click();
        await auditor.page.locator('[data-testid=verification][data-verdict=verified]').waitFor();
        expect(await auditor.page.getByTestId('verification-status').innerText()).toBe('已验证');
        expect(
          await auditor.page.getByTestId('check').evaluateAll((checks) => checks.map((c) => c.getAttribute('data-ok'))),
        ).not.toContain('false');
        await screenshot(auditor.page, 'i-work-task-verified-auditor-desktop');
      } finally {
        await auditor.context.close();
      }
      // Locking again is refused by the hub (R17), in its own words.
      await phone.page.getByTestId('lock-task').click();
      const refusal = phone.page.locator('[data-testid=lock-step] .notice.error');
      await refusal.waitFor();
      expect(await refusal.getAttribute('data-code')).toBe('CONFLICT');
      expect(await refusal.innerText()).toContain(`Task ${taskId} is locked already: its list never changes (R17).`);
      await screenshot(phone.page, 'i-work-task-lock-refused-phone');
      await screenshot(page, 'i-work-task-locked-desktop');
      await phone.page.reload();
      await phone.page.getByTestId('teams').waitFor();
      expect(await overflowsHorizontally(phone.page)).toBe(false);
      await screenshot(phone.page, 'i-work-task-locked-phone');
    },
  );

  it(
    "R18, R30: market's, tax's and fire's coordinators each draw their own inspectors in their own browser; " +
      "each is offered only their own department's draw; the teams equal the API's",
    async () => {
      for (const department of ['market', 'tax', 'fire']) {
        const { context, page } =
          department === 'market'
            ? coordinator
            : await env.signedIn(env.user(Role.COORDINATOR, department), { then: `/work/tasks/${taskId}` });
        try {
          await page.locator('[data-testid=inspector-draw]').first().waitFor();
          const offered = await page
            .getByTestId('draw-inspectors')
            .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-department')));
          expect(offered).toEqual([department]);
          await page.getByTestId('draw-inspectors').click();
          await page.locator(`[data-testid=inspector-draw][data-department=${department}][data-drawn=true]`).waitFor();
          const api = (await env.asCaller<TeamsAnswer>(page, TEAMS_QUERY, { id: taskId })).jointTask;
          expect(api.inspectorDraws.find((d) => d.department === department)?.drawnBy).toBe(
            env.user(Role.COORDINATOR, department).subject,
          );
          if (department === 'tax') await screenshot(page, 'i-work-task-teams-tax-desktop');
        } finally {
          if (department !== 'market') await context.close();
        }
      }
      const { page } = coordinator;
      await page.reload();
      await page.getByTestId('visit').first().waitFor();
      const api = (await env.asCaller<TeamsAnswer>(page, TEAMS_QUERY, { id: taskId })).jointTask;
      expect(await page.getByTestId('visit-total').innerText()).toBe(String(api.visitPage.totalCount));
      const shown = await page.getByTestId('visit').evaluateAll((visits) =>
        visits.map((v) => ({
          key: v.getAttribute('data-key'),
          teamProblems: [...v.querySelectorAll('[data-testid=team-problem]')].map((p) =>
            p.getAttribute('data-problem'),
          ),
          team: [...v.querySelectorAll('[data-testid=team-member]')].map((m) => ({
            department: m.getAttribute('data-department'),
            personId: m.getAttribute('data-person'),
            status: m.getAttribute('data-status'),
            origin: m.getAttribute('data-origin'),
          })),
        })),
      );
      expect(shown).toEqual(
        api.visitPage.nodes.map((v) => ({
          key: v.key,
          teamProblems: v.teamProblems,
          team: v.team.map(({ department, personId, status, origin }) => ({ department, personId, status, origin })),
        })),
      );
      expect(
        shown[0]!.team
          .filter((m) => m.status === 'ACTIVE')
          .map((m) => m.department)
          .sort(),
      ).toEqual(['fire', 'market', 'tax']);
      expect(await page.locator('[data-testid=visit]').first().getByTestId('leader').count()).toBe(1);
      await screenshot(page, 'i-work-task-teams-desktop');
      await shot('teams');
    },
  );

  it(
    "R20: market's deputy head replaces a drawn inspector with a listed reason; the team shows the replacement " +
      'as the API does, the original kept on record',
    async () => {
      const deputy = env.user(Role.DEPUTY_HEAD, 'market');
      const { context, page } = await env.signedIn(deputy, { then: `/work/tasks/${taskId}` });
      try {
        const visit = page.getByTestId('visit').first();
        await visit.waitFor();
        const key = await visit.getAttribute('data-key');
        await visit.getByTestId('adjust-team').click();
        await visit.getByTestId('replace-form').waitFor();
        await visit.locator('[data-rule=R20]').first().waitFor();
        const replaced = await visit.getByTestId('replace-person').inputValue();
        await visit.getByTestId('replace-reason').selectOption('HEALTH');
        const by = await visit
          .locator('[data-testid=replace-by] option[data-hint-eligible=true]')
          .first()
          .getAttribute('value');
        await visit.getByTestId('replace-by').selectOption(by!);
        await visit.getByTestId('replace-note').fill('原检查人员因病住院，无法参加本次检查。');
        await visit.getByTestId('replace-submit').click();
        await page
          .locator(
            `[data-testid=visit][data-key="${key}"] ` +
              `[data-testid=team-member][data-person="${by}"][data-origin=REPLACEMENT]`,
          )
          .waitFor();
        expect(
          await page.locator(`[data-testid=visit][data-key="${key}"] [data-testid=action-done]`).innerText(),
        ).toContain('理由“健康状况”');
        const api = (await env.asCaller<TeamsAnswer>(page, TEAMS_QUERY, { id: taskId })).jointTask;
        const team = api.visitPage.nodes.find((v) => v.key === key)!.team;
        expect(team.find((m) => m.personId === replaced && m.department === 'market')).toMatchObject({
          status: 'REPLACED',
          origin: 'DRAWN',
        });
        expect(team.find((m) => m.personId === by)).toMatchObject({
          status: 'ACTIVE',
          origin: 'REPLACEMENT',
          replacementReason: 'HEALTH',
          approvedBy: deputy.subject,
        });
        const shown = await page
          .locator(`[data-testid=visit][data-key="${key}"] [data-testid=team-member]`)
          .evaluateAll((rows) =>
            rows.map((m) => ({
              personId: m.getAttribute('data-person'),
              status: m.getAttribute('data-status'),
              origin: m.getAttribute('data-origin'),
            })),
          );
        expect(shown).toEqual(team.map(({ personId, status, origin }) => ({ personId, status, origin })));
        await screenshot(page, 'i-work-task-replaced-desktop');
        await page
          .locator(`[data-testid=visit][data-key="${key}"]`)
          .screenshot({ path: `${SCREENSHOT_DIR}/i-work-task-replaced-visit-desktop.png` });
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, 'i-work-task-replaced-phone');
        await page
          .locator(`[data-testid=visit][data-key="${key}"]`)
          .screenshot({ path: `${SCREENSHOT_DIR}/i-work-task-replaced-visit-phone.png` });
      } finally {
        await context.close();
      }
    },
  );
  it(
    "R19, R20, R21: tax's deputy head records a conflict of interest, replaces the conflicted inspector for " +
      "recusal, and the hub refuses them back on that team; an entrustment with a bad region shows the hub's code",
    async () => {
      const deputy = env.user(Role.DEPUTY_HEAD, 'tax');
      const { context, page } = await env.signedIn(deputy, { then: `/work/tasks/${taskId}` });
      try {
        const visit = page.getByTestId('visit').first();
        await visit.waitFor();
        const key = (await visit.getAttribute('data-key'))!;
        const drawn = (await visit
          .locator('[data-testid=team-member][data-department=tax][data-status=ACTIVE]')
          .getAttribute('data-person'))!;
        await visit.getByTestId('adjust-team').click();
        // R19: the conflict of the drawn tax inspector with this target.
        await visit.getByTestId('conflict-person').selectOption(drawn);
        await visit.getByTestId('conflict-reason').fill('该检查人员的配偶在该企业任财务负责人。');
        await visit.getByTestId('conflict-submit').click();
        await visit.locator('[data-testid=conflict-form] [data-testid=action-done]').waitFor();
        // R20: replaced for recusal by an eligible colleague.
        await visit.getByTestId('replace-reason').selectOption('RECUSAL');
        const by = (await visit
          .locator('[data-testid=replace-by] option[data-hint-eligible=true]')
          .first()
          .getAttribute('value'))!;
        await visit.getByTestId('replace-by').selectOption(by);
        await visit.getByTestId('replace-note').fill('执法回避。');
        await visit.getByTestId('replace-submit').click();
        await page
          .locator(
            `[data-testid=visit][data-key="${key}"] ` +
              `[data-testid=team-member][data-person="${by}"][data-origin=REPLACEMENT]`,
          )
          .waitFor();
        const api = (await env.asCaller<TeamsAnswer>(page, TEAMS_QUERY, { id: taskId })).jointTask.visitPage.nodes.find(
          (v) => v.key === key,
        )!.team;
        expect(api.find((m) => m.personId === drawn)).toMatchObject({ status: 'REPLACED' });
        expect(api.find((m) => m.personId === by)).toMatchObject({
          status: 'ACTIVE',
          origin: 'REPLACEMENT',
          replacementReason: 'RECUSAL',
          approvedBy: deputy.subject,
        });
        // The conflicted inspector is no eligible replacement for this target (R19, R20): the hub says so.
        await visit.getByTestId('replace-reason').selectOption('WORK_CONFLICT');
        await visit.getByTestId('replace-by').selectOption(drawn);
        await visit.getByTestId('replace-note').fill('试图换回。');
        await visit.getByTestId('replace-submit').click();
        const refusal = visit.locator('[data-testid=replace-form] .notice.error');
        await refusal.waitFor();
        expect(await refusal.getAttribute('data-code')).toBe('BAD_USER_INPUT');
        expect(await refusal.innerText()).toContain(`${drawn} is not an eligible tax inspector for ${key}`);
        // R21: an entrustment's regions are codes; the hub refuses others in its words.
        await page.locator('[data-testid=entrust] summary').click();
        await page.getByTestId('entrust-person').locator('option').nth(1).waitFor({ state: 'attached' });
        await page.getByTestId('entrust-person').selectOption({ index: 1 });
        await page.getByTestId('entrust-regions').fill('浦东');
        await page.getByTestId('entrust-unit').fill('上海市税务局');
        await page.getByTestId('entrust-reason').fill('跨区联合检查。');
        await page.getByTestId('entrust-submit').click();
        const entrustRefusal = page.locator('[data-testid=entrust] .notice.error');
        await entrustRefusal.waitFor();
        expect(await entrustRefusal.getAttribute('data-code')).toBe('BAD_USER_INPUT');
        await page.getByTestId('entrust-regions').fill('310115');
        await page.getByTestId('entrust-submit').click();
        await page.locator('[data-testid=entrust] [data-testid=action-done]').waitFor();
        await screenshot(page, 'i-work-task-recusal-desktop');
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await overflowsHorizontally(page)).toBe(false);
        await page
          .locator(`[data-testid=visit][data-key="${key}"]`)
          .screenshot({ path: `${SCREENSHOT_DIR}/i-work-task-recusal-visit-phone.png` });
      } finally {
        await context.close();
      }
    },
  );
});
