import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEPARTMENT_CODES, type TestHub } from '../../support/hub';

/** Every table of a service database, with its row count and a digest of its rows. */
async function tableStates(name: string, dataSource: DataSource): Promise<Map<string, string>> {
  const mysql = dataSource.options.type === 'mysql';
  const tables: Array<{ name: string }> = await dataSource.query(
    mysql
      ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND ' +
          "table_type = 'BASE TABLE'"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  const out = new Map<string, string>();
  for (const { name: table } of tables) {
    const rows: unknown[] = await dataSource.query(`SELECT * FROM ${dataSource.driver.escape(table)}`);
    const digest = createHash('sha256')
      .update(
        rows
          .map((r) => JSON.stringify(r))
          .sort()
          .join('\n'),
      )
      .digest('hex')
      .slice(0, 16);
    out.set(`${name}.${table}`, `${rows.length} rows, ${digest}`);
  }
  return out;
}

/** Every table of every service database of the hub: what a refused call must not change (R30). */
export async function databaseStates(hub: TestHub): Promise<Record<string, string>> {
  const services: Array<[string, DataSource]> = [
    ...hub.departments.map((d, i): [string, DataSource] => [DEPARTMENT_CODES[i]!, d.database.dataSource]),
    ['joint', hub.joint.database.dataSource],
    ['registry', hub.registry.database.dataSource],
  ];
  const states = await Promise.all(services.map(([name, ds]) => tableStates(name, ds)));
  return Object.fromEntries(states.flatMap((m) => [...m]).sort(([a], [b]) => (a < b ? -1 : 1)));
}
