import type { Browser } from 'playwright-core';
import { Role } from '../../kernel/identity';
import { SettableClock } from '../../kernel/settable-clock';
import { jointPlanInput, publishedPlan, WITNESS } from '../joint/fixtures';
import { launchChromium, phoneContext, screenshot } from '../support/browser';
import { describeWithHub } from '../support/hub';

/**
 * A training hub (培训/演练环境, H1 point 3) on the public page: every page says the data is
 * practice, and each training plan and task is marked "演练", so that nobody takes a training draw
 * for a real one (the public-page test checks that an ordinary hub shows neither).
 */
jest.setTimeout(120_000);

let browser: Browser;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ browser, close } = await launchChromium());
});
afterAll(async () => {
  await close?.();
});

const clock = new SettableClock();
clock.set(new Date('2026-12-05T02:00:00Z'));

describeWithHub(
  'a training hub on the public page',
  (hub) => {
    it(
      'every page carries the training banner with the hub ' + 'date, and training plans and tasks are marked 演练',
      async () => {
        const coordinator = await hub().token(Role.COORDINATOR, 'market');
        const planId = await publishedPlan(
          hub(),
          jointPlanInput({
            name: '2027年度联合抽查计划（演练）',
            year: 2027,
            windowStart: '2027-01-04',
            windowEnd: '2027-11-30',
          }),
          coordinator,
        );
        const task = await hub().query<{ jointCreateTask: { id: string } }>(
          'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id } }',
          {
            variables: {
              input: {
                planId,
                name: '演练任务',
                witnessSource: WITNESS.witnessSource,
                witnessAvailableOn: '2026-12-08',
                witnessNumbers: 7,
              },
            },
            token: coordinator,
          },
        );
        expect(task.errors).toBeUndefined();
        const context = await phoneContext(browser, hub().gateway.url.replace(/\/graphql$/, ''));
        try {
          const page = await context.newPage();
          for (const [path, name] of [
            ['/', 'home'],
            ['/plans?year=2027', 'plans'],
            [`/plans/${planId}`, 'plan'],
            [`/tasks/${task.data!.jointCreateTask.id}`, 'task'],
          ] as const) {
            await page.goto(path);
            const banner = page.locator('[data-testid=training-banner]');
            await banner.waitFor();
            expect([path, await banner.innerText()]).toEqual([path, expect.stringContaining('培训/演练环境')]);
            expect(await banner.innerText()).toContain('2026-12-05');
            if (path !== '/') {
              await page.locator('[data-testid=training-mark]').first().waitFor();
              expect([path, await page.locator('[data-testid=training-mark]').first().innerText()]).toEqual([
                path,
                '演练',
              ]);
            }
            await screenshot(page, `${hub().config.db.kind}-training-${name}-phone`);
          }
        } finally {
          await context.close();
        }
      },
    );
  },
  400,
  undefined,
  { training: clock },
);
