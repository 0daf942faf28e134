import { Role } from '../../kernel/identity';
import { describeWithHub, type TestHub } from '../support/hub';

/*
 * The department contract as an integrator reads it through the gateway (issue H1 point 5): a
 * refused or failing part nulls only itself; every list that can grow is a page with `nodes`,
 * `pageInfo` and `totalCount`; closed vocabularies are enums. The previous contract's fields keep
 * answering (deprecated) for callers that have not moved yet.
 */

const USCC = '91110108551385082Q';

const result = (key: string, extra: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  taskId: 'task-h1',
  targetKey: USCC,
  uscc: USCC,
  itemCode: 'TAX-08',
  itemVersion: 1,
  outcome: 'NO_PROBLEM',
  method: 'ON_SITE',
  notes: '发票领用存情况正常',
  confidentialNotes: '仅限本部门',
  evidence: [],
  inspectors: ['310115SW201900001'],
  inspectedOn: '2026-03-10',
  ...extra,
});

async function ok<T>(hub: TestHub, query: string, token?: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await hub.query<T>(query, { token, variables });
  if (r.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

describeWithHub('the unified schema as an integrator reads it (H1)', (hub) => {
  it(
    "(H1) without a token, a refused roster nulls only its own part: market's checklist stands, tax.targets is " +
      'null with an error naming it (R30)',
    async () => {
      const r = await hub().query<{
        market: { checklist: Array<{ code: string }> } | null;
        tax: { targets: unknown } | null;
      }>('{ market { checklist { code } } tax { targets { nodes { id } } } }');
      expect(r.data).not.toBeNull();
      expect(r.data!.market!.checklist.length).toBeGreaterThan(0);
      expect(r.data!.tax).toEqual({ targets: null });
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]).toMatchObject({ path: ['tax', 'targets'], extensions: { code: 'UNAUTHENTICATED' } });
    },
  );

  it(
    "(H1) another department's staff is refused every roster field but still reads the public ones in the same " +
      'answer (R30)',
    async () => {
      const fireInspector = await hub().token(Role.INSPECTOR, 'fire');
      const r = await hub().query<Record<string, unknown>>(
        '{ tax { checklist { code } outcomes { code status } inspectors { totalCount } experts { totalCount } ' +
          'resultPage { totalCount } exportTargetRows(first: 1) { count } } }',
        { token: fireInspector },
      );
      const tax = r.data!.tax as Record<string, unknown>;
      expect((tax.checklist as unknown[]).length).toBeGreaterThan(0);
      expect(
        (tax.outcomes as Array<{ status: string }>).every((o) => ['CURRENT', 'SUPERSEDED'].includes(o.status)),
      ).toBe(true);
      expect([tax.inspectors, tax.experts, tax.resultPage, tax.exportTargetRows]).toEqual([null, null, null, null]);
      expect(r.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort()).toEqual([
        ['tax.experts', 'FORBIDDEN'],
        ['tax.exportTargetRows', 'FORBIDDEN'],
        ['tax.inspectors', 'FORBIDDEN'],
        ['tax.resultPage', 'FORBIDDEN'],
      ]);
    },
  );

  it(
    'roster pages carry pageInfo and totalCount (counted on request); the previous endCursor/hasMore still ' +
      'answer the same',
    async () => {
      const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
      type Page = {
        nodes: Array<{ id: string }>;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        totalCount: number;
        endCursor: string | null;
        hasMore: boolean;
      };
      const field = (name: string, args: string) =>
        `${name}(${args}) { nodes { id } pageInfo { endCursor hasNextPage } totalCount endCursor hasMore }`;
      for (const name of ['targets', 'inspectors', 'experts']) {
        const seen: string[] = [];
        let after: string | null = null;
        let total = -1;
        for (let i = 0; i < 200; i++) {
          const data: { tax: Record<string, Page> } = await ok(
            hub(),
            `query($after: String) { tax { ${field(name, 'first: 7, after: $after')} } }`,
            admin,
            { after },
          );
          const page: Page = data.tax[name]!;
          expect([name, page.endCursor, page.hasMore]).toEqual([
            name,
            page.pageInfo.endCursor,
            page.pageInfo.hasNextPage,
          ]);
          total = page.totalCount;
          seen.push(...page.nodes.map((n) => n.id));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect([name, seen.length, new Set(seen).size]).toEqual([name, total, total]);
        expect(total).toBeGreaterThan(7);
      }
      const qualified = (
        await ok<{ tax: { inspectors: { nodes: unknown[]; totalCount: number } } }>(
          hub(),
          '{ tax { inspectors(qualifiedOnly: true, first: 1000) { nodes { id } totalCount } } }',
          admin,
        )
      ).tax.inspectors;
      expect(qualified.totalCount).toBe(qualified.nodes.length);
      const over = await hub().query('{ tax { inspectors(first: 1001) { totalCount } } }', { token: admin });
      expect(over.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(over.errors![0]!.message).toMatch(/1000 is the largest page/);
    },
  );

  it(
    'results: resultPage pages every status with a ResultStatus filter; publishedResultPage is public and ' +
      'shows nothing confidential; the deprecated lists agree',
    async () => {
      const service = await hub().token(Role.SERVICE, null, 'joint');
      const admin = await hub().token(Role.DEPT_ADMIN, 'tax');
      const input = [0, 1, 2, 3, 4].map((i) => result(`h1:${i}`, { targetKey: `T-${USCC}-${i}` }));
      const receipts = (
        await ok<{ taxRecordResults: Array<{ resultId: string }> }>(
          hub(),
          'mutation($input: [ResultInput!]!) { taxRecordResults(input: $input) { resultId } }',
          service,
          { input },
        )
      ).taxRecordResults;
      const ids = receipts.map((r) => r.resultId);
      await ok(hub(), 'mutation($ids: [ID!]!) { taxApproveResults(ids: $ids) { id } }', admin, {
        ids: ids.slice(0, 3),
      });
      await ok(hub(), 'mutation($ids: [ID!]!) { taxPublishResults(ids: $ids) { id } }', admin, {
        ids: ids.slice(0, 3),
      });

      type ResultPage = {
        nodes: Array<{ id: string; status: string; confidentialNotes: string | null }>;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        totalCount: number;
      };
      const PAGE =
        'query($after: String, $status: ResultStatus) { tax { resultPage(taskId: "task-h1", status: $status, ' +
        'first: 2, after: $after) { nodes { id status confidentialNotes } pageInfo { endCursor hasNextPage } ' +
        'totalCount } } }';
      const walk = async (
        query: string,
        token: string | undefined,
        variables: Record<string, unknown>,
        pick: (d: { tax: Record<string, ResultPage> }) => ResultPage,
      ) => {
        const nodes: ResultPage['nodes'] = [];
        let after: string | null = null;
        let total = 0;
        for (;;) {
          const page: ResultPage = pick(await ok(hub(), query, token, { ...variables, after }));
          nodes.push(...page.nodes);
          total = page.totalCount;
          if (!page.pageInfo.hasNextPage) return { nodes, total };
          after = page.pageInfo.endCursor;
        }
      };
      const every = await walk(PAGE, admin, {}, (d) => d.tax.resultPage!);
      expect(every.total).toBe(5);
      expect(every.nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
      expect(every.nodes.every((n) => n.confidentialNotes === '仅限本部门')).toBe(true);
      const recorded = await walk(PAGE, admin, { status: 'RECORDED' }, (d) => d.tax.resultPage!);
      expect([recorded.total, recorded.nodes.map((n) => n.status)]).toEqual([2, ['RECORDED', 'RECORDED']]);
      const old = await ok<{ tax: { results: Array<{ id: string }> } }>(
        hub(),
        '{ tax { results(taskId: "task-h1", status: "RECORDED") { id } } }',
        admin,
      );
      expect(old.tax.results.map((r) => r.id)).toEqual(recorded.nodes.map((n) => n.id));
      const whole = await ok<{ tax: { results: Array<{ id: string }> } }>(
        hub(),
        '{ tax { results(taskId: "task-h1") { id } } }',
        admin,
      );
      expect(whole.tax.results.map((r) => r.id)).toEqual(every.nodes.map((n) => n.id));
      const unknown = await hub().query('{ tax { results(status: "DONE") { id } } }', { token: admin });
      expect(unknown.errors![0]).toMatchObject({
        path: ['tax', 'results'],
        extensions: { code: 'BAD_USER_INPUT', field: 'status' },
      });

      const PUBLISHED =
        'query($after: String) { tax { publishedResultPage(uscc: "91110108551385082Q", first: 2, after: ' +
        '$after) { nodes { id status confidentialNotes } pageInfo { endCursor hasNextPage } totalCount } } }';
      const published = await walk(PUBLISHED, undefined, {}, (d) => d.tax.publishedResultPage!);
      expect(published.total).toBe(3);
      expect(published.nodes.map((n) => [n.status, n.confidentialNotes])).toEqual([
        ['PUBLISHED', null],
        ['PUBLISHED', null],
        ['PUBLISHED', null],
      ]);
      const before = await ok<{ tax: { publishedResults: Array<{ id: string }> } }>(
        hub(),
        '{ tax { publishedResults(uscc: "91110108551385082Q") { id } } }',
      );
      expect(before.tax.publishedResults.map((r) => r.id)).toEqual(published.nodes.map((n) => n.id));
    },
  );

  it('the schema says what is deprecated, what is read whole, and the largest page of each list', async () => {
    const type = (
      await ok<{
        __type: {
          fields: Array<{
            name: string;
            description: string | null;
            isDeprecated: boolean;
            deprecationReason: string | null;
            args: Array<{ name: string; description: string | null }>;
            type: { kind: string };
          }>;
        };
      }>(
        hub(),
        '{ __type(name: "TaxQuery") { fields(includeDeprecated: true) { name description isDeprecated ' +
          'deprecationReason args { name description } type { kind } } } }',
      )
    ).__type.fields;
    const byName = new Map(type.map((f) => [f.name, f]));
    expect(byName.get('results')).toMatchObject({ isDeprecated: true, deprecationReason: 'Use resultPage.' });
    expect(byName.get('publishedResults')).toMatchObject({
      isDeprecated: true,
      deprecationReason: 'Use publishedResultPage.',
    });
    expect(byName.get('checklist')!.description).toMatch(/read whole/i);
    for (const name of ['targets', 'exportTargets', 'inspectors', 'experts', 'resultPage', 'publishedResultPage']) {
      expect([name, byName.get(name)!.args.find((a) => a.name === 'first')!.description]).toEqual([
        name,
        expect.stringMatching(/1 to [\d,]+ \(the largest page\)/),
      ]);
    }
    // Refusable (R30), hence nullable; public reads stay non-null.
    for (const name of [
      'targets',
      'exportTargets',
      'exportTargetRows',
      'inspectors',
      'experts',
      'resultPage',
      'results',
    ])
      expect([name, byName.get(name)!.type.kind]).not.toEqual([name, 'NON_NULL']);
    for (const name of ['checklist', 'outcomes', 'publishedResultPage'])
      expect([name, byName.get(name)!.type.kind]).toEqual([name, 'NON_NULL']);
    const root = (
      await ok<{ __type: { fields: Array<{ name: string; type: { kind: string } }> } }>(
        hub(),
        '{ __type(name: "Query") { fields { name type { kind } } } }',
      )
    ).__type.fields;
    expect(root.find((f) => f.name === 'tax')!.type.kind).toBe('OBJECT');
    const page = (
      await ok<{
        __type: { fields: Array<{ name: string; isDeprecated: boolean; deprecationReason: string | null }> };
      }>(
        hub(),
        '{ __type(name: "TaxTargetPage") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
      )
    ).__type.fields;
    expect(page.filter((f) => f.isDeprecated).map((f) => [f.name, f.deprecationReason])).toEqual([
      ['endCursor', 'Use pageInfo.endCursor.'],
      ['hasMore', 'Use pageInfo.hasNextPage.'],
    ]);
  });
});
