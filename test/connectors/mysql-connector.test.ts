import mysql from 'mysql2/promise';
import { connectorStore } from '../../connectors/core/connector-store';
import { MysqlConnector } from '../../connectors/mysql/mysql-connector';
import { loadConfig } from '../../kernel/config';
import { startDepartment, type RunningDepartment } from '../../subgraphs/department-kernel/run';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { testDatabases } from '../support/databases';
import { emergency, emergencyLegacySchema, legacyUscc } from '../support/emergency-legacy';
import { postGraphQL, testKeys } from '../support/hub';

const MYSQL = process.env.JOINTCHECK_MYSQL_URL?.replace(/\/$/, '');
const uscc = legacyUscc;

/**
 * The MySQL connector over a schema that is not ours (issue E). It needs MySQL: it runs when
 * JOINTCHECK_MYSQL_URL is set (`.ci/run` sets it) and is skipped otherwise. The department's own
 * subgraph database is the test database as usual.
 */
(MYSQL ? describe : describe.skip)('a department on the MySQL connector (an existing schema of its own)', () => {
  const database = testDatabases().find((d) => d.label === 'mysql')!;
  let legacy: Awaited<ReturnType<typeof emergencyLegacySchema>>;
  let admin: mysql.Connection;
  let connector: MysqlConnector;
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
      await keys.issuer.issueFor('emergency', { subject: 'test', role, department: dept }),
    );

  beforeAll(async () => {
    legacy = await emergencyLegacySchema(MYSQL!);
    admin = legacy.admin;
    connector = legacy.connector;
    keys = await testKeys();
    const config = loadConfig({
      ...database.env,
      JOINTCHECK_PORT: '0',
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_DEV_KEYS: 'false',
    });
    department = await startDepartment(emergency, config, {
      verifier: keys.verifier,
      logger: createLogger('silent', 'emergency'),
      port: 0,
      store: connectorStore(connector),
    });
  });
  afterAll(async () => {
    await department?.stop();
    await legacy?.drop();
    await database?.drop(['emergency']);
  });

  it('serves the checklist, inspectors and roster of the existing tables in contract terms', async () => {
    const r = await ask<{
      emergency: {
        checklist: Array<{ code: string; category: string; ratioCapPercent: number | null }>;
        inspectors: { nodes: Array<{ id: string; domains: string[]; qualified: boolean }> };
        targets: { nodes: Array<{ id: string; riskLevel: string }> };
      };
    }>(
      '{ emergency { checklist { code category ratioCapPercent } inspectors(first: 10) { nodes { id domains ' +
        'qualified } } targets(first: 3) { nodes { id riskLevel } } } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.emergency.checklist).toEqual([
      { code: 'YJ-01', category: 'KEY', ratioCapPercent: null },
      { code: 'YJ-02', category: 'GENERAL', ratioCapPercent: 10 },
    ]);
    expect(r.data!.emergency.inspectors.nodes).toEqual([
      { id: 'YJ-001', domains: ['危险化学品', '工贸安全'], qualified: true },
      { id: 'YJ-002', domains: ['工贸安全'], qualified: false },
    ]);
    expect(r.data!.emergency.targets.nodes[0]).toEqual({ id: uscc(1), riskLevel: 'LOW' });
  });

  it(
    'the bulk export pages the whole roster in id order; ' + 'views of many targets cost one statement per 500',
    async () => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const r: {
          data?: {
            emergency: { exportTargetRows: { tsv: string; endCursor: string | null; hasMore: boolean } };
          } | null;
        } = await ask(
          'query($after: String) { emergency { exportTargetRows(first: 200, after: $after) { tsv endCursor ' +
            'hasMore } } }',
          { after },
        );
        const page = r.data!.emergency.exportTargetRows;
        ids.push(
          ...page.tsv
            .split('\n')
            .filter(Boolean)
            .map((l) => l.split('\t')[0]!),
        );
        if (!page.hasMore) break;
        after = page.endCursor;
      }
      expect(ids).toHaveLength(650);
      expect(ids).toEqual([...ids].sort());
      const before = connector.stats.statements;
      const found = await connector.targetsByUscc(ids);
      expect(found).toHaveLength(650);
      // Two statements: 500 and 150.
      expect(connector.stats.statements - before).toBe(2);
    },
  );

  it(
    'R24: results written back go to the table the mapping ' + 'names, once; roster changes are refused (R30)',
    async () => {
      const input = [
        {
          idempotencyKey: 'sub-7:emergency:YJ-01',
          taskId: 'task-7',
          targetKey: uscc(1),
          uscc: uscc(1),
          itemCode: 'YJ-01',
          itemVersion: 1,
          outcome: 'NO_PROBLEM',
          method: 'ON_SITE',
          notes: '现场检查',
          confidentialNotes: null,
          evidence: [],
          inspectors: ['31000020200001'],
          inspectedOn: '2026-03-04',
        },
      ];
      const RECORD = 'mutation($input: [ResultInput!]!) { emergencyRecordResults(input: $input) { created } }';
      expect(
        (await ask<{ emergencyRecordResults: Array<{ created: boolean }> }>(RECORD, { input })).data!
          .emergencyRecordResults,
      ).toEqual([{ created: true }]);
      expect(
        (await ask<{ emergencyRecordResults: Array<{ created: boolean }> }>(RECORD, { input })).data!
          .emergencyRecordResults,
      ).toEqual([{ created: false }]);
      const [rows] = await admin.query(
        `SELECT ywbh, rwbh, tyshxydm, sxbm, jcjl, DATE_FORMAT(jcrq, '%Y-%m-%d') AS jcrq, zfry FROM ` +
          `\`${legacy.name}\`.jcjg`,
      );
      expect(rows).toEqual([
        {
          ywbh: 'sub-7:emergency:YJ-01',
          rwbh: 'task-7',
          tyshxydm: uscc(1),
          sxbm: 'YJ-01',
          jcjl: 'NO_PROBLEM',
          jcrq: '2026-03-04',
          zfry: '31000020200001',
        },
      ]);
      const refused = await ask('mutation { emergencyImportTargets(targets: []) }', {}, Role.DEPT_ADMIN, 'emergency');
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
    },
  );

  it('a database that cannot be reached is a DOWNSTREAM_SERVICE_ERROR naming the department', async () => {
    const away = new MysqlConnector(connector.mapping, 'mysql://root@127.0.0.1:9/none');
    try {
      await expect(away.checklist()).rejects.toMatchObject({
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'emergency' },
      });
    } finally {
      await away.close();
    }
  });
});
