import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';

interface Entity {
  uscc: string;
  name: string;
  regionCode: string;
  industryCode: string;
}
interface Page<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

const SEARCH = `query($name: String, $regionPrefix: String, $industryCode: String, $first: Int!, $after: String) {
  marketSearchPage(name: $name, regionPrefix: $regionPrefix, industryCode: $industryCode, first: $first, after: $after) {
    nodes { uscc name regionCode industryCode }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
}`;

describeWithHub('market: the register searched and paged (marketSearchPage, abnormalOperationList)', (hub) => {
  /** Every page of a search, as the public asks (no token). */
  async function all(
    filters: Record<string, string>,
    first: number,
  ): Promise<{ entities: Entity[]; totalCount: number; pages: number }> {
    const entities: Entity[] = [];
    let totalCount = -1;
    let pages = 0;
    for (let after: string | null = null; ; pages++) {
      const r: { data?: { marketSearchPage: Page<Entity> } | null; errors?: unknown[] } = await hub().query<{
        marketSearchPage: Page<Entity>;
      }>(SEARCH, { variables: { ...filters, first, after } });
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      const page: Page<Entity> = r.data!.marketSearchPage;
      entities.push(...page.nodes);
      totalCount = page.totalCount;
      if (!page.pageInfo.hasNextPage) return { entities, totalCount, pages: pages + 1 };
      after = page.pageInfo.endCursor;
    }
  }

  it(
    'finds by name, page by page in USCC order, the entities the deprecated marketSearch finds; totalCount ' +
      'counts them all',
    async () => {
      const byName = await all({ name: '有限公司' }, 7);
      expect(byName.entities.length).toBeGreaterThan(7);
      expect(byName.pages).toBeGreaterThan(1);
      expect(byName.totalCount).toBe(byName.entities.length);
      const usccs = byName.entities.map((e) => e.uscc);
      expect(usccs).toEqual([...usccs].sort());
      expect(new Set(usccs).size).toBe(usccs.length);
      expect(byName.entities.every((e) => e.name.includes('有限公司'))).toBe(true);
      const old = await hub().query<{ marketSearch: Array<{ uscc: string }> }>(
        `{ marketSearch(name: "有限公司", first: 100) { uscc } }`,
      );
      expect(old.data!.marketSearch.map((e) => e.uscc)).toEqual(usccs.slice(0, 100));
    },
  );

  it('filters by a region prefix and an industry code or section, alone or with a name', async () => {
    const { entities: sample } = await all({ name: '公司' }, 100);
    const region = sample[0]!.regionCode;
    const section = sample[0]!.industryCode.charAt(0);
    const inRegion = await all({ regionPrefix: region.slice(0, 4) }, 100);
    expect(inRegion.entities.length).toBeGreaterThan(0);
    expect(inRegion.entities.every((e) => e.regionCode.startsWith(region.slice(0, 4)))).toBe(true);
    const inSection = await all({ industryCode: section }, 100);
    expect(inSection.entities.every((e) => e.industryCode.startsWith(section))).toBe(true);
    const exact = await all(
      { industryCode: sample[0]!.industryCode, regionPrefix: region, name: sample[0]!.name.slice(0, 4) },
      20,
    );
    expect(exact.entities.map((e) => e.uscc)).toContain(sample[0]!.uscc);
    expect(
      exact.entities.every(
        (e) =>
          e.regionCode === region &&
          e.industryCode.startsWith(sample[0]!.industryCode) &&
          e.name.includes(sample[0]!.name.slice(0, 4)),
      ),
    ).toBe(true);
    // The whole city (31) holds every entity of the region's district; a lowercase section letter reads as the code.
    expect((await all({ regionPrefix: '31' }, 100)).totalCount).toBeGreaterThanOrEqual(inRegion.totalCount);
    expect((await all({ industryCode: section.toLowerCase() }, 100)).totalCount).toBe(inSection.totalCount);
  });

  it('refuses what it cannot search by, saying what to give (BAD_USER_INPUT naming the argument)', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ first: 20 }, 'name', /needs a name, a regionPrefix or an industryCode/],
      [{ name: '   ', first: 20 }, 'name', /name is required: give part of a name/],
      [{ regionPrefix: '3', first: 20 }, 'regionPrefix', /give 2 to 6 digits/],
      [{ regionPrefix: '3101045', first: 20 }, 'regionPrefix', /not a region code or prefix/],
      [{ industryCode: 'Z1', first: 20 }, 'industryCode', /section letter A-T/],
      [{ name: '公司', first: 101 }, 'first', /first must be between 1 and 100/],
      [{ name: '公司', first: 20, after: 'o:5' }, 'after', /not a cursor of this search/],
    ];
    for (const [variables, field, message] of cases) {
      const r = await hub().query(SEARCH, { variables });
      expect([field, r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field]).toEqual([
        field,
        'BAD_USER_INPUT',
        field,
      ]);
      expect(r.errors?.[0]?.message).toMatch(message);
    }
  });

  it(
    'abnormalOperationList has nodes, pageInfo and totalCount, equal to its deprecated usccs, endCursor and ' +
      'hasMore',
    async () => {
      const token = await hub().token(Role.COORDINATOR, 'market');
      const read = (after: string | null) =>
        hub().query<{
          market: {
            abnormalOperationList: {
              nodes: string[];
              pageInfo: { endCursor: string | null; hasNextPage: boolean };
              totalCount: number;
              usccs: string[];
              endCursor: string | null;
              hasMore: boolean;
            };
          };
        }>(
          `query($after: String) { market { abnormalOperationList(first: 3, after: $after) { nodes pageInfo { ` +
            `endCursor hasNextPage } totalCount usccs endCursor hasMore } } }`,
          { variables: { after }, token },
        );
      const seen: string[] = [];
      let total = -1;
      for (let after: string | null = null; ;) {
        const r = await read(after);
        expect(r.errors).toBeUndefined();
        const page = r.data!.market.abnormalOperationList;
        expect([page.usccs, page.endCursor, page.hasMore]).toEqual([
          page.nodes,
          page.pageInfo.endCursor,
          page.pageInfo.hasNextPage,
        ]);
        seen.push(...page.nodes);
        total = page.totalCount;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen.length).toBe(total);
      expect(seen).toEqual([...seen].sort());
      const bad = await read('not a cursor');
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    },
  );
});
