import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SettableClock } from '../../kernel/settable-clock';
import { packageCalendarYears, WorkingDayCalendar } from '../../subgraphs/joint/calendar/working-days';
import { verifyDrawRecord, type FullDrawRecord, type PublicDrawRecord } from '../../subgraphs/joint/draw/record';
import { Role } from '../../kernel/identity';
import { THIS_TASK } from '../../web/src/draw/verify';
import { desktopContext, launchChromium, overflowsHorizontally, phoneContext, screenshot } from '../support/browser';
import { describeWithHub, testKeys, type TestHub } from '../support/hub';
import { loadConfig } from '../../kernel/config';

/** The limits as shipped (every setting at its default). */
const SHIPPED = loadConfig({}).limits;

/**
 * Issue G in a real browser: headless Chromium (Debian's, driven by playwright-core) opens the
 * page the gateway serves, against a hub with the demo year, does what a member of the public and
 * a coordinator would do, and compares what the page shows with what the API returns to the same
 * caller. A screenshot of each page is kept in test-artifacts/screenshots/.
 */
jest.setTimeout(240_000);

const TODAY = '2026-12-03';
const clock = new SettableClock();
clock.set(new Date(`${TODAY}T02:00:00Z`)); // 10:00 in China

let browser: Browser;
let closeBrowser: () => Promise<void>;
beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(async () => {
  await closeBrowser?.();
});

/** What the API answers, or the test fails with its errors. */
async function api<T>(hub: TestHub, query: string, token?: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await hub.query<T>(query, { token, variables });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!;
}

/**
 * A page that records every script error and failed request; `clean()` asserts there were none
 * but those a test provoked on purpose (the browser logs a refused request as a console error too).
 */
async function open(context: BrowserContext): Promise<{ page: Page; clean(expected?: RegExp): void }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  return { page, clean: (expected) => expect(problems.filter((p) => !expected?.test(p))).toEqual([]) };
}

const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();
const cell = (page: Page, row: string, department: string, field: string) =>
  page.locator(`[data-testid=${row}][data-department=${department}] [data-field=${field}]`).innerText();
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/** Signs in on the page as an official would: the token pasted at /signin. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/signin');
  await page.fill('#token', token);
  await page.click('form.signin button[type=submit]');
  await page.waitForURL('**/dashboard**');
}

interface PublishedRow {
  id: string;
  outcome: string;
  notes: string | null;
  correctsId: string | null;
  correctionReason: string | null;
}

describeWithHub(
  'the public page and the dashboard in a browser (issue G)',
  (hub) => {
    const demo = () => hub().demo!;
    const base = () => hub().gateway.url.replace(/\/graphql$/, '');
    /** R25, R30: nothing private in what a page shows: no confidential note of the demo, no inspector's phone. */
    const showsNothingPrivate = async (page: Page) => {
      const text = await page.locator('body').innerText();
      for (const note of demo().confidentialNotes) expect(text).not.toContain(note);
      expect(phones.filter((phone) => text.includes(phone))).toEqual([]);
    };
    /**
     * Runs a test's steps on a fresh page (a phone's or a desktop's), then checks that the page had
     * no script error or failed request but those the steps return as expected, and closes it.
     */
    const onPage = async (kind: 'phone' | 'desktop', steps: (page: Page) => Promise<RegExp | void>) => {
      const context = await (kind === 'phone' ? phoneContext : desktopContext)(browser, base());
      try {
        const { page, clean } = await open(context);
        clean((await steps(page)) ?? undefined);
      } finally {
        await context.close();
      }
    };
    let departments: Array<{ code: string; name: string }>;
    /** Every inspector's phone (department staff read them): none may reach a public page (R30). */
    let phones: string[];
    /**
     * Every department's published results of the corrected business, and each outcome's label, as the public reads
     * them.
     */
    let published: Map<string, PublishedRow[]>;
    let labels: Map<string, string>;

    beforeAll(async () => {
      departments = (
        await api<{ registryDepartments: Array<{ code: string; name: string }> }>(
          hub(),
          '{ registryDepartments { code name } }',
        )
      ).registryDepartments;
      const uscc = demo().correction!.uscc;
      published = new Map();
      labels = new Map();
      phones = [];
      for (const { code } of departments) {
        const r = await api<Record<string, { inspectors: { nodes: Array<{ phone: string | null }> } }>>(
          hub(),
          `{ ${code} { inspectors(first: 1000) { nodes { phone } } } }`,
          await hub().token(Role.DEPT_ADMIN, code),
        );
        phones.push(...r[code]!.inspectors.nodes.map((n) => n.phone).filter((p): p is string => !!p));
      }
      expect(phones.length).toBeGreaterThan(100);
      for (const { code } of departments) {
        const r = await api<
          Record<
            string,
            { publishedResults: PublishedRow[]; outcomes: Array<{ code: string; version: number; label: string }> }
          >
        >(
          hub(),
          `{ ${code} { publishedResults(uscc: "${uscc}") { id outcome notes correctsId correctionReason } ` +
            `outcomes { code version label } } }`,
        );
        published.set(code, r[code]!.publishedResults);
        for (const o of [...r[code]!.outcomes].sort((a, b) => a.version - b.version))
          labels.set(`${code}/${o.code}`, o.label);
      }
    });

    it(
      "R25, R28, R30: a USCC searched on a phone shows every department's published results of it, as the API " +
        'gives them, the correction marked, nothing private',
      async () => {
        await onPage('phone', async (page) => {
          const { uscc, correctionId } = demo().correction!;
          await page.goto('/');
          // As a person types it: lower case, with a space.
          await page.fill('#search-text', `${uscc.slice(0, 9).toLowerCase()} ${uscc.slice(9).toLowerCase()}`);
          await page.click('form.search button[type=submit]');
          await page.waitForURL(`**/entity/${uscc}`);
          await page.waitForSelector('[data-testid=result]');
          const entity = await api<{ marketEntity: { name: string } }>(
            hub(),
            `{ marketEntity(uscc: "${uscc}") { name } }`,
          );
          expect(await page.locator('[data-testid=entity] h1').innerText()).toBe(entity.marketEntity.name);
          // In force: every published result that no other corrects (R28), of every department.
          const expected = [...published].flatMap(([d, rows]) =>
            rows
              .filter((r) => !rows.some((o) => o.correctsId === r.id))
              .map((r) => ({ key: `${d}/${r.id}`, label: labels.get(`${d}/${r.outcome}`)! })),
          );
          expect(expected.length).toBeGreaterThan(1);
          const shown = await page.locator('[data-testid=result]').evaluateAll((rows) =>
            rows.map((row) => ({
              key: `${row.getAttribute('data-department')}/${row.getAttribute('data-result-id')}`,
              outcome: (row.querySelector('.outcome') as HTMLElement).innerText,
            })),
          );
          expect(shown.map((s) => s.key).sort()).toEqual(expected.map((e) => e.key).sort());
          for (const s of shown)
            expect([s.key, s.outcome]).toEqual([s.key, expected.find((e) => e.key === s.key)!.label]);
          // The correction is marked on its row; the record it corrects is not listed as in force.
          expect(await page.locator(`[data-testid=result][data-result-id="${correctionId}"]`).innerText()).toContain(
            '更正后结果',
          );
          await showsNothingPrivate(page);
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `${hub().config.db.kind}-public-entity-phone`);
        });
      },
    );

    it('a name searched finds the same entities as the API, and opens one', async () => {
      await onPage('phone', async (page) => {
        const { uscc } = demo().correction!;
        const name = (
          await api<{ marketEntity: { name: string } }>(hub(), `{ marketEntity(uscc: "${uscc}") { name } }`)
        ).marketEntity.name.slice(2, 6);
        await page.goto('/');
        await page.waitForSelector('form.search');
        expect(await overflowsHorizontally(page)).toBe(false);
        await screenshot(page, `${hub().config.db.kind}-public-home-phone`);
        await page.fill('#search-text', name);
        await page.click('form.search button[type=submit]');
        await page.waitForURL('**/search?q=**');
        await page.waitForSelector('ul.entity-list li');
        const found = await api<{ marketSearch: Array<{ uscc: string }> }>(
          hub(),
          'query($name: String!) { marketSearch(name: $name, first: 20) { uscc } }',
          undefined,
          { name },
        );
        const listed = await page
          .locator('ul.entity-list li a')
          .evaluateAll((links) => links.map((a) => a.getAttribute('href')!.replace('/entity/', '')));
        expect(listed).toEqual(found.marketSearch.map((e) => e.uscc));
        expect(listed).toContain(uscc);
        await screenshot(page, `${hub().config.db.kind}-public-search-phone`);
        await page.click(`ul.entity-list a[href="/entity/${uscc}"]`);
        await page.waitForSelector('[data-testid=result]');
        expect(await overflowsHorizontally(page)).toBe(false);
      });
    });

    it(
      'R28: a corrected result opened shows its item, basis, outcome and notes as published, and both records ' +
        'of its correction history',
      async () => {
        await onPage('phone', async (page) => {
          const { uscc, department, correctedId, correctionId } = demo().correction!;
          await page.goto(`/entity/${uscc}`);
          await page.click(`[data-testid=result][data-result-id="${correctionId}"] a`);
          await page.waitForSelector('[data-testid=result-detail]');
          const rows = published.get(department)!;
          const correction = rows.find((r) => r.id === correctionId)!;
          const corrected = rows.find((r) => r.id === correctedId)!;
          expect(correction.correctsId).toBe(correctedId);
          expect(await page.locator('[data-testid=outcome]').innerText()).toContain(
            labels.get(`${department}/${correction.outcome}`)!,
          );
          expect(await page.locator('[data-testid=notes]').innerText()).toBe(correction.notes ?? '—');
          const history = await texts(page, '[data-testid=history-entry]');
          expect(history).toHaveLength(2);
          expect(history[0]).toContain('原结果（已被更正）');
          expect(history[0]).toContain(labels.get(`${department}/${corrected.outcome}`)!);
          expect(history[1]).toContain('现行结果');
          expect(history[1]).toContain(`更正原因：${correction.correctionReason}`);
          await showsNothingPrivate(page);
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `${hub().config.db.kind}-public-result-phone`);
        });
      },
    );

    it(
      "R10, R11: the year's published plans are the API's, the draft is not shown; a plan shows its items and " +
        'tasks',
      async () => {
        await onPage('phone', async (page) => {
          const year = demo().year;
          await page.goto(`/plans?year=${year}`);
          await page.waitForSelector('[data-testid=plan]');
          const plans = await api<{ jointPlans: Array<{ id: string; publishedRevision: number | null }> }>(
            hub(),
            `{ jointPlans(year: ${year}) { id publishedRevision } }`,
          );
          const shown = await page
            .locator('[data-testid=plan]')
            .evaluateAll((items) => items.map((i) => i.getAttribute('data-plan-id')));
          expect(shown.sort()).toEqual(
            plans.jointPlans
              .filter((p) => p.publishedRevision !== null)
              .map((p) => p.id)
              .sort(),
          );
          expect(shown).not.toContain(demo().plans.draft);
          await screenshot(page, `${hub().config.db.kind}-public-plans-phone`);
          await page.click(`[data-testid=plan][data-plan-id="${demo().plans.joint}"] a`);
          await page.waitForSelector('[data-testid=plan-detail]');
          const plan = await api<{ jointPlan: { items: unknown[] }; jointTasks: Array<{ id: string }> }>(
            hub(),
            `{ jointPlan(id: "${demo().plans.joint}") { items { code } } jointTasks(planId: ` +
              `"${demo().plans.joint}") { id } }`,
          );
          expect(await page.locator('[data-testid=plan-item]').count()).toBe(plan.jointPlan.items.length);
          expect(
            await page
              .locator('[data-testid=task]')
              .evaluateAll((items) => items.map((i) => i.getAttribute('data-task-id'))),
          ).toEqual(plan.jointTasks.map((t) => t.id));
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `${hub().config.db.kind}-public-plan-phone`);
        });
      },
    );

    it(
      "R9, R15, R16, R17: a draw record re-played in the browser gives the verifier's checks: the public " +
        'record as far as it goes, the full one verified, a tampered one showing where it differs',
      async () => {
        await onPage('phone', async (page) => {
          const taskId = demo().tasks.spring;
          const record = (
            await api<{ jointTask: { publicRecord: PublicDrawRecord } }>(
              hub(),
              `{ jointTask(id: "${taskId}") { publicRecord } }`,
            )
          ).jointTask.publicRecord;
          const full = (
            await api<{ jointTask: { fullRecord: FullDrawRecord } }>(
              hub(),
              `{ jointTask(id: "${taskId}") { fullRecord } }`,
              await hub().token(Role.AUDITOR),
            )
          ).jointTask.fullRecord;
          await page.goto(`/tasks/${taskId}`);
          await page.waitForSelector('[data-testid=record]');
          // The record as published: its strata, its list in batch order.
          const strata = await page
            .locator('[data-testid=stratum]')
            .evaluateAll((rows) =>
              rows.map((r) =>
                ['eligible', 'drawn'].map((f) =>
                  Number((r.querySelector(`[data-field=${f}]`) as HTMLElement).innerText),
                ),
              ),
            );
          expect(strata).toEqual(record.strata.map((s) => [s.eligible, s.drawn]));
          expect(await page.locator('[data-testid=drawn] .uscc').allTextContents()).toEqual(record.batches.flat());
          expect(await page.locator('[data-testid=witness]').innerText()).toBe(record.witness.value);
          // The public record: every check but the re-play, which needs each target's (internal) class.
          await page.click('[data-testid=verify-public]');
          const checks = () =>
            page
              .locator('[data-testid=check]')
              .evaluateAll((items) =>
                items.map((i) => [i.getAttribute('data-check'), i.getAttribute('data-ok') === 'true']),
              );
          expect(await page.locator('[data-testid=verification-status]').innerText()).toBe('公开记录核验通过');
          // The page's own check comes first: the record is the one the hub published for this task.
          expect(await checks()).toEqual([
            [THIS_TASK, true],
            ...verifyDrawRecord(record).checks.map((c) => [c.check, c.ok]),
          ]);
          await screenshot(page, `${hub().config.db.kind}-public-draw-phone`);
          // A saved full record with its batches reordered: the page says where the re-play differs.
          const tampered = structuredClone(full);
          [tampered.batches[0]![0], tampered.batches[0]![1]] = [tampered.batches[0]![1]!, tampered.batches[0]![0]!];
          const node = verifyDrawRecord(tampered);
          expect(node.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['batch order']);
          await page.setInputFiles('[data-testid=record-file]', {
            name: 'tampered.json',
            mimeType: 'application/json',
            buffer: Buffer.from(JSON.stringify(tampered)),
          });
          await page.waitForSelector('[data-testid=verification-status]:has-text("核验未通过")');
          expect(await checks()).toEqual([[THIS_TASK, false], ...node.checks.map((c) => [c.check, c.ok])]);
          expect(await page.locator('[data-testid=check][data-check="batch order"]').innerText()).toContain(
            node.checks.find((c) => !c.ok)!.detail,
          );
          await screenshot(page, `${hub().config.db.kind}-public-draw-tampered-phone`);
          // Another task's full record checks out by itself, but it is not this task's draw.
          const other = (
            await api<{ jointTask: { fullRecord: FullDrawRecord } }>(
              hub(),
              `{ jointTask(id: "${demo().tasks.housing}") { fullRecord } }`,
              await hub().token(Role.AUDITOR),
            )
          ).jointTask.fullRecord;
          expect(verifyDrawRecord(other).ok).toBe(true);
          await page.setInputFiles('[data-testid=record-file]', {
            name: 'housing.json',
            mimeType: 'application/json',
            buffer: Buffer.from(JSON.stringify(other)),
          });
          await page.waitForSelector(`[data-testid=verification]:has-text("housing.json")`);
          expect(await page.locator('[data-testid=verification-status]').innerText()).toBe('核验未通过');
          expect((await checks()).filter(([, ok]) => !ok)).toEqual([[THIS_TASK, false]]);
          // A file that is not a record is refused with a reason, not checked.
          await page.setInputFiles('[data-testid=record-file]', {
            name: 'notes.json',
            mimeType: 'application/json',
            buffer: Buffer.from('{"format":"jointcheck-draw-record/1"}'),
          });
          await page.waitForSelector('[role=alert][data-code=BAD_USER_INPUT]');
          expect(await page.locator('[data-testid=verification]').count()).toBe(0);
          // An auditor signed in re-plays the full record from the API: verified.
          await signIn(page, await hub().token(Role.AUDITOR));
          await page.goto(`/tasks/${taskId}`);
          await page.click('[data-testid=verify-full]');
          await page.waitForSelector('[data-testid=verification-status]:has-text("已验证")');
          const replay = verifyDrawRecord(full);
          expect(replay).toMatchObject({ ok: true, replayed: true });
          expect(await checks()).toEqual([[THIS_TASK, true], ...replay.checks.map((c) => [c.check, true])]);
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `${hub().config.db.kind}-draw-verified-phone`);
        });
      },
    );

    it(
      'R9, R16: a task not drawn yet shows its commitment and then its snapshot hash before the witness is ' +
        'known; cancelled before the draw, it says there is nothing to verify',
      async () => {
        await onPage('phone', async (page) => {
          const coordinator = await hub().token(Role.COORDINATOR, 'market');
          const created = await api<{ jointCreateTask: { id: string; commitment: string } }>(
            hub(),
            'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id commitment } }',
            coordinator,
            {
              input: {
                planId: demo().plans.joint,
                name: '2026年第三批联合抽查任务（浏览器测试）',
                witnessSource: '演示数据：模拟开奖号码（非真实彩票开奖）',
                witnessAvailableOn: '2026-12-28',
                witnessNumbers: 7,
              },
            },
          );
          const { id, commitment } = created.jointCreateTask;
          await page.goto(`/tasks/${id}`);
          await page.waitForSelector('[data-testid=not-drawn]');
          expect(await page.locator('[data-testid=record]').innerText()).toContain(commitment);
          expect(await page.locator('[data-testid=secret]').innerText()).toBe('锁定名单后公开');
          expect(await page.locator('[data-testid=verify-public]').count()).toBe(0);
          const snapshot = await api<{ jointTakeSnapshot: { snapshotHash: string } }>(
            hub(),
            `mutation { jointTakeSnapshot(taskId: "${id}") { snapshotHash } }`,
            coordinator,
          );
          await page.reload();
          await page.waitForSelector('[data-testid=not-drawn]');
          expect(await page.locator('[data-testid=snapshot-hash]').innerText()).toBe(
            snapshot.jointTakeSnapshot.snapshotHash,
          );
          expect(await page.locator('[data-testid=not-drawn]').innerText()).toContain('2026-12-28');
          await screenshot(page, `${hub().config.db.kind}-public-task-committed-phone`);
          await api(
            hub(),
            `mutation { jointCancelTask(taskId: "${id}", reason: "浏览器测试：撤销任务") { id } }`,
            coordinator,
          );
          await page.reload();
          await page.waitForSelector('[data-testid=not-drawn]');
          expect(await page.locator('[data-testid=not-drawn]').innerText()).toContain('摇号前已取消');
          expect(await page.locator('[data-testid=task-status]').innerText()).toBe('已取消');
          expect(await page.locator('[data-testid=verify-public]').count()).toBe(0);
          await showsNothingPrivate(page);
        });
      },
    );

    it(
      'R32: an inspection code checked shows the visit the ' + 'API vouches for; a made-up one is not genuine',
      async () => {
        await onPage('phone', async (page) => {
          const code = demo().inspectionCodes[0]!;
          const check = (
            await api<{
              jointCheckInspectionCode: {
                genuine: boolean;
                taskName: string;
                items: Array<{ itemCode: string }>;
                inspectors: Array<{ name: string; certificateNo: string | null }>;
              };
            }>(
              hub(),
              `{ jointCheckInspectionCode(code: "${code}") { genuine taskName items { itemCode } inspectors { ` +
                `name certificateNo } } }`,
            )
          ).jointCheckInspectionCode;
          expect(check.genuine).toBe(true);
          await page.goto('/code');
          await page.fill('#code-text', ` ${code.toLowerCase()} `);
          await page.click('form.search button[type=submit]');
          await page.waitForSelector('[data-testid=code-result]');
          expect(await page.locator('[data-testid=code-result]').getAttribute('data-genuine')).toBe('true');
          expect(await page.locator('[data-testid=code-task]').innerText()).toBe(check.taskName);
          const inspectors = await page
            .locator('[data-testid=code-inspector]')
            .evaluateAll((rows) =>
              rows.map((r) =>
                ['name', 'certificateNo'].map((f) => (r.querySelector(`[data-field=${f}]`) as HTMLElement).innerText),
              ),
            );
          expect(inspectors).toEqual(check.inspectors.map((i) => [i.name, i.certificateNo ?? '—']));
          expect(await page.locator('[data-testid=code-item]').count()).toBe(check.items.length);
          await showsNothingPrivate(page);
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `${hub().config.db.kind}-public-code-phone`);
          // The business rates the visit by the code; the rating reaches the visit, as the lead's coordinators and
          // auditors read it.
          const comment = `检查人员出示了检查码，态度规范-${hub().config.db.kind}`;
          await page.check('input[name=rating][value="4"]');
          await page.fill('#rating-comment', comment);
          await page.click('[data-testid=feedback] form button[type=submit]');
          await page.waitForSelector('[data-testid=feedback-sent]');
          const auditor = await hub().token(Role.AUDITOR);
          const feedback: Array<{ kind: string; rating: number | null; text: string }> = [];
          for (const taskId of Object.values(demo().tasks)) {
            const visits = await api<{
              jointTask: { visits: Array<{ inspectionCode: string | null; feedback: typeof feedback }> };
            }>(
              hub(),
              `{ jointTask(id: "${taskId}") { visits(first: 1000) { inspectionCode feedback { kind rating text } } } }`,
              auditor,
            );
            feedback.push(
              ...visits.jointTask.visits.filter((v) => v.inspectionCode === code).flatMap((v) => v.feedback),
            );
          }
          expect(feedback).toContainEqual({ kind: 'RATING', rating: 4, text: comment });
          await page.goto('/code?code=JC-AAAA-BBBB-CCCC-DDDD');
          await page.waitForSelector('[data-testid=code-result]');
          expect(await page.locator('[data-testid=code-result]').getAttribute('data-genuine')).toBe('false');
          expect(await page.locator('[data-testid=code-result]').innerText()).toContain('未找到此检查码');
        });
      },
    );

    it(
      'R4, R12, R22, R24, R25, R31: a coordinator signed in ' + "reads the dashboard, and every figure is the API's",
      async () => {
        await onPage('desktop', async (page) => {
          const year = demo().year;
          // Not signed in: the dashboard asks to sign in; a token the hub did not issue is refused with a reason.
          await page.goto('/dashboard');
          await page.locator('main').getByText('请先登录').waitFor(); // the dashboard's code loads when it is opened
          await page.goto('/signin');
          await page.fill('#token', 'not-a-token');
          await page.click('form.signin button[type=submit]');
          expect(await page.locator('[role=alert]').innerText()).toContain('这不是平台签发的令牌');
          const stranger = await (
            await testKeys()
          ).issuer.issue({ subject: 'mallory', role: Role.COORDINATOR, department: 'market' });
          await page.fill('#token', stranger);
          await page.click('form.signin button[type=submit]');
          await page.waitForSelector('[role=alert][data-code=UNAUTHENTICATED]');
          expect(await page.locator('[data-testid=session]').count()).toBe(0);
          await screenshot(page, `${hub().config.db.kind}-signin-refused-desktop`);
          // Signed in with the hub's token: the dashboard of the demo year.
          const token = await hub().token(Role.COORDINATOR, 'market');
          await signIn(page, token);
          await page.goto(`/dashboard?year=${year}`);
          await page.waitForSelector('[data-testid=publication-row]');
          await page.waitForSelector('[data-testid=deadline-row]');
          await page.waitForSelector('[data-testid=participation-row]');
          await page.waitForSelector('[data-testid=coverage] details, [data-testid=coverage] .ok-text');
          expect(await page.locator('[data-testid=session]').innerText()).toContain('协调员');
          type Stats = {
            publishedPlans: number;
            jointPlans: number;
            lockedTasks: number;
            visits: number;
            visitsSubmitted: number;
            visitsSaved: number;
            departments: Array<Record<string, number | string> & { deliveries: Record<string, number> }>;
          };
          const {
            jointStatistics: stats,
            jointDepartmentsWithoutJointPlan: missing,
            jointPublicationDeadlines: deadlines,
          } = await api<{
            jointStatistics: Stats;
            jointDepartmentsWithoutJointPlan: string[];
            jointPublicationDeadlines: Array<{
              department: string;
              resultId: string;
              deadline: string;
              overdue: boolean;
            }>;
          }>(
            hub(),
            `{ jointStatistics(year: ${year}) { publishedPlans jointPlans lockedTasks visits visitsSubmitted visitsSaved departments { department itemsInForce itemsCovered tasks tasksDone visits results published publishedOnTime publishedLate overdue publicationRate deliveries { pending delivered refused } } }
             jointDepartmentsWithoutJointPlan(year: ${year}) jointPublicationDeadlines(year: ${year}, first: 200) { department resultId deadline overdue } }`,
            token,
          );
          for (const [testId, value] of [
            ['fig-published-plans', stats.publishedPlans],
            ['fig-joint-plans', stats.jointPlans],
            ['fig-locked-tasks', stats.lockedTasks],
            ['fig-visits', stats.visits],
            ['fig-visits-submitted', stats.visitsSubmitted],
            ['fig-visits-saved', stats.visitsSaved],
          ] as const) {
            expect([testId, await page.locator(`[data-testid=${testId}] .value`).innerText()]).toEqual([
              testId,
              String(value),
            ]);
          }
          expect(stats.visitsSaved).toBeGreaterThan(0);
          for (const d of stats.departments) {
            const department = String(d.department);
            for (const [row, fields] of [
              ['coverage-row', ['itemsInForce', 'itemsCovered']],
              ['visits-row', ['tasks', 'tasksDone', 'visits']],
              ['publication-row', ['results', 'published', 'publishedOnTime', 'publishedLate', 'overdue']],
            ] as const) {
              for (const field of fields)
                expect([department, field, await cell(page, row, department, field)]).toEqual([
                  department,
                  field,
                  String(d[field]),
                ]);
            }
            expect([department, await cell(page, 'publication-row', department, 'publicationRate')]).toEqual([
              department,
              percent(Number(d.publicationRate)),
            ]);
            for (const field of ['delivered', 'pending', 'refused'])
              expect([department, field, await cell(page, 'delivery-row', department, field)]).toEqual([
                department,
                field,
                String(d.deliveries[field]),
              ]);
            expect([department, (await cell(page, 'participation-row', department, 'meets')).startsWith('✗')]).toEqual([
              department,
              missing.includes(department),
            ]);
          }
          expect(missing).toEqual(['housing']);
          // Every figure kind is non-zero in the demo year, so a page showing zeros would fail.
          expect(
            ['publishedOnTime', 'publishedLate', 'overdue'].map(
              (f) => stats.departments.reduce((n, d) => n + Number(d[f]), 0) > 0,
            ),
          ).toEqual([true, true, true]);
          // Unpublished results with their deadlines: the first ones, in the API's order, and the overdue count.
          const listed = await page
            .locator('[data-testid=deadline-row]')
            .evaluateAll((rows) =>
              rows.map((r) => [
                r.getAttribute('data-department'),
                r.getAttribute('data-result-id'),
                (r.querySelector('[data-field=deadline]') as HTMLElement).innerText,
              ]),
            );
          expect(listed).toEqual(deadlines.slice(0, 20).map((d) => [d.department, d.resultId, d.deadline]));
          expect(await page.locator('[data-testid=deadline-summary] strong').innerText()).toBe(
            String(deadlines.filter((d) => d.overdue).length),
          );
          // The charts are drawn (a canvas with painted pixels each).
          const painted = await page.locator('figure.chart canvas').evaluateAll((canvases) =>
            canvases.map((c) => {
              const canvas = c as HTMLCanvasElement;
              const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
              let n = 0;
              for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++;
              return n;
            }),
          );
          expect(painted).toHaveLength(3);
          for (const n of painted) expect(n).toBeGreaterThan(1000);
          // No part of the dashboard was refused or failed (a refusal is an answer with errors, not an HTTP error).
          await page.waitForLoadState('networkidle');
          expect(await texts(page, 'main [role=alert]')).toEqual([]);
          // Not a training hub: no page says its data is practice.
          expect(await page.locator('[data-testid=training-banner], [data-testid=training-mark]').count()).toBe(0);
          await screenshot(page, `${hub().config.db.kind}-dashboard-coordinator-desktop`);
          // Only the stranger's token was refused (HTTP 401, logged by the browser as well).
          return /401/;
        });
      },
    );

    it(
      "R25, R31: while a year's holiday notice is missing, the dashboard says so and marks the deadlines " +
        'counted through it as the API does',
      async () => {
        const year = demo().year;
        const calendar = hub().joint.deps.calendar;
        // The joint service as it would run without the demo year's notice loaded (the package's other years only).
        hub().joint.deps.calendar = new WorkingDayCalendar(packageCalendarYears().filter((y) => y.year !== year));
        try {
          await onPage('desktop', async (page) => {
            const token = await hub().token(Role.COORDINATOR, 'market');
            const { jointStatistics: stats, jointPublicationDeadlines: deadlines } = await api<{
              jointStatistics: { provisionalCalendarYears: number[] };
              jointPublicationDeadlines: Array<{ resultId: string; provisional: boolean }>;
            }>(
              hub(),
              `{ jointStatistics(year: ${year}) { provisionalCalendarYears } jointPublicationDeadlines(year: ` +
                `${year}, first: 200) { resultId provisional } }`,
              token,
            );
            expect(stats.provisionalCalendarYears).toEqual([year]);
            expect(deadlines.length).toBeGreaterThan(0);
            expect(deadlines.every((d) => d.provisional)).toBe(true);
            await signIn(page, token);
            await page.goto(`/dashboard?year=${year}`);
            await page.waitForSelector('[data-testid=deadline-row]');
            const notice = page.locator('[data-testid=calendar-notice]');
            expect(await notice.getAttribute('data-years')).toBe(String(year));
            expect(await notice.innerText()).toContain(`${year} 年的国务院节假日安排通知尚未载入平台`);
            const rows = await page
              .locator('[data-testid=deadline-row]')
              .evaluateAll((rows) =>
                rows.map((r) => [
                  r.getAttribute('data-result-id'),
                  r.getAttribute('data-provisional'),
                  r.textContent!.includes('（暂定）'),
                ]),
              );
            expect(rows).toEqual(deadlines.slice(0, 20).map((d) => [d.resultId, 'true', true]));
            await screenshot(page, `${hub().config.db.kind}-dashboard-provisional-desktop`);
          });
        } finally {
          hub().joint.deps.calendar = calendar;
        }
        // With the notice loaded again, nothing is marked.
        const final = await api<{ jointStatistics: { provisionalCalendarYears: number[] } }>(
          hub(),
          `{ jointStatistics(year: ${year}) { provisionalCalendarYears } }`,
          await hub().token(Role.HUB_ADMIN),
        );
        expect(final.jointStatistics.provisionalCalendarYears).toEqual([]);
      },
    );

    it(
      "R30: a department admin's dashboard opens on their own department, and lists only their results' " +
        'deadlines, as the API does for them',
      async () => {
        await onPage('phone', async (page) => {
          const year = demo().year;
          const token = await hub().token(Role.DEPT_ADMIN, 'environment');
          // Which requests carry the official's token: the dashboard's, never the public page's.
          const sent: Array<[string, boolean]> = [];
          page.on('request', (r) => {
            if (r.url().endsWith('/graphql') && r.method() === 'POST')
              sent.push([JSON.parse(r.postData()!).operationName, r.headers().authorization === `Bearer ${token}`]);
          });
          await signIn(page, token);
          await page.goto(`/dashboard?year=${year}`);
          await page.waitForSelector('[data-testid=deadline-row]');
          expect(await page.locator('#department').inputValue()).toBe('environment');
          expect(
            await page
              .locator('[data-testid=publication-row]')
              .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-department'))),
          ).toEqual(['environment']);
          const { jointPublicationDeadlines: deadlines } = await api<{
            jointPublicationDeadlines: Array<{ department: string; resultId: string }>;
          }>(
            hub(),
            `{ jointPublicationDeadlines(year: ${year}, department: "environment", first: 200) { department ` +
              `resultId } }`,
            token,
          );
          expect(deadlines.length).toBeGreaterThan(0);
          const listed = await page
            .locator('[data-testid=deadline-row]')
            .evaluateAll((rows) =>
              rows.map((r) => [r.getAttribute('data-department'), r.getAttribute('data-result-id')]),
            );
          expect(listed).toEqual(deadlines.slice(0, 20).map((d) => [d.department, d.resultId]));
          if (deadlines.length > 20) {
            await page.click('[data-testid=deadlines-toggle]');
            expect(await page.locator('[data-testid=deadline-row]').count()).toBe(deadlines.length);
          }
          await page.waitForLoadState('networkidle');
          expect(await texts(page, 'main [role=alert]')).toEqual([]);
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `${hub().config.db.kind}-dashboard-dept-admin-phone`);
          // Signed in, the public pages still ask as the public: they show what the public sees (no drafts).
          await page.goto(`/plans?year=${year}`);
          await page.waitForSelector('[data-testid=plan]');
          const signedIn = new Set([
            'DashboardStatistics',
            'DashboardPlans',
            'UncoveredItems',
            'PublicationDeadlines',
            'OverduePlanRevisions',
            'TaskFullDrawRecord',
          ]);
          expect(sent.filter(([name]) => name === 'PublicPlans').length).toBeGreaterThan(0);
          expect(sent.filter(([name, withToken]) => withToken !== signedIn.has(name))).toEqual([]);
          // Signed out, the page is the public's again.
          await page.click('[data-testid=session] button');
          await page.goto('/dashboard');
          await page.locator('main').getByText('请先登录').waitFor(); // the dashboard's code loads when it is opened
        });
      },
    );
  },
  4000,
  undefined,
  // The callers' budget as shipped (H2): the pages and the demo year must work within it.
  {
    demoYear: clock,
    env: {
      JOINTCHECK_CALLER_CONCURRENCY: String(SHIPPED.callerConcurrency),
      JOINTCHECK_CALLER_COST: String(SHIPPED.callerCost),
    },
  },
);
