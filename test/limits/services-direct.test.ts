import { market } from '../../subgraphs/market';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { importJWK, SignJWT } from 'jose';
import { FORWARDED_PUBLIC_HEADER, PUBLIC_IDENTITY, Role, serviceAudience } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { describeWithHub, TEST_SETTINGS, type TestHub } from '../support/hub';
import { expectRefusedAfter } from '../support/rate-limit';

interface Answer {
  status: number;
  contentType: string;
  text: string;
  headers: Headers;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(url: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Answer['body'] = {};
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    // Left empty: the assertions on the content type and the text say what came back.
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text,
    headers: response.headers,
    body: parsed,
  };
}

/** Nothing of the machine leaks: no HTML page, no stack line, no path of this checkout. */
function expectNoLeak(answer: Answer): void {
  expect(answer.contentType).toMatch(/application\/json/);
  expect(answer.text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
  expect(answer.text).not.toMatch(/\bat \S+ \(|\n\s+at /);
  expect(answer.text).not.toContain(process.cwd());
  expect(answer.text).not.toContain('/work');
  expect(answer.text).not.toContain('node_modules');
}

/** A token for a direct call to one service: services accept only tokens made for them (their audience). */
function tokenFor(
  hub: TestHub,
  service: string,
  role: Role,
  department: string | null = null,
  subject = `h2-${role.toLowerCase()}`,
): Promise<string> {
  return hub.issuer.issueFor(service, { subject, role, department });
}

describeWithHub('H2: services called directly answer as the gateway does', (hub) => {
  const services = () => {
    const marketService = hub().departments.find((d) => d.name === 'market')!;
    const tax = hub().departments.find((d) => d.name === 'tax')!;
    return [
      ['market', marketService.url],
      ['tax', tax.url],
      ['joint', hub().joint.url],
      ['registry', hub().registry.url],
    ] as const;
  };

  it(
    'H2: a body that is not JSON is a coded 400 JSON answer (no HTML page, no stack trace, no path) at every ' +
      'service',
    async () => {
      for (const [name, url] of services()) {
        const broken = await post(url, '{"query": ');
        expect({ name, status: broken.status }).toEqual({ name, status: 400 });
        expectNoLeak(broken);
        expect(broken.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(broken.body.errors?.[0]?.message).toBe('The request body is not valid JSON.');
      }
    },
  );

  it('H2: a body over the cap is a coded 413 JSON answer naming the limit at every service', async () => {
    const limit = hub().config.limits.maxBodyBytes;
    for (const [name, url] of services()) {
      const big = await post(url, { query: '{ __typename }', variables: { padding: 'x'.repeat(limit + 10) } });
      expect({ name, status: big.status }).toEqual({ name, status: 413 });
      expectNoLeak(big);
      expect(big.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit } });
    }
  });

  it('H2: anything else reaching the last handler (an unsupported charset) is coded JSON too', async () => {
    for (const [name, url] of services()) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=klingon' },
        body: '{}',
      });
      const answer: Answer = {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
        headers: response.headers,
        body: {},
      };
      answer.body = JSON.parse(answer.text) as Answer['body'];
      expect({ name, status: answer.status }).toEqual({ name, status: 415 });
      expectNoLeak(answer);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it(
    'H2: 400 aliases of marketSearch(first: 100) sent straight to market are refused ' +
      '(GRAPHQL_VALIDATION_FAILED naming the limit), as at the gateway',
    async () => {
      const [, marketUrl] = services()[0];
      const aliases = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `a${i}: marketSearch(name: "公司", first: 100) { uscc }`).join(' ')} }`;
      // 400 aliases are over the token limit as well, which is counted first; 31 are within it.
      for (const [query, message] of [
        [aliases(400), /token limit of 5000/i],
        [aliases(31), /aliases limit of 30/i],
      ] as const) {
        const answers = [];
        for (const url of [marketUrl, hub().gateway.url]) {
          const answer = await post(url, { query });
          expect(answer.status).toBe(400);
          expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
          expect(answer.body.errors?.[0]?.message).toMatch(message);
          expect(answer.text.length).toBeLessThan(10_000);
          answers.push(answer.body);
        }
        expect(answers[0]).toEqual(answers[1]);
      }
    },
  );

  it('H2: the depth limit holds at a service too', async () => {
    const [, marketUrl] = services()[0];
    const limit = hub().config.limits.maxDepth;
    const deep = `{ marketSearch(name: "公司") { ${'market { '.repeat(limit)} riskLevel ${'} '.repeat(limit)} } }`;
    const answer = await post(marketUrl, { query: deep });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0]?.message).toMatch(new RegExp(`depth limit of ${limit}`, 'i'));
  });

  describe('H2: mutations sent straight to a service are rate-limited', () => {
    let limited: RunningDepartment;
    beforeAll(async () => {
      // Its own market service with a low limit (the test hub's is set very high), on the hub's database.
      limited = await startDepartment(
        market,
        {
          ...hub().config,
          demo: { ...hub().config.demo, enabled: false },
          limits: { ...hub().config.limits, mutationsPerMinute: 3 },
        },
        { verifier: hub().verifier.forService('market'), logger: createLogger('silent', 'market'), port: 0 },
      );
    });
    afterAll(async () => {
      // The database belongs to the hub's market service: close only the server and this connection.
      await limited?.stop();
    });

    const mutation = {
      query: 'mutation { marketRepealChecklistItem(code: "MKT-NOSUCH", reason: "H2 test") { code } }',
    };

    it('H2: over the limit an anonymous caller gets RATE_LIMITED (429, when to retry); queries go on', async () => {
      const answers: Answer[] = [];
      for (let i = 0; i < 4; i++) answers.push(await post(limited.url, mutation));
      expectRefusedAfter(answers, 3);
      const query = await post(limited.url, { query: '{ marketSearch(name: "公司", first: 1) { uscc } }' });
      expect(query.body.errors).toBeUndefined();
    });

    it(
      'H2: a signed-in caller is counted by identity; the hub services (the joint service writing results ' +
        'back) are never counted',
      async () => {
        const admin = await tokenFor(hub(), 'market', Role.DEPT_ADMIN, 'market');
        const answers: Answer[] = [];
        for (let i = 0; i < 4; i++) answers.push(await post(limited.url, mutation, admin));
        expect(answers.map((a) => a.body.errors?.[0]?.extensions?.code)).toEqual([
          'NOT_FOUND',
          'NOT_FOUND',
          'NOT_FOUND',
          'RATE_LIMITED',
        ]);
        const service = await tokenFor(hub(), 'market', Role.SERVICE);
        for (let i = 0; i < 10; i++) {
          const answer = await post(limited.url, mutation, service);
          expect(answer.body.errors?.[0]?.extensions?.code).not.toBe('RATE_LIMITED');
        }
      },
    );

    it(
      'H2: what the gateway forwards is not counted again (the gateway counted each caller, anonymous ones by ' +
        'their own address)',
      async () => {
        // Every anonymous caller behind the gateway reaches the service from the gateway's address: counted
        // there, they would share one bucket. The gateway signs their calls (role PUBLIC, from its issuer only).
        const forwardedPublic = (await hub().gatewaySigner.forward('market', PUBLIC_IDENTITY, null)).token;
        const forwardedAdmin = (
          await hub().gatewaySigner.forward(
            'market',
            { subject: 'market-admin-2', role: Role.DEPT_ADMIN, department: 'market' },
            Math.floor(Date.now() / 1000) + 600,
          )
        ).token;
        for (const [token, headers] of [
          [undefined, { [FORWARDED_PUBLIC_HEADER]: forwardedPublic }],
          [forwardedAdmin, {}],
        ] as const) {
          const codes: unknown[] = [];
          for (let i = 0; i < 6; i++)
            codes.push((await post(limited.url, mutation, token, headers)).body.errors?.[0]?.extensions?.code);
          expect(codes.filter((c) => c === 'RATE_LIMITED')).toEqual([]);
          expect(codes[0]).toBe(token ? 'NOT_FOUND' : 'UNAUTHENTICATED');
        }
        // That header carries the public only: a signed-in identity in it is refused.
        expect(
          (await post(limited.url, mutation, undefined, { [FORWARDED_PUBLIC_HEADER]: forwardedAdmin })).body.errors?.[0]
            ?.extensions?.code,
        ).toBe('UNAUTHENTICATED');
        // The role PUBLIC is taken from the gateway's issuer only: one under the hub's issuer is refused, so
        // a direct caller cannot pass as forwarded.
        const hubPublic = await new SignJWT({ role: Role.PUBLIC })
          .setProtectedHeader({ alg: 'EdDSA', kid: hub().privateJwk.kid! })
          .setSubject('anonymous')
          .setIssuer(TEST_SETTINGS.issuer)
          .setAudience(serviceAudience(TEST_SETTINGS.audience, 'market'))
          .setIssuedAt()
          .setExpirationTime('1m')
          .sign(await importJWK(hub().privateJwk, 'EdDSA'));
        expect((await post(limited.url, mutation, hubPublic)).body.errors?.[0]?.extensions?.code).toBe(
          'UNAUTHENTICATED',
        );
      },
    );
  });
});
