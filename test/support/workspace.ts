import type { Browser, BrowserContext, Page } from 'playwright-core';
import { demoUsers } from '../../idp/demo-users';
import { spawnDevIdentityProvider, type SpawnedDevIdentityProvider } from '../../idp/spawn';
import type { DevUser } from '../../idp/types';
import { desktopContext, launchChromium, phoneContext } from './browser';
import type { TestDatabase } from './databases';
import { DEPARTMENT_CODES, HUB_SERVICES, startTestHub, type TestHub, type TestHubOptions } from './hub';

/**
 * The officials' workspace under test (issue I): the whole hub, the development identity provider
 * (idp/, its own login form) in a process of its own with every demo official of every built-in
 * department, and Chromium. The provider is started first (the hub must know its issuer), then
 * again on the same address with the page's callback registered once the gateway's address is
 * known. Officials sign in through the provider as themselves, as in production.
 */
export interface SignedInHub {
  hub: TestHub;
  provider: SpawnedDevIdentityProvider;
  browser: Browser;
  users: DevUser[];
  /** The page's origin (the gateway's). */
  origin: string;
  /** The demo official of a role (and department). */
  user(role: string, department?: string | null): DevUser;
  /** A fresh browser context signed in as `who` (desktop, or a phone's screen), on the page `then`. */
  signedIn(
    who: DevUser,
    options?: { phone?: boolean; then?: string },
  ): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs a page in as `who` through the provider's own form; lands on the page's post-sign-in route. */
  signIn(page: Page, who: DevUser): Promise<void>;
  /** The access token the page holds (for asking the API the same questions as the same caller). */
  tokenOf(page: Page): Promise<string>;
  /** The API's answer to a question asked as the page's own caller (its token); throws on any error. */
  asCaller<T>(page: Page, query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

export const WORKSPACE_SEED = 'workspace-test-seed';
/** The claims the provider puts the role and the department in (the hub's default settings). */
export const CLAIMS = { roleClaim: 'jointcheck_role', deptClaim: 'jointcheck_dept' };

export async function startSignedInHub(
  database: TestDatabase,
  options: { targets?: number; clock?: () => Date; hubOptions?: TestHubOptions; accessTokenTtlSeconds?: number } = {},
): Promise<SignedInHub> {
  // The browser first: a machine without Chromium fails here, before any process is started.
  const { browser, close } = await launchChromium();
  const users = demoUsers(WORKSPACE_SEED, DEPARTMENT_CODES);
  const base = {
    host: '127.0.0.1',
    resource: 'urn:jointcheck',
    ...CLAIMS,
    users,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
  };
  const first = await spawnDevIdentityProvider({
    ...base,
    port: 0,
    clients: [{ client_id: 'jointcheck-web', redirect_uris: ['http://127.0.0.1:1/signin/callback'] }],
  });
  const port = Number(new URL(first.issuer).port);
  const hubOptions = options.hubOptions ?? {};
  const hub = await startTestHub(database, options.targets ?? 200, options.clock, {
    ...hubOptions,
    env: { ...hubOptions.env, JOINTCHECK_OIDC_ISSUER: first.issuer },
  });
  await first.stop();
  const origin = hub.gateway.url.replace(/\/graphql$/, '');
  const provider = await spawnDevIdentityProvider({
    ...base,
    port,
    clients: [
      {
        client_id: 'jointcheck-web',
        redirect_uris: [`${origin}/signin/callback`],
        post_logout_redirect_uris: [`${origin}/`],
      },
    ],
    allowedOrigins: [origin],
  });
  // The hub trusts the first provider's issuer: the second must be the same one.
  if (provider.issuer !== first.issuer)
    throw new Error(`The provider came back as ${provider.issuer}, not ${first.issuer}.`);

  const user = (role: string, department: string | null = null) => {
    const found = users.find((u) => u.role === role && u.department === department);
    if (!found) throw new Error(`No demo official ${role} of ${department ?? 'the hub'}.`);
    return found;
  };
  const tokenOf = async (page: Page) => {
    const token = await page.evaluate(() => sessionStorage.getItem('jointcheck.token'));
    if (!token) throw new Error('The page holds no token: not signed in.');
    return token;
  };
  const signIn = async (page: Page, who: DevUser) => {
    await page.goto('/signin');
    await page.getByTestId('signin-provider').click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.locator('#username').fill(who.subject);
    await page.locator('#password').fill(who.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(`${origin}/dashboard**`);
  };
  return {
    hub,
    provider,
    browser,
    users,
    origin,
    user,
    signIn,
    async signedIn(who, { phone = false, then } = {}) {
      const context = await (phone ? phoneContext(browser, origin) : desktopContext(browser, origin));
      const page = await context.newPage();
      await signIn(page, who);
      if (then) await page.goto(then);
      return { context, page };
    },
    tokenOf,
    async asCaller<T>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const answer = await hub.query<T>(query, { token: await tokenOf(page), variables });
      if (answer.errors) throw new Error(`As the page's caller: ${JSON.stringify(answer.errors)}`);
      return answer.data!;
    },
    async stop() {
      await close().catch(() => undefined);
      await provider.stop().catch(() => undefined);
      await hub.stop();
      await database.drop(HUB_SERVICES);
    },
  };
}
