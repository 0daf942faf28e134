import path from 'node:path';
import { loadRestMapping } from '../../connectors/rest/mapping';
import { RestConnector } from '../../connectors/rest/rest-connector';
import { connectorStore } from '../../connectors/core/connector-store';
import { startHealthSystem, type HealthSystem } from '../../connectors/upstream/health-system/server';
import { health } from '../../subgraphs/health';
import { loadConfig } from '../../kernel/config';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { testDatabases } from '../support/databases';
import { postGraphQL, testKeys } from '../support/hub';

const KEY = 'health-key';

/** The health department on the REST connector answers the contract from the existing system. */
describe.each(testDatabases())('a department on the REST connector ($label)', (database) => {
  let system: HealthSystem;
  let department: RunningDepartment;
  let keys: Awaited<ReturnType<typeof testKeys>>;
  const ask = async <T>(
    query: string,
    variables: Record<string, unknown> = {},
    role: Role = Role.SERVICE,
    dept: string | null = null,
  ) =>
    postGraphQL<T>(
      department.url,
      query,
      variables,
      await keys.issuer.issueFor('health', { subject: 'test', role, department: dept }),
    );

  beforeAll(async () => {
    keys = await testKeys();
    system = await startHealthSystem({ registerSeed: 'test-seed', registerSize: 2000, apiKey: KEY });
    const connector = new RestConnector(
      loadRestMapping(path.join(__dirname, '..', '..', 'connectors', 'health', 'mapping.yaml')),
      { baseUrl: system.url, apiKey: KEY, retries: 1, backoffMs: 10 },
    );
    const config = loadConfig({
      ...database.env,
      JOINTCHECK_PORT: '0',
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_DEV_KEYS: 'false',
    });
    department = await startDepartment(health, config, {
      verifier: keys.verifier,
      logger: createLogger('silent', 'health'),
      port: 0,
      store: connectorStore(connector),
    });
  });
  afterAll(async () => {
    await department?.stop();
    await system?.stop();
    await database.drop(['health']);
  });

  it('serves the checklist, the roster and inspectors of the existing system in contract terms', async () => {
    const r = await ask<{
      health: {
        checklist: Array<{ code: string; category: string; ratioCapPercent: number | null }>;
        inspectors: { nodes: Array<{ id: string }> };
      };
    }>('{ health { checklist { code category ratioCapPercent } inspectors(first: 100) { nodes { id } } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data!.health.checklist.map((i) => i.code)).toEqual([
      'WJ-001',
      'WJ-002',
      'WJ-003',
      'WJ-004',
      'WJ-005',
      'WJ-006',
      'WJ-007',
      'WJ-008',
    ]);
    expect(r.data!.health.checklist.find((i) => i.code === 'WJ-005')).toEqual({
      code: 'WJ-005',
      category: 'GENERAL',
      ratioCapPercent: 10,
    });
    expect(r.data!.health.inspectors.nodes).toHaveLength(24);
  });

  it('the bulk export pages the whole roster in id order, as the draw reads it', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: Awaited<
        ReturnType<
          typeof ask<{
            health: { exportTargetRows: { tsv: string; count: number; endCursor: string | null; hasMore: boolean } };
          }>
        >
      > = await ask(
        'query($after: String) { health { exportTargetRows(first: 25, after: $after) { tsv count endCursor ' +
          'hasMore } } }',
        { after },
      );
      expect(r.errors).toBeUndefined();
      const page = r.data!.health.exportTargetRows;
      const lines = page.tsv.split('\n').filter(Boolean);
      expect(lines).toHaveLength(page.count);
      ids.push(...lines.map((l) => l.split('\t')[0]!));
      if (!page.hasMore) break;
      after = page.endCursor;
    }
    expect(ids.length).toBeGreaterThan(100);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("many targets' views in one request make one upstream call per batch of 100", async () => {
    const export_ = await ask<{ health: { exportTargetRows: { tsv: string } } }>(
      '{ health { exportTargetRows(first: 250) { tsv } } }',
    );
    const usccs = export_
      .data!.health.exportTargetRows.tsv.split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[2]!);
    system.calls.length = 0;
    const r = await ask<{ _entities: Array<{ uscc: string; health: { onRoster: boolean; riskLevel: string } }> }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on MarketEntity { uscc health { onRoster ' +
        'riskLevel } } } }',
      { r: usccs.map((uscc) => ({ __typename: 'MarketEntity', uscc })) },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!._entities.every((e) => e.health.onRoster)).toBe(true);
    expect(system.calls.filter((c) => c.path === '/v2/units/batch')).toHaveLength(Math.ceil(usccs.length / 100));
  });

  it(
    'R24: results written back are recorded and sent on to the existing system once; if it cannot take them, ' +
      'nothing is recorded and a later send succeeds',
    async () => {
      const uscc = (
        await ask<{ health: { exportTargetRows: { tsv: string } } }>(
          '{ health { exportTargetRows(first: 1) { tsv } } }',
        )
      ).data!.health.exportTargetRows.tsv.split('\t')[2]!;
      const input = [
        {
          idempotencyKey: 'sub-9:health:WJ-001',
          taskId: 'task-9',
          targetKey: uscc,
          uscc,
          itemCode: 'WJ-001',
          itemVersion: 1,
          outcome: 'NO_PROBLEM',
          method: 'ON_SITE',
          notes: '现场检查',
          confidentialNotes: null,
          evidence: [],
          inspectors: ['310000201800001'],
          inspectedOn: '2026-03-04',
        },
        {
          idempotencyKey: 'sub-9:health:WJ-003',
          taskId: 'task-9',
          targetKey: uscc,
          uscc,
          itemCode: 'WJ-003',
          itemVersion: 1,
          outcome: 'NO_PROBLEM',
          method: 'ON_SITE',
          notes: null,
          confidentialNotes: null,
          evidence: [],
          inspectors: ['310000201800001'],
          inspectedOn: '2026-03-04',
        },
      ];
      const RECORD =
        'mutation($input: [ResultInput!]!) { healthRecordResults(input: $input) { idempotencyKey created } }';
      const upstreamResults = async () => {
        const r = await fetch(`${system.url}/api/v2/results?pageSize=500`, { headers: { 'x-api-key': KEY } });
        return (
          (await r.json()) as { data: { records: Array<{ request_key: string; payload: Record<string, unknown> }> } }
        ).data.records;
      };
      // The existing system is down: the hub records nothing, and says so.
      system.faults.push({ path: /results/, times: 10, status: 503 });
      const refused = await ask<unknown>(RECORD, { input });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'DOWNSTREAM_SERVICE_ERROR', upstreamStatus: 503 });
      const none = await ask<{ health: { results: unknown[] } }>(
        '{ health { results(taskId: "task-9", first: 10) { id } } }',
      );
      expect(none.data!.health.results).toHaveLength(0);
      system.faults.length = 0;
      // Back: recorded once here and there; a repeat changes nothing.
      const first = await ask<{ healthRecordResults: Array<{ created: boolean }> }>(RECORD, { input });
      expect(first.errors).toBeUndefined();
      expect(first.data!.healthRecordResults.every((r) => r.created)).toBe(true);
      const again = await ask<{ healthRecordResults: Array<{ created: boolean }> }>(RECORD, { input });
      expect(again.data!.healthRecordResults.every((r) => !r.created)).toBe(true);
      const upstream = (await upstreamResults()).filter((r) => r.request_key.startsWith('sub-9:'));
      expect(upstream).toHaveLength(2);
      expect(upstream.find((r) => r.request_key === 'sub-9:health:WJ-001')!.payload).toMatchObject({
        upstream_task_no: 'task-9',
        unit_credit_code: uscc,
        item_no: 'WJ-001',
        item_edition: 1,
        conclusion: 'NO_PROBLEM',
        check_date: '2026-03-04',
        officer_cert_nos: ['310000201800001'],
        dishonest: false,
      });
      const stored = await ask<{ health: { results: unknown[] } }>(
        '{ health { results(taskId: "task-9", first: 10) { id } } }',
      );
      expect(stored.data!.health.results).toHaveLength(2);
    },
  );

  it(
    "R24: a delivery that fails part-way never takes another delivery's records with it (the system is written " +
      'before the local transaction)',
    async () => {
      const uscc = (
        await ask<{ health: { exportTargetRows: { tsv: string } } }>(
          '{ health { exportTargetRows(first: 1) { tsv } } }',
        )
      ).data!.health.exportTargetRows.tsv.split('\t')[2]!;
      const result = (key: string, item: string) => ({
        idempotencyKey: key,
        taskId: 'task-10',
        targetKey: uscc,
        uscc,
        itemCode: item,
        itemVersion: 1,
        outcome: 'NO_PROBLEM',
        method: 'ON_SITE',
        notes: null,
        confidentialNotes: null,
        evidence: [],
        inspectors: ['310000201800001'],
        inspectedOn: '2026-03-04',
      });
      const RECORD = 'mutation($input: [ResultInput!]!) { healthRecordResults(input: $input) { created } }';
      // A: two results; its first send is slow, its second will fail. B arrives meanwhile.
      system.faults.push({ path: /results/, times: 1, delayMs: 400 });
      const a = ask<unknown>(RECORD, { input: [result('A:1', 'WJ-001'), result('A:2', 'WJ-002')] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const b = await ask<{ healthRecordResults: Array<{ created: boolean }> }>(RECORD, {
        input: [result('B:1', 'WJ-004')],
      });
      expect(b.data!.healthRecordResults).toEqual([{ created: true }]);
      system.faults.push({ path: /results/, times: 10, status: 503 });
      const failed = await a;
      system.faults.length = 0;
      expect((failed as { errors?: Array<{ extensions: { code: string } }> }).errors?.[0]?.extensions.code).toBe(
        'DOWNSTREAM_SERVICE_ERROR',
      );
      const listed = await ask<{ health: { results: Array<{ idempotencyKey: string }> } }>(
        '{ health { results(taskId: "task-10", first: 10) { idempotencyKey } } }',
      );
      expect(listed.data!.health.results.map((r) => r.idempotencyKey)).toEqual(['B:1']);
      // A sent again: recorded once, here and there.
      const again = await ask<{ healthRecordResults: Array<{ created: boolean }> }>(RECORD, {
        input: [result('A:1', 'WJ-001'), result('A:2', 'WJ-002')],
      });
      expect(again.data!.healthRecordResults).toEqual([{ created: true }, { created: true }]);
    },
  );

  it('R30: its checklist and roster are changed in its own system: the hub refuses, saying where', async () => {
    const r = await ask(
      'mutation { healthRepealChecklistItem(code: "WJ-001", reason: "法规废止") { code } }',
      {},
      Role.DEPT_ADMIN,
      'health',
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
    expect(r.errors?.[0]?.message).toContain('keeps its checklist in its own system');
  });
});
