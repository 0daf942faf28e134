import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSigningKeys, Role, TokenIssuer, TokenVerifier } from '../../kernel/identity';
import { runScript } from '../support/cli';
import { testDatabases } from '../support/databases';
import { HUB_SERVICES, startTestHub, TEST_SETTINGS, type TestHub } from '../support/hub';

/**
 * Tokens signed by a key the hub does not know (H1 point 7): `npm run token` never makes keys (a
 * new pair signs tokens the hub refuses), and such a token is refused saying that its key is
 * unknown to the hub, the same at the gateway as at a subgraph called directly (R30).
 */
describe("signing keys: tokens only of the hub's key", () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-keys-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it(
    "npm run token without the hub's key exits 1 with one message saying where it looked and how to fix it, " +
      'and makes no key',
    async () => {
      const dir = freshDir();
      const run = await runScript('scripts/token.ts', ['--role', 'AUDITOR'], { JOINTCHECK_DATA_DIR: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `No private key to sign tokens with at ${path.join(dir, 'keys', 'private.jwk.json')}.`,
      );
      expect(lines[0]).toMatch(
        /run the command with the hub's JOINTCHECK_DATA_DIR .*or set JOINTCHECK_JWT_PRIVATE_KEY to the hub's private key file, or start the hub first/,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );

  it("npm run token signs with the key it finds in the hub's data dir, or at JOINTCHECK_JWT_PRIVATE_KEY", async () => {
    const keys = await generateSigningKeys('hub-key');
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, 'keys'));
    const privateKey = path.join(dir, 'keys', 'private.jwk.json');
    fs.writeFileSync(privateKey, JSON.stringify(keys.privateJwk));
    const settings = { JOINTCHECK_JWT_ISSUER: TEST_SETTINGS.issuer, JOINTCHECK_JWT_AUDIENCE: TEST_SETTINGS.audience };
    const verifier = new TokenVerifier(keys.jwks, TEST_SETTINGS);
    const places: Array<Record<string, string>> = [
      { JOINTCHECK_DATA_DIR: dir },
      { JOINTCHECK_DATA_DIR: freshDir(), JOINTCHECK_JWT_PRIVATE_KEY: privateKey },
    ];
    for (const env of places) {
      const run = await runScript('scripts/token.ts', ['--role', 'COORDINATOR', '--dept', 'tax'], {
        ...env,
        ...settings,
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(await verifier.identify(`Bearer ${run.stdout.trim()}`)).toEqual({
        subject: 'demo-coordinator-tax',
        role: Role.COORDINATOR,
        department: 'tax',
      });
    }
    // The public key set was not written beside it: the command made nothing.
    expect(fs.readdirSync(path.join(dir, 'keys'))).toEqual(['private.jwk.json']);
  });

  describe.each(testDatabases().slice(0, 1))(
    'a token of another key, at the gateway and at a subgraph ($label)',
    (database) => {
      let hub: TestHub;
      beforeAll(async () => {
        hub = await startTestHub(database, 50);
      });
      afterAll(async () => {
        await hub?.stop();
        await database.drop(HUB_SERVICES);
      });

      it(
        'R30: is refused with UNAUTHENTICATED (HTTP 401) saying its key id is unknown to this hub and how to ' +
          "sign with the hub's key, the same at both",
        async () => {
          const stranger = await TokenIssuer.fromJwk(
            (await generateSigningKeys('made-elsewhere')).privateJwk,
            TEST_SETTINGS,
          );
          const token = await stranger.issue({ subject: 'tax-admin', role: Role.DEPT_ADMIN, department: 'tax' });
          const ask = async (url: string) => {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ query: '{ tax { targets(first: 1) { nodes { id } } } }' }),
            });
            const body = (await response.json()) as {
              data?: unknown;
              errors: Array<{ message: string; extensions: { code: string } }>;
            };
            return {
              status: response.status,
              data: body.data ?? null,
              errors: body.errors.map((e) => ({ message: e.message, code: e.extensions.code })),
            };
          };
          const tax = hub.departments.find((d) => d.name === 'tax')!;
          const [atGateway, atSubgraph] = [await ask(hub.gateway.url), await ask(tax.url)];
          expect(atGateway).toEqual({
            status: 401,
            data: null,
            errors: [
              {
                code: 'UNAUTHENTICATED',
                message:
                  "The token is signed with key id 'made-elsewhere', which is unknown to this hub (not in its " +
                  "public key set, JOINTCHECK_JWT_PUBLIC_KEYS): sign it with the hub's key, i.e. run npm run " +
                  "token with the hub's JOINTCHECK_DATA_DIR or its JOINTCHECK_JWT_PRIVATE_KEY.",
              },
            ],
          });
          expect(atSubgraph).toEqual(atGateway);
        },
      );
    },
  );
});
