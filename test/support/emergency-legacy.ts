import { randomBytes } from 'node:crypto';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadMysqlMapping } from '../../connectors/mysql/mapping';
import { MysqlConnector } from '../../connectors/mysql/mysql-connector';
import { connectedDepartment } from '../../connectors/department';
import { usccCheckCharacter } from '../../kernel/uscc';

/** A valid USCC for a number (test data of a schema that is not ours). */
export const legacyUscc = (n: number): string => {
  const first17 = `9131010${String(n).padStart(9, '0')}X`.slice(0, 17);
  return first17 + usccCheckCharacter(first17);
};

/** The emergency management bureau as a department of the kernel, served from its own MySQL schema. */
export const emergency = connectedDepartment('emergency', '应急管理局', 'its MySQL database');

/** Its mapping (connectors/emergency/mysql-mapping.yaml). */
export const EMERGENCY_MAPPING = path.join(__dirname, '..', '..', 'connectors', 'emergency', 'mysql-mapping.yaml');

/**
 * The emergency bureau's existing database, made for a test: its own tables and pinyin column
 * names (connectors/emergency/mysql-mapping.yaml maps them), 650 enterprises, 2 inspectors, 2
 * checklist items and an empty results table; and a connector over it. `drop` removes both.
 */
export async function emergencyLegacySchema(
  serverUrl: string,
): Promise<{ name: string; admin: mysql.Connection; connector: MysqlConnector; drop(): Promise<void> }> {
  const name = `jct_legacy_${randomBytes(3).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: serverUrl, multipleStatements: true });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4; USE \`${name}\`;
    CREATE TABLE qy_jbxx (tyshxydm CHAR(18) PRIMARY KEY, qymc VARCHAR(100) NOT NULL, xzqh CHAR(6) NOT NULL, hydm VARCHAR(5) NOT NULL, xydj TINYINT NOT NULL, fxdj VARCHAR(4) NOT NULL, cfcs INT NOT NULL, tscs INT NOT NULL);
    CREATE TABLE zfry (rybh VARCHAR(20) PRIMARY KEY, xm VARCHAR(20) NOT NULL, zfzh VARCHAR(30) NOT NULL, ssdw VARCHAR(60) NOT NULL, zyly VARCHAR(200) NOT NULL, gxqy VARCHAR(200) NOT NULL, zgzt VARCHAR(4) NOT NULL, lxdh VARCHAR(20));
    CREATE TABLE jcsx (sxbm VARCHAR(20) NOT NULL, bbh INT NOT NULL, sxmc VARCHAR(100) NOT NULL, sxnr TEXT NOT NULL, flyj TEXT NOT NULL, sxlb VARCHAR(4) NOT NULL, cjbl DECIMAL(5,2), jgly VARCHAR(30) NOT NULL, zt VARCHAR(4) NOT NULL, PRIMARY KEY (sxbm, bbh));
    CREATE TABLE jcjg (jgid INT AUTO_INCREMENT PRIMARY KEY, ywbh VARCHAR(200) NOT NULL UNIQUE, rwbh VARCHAR(40), tyshxydm CHAR(18), sxbm VARCHAR(20), bbh INT, jcjl VARCHAR(40), jcfs VARCHAR(20), jcrq DATE, zfry VARCHAR(400), bz TEXT);`);
  const rows = Array.from({ length: 650 }, (_, i) => [
    legacyUscc(i + 1),
    `上海应急测试企业${i + 1}有限公司`,
    i % 2 ? '310104' : '310105',
    'C26',
    1 + (i % 4),
    ['低', '一般', '较高', '高'][i % 4],
    i % 3,
    i % 2,
  ]);
  await admin.query(`INSERT INTO \`${name}\`.qy_jbxx VALUES ?`, [rows]);
  await admin.query(`INSERT INTO \`${name}\`.zfry VALUES ?`, [
    [
      [
        'YJ-001',
        '孙立',
        '31000020200001',
        '上海市应急管理局',
        '危险化学品,工贸安全',
        '310104,310105',
        '有效',
        '13800000001',
      ],
      ['YJ-002', '周敏', '31000020200002', '上海市应急管理局', '工贸安全', '31', '暂停', null],
    ],
  ]);
  await admin.query(`INSERT INTO \`${name}\`.jcsx VALUES ?`, [
    [
      [
        'YJ-01',
        1,
        '安全生产许可证',
        '检查安全生产许可证',
        '《安全生产许可证条例》第二条',
        '重点',
        null,
        '危险化学品',
        '有效',
      ],
      [
        'YJ-02',
        1,
        '安全培训记录',
        '检查培训',
        '《中华人民共和国安全生产法》第二十八条',
        '一般',
        10,
        '工贸安全',
        '有效',
      ],
    ],
  ]);
  const connector = new MysqlConnector(loadMysqlMapping(EMERGENCY_MAPPING), `${serverUrl}/${name}`);
  return {
    name,
    admin,
    connector,
    drop: async () => {
      await connector.close();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
