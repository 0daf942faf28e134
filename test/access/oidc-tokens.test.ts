import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { Role } from '../../kernel/identity';
import { describeWithHub, type GraphQLResponse } from '../support/hub';

/**
 * Issue I: the gateway takes an OpenID Connect provider's access tokens (the province's unified
 * identity platform) beside the hub's own, verified by the provider's published keys (discovery,
 * then JWKS), with the role and the department read from the claims the settings name. The
 * provider here is a stand-in on real HTTP that publishes a discovery document and a key set and
 * signs tokens as a provider would; the development provider itself is tested in test/idp/.
 */
interface Provider {
  issuer: string;
  sign(
    claims: Record<string, unknown>,
    options?: {
      audience?: string;
      issuer?: string;
      lifetimeSeconds?: number;
      issuedAgoSeconds?: number;
      key?: CryptoKey;
      kid?: string;
      typ?: string | null;
      alg?: string;
    },
  ): Promise<string>;
  stop(): Promise<void>;
}

async function standInProvider(): Promise<Provider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  let issuer = '';
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration')
      return void res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
        }),
      );
    if (req.url === '/jwks') return void res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    sign: async (claims, options = {}) => {
      const now = Math.floor(Date.now() / 1000) - (options.issuedAgoSeconds ?? 0);
      return new SignJWT(claims)
        .setProtectedHeader({
          alg: 'ES256',
          kid: options.kid ?? 'idp-1',
          ...(options.typ === null ? {} : { typ: options.typ ?? 'at+jwt' }),
        })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? 'urn:jointcheck')
        .setSubject(String(claims.sub ?? 'li.na'))
        .setIssuedAt(now)
        .setExpirationTime(now + (options.lifetimeSeconds ?? 3600))
        .sign(options.key ?? privateKey);
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const AUDIT = '{ jointAuditTrailPage(first: 1) { totalCount } }';
const codeOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions?.code;

let provider: Provider;
beforeAll(async () => {
  provider = await standInProvider();
});
afterAll(async () => {
  await provider?.stop();
});

describeWithHub(
  "I: officials' sign-in tokens from the identity provider",
  (hub) => {
    it(
      "I: an official's access token from the provider is taken by the gateway, the role and department read " +
        "from the claims the settings name, and the caller's identity reaches the subgraphs",
      async () => {
        const auditor = await provider.sign({ sub: 'auditor.wang', 'gov:role': Role.AUDITOR });
        const answer = await hub().query<{ jointAuditTrailPage: { totalCount: number } }>(AUDIT, { token: auditor });
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.jointAuditTrailPage.totalCount).toBeGreaterThanOrEqual(0);
        // A department role: the tax admin reads the tax roster (a subgraph enforcing R30 on the forwarded identity).
        const taxAdmin = await provider.sign({ sub: 'tax.admin', 'gov:role': Role.DEPT_ADMIN, 'gov:dept': 'tax' });
        const roster = await hub().query<{ tax: { targets: { nodes: unknown[] } } }>(
          '{ tax { targets(first: 1) { nodes { id } } } }',
          { token: taxAdmin },
        );
        expect(roster.errors).toBeUndefined();
        expect(roster.data!.tax.targets.nodes).toHaveLength(1);
        const fireAdmin = await provider.sign({ sub: 'fire.admin', 'gov:role': Role.DEPT_ADMIN, 'gov:dept': 'fire' });
        expect(codeOf(await hub().query('{ tax { targets(first: 1) { nodes { id } } } }', { token: fireAdmin }))).toBe(
          'FORBIDDEN',
        );
      },
    );

    it(
      'I: a token from another issuer, an expired one, one for another audience and one signed by a key the ' +
        'provider does not publish are refused (UNAUTHENTICATED, 401)',
      async () => {
        const ask = async (token: string) => {
          const response = await fetch(hub().gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: AUDIT }),
          });
          const body = (await response.json()) as GraphQLResponse<unknown>;
          return { status: response.status, code: codeOf(body), message: body.errors?.[0]?.message ?? '' };
        };
        const claims = { sub: 'auditor.wang', 'gov:role': Role.AUDITOR };
        expect(await ask(await provider.sign(claims, { issuer: 'https://idp.elsewhere.example' }))).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        expect(await ask(await provider.sign(claims, { issuedAgoSeconds: 7200, lifetimeSeconds: 3600 }))).toMatchObject(
          {
            status: 401,
            code: 'UNAUTHENTICATED',
            message: expect.stringContaining('expired'),
          },
        );
        expect(await ask(await provider.sign(claims, { audience: 'urn:another-system' }))).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
          message: expect.stringContaining('not for this hub'),
        });
        const { privateKey: stranger } = await generateKeyPair('ES256');
        expect(await ask(await provider.sign(claims, { key: stranger }))).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        expect(await ask(await provider.sign(claims, { key: stranger, kid: 'idp-unknown' }))).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        // The provider's ID token (for the page: its audience is the client, it carries a nonce), or a token without
        // the
        // access token type.
        expect(
          await ask(await provider.sign({ ...claims, nonce: 'n-1' }, { audience: 'jointcheck-web', typ: null })),
        ).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
        expect(
          await ask(await provider.sign({ ...claims, nonce: 'n-1' }, { audience: 'urn:jointcheck' })),
        ).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringContaining('ID token') });
        expect(await ask(await provider.sign(claims, { typ: 'JWT' }))).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
          message: expect.stringContaining('not an access token'),
        });
        // Longer than the hub accepts (JOINTCHECK_JWT_MAX_LIFETIME, 24 h).
        expect(await ask(await provider.sign(claims, { lifetimeSeconds: 30 * 86_400 }))).toMatchObject({
          status: 401,
          code: 'UNAUTHENTICATED',
          message: expect.stringContaining('longer than this hub accepts'),
        });
      },
    );

    it(
      'I: a sign-in that gives no role in the hub is FORBIDDEN saying which claims were read; a person is ' +
        'never a SERVICE',
      async () => {
        const ask = async (claims: Record<string, unknown>) =>
          hub().query(AUDIT, { token: await provider.sign(claims) });
        const none = await ask({ sub: 'visitor' });
        expect(codeOf(none)).toBe('FORBIDDEN');
        expect(none.errors![0]!.message).toContain('gov:role');
        expect(codeOf(await ask({ sub: 'robot', 'gov:role': Role.SERVICE }))).toBe('FORBIDDEN');
        // a department role without its department
        expect(codeOf(await ask({ sub: 'coordinator', 'gov:role': Role.COORDINATOR }))).toBe('FORBIDDEN');
        // The default claim names are not read when the settings name others.
        expect(codeOf(await ask({ sub: 'auditor', jointcheck_role: Role.AUDITOR }))).toBe('FORBIDDEN');
      },
    );

    it(
      'I: the page learns where to sign in from /auth/config.json: the provider, its client id, the resource ' +
        'to ask for and the claims to read',
      async () => {
        const config = await (await fetch(hub().gateway.url.replace(/\/graphql$/, '/auth/config.json'))).json();
        expect(config).toEqual({
          issuer: provider.issuer,
          clientId: 'jointcheck-web',
          resource: 'urn:jointcheck',
          scope: 'openid profile',
          roleClaim: 'gov:role',
          deptClaim: 'gov:dept',
        });
      },
    );

    it(
      "I: the hub's own tokens are still taken beside the " + "provider's (services, scripts, the command line)",
      async () => {
        expect((await hub().query(AUDIT, { token: await hub().token(Role.AUDITOR) })).errors).toBeUndefined();
      },
    );
  },
  200,
  undefined,
  // The provider starts before the hub (the outer beforeAll): its address is read when the hub starts.
  {
    env: {
      get JOINTCHECK_OIDC_ISSUER() {
        return provider.issuer;
      },
      JOINTCHECK_OIDC_ROLE_CLAIM: 'gov:role',
      JOINTCHECK_OIDC_DEPT_CLAIM: 'gov:dept',
    } as Record<string, string>,
  },
);
