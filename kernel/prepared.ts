import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { betterSqlite, outsideOpenTransactions } from './datasource';

/*
 * Prepared statements for a repository's hot paths (issue K: a submission, a delivery, a
 * department's RecordResults). TypeORM builds each statement anew (metadata, escaping, listeners)
 * and hydrates every row; on the write-back's path that was about a third of the joint service's
 * time. Here a statement is written once, prepared once per connection (better-sqlite3's
 * Statement on SQLite; mysql2's `execute`, a server-side prepared statement cached per connection,
 * on MySQL) and run with its values. Values go through TypeORM's own conversions for the entity's
 * columns (dates, JSON, booleans), so what is written here reads back through TypeORM the same,
 * and the other way round.
 */

/** What a statement that changes rows reports. */
export interface Executed {
  affected: number;
}

/** mysql2's callback connection and pool, the parts used here. */
interface MysqlExecutor {
  execute(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): unknown;
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): unknown;
}

const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

/** better-sqlite3's statement for `sql` on this database, prepared at its first use and kept. */
function sqliteStatement(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let statements = sqliteStatements.get(db);
  if (!statements) sqliteStatements.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** Where a MySQL statement runs: the transaction's connection, or the pool outside one. */
function mysqlExecutor(manager: EntityManager): MysqlExecutor {
  const runner = manager.queryRunner as unknown as { databaseConnection?: MysqlExecutor } | undefined;
  if (runner?.databaseConnection) return runner.databaseConnection;
  const pool = (manager.connection.driver as unknown as { pool?: MysqlExecutor }).pool;
  if (!pool) throw new Error('prepared statements: the MySQL data source has no pool (is it initialised?)');
  return pool;
}

function mysqlExecute(
  manager: EntityManager,
  sql: string,
  values: readonly unknown[],
  prepared: boolean,
): Promise<unknown> {
  const executor = mysqlExecutor(manager);
  // mysql2 refuses undefined among the values: it is NULL here, as TypeORM sends it.
  const bound = values.map((v) => (v === undefined ? null : v));
  const callback = (resolve: (r: unknown) => void, reject: (e: Error) => void) => (error: Error | null, r: unknown) =>
    error ? reject(error) : resolve(r);
  return new Promise((resolve, reject) =>
    prepared
      ? executor.execute(sql, bound, callback(resolve, reject))
      : executor.query(sql, bound, callback(resolve, reject)),
  );
}

/**
 * How a statement is sent. A statement of a fixed shape is prepared once per connection and kept
 * (`prepared`, the default). One whose shape varies with its input (an IN list, a multi-row
 * VALUES) is `prepared: false`: on MySQL sent as text with its values escaped by mysql2 (each shape
 * kept as a server-side statement would pile up towards the server's max_prepared_stmt_count,
 * shared by every service). SQLite keeps every statement it prepared (memory of this process only).
 * Either way no query builder runs.
 */
export interface StatementOptions {
  prepared?: boolean;
}

/**
 * Runs a statement that changes rows (INSERT, UPDATE, DELETE) on `manager`: a transaction's
 * manager runs it in that transaction; the data source's runs it on its own (on SQLite once no
 * other request's transaction is open, kernel/datasource.ts).
 */
export async function execute(
  manager: EntityManager,
  sql: string,
  values: readonly unknown[],
  options: StatementOptions = {},
): Promise<Executed> {
  const prepared = options.prepared !== false;
  logged(manager, sql, values);
  const sqlite = betterSqlite(manager.connection);
  if (sqlite) {
    const statement = sqliteStatement(sqlite, sql);
    const result = await outsideOpenTransactions(manager.connection, () => statement.run(...values));
    return { affected: result.changes };
  }
  const result = (await mysqlExecute(manager, sql, values, prepared)) as { affectedRows?: number };
  return { affected: result.affectedRows ?? 0 };
}

/** Runs a SELECT on `manager` (as `execute` says) and gives its rows as the database returns them. */
export async function select<T extends Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  values: readonly unknown[],
  options: StatementOptions = {},
): Promise<T[]> {
  const prepared = options.prepared !== false;
  logged(manager, sql, values);
  const sqlite = betterSqlite(manager.connection);
  if (sqlite) {
    const statement = sqliteStatement(sqlite, sql);
    return outsideOpenTransactions(manager.connection, () => statement.all(...values) as T[]);
  }
  return (await mysqlExecute(manager, sql, values, prepared)) as T[];
}

/** Tells the data source's logger, as TypeORM does for its own statements (tests count them). */
function logged(manager: EntityManager, sql: string, values: readonly unknown[]): void {
  manager.connection.logger.logQuery(sql, [...values], manager.queryRunner);
}

/**
 * Some columns of an entity, for statements written by hand: their names in SQL, and each value
 * converted as TypeORM converts it for that column, both ways. Made once per data source, entity
 * and list of properties (`codecOf`).
 */
export class RowCodec<T extends ObjectLiteral> {
  /** The columns' database names, quoted for the database and comma-separated, in the order of the properties. */
  readonly columns: string;
  /** `(?, ?, ...)`: one row's placeholders. */
  readonly placeholders: string;
  private readonly metadata: ColumnMetadata[];
  private readonly entity: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<T>,
    readonly properties: ReadonlyArray<keyof T & string>,
  ) {
    const meta = (this.entity = dataSource.getMetadata(entity));
    this.metadata = properties.map((p) => {
      const column = meta.findColumnWithPropertyName(p);
      if (!column) throw new Error(`prepared statements: ${meta.name} has no column for ${p}`);
      return column;
    });
    this.columns = this.metadata.map((c) => dataSource.driver.escape(c.databaseName)).join(', ');
    this.placeholders = `(${this.metadata.map(() => '?').join(', ')})`;
  }

  /** A row's values for the statement, converted for the database. */
  values(row: T): unknown[] {
    const driver = this.dataSource.driver;
    return this.metadata.map((c, i) => driver.preparePersistentValue(row[this.properties[i]!], c));
  }

  /** The values of many rows, one after the other (a multi-row INSERT's). */
  valuesOf(rows: readonly T[]): unknown[] {
    const out: unknown[] = [];
    for (const row of rows) out.push(...this.values(row));
    return out;
  }

  /** One property's value converted for the database (a statement's condition on that column). */
  value(property: keyof T & string, value: unknown): unknown {
    const i = this.properties.indexOf(property);
    if (i < 0) throw new Error(`prepared statements: ${property} is not among this codec's columns`);
    return this.dataSource.driver.preparePersistentValue(value, this.metadata[i]!);
  }

  /** An entity instance from a row the database returned (columns by their database names). */
  read(raw: Record<string, unknown>): T {
    const driver = this.dataSource.driver;
    const row = this.entity.create() as T;
    this.metadata.forEach((c, i) => {
      (row as Record<string, unknown>)[this.properties[i]!] = driver.prepareHydratedValue(raw[c.databaseName], c);
    });
    return row;
  }
}

/** Codecs by data source, entity and property list (the list's text); whole-entity codecs by entity. */
const codecs = new WeakMap<DataSource, Map<EntityTarget<ObjectLiteral>, Map<string, unknown>>>();

/** The codec of these properties of an entity on this manager's data source (made once). */
export function codecOf<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  properties: ReadonlyArray<keyof T & string>,
): RowCodec<T> {
  return kept(manager.connection, entity, properties.join(','), () => properties);
}

/** The codec of every column of an entity (for reading whole rows by hand), made once. */
export function codecOfEntity<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>): RowCodec<T> {
  return kept(manager.connection, entity, '*', () =>
    manager.connection.getMetadata(entity).columns.map((c) => c.propertyName as keyof T & string),
  );
}

function kept<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  key: string,
  properties: () => ReadonlyArray<keyof T & string>,
): RowCodec<T> {
  let byEntity = codecs.get(dataSource);
  if (!byEntity) codecs.set(dataSource, (byEntity = new Map()));
  let byKey = byEntity.get(entity as EntityTarget<ObjectLiteral>);
  if (!byKey) byEntity.set(entity as EntityTarget<ObjectLiteral>, (byKey = new Map()));
  let codec = byKey.get(key) as RowCodec<T> | undefined;
  if (!codec) byKey.set(key, (codec = new RowCodec(dataSource, entity, properties())));
  return codec;
}
