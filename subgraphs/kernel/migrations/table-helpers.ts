import { Table, TableIndex, type QueryRunner, type TableColumnOptions } from 'typeorm';

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
export const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'int', ...extra });
/** An auto-increment primary key (SQLite needs the type spelled INTEGER for it). */
export const serial = (name: string): TableColumnOptions => ({ name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
export const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...extra });
export const bool = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'boolean', ...extra });
/** Milliseconds kept on both databases (MySQL's plain `datetime` drops them). */
export const datetime = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'datetime', precision: 3, ...extra });

export function table(name: string, columns: TableColumnOptions[], indices: Array<{ name: string; columns: string[]; unique?: boolean }> = []): Table {
  return new Table({
    name,
    columns,
    indices: indices.map((i) => new TableIndex({ name: i.name, columnNames: i.columns, isUnique: i.unique ?? false })),
  });
}

const isMysql = (q: QueryRunner) => q.connection.options.type === 'mysql';

/** Text without MySQL's 64 KB TEXT limit (LONGTEXT there; SQLite's TEXT has none). */
export const longText = (q: QueryRunner, name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: isMysql(q) ? 'longtext' : 'text', ...extra });

/** Bytes without MySQL's 64 KB BLOB limit. */
export const longBlob = (q: QueryRunner, name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: isMysql(q) ? 'longblob' : 'blob', ...extra });
