import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { demoPassword, demoSubject, demoUsers } from '../../idp/demo-users';
import { spawnDevIdentityProvider, type SpawnedDevIdentityProvider } from '../../idp/spawn';

const SEED = 'dev-provider-test-seed';
const RESOURCE = 'urn:jointcheck';
const ROLE_CLAIM = 'jointcheck_role';
const DEPT_CLAIM = 'jointcheck_dept';
const PAGE = 'http://127.0.0.1:4999';
const REDIRECT_URI = `${PAGE}/signin/callback`;
const AFTER_LOGOUT = `${PAGE}/`;
const CLIENT: oauth.Client = { client_id: 'jointcheck-web', token_endpoint_auth_method: 'none' };

/** A browser's cookies, by hand: each response's Set-Cookie kept and sent back on the paths they are for. */
class CookieJar {
  private cookies = new Map<string, { value: string; path: string }>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const attr = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attr('path') ?? '/';
      const expires = attr('expires');
      const gone =
        value === '' || attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (gone) this.cookies.delete(`${name};${path}`);
      else this.cookies.set(`${name};${path}`, { value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies.entries()]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([key, c]) => `${key.split(';')[0]}=${c.value}`)
      .join('; ');
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(response);
    return response;
  }
}

function location(response: Response, base: string): string {
  const to = response.headers.get('location');
  if (!to) throw new Error(`no redirect (HTTP ${response.status}): ${response.statusText}`);
  return new URL(to, base).href;
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

describe('I: the development identity provider (oidc-provider) as the page uses it', () => {
  let idp: SpawnedDevIdentityProvider;
  let as: oauth.AuthorizationServer;
  const users = demoUsers(SEED, ['market', 'tax']);

  beforeAll(async () => {
    idp = await spawnDevIdentityProvider({
      host: '127.0.0.1',
      port: 0,
      clients: [
        {
          client_id: CLIENT.client_id,
          client_name: 'JointCheck',
          redirect_uris: [REDIRECT_URI],
          post_logout_redirect_uris: [AFTER_LOGOUT],
        },
      ],
      resource: RESOURCE,
      roleClaim: ROLE_CLAIM,
      deptClaim: DEPT_CLAIM,
      allowedOrigins: [PAGE],
      accessTokenTtlSeconds: 900,
      demo: { seed: SEED, departments: ['market', 'tax'] },
    });
    const issuer = new URL(idp.issuer);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: true }),
    );
  });

  afterAll(async () => {
    await idp?.stop();
  });

  /** The authorization request the page makes: code, PKCE S256, the API's resource. */
  async function authorizationUrl(extra: Record<string, string> = {}, omit: string[] = []) {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    const params: Record<string, string> = {
      client_id: CLIENT.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      resource: RESOURCE,
      state,
      ...extra,
    };
    for (const [key, value] of Object.entries(params)) if (!omit.includes(key)) url.searchParams.set(key, value);
    return { url: url.href, verifier, state };
  }

  /** Follows the provider's redirects until one leaves it (or a page is shown). */
  async function follow(
    jar: CookieJar,
    response: Response,
    base: string,
  ): Promise<{ response: Response; url: string }> {
    let url = base;
    while (response.status >= 300 && response.status < 400) {
      url = location(response, url);
      if (!url.startsWith(idp.issuer)) return { response, url };
      response = await jar.fetch(url);
    }
    return { response, url };
  }

  /** Signs in as a browser does, up to the redirect back to the page with a code. */
  async function signIn(subject: string, password: string) {
    const jar = new CookieJar();
    const { url, verifier, state } = await authorizationUrl();
    const shown = await follow(jar, await jar.fetch(url), url);
    expect(shown.response.status).toBe(200);
    expect(shown.url).toMatch(/\/interaction\/[A-Za-z0-9_-]+$/);
    const page = await shown.response.text();
    expect(page).toContain('统一身份认证（开发用）');
    const action = new URL(/action="([^"]+)"/.exec(page)![1]!, shown.url).href;
    const back = await follow(jar, await jar.fetch(action, form({ username: subject, password })), action);
    return { jar, verifier, state, back, loginUrl: action };
  }

  /** The page's token request; `resource` named again or left to the provider (the one of the code). */
  async function exchange(back: { url: string }, state: string, verifier: string, resource?: string) {
    const params = oauth.validateAuthResponse(as, CLIENT, new URL(back.url), state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      CLIENT,
      oauth.None(),
      params,
      REDIRECT_URI,
      verifier,
      { [oauth.allowInsecureRequests]: true, ...(resource ? { additionalParameters: { resource } } : {}) },
    );
    return oauth.processAuthorizationCodeResponse(as, CLIENT, response);
  }

  async function verifyAccessToken(token: string) {
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
    return jwtVerify(token, jwks, { issuer: idp.issuer, audience: RESOURCE });
  }

  it('publishes its discovery document: code flow, PKCE S256, JWKS and end_session', () => {
    expect(as.issuer).toBe(idp.issuer);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.response_types_supported).toEqual(['code']);
    expect(as.jwks_uri).toBe(`${idp.issuer}/jwks`);
    expect(as.end_session_endpoint).toBeDefined();
    expect(as.token_endpoint_auth_methods_supported).toEqual(['none']);
  });

  it(
    'gives a market inspector, signed in with the password, a JWT access token for the hub with role and ' +
      'department',
    async () => {
      const subject = demoSubject('INSPECTOR', 'market');
      expect(subject).toBe('market-i0001');
      const { back, state, verifier } = await signIn(subject, demoPassword(SEED, subject));
      expect(back.url.startsWith(`${REDIRECT_URI}?`)).toBe(true);
      expect(new URL(back.url).searchParams.get('code')).toBeTruthy();
      const tokens = await exchange(back, state, verifier);
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.expires_in).toBe(900);

      expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
      const { payload } = await verifyAccessToken(tokens.access_token);
      expect(payload).toMatchObject({
        iss: idp.issuer,
        aud: RESOURCE,
        sub: subject,
        [ROLE_CLAIM]: 'INSPECTOR',
        [DEPT_CLAIM]: 'market',
        client_id: CLIENT.client_id,
      });
      expect(payload.exp! - payload.iat!).toBe(900);

      const claims = oauth.getValidatedIdTokenClaims(tokens)!;
      expect(claims.sub).toBe(subject);
      expect(claims.aud).toBe(CLIENT.client_id);
    },
  );

  it('carries no department for the auditor', async () => {
    const subject = demoSubject('AUDITOR', null);
    const { back, state, verifier } = await signIn(subject, demoPassword(SEED, subject));
    const { payload } = await verifyAccessToken((await exchange(back, state, verifier, RESOURCE)).access_token);
    expect(payload.sub).toBe('demo-auditor');
    expect(payload[ROLE_CLAIM]).toBe('AUDITOR');
    expect(payload).not.toHaveProperty(DEPT_CLAIM);
  });

  it('refreshes the access token with the refresh token, with the same claims', async () => {
    const subject = demoSubject('COORDINATOR', 'tax');
    const { back, state, verifier } = await signIn(subject, demoPassword(SEED, subject));
    const tokens = await exchange(back, state, verifier);
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      CLIENT,
      await oauth.refreshTokenGrantRequest(as, CLIENT, oauth.None(), tokens.refresh_token!, {
        [oauth.allowInsecureRequests]: true,
      }),
    );
    const { payload } = await verifyAccessToken(refreshed.access_token);
    expect(payload).toMatchObject({
      sub: 'demo-coordinator-tax',
      [ROLE_CLAIM]: 'COORDINATOR',
      [DEPT_CLAIM]: 'tax',
      aud: RESOURCE,
    });
  });

  it('refuses a wrong password with the form and its error, then accepts the right one', async () => {
    const subject = demoSubject('DEPT_ADMIN', 'market');
    const { jar, back, loginUrl, state, verifier } = await signIn(subject, 'not-the-password');
    expect(back.response.status).toBe(401);
    const page = await back.response.text();
    expect(page).toContain('Wrong user name or password');
    expect(page).toContain('用户名或密码错误');
    expect(page).toContain(`value="${subject}"`);
    // Someone else's password does not open this account either.
    const other = await jar.fetch(loginUrl, form({ username: subject, password: demoPassword(SEED, 'demo-auditor') }));
    expect(other.status).toBe(401);
    // An unknown user is refused the same way.
    const unknown = await jar.fetch(loginUrl, form({ username: 'nobody', password: 'x' }));
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('Wrong user name or password');

    const right = await follow(
      jar,
      await jar.fetch(loginUrl, form({ username: subject, password: demoPassword(SEED, subject) })),
      loginUrl,
    );
    expect(right.url.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const { payload } = await verifyAccessToken((await exchange(right, state, verifier)).access_token);
    expect(payload).toMatchObject({
      sub: 'demo-dept_admin-market',
      [ROLE_CLAIM]: 'DEPT_ADMIN',
      [DEPT_CLAIM]: 'market',
    });
  });

  it('refuses the code without the right PKCE verifier', async () => {
    const subject = demoSubject('PRINCIPAL_HEAD', 'tax');
    const { back, state } = await signIn(subject, demoPassword(SEED, subject));
    const params = oauth.validateAuthResponse(as, CLIENT, new URL(back.url), state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      CLIENT,
      oauth.None(),
      params,
      REDIRECT_URI,
      oauth.generateRandomCodeVerifier(),
      { [oauth.allowInsecureRequests]: true },
    );
    await expect(oauth.processAuthorizationCodeResponse(as, CLIENT, response)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('refuses an unknown client and a redirect_uri not registered, without redirecting', async () => {
    const refused: Array<Record<string, string>> = [
      { client_id: 'someone-else' },
      { redirect_uri: 'http://127.0.0.1:4999/elsewhere' },
      { redirect_uri: 'https://evil.example/cb' },
    ];
    for (const extra of refused) {
      const { url } = await authorizationUrl(extra);
      const response = await new CookieJar().fetch(url);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toMatch(/invalid_client|invalid_redirect_uri/);
    }
  });

  it('refuses an authorization request without PKCE, or with the plain method', async () => {
    for (const [extra, omit] of [
      [{}, ['code_challenge', 'code_challenge_method']],
      [{ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, []],
    ] as Array<[Record<string, string>, string[]]>) {
      const { url, state } = await authorizationUrl(extra, omit);
      const response = await new CookieJar().fetch(url);
      const back = new URL(location(response, url));
      expect(back.href.startsWith(`${REDIRECT_URI}?`)).toBe(true);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('error_description')).toMatch(/PKCE|code_challenge/);
      expect(back.searchParams.get('state')).toBe(state);
      expect(back.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses a resource other than the hub', async () => {
    const { url } = await authorizationUrl({ resource: 'urn:other' });
    const back = new URL(location(await new CookieJar().fetch(url), url));
    expect(back.searchParams.get('error')).toBe('invalid_target');
  });

  it('lets the page call the token endpoint from its origin only (CORS)', async () => {
    const allowed = await fetch(as.token_endpoint!, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PAGE);
    const post = (origin: string) =>
      fetch(as.token_endpoint!, {
        ...form({
          grant_type: 'authorization_code',
          client_id: CLIENT.client_id,
          code: 'x',
          redirect_uri: REDIRECT_URI,
          code_verifier: 'y'.repeat(43),
        }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      });
    const fromPage = await post(PAGE);
    expect(fromPage.headers.get('access-control-allow-origin')).toBe(PAGE);
    const fromElsewhere = await post('https://evil.example');
    expect(fromElsewhere.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
    // Discovery and keys are public.
    const keys = await fetch(as.jwks_uri!, { headers: { origin: 'https://evil.example' } });
    expect(keys.status).toBe(200);
  });

  it('signs out (end_session) and redirects to the registered post_logout_redirect_uri', async () => {
    const subject = demoSubject('DEPUTY_HEAD', 'market');
    const { jar, back, state, verifier } = await signIn(subject, demoPassword(SEED, subject));
    const tokens = await exchange(back, state, verifier);

    const end = new URL(as.end_session_endpoint!);
    end.searchParams.set('id_token_hint', tokens.id_token!);
    end.searchParams.set('post_logout_redirect_uri', AFTER_LOGOUT);
    end.searchParams.set('state', 'bye');
    const confirm = await jar.fetch(end.href);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    const action = new URL(/<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(page)![1]!, end.href).href;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1]!;
    expect(page).toContain('name="logout" value="yes"');
    const done = await jar.fetch(action, form({ xsrf, logout: 'yes' }));
    expect(done.status).toBe(303);
    const to = new URL(location(done, action));
    expect(`${to.origin}${to.pathname}`).toBe(AFTER_LOGOUT);
    expect(to.searchParams.get('state')).toBe('bye');

    // The session is gone: a new sign-in shows the form again.
    const { url } = await authorizationUrl();
    const again = await follow(jar, await jar.fetch(url), url);
    expect(again.response.status).toBe(200);
    expect(await again.response.text()).toContain('name="password"');
  });

  it('refuses a post_logout_redirect_uri not registered', async () => {
    const end = new URL(as.end_session_endpoint!);
    end.searchParams.set('client_id', CLIENT.client_id);
    end.searchParams.set('post_logout_redirect_uri', 'https://evil.example/');
    const response = await new CookieJar().fetch(end.href);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('gives every demo official a password of 12 characters that depends on the seed', () => {
    expect(users).toHaveLength(2 * 5 + 2);
    expect(new Set(users.map((u) => u.subject)).size).toBe(users.length);
    for (const user of users) expect(user.password).toMatch(/^[a-z2-7]{12}$/);
    expect(demoPassword(SEED, 'demo-auditor')).toBe(demoPassword(SEED, 'demo-auditor'));
    expect(demoPassword('another seed', 'demo-auditor')).not.toBe(demoPassword(SEED, 'demo-auditor'));
    expect(users.map((u) => `${u.subject}:${u.role}:${u.department}`)).toEqual([
      'demo-coordinator-market:COORDINATOR:market',
      'market-i0001:INSPECTOR:market',
      'demo-dept_admin-market:DEPT_ADMIN:market',
      'demo-deputy_head-market:DEPUTY_HEAD:market',
      'demo-principal_head-market:PRINCIPAL_HEAD:market',
      'demo-coordinator-tax:COORDINATOR:tax',
      'tax-i0001:INSPECTOR:tax',
      'demo-dept_admin-tax:DEPT_ADMIN:tax',
      'demo-deputy_head-tax:DEPUTY_HEAD:tax',
      'demo-principal_head-tax:PRINCIPAL_HEAD:tax',
      'demo-auditor:AUDITOR:null',
      'demo-hub_admin:HUB_ADMIN:null',
    ]);
  });
});
