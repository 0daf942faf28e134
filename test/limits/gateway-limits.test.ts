import { startGateway, type GatewayHandle } from '../../gateway';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { describeWithHub, type TestHub } from '../support/hub';
import { expectRefusedAfter } from '../support/rate-limit';

/** A GraphQL answer as these tests read it. */
type GraphQLAnswer = { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

async function gatewayWith(hub: TestHub, limits: Partial<TestHub['config']['limits']>): Promise<GatewayHandle> {
  return startGateway({
    supergraph: {
      kind: 'registry',
      db: hub.config.db,
      cacheFile: `${hub.config.dataDir}/gateway-limits-${Math.random().toString(36).slice(2)}.json`,
      pollMs: 1000,
      startupWaitMs: 0,
    },
    verifier: hub.verifier,
    signer: hub.gatewaySigner,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('silent', 'gateway'),
    limits: { ...hub.config.limits, ...limits },
    webDir: hub.config.webDir,
  });
}

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{
  status: number;
  headers: Headers;
  body: GraphQLAnswer;
}> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLAnswer };
}

/** Requests the subgraphs have served so far: a refused operation must not add any. */
const subgraphRequests = (hub: TestHub) =>
  hub.departments.reduce((n, d) => n + d.stats.requests, hub.joint.stats.requests);

describeWithHub('operation limits at the gateway', (hub) => {
  let limited: GatewayHandle;
  let production: GatewayHandle;
  beforeAll(async () => {
    limited = await gatewayWith(hub(), { maxBodyBytes: 4096, mutationsPerMinute: 3 });
    production = await gatewayWith(hub(), { production: true });
  });
  afterAll(async () => {
    await limited?.stop();
    await production?.stop();
  });

  it.each([
    [
      'depth',
      { maxDepth: 3 },
      `{ marketEntity(uscc: "91310110123456788P") { tax { applicableItems { code } } } }`,
      /depth limit of 3/i,
    ],
    [
      'aliases',
      { maxAliases: 3 },
      `{ a: marketSearch(name: "a") { uscc } b: marketSearch(name: "b") { uscc } c: marketSearch(name: "c") { ` +
        `uscc } d: marketSearch(name: "d") { uscc } }`,
      /aliases limit of 3/i,
    ],
    ['tokens', { maxTokens: 300 }, `{ marketSearch(name: "公司") { ${'uscc '.repeat(300)} } }`, /token limit of 300/i],
    [
      'directives',
      { maxDirectives: 3 },
      `{ marketSearch(name: "公司") { uscc @include(if: true) name @include(if: true) kind @skip(if: false) ` +
        `regionCode @include(if: true) } }`,
      /directives limit of 3/i,
    ],
    [
      'cost',
      { maxCost: 400 },
      `{ marketSearch(name: "公司", first: 20) { uscc name market { riskLevel creditLevel applicableItems { ` +
        `code title basis } } tax { riskLevel applicableItems { code title basis } } fire { riskLevel ` +
        `applicableItems { code title basis } } } }`,
      /cost limit of 400/i,
    ],
  ] as const)(
    'an operation over the %s limit is refused (400) before any subgraph is called; under the default limits ' +
      'it is served',
    async (_limit, limits, query, message) => {
      const gateway = await gatewayWith(hub(), limits);
      try {
        const before = subgraphRequests(hub());
        const answer = await post(gateway.url, { query });
        expect(answer.status).toBe(400);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(answer.body.errors?.[0]?.message).toMatch(message);
        expect(subgraphRequests(hub())).toBe(before);
      } finally {
        await gateway.stop();
      }
      const served = await post(hub().gateway.url, { query }, await hub().token(Role.AUDITOR));
      expect(served.status).toBe(200);
      expect(served.body.errors ?? []).toEqual([]);
    },
  );

  it(
    'a request body over the cap is refused with a coded ' + 'GraphQL error (413), and so is a body that is not JSON',
    async () => {
      const big = await post(limited.url, {
        query: '{ marketSearch(name: "x") { uscc } }',
        variables: { padding: 'x'.repeat(5000) },
      });
      expect(big.status).toBe(413);
      expect(big.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 4096 } });
      expect(big.body.errors?.[0]?.message).toContain('larger than the 4096 bytes allowed');
      const broken = await post(limited.url, '{"query": ');
      expect(broken.status).toBe(400);
      expect(broken.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    },
  );

  it('batched requests are refused (one operation per request, so the limits count what runs)', async () => {
    const batch = await post(limited.url, [
      { query: '{ marketSearch(name: "x") { uscc } }' },
      { query: '{ marketSearch(name: "y") { uscc } }' },
    ]);
    expect(batch.status).toBe(400);
  });

  it(
    'in production, anonymous callers get no introspection ' + 'and no field suggestions; signed-in callers do',
    async () => {
      const anonymous = await post(production.url, { query: '{ __schema { queryType { name } } }' });
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const typeQuery = await post(production.url, { query: '{ __type(name: "Plan") { name } }' });
      expect(typeQuery.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const signedIn = await post(
        production.url,
        { query: '{ __schema { queryType { name } } }' },
        await hub().token(Role.DEPT_ADMIN, 'tax'),
      );
      expect(signedIn.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const typo = '{ marketSerch(name: "x") { uscc } }';
      const hidden = await post(production.url, { query: typo });
      expect(hidden.body.errors?.[0]?.message).toBe('Cannot query field "marketSerch" on type "Query".');
      const shown = await post(production.url, { query: typo }, await hub().token(Role.AUDITOR));
      expect(shown.body.errors?.[0]?.message).toMatch(/Did you mean "marketSearch"/);
      // In development (the quick start) anonymous callers may introspect.
      const development = await post(hub().gateway.url, { query: '{ __schema { queryType { name } } }' });
      expect(development.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    },
  );

  it('mutations are rate-limited per caller (429 with when to retry); queries and other callers are not', async () => {
    const mutation = { query: 'mutation { jointRateVisit(code: "JC-NOSUCHCODE", rating: 5) }' };
    const first = await hub().token(Role.INSPECTOR, 'tax', 'inspector-rate-1');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await post(limited.url, mutation, first));
    expectRefusedAfter(answers, 3);
    // Another caller, and queries by the same one, go on.
    const other = await post(limited.url, mutation, await hub().token(Role.INSPECTOR, 'tax', 'inspector-rate-2'));
    expect(other.body.errors?.[0]?.extensions?.code).not.toBe('RATE_LIMITED');
    const query = await post(limited.url, { query: '{ marketSearch(name: "公司", first: 1) { uscc } }' }, first);
    expect(query.body.errors).toBeUndefined();
  });
});
