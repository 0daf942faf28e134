/**
 * The customs subgraph (an outside department system written only against the department
 * contract) answers, over real HTTP and with tokens signed here, every query and mutation the
 * joint service sends to a department, with the semantics of the hub's own departments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { startCustomsSubgraph, type CustomsSubgraph } from './customs-subgraph';

const ISSUER = 'customs-test-issuer';
const AUDIENCE = 'customs-test-audience';

type Role =
  'HUB_ADMIN' | 'DEPT_ADMIN' | 'DEPUTY_HEAD' | 'PRINCIPAL_HEAD' | 'COORDINATOR' | 'INSPECTOR' | 'AUDITOR' | 'SERVICE';

interface Response<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let customs: CustomsSubgraph;

async function sign(
  role: Role,
  dept: string | null = null,
  sub = `test-${role.toLowerCase()}`,
  key: CryptoKey = signingKey,
): Promise<string> {
  return new SignJWT({ role, ...(dept ? { dept } : {}) })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key);
}

async function post<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  url = customs.url,
): Promise<Response<T> & { status: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as Response<T>), status: response.status };
}

function onlyError(response: Response<unknown>): {
  code: unknown;
  message: string;
  extensions: Record<string, unknown>;
} {
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  return { code: error.extensions?.code, message: error.message, extensions: error.extensions ?? {} };
}

/** GB 32100-2015, written again here so the test does not trust the code under test. */
function validUscc(code: string): boolean {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += set.indexOf(code[i]!) * (3 ** i % 31);
  return set[(31 - (sum % 31)) % 31] === code[17];
}
function withCheck(first17: string): string {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += set.indexOf(first17[i]!) * (3 ** i % 31);
  return first17 + set[(31 - (sum % 31)) % 31];
}

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('EdDSA')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' };
  customs = await startCustomsSubgraph({ jwks: { keys: [jwk] }, issuer: ISSUER, audience: AUDIENCE, port: 0 });
});

afterAll(async () => {
  await customs?.stop();
});

describe('the customs subgraph: an outside department on the contract alone', () => {
  it(
    'serves the contract with customs/Customs in place of example/Example, and composes with the market ' + 'subgraph',
    async () => {
      expect(customs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const served = await post<{ _service: { sdl: string } }>('{ _service { sdl } }');
      expect(served.errors).toBeUndefined();
      const sdl = served.data!._service.sdl;
      expect(sdl).toContain('type CustomsView implements DepartmentView');
      expect(sdl).toContain('customsRecordResults(input: [ResultInput!]!): [ResultReceipt!]!');
      expect(sdl).toContain('exportTargetRows(');
      expect(sdl).not.toMatch(/example/i);
      const contract = fs.readFileSync(path.resolve(__dirname, '../../../schema/contract.graphql'), 'utf8');
      expect(customs.sdl).toBe(contract.replace(/example/g, 'customs').replace(/Example/g, 'Customs'));

      const market = fs.readFileSync(path.resolve(__dirname, '../../../schema/market.graphql'), 'utf8');
      const composed = composeServices([
        { name: 'market', url: 'http://market/graphql', typeDefs: parse(market) },
        { name: 'customs', url: customs.url, typeDefs: parse(sdl) },
      ]);
      expect(composed.errors?.map((e) => e.message) ?? []).toEqual([]);
      expect(composed.supergraphSdl).toContain('customs: CustomsView');
    },
  );

  it('answers the checklist query the joint service sends (every version, public), citing customs law', async () => {
    const fields = 'code version title basis status category ratioCapPercent domain targetKinds industries method';
    const response = await post<{ customs: { checklist: Array<Record<string, unknown>> } }>(
      `{ customs { checklist(includeHistory: true) { ${fields} } } }`,
    );
    expect(response.errors).toBeUndefined();
    const items = response.data!.customs.checklist;
    expect(items.map((i) => i.code)).toEqual([
      'CUS-01',
      'CUS-02',
      'CUS-03',
      'CUS-04',
      'CUS-05',
      'CUS-06',
      'CUS-07',
      'CUS-08',
    ]);
    for (const item of items) {
      expect(item).toMatchObject({ version: 1, status: 'CURRENT' });
      expect(item.targetKinds).toEqual(['ENTERPRISE']);
      expect(['ON_SITE', 'WRITTEN', 'ONLINE_MONITORING', 'THIRD_PARTY']).toContain(item.method);
      // R2: KEY items have no cap; GENERAL ones a cap below 100%.
      if (item.category === 'KEY') expect(item.ratioCapPercent).toBeNull();
      else expect(item.ratioCapPercent as number).toBeGreaterThan(0);
      expect(item.basis).toMatch(/《中华人民共和国[^》]+》/);
    }
    const bases = items.map((i) => String(i.basis)).join('\n');
    expect(bases).toContain('《中华人民共和国海关法》');
    expect(bases).toContain('《中华人民共和国海关稽查条例》');
    expect(bases).toContain('《中华人民共和国海关注册登记和备案企业信用管理办法》');
    expect(items.filter((i) => i.category === 'KEY').map((i) => i.code)).toEqual([
      'CUS-03',
      'CUS-04',
      'CUS-05',
      'CUS-07',
    ]);
    expect(items.find((i) => i.code === 'CUS-08')).toMatchObject({
      category: 'GENERAL',
      ratioCapPercent: 3,
      domain: '知识产权保护',
      industries: [],
    });

    const one = await post<{ customs: { checklistItem: Record<string, unknown> | null; missing: null; v2: null } }>(
      '{ customs { checklistItem(code: "CUS-03") { department code version inspectingBody frequency content ' +
        'validFrom validUntil changeReason closeReason } missing: checklistItem(code: "CUS-99") { code } v2: ' +
        'checklistItem(code: "CUS-03", version: 2) { code } } }',
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.customs.checklistItem).toMatchObject({
      department: 'customs',
      code: 'CUS-03',
      version: 1,
      validFrom: '2025-01-01T00:00:00.000Z',
      validUntil: null,
      changeReason: null,
      closeReason: null,
    });
    expect(one.data!.customs.missing).toBeNull();
    expect(one.data!.customs.v2).toBeNull();
  });

  it('exports the roster as TSV lines in the contract columns, in id order, paged by after', async () => {
    const token = await sign('SERVICE', null, 'joint');
    const query = `query($filter: RosterFilter, $after: String, $first: Int!) {
      customs { exportTargetRows(filter: $filter, first: $first, after: $after) { columns tsv count endCursor hasMore } } }`;
    type Page = { columns: string[]; tsv: string; count: number; endCursor: string | null; hasMore: boolean };
    const filter = { kinds: ['ENTERPRISE'], regions: ['3101'], industries: null };
    const pages: Page[] = [];
    let after: string | null = null;
    for (;;) {
      const response: Response<{ customs: { exportTargetRows: Page } }> = await post(
        query,
        { filter, after, first: 25 },
        token,
      );
      expect(response.errors).toBeUndefined();
      const page = response.data!.customs.exportTargetRows;
      pages.push(page);
      if (!page.hasMore) break;
      after = page.endCursor;
    }
    expect(pages.map((p) => p.count)).toEqual([25, 25, 10]);
    expect(pages[0]!.columns).toEqual([
      'id',
      'kind',
      'uscc',
      'regionCode',
      'industryCode',
      'creditLevel',
      'riskLevel',
      'penaltiesLast3Years',
      'verifiedComplaints',
    ]);
    const lines = pages.map((p) => p.tsv).join('');
    expect(lines.endsWith('\n')).toBe(true);
    const rows = lines
      .slice(0, -1)
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.length === 9)).toBe(true);
    const ids = rows.map((r) => r[0]!);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(ids).size).toBe(60);
    pages.forEach((p) => expect(p.endCursor).toBe(p.tsv.trimEnd().split('\n').pop()!.split('\t')[0]));
    for (const [id, kind, uscc, region, industry, credit, risk, penalties, complaints] of rows) {
      expect(id).toBe(uscc);
      expect(validUscc(uscc!)).toBe(true);
      expect(kind).toBe('ENTERPRISE');
      expect(region).toMatch(/^3101\d{2}$/);
      expect(uscc!.slice(2, 8)).toBe(region);
      expect(industry).toMatch(/^[A-T]\d{2}$/);
      expect(['A', 'B', 'C', 'D']).toContain(credit);
      expect(['LOW', 'GENERAL', 'ELEVATED', 'HIGH']).toContain(risk);
      expect(penalties).toMatch(/^\d+$/);
      expect(complaints).toMatch(/^\d+$/);
    }
    // The lines are the roster the handle reports.
    expect(rows.map((r) => r.join('\t'))).toEqual(
      customs.targets.map((t) =>
        [
          t.id,
          t.kind,
          t.uscc,
          t.regionCode,
          t.industryCode,
          t.creditLevel,
          t.riskLevel,
          t.penaltiesLast3Years,
          t.verifiedComplaints,
        ].join('\t'),
      ),
    );
    // Spread over every credit class and risk level (R13), with some penalised or complained-about targets.
    expect(new Set(rows.map((r) => r[5]))).toEqual(new Set(['A', 'B', 'C', 'D']));
    expect(new Set(rows.map((r) => r[6]))).toEqual(new Set(['LOW', 'GENERAL', 'ELEVATED', 'HIGH']));

    // The joint service's page size: one page. A partner's filter (regions only), and a narrower one.
    const whole = await post<{ customs: { exportTargetRows: Page } }>(
      query,
      { filter: { regions: ['3101'] }, after: null, first: 50_000 },
      token,
    );
    expect(whole.data!.customs.exportTargetRows).toMatchObject({ count: 60, hasMore: false, endCursor: ids[59] });
    const pudong = await post<{ customs: { exportTargetRows: Page } }>(
      query,
      { filter: { regions: ['310115'], industries: ['C'] }, after: null, first: 50_000 },
      token,
    );
    const expected = customs.targets
      .filter((t) => t.regionCode === '310115' && t.industryCode.startsWith('C'))
      .map((t) => t.id);
    expect(
      pudong
        .data!.customs.exportTargetRows.tsv.split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(expected);
    expect(pudong.data!.customs.exportTargetRows.count).toBe(expected.length);
    const none = await post<{ customs: { exportTargetRows: Page } }>(
      query,
      { filter: { kinds: ['PROJECT'] }, after: null, first: 10 },
      token,
    );
    expect(none.data!.customs.exportTargetRows).toEqual({
      columns: pages[0]!.columns,
      tsv: '',
      count: 0,
      endCursor: null,
      hasMore: false,
    });
    const past = await post<{ customs: { exportTargetRows: Page } }>(
      query,
      { filter: null, after: ids[59], first: 10 },
      token,
    );
    expect(past.data!.customs.exportTargetRows).toMatchObject({ count: 0, hasMore: false, endCursor: null });

    expect(onlyError(await post(query, { filter: null, after: null, first: 50_001 }, token)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect(onlyError(await post(query, { filter: null, after: null, first: 0 }, token)).code).toBe('BAD_USER_INPUT');
    // R30: the roster is for customs staff and hub roles.
    expect(onlyError(await post(query, { filter: null, after: null, first: 10 })).code).toBe('UNAUTHENTICATED');
    expect(
      onlyError(await post(query, { filter: null, after: null, first: 10 }, await sign('INSPECTOR', 'tax'))).extensions,
    ).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
    expect(
      (await post(query, { filter: null, after: null, first: 10 }, await sign('INSPECTOR', 'customs'))).errors,
    ).toBeUndefined();
    expect((await post(query, { filter: null, after: null, first: 10 }, await sign('AUDITOR'))).errors).toBeUndefined();
  });

  it('pages the roster as objects too, with the total count', async () => {
    const token = await sign('HUB_ADMIN');
    const response = await post<{
      customs: {
        targets: {
          nodes: Array<{ id: string; department: string; name: string }>;
          endCursor: string;
          hasMore: boolean;
          totalCount: number;
        };
      };
    }>(
      '{ customs { targets(first: 7, filter: { regions: ["3101"] }) { nodes { id department name } endCursor ' +
        'hasMore totalCount } } }',
      {},
      token,
    );
    expect(response.errors).toBeUndefined();
    const page = response.data!.customs.targets;
    expect(page.nodes.map((n) => n.id)).toEqual(customs.targets.slice(0, 7).map((t) => t.id));
    expect(page).toMatchObject({ endCursor: customs.targets[6]!.id, hasMore: true, totalCount: 60 });
    expect(page.nodes[0]!.department).toBe('customs');
    expect(page.nodes[0]!.name).toMatch(/^上海.+进出口有限公司$/);
    const one = await post<{ customs: { target: { id: string; creditLevel: string } | null } }>(
      `{ customs { target(id: "${customs.targets[3]!.id}") { id creditLevel } } }`,
      {},
      token,
    );
    expect(one.data!.customs.target).toEqual({
      id: customs.targets[3]!.id,
      creditLevel: customs.targets[3]!.creditLevel,
    });
  });

  it('answers the inspector and expert rosters the team draw reads, page by page', async () => {
    const token = await sign('SERVICE', null, 'joint');
    type Person = {
      id: string;
      name: string;
      certificateNo: string;
      domains: string[];
      jurisdiction: string[];
      qualified: boolean;
    };
    const people: Person[] = [];
    let after: string | null = null;
    let requests = 0;
    for (;;) {
      const response: Response<{
        customs: { inspectors: { nodes: Person[]; endCursor: string | null; hasMore: boolean } };
      }> = await post(
        'query($after: String) { customs { inspectors(first: 5, after: $after) { nodes { id name ' +
          'certificateNo domains jurisdiction qualified } endCursor hasMore } } }',
        { after },
        token,
      );
      expect(response.errors).toBeUndefined();
      requests++;
      const page = response.data!.customs.inspectors;
      people.push(...page.nodes);
      if (!page.hasMore) break;
      after = page.endCursor;
    }
    expect(requests).toBe(3);
    expect(people).toHaveLength(12);
    expect(people.map((p) => p.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `customs-i${String(i + 1).padStart(4, '0')}`),
    );
    expect(new Set(people.map((p) => p.certificateNo)).size).toBe(12);
    for (const p of people) {
      expect(p.certificateNo).toMatch(/^31\d{4}HG20\d{2}\d{5}$/);
      expect(p.jurisdiction.every((j) => j.startsWith('31'))).toBe(true);
      expect(p.domains.length).toBeGreaterThan(0);
    }
    // R7, R21: every item's domain is held by at least two qualified inspectors with jurisdiction over all Shanghai.
    const checklist = await post<{ customs: { checklist: Array<{ domain: string }> } }>(
      '{ customs { checklist { domain } } }',
    );
    for (const { domain } of checklist.data!.customs.checklist) {
      expect(
        people.filter((p) => p.qualified && p.domains.includes(domain) && p.jurisdiction.includes('31')).length,
      ).toBeGreaterThanOrEqual(2);
    }
    expect(people.filter((p) => !p.qualified)).toHaveLength(1);

    const filtered = await post<{ customs: { q: { nodes: Person[] }; d: { nodes: Person[] } } }>(
      '{ customs { q: inspectors(qualifiedOnly: true) { nodes { id } } d: inspectors(domain: "食品安全") { nodes ' +
        '{ id domains } } } }',
      {},
      token,
    );
    expect(filtered.data!.customs.q.nodes).toHaveLength(11);
    expect(filtered.data!.customs.d.nodes.length).toBeGreaterThanOrEqual(2);
    expect(filtered.data!.customs.d.nodes.every((n) => n.domains.includes('食品安全'))).toBe(true);

    // R30: phones for customs' own staff only.
    const phones =
      'query { customs { inspectors(first: 3) { nodes { phone unit position permissions department } } } }';
    const own = await post<{ customs: { inspectors: { nodes: Array<{ phone: string | null; department: string }> } } }>(
      phones,
      {},
      await sign('INSPECTOR', 'customs'),
    );
    expect(
      own.data!.customs.inspectors.nodes.every((n) => /^1\d{10}$/.test(n.phone!) && n.department === 'customs'),
    ).toBe(true);
    const hub = await post<{ customs: { inspectors: { nodes: Array<{ phone: string | null }> } } }>(phones, {}, token);
    expect(hub.data!.customs.inspectors.nodes.every((n) => n.phone === null)).toBe(true);
    expect(onlyError(await post(phones, {}, await sign('DEPT_ADMIN', 'tax'))).code).toBe('FORBIDDEN');

    const experts = await post<{
      customs: { experts: { nodes: Array<{ id: string; name: string; expertise: string[] }>; hasMore: boolean } };
    }>(
      'query($after: String) { customs { experts(first: 1000, after: $after) { nodes { id name expertise } ' +
        'endCursor hasMore } } }',
      { after: null },
      token,
    );
    expect(experts.data!.customs.experts.hasMore).toBe(false);
    expect(experts.data!.customs.experts.nodes.map((e) => e.id)).toEqual([
      'customs-e001',
      'customs-e002',
      'customs-e003',
      'customs-e004',
    ]);
    expect(experts.data!.customs.experts.nodes.every((e) => e.expertise.length > 0)).toBe(true);
  });

  it('lists its outcome dictionary: the national publicity categories, current', async () => {
    const response = await post<{
      customs: {
        outcomes: Array<{ code: string; version: number; label: string; dishonesty: boolean; status: string }>;
      };
    }>('{ customs { outcomes { code version label dishonesty status } } }');
    expect(response.errors).toBeUndefined();
    const outcomes = response.data!.customs.outcomes;
    expect(outcomes.map((o) => o.code)).toEqual([
      'CLOSED',
      'CORRECTED_ON_ORDER',
      'FOLLOW_UP_PENDING',
      'INFO_FALSE',
      'INFO_NOT_PUBLISHED',
      'NOT_OPERATING',
      'NO_PROBLEM',
      'REFUSED_SERIOUS',
      'UNREACHABLE',
    ]);
    expect(outcomes.every((o) => o.version === 1 && o.status === 'CURRENT')).toBe(true);
    expect(outcomes.filter((o) => o.dishonesty).map((o) => o.code)).toEqual(['REFUSED_SERIOUS']);
    expect(outcomes.find((o) => o.code === 'UNREACHABLE')!.label).toBe('通过登记的住所（经营场所）无法联系');
  });

  describe('results written back (R24)', () => {
    const RECORD =
      'mutation($input: [ResultInput!]!) { customsRecordResults(input: $input) { idempotencyKey resultId created } }';
    type Receipt = { idempotencyKey: string; resultId: string; created: boolean };
    let target: { uscc: string | null; id: string };
    const result = (key: string, extra: Record<string, unknown> = {}) => ({
      idempotencyKey: key,
      taskId: 'task-customs-1',
      targetKey: target.id,
      uscc: target.uscc,
      itemCode: 'CUS-03',
      itemVersion: 1,
      outcome: 'NO_PROBLEM',
      method: 'ON_SITE',
      notes: '报关单证与实际进出口货物相符',
      confidentialNotes: '线索来源：举报，举报人信息保密',
      evidence: ['photo-001'],
      inspectors: ['310000HG201800001', '310000HG201900002'],
      inspectedOn: '2026-03-10',
      penaltyUnderGeneralProcedure: false,
      statutoryCheckFailed: false,
      ...extra,
    });
    const write = async (input: unknown[], token?: string) =>
      post<{ customsRecordResults: Receipt[] }>(RECORD, { input }, token);

    beforeAll(() => {
      target = customs.targets[5]!;
    });

    it(
      'only the hub service writes results back; a department admin or the public is refused, and nothing is ' +
        'written',
      async () => {
        expect(
          onlyError(await write([result('k-admin')], await sign('DEPT_ADMIN', 'customs'))).extensions,
        ).toMatchObject({ code: 'FORBIDDEN', rule: 'R24' });
        expect(onlyError(await write([result('k-admin')], await sign('HUB_ADMIN'))).code).toBe('FORBIDDEN');
        expect(onlyError(await write([result('k-admin')])).code).toBe('UNAUTHENTICATED');
        expect(customs.results()).toHaveLength(0);
      },
    );

    it('is idempotent: the same key and content answer the same record with created: false', async () => {
      const token = await sign('SERVICE', null, 'joint');
      const first = await write(
        [
          result('sub-1:customs:CUS-03'),
          result('sub-1:customs:CUS-04', { itemCode: 'CUS-04', outcome: 'CORRECTED_ON_ORDER' }),
        ],
        token,
      );
      expect(first.errors).toBeUndefined();
      const receipts = first.data!.customsRecordResults;
      expect(receipts.map((r) => [r.idempotencyKey, r.created])).toEqual([
        ['sub-1:customs:CUS-03', true],
        ['sub-1:customs:CUS-04', true],
      ]);
      expect(receipts[0]!.resultId).not.toBe(receipts[1]!.resultId);
      const stored = customs.results();
      expect(stored).toHaveLength(2);
      expect(stored[0]).toMatchObject({
        id: receipts[0]!.resultId,
        status: 'RECORDED',
        itemCode: 'CUS-03',
        outcome: 'NO_PROBLEM',
        uscc: target.uscc,
        recordedBy: 'joint',
        dishonesty: false,
        publishedAt: null,
      });
      expect(stored[1]).toMatchObject({ id: receipts[1]!.resultId, itemCode: 'CUS-04', outcome: 'CORRECTED_ON_ORDER' });

      const retry = await write(
        [
          result('sub-1:customs:CUS-03'),
          result('sub-1:customs:CUS-04', { itemCode: 'CUS-04', outcome: 'CORRECTED_ON_ORDER' }),
        ],
        token,
      );
      expect(retry.errors).toBeUndefined();
      expect(retry.data!.customsRecordResults).toEqual(receipts.map((r) => ({ ...r, created: false })));
      expect(customs.results()).toHaveLength(2);
    });

    it(
      'refuses the same key with other content, and a bad result, as the built-in departments do (CONFLICT for ' +
        'a reused key, BAD_USER_INPUT for a bad result): all or none',
      async () => {
        const token = await sign('SERVICE', null, 'joint');
        const before = customs.results().length;
        // A new valid result first, then a known key with another outcome: neither is written.
        const changed = onlyError(
          await write(
            [
              result('sub-2:customs:CUS-01', { itemCode: 'CUS-01', method: 'WRITTEN' }),
              result('sub-1:customs:CUS-03', { outcome: 'FOLLOW_UP_PENDING' }),
            ],
            token,
          ),
        );
        expect(changed.extensions).toMatchObject({ code: 'CONFLICT', field: 'input[1].idempotencyKey' });
        expect(changed.message).toContain('sub-1:customs:CUS-03');
        const outcome = onlyError(
          await write(
            [
              result('sub-2:customs:CUS-01', { itemCode: 'CUS-01' }),
              result('sub-2:customs:CUS-02', { itemCode: 'CUS-02', outcome: 'NOT_A_CODE' }),
            ],
            token,
          ),
        );
        expect(outcome.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[1].outcome' });
        const foreign = onlyError(await write([result('sub-3:customs:TAX-01', { itemCode: 'TAX-01' })], token));
        expect(foreign.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R24', field: 'input[0].itemCode' });
        const version = onlyError(await write([result('sub-3:customs:CUS-03', { itemVersion: 2 })], token));
        expect(version.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].itemCode' });
        const uscc = onlyError(await write([result('sub-3:customs:CUS-05', { uscc: '91310115000000000A' })], token));
        expect(uscc.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].uscc' });
        const day = onlyError(await write([result('sub-3:customs:CUS-06', { inspectedOn: '2026-13-45x' })], token));
        expect(day.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].inspectedOn' });
        const nobody = onlyError(await write([result('sub-3:customs:CUS-07', { inspectors: [] })], token));
        expect(nobody.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input[0].inspectors' });
        expect(onlyError(await write([], token)).code).toBe('BAD_USER_INPUT');
        expect(customs.results()).toHaveLength(before);
        expect(
          customs.results().some((r) => r.idempotencyKey.startsWith('sub-2') || r.idempotencyKey.startsWith('sub-3')),
        ).toBe(false);
      },
    );

    it(
      'shows results with their status for the statistics, approves and publishes them, and publishes nothing ' +
        'confidential',
      async () => {
        const service = await sign('SERVICE', null, 'joint');
        const admin = await sign('DEPT_ADMIN', 'customs', 'customs.admin');
        const refused = await write(
          [
            result('sub-4:customs:CUS-08', {
              itemCode: 'CUS-08',
              outcome: 'REFUSED_SERIOUS',
              method: 'WRITTEN',
              taskId: 'task-customs-2',
            }),
          ],
          service,
        );
        expect(refused.errors).toBeUndefined();
        const refusedId = refused.data!.customsRecordResults[0]!.resultId;

        // The statistics page through every result by id.
        type Row = {
          id: string;
          taskId: string;
          status: string;
          inspectedOn: string;
          publishedAt: string | null;
          confidentialNotes: string | null;
        };
        const stats =
          'query($after: String) { customs { results(first: 1000, after: $after) { id taskId status ' +
          'inspectedOn publishedAt confidentialNotes } } }';
        const all = await post<{ customs: { results: Row[] } }>(stats, { after: null }, service);
        expect(all.errors).toBeUndefined();
        const rows = all.data!.customs.results;
        expect(rows.map((r) => r.id)).toEqual(customs.results().map((r) => r.id));
        expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort());
        expect(
          rows.every((r) => r.status === 'RECORDED' && r.publishedAt === null && r.inspectedOn === '2026-03-10'),
        ).toBe(true);
        expect(rows[0]!.confidentialNotes).toBe('线索来源：举报，举报人信息保密');
        const afterFirst = await post<{ customs: { results: Row[] } }>(stats, { after: rows[0]!.id }, service);
        expect(afterFirst.data!.customs.results.map((r) => r.id)).toEqual(rows.slice(1).map((r) => r.id));
        const byTask = await post<{ customs: { results: Row[] } }>(
          '{ customs { results(taskId: "task-customs-2") { id } } }',
          {},
          service,
        );
        expect(byTask.data!.customs.results.map((r) => r.id)).toEqual([refusedId]);
        expect(onlyError(await post(stats, { after: null })).code).toBe('UNAUTHENTICATED');

        // R25: approve, then publish (the department's admin); only the service writes back, only the admin publishes.
        const ids = rows.map((r) => r.id);
        expect(
          onlyError(await post('mutation($ids: [ID!]!) { customsPublishResults(ids: $ids) { id } }', { ids }, admin))
            .code,
        ).toBe('CONFLICT');
        expect(
          onlyError(await post('mutation($ids: [ID!]!) { customsApproveResults(ids: $ids) { id } }', { ids }, service))
            .code,
        ).toBe('FORBIDDEN');
        const approved = await post<{ customsApproveResults: Array<{ status: string; approvedAt: string }> }>(
          'mutation($ids: [ID!]!) { customsApproveResults(ids: $ids) { status approvedAt } }',
          { ids },
          admin,
        );
        expect(approved.errors).toBeUndefined();
        expect(approved.data!.customsApproveResults.every((r) => r.status === 'APPROVED' && r.approvedAt)).toBe(true);
        const published = await post<{ customsPublishResults: Array<{ status: string; publishedAt: string }> }>(
          'mutation($ids: [ID!]!) { customsPublishResults(ids: $ids) { status publishedAt } }',
          { ids },
          admin,
        );
        expect(published.errors).toBeUndefined();
        expect(
          published.data!.customsPublishResults.every(
            (r) => r.status === 'PUBLISHED' && !Number.isNaN(Date.parse(r.publishedAt)),
          ),
        ).toBe(true);
        expect(customs.results().every((r) => r.status === 'PUBLISHED' && r.approvedBy === 'customs.admin')).toBe(true);

        const pub = await post<{
          customs: {
            publishedResults: Array<{
              id: string;
              confidentialNotes: string | null;
              notes: string;
              dishonesty: boolean;
              department: string;
            }>;
          };
        }>(
          `{ customs { publishedResults(uscc: "${target.uscc}") { id notes confidentialNotes dishonesty ` +
            `department } } }`,
        );
        expect(pub.errors).toBeUndefined();
        expect(pub.data!.customs.publishedResults).toHaveLength(ids.length);
        expect(
          pub.data!.customs.publishedResults.every((r) => r.confidentialNotes === null && r.department === 'customs'),
        ).toBe(true);
        expect(pub.data!.customs.publishedResults.filter((r) => r.dishonesty).map((r) => r.id)).toEqual([refusedId]);

        // R27: the published serious refusal is a dishonesty record on the view.
        const view = await post<{
          _entities: Array<{ customs: { dishonestyRecords: Array<{ id: string; outcome: string }> } }>;
        }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { customs { ' +
            'dishonestyRecords { id outcome } } } } }',
          { r: [{ __typename: 'MarketEntity', uscc: target.uscc }] },
          await sign('COORDINATOR', 'market'),
        );
        expect(view.errors).toBeUndefined();
        expect(view.data!._entities[0]!.customs.dishonestyRecords).toEqual([
          { id: refusedId, outcome: 'REFUSED_SERIOUS' },
        ]);

        // R28: a correction is a new published record pointing at the old one.
        const correction = await post<{
          customsCorrectResult: { id: string; correctsId: string; status: string; outcome: string };
        }>(
          'mutation($id: ID!) { customsCorrectResult(id: $id, outcome: "NO_PROBLEM", reason: "复核确认企业已配合检查") { ' +
            'id correctsId status outcome } }',
          { id: refusedId },
          await sign('PRINCIPAL_HEAD', 'customs'),
        );
        expect(correction.errors).toBeUndefined();
        expect(correction.data!.customsCorrectResult).toMatchObject({
          correctsId: refusedId,
          status: 'PUBLISHED',
          outcome: 'NO_PROBLEM',
        });
        expect(customs.results().find((r) => r.id === refusedId)!.outcome).toBe('REFUSED_SERIOUS');
      },
    );
  });

  describe('the customs view of market entities (_entities)', () => {
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc customs {
      department uscc onRoster creditLevel riskLevel penaltiesLast3Years verifiedComplaints applicableItems { code } } } } }`;
    type View = {
      department: string;
      uscc: string;
      onRoster: boolean;
      creditLevel: string | null;
      riskLevel: string | null;
      penaltiesLast3Years: number;
      verifiedComplaints: number;
      applicableItems: Array<{ code: string }>;
    };

    it('answers many USCCs in one call, looked up in one batch', async () => {
      const roster = customs.targets.slice(0, 40);
      const strangers = [withCheck('91310101MA1FL0000'), withCheck('91310115MA1FL0001')];
      const usccs = [...roster.map((t) => t.uscc!), ...strangers];
      const batches = customs.stats.entityBatches.length;
      const response = await post<{ _entities: Array<{ uscc: string; customs: View }> }>(
        ENTITIES,
        { r: usccs.map((uscc) => ({ __typename: 'MarketEntity', uscc })) },
        await sign('SERVICE', null, 'joint'),
      );
      expect(response.errors).toBeUndefined();
      const entities = response.data!._entities;
      expect(entities.map((e) => e.uscc)).toEqual(usccs);
      roster.forEach((t, i) => {
        expect(entities[i]!.customs).toMatchObject({
          department: 'customs',
          uscc: t.uscc,
          onRoster: true,
          creditLevel: t.creditLevel,
          riskLevel: t.riskLevel,
          penaltiesLast3Years: t.penaltiesLast3Years,
          verifiedComplaints: t.verifiedComplaints,
        });
      });
      for (const e of entities.slice(40))
        expect(e.customs).toEqual({
          department: 'customs',
          uscc: e.uscc,
          onRoster: false,
          creditLevel: null,
          riskLevel: null,
          penaltiesLast3Years: 0,
          verifiedComplaints: 0,
          applicableItems: [],
        });
      // One lookup for the whole call (the views and their applicable items alike).
      expect(customs.stats.entityBatches.slice(batches)).toEqual([42]);

      // Applicable items follow the target's industry (R22): CUS-05 for manufacturing (C), CUS-07 for food (C13, C14)
      // and trade (F).
      roster.forEach((t, i) => {
        const codes = entities[i]!.customs.applicableItems.map((a) => a.code);
        expect(codes).toEqual(expect.arrayContaining(['CUS-01', 'CUS-02', 'CUS-03', 'CUS-04', 'CUS-08']));
        expect(codes.includes('CUS-05')).toBe(t.industryCode.startsWith('C'));
        expect(codes.includes('CUS-06')).toBe(t.industryCode.startsWith('C') || t.industryCode.startsWith('F'));
        expect(codes.includes('CUS-07')).toBe(
          ['C13', 'C14'].includes(t.industryCode) || t.industryCode.startsWith('F'),
        );
      });
      expect(new Set(roster.map((t) => t.industryCode[0])).size).toBeGreaterThan(1);
    });

    it(
      "shows the view to signed-in staff who may read it (R30), not to the public or other departments' " +
        'inspectors',
      async () => {
        const r = [{ __typename: 'MarketEntity', uscc: customs.targets[0]!.uscc }];
        const anonymous = await post<{ _entities: Array<{ uscc: string; customs: View | null }> }>(ENTITIES, { r });
        expect(anonymous.data!._entities[0]).toEqual({ uscc: customs.targets[0]!.uscc, customs: null });
        expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
        const taxInspector = await post<{ _entities: Array<{ customs: View | null }> }>(
          ENTITIES,
          { r },
          await sign('INSPECTOR', 'tax'),
        );
        expect(taxInspector.data!._entities[0]!.customs).toBeNull();
        expect(taxInspector.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
        for (const token of [
          await sign('COORDINATOR', 'fire'),
          await sign('INSPECTOR', 'customs'),
          await sign('AUDITOR'),
        ]) {
          const ok = await post<{ _entities: Array<{ customs: View | null }> }>(ENTITIES, { r }, token);
          expect(ok.errors).toBeUndefined();
          expect(ok.data!._entities[0]!.customs!.onRoster).toBe(true);
        }
      },
    );
  });

  it(
    'refuses a bad token with UNAUTHENTICATED (HTTP 401): another key, another audience, a role without its ' +
      'department',
    async () => {
      const query = '{ customs { contractVersion } }';
      expect((await post<{ customs: { contractVersion: number } }>(query)).data!.customs.contractVersion).toBe(1);
      for (const token of [
        await sign('SERVICE', null, 'joint', otherKey),
        await new SignJWT({ role: 'SERVICE' })
          .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
          .setSubject('joint')
          .setIssuer(ISSUER)
          .setAudience('elsewhere')
          .setExpirationTime('5m')
          .sign(signingKey),
        await new SignJWT({ role: 'DEPT_ADMIN' })
          .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
          .setSubject('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(signingKey),
        'not-a-jwt',
      ]) {
        const response = await post(query, {}, token);
        expect(response.status).toBe(401);
        expect(onlyError(response).code).toBe('UNAUTHENTICATED');
      }
    },
  );

  it(
    'makes the same demo data from the same seed, and serves a changed contract when asked (for the hub to ' +
      'refuse)',
    async () => {
      const jwks = {
        keys: [{ ...(await exportJWK((await generateKeyPair('EdDSA', { extractable: true })).publicKey)), kid: 'x' }],
      };
      const broken = await startCustomsSubgraph({
        jwks,
        issuer: ISSUER,
        audience: AUDIENCE,
        targets: 10,
        seed: 'customs-demo',
        sdlTransform: (sdl) =>
          sdl
            .replace(
              /\n\s*"""\n\s*The roster in scope as tab-separated lines[^"]*"""\n\s*exportTargetRows\([\s\S]*?\): RosterRows\n/,
              '\n',
            )
            .replace('  HIGH\n}', '  HIGH\n  EXTREME\n}'),
      });
      try {
        expect(broken.targets).toEqual(customs.targets.filter((t) => broken.targets.some((b) => b.id === t.id)));
        expect(broken.targets).toHaveLength(10);
        const sdl = (await post<{ _service: { sdl: string } }>('{ _service { sdl } }', {}, undefined, broken.url)).data!
          ._service.sdl;
        expect(sdl).not.toContain('exportTargetRows');
        expect(sdl).toContain('EXTREME');
        // The handle's SDL is the (transformed) contract text the schema was built from; _service prints it with the
        // federation definitions.
        expect(broken.sdl).not.toContain('exportTargetRows');
        expect(broken.sdl).toContain('  HIGH\n  EXTREME\n}');
        const checklist = await post<{ customs: { checklist: unknown[] } }>(
          '{ customs { checklist { code } } }',
          {},
          undefined,
          broken.url,
        );
        expect(checklist.data!.customs.checklist).toHaveLength(8);
        expect(onlyError(await post('{ customs { exportTargetRows { tsv } } }', {}, undefined, broken.url)).code).toBe(
          'GRAPHQL_VALIDATION_FAILED',
        );
      } finally {
        await broken.stop();
      }
      const other = await startCustomsSubgraph({
        jwks,
        issuer: ISSUER,
        audience: AUDIENCE,
        targets: 5,
        seed: 'another-seed',
      });
      try {
        expect(other.targets.map((t) => t.id)).not.toEqual(customs.targets.slice(0, 5).map((t) => t.id));
        expect(other.targets.every((t) => validUscc(t.uscc!))).toBe(true);
      } finally {
        await other.stop();
      }
    },
  );
});
