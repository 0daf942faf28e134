import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { connectorStore } from '../../connectors/core/connector-store';
import { loadMysqlMapping } from '../../connectors/mysql/mapping';
import { MysqlConnector } from '../../connectors/mysql/mysql-connector';
import { loadConfig } from '../../subgraphs/kernel/config';
import { defineDepartment } from '../../subgraphs/kernel/department/define';
import { startDepartment, type RunningDepartment } from '../../subgraphs/kernel/department/run';
import { Role } from '../../subgraphs/kernel/identity';
import { createLogger } from '../../subgraphs/kernel/log';
import { usccCheckCharacter } from '../../subgraphs/kernel/uscc';
import { testDatabases } from '../support/databases';
import { postGraphQL, testKeys } from '../support/hub';

const MYSQL = process.env.JOINTCHECK_MYSQL_URL?.replace(/\/$/, '');
const uscc = (n: number) => {
  const first17 = `9131010${String(n).padStart(9, '0')}X`.slice(0, 17);
  return first17 + usccCheckCharacter(first17);
};

const emergency = defineDepartment({
  code: 'emergency',
  name: '应急管理局',
  demo: { checklist: [], domains: [], unit: (d) => d, certificateCode: 'YJ', inspectors: 0, experts: 0, onRoster: () => false },
});

/**
 * The MySQL connector over a schema that is not ours (issue E). It needs MySQL: it runs when
 * JOINTCHECK_MYSQL_URL is set (`.ci/run` sets it) and is skipped otherwise. The department's own
 * subgraph database is the test database as usual.
 */
(MYSQL ? describe : describe.skip)('a department on the MySQL connector (an existing schema of its own)', () => {
  const legacy = `jct_legacy_${randomBytes(3).toString('hex')}`;
  const database = testDatabases().find((d) => d.label === 'mysql')!;
  let admin: mysql.Connection;
  let connector: MysqlConnector;
  let department: RunningDepartment;
  let keys: Awaited<ReturnType<typeof testKeys>>;
  const ask = async <T>(query: string, variables: Record<string, unknown> = {}, role: Role = Role.SERVICE, dept: string | null = null) =>
    postGraphQL<T>(department.url, query, variables, await keys.issuer.issue({ subject: 'test', role, department: dept }));

  beforeAll(async () => {
    admin = await mysql.createConnection({ uri: MYSQL!, multipleStatements: true });
    await admin.query(`CREATE DATABASE \`${legacy}\` CHARACTER SET utf8mb4; USE \`${legacy}\`;
      CREATE TABLE qy_jbxx (tyshxydm CHAR(18) PRIMARY KEY, qymc VARCHAR(100) NOT NULL, xzqh CHAR(6) NOT NULL, hydm VARCHAR(5) NOT NULL, xydj TINYINT NOT NULL, fxdj VARCHAR(4) NOT NULL, cfcs INT NOT NULL, tscs INT NOT NULL);
      CREATE TABLE zfry (rybh VARCHAR(20) PRIMARY KEY, xm VARCHAR(20) NOT NULL, zfzh VARCHAR(30) NOT NULL, ssdw VARCHAR(60) NOT NULL, zyly VARCHAR(200) NOT NULL, gxqy VARCHAR(200) NOT NULL, zgzt VARCHAR(4) NOT NULL, lxdh VARCHAR(20));
      CREATE TABLE jcsx (sxbm VARCHAR(20) NOT NULL, bbh INT NOT NULL, sxmc VARCHAR(100) NOT NULL, sxnr TEXT NOT NULL, flyj TEXT NOT NULL, sxlb VARCHAR(4) NOT NULL, cjbl DECIMAL(5,2), jgly VARCHAR(30) NOT NULL, zt VARCHAR(4) NOT NULL, PRIMARY KEY (sxbm, bbh));
      CREATE TABLE jcjg (jgid INT AUTO_INCREMENT PRIMARY KEY, ywbh VARCHAR(200) NOT NULL UNIQUE, rwbh VARCHAR(40), tyshxydm CHAR(18), sxbm VARCHAR(20), bbh INT, jcjl VARCHAR(40), jcfs VARCHAR(20), jcrq DATE, zfry VARCHAR(400), bz TEXT);`);
    const rows = Array.from({ length: 650 }, (_, i) => [uscc(i + 1), `上海应急测试企业${i + 1}有限公司`, i % 2 ? '310104' : '310105', 'C26', 1 + (i % 4), ['低', '一般', '较高', '高'][i % 4], i % 3, i % 2]);
    await admin.query(`INSERT INTO \`${legacy}\`.qy_jbxx VALUES ?`, [rows]);
    await admin.query(`INSERT INTO \`${legacy}\`.zfry VALUES ?`, [[['YJ-001', '孙立', '31000020200001', '上海市应急管理局', '危险化学品,工贸安全', '310104,310105', '有效', '13800000001'], ['YJ-002', '周敏', '31000020200002', '上海市应急管理局', '工贸安全', '31', '暂停', null]]]);
    await admin.query(`INSERT INTO \`${legacy}\`.jcsx VALUES ?`, [[['YJ-01', 1, '安全生产许可证', '检查安全生产许可证', '《安全生产许可证条例》第二条', '重点', null, '危险化学品', '有效'], ['YJ-02', 1, '安全培训记录', '检查培训', '《中华人民共和国安全生产法》第二十八条', '一般', 10, '工贸安全', '有效']]]);
    connector = new MysqlConnector(loadMysqlMapping(path.join(__dirname, '..', '..', 'connectors', 'emergency', 'mysql-mapping.yaml')), `${MYSQL}/${legacy}`);
    keys = await testKeys();
    const config = loadConfig({ ...database.env, JOINTCHECK_PORT: '0', JOINTCHECK_LOG_LEVEL: 'silent', JOINTCHECK_DEV_KEYS: 'false' });
    department = await startDepartment(emergency, config, { verifier: keys.verifier, logger: createLogger('silent', 'emergency'), port: 0, store: connectorStore(connector) });
  });
  afterAll(async () => {
    await department?.stop();
    await connector?.close();
    await admin?.query(`DROP DATABASE IF EXISTS \`${legacy}\``);
    await admin?.end();
    await database?.drop(['emergency']);
  });

  it('serves the checklist, inspectors and roster of the existing tables in contract terms', async () => {
    const r = await ask<{ emergency: { checklist: Array<{ code: string; category: string; ratioCapPercent: number | null }>; inspectors: { nodes: Array<{ id: string; domains: string[]; qualified: boolean }> }; targets: { nodes: Array<{ id: string; riskLevel: string }> } } }>(
      '{ emergency { checklist { code category ratioCapPercent } inspectors(first: 10) { nodes { id domains qualified } } targets(first: 3) { nodes { id riskLevel } } } }',
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

  it('the bulk export pages the whole roster in id order; views of many targets cost one statement per 500', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: { data?: { emergency: { exportTargetRows: { tsv: string; endCursor: string | null; hasMore: boolean } } } | null } = await ask('query($after: String) { emergency { exportTargetRows(first: 200, after: $after) { tsv endCursor hasMore } } }', { after });
      const page = r.data!.emergency.exportTargetRows;
      ids.push(...page.tsv.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!));
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
  });

  it('R24: results written back go to the table the mapping names, once; roster changes are refused (R30)', async () => {
    const input = [{ idempotencyKey: 'sub-7:emergency:YJ-01', taskId: 'task-7', targetKey: uscc(1), uscc: uscc(1), itemCode: 'YJ-01', itemVersion: 1, outcome: 'NO_PROBLEM', method: 'ON_SITE', notes: '现场检查', confidentialNotes: null, evidence: [], inspectors: ['31000020200001'], inspectedOn: '2026-03-04' }];
    const RECORD = 'mutation($input: [ResultInput!]!) { emergencyRecordResults(input: $input) { created } }';
    expect((await ask<{ emergencyRecordResults: Array<{ created: boolean }> }>(RECORD, { input })).data!.emergencyRecordResults).toEqual([{ created: true }]);
    expect((await ask<{ emergencyRecordResults: Array<{ created: boolean }> }>(RECORD, { input })).data!.emergencyRecordResults).toEqual([{ created: false }]);
    const [rows] = await admin.query(`SELECT ywbh, rwbh, tyshxydm, sxbm, jcjl, DATE_FORMAT(jcrq, '%Y-%m-%d') AS jcrq, zfry FROM \`${legacy}\`.jcjg`);
    expect(rows).toEqual([{ ywbh: 'sub-7:emergency:YJ-01', rwbh: 'task-7', tyshxydm: uscc(1), sxbm: 'YJ-01', jcjl: 'NO_PROBLEM', jcrq: '2026-03-04', zfry: '31000020200001' }]);
    const refused = await ask('mutation { emergencyImportTargets(targets: []) }', {}, Role.DEPT_ADMIN, 'emergency');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
  });

  it('a database that cannot be reached is a DOWNSTREAM_SERVICE_ERROR naming the department', async () => {
    const away = new MysqlConnector(connector.mapping, 'mysql://root@127.0.0.1:9/none');
    try {
      await expect(away.checklist()).rejects.toMatchObject({ extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'emergency' } });
    } finally {
      await away.close();
    }
  });
});
