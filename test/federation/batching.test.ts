import { Role } from '../../subgraphs/kernel/identity';
import { testDatabases } from '../support/databases';
import { DEPARTMENT_CODES, startTestHub, type TestHub } from '../support/hub';

/** Every department's view of each target, with each department's own fields and applicable items. */
const QUERY = `query Targets($usccs: [String!]!) {
  marketEntities(usccs: $usccs) {
    uscc name kind status onAbnormalList
    market { onRoster creditLevel riskLevel penaltiesLast3Years applicableItems { code version basis } }
    tax { onRoster creditLevel riskLevel creditRating { rating year } applicableItems { code } }
    environment { onRoster riskLevel dischargePermit { permitNo managementClass } applicableItems { code } }
    housing { onRoster riskLevel qualifications { category grade } projects { id name } applicableItems { code } }
    fire { onRoster riskLevel keyUnit { isKeyUnit category } applicableItems { code } }
  }
}`;

type Counts = Record<string, { requests: number; sql: number }>;

async function countedQuery(hub: TestHub, usccs: string[], token: string) {
  for (const d of hub.departments) {
    d.stats.requests = 0;
    d.database.queries.reset();
  }
  const response = await hub.query<{ marketEntities: Array<Record<string, unknown>> }>(QUERY, { variables: { usccs }, token });
  const counts: Counts = {};
  for (const d of hub.departments) counts[d.name] = { requests: d.stats.requests, sql: d.database.queries.count };
  return { response, counts };
}

describe.each(testDatabases())('a query over N targets is batched ($label)', (database) => {
  let hub: TestHub;
  let usccs: string[];
  let token: string;

  beforeAll(async () => {
    hub = await startTestHub(database, 400);
    token = await hub.token(Role.COORDINATOR, 'market');
    const page = await hub.query<{ market: { targets: { nodes: Array<{ id: string }> } } }>('{ market { targets(first: 100) { nodes { id } } } }', { token });
    usccs = page.data!.market.targets.nodes.map((n) => n.id);
    expect(usccs).toHaveLength(100);
  });

  afterAll(async () => {
    await hub?.stop();
    await database.drop(DEPARTMENT_CODES);
  });

  it('returns market data and every department view for each target', async () => {
    const { response } = await countedQuery(hub, usccs.slice(0, 10), token);
    expect(response.errors).toBeUndefined();
    const entities = response.data!.marketEntities;
    expect(entities.map((e) => e.uscc)).toEqual(usccs.slice(0, 10));
    for (const e of entities) {
      for (const code of DEPARTMENT_CODES) expect(e[code]).toMatchObject({ onRoster: expect.any(Boolean) });
      expect((e.market as { onRoster: boolean }).onRoster).toBe(true);
      expect((e.tax as { creditRating: unknown }).creditRating).not.toBeNull();
    }
    // The demo roster has contractors with projects and polluters with permits: the views carry them.
    const { response: all } = await countedQuery(hub, usccs, token);
    const views = all.data!.marketEntities;
    expect(views.some((e) => (e.environment as { dischargePermit: unknown }).dischargePermit !== null)).toBe(true);
    expect(views.some((e) => (e.fire as { keyUnit: { isKeyUnit: boolean } }).keyUnit.isKeyUnit)).toBe(true);
  });

  it('N = 10 and N = 100 cost the same subgraph requests and SQL statements per subgraph', async () => {
    const small = await countedQuery(hub, usccs.slice(0, 10), token);
    const large = await countedQuery(hub, usccs, token);
    expect(small.response.errors).toBeUndefined();
    expect(large.response.errors).toBeUndefined();
    expect(large.response.data!.marketEntities).toHaveLength(100);
    expect(large.counts).toEqual(small.counts);
    for (const code of DEPARTMENT_CODES) {
      // One request from the gateway to each subgraph, and a handful of statements (not one per target).
      expect(large.counts[code]!.requests).toBe(1);
      expect(large.counts[code]!.sql).toBeGreaterThan(0);
      expect(large.counts[code]!.sql).toBeLessThanOrEqual(4);
    }
  });
});
