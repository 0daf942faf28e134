import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorPage, loggedOutPage, loginPage, logoutPage } from './pages';
import type { DevIdentityProviderOptions, DevUser } from './types';

export type { DevClient, DevIdentityProviderOptions, DevUser } from './types';

/**
 * The DEVELOPMENT identity provider of the quick start (issue I): an OpenID Connect provider on
 * oidc-provider, with the demo officials as its users, standing in for a province's unified
 * identity platform (统一身份认证). Production runs none: the hub is pointed at the province's.
 *
 * - Authorization code with PKCE (S256, required) for public clients (no secret).
 * - Access tokens are JWTs for one resource (audience = the API's resource indicator), carrying
 *   `sub` and the role and department under the configured claim names, signed by keys published
 *   at the JWKS endpoint (EdDSA by default; ID tokens RS256, what relying parties expect by default).
 * - Its own sign-in form checking the users' passwords; consent is given automatically.
 * - RP-initiated logout redirecting to a registered post_logout_redirect_uri.
 *
 * Development only: the signing keys are generated in memory at start and everything
 * (sessions, grants, codes, refresh tokens) is kept in memory, so a restart signs everyone out and
 * invalidates every token it issued (their keys are gone). It works over plain http (cookies are
 * marked Secure only on https requests).
 *
 * oidc-provider is an ES module: this file loads it with require() (Node 20.19+), which Jest cannot
 * do; tests and CommonJS callers start it in a process of its own (idp/spawn.ts, idp/main.ts).
 */
export interface DevIdentityProvider {
  issuer: string;
  /** Where it listens (may differ from the issuer when an issuer was given). */
  url: string;
  users: DevUser[];
  stop(): Promise<void>;
}

// The few parts of oidc-provider's API used here (it ships no type declarations).
interface OidcGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface OidcInteraction {
  uid: string;
  prompt: { name: string; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface OidcProvider {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<OidcInteraction>;
  interactionFinished(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: (new (properties: { accountId: string; clientId: string }) => OidcGrant) & {
    find(id: string): Promise<OidcGrant | undefined>;
  };
  Client: { find(id: string): Promise<{ clientName?: string; clientId: string } | undefined> };
  on(event: string, listener: (...args: unknown[]) => void): void;
}
type OidcProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;

interface OidcContext {
  oidc: { client?: { clientId: string }; entities?: Record<string, unknown> };
  type: string;
  body: unknown;
}

function loadProvider(): OidcProviderConstructor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('oidc-provider') as { default?: OidcProviderConstructor; Provider?: OidcProviderConstructor };
  const Provider = module.Provider ?? module.default;
  if (typeof Provider !== 'function')
    throw new Error('oidc-provider did not load (Node 20.19 or later is needed to require an ES module)');
  return Provider;
}

/** Private signing keys, new at each start (see the comment above: a restart invalidates tokens). */
function signingKeys(accessTokenAlg: 'EdDSA' | 'ES256' | 'RS256'): crypto.JsonWebKey[] {
  const stamp = Date.now().toString(36);
  const rsa = {
    ...crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
    kid: `dev-rs256-${stamp}`,
    alg: 'RS256',
    use: 'sig',
  };
  if (accessTokenAlg === 'RS256') return [rsa];
  const other =
    accessTokenAlg === 'EdDSA'
      ? {
          ...crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
          kid: `dev-eddsa-${stamp}`,
          alg: 'EdDSA',
          use: 'sig',
        }
      : {
          ...crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
          kid: `dev-es256-${stamp}`,
          alg: 'ES256',
          use: 'sig',
        };
  // The RSA key first: it signs ID tokens (RS256, every relying party's default).
  return [rsa, other];
}

/** Compares in constant time (whatever the lengths) by comparing digests. */
function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given, 'utf8').digest();
  const b = crypto.createHash('sha256').update(expected, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

async function readForm(req: http.IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  res.end(html);
}

function validateOptions(options: DevIdentityProviderOptions): void {
  if (!options.clients?.length) throw new Error('dev identity provider: at least one client is needed');
  for (const client of options.clients) {
    if (!client.client_id || !client.redirect_uris?.length)
      throw new Error(`dev identity provider: client '${client.client_id}' needs a client_id and redirect_uris`);
  }
  if (!URL.canParse(options.resource))
    throw new Error(
      `dev identity provider: the resource '${options.resource}' is not an absolute URI (e.g. urn:jointcheck)`,
    );
  if (!options.roleClaim || !options.deptClaim)
    throw new Error('dev identity provider: roleClaim and deptClaim are needed');
  const seen = new Set<string>();
  for (const user of options.users) {
    if (!user.subject || !user.password)
      throw new Error(`dev identity provider: user '${user.subject}' needs a subject and a password`);
    if (seen.has(user.subject)) throw new Error(`dev identity provider: user '${user.subject}' is listed twice`);
    seen.add(user.subject);
  }
}

export async function startDevIdentityProvider(options: DevIdentityProviderOptions): Promise<DevIdentityProvider> {
  validateOptions(options);
  const Provider = loadProvider();
  const users = new Map(options.users.map((u) => [u.subject, u]));
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const accessTokenAlg = options.accessTokenAlg ?? 'EdDSA';
  const audience = options.audience ?? options.resource;
  const allowedOrigins = new Set(
    options.allowedOrigins?.length
      ? options.allowedOrigins
      : options.clients.flatMap((c) => c.redirect_uris.map((u) => new URL(u).origin)),
  );
  const { roleClaim, deptClaim, resource } = options;

  // Listen first: with port 0 the issuer is known only once the port is.
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${hostForUrl}:${port}`;
  const issuer = options.issuer ?? url;

  const claimsOf = (user: DevUser): Record<string, string> => ({
    [roleClaim]: user.role,
    ...(user.department ? { [deptClaim]: user.department } : {}),
  });

  const configuration: Record<string, unknown> = {
    clients: options.clients.map((c) => ({
      client_id: c.client_id,
      client_name: c.client_name,
      redirect_uris: c.redirect_uris,
      post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      application_type: 'web',
    })),
    jwks: { keys: signingKeys(accessTokenAlg) },
    cookies: { keys: options.cookieKeys?.length ? options.cookieKeys : [crypto.randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', roleClaim, deptClaim] },
    scopes: ['openid', 'profile', 'offline_access'],
    // Public clients, the code flow alone.
    responseTypes: ['code'],
    clientAuthMethods: ['none'],
    pkce: { required: () => true },
    clientBasedCORS: (_ctx: unknown, origin: string) => allowedOrigins.has(origin),
    async findAccount(_ctx: unknown, sub: string) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: user.name, ...claimsOf(user) }) };
    },
    async extraTokenClaims(_ctx: unknown, token: { accountId?: string }) {
      const user = token.accountId ? users.get(token.accountId) : undefined;
      return user ? claimsOf(user) : undefined;
    },
    // A public page keeps its session with a refresh token (rotated at each use, as for every public client).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      Interaction: 3600,
      Grant: 8 * 3600,
      Session: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== resource) {
            // oidc-provider's error classes, required as the provider is (an ES module: see above).
            type Errors = { errors: { InvalidTarget: new (description?: string) => Error } };
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { errors } = require('oidc-provider') as Errors;
            throw new errors.InvalidTarget(`unknown resource '${indicator}' (this provider serves ${resource})`);
          }
          return {
            scope: 'openid profile',
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ttl,
            jwt: { sign: { alg: accessTokenAlg } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: OidcContext, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: async (ctx: OidcContext) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
    },
    renderError: async (ctx: OidcContext, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(
        '统一身份认证（开发用）：请求被拒绝 · Request refused',
        `${out.error ?? 'error'}: ${out.error_description ?? ''}`,
      );
    },
  };

  const provider = new Provider(issuer, configuration);
  const oidc = provider.callback();

  const clientName = async (clientId: unknown): Promise<string> => {
    const client = typeof clientId === 'string' ? await provider.Client.find(clientId) : undefined;
    return client?.clientName ?? client?.clientId ?? String(clientId);
  };

  /** Login and consent at once: a new grant of what the client asked for, within 'openid profile' and the resource. */
  const grantFor = async (details: OidcInteraction, accountId: string): Promise<string> => {
    const clientId = String(details.params.client_id);
    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(resource, 'openid profile');
    // Whatever else the consent prompt would ask (offline_access, claims requests): a development provider gives it.
    const missing = details.prompt.details;
    if (Array.isArray(missing.missingOIDCScope)) grant.addOIDCScope((missing.missingOIDCScope as string[]).join(' '));
    if (Array.isArray(missing.missingOIDCClaims)) grant.addOIDCClaims(missing.missingOIDCClaims as string[]);
    if (missing.missingResourceScopes && typeof missing.missingResourceScopes === 'object') {
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes as Record<string, string[]>))
        grant.addResourceScope(indicator, scopes.join(' '));
    }
    return grant.save();
  };

  const interaction = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    uid: string,
    action: string | undefined,
  ): Promise<void> => {
    let details: OidcInteraction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(
        res,
        400,
        errorPage(
          '登录已过期 · Sign-in expired',
          '这次登录已失效，请回到原页面重新登录。This sign-in has expired or was already used: go back to the page and sign in again.',
        ),
      );
      return;
    }
    if (details.uid !== uid) {
      sendHtml(
        res,
        400,
        errorPage(
          '登录已过期 · Sign-in expired',
          'The sign-in in this browser is another one: go back to the page and sign in again.',
        ),
      );
      return;
    }
    if (action === undefined && req.method === 'GET') {
      if (details.prompt.name === 'login') {
        sendHtml(res, 200, loginPage({ uid, clientName: await clientName(details.params.client_id) }));
        return;
      }
      // Consent (the user has a session): a development provider grants it without asking.
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error(`interaction ${uid}: prompt ${details.prompt.name} without a session`);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grantFor(details, accountId) } },
        { mergeWithLastSubmission: true },
      );
      return;
    }
    if (action === 'abort' && req.method === 'GET') {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User aborted the sign-in' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (action === 'login' && req.method === 'POST') {
      if (details.prompt.name !== 'login') {
        sendHtml(
          res,
          400,
          errorPage('登录已过期 · Sign-in expired', 'This sign-in asks for no password any more: go back to the page.'),
        );
        return;
      }
      const form = await readForm(req);
      const username = (form.get('username') ?? '').trim();
      const password = form.get('password') ?? '';
      const user = users.get(username);
      // Compare even for an unknown user, so that the answer takes as long.
      const ok = sameSecret(password, user?.password ?? crypto.randomBytes(16).toString('hex')) && user !== undefined;
      if (!ok) {
        sendHtml(
          res,
          401,
          loginPage({
            uid,
            clientName: await clientName(details.params.client_id),
            username,
            error: '用户名或密码错误。Wrong user name or password.',
          }),
        );
        return;
      }
      const grantId = await grantFor(details, user.subject);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.subject }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    res.statusCode = 405;
    res.end();
  };

  handler = (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(path);
    if (!match) {
      oidc(req, res);
      return;
    }
    interaction(req, res, match[1]!, match[2]).catch((error: unknown) => {
      console.error(`dev identity provider: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent)
        sendHtml(res, 500, errorPage('出错了 · Something went wrong', (error as Error).message ?? String(error)));
      else res.end();
    });
  };

  return {
    issuer,
    url,
    users: options.users,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
