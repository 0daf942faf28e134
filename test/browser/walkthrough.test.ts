import type { Page } from 'playwright-core';
import { Role } from '../../kernel/identity';
import { deliverEverything, testClock } from '../joint/fixtures';
import { overflowsHorizontally, phoneContext, screenshot } from '../support/browser';
import { testDatabases } from '../support/databases';
import { startSignedInHub, type SignedInHub } from '../support/workspace';
import { signAndSubmit } from '../support/onsite';

/**
 * Issue I: one whole joint inspection walked in the browser by the officials who do it, each
 * signed in at the identity provider as themselves, nothing done through the API but the
 * questions that check what each screen shows (asked with the token that page holds) and the
 * passing of days (the hub's settable clock): the lead coordinator plans from three departments'
 * checklists, publishes, creates a task, takes the snapshot, enters the witness, draws and locks;
 * each department's coordinator draws its inspectors; a deputy head seats the demo inspector; the
 * inspector submits the visit; each department's admin approves and publishes its result; the
 * public finds the three results on the public page.
 */
const WITNESS_SOURCE = '中国福利彩票双色球第2026022期开奖号码（2026年2月26日开奖）';
const WITNESS_VALUE = '03 09 14 21 27 30 + 12';

describe.each(testDatabases().slice(0, 1))(
  'I: one joint inspection, walked by the officials in the browser ($label)',
  (database) => {
    let env: SignedInHub;
    // Plans are made before their window (1 March): the hub's today is 24 February 2026.
    const time = testClock('2026-02-24T02:00:00Z');
    let planId: string;
    let taskId: string;
    let visitKey: string;
    /** The visit's place in the drawn order (the teams are shown 10 a page). */
    let visitIndex: number;
    let uscc: string;

    beforeAll(async () => {
      env = await startSignedInHub(database, { clock: time.clock });
    }, 180_000);
    afterAll(async () => env?.stop());

    /** Runs a step as an official in a browser of their own (desktop unless a phone is asked for). */
    async function as(
      role: Role,
      department: string | null,
      path: string,
      step: (page: Page) => Promise<void>,
      phone = false,
    ): Promise<void> {
      const { context, page } = await env.signedIn(env.user(role, department), { then: path, phone });
      try {
        await step(page);
      } finally {
        await context.close();
      }
    }

    it(
      "1. R2, R3, R10, R11: the lead coordinator plans with three departments' checklist items and publishes " +
        'the plan within its deadline',
      async () => {
        await as(Role.COORDINATOR, 'market', '/work/plans/new', async (page) => {
          await page.getByTestId('plan-name-input').fill('2026年度特种设备、发票与消防安全部门联合抽查计划');
          await page.getByTestId('partner-tax').check();
          await page.getByTestId('partner-fire').check();
          for (const [department, code] of [
            ['market', 'MKT-09'],
            ['tax', 'TAX-08'],
            ['fire', 'FIRE-01'],
          ]) {
            await page
              .locator(
                `[data-testid="checklist-item"][data-department="${department}"][data-code="${code}"] ` +
                  `[data-testid="pick-item"]`,
              )
              .check();
          }
          await page.getByTestId('plan-regions').fill('3101');
          await page.getByTestId('plan-window-start').fill('2026-03-01');
          await page.getByTestId('plan-window-end').fill('2026-11-30');
          await page.getByTestId('plan-batchSize').fill('10');
          await screenshot(page, 'i-walk-1-plan-editor-desktop');
          await page.getByTestId('save-plan').click();
          await page.waitForURL(/\/work\/plans\/[0-9a-f-]{36}$/);
          planId = page.url().split('/').pop()!;
          await page.getByTestId('publish-plan').click();
          await page
            .getByTestId('plan-status')
            .filter({ hasText: /^已公布$/ })
            .waitFor();
          const api = await env.asCaller<{
            jointPlan: {
              status: string;
              items: Array<{ department: string; code: string }>;
              revisions: Array<{ publishBy: string; publishedAt: string | null }>;
            };
          }>(
            page,
            'query($id: ID!) { jointPlan(id: $id) { status items { department code } revisions { publishBy ' +
              'publishedAt } } }',
            { id: planId },
          );
          expect(api.jointPlan.status).toBe('PUBLISHED');
          expect(api.jointPlan.items.map((i) => `${i.department}/${i.code}`).sort()).toEqual([
            'fire/FIRE-01',
            'market/MKT-09',
            'tax/TAX-08',
          ]);
          // R11: the deadline shown is the hub's, and the plan was published within it.
          await expect(
            page.locator('[data-testid="plan-revision"][data-revision="1"] [data-field="publishBy"]').innerText(),
          ).resolves.toBe(api.jointPlan.revisions[0]!.publishBy);
          expect(api.jointPlan.revisions[0]!.publishedAt!.slice(0, 10) <= api.jointPlan.revisions[0]!.publishBy).toBe(
            true,
          );
          await screenshot(page, 'i-walk-1-plan-published-desktop');
        });
      },
    );

    it(
      '2. R15, R16: the lead coordinator creates a task of the ' + 'published plan with its witness source and date',
      async () => {
        await as(Role.COORDINATOR, 'market', `/work/plans/${planId}`, async (page) => {
          await expect(page.getByTestId('task-witness-date').inputValue()).resolves.toBe('2026-02-26');
          await page.getByTestId('task-name').fill('2026年第一批特种设备、发票与消防联合抽查');
          await page.getByTestId('task-witness-source').fill(WITNESS_SOURCE);
          await page.getByTestId('create-task').click();
          await page.waitForURL(/\/work\/tasks\/[0-9a-f-]{36}$/);
          taskId = page.url().split('/').pop()!;
          const api = await env.asCaller<{
            jointTask: { status: string; witnessSource: string; witnessAvailableOn: string; commitment: string };
          }>(page, 'query($id: ID!) { jointTask(id: $id) { status witnessSource witnessAvailableOn commitment } }', {
            id: taskId,
          });
          expect(api.jointTask).toMatchObject({
            status: 'COMMITTED',
            witnessSource: WITNESS_SOURCE,
            witnessAvailableOn: '2026-02-26',
          });
          await expect(page.getByTestId('commitment').innerText()).resolves.toBe(api.jointTask.commitment);
          await screenshot(page, 'i-walk-2-task-committed-desktop');
        });
      },
    );

    it('3. R9, R15-R17: snapshot, witness, draw and lock by the lead coordinator; the record verifies', async () => {
      await as(Role.COORDINATOR, 'market', `/work/tasks/${taskId}`, async (page) => {
        await page.getByTestId('take-snapshot').click();
        await page.locator('[data-testid=task-status][data-status=SNAPSHOT_TAKEN]').waitFor();
        const snap = await env.asCaller<{ jointTask: { snapshotSize: number; snapshotHash: string } }>(
          page,
          'query($id: ID!) { jointTask(id: $id) { snapshotSize snapshotHash } }',
          { id: taskId },
        );
        await expect(page.getByTestId('snapshot-size').innerText()).resolves.toBe(String(snap.jointTask.snapshotSize));
        await expect(page.getByTestId('snapshot-hash-work').innerText()).resolves.toBe(snap.jointTask.snapshotHash);
        await page.getByTestId('witness-not-yet').waitFor();
        // The lottery is drawn on 26 February; on 2 March the coordinator enters its numbers.
        time.set('2026-03-02T01:30:00Z');
        await page.reload();
        await page.getByTestId('witness-input').fill(WITNESS_VALUE);
        await page.getByTestId('draw-targets').click();
        await page.locator('[data-testid=task-status][data-status=DRAWN]').waitFor();
        await page.getByTestId('lock-task').click();
        await page.locator('[data-testid=task-status][data-status=LOCKED]').waitFor();
        const api = await env.asCaller<{ jointTask: { status: string; drawnPage: { totalCount: number } } }>(
          page,
          'query($id: ID!) { jointTask(id: $id) { status drawnPage(first: 1) { totalCount } } }',
          { id: taskId },
        );
        expect(api.jointTask.status).toBe('LOCKED');
        await expect(page.getByTestId('drawn-total').innerText()).resolves.toBe(
          String(api.jointTask.drawnPage.totalCount),
        );
        await page.getByTestId('verify-public').click();
        await page.locator('[data-testid=verification][data-verdict=public]').waitFor();
        expect(
          await page.getByTestId('check').evaluateAll((checks) => checks.map((c) => c.getAttribute('data-ok'))),
        ).not.toContain('false');
        await screenshot(page, 'i-walk-3-task-locked-desktop');
      });
      // The auditor re-plays the whole lottery from the full record.
      await as(Role.AUDITOR, null, `/work/tasks/${taskId}`, async (page) => {
        await page.getByTestId('verify-full').click();
        await page.locator('[data-testid=verification][data-verdict=verified]').waitFor();
      });
    });

    it(
      "4. R18, R30: each participating department's " + 'coordinator draws its inspectors; the teams are complete',
      async () => {
        for (const department of ['market', 'tax', 'fire']) {
          await as(Role.COORDINATOR, department, `/work/tasks/${taskId}`, async (page) => {
            await page.getByTestId('draw-inspectors').click();
            await page
              .locator(`[data-testid=inspector-draw][data-department=${department}][data-drawn=true]`)
              .waitFor();
            if (department === 'fire') {
              await page.reload();
              await page.getByTestId('visit').first().waitFor();
              const api = await env.asCaller<{
                jointTask: {
                  visitPage: {
                    totalCount: number;
                    nodes: Array<{
                      key: string;
                      uscc: string | null;
                      teamProblems: string[];
                      team: Array<{ personId: string }>;
                      checklist: Array<{ department: string }>;
                    }>;
                  };
                };
              }>(
                page,
                'query($id: ID!) { jointTask(id: $id) { visitPage(first: 1000) { totalCount nodes { key uscc ' +
                  'teamProblems team { personId } checklist { department } } } } }',
                { id: taskId },
              );
              await expect(page.getByTestId('visit-total').innerText()).resolves.toBe(
                String(api.jointTask.visitPage.totalCount),
              );
              // The first page's teams and what keeps each from being complete, as the API says.
              const firstPage = api.jointTask.visitPage.nodes.slice(0, 10);
              const problems = await page
                .getByTestId('visit')
                .evaluateAll((visits) => visits.map((v) => v.querySelectorAll('[data-testid=team-problem]').length));
              expect(problems).toEqual(firstPage.map((v) => v.teamProblems.length));
              // The visit walked on: a market entity with items of all three departments (R22: a
              // department's items apply to the targets on its roster).
              // Not one the demo inspector was drawn for: the deputy head seats them there (R20).
              const inspector = env.user(Role.INSPECTOR, 'market').subject;
              visitIndex = api.jointTask.visitPage.nodes.findIndex(
                (v) =>
                  v.uscc !== null &&
                  new Set(v.checklist.map((c) => c.department)).size === 3 &&
                  v.teamProblems.length === 0 &&
                  !v.team.some((m) => m.personId === inspector),
              );
              expect(visitIndex).toBeGreaterThanOrEqual(0);
              const first = api.jointTask.visitPage.nodes[visitIndex]!;
              visitKey = first.key;
              uscc = first.uscc!;
              await screenshot(page, 'i-walk-4-teams-desktop');
            }
          });
        }
      },
    );

    it(
      "5. R20: market's deputy head seats the demo inspector on the first visit, replacing the drawn one for a " +
        'listed reason',
      async () => {
        const inspector = env.user(Role.INSPECTOR, 'market').subject;
        await as(Role.DEPUTY_HEAD, 'market', `/work/tasks/${taskId}`, async (page) => {
          await page.getByTestId('visit').first().waitFor();
          for (let p = 0; p < Math.floor(visitIndex / 10); p++) await page.getByTestId('visits-next').click();
          const visit = page.locator(`[data-testid=visit][data-key="${visitKey}"]`);
          await visit.waitFor();
          await visit.getByTestId('adjust-team').click();
          await visit.getByTestId('replace-reason').selectOption('WORK_CONFLICT');
          await visit.getByTestId('replace-by').selectOption(inspector);
          await visit.getByTestId('replace-note').fill('原检查人员当日另有执法任务。');
          await visit.getByTestId('replace-submit').click();
          await visit
            .locator(`[data-testid=team-member][data-person="${inspector}"][data-origin=REPLACEMENT]`)
            .waitFor();
          const api = await env.asCaller<{
            jointTask: {
              visitPage: {
                nodes: Array<{
                  key: string;
                  team: Array<{
                    personId: string;
                    origin: string;
                    status: string;
                    replacementReason: string | null;
                    approvedBy: string | null;
                  }>;
                }>;
              };
            };
          }>(
            page,
            'query($id: ID!) { jointTask(id: $id) { visitPage(first: 1000) { nodes { key team { personId ' +
              'origin status replacementReason approvedBy } } } } }',
            { id: taskId },
          );
          const team = api.jointTask.visitPage.nodes.find((v) => v.key === visitKey)!.team;
          expect(team.find((m) => m.personId === inspector)).toMatchObject({
            origin: 'REPLACEMENT',
            status: 'ACTIVE',
            replacementReason: 'WORK_CONFLICT',
            approvedBy: env.user(Role.DEPUTY_HEAD, 'market').subject,
          });
          expect(team.filter((m) => m.status === 'REPLACED')).toHaveLength(1);
          await screenshot(page, 'i-walk-5-team-replaced-desktop');
        });
      },
    );

    it(
      "6. R22, R24: the inspector finds the visit with the combined checklist and submits every department's " +
        'results; each department receives them',
      async () => {
        await as(
          Role.INSPECTOR,
          'market',
          '/work/visits',
          async (page) => {
            await page
              .locator(`[data-testid="inspector-visit"][data-key="${visitKey}"] [data-testid="visit-open"]`)
              .click();
            await page.getByTestId('visit-form').waitFor();
            await expect(
              page
                .getByTestId('department-items')
                .evaluateAll((sets) => sets.map((s) => s.getAttribute('data-department'))),
            ).resolves.toEqual(['market', 'fire', 'tax']);
            for (const select of await page.getByTestId('item-outcome').all()) await select.selectOption('NO_PROBLEM');
            for (const notes of await page.getByTestId('item-notes').all()) await notes.fill('现场检查，未发现问题');
            await screenshot(page, 'i-walk-6-visit-form-phone');
            expect(await overflowsHorizontally(page)).toBe(false);
            // Issue J: the business and the whole team sign on the phone, then it is sent.
            await signAndSubmit(page);
            await page.locator('[data-testid="visit-entry-state"][data-state="SENT"]').waitFor({ timeout: 60_000 });
          },
          true,
        );
        await deliverEverything(env.hub.joint.deliverer);
        await as(Role.INSPECTOR, 'market', `/work/visits/${taskId}/${encodeURIComponent(visitKey)}`, async (page) => {
          await page.getByTestId('visit-submission').waitFor();
          const api = await env.asCaller<{
            jointTask: {
              visitPage: {
                nodes: Array<{
                  key: string;
                  submission: { deliveries: Array<{ department: string; status: string }> } | null;
                }>;
              };
            };
          }>(
            page,
            'query($id: ID!) { jointTask(id: $id) { visitPage(first: 1000) { nodes { key submission { ' +
              'deliveries { department status } } } } } }',
            { id: taskId },
          );
          const deliveries = api.jointTask.visitPage.nodes.find((v) => v.key === visitKey)!.submission!.deliveries;
          expect(deliveries.map((d) => `${d.department}:${d.status}`).sort()).toEqual([
            'fire:DELIVERED',
            'market:DELIVERED',
            'tax:DELIVERED',
          ]);
          await expect(
            page
              .getByTestId('delivery')
              .evaluateAll((l) =>
                l.map((x) => `${x.getAttribute('data-department')}:${x.getAttribute('data-status')}`).sort(),
              ),
          ).resolves.toEqual(deliveries.map((d) => `${d.department}:${d.status}`).sort());
          await screenshot(page, 'i-walk-6-visit-delivered-desktop');
        });
      },
    );

    it(
      "7. R25: each department's admin approves and publishes " + 'its result, with the deadline the hub computes',
      async () => {
        for (const department of ['market', 'tax', 'fire']) {
          await as(Role.DEPT_ADMIN, department, '/work/results', async (page) => {
            const recorded = await env.asCaller<
              Record<string, { resultPage: { totalCount: number; nodes: Array<{ id: string; uscc: string | null }> } }>
            >(page, `{ ${department} { resultPage(status: RECORDED, first: 100) { totalCount nodes { id uscc } } } }`);
            const page1 = recorded[department]!.resultPage;
            expect(page1.nodes.map((r) => r.uscc)).toEqual([uscc]);
            await expect(page.getByTestId('count-RECORDED').innerText()).resolves.toBe(String(page1.totalCount));
            const id = page1.nodes[0]!.id;
            const deadlines = await env.asCaller<{
              jointPublicationDeadlinePage: { nodes: Array<{ resultId: string; deadline: string }> };
            }>(
              page,
              'query($d: String) { jointPublicationDeadlinePage(year: 2026, department: $d, first: 200) { ' +
                'nodes { resultId deadline } } }',
              { d: department },
            );
            const deadline = deadlines.jointPublicationDeadlinePage.nodes.find((n) => n.resultId === id)!.deadline;
            const row = page.locator(`[data-testid=waiting-RECORDED] [data-testid=result-row][data-result-id="${id}"]`);
            await expect(row.getByTestId('deadline').innerText()).resolves.toContain(deadline);
            await row.getByTestId('select').check();
            await page.getByTestId('approve').click();
            await page.getByTestId('action-done').waitFor();
            const approved = page.locator(
              `[data-testid=waiting-APPROVED] [data-testid=result-row][data-result-id="${id}"]`,
            );
            await approved.getByTestId('select').check();
            await page.getByTestId('publish').click();
            await page.locator('[data-testid=changed][data-status=PUBLISHED]').waitFor();
            const after = await env.asCaller<Record<string, { resultPage: { nodes: Array<{ id: string }> } }>>(
              page,
              `{ ${department} { resultPage(status: PUBLISHED, first: 100) { nodes { id } } } }`,
            );
            expect(after[department]!.resultPage.nodes.map((r) => r.id)).toEqual([id]);
            await screenshot(page, `i-walk-7-results-${department}-desktop`);
          });
        }
      },
    );

    it(
      "8. R25, R32: the public finds the three departments' published results of the visit on the public page, " +
        'as the API gives them to the public',
      async () => {
        // A member of the public: a phone, nobody signed in.
        const context = await phoneContext(env.browser, env.origin);
        const page = await context.newPage();
        try {
          await page.goto(`/entity/${uscc}`);
          await page.locator('[data-testid=result]').first().waitFor();
          const shown = await page
            .locator('[data-testid=result]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-department')).sort());
          const publicAnswer = await env.hub.query<
            Record<string, { publishedResultPage: { nodes: Array<{ id: string }> } }>
          >(
            `query($u: String!) { market { publishedResultPage(uscc: $u) { nodes { id } } } tax { ` +
              `publishedResultPage(uscc: $u) { nodes { id } } } fire { publishedResultPage(uscc: $u) { nodes { id ` +
              `} } } }`,
            { variables: { u: uscc } },
          );
          expect(publicAnswer.errors).toBeUndefined();
          const expected = Object.entries(publicAnswer.data!)
            .flatMap(([department, d]) => d.publishedResultPage.nodes.map(() => department))
            .sort();
          expect(expected).toEqual(['fire', 'market', 'tax']);
          expect(shown).toEqual(expected);
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, 'i-walk-8-public-page-phone');
        } finally {
          await context.close();
        }
      },
    );
  },
);
