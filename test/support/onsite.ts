import type { Locator, Page } from 'playwright-core';

/**
 * The phone's signature step (issue J), as people do it: the business's person (or, refusing, the
 * inspectors' note) and every team member draws a signature with a finger on the screen.
 */

/** Draws a short signature-like stroke on a signature pad (a canvas), with the pointer. */
export async function drawSignature(page: Page, pad: Locator, seed = 0): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 20, y + 10);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(box.x + 20 + i * ((box.width - 40) / 12), y + Math.sin(i + seed) * (box.height / 4), {
      steps: 2,
    });
  await page.mouse.up();
}

/**
 * From a visit's filled-in form: to the signature step, signs (the business by name, or its refusal
 * noted), every team member signs, and submits; waits until the phone shows the visit as submitted
 * or waiting to be sent.
 */
export async function signAndSubmit(
  page: Page,
  business: { signer: string } | { refusal: string } = { signer: '王经理' },
  beforeSubmit?: () => Promise<void>,
): Promise<void> {
  await page.getByTestId('visit-sign').click();
  await page.getByTestId('sign-step').waitFor();
  if ('signer' in business) {
    await page.getByTestId('business-signs').check();
    await page.getByTestId('business-name').fill(business.signer);
    await drawSignature(page, page.getByTestId('business-signature-pad'), 7);
  } else {
    await page.getByTestId('business-refuses').check();
    await page.getByTestId('refusal-note').fill(business.refusal);
  }
  const pads = await page.locator('[data-testid^="team-signature-"][data-testid$="-pad"]').all();
  for (const [i, pad] of pads.entries()) await drawSignature(page, pad, i);
  await page.waitForFunction(
    () => !(document.querySelector('[data-testid="visit-submit"]') as HTMLButtonElement | null)?.disabled,
  );
  await beforeSubmit?.();
  await page.getByTestId('visit-submit').click();
  await page.getByTestId('visit-submission').waitFor();
}
