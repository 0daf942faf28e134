import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../kernel/config';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { generateSigningKeys, Role, TokenIssuer } from '../../kernel/identity';
import { loadVerifier } from '../../kernel/keys';
import { createLogger } from '../../kernel/log';
import { tax } from '../../subgraphs/tax';
import { testDatabases } from '../support/databases';
import { postGraphQL, TEST_SETTINGS } from '../support/hub';

const ROSTER = '{ tax { targets(first: 1) { nodes { id } } } }';

/** Keys are rotated by editing the public key file: a running service follows without a restart. */
describe.each(testDatabases().slice(0, 1))('R30: signing keys rotate without downtime ($label)', (database) => {
  let department: RunningDepartment;
  let file: string;
  const problems: string[] = [];

  afterAll(async () => {
    if (file) fs.unwatchFile(file);
    await department?.stop();
    await database.drop(['tax']);
  });

  it(
    'a new key is accepted once added to the file, an old one refused once removed, with the service running ' +
      'throughout',
    async () => {
      const [a, b] = [await generateSigningKeys('key-a'), await generateSigningKeys('key-b')];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-keys-'));
      file = path.join(dir, 'jwks.json');
      fs.writeFileSync(file, JSON.stringify(a.jwks));
      const config = loadConfig({
        ...database.env,
        JOINTCHECK_PORT: '0',
        JOINTCHECK_LOG_LEVEL: 'silent',
        JOINTCHECK_DEV_KEYS: 'false',
        JOINTCHECK_DEMO_TARGETS: '50',
        JOINTCHECK_JWT_PUBLIC_KEYS: file,
        JOINTCHECK_JWT_ISSUER: TEST_SETTINGS.issuer,
        JOINTCHECK_JWT_AUDIENCE: TEST_SETTINGS.audience,
      });
      const verifier = await loadVerifier(config, (m) => problems.push(m));
      department = await startDepartment(tax, config, { verifier, logger: createLogger('silent', 'tax'), port: 0 });
      const signer = async (keys: typeof a) =>
        (await TokenIssuer.fromJwk(keys.privateJwk, TEST_SETTINGS)).issueFor('tax', {
          subject: 'tax-admin',
          role: Role.DEPT_ADMIN,
          department: 'tax',
        });
      const [tokenA, tokenB] = [await signer(a), await signer(b)];
      const ask = async (token: string) =>
        (await postGraphQL<{ tax: unknown }>(department.url, ROSTER, {}, token)).errors?.[0]?.extensions?.code ?? 'OK';
      const until = async (token: string, want: string) => {
        const deadline = Date.now() + 15_000;
        let got = await ask(token);
        while (got !== want && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          got = await ask(token);
        }
        return got;
      };

      expect(await ask(tokenA)).toBe('OK');
      expect(await ask(tokenB)).toBe('UNAUTHENTICATED');
      // Step 1: add the new public key next to the old one.
      fs.writeFileSync(file, JSON.stringify({ keys: [...a.jwks.keys, ...b.jwks.keys] }));
      expect(await until(tokenB, 'OK')).toBe('OK');
      expect(await ask(tokenA)).toBe('OK');
      // A broken file is ignored: the keys in use are kept.
      fs.writeFileSync(file, '{ not json');
      const deadline = Date.now() + 15_000;
      while (problems.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(problems[0]).toContain('cannot be used');
      expect(await ask(tokenA)).toBe('OK');
      expect(await ask(tokenB)).toBe('OK');
      // Step 2: remove the old key once its tokens have expired.
      fs.writeFileSync(file, JSON.stringify(b.jwks));
      expect(await until(tokenA, 'UNAUTHENTICATED')).toBe('UNAUTHENTICATED');
      expect(await ask(tokenB)).toBe('OK');
    },
  );
});
