import type { Page } from 'playwright-core';
import { Role } from '../../kernel/identity';
import {
  deliverEverything,
  drawAllInspectors,
  jointPlanInput,
  publishedPlan,
  runTaskTo,
  submitVisit,
  teamVisits,
  testClock,
} from '../joint/fixtures';
import { overflowsHorizontally, screenshot } from '../support/browser';
import { testDatabases } from '../support/databases';
import { startSignedInHub, type SignedInHub } from '../support/workspace';

/**
 * Issue I, /work/results: a department's results screen, walked in a browser by the market
 * department's admin (approve, publish, by the deadlines the joint service computes: R25, R31) and
 * its principal head (correct a published result: R28), each signed in at the identity provider.
 * Results are made through the API: a locked task, its teams, visits submitted by their
 * inspectors on two days, delivered to the departments. What the screen shows is compared with the
 * API's answer to the same caller (the page's own token), and each step with the server's state.
 */
jest.setTimeout(120_000);

const time = testClock('2026-03-02T02:00:00Z');
/**
 * The hub's today while the screens are used: the first visits' deadline (20 working days from 4 March) has passed,
 * the later ones' not.
 */
const TODAY = '2026-04-22T02:00:00Z';

interface ApiResult {
  id: string;
  uscc: string | null;
  status: string;
  outcome: string;
  notes: string | null;
  correctsId: string | null;
  correctionReason: string | null;
  publishedAt: string | null;
}
const RESULT_FIELDS = 'id uscc status outcome notes correctsId correctionReason publishedAt';

describe.each(testDatabases().slice(0, 1))('I: department results in the workspace ($label)', (database) => {
  let env: SignedInHub;

  const resultsOf = async (page: Page, status: string) =>
    (
      await env.asCaller<{ market: { resultPage: { totalCount: number; nodes: ApiResult[] } } }>(
        page,
        `query($s: ResultStatus) { market { resultPage(status: $s, first: 1000) { totalCount nodes { ` +
          `${RESULT_FIELDS} } } } }`,
        { s: status },
      )
    ).market.resultPage;
  /** Every market result, by id (as a hub auditor reads them). */
  async function stored(): Promise<Map<string, ApiResult>> {
    const answer = await env.hub.query<{ market: { resultPage: { nodes: ApiResult[] } } }>(
      `{ market { resultPage(first: 1000) { nodes { ${RESULT_FIELDS} } } } }`,
      { token: await env.hub.token(Role.AUDITOR) },
    );
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return new Map(answer.data!.market.resultPage.nodes.map((r) => [r.id, r]));
  }
  const row = (page: Page, list: string, id: string) =>
    page.locator(`[data-testid=${list}] [data-testid=result-row][data-result-id="${id}"]`);

  beforeAll(async () => {
    env = await startSignedInHub(database, { clock: time.clock, targets: 200 });
    const hub = env.hub;
    const planId = await publishedPlan(
      hub,
      jointPlanInput({ ratios: { high: 40, elevated: 20, general: 10, low: 10 } }),
    );
    const taskId = await runTaskTo(hub, time, planId, 'LOCKED');
    await drawAllInspectors(hub, taskId, ['market', 'tax', 'fire']);
    const visits = (await teamVisits(hub, taskId)).filter(
      (v) => v.uscc && v.team.some((m) => m.kind === 'INSPECTOR' && m.department === 'market'),
    );
    expect(visits.length).toBeGreaterThanOrEqual(6);
    // Three visits checked on the day of the lock, three on 20 April: their deadlines fall either side of today.
    time.set('2026-03-04T06:00:00Z');
    for (const v of visits.slice(0, 3))
      expect((await submitVisit(hub, taskId, v, 'market', '2026-03-04')).errors).toBeUndefined();
    time.set('2026-04-20T06:00:00Z');
    for (const v of visits.slice(3, 6))
      expect((await submitVisit(hub, taskId, v, 'market', '2026-04-20')).errors).toBeUndefined();
    await deliverEverything(hub.joint.deliverer);
    time.set(TODAY);
  }, 180_000);
  afterAll(async () => env?.stop());

  it(
    'R25, R31, R30: the market admin sees the results waiting for approval, as many as the API gives the same ' +
      'caller, each with the deadline the joint service computes, overdue ones marked',
    async () => {
      const { context, page } = await env.signedIn(env.user(Role.DEPT_ADMIN, 'market'), { then: '/work/results' });
      try {
        const recorded = await resultsOf(page, 'RECORDED');
        expect(recorded.totalCount).toBe(6);
        await expect(page.getByTestId('count-RECORDED').innerText()).resolves.toBe(String(recorded.totalCount));
        await page.getByTestId('none-APPROVED').waitFor();
        const deadlines = (
          await env.asCaller<{
            jointPublicationDeadlinePage: {
              nodes: Array<{
                resultId: string;
                deadline: string;
                overdue: boolean;
                provisional: boolean;
                workingDaysLeft: number;
              }>;
            };
          }>(
            page,
            '{ jointPublicationDeadlinePage(year: 2026, department: "market", first: 1000) { nodes { resultId ' +
              'deadline overdue provisional workingDaysLeft } } }',
          )
        ).jointPublicationDeadlinePage.nodes;
        expect(deadlines.filter((d) => d.overdue)).toHaveLength(3);
        // Each row's deadline is the server's, with its overdue mark and provisional note.
        await page.locator('[data-testid=waiting-RECORDED] [data-testid=deadline]').first().waitFor();
        const shown = await page
          .locator('[data-testid=waiting-RECORDED] [data-testid=result-row]')
          .evaluateAll((rows) =>
            rows.map((r) => {
              const d = r.querySelector('[data-testid=deadline]')!;
              return {
                resultId: r.getAttribute('data-result-id'),
                deadline: d.getAttribute('data-deadline'),
                overdue: d.getAttribute('data-overdue') === 'true',
                provisional: d.getAttribute('data-provisional') === 'true',
                alert: r.classList.contains('alert'),
              };
            }),
          );
        expect(shown.map((s) => s.resultId).sort()).toEqual(recorded.nodes.map((r) => r.id).sort());
        const byId = new Map(deadlines.map((d) => [d.resultId, d]));
        expect(shown).toEqual(
          shown.map((s) => ({
            resultId: s.resultId,
            deadline: byId.get(s.resultId!)!.deadline,
            overdue: byId.get(s.resultId!)!.overdue,
            provisional: byId.get(s.resultId!)!.provisional,
            alert: byId.get(s.resultId!)!.overdue,
          })),
        );
        await expect(page.getByTestId('overdue-count').innerText()).resolves.toBe('3');
        await expect(page.locator('[data-testid=waiting-RECORDED] [data-testid=overdue]').count()).resolves.toBe(3);
        const rules = await page
          .getByTestId('rule')
          .evaluateAll((notes) => notes.map((n) => n.getAttribute('data-rule')));
        expect(rules).toEqual(expect.arrayContaining(['R24', 'R25', 'R27', 'R30']));
        await screenshot(page, 'i-work-results-admin-desktop');
      } finally {
        await context.close();
      }
    },
  );

  it(
    'R25: the admin approves three results and publishes them; publishing an unapproved one is refused with ' +
      "the hub's code and changes nothing; the published results are on the public page",
    async () => {
      const { context, page } = await env.signedIn(env.user(Role.DEPT_ADMIN, 'market'), { then: '/work/results' });
      try {
        const recorded = (await resultsOf(page, 'RECORDED')).nodes.map((r) => r.id).sort();
        const chosen = recorded.slice(0, 3);
        for (const id of chosen) await row(page, 'waiting-RECORDED', id).getByTestId('select').check();
        await expect(page.getByTestId('selected-count').innerText()).resolves.toBe('已选 3 条');
        await page.getByTestId('approve').click();
        await page.getByTestId('action-done').waitFor();
        // What changed, as the hub answered; and the server's state.
        const changed = await page
          .getByTestId('changed')
          .evaluateAll((items) => items.map((i) => [i.getAttribute('data-result-id'), i.getAttribute('data-status')]));
        expect(changed.sort()).toEqual(chosen.map((id) => [id, 'APPROVED']));
        let now = await stored();
        expect(chosen.map((id) => now.get(id)!.status)).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
        await page.getByTestId('count-APPROVED').filter({ hasText: '3' }).waitFor();
        await expect(page.getByTestId('count-RECORDED').innerText()).resolves.toBe(
          String((await resultsOf(page, 'RECORDED')).totalCount),
        );

        // Refused: a recorded (unapproved) result cannot be published; the hub's code and words are shown.
        const unapproved = recorded[3]!;
        await row(page, 'waiting-RECORDED', unapproved).getByTestId('select').check();
        await page.getByTestId('publish').click();
        const refusal = page.locator('[data-testid=approve-publish] .notice.error');
        await refusal.waitFor();
        await expect(refusal.getAttribute('data-code')).resolves.toBe('CONFLICT');
        await expect(refusal.innerText()).resolves.toContain(
          `Result ${unapproved} is RECORDED: only APPROVED results can be published`,
        );
        await screenshot(page, 'i-work-results-refused-desktop');
        now = await stored();
        expect([now.get(unapproved)!.status, now.get(unapproved)!.publishedAt]).toEqual(['RECORDED', null]);

        // The approved three, published.
        await page.getByRole('button', { name: '清除选择' }).click();
        for (const id of chosen) await row(page, 'waiting-APPROVED', id).getByTestId('select').check();
        await page.getByTestId('publish').click();
        await page.getByTestId('action-done').waitFor();
        const published = await page
          .getByTestId('changed')
          .evaluateAll((items) => items.map((i) => [i.getAttribute('data-result-id'), i.getAttribute('data-status')]));
        expect(published.sort()).toEqual(chosen.map((id) => [id, 'PUBLISHED']));
        now = await stored();
        expect(chosen.map((id) => now.get(id)!.status)).toEqual(['PUBLISHED', 'PUBLISHED', 'PUBLISHED']);
        await page.getByTestId('none-APPROVED').waitFor();
        // Published results have no deadline left to keep: the joint service no longer lists them.
        await expect(page.getByTestId('deadline-summary').getAttribute('data-unpublished')).resolves.toBe('3');

        // The public finds them on the target's page.
        const uscc = now.get(chosen[0]!)!.uscc!;
        await page.goto(`/entity/${uscc}`);
        await page.locator(`[data-testid=result][data-department=market][data-result-id="${chosen[0]}"]`).waitFor();
      } finally {
        await context.close();
      }
    },
  );

  it(
    'R27: the admin defines an outcome that becomes a dishonesty record; the dictionary shows it as the API ' +
      'has it',
    async () => {
      const { context, page } = await env.signedIn(env.user(Role.DEPT_ADMIN, 'market'), { then: '/work/results' });
      try {
        await page.getByTestId('outcome-code').fill('REFUSED_ENTRY');
        await page.getByTestId('outcome-label').fill('拒绝执法检查人员进入经营场所');
        await page.getByTestId('outcome-dishonesty').check();
        await page.getByTestId('outcome-submit').click();
        await page.getByTestId('outcome-defined').waitFor();
        const outcomes = (
          await env.asCaller<{
            market: {
              outcomes: Array<{ code: string; version: number; label: string; dishonesty: boolean; status: string }>;
            };
          }>(page, '{ market { outcomes { code version label dishonesty status } } }')
        ).market.outcomes;
        expect(outcomes.find((o) => o.code === 'REFUSED_ENTRY')).toEqual({
          code: 'REFUSED_ENTRY',
          version: 1,
          label: '拒绝执法检查人员进入经营场所',
          dishonesty: true,
          status: 'CURRENT',
        });
        await page.locator('[data-testid=outcome-row][data-code=REFUSED_ENTRY][data-status=CURRENT]').waitFor();
        await expect(page.getByTestId('outcome-row').count()).resolves.toBe(outcomes.length);
      } finally {
        await context.close();
      }
    },
  );

  it(
    'R28, R30: the principal head corrects a published result with a reason; the original stays, the ' +
      'correction is published and the public page shows it; a correction without a reason is refused with its ' +
      'code',
    async () => {
      const { context, page } = await env.signedIn(env.user(Role.PRINCIPAL_HEAD, 'market'), { then: '/work/results' });
      try {
        const published = await resultsOf(page, 'PUBLISHED');
        await expect(page.getByTestId('count-PUBLISHED').innerText()).resolves.toBe(String(published.totalCount));
        expect(published.totalCount).toBe(3);
        const original = published.nodes[0]!;
        await row(page, 'correct-published', original.id).getByTestId('choose').click();
        await page.getByTestId('correct-outcome').selectOption('CORRECTED_ON_ORDER');
        await page.getByTestId('correct-notes').fill('经复核，现场发现特种设备未按期检验，已责令改正');
        // No reason: the hub refuses (R28 asks what error was proven), in its own words.
        await page.getByTestId('correct-submit').click();
        const refusal = page.locator('[data-testid=correction] .notice.error');
        await refusal.waitFor();
        await expect(refusal.getAttribute('data-code')).resolves.toBe('BAD_USER_INPUT');
        await expect(refusal.innerText()).resolves.toMatch(/reason/);
        expect((await resultsOf(page, 'PUBLISHED')).totalCount).toBe(3);

        const reason = '原检查记录漏记现场发现的问题，经执法记录仪视频核实';
        await page.getByTestId('correct-reason').fill(reason);
        await page.getByTestId('correct-submit').click();
        const corrected = page.getByTestId('corrected');
        await corrected.waitFor();
        const newId = (await corrected.getAttribute('data-result-id'))!;
        await expect(corrected.getAttribute('data-corrects')).resolves.toBe(original.id);
        // The chain: the original, then the correction with its reason.
        await page.locator(`[data-testid=chain-entry][data-result-id="${newId}"]`).waitFor();
        await expect(
          page.getByTestId('chain-entry').evaluateAll((items) => items.map((i) => i.getAttribute('data-result-id'))),
        ).resolves.toEqual([original.id, newId]);
        await expect(page.getByTestId('chain-reason').innerText()).resolves.toContain(reason);
        await screenshot(page, 'i-work-results-head-desktop');

        // The server: the original unchanged and still published; the correction published, pointing at it.
        const now = await stored();
        expect(now.get(original.id)).toEqual(original);
        expect(now.get(newId)).toMatchObject({
          status: 'PUBLISHED',
          outcome: 'CORRECTED_ON_ORDER',
          correctsId: original.id,
          correctionReason: reason,
          uscc: original.uscc,
        });

        // The public page shows the correction in force, and its detail the reason and the original.
        await page.goto(`/entity/${original.uscc}`);
        const publicRow = page.locator(`[data-testid=result][data-department=market][data-result-id="${newId}"]`);
        await publicRow.waitFor();
        await expect(publicRow.innerText()).resolves.toMatch(/发现问题已责令改正[\s\S]*更正后结果/);
        await page.goto(`/entity/${original.uscc}/market/${newId}`);
        await page.getByTestId('history').waitFor();
        await expect(page.getByTestId('history').innerText()).resolves.toContain(reason);
        await expect(page.getByTestId('history-entry').count()).resolves.toBe(2);
      } finally {
        await context.close();
      }
    },
  );

  it('R25, R28: both screens fit a phone (one column, no sideways scrolling)', async () => {
    for (const [role, name] of [
      [Role.DEPT_ADMIN, 'i-work-results-admin-phone'],
      [Role.PRINCIPAL_HEAD, 'i-work-results-head-phone'],
    ] as const) {
      const { context, page } = await env.signedIn(env.user(role, 'market'), { phone: true, then: '/work/results' });
      try {
        await page.getByTestId(role === Role.DEPT_ADMIN ? 'count-RECORDED' : 'count-PUBLISHED').waitFor();
        await page.getByTestId('outcome-row').first().waitFor();
        if (role === Role.PRINCIPAL_HEAD) {
          await page.getByTestId('choose').first().click();
          await page.getByTestId('chain-entry').first().waitFor();
        }
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, name);
      } finally {
        await context.close();
      }
    }
  });
});
