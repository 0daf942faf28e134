import { Table, TableColumn, TableIndex, type QueryRunner, type TableColumnOptions } from 'typeorm';

/*
 * Migrations are written with TypeORM's Table API, which emits the right DDL for SQLite and for
 * MySQL from one description (STACK.md: no `enum`/`timestamp` types; `datetime` and `varchar`).
 */

export const varchar = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
export const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'int',
  ...extra,
});
/** An auto-increment primary key (SQLite needs the type spelled INTEGER for it). */
export const serial = (name: string): TableColumnOptions => ({
  name,
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
export const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'text',
  ...extra,
});
export const bool = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'boolean',
  ...extra,
});
/** Milliseconds kept on both databases (MySQL's plain `datetime` drops them). */
export const datetime = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  ...extra,
});

export function table(
  name: string,
  columns: TableColumnOptions[],
  indices: Array<{ name: string; columns: string[]; unique?: boolean }> = [],
): Table {
  return new Table({
    name,
    columns,
    indices: indices.map((i) => new TableIndex({ name: i.name, columnNames: i.columns, isUnique: i.unique ?? false })),
  });
}

const isMysql = (q: QueryRunner) => q.connection.options.type === 'mysql';

/** Text without MySQL's 64 KB TEXT limit (LONGTEXT there; SQLite's TEXT has none). */
export const longText = (
  q: QueryRunner,
  name: string,
  extra: Partial<TableColumnOptions> = {},
): TableColumnOptions => ({ name, type: isMysql(q) ? 'longtext' : 'text', ...extra });

/** Bytes without MySQL's 64 KB BLOB limit. */
export const longBlob = (
  q: QueryRunner,
  name: string,
  extra: Partial<TableColumnOptions> = {},
): TableColumnOptions => ({ name, type: isMysql(q) ? 'longblob' : 'blob', ...extra });

/**
 * On SQLite, rebuilds a just-created, empty table as WITHOUT ROWID: rows are then stored in
 * primary-key order, so reading a roster in id order (every page of every export, a million rows
 * for a draw) walks one b-tree instead of an index plus a lookup per row. MySQL's InnoDB tables
 * are clustered on the primary key already. Indexes are created again as they were.
 */
export async function clusterOnPrimaryKeyOnSqlite(q: QueryRunner, name: string): Promise<void> {
  if (q.connection.options.type !== 'better-sqlite3') return;
  const objects = (await q.query(`SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL`, [
    name,
  ])) as Array<{ type: string; sql: string }>;
  const create = objects.find((o) => o.type === 'table')!.sql;
  if (/WITHOUT ROWID\s*$/i.test(create)) return;
  await q.query(`DROP TABLE "${name}"`);
  await q.query(`${create} WITHOUT ROWID`);
  for (const index of objects.filter((o) => o.type === 'index')) await q.query(index.sql);
}

/**
 * Gives columns a new type or length, keeping every value, on SQLite and MySQL alike. TypeORM's
 * `changeColumn` drops and re-adds a MySQL column whose type or length changes (its values lost),
 * so each new column is added beside the old one, the values are copied, the old one dropped and
 * the new one takes its name, then its NOT NULL. A value that does not fit the new column (a
 * narrowing) is refused by MySQL and the migration stops there (MySQL's DDL is not transactional:
 * the interim `__retyped` columns are then left to drop by hand).
 */
export async function retypeColumns(q: QueryRunner, tableName: string, columns: TableColumnOptions[]): Promise<void> {
  const interim = (name: string) => `${name}__retyped`;
  const quote = (name: string) => q.connection.driver.escape(name);
  await q.addColumns(
    tableName,
    columns.map((c) => new TableColumn({ ...c, name: interim(c.name), isNullable: true })),
  );
  await q.query(
    `UPDATE ${quote(tableName)} SET ${columns.map((c) => `${quote(interim(c.name))} = ${quote(c.name)}`).join(', ')}`,
  );
  await q.dropColumns(
    tableName,
    columns.map((c) => c.name),
  );
  for (const c of columns) await q.renameColumn(tableName, interim(c.name), c.name);
  for (const c of columns) await q.changeColumn(tableName, c.name, new TableColumn(c));
}
