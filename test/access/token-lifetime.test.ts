import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { generateSigningKeys, Role, serviceAudience, TokenVerifier } from '../../kernel/identity';
import { runScript } from '../support/cli';
import { testDatabases } from '../support/databases';
import { HUB_SERVICES, startTestHub, TEST_SETTINGS, type TestHub } from '../support/hub';

/**
 * H2 ("What an attack on a running hub found"): a token without `exp` never expired, and one
 * signed for ten years was taken as readily as one for an hour. Every service now requires `exp`
 * and `iat` and refuses a lifetime above JOINTCHECK_JWT_MAX_LIFETIME (24 h by default), and
 * `npm run token` refuses to sign one.
 */
async function forge(
  privateJwk: JWK,
  claims: { iat?: number; exp?: number },
  audience = TEST_SETTINGS.audience,
): Promise<string> {
  const jwt = new SignJWT({ role: Role.DEPT_ADMIN, dept: 'tax' })
    .setProtectedHeader({ alg: 'EdDSA', kid: privateJwk.kid! })
    .setSubject('tax-admin')
    .setIssuer(TEST_SETTINGS.issuer)
    .setAudience(audience);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  return jwt.sign(await importJWK(privateJwk, 'EdDSA'));
}

const now = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;
const renew = 'get a new one (npm run token -- --role <role> --dept <code>).';

describe('H2: token lifetimes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it(
    'H2: npm run token refuses a lifetime above JOINTCHECK_JWT_MAX_LIFETIME, saying the limit, and signs one ' +
      'within it',
    async () => {
      const keys = await generateSigningKeys('hub-key');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-lifetime-'));
      dirs.push(dir);
      fs.mkdirSync(path.join(dir, 'keys'));
      fs.writeFileSync(path.join(dir, 'keys', 'private.jwk.json'), JSON.stringify(keys.privateJwk));
      const env = {
        JOINTCHECK_DATA_DIR: dir,
        JOINTCHECK_JWT_ISSUER: TEST_SETTINGS.issuer,
        JOINTCHECK_JWT_AUDIENCE: TEST_SETTINGS.audience,
      };
      const tooLong = await runScript('scripts/token.ts', ['--role', 'AUDITOR', '--expires', '3650d'], env);
      expect(tooLong.code).toBe(2);
      expect(tooLong.stdout).toBe('');
      expect(tooLong.stderr).toContain(
        'a token living 3650 d is longer than this hub accepts (24 h, JOINTCHECK_JWT_MAX_LIFETIME): give a ' +
          'shorter lifetime (--expires 8h)',
      );
      const lowered = await runScript('scripts/token.ts', ['--role', 'AUDITOR', '--expires', '2h'], {
        ...env,
        JOINTCHECK_JWT_MAX_LIFETIME: '1h',
      });
      expect(lowered.code).toBe(2);
      expect(lowered.stderr).toContain(
        'a token living 2 h is longer than this hub accepts (1 h, JOINTCHECK_JWT_MAX_LIFETIME)',
      );
      const verifier = new TokenVerifier(keys.jwks, TEST_SETTINGS);
      for (const args of [['--expires', '24h'], []]) {
        const run = await runScript('scripts/token.ts', ['--role', 'AUDITOR', ...args], env);
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect((await verifier.identify(`Bearer ${run.stdout.trim()}`)).role).toBe('AUDITOR');
      }
      // The default (8 h) shrinks to a lower maximum instead of failing.
      const short = await runScript('scripts/token.ts', ['--role', 'AUDITOR'], {
        ...env,
        JOINTCHECK_JWT_MAX_LIFETIME: '1h',
      });
      expect(short).toMatchObject({ code: 0, stderr: '' });
    },
  );

  describe.each(testDatabases())(
    'H2: the attack on a running hub, at the gateway and at a subgraph ($label)',
    (database) => {
      let hub: TestHub;
      beforeAll(async () => {
        hub = await startTestHub(database, 50);
      });
      afterAll(async () => {
        await hub?.stop();
        await database.drop(HUB_SERVICES);
      });

      const ask = async (url: string, token: string) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ tax { targets(first: 1) { nodes { id } } } }' }),
        });
        const body = (await response.json()) as {
          data?: unknown;
          errors?: Array<{ message: string; extensions: { code: string } }>;
        };
        return {
          status: response.status,
          errors: (body.errors ?? []).map((e) => ({ message: e.message, code: e.extensions.code })),
        };
      };
      /**
       * The same claims, as a token for the gateway and as one for the tax subgraph (each accepts only its own
       * audience): both answered alike.
       */
      const both = async (claims: { iat?: number; exp?: number }) => {
        const tax = hub.departments.find((d) => d.name === 'tax')!;
        const [atGateway, atSubgraph] = [
          await ask(hub.gateway.url, await forge(hub.privateJwk, claims)),
          await ask(tax.url, await forge(hub.privateJwk, claims, serviceAudience(TEST_SETTINGS.audience, 'tax'))),
        ];
        expect(atSubgraph).toEqual(atGateway);
        return atGateway;
      };

      it(
        "H2: a token signed with the hub's key but without exp is refused with UNAUTHENTICATED (401), saying " +
          'it has no expiry',
        async () => {
          expect(await both({ iat: now() })).toEqual({
            status: 401,
            errors: [
              {
                code: 'UNAUTHENTICATED',
                message:
                  `The token has no expiry (exp): this hub accepts only tokens that say when they were issued and ` +
                  `expire within 24 h (JOINTCHECK_JWT_MAX_LIFETIME); ${renew}`,
              },
            ],
          });
        },
      );

      it('H2: a token without iat is refused: its lifetime cannot be told', async () => {
        expect((await both({ exp: now() + HOUR })).errors).toEqual([
          {
            code: 'UNAUTHENTICATED',
            message:
              `The token has no issue time (iat): this hub accepts only tokens that say when they were issued ` +
              `and expire within 24 h (JOINTCHECK_JWT_MAX_LIFETIME); ${renew}`,
          },
        ]);
      });

      it(
        'H2: a token signed for ten years, or issued "in the future" to look short, is refused naming its ' +
          'lifetime and the limit',
        async () => {
          expect(await both({ iat: now(), exp: now() + 3650 * 24 * HOUR })).toEqual({
            status: 401,
            errors: [
              {
                code: 'UNAUTHENTICATED',
                message:
                  `The token lives 3650 d, longer than this hub accepts (24 h, JOINTCHECK_JWT_MAX_LIFETIME): ` +
                  `${renew}`,
              },
            ],
          });
          const future = await both({ iat: now() + 3649 * 24 * HOUR, exp: now() + 3650 * 24 * HOUR });
          expect(future.errors).toEqual([
            {
              code: 'UNAUTHENTICATED',
              message:
                `The token lives 3650 d, longer than this hub accepts (24 h, JOINTCHECK_JWT_MAX_LIFETIME): ` +
                `${renew}`,
            },
          ]);
        },
      );

      it("H2: a token within the limit is taken, at 24 h as at one hour, and so are the hub's own", async () => {
        for (const lifetime of [HOUR, 24 * HOUR])
          expect(await both({ iat: now(), exp: now() + lifetime })).toEqual({ status: 200, errors: [] });
        const tax = hub.departments.find((d) => d.name === 'tax')!;
        expect(await ask(hub.gateway.url, await hub.token(Role.DEPT_ADMIN, 'tax'))).toEqual({
          status: 200,
          errors: [],
        });
        expect(await ask(tax.url, await hub.tokenFor('tax', Role.DEPT_ADMIN, 'tax'))).toEqual({
          status: 200,
          errors: [],
        });
      });
    },
  );
});
