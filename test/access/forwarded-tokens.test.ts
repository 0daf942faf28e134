import type { JSONWebKeySet } from 'jose';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { decodeJwt, importJWK, SignJWT, type JWK } from 'jose';
import YAML from 'yaml';
import { FORWARDED_PUBLIC_HEADER, FORWARDED_TOKEN_SECONDS, Role, TokenVerifier } from '../../kernel/identity';
import { runScript } from '../support/cli';
import {
  describeWithHub,
  postGraphQL,
  TEST_SETTINGS,
  untilGatewayServes,
  type GraphQLResponse,
  type TestHub,
} from '../support/hub';
import { FED2 } from '../support/plain-subgraph';

const REGISTER =
  `mutation($input: SubgraphRegistrationInput!) { registryRegisterSubgraph(input: $input) { changed version { ` +
  `number } } }`;
const AUDIT = '{ jointAuditTrailPage(first: 1) { totalCount } }';

/**
 * A subgraph that keeps the Authorization header of every request it gets: what an attacker's
 * server does once the gateway sends it callers' requests (H2, "Ways in" 1).
 */
async function collector(): Promise<{ url: string; seen: string[]; publicSeen: string[]; stop(): Promise<void> }> {
  const seen: string[] = [];
  const publicSeen: string[] = [];
  const server = new ApolloServer<{ authorization: string | undefined }>({
    schema: buildSubgraphSchema({
      typeDefs: parse(`${FED2} type Query { collectorEcho: String }`),
      resolvers: { Query: { collectorEcho: () => 'echo' } },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      if (req.headers.authorization) seen.push(req.headers.authorization);
      const forwarded = req.headers[FORWARDED_PUBLIC_HEADER];
      if (typeof forwarded === 'string') publicSeen.push(forwarded);
      return { authorization: req.headers.authorization };
    },
  });
  return { url: `${url}graphql`, seen, publicSeen, stop: () => server.stop() };
}

const codeOf = (r: GraphQLResponse<unknown>) => r.errors?.[0]?.extensions?.code;

describeWithHub(
  'H2: no subgraph receives a token it can use elsewhere',
  (hub: () => TestHub) => {
    let spy: Awaited<ReturnType<typeof collector>>;

    beforeAll(async () => {
      spy = await collector();
      // Registered by a hub admin: a subgraph the gateway calls, which the test then lets misbehave.
      const r = await postGraphQL<{ registryRegisterSubgraph: { version: { number: number } } }>(
        hub().gateway.url,
        REGISTER,
        { input: { name: 'collector', url: spy.url } },
        await hub().token(Role.HUB_ADMIN),
      );
      expect(r.errors).toBeUndefined();
      await untilGatewayServes(hub().gateway, r.data!.registryRegisterSubgraph.version.number);
    });
    afterAll(async () => {
      await spy?.stop();
    });

    it(
      "H2: the gateway forwards a token for that subgraph alone, living a minute, never the caller's own; " +
        'replayed at the gateway or any other service it is refused',
      async () => {
        const admin = await hub().token(Role.HUB_ADMIN, null, 'hub-admin-h2');
        // Control: the hub admin's own token reads the audit trail.
        expect(
          (await hub().query<{ jointAuditTrailPage: { totalCount: number } }>(AUDIT, { token: admin })).data
            ?.jointAuditTrailPage.totalCount,
        ).toBeGreaterThanOrEqual(0);
        const r = await hub().query<{ collectorEcho: string }>('{ collectorEcho }', { token: admin });
        expect(r.data?.collectorEcho).toBe('echo');
        const captured = spy.seen.at(-1)!;
        expect(captured).toBeDefined();
        expect(captured).not.toContain(admin);
        const token = captured.replace(/^Bearer /, '');
        const claims = decodeJwt(token);
        expect(claims).toMatchObject({
          aud: `${TEST_SETTINGS.audience}:collector`,
          iss: `${TEST_SETTINGS.issuer}:gateway`,
          sub: 'hub-admin-h2',
          role: 'HUB_ADMIN',
        });
        expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(FORWARDED_TOKEN_SECONDS);

        // The captured token, replayed: the gateway, the joint service, the registry and a department refuse it.
        const atGateway = await hub().query(AUDIT, { token });
        expect(codeOf(atGateway)).toBe('UNAUTHENTICATED');
        expect(atGateway.errors![0]!.message).toContain('not meant for the gateway');
        const atJoint = await hub().query(AUDIT, { token, url: hub().joint.url });
        expect(codeOf(atJoint)).toBe('UNAUTHENTICATED');
        expect(atJoint.errors![0]!.message).toContain('not meant for the joint service');
        expect(
          codeOf(await hub().query('{ registrySubgraphs { name url } }', { token, url: hub().registry.url })),
        ).toBe('UNAUTHENTICATED');
        const market = hub().departments.find((d) => d.name === 'market')!;
        expect(codeOf(await hub().query('{ market { contractVersion } }', { token, url: market.url }))).toBe(
          'UNAUTHENTICATED',
        );
      },
    );

    it(
      "H2: a public caller's call comes without Authorization, with the gateway's header saying it is the " +
        "public's (so a service knows the gateway counted it), usable nowhere else",
      async () => {
        const [before, publicBefore] = [spy.seen.length, spy.publicSeen.length];
        expect((await hub().query<{ collectorEcho: string }>('{ collectorEcho }')).data?.collectorEcho).toBe('echo');
        expect(spy.seen.length).toBe(before);
        expect(spy.publicSeen.length).toBe(publicBefore + 1);
        const token = spy.publicSeen.at(-1)!;
        expect(decodeJwt(token)).toMatchObject({
          aud: `${TEST_SETTINGS.audience}:collector`,
          iss: `${TEST_SETTINGS.issuer}:gateway`,
          sub: 'anonymous',
          role: 'PUBLIC',
        });
        expect(codeOf(await hub().query('{ marketSearch(name: "公司", first: 1) { uscc } }', { token }))).toBe(
          'UNAUTHENTICATED',
        );
      },
    );

    it(
      'H2: a department admin may not move its registered subgraph to an address of its choice (a hub admin ' +
        'may); it may still check a schema at a staging address',
      async () => {
        const taxAdmin = await hub().token(Role.DEPT_ADMIN, 'tax');
        const listed = async () =>
          (
            await hub().query<{ registrySubgraphs: Array<{ name: string; url: string }> }>(
              '{ registrySubgraphs { name url } }',
              { token: taxAdmin },
            )
          ).data!.registrySubgraphs.find((s) => s.name === 'tax')!.url;
        const before = await listed();
        const head = await hub().registry.service.head();
        const moved = await hub().query(REGISTER, {
          variables: { input: { name: 'tax', code: 'tax', departmentName: '税务局', url: spy.url } },
          token: taxAdmin,
        });
        expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'url' });
        expect(moved.errors![0]!.message).toContain('a change a hub admin approves');
        expect(await hub().registry.service.head()).toBe(head);
        expect(await listed()).toBe(before);
        // A check changes nothing: it is answered with the problems of that schema (no department here), not refused.
        const checked = await hub().query<{ registryCheckSubgraph: { ok: boolean } }>(
          `mutation($input: SubgraphRegistrationInput!) { registryCheckSubgraph(input: $input) { ok problems { ` +
            `kind } } }`,
          {
            variables: { input: { name: 'tax', code: 'tax', departmentName: '税务局', url: spy.url } },
            token: taxAdmin,
          },
        );
        expect(checked.errors).toBeUndefined();
        expect(checked.data!.registryCheckSubgraph.ok).toBe(false);
      },
    );

    it('H2: every service accepts only tokens made for it', async () => {
      const tax = hub().departments.find((d) => d.name === 'tax')!;
      const forGateway = await hub().token(Role.AUDITOR);
      const refused = await hub().query('{ tax { contractVersion } }', { token: forGateway, url: tax.url });
      expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      expect(refused.errors![0]!.message).toContain('not meant for the tax service');
      expect(refused.errors![0]!.message).toContain('npm run token -- --for tax');
      const forTax = await hub().tokenFor('tax', Role.AUDITOR);
      expect(
        (
          await hub().query<{ tax: { contractVersion: string } }>('{ tax { contractVersion } }', {
            token: forTax,
            url: tax.url,
          })
        ).data?.tax.contractVersion,
      ).toBeTruthy();
      expect(
        codeOf(await hub().query(AUDIT, { token: await hub().tokenFor('tax', Role.HUB_ADMIN), url: hub().joint.url })),
      ).toBe('UNAUTHENTICATED');
      expect(codeOf(await hub().query(AUDIT, { token: await hub().tokenFor('joint', Role.HUB_ADMIN) }))).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        (await hub().query(AUDIT, { token: await hub().tokenFor('joint', Role.HUB_ADMIN), url: hub().joint.url }))
          .errors,
      ).toBeUndefined();
    });

    it(
      "H2: a key signs for its own issuer only: the gateway's key mints no hub token, the hub's key no call " +
        'forwarded by the gateway',
      async () => {
        const sign = async (privateJwk: JWK, issuer: string, audience: string, role: string) =>
          new SignJWT({ role })
            .setProtectedHeader({ alg: 'EdDSA', kid: privateJwk.kid! })
            .setSubject('mallory')
            .setIssuer(issuer)
            .setAudience(audience)
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(await importJWK(privateJwk, 'EdDSA'));
        // The gateway's key, as the hub: a hub admin's token for the gateway.
        const minted = await sign(hub().gatewayPrivateJwk, TEST_SETTINGS.issuer, TEST_SETTINGS.audience, 'HUB_ADMIN');
        const atGateway = await hub().query(AUDIT, { token: minted });
        expect(codeOf(atGateway)).toBe('UNAUTHENTICATED');
        expect(atGateway.errors![0]!.message).toContain('does not sign for its issuer');
        // The hub's key, as the gateway: a call the joint service would take as forwarded (not counted again).
        const posing = await sign(
          hub().privateJwk,
          `${TEST_SETTINGS.issuer}:gateway`,
          `${TEST_SETTINGS.audience}:joint`,
          'HUB_ADMIN',
        );
        expect(codeOf(await hub().query(AUDIT, { token: posing, url: hub().joint.url }))).toBe('UNAUTHENTICATED');
        // Each key for its own issuer is taken (the control).
        const forwarded = (
          await hub().gatewaySigner.forward(
            'joint',
            { subject: 'auditor-1', role: Role.AUDITOR, department: null },
            Math.floor(Date.now() / 1000) + 300,
          )
        ).token;
        expect((await hub().query(AUDIT, { token: forwarded, url: hub().joint.url })).errors).toBeUndefined();
      },
    );

    it(
      'H2: docker-compose.yml gives the registry its allowed hosts (every hub service among them) and the ' +
        'gateway a key of its own',
      () => {
        const compose = YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), {
          merge: true,
        }) as {
          services: Record<string, { environment?: Record<string, string>; volumes?: string[]; command?: string[] }>;
        };
        const registry = compose.services.registry!.environment!;
        const allowed = String(registry.JOINTCHECK_REGISTRY_ALLOWED_HOSTS).split(',');
        const hosts = String(registry.JOINTCHECK_SUBGRAPHS)
          .split(',')
          .map((pair) => new URL(pair.split('=')[1]!).hostname);
        expect(hosts.filter((h) => !allowed.includes(h))).toEqual([]);
        for (const gateway of ['gateway-1', 'gateway-2']) {
          expect(compose.services[gateway]!.environment!.JOINTCHECK_GATEWAY_PRIVATE_KEY).toBe('/keys/gateway.jwk.json');
          expect(compose.services[gateway]!.environment!.JOINTCHECK_JWT_PRIVATE_KEY).toBeUndefined();
        }
        // Each private key is mounted where it is used only: the gateway's into the gateway, the hub's into the joint
        // service.
        const mounts = Object.fromEntries(
          Object.entries(compose.services)
            .filter(([, s]) => s.command?.some((c) => c.startsWith('dist/')))
            .map(([name, s]) => [name, (s.volumes ?? []).map((v) => v.split(':')[0])]),
        );
        for (const [name, volumes] of Object.entries(mounts)) {
          if (name !== 'health-system')
            expect([name, volumes]).toEqual([name, expect.arrayContaining(['./keys/jwks.json'])]);
          // gateway-1, gateway-2: gateways; joint-1, joint-2: the joint service.
          const role = name.replace(/-\d+$/, '');
          expect([name, volumes.includes('./keys/gateway.jwk.json')]).toEqual([name, role === 'gateway']);
          expect([name, volumes.includes('./keys/private.jwk.json')]).toEqual([name, role === 'joint']);
          expect([name, volumes.includes('./keys')]).toEqual([name, false]);
        }
      },
    );
  },
  50,
);

describe('H2: the keys and tokens of the command line', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it(
    "H2: npm run keys makes the gateway's own key beside the hub's; npm run token --for makes a token that " +
      'service alone accepts',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-keys-'));
      dirs.push(dir);
      const made = await runScript('scripts/keys.ts', ['--out', dir]);
      expect(made.code).toBe(0);
      const jwks = JSON.parse(fs.readFileSync(path.join(dir, 'jwks.json'), 'utf8')) as {
        keys: Array<{ kid: string; d?: string }>;
      };
      const hubKey = JSON.parse(fs.readFileSync(path.join(dir, 'private.jwk.json'), 'utf8')) as { kid: string };
      const gatewayKey = JSON.parse(fs.readFileSync(path.join(dir, 'gateway.jwk.json'), 'utf8')) as { kid: string };
      expect(jwks.keys.map((k) => k.kid).sort()).toEqual([hubKey.kid, gatewayKey.kid].sort());
      expect(jwks.keys.filter((k) => k.d !== undefined)).toEqual([]);
      const env = {
        JOINTCHECK_JWT_PRIVATE_KEY: path.join(dir, 'private.jwk.json'),
        JOINTCHECK_JWT_ISSUER: TEST_SETTINGS.issuer,
        JOINTCHECK_JWT_AUDIENCE: TEST_SETTINGS.audience,
      };
      const forTax = await runScript('scripts/token.ts', ['--role', 'AUDITOR', '--for', 'tax'], env);
      expect(forTax).toMatchObject({ code: 0, stderr: '' });
      const verifier = new TokenVerifier(jwks as JSONWebKeySet, TEST_SETTINGS);
      expect((await verifier.forService('tax').identify(`Bearer ${forTax.stdout.trim()}`)).role).toBe('AUDITOR');
      await expect(verifier.identify(`Bearer ${forTax.stdout.trim()}`)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
      await expect(verifier.forService('joint').identify(`Bearer ${forTax.stdout.trim()}`)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
      const bad = await runScript('scripts/token.ts', ['--role', 'AUDITOR', '--for', 'Not A Service'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("is not a service's name");
    },
  );
});
