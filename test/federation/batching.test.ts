import { Role } from '../../kernel/identity';
import { DEPARTMENT_CODES, describeWithHub, type TestHub } from '../support/hub';

/** Every department's view of each target, with each department's own fields and applicable items. */
const QUERY = `query Targets($usccs: [String!]!) {
  marketEntities(usccs: $usccs) {
    uscc name kind status onAbnormalList
    market { onRoster creditLevel riskLevel penaltiesLast3Years applicableItems { code version basis } }
    tax { onRoster creditLevel riskLevel creditRating { rating year } applicableItems { code } }
    environment { onRoster riskLevel dischargePermits { permitNo managementClass } applicableItems { code } }
    housing { onRoster riskLevel qualifications { category grade } projects { id name } applicableItems { code } }
    fire { onRoster riskLevel keyUnit { isKeyUnit category } applicableItems { code } }
    health { onRoster riskLevel applicableItems { code } }
  }
}`;

/** A roster page whose rows resolve per-row fields (a project's details) and their entity's views. */
const PROJECTS = `query Projects($first: Int!) {
  housing { targets(first: $first, filter: { kinds: [PROJECT] }) { nodes { id uscc project { name permitNo stage } } } }
}`;

/** Per subgraph: requests it received, SQL statements it ran, and (a connector's) requests to its existing system. */
type Counts = Record<string, { requests: number; sql: number; upstream: number }>;

async function counted<T>(hub: TestHub, run: () => Promise<T>): Promise<{ response: T; counts: Counts }> {
  for (const d of hub.departments) {
    d.stats.requests = 0;
    d.database.queries.reset();
  }
  for (const system of Object.values(hub.standIns)) system.calls.length = 0;
  const response = await run();
  const counts: Counts = {};
  for (const d of hub.departments)
    counts[d.name] = {
      requests: d.stats.requests,
      sql: d.database.queries.count,
      upstream: hub.standIns[d.name]?.calls.length ?? 0,
    };
  return { response, counts };
}

const countedQuery = (hub: TestHub, usccs: string[], token: string) =>
  counted(hub, () =>
    hub.query<{ marketEntities: Array<Record<string, unknown>> }>(QUERY, { variables: { usccs }, token }),
  );

describeWithHub('a query over N targets is batched', (getHub) => {
  let hub: TestHub;
  let usccs: string[];
  let token: string;

  beforeAll(async () => {
    hub = getHub();
    token = await hub.token(Role.COORDINATOR, 'market');
    const page = await hub.query<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
      '{ market { targets(first: 100) { nodes { id } } } }',
      { token },
    );
    usccs = page.data!.market.targets.nodes.map((n) => n.id);
    expect(usccs).toHaveLength(100);
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
    expect(views.some((e) => (e.environment as { dischargePermits: unknown[] }).dischargePermits.length > 0)).toBe(
      true,
    );
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
      if (hub.standIns[code]) continue;
      expect(large.counts[code]!.sql).toBeGreaterThan(0);
      expect(large.counts[code]!.sql).toBeLessThanOrEqual(4);
    }
    // The connector-backed department (health): one batch call to its existing system for all
    // 100 targets (its checklist is read once and reused), as for 10.
    expect(large.counts.health!.upstream).toBe(1);
    expect(hub.standIns.health).toBeDefined();
  });

  it('a roster page with per-row fields costs the same for 10 and for 100 rows', async () => {
    const housingAdmin = await hub.token(Role.DEPT_ADMIN, 'housing');
    const run = (first: number) =>
      counted(hub, () =>
        hub.query<{ housing: { targets: { nodes: Array<{ project: unknown }> } } }>(PROJECTS, {
          variables: { first },
          token: housingAdmin,
        }),
      );
    const small = await run(10);
    const large = await run(100);
    expect(small.response.errors).toBeUndefined();
    expect(large.response.data!.housing.targets.nodes.length).toBeGreaterThan(10);
    expect(large.response.data!.housing.targets.nodes.every((n) => n.project !== null)).toBe(true);
    expect(large.counts.housing).toEqual(small.counts.housing);
    expect(large.counts.housing!.sql).toBe(2); // the page, then every row's project at once
  });
});
