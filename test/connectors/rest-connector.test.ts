import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRestMapping, mapRecord, type RestMapping } from '../../connectors/rest/mapping';
import { RestConnector } from '../../connectors/rest/rest-connector';
import { upstreamHealthProbe } from '../../connectors/department';
import type { ResultRow } from '../../subgraphs/department-kernel/results/entities';
import { startHealthSystem, type HealthSystem } from '../../connectors/upstream/health-system/server';
import { isValidUscc } from '../../kernel/uscc';

const KEY = 'health-key';
const MAPPING = path.join(__dirname, '..', '..', 'connectors', 'health', 'mapping.yaml');

describe('the REST connector: the health system through its declarative mapping', () => {
  let system: HealthSystem;
  let mapping: RestMapping;
  const connector = (overrides: Partial<RestMapping> = {}) =>
    new RestConnector({ ...mapping, ...overrides }, { baseUrl: system.url, apiKey: KEY, retries: 1, backoffMs: 10 });

  beforeAll(async () => {
    mapping = loadRestMapping(MAPPING);
    system = await startHealthSystem({ registerSeed: 'test-seed', registerSize: 2000, apiKey: KEY });
  });
  afterAll(async () => {
    await system?.stop();
  });
  beforeEach(() => {
    system.calls.length = 0;
    system.faults.length = 0;
  });

  it('pages through the whole roster in contract terms, cutting contract pages out of the upstream pages', async () => {
    // Small upstream pages (7) and contract pages (10) that do not line up.
    const small = connector({ paging: { ...mapping.paging, maxSize: 7 } });
    const whole = await connector().listTargets(0, 10_000);
    expect(whole.total).toBeGreaterThan(100);
    expect(whole.rows).toHaveLength(whole.total);
    const paged = [];
    for (let offset = 0; ; offset += 10) {
      const page = await small.listTargets(offset, 10);
      paged.push(...page.rows);
      if (!page.hasMore) break;
    }
    expect(paged.map((t) => t.id)).toEqual(whole.rows.map((t) => t.id));
    for (const t of whole.rows) {
      expect(isValidUscc(t.uscc!)).toBe(true);
      expect(t).toMatchObject({
        id: t.uscc,
        kind: 'ENTERPRISE',
        creditLevel: expect.stringMatching(/^[ABCD]$/),
        riskLevel: expect.stringMatching(/^(LOW|GENERAL|ELEVATED|HIGH)$/),
      });
    }
  });

  it(
    "a read of many pages has a deadline in all, besides each attempt's timeout: a slow system is reported, " +
      'not waited on page after page',
    async () => {
      // Pages of 7 (20 pages or more), each answered after 200 ms: well within the 5 s per attempt, not within 1 s in
      // all.
      const small = { ...mapping, paging: { ...mapping.paging, maxSize: 7 } };
      const slow = new RestConnector(small, {
        baseUrl: system.url,
        apiKey: KEY,
        retries: 0,
        timeoutMs: 5000,
        readDeadlineMs: 1000,
      });
      system.faults.push({ path: /^\/v2\/units$/, times: 1000, delayMs: 200 });
      await expect(slow.listTargets(0, 10_000)).rejects.toMatchObject({
        message: expect.stringMatching(/too slow/),
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'health' },
      });
      const pagesAsked = system.calls.filter((c) => c.path === '/v2/units').length;
      expect(pagesAsked).toBeGreaterThanOrEqual(1);
      expect(pagesAsked).toBeLessThanOrEqual(6);
      // A page still under way when the deadline passes is cut off there, not waited on for its own timeout.
      system.faults.length = 0;
      system.faults.push({ path: /^\/v2\/units$/, times: 1000, delayMs: 3000 });
      const cut = new RestConnector(small, {
        baseUrl: system.url,
        apiKey: KEY,
        retries: 2,
        timeoutMs: 5000,
        readDeadlineMs: 300,
      });
      await expect(cut.listTargets(0, 10_000)).rejects.toMatchObject({
        message: expect.stringMatching(/ran past its deadline/),
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
      });
      // The same slow pages under the default deadline (60 s) are read to the end.
      system.faults.length = 0;
      system.faults.push({ path: /^\/v2\/units$/, times: 1000, delayMs: 60 });
      const patient = new RestConnector(small, { baseUrl: system.url, apiKey: KEY, retries: 0, timeoutMs: 5000 });
      expect((await patient.listTargets(0, 10_000)).rows.length).toBeGreaterThan(100);
    },
  );

  it("its health check uses the hub's key: a refused key is unhealthy, like an unreachable system", async () => {
    expect(await connector().healthCheck()).toMatchObject({ ok: true, status: 200 });
    const revoked = new RestConnector(mapping, { baseUrl: system.url, apiKey: 'a-revoked-key', retries: 0 });
    expect(await revoked.healthCheck()).toMatchObject({ ok: false, status: 401, error: 'HTTP 401' });
  });

  it(
    "a subgraph's /health makes one check of the system for many requests at once, gives up on a hanging " +
      "system within its limit, and never shows the system's address",
    async () => {
      const probe = upstreamHealthProbe(connector(), 300);
      system.calls.length = 0;
      const answers = await Promise.all(Array.from({ length: 20 }, () => probe()));
      expect(answers.every((a) => a.ok)).toBe(true);
      expect(system.calls.filter((c) => c.path === '/v2/items')).toHaveLength(1);
      expect(JSON.stringify(answers[0])).not.toContain(new URL(system.url).host);
      system.faults.push({ path: /^\/v2\/items$/, times: 5, delayMs: 1500 });
      const hanging = await upstreamHealthProbe(connector(), 300)();
      expect(hanging).toMatchObject({
        ok: false,
        detail: { upstream: { ok: false, error: 'The health system did not answer the health check within 300 ms.' } },
      });
    },
  );

  it('the stand-in reports a port it cannot take instead of crashing its process', async () => {
    const port = Number(new URL(system.url).port);
    await expect(startHealthSystem({ registerSeed: 'test-seed', registerSize: 10, apiKey: KEY, port })).rejects.toThrow(
      /could not listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/,
    );
  });

  it('a lookup of many targets makes one upstream call per batch of 100, not one per target', async () => {
    const all = (await connector().listTargets(0, 10_000)).rows;
    const usccs = all.map((t) => t.uscc!).slice(0, 250);
    expect(usccs.length).toBeGreaterThan(200);
    system.calls.length = 0;
    const found = await connector().targetsByUscc([...usccs, '91310000MA1FL0000X']);
    expect(found.map((t) => t.uscc).sort()).toEqual([...usccs].sort());
    expect(system.calls.filter((c) => c.path === '/v2/units/batch')).toHaveLength(Math.ceil((usccs.length + 1) / 100));
  });

  it('the region filter goes to the upstream as its own parameter', async () => {
    const page = await connector().listTargets(0, 1000, { regions: ['310104'] });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((t) => t.regionCode === '310104')).toBe(true);
    expect(system.calls.some((c) => c.query.includes('areaPrefix=310104'))).toBe(true);
  });

  it('inspectors and the checklist come out in contract terms (lists split, codes mapped)', async () => {
    const inspectors = await connector().listInspectors(0, 100);
    expect(inspectors.total).toBe(24);
    expect(inspectors.rows[0]).toMatchObject({
      id: 'WJ-S001',
      certificateNo: expect.any(String),
      domains: expect.any(Array),
      jurisdiction: expect.any(Array),
      qualified: true,
    });
    expect(inspectors.rows.find((i) => i.id === 'WJ-S024')!.qualified).toBe(false);
    const checklist = await connector().checklist();
    expect(checklist).toHaveLength(8);
    expect(checklist.find((i) => i.code === 'WJ-001')).toMatchObject({
      version: 1,
      category: 'KEY',
      status: 'CURRENT',
      ratioCapPercent: null,
      basis: expect.stringContaining('医疗机构管理条例'),
    });
    expect(checklist.find((i) => i.code === 'WJ-005')).toMatchObject({ category: 'GENERAL', ratioCapPercent: 10 });
  });

  it('results are written back under their idempotency key: a repeat answers the record already made', async () => {
    const row = {
      idempotencyKey: 'sub-1:health:WJ-001',
      taskId: 't-1',
      uscc: '91310104MA1FL0000X',
      itemCode: 'WJ-001',
      itemVersion: 1,
      outcome: 'NO_PROBLEM',
      method: 'ON_SITE',
      inspectedOn: '2026-03-04',
      inspectors: ['x'],
      notes: null,
      dishonesty: false,
    } as unknown as ResultRow;
    const first = await connector().writeResult(row);
    const again = await connector().writeResult(row);
    expect(first.created).toBe(true);
    expect(again).toEqual({ created: false, recordId: first.recordId });
  });

  it(
    "the system's refusals of the hub's own requests are DOWNSTREAM errors (sent again later, never dropped); " +
      'paging without a total still finds every row',
    async () => {
      system.faults.push({ path: /results/, times: 1, status: 422 });
      const row = {
        idempotencyKey: 'sub-2:health:WJ-001',
        taskId: 't-2',
        uscc: null,
        itemCode: 'WJ-001',
        itemVersion: 1,
        outcome: 'NO_PROBLEM',
        method: 'ON_SITE',
        inspectedOn: '2026-03-04',
        inspectors: ['x'],
        notes: null,
        dishonesty: false,
      } as unknown as ResultRow;
      await expect(connector().writeResult(row)).rejects.toMatchObject({
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', upstreamStatus: 422 },
      });
      await expect(
        connector({ targets: { ...mapping.targets, filters: {} } }).listTargets(0, 10, { regions: ['310104'] }),
      ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.regions' } });
      const whole = await connector().listTargets(0, 10_000);
      const noTotal = connector({ paging: { ...mapping.paging, maxSize: 7, total: undefined } });
      const paged = [];
      for (let offset = 0; ; offset += 14) {
        const page = await noTotal.listTargets(offset, 14);
        paged.push(...page.rows);
        if (!page.hasMore) break;
      }
      expect(paged.map((t) => t.id)).toEqual(whole.rows.map((t) => t.id));
    },
  );

  it('a record outside the mapping is refused by name, and a mapping file with mistakes says each one', () => {
    const { problems } = mapRecord({ risk_grade: 9, credit_code: 'x' }, mapping.targets.fields);
    expect(problems).toEqual(
      expect.arrayContaining([
        "riskLevel: risk_grade '9' is not in the mapping (1, 2, 3, 4)",
        'name: the record has no unit_name',
      ]),
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-mapping-')), 'bad.yaml');
    fs.writeFileSync(file, 'department: Health\nname: x\n');
    expect(() => loadRestMapping(file)).toThrow(/department: a department code.*auth: /);
  });
});
