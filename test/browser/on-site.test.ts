import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AuditEventRow } from '../../subgraphs/joint/audit/entities';
import { LeadRow } from '../../subgraphs/joint/visits/entities';
import { SubmissionRow } from '../../subgraphs/joint/visits/entities';
import { Role } from '../../kernel/identity';
import {
  deliverEverything,
  drawAllInspectors,
  fourDepartmentPlanInput,
  publishedPlan,
  runTaskTo,
  testClock,
} from '../joint/fixtures';
import { overflowsHorizontally, screenshot, SCREENSHOT_DIR } from '../support/browser';
import { testDatabases } from '../support/databases';
import { signAndSubmit } from '../support/onsite';
import { startSignedInHub, type SignedInHub } from '../support/workspace';

/**
 * Issue J: the inspector on site, on a phone's screen in Debian's Chromium, signed in at the
 * identity provider: the day's visits are kept on the phone, the network goes, every item of a
 * four-department visit is entered with a photo, the business and the whole team sign on the
 * screen, the submission waits on the phone; the network comes back and it is sent by itself.
 * Then each department's share is delivered once and the joint record form is archived with its
 * hash; and the same again with the network lost in the middle of sending (the answer to the
 * submission never reaches the phone, which sends it again with the same key).
 */
const DEPARTMENTS = ['market', 'tax', 'fire', 'environment'];
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface ApiVisit {
  key: string;
  uscc: string | null;
  teamProblems: string[];
  team: Array<{ department: string; personId: string; kind: string; status: string }>;
  checklist: Array<{ department: string; code: string }>;
}

describe.each(testDatabases().slice(0, 1))('J: the inspector on site, on a phone, offline ($label)', (database) => {
  let env: SignedInHub;
  const time = testClock('2026-03-02T02:00:00Z');
  let taskId: string;
  let visits: ApiVisit[];
  /** Every visit's key in the drawn order (the task screen shows them 10 a page). */
  let drawnOrder: string[];

  beforeAll(async () => {
    env = await startSignedInHub(database, { targets: 300, clock: time.clock });
    const hub = env.hub;
    const planId = await publishedPlan(hub, fourDepartmentPlanInput());
    taskId = await runTaskTo(hub, time, planId, 'LOCKED');
    await drawAllInspectors(hub, taskId, DEPARTMENTS);
    const all = await hub.query<{ jointTask: { visitPage: { nodes: ApiVisit[] } } }>(
      `{ jointTask(id: "${taskId}") { visitPage(first: 1000) { nodes { key uscc teamProblems team { ` +
        `department personId kind status } checklist { department code } } } } }`,
      { token: await hub.token(Role.AUDITOR) },
    );
    // Two visits checked by all four departments (R22), with complete teams: the demo inspector is seated on both by
    // market's deputy head (R20).
    drawnOrder = all.data!.jointTask.visitPage.nodes.map((v) => v.key);
    visits = all
      .data!.jointTask.visitPage.nodes.filter(
        (v) =>
          v.uscc !== null && v.teamProblems.length === 0 && new Set(v.checklist.map((c) => c.department)).size === 4,
      )
      .slice(0, 3);
    expect(visits).toHaveLength(3);
    const inspector = env.user(Role.INSPECTOR, 'market').subject;
    for (const v of visits) {
      if (v.team.some((m) => m.personId === inspector && m.status === 'ACTIVE')) continue;
      const drawn = v.team.find((m) => m.department === 'market' && m.kind === 'INSPECTOR' && m.status === 'ACTIVE')!;
      const r = await hub.query(
        'mutation($input: ReplaceInspectorInput!) { jointReplaceInspector(input: $input) { personId } }',
        {
          variables: {
            input: {
              taskId,
              targetKey: v.key,
              department: 'market',
              personId: drawn.personId,
              reason: 'WORK_CONFLICT',
              replacementId: inspector,
              note: '原检查人员当日另有执法任务。',
            },
          },
          token: await hub.token(Role.DEPUTY_HEAD, 'market'),
        },
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
    }
  }, 240_000);
  afterAll(async () => env?.stop());

  const visitPath = (key: string) => `/work/visits/${taskId}/${encodeURIComponent(key)}`;
  const count = async (action: string, key: string) =>
    (
      await env.hub.joint.database.dataSource.manager.find(AuditEventRow, { where: { action, entityId: taskId } })
    ).filter((e) => (e.details as { targetKey?: string }).targetKey === key).length;

  /** Signed in on a phone, with the day's visits kept on it and the page kept by its service worker. */
  async function phoneWithVisits(): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await env.signedIn(env.user(Role.INSPECTOR, 'market'), {
      phone: true,
      then: '/work/visits',
    });
    await page.getByTestId('kept').waitFor();
    // The service worker holds the page (and took control of it) before the network goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
        );
    });
    return { context, page };
  }

  /**
   * Every item of the visit, as the team found it: a photo and a measure on the first item, a lead for another
   * department on the last (R27).
   */
  async function enterEveryItem(page: Page, key: string): Promise<void> {
    await page.getByTestId('visit-form').waitFor();
    await expect(
      page.getByTestId('department-items').evaluateAll((sets) => sets.map((s) => s.getAttribute('data-department'))),
    ).resolves.toEqual(['market', 'environment', 'fire', 'tax']); // the lead's items first, then the plan's order
    const items = await page.getByTestId('item').all();
    expect(items.length).toBe(visits.find((v) => v.key === key)!.checklist.length);
    for (const [i, item] of items.entries()) {
      await item.getByTestId('item-outcome').selectOption('NO_PROBLEM');
      await item.getByTestId('item-notes').fill(`现场检查第${i + 1}项，未发现问题`);
    }
    await items[0]!.getByTestId('item-measure-ON_SITE_RECORD').check();
    await items[0]!
      .getByTestId('item-photo')
      .setInputFiles({ name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await items[0]!.getByTestId('item-photos').waitFor();
    const last = items[items.length - 1]!;
    await last.locator('summary').click();
    await last.getByTestId('item-lead-for').selectOption('housing');
    await last.getByTestId('item-lead-note').fill('现场发现违规搭建，移交住建部门处理。');
  }

  /**
   * What the hub holds of a visit once delivered: one submission, each department's share once, the form archived with
   * the hash the phone shows.
   */
  async function expectDeliveredOnce(page: Page, key: string): Promise<string> {
    const m = env.hub.joint.database.dataSource.manager;
    expect(await m.countBy(SubmissionRow, { taskId, targetKey: key })).toBe(1);
    expect(await count('visit.submitted', key)).toBe(1);
    await deliverEverything(env.hub.joint.deliverer);
    const checklist = visits.find((v) => v.key === key)!.checklist;
    for (const department of DEPARTMENTS) {
      const r = await env.hub.query<
        Record<string, { results: Array<{ targetKey: string; itemCode: string; evidence: string[] }> }>
      >(`{ ${department} { results(taskId: "${taskId}", first: 1000) { targetKey itemCode evidence } } }`, {
        token: await env.hub.token(Role.AUDITOR),
      });
      const stored = r.data![department]!.results.filter((x) => x.targetKey === key);
      expect([department, stored.map((x) => x.itemCode).sort()]).toEqual([
        department,
        checklist
          .filter((c) => c.department === department)
          .map((c) => c.code)
          .sort(),
      ]);
    }
    // The photo reached the hub once, by its hash, and the first item's department refers to it.
    const first = checklist[0]!;
    const withPhoto = await env.hub.query<
      Record<string, { results: Array<{ targetKey: string; itemCode: string; evidence: string[] }> }>
    >(`{ ${first.department} { results(taskId: "${taskId}", first: 1000) { targetKey itemCode evidence } } }`, {
      token: await env.hub.token(Role.AUDITOR),
    });
    expect(
      withPhoto.data![first.department]!.results.find((x) => x.targetKey === key && x.itemCode === first.code)!
        .evidence,
    ).toEqual([`sha256:${sha(JPEG)}`]);
    // R27: the lead went to housing.
    expect(await m.countBy(LeadRow, { taskId, targetKey: key, toDepartment: 'housing' })).toBe(1);
    // R29: the form archived once, its hash in the trail, the same the phone shows, of the PDF the hub serves.
    const archived = (
      await m.find(AuditEventRow, { where: { action: 'record-form.archived', entityId: taskId } })
    ).filter((e) => (e.details as { targetKey?: string }).targetKey === key);
    expect(archived).toHaveLength(1);
    const pdfSha256 = (archived[0]!.details as { pdfSha256: string }).pdfSha256;
    await page.reload();
    await page.getByTestId('record-form').waitFor();
    await expect(page.getByTestId('record-form-hash').innerText()).resolves.toBe(pdfSha256);
    const pdf = await fetch(`${env.origin}/evidence/${pdfSha256}`, {
      headers: { authorization: `Bearer ${await env.tokenOf(page)}` },
    });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect([pdf.status, sha(bytes)]).toEqual([200, pdfSha256]);
    await page.getByTestId('delivery').first().waitFor();
    await expect(
      page
        .getByTestId('delivery')
        .evaluateAll((l) =>
          l.map((x) => `${x.getAttribute('data-department')}:${x.getAttribute('data-status')}`).sort(),
        ),
    ).resolves.toEqual(DEPARTMENTS.map((d) => `${d}:DELIVERED`).sort());
    return pdfSha256;
  }

  it(
    "R22, R24, R26, R29: the day's visits kept on the phone, a four-department visit entered and signed with " +
      'no network, sent by itself when the network returns, delivered once and its form archived with its hash',
    async () => {
      const key = visits[0]!.key;
      const { context, page } = await phoneWithVisits();
      try {
        await expect(
          page.getByTestId('inspector-visit').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
        ).resolves.toEqual(expect.arrayContaining(visits.map((v) => v.key)));
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, 'j-1-day-online-phone');

        // No network from here: the page comes from the service worker, the visits from the phone.
        await context.setOffline(true);
        await page.reload();
        await page.locator('[data-testid="network"][data-online="false"]').waitFor();
        await page.locator(`[data-testid="inspector-visit"][data-key="${key}"]`).waitFor();
        await screenshot(page, 'j-2-day-offline-phone');
        // The sign-in lapses in the basement (or the app is reopened from the home screen): the kept work stays open.
        const signedIn = await page.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(sessionStorage))));
        await page.evaluate(() => sessionStorage.clear());
        await page.reload();
        await page.getByTestId('signed-out').waitFor();
        await page.locator(`[data-testid="inspector-visit"][data-key="${key}"]`).waitFor();
        await screenshot(page, 'j-2b-day-offline-signed-out-phone');
        // Signed in again (the sign-in's own tab storage, as it was).
        await page.evaluate(
          (kept) =>
            Object.entries(JSON.parse(kept) as Record<string, string>).forEach(([k, v]) =>
              sessionStorage.setItem(k, v),
            ),
          signedIn,
        );
        await expect(page.getByTestId('signed-out').count()).resolves.toBe(1);
        await page.reload();
        await page.locator(`[data-testid="inspector-visit"][data-key="${key}"] [data-testid="visit-open"]`).click();
        await page.getByTestId('visit-target').waitFor();
        await screenshot(page, 'j-3-visit-offline-phone');
        // R26: unreachable in one step fills every department's items; then the team's real findings.
        await page.getByTestId('all-unreachable').click();
        expect(
          new Set(
            await page.getByTestId('item-outcome').evaluateAll((s) => s.map((x) => (x as HTMLSelectElement).value)),
          ),
        ).toEqual(new Set(['UNREACHABLE']));
        await enterEveryItem(page, key);
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, 'j-4-visit-entered-phone');
        // Kept at each change: a reload (still offline) keeps what was entered.
        await page.reload();
        await page.getByTestId('visit-form').waitFor();
        await expect(
          page.getByTestId('item-outcome').evaluateAll((s) => s.map((x) => (x as HTMLSelectElement).value)),
        ).resolves.toEqual(visits[0]!.checklist.map(() => 'NO_PROBLEM'));
        await signAndSubmit(page, { signer: '王经理' }, async () => {
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, 'j-5a-sign-phone');
        });
        await screenshot(page, 'j-5-signed-waiting-phone');
        await page.locator('[data-testid="visit-entry-state"][data-state="WAITING"]').waitFor();
        await page.goto('/work/visits');
        await page.locator('[data-testid="outbox"][data-waiting="1"]').waitFor();
        await screenshot(page, 'j-6-outbox-waiting-phone');
        // Nothing reached the hub yet.
        expect(await env.hub.joint.database.dataSource.manager.countBy(SubmissionRow, { taskId, targetKey: key })).toBe(
          0,
        );

        // The network returns: the phone sends by itself.
        await context.setOffline(false);
        await page
          .locator(`[data-testid="outbox-entry"][data-visit="${taskId}/${key}"][data-state="SENT"]`)
          .waitFor({ timeout: 60_000 });
        await screenshot(page, 'j-7-outbox-sent-phone');
        await page.goto(visitPath(key));
        const pdfSha256 = await expectDeliveredOnce(page, key);
        await screenshot(page, 'j-8-visit-delivered-phone');
        // The form's first page, as an image a person can look at (poppler's pdftoppm).
        const token = await env.tokenOf(page);
        const pdf = Buffer.from(
          await (
            await fetch(`${env.origin}/evidence/${pdfSha256}`, { headers: { authorization: `Bearer ${token}` } })
          ).arrayBuffer(),
        );
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jc-form-'));
        fs.writeFileSync(path.join(dir, 'form.pdf'), pdf);
        execFileSync('pdftoppm', [
          '-png',
          '-r',
          '110',
          '-f',
          '1',
          '-l',
          '1',
          '-singlefile',
          path.join(dir, 'form.pdf'),
          path.join(SCREENSHOT_DIR, 'j-9-record-form-page1'),
        ]);
        const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'form.pdf'), '-'], {
          encoding: 'utf8',
        }).replace(/\s+/g, '');
        for (const words of ['部门联合抽查情况记录表', '王经理', '现场检查第1项，未发现问题', '制作现场笔录'])
          expect([words, text.includes(words)]).toEqual([words, true]);
        expect(fs.statSync(path.join(SCREENSHOT_DIR, 'j-9-record-form-page1.png')).size).toBeGreaterThan(10_000);
        fs.rmSync(dir, { recursive: true, force: true });
      } finally {
        await context.close();
      }
    },
  );

  it(
    'R24: the network lost in the middle of sending: the answer never reaches the phone, which sends again ' +
      'with the same key; stored once',
    async () => {
      const key = visits[1]!.key;
      const { context, page } = await phoneWithVisits();
      try {
        // The hub stores the submission, but its answer is lost on the way (as when the signal drops).
        const keys: string[] = [];
        await context.route('**/graphql', async (route) => {
          const body = JSON.parse(route.request().postData() ?? '{}') as {
            operationName?: string;
            variables?: { input?: { idempotencyKey?: string } };
          };
          if (body.operationName !== 'SubmitVisitResults') return route.continue();
          keys.push(body.variables!.input!.idempotencyKey!);
          if (keys.length > 1) return route.continue();
          await route.fetch();
          await route.abort('internetdisconnected');
        });
        await page.goto(visitPath(key));
        await enterEveryItem(page, key);
        await signAndSubmit(page, { refusal: '企业负责人拒绝在汇总表上签字，检查人员现场说明。' });
        // The first send reached the hub and stored the visit; the phone never heard it, and keeps the submission.
        await page.waitForFunction(() => document.querySelector('[data-testid="visit-entry-state"]') !== null);
        const stored = () =>
          env.hub.joint.database.dataSource.manager.countBy(SubmissionRow, { taskId, targetKey: key });
        for (let i = 0; i < 100 && (await stored()) === 0; i++) await page.waitForTimeout(100);
        expect(keys.length).toBeGreaterThanOrEqual(1);
        expect(await stored()).toBe(1);
        // The phone sends it again (at once when the outbox is shown, and every 20 s): the same key, the stored
        // submission answered.
        await page.goto('/work/visits');
        await page
          .locator(`[data-testid="outbox-entry"][data-visit="${taskId}/${key}"][data-state="SENT"]`)
          .waitFor({ timeout: 60_000 });
        await screenshot(page, 'j-10-sent-after-interruption-phone');
        // Sent again at least once (the page may try more than once on a slow machine), always with the same key.
        expect(keys.length).toBeGreaterThanOrEqual(2);
        expect(new Set(keys)).toEqual(new Set([keys[0]]));
        await page.goto(visitPath(key));
        await expectDeliveredOnce(page, key);
        await screenshot(page, 'j-11-visit-delivered-after-retry-phone');
      } finally {
        await context.close();
      }
    },
  );

  it(
    "the papers in the workspace: the lead's coordinator makes a visit's notice; a department's admin opens " +
      "the team's photo from its result",
    async () => {
      const key = visits[0]!.key;
      const lead = await env.signedIn(env.user(Role.COORDINATOR, 'market'), {
        phone: true,
        then: `/work/tasks/${taskId}`,
      });
      try {
        const page = lead.page;
        await page.getByTestId('visit').first().waitFor();
        for (let p = 0; p < Math.floor(drawnOrder.indexOf(key) / 10); p++)
          await page.getByTestId('visits-next').click();
        const card = page.locator(`[data-testid=visit][data-key="${key}"]`);
        await card.getByTestId('notice-make').click();
        await card.getByTestId('notice-date').fill('2026-03-10');
        await card.getByTestId('notice-contact').fill('张三 021-12345678');
        await card.getByTestId('notice-submit').click();
        await card.locator('[data-testid=notice][data-visit-on="2026-03-10"]').waitFor();
        const sha256 = await card.getByTestId('notice').getAttribute('data-sha256');
        const archived = await env.hub.joint.database.dataSource.manager.find(AuditEventRow, {
          where: { action: 'notice.issued', entityId: taskId },
        });
        expect(archived.map((e) => (e.details as { pdfSha256: string }).pdfSha256)).toEqual([sha256]);
        await card.getByTestId('notice-open').click();
        await card.getByTestId('notice-download').waitFor();
        await card.scrollIntoViewIfNeeded();
        await screenshot(page, 'j-12-notice-made-phone');
      } finally {
        await lead.context.close();
      }
      const admin = await env.signedIn(env.user(Role.DEPT_ADMIN, 'market'), { then: '/work/results' });
      try {
        const page = admin.page;
        const photo = page.locator(`[data-testid=evidence-open][data-sha256="${sha(JPEG)}"]`).first();
        await photo.waitFor();
        await photo.click();
        const link = page.locator(`[data-testid=evidence-file][data-sha256="${sha(JPEG)}"]`).first();
        await link.waitFor();
        // What the page holds is the photo the phone took (a 1×1 JPEG), shown as an image from the hub's bytes.
        const href = await link.getAttribute('href');
        expect(href).toMatch(/^blob:/);
        const size = await page.evaluate(
          (url) =>
            new Promise<number[]>((resolve, reject) => {
              const image = new Image();
              image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
              image.onerror = reject;
              image.src = url!;
            }),
          href,
        );
        expect(size).toEqual([1, 1]);
        await screenshot(page, 'j-13-results-evidence-desktop');
      } finally {
        await admin.context.close();
      }
    },
  );

  it(
    'R24: a submission the hub refuses (the visit was submitted from another phone) stays on this phone, 被退回, ' +
      'and goes back to a draft to be looked at',
    async () => {
      const v = visits[2]!;
      const { context, page } = await phoneWithVisits();
      try {
        await page.goto(visitPath(v.key));
        await enterEveryItem(page, v.key);
        // Meanwhile the tax inspector of the same team submits the visit from their own phone.
        const tax = v.team.find((m) => m.department === 'tax' && m.kind === 'INSPECTOR' && m.status === 'ACTIVE')!;
        const other = await env.hub.query(
          'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
          {
            variables: {
              input: {
                taskId,
                targetKey: v.key,
                inspectedOn: '2026-03-04',
                results: v.checklist.map((c) => ({
                  department: c.department,
                  itemCode: c.code,
                  outcome: 'NO_PROBLEM',
                  method: 'ON_SITE',
                })),
                idempotencyKey: 'tax-phone-0001',
              },
            },
            token: await env.hub.token(Role.INSPECTOR, 'tax', tax.personId),
          },
        );
        expect(other.errors).toBeUndefined();
        await signAndSubmit(page);
        await page.locator('[data-testid="visit-entry-state"][data-state="REFUSED"]').waitFor({ timeout: 30_000 });
        await expect(page.getByTestId('visit-entry-state').innerText()).resolves.toMatch(/CONFLICT/);
        await screenshot(page, 'j-14-refused-phone');
        // Nothing of it was stored (only the other phone's submission), and nothing is lost here: back to the draft.
        expect(await count('visit.submitted', v.key)).toBe(1);
        await page.getByTestId('refused-edit').click();
        await page.getByTestId('visit-form').waitFor();
        await expect(
          page.getByTestId('item-outcome').evaluateAll((s) => s.map((x) => (x as HTMLSelectElement).value)),
        ).resolves.toEqual(v.checklist.map(() => 'NO_PROBLEM'));
        await expect(page.getByTestId('item-notes').first().inputValue()).resolves.toBe('现场检查第1项，未发现问题');
        await page.getByTestId('item-photos').first().waitFor();
      } finally {
        await context.close();
      }
    },
  );
});
