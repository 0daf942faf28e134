import { Table, TableIndex, type TableColumnOptions } from 'typeorm';

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
