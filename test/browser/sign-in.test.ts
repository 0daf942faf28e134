import { generateKeyPair, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import type { SpawnedDevIdentityProvider } from '../../idp/spawn';
import type { DevUser } from '../../idp/types';
import { Role } from '../../kernel/identity';
import { desktopContext, screenshot } from '../support/browser';
import { testDatabases } from '../support/databases';
import type { TestHub } from '../support/hub';
import { CLAIMS, startSignedInHub, type SignedInHub } from '../support/workspace';

/**
 * Issue I: officials sign in as government systems do, at the identity provider, by the
 * authorization code flow with PKCE from the page; here the quick start's development provider
 * (idp/, its own login form) in a process of its own, and the whole hub verifying its tokens.
 * (test/support/workspace.ts starts them as the workspace's tests do.)
 */
const TOKEN_SECONDS = 20;

describe.each(testDatabases().slice(0, 1))(
  'I: signing in at the identity provider, in a browser ($label)',
  (database) => {
    let env: SignedInHub;
    let hub: TestHub;
    let provider: SpawnedDevIdentityProvider;
    let browser: Browser;
    const user = (role: string, department: string | null = null) => env.user(role, department);

    beforeAll(async () => {
      // Access tokens live TOKEN_SECONDS, so that one expires while its page is open within the test.
      env = await startSignedInHub(database, { accessTokenTtlSeconds: TOKEN_SECONDS });
      ({ hub, provider, browser } = env);
    }, 120_000);
    afterAll(async () => env?.stop());

    const origin = () => env.origin;

    /** From the page's sign-in to the provider's form, and (when the password is right) back signed in. */
    async function signInAt(page: Page, who: DevUser, password = who.password, shot?: string): Promise<void> {
      await page.goto('/signin');
      await page.getByTestId('signin-provider').click();
      await page.waitForURL(`${provider.issuer}/**`);
      await page.locator('#username').fill(who.subject);
      await page.locator('#password').fill(password);
      if (shot) await screenshot(page, shot);
      await page.locator('button[type=submit]').click();
    }

    it(
      "I: an official signs in through the provider's own login form and reaches the dashboard as themselves; " +
        'a wrong password is refused there',
      async () => {
        const context = await desktopContext(browser, origin());
        const page = await context.newPage();
        try {
          const coordinator = user(Role.COORDINATOR, 'market');
          await signInAt(page, coordinator, 'not-the-password', 'i-signin-provider-form');
          await page.getByText('用户名或密码错误').waitFor();
          expect(page.url().startsWith(provider.issuer)).toBe(true);
          await page.locator('#password').fill(coordinator.password);
          await page.locator('button[type=submit]').click();
          await page.waitForURL(`${origin()}/dashboard**`);
          await expect(page.getByTestId('session').innerText()).resolves.toMatch(/协调员/);
          // The page holds the provider's access token, and the hub answers it as that official.
          const token = await page.evaluate(() => sessionStorage.getItem('jointcheck.token'));
          const payload = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString()) as Record<
            string,
            unknown
          >;
          expect(payload).toMatchObject({
            iss: provider.issuer,
            sub: coordinator.subject,
            aud: 'urn:jointcheck',
            jointcheck_role: 'COORDINATOR',
            jointcheck_dept: 'market',
          });
          expect(
            (await hub.query('{ jointLeadPage(department: "market", first: 1) { totalCount } }', { token: token! }))
              .errors,
          ).toBeUndefined();
          await screenshot(page, 'i-signed-in-dashboard');
        } finally {
          await context.close();
        }
      },
    );

    it("I: signing out ends the provider's session too: the next sign-in asks for the password again", async () => {
      const context = await desktopContext(browser, origin());
      const page = await context.newPage();
      try {
        const auditor = user(Role.AUDITOR);
        await signInAt(page, auditor);
        await page.waitForURL(`${origin()}/dashboard**`);
        await page.getByTestId('session').getByRole('button', { name: '退出' }).click();
        await page.waitForURL(`${origin()}/`);
        await page.getByRole('link', { name: '登录' }).waitFor();
        expect(await page.evaluate(() => sessionStorage.getItem('jointcheck.token'))).toBeNull();
        await page.goto('/signin');
        await page.getByTestId('signin-provider').click();
        await page.waitForURL(`${provider.issuer}/**`);
        await page.locator('#password').waitFor();
      } finally {
        await context.close();
      }
    });

    it(
      'I: a sign-in that expires while the page is open sends the official to sign in again, saying so, and ' +
        'back to where they were',
      async () => {
        const context = await desktopContext(browser, origin());
        const page = await context.newPage();
        try {
          await signInAt(page, user(Role.DEPT_ADMIN, 'tax'));
          await page.waitForURL(`${origin()}/dashboard**`);
          const token = await page.evaluate(() => sessionStorage.getItem('jointcheck.token'));
          const { exp, iat } = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString()) as {
            exp: number;
            iat: number;
          };
          expect(exp - iat).toBe(TOKEN_SECONDS);
          // Nothing is clicked: the page notices the expiry by itself.
          await page.waitForURL(`${origin()}/signin?next=%2Fdashboard`, { timeout: (TOKEN_SECONDS + 15) * 1000 });
          await page.getByTestId('expired').waitFor();
          expect(await page.evaluate(() => sessionStorage.getItem('jointcheck.token'))).toBeNull();
          await page.getByRole('link', { name: '登录' }).first().waitFor();
          // The hub refuses the token from then on too.
          expect(
            (await hub.query('{ jointLeadPage(department: "tax", first: 1) { totalCount } }', { token: token! }))
              .errors?.[0]?.extensions?.code,
          ).toBe('UNAUTHENTICATED');
          await screenshot(page, 'i-signin-expired');
        } finally {
          await context.close();
        }
      },
      90_000,
    );

    it(
      'I: a token from another issuer, an expired one and one for another audience are refused: the page signs ' +
        'out and says so',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const now = Math.floor(Date.now() / 1000);
        const forge = (issuer: string, audience: string, exp: number) =>
          new SignJWT({ jointcheck_role: 'AUDITOR' })
            .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
            .setSubject('mallory')
            .setIssuer(issuer)
            .setAudience(audience)
            .setIssuedAt(now - 60)
            .setExpirationTime(exp)
            .sign(privateKey);
        const cases = {
          'another issuer': await forge('https://idp.elsewhere.example', 'urn:jointcheck', now + 3600),
          expired: await forge(provider.issuer, 'urn:jointcheck', now - 30),
          'another audience': await forge(provider.issuer, 'urn:another-system', now + 3600),
        };
        for (const [what, token] of Object.entries(cases)) {
          const context = await desktopContext(browser, origin());
          const page = await context.newPage();
          try {
            await page.goto('/');
            await page.evaluate(
              ([t, claims]) => {
                sessionStorage.setItem('jointcheck.token', t);
                sessionStorage.setItem('jointcheck.claims', JSON.stringify(claims));
              },
              [token, { role: CLAIMS.roleClaim, dept: CLAIMS.deptClaim }] as const,
            );
            await page.goto('/dashboard');
            await page.getByRole('link', { name: '登录' }).first().waitFor();
            expect([what, await page.evaluate(() => sessionStorage.getItem('jointcheck.token'))]).toEqual([what, null]);
            // A token the hub refused sends the page to sign in again; one expired before the page loaded is dropped at
            // once, and /signin says why.
            await page.waitForURL('**/signin?next=**', { timeout: 5000 }).catch(() => page.goto('/signin'));
            await page.getByTestId('expired').waitFor();
            // The API says why, to the same caller.
            const answer = await hub.query('{ jointLeadPage(department: "market", first: 1) { totalCount } }', {
              token,
            });
            expect([what, answer.errors?.[0]?.extensions?.code]).toEqual([what, 'UNAUTHENTICATED']);
          } finally {
            await context.close();
          }
        }
      },
    );
  },
);
