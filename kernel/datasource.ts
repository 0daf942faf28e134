import type { ClassType } from './class-type';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { DataSource, type Logger as TypeOrmLogger, type MixedList, type EntitySchema } from 'typeorm';
import type { HubConfig } from './config';

/**
 * Counts the SQL statements a data source runs. Tests use it to prove batching (a query over N
 * targets costs a constant number of statements); it never logs parameters.
 */
export class QueryCounter implements TypeOrmLogger {
  count = 0;
  /** Statements seen, newest last, for a failing test's message. */
  readonly recent: string[] = [];
  logQuery(query: string): void {
    this.count++;
    this.recent.push(query);
    if (this.recent.length > 50) this.recent.shift();
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
  reset(): void {
    this.count = 0;
    this.recent.length = 0;
  }
}

export interface ServiceDatabase {
  dataSource: DataSource;
  queries: QueryCounter;
}

export interface DataSourceOptions {
  entities: MixedList<ClassType | string | EntitySchema>;
  migrations: MixedList<ClassType | string>;
  /** False for a reader of another service's store (a gateway reading the registry's): the owner migrates. */
  runMigrations?: boolean;
}

/** The database name of a service: its own database, never shared with another department. */
export function databaseName(db: HubConfig['db'], service: string): string {
  return `${db.prefix}${service}`;
}

/** Creates a MySQL database when it does not exist yet (first start of a service), with binary collation. */
async function ensureMysqlDatabase(url: string, name: string): Promise<void> {
  const connection = await mysql.createConnection(url);
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end();
  }
}

/**
 * Opens a service's own database (SQLite file or MySQL database, from one setting) and runs its
 * migrations. Schema changes only ever happen through migrations (no `synchronize`).
 */
export async function openServiceDatabase(
  db: HubConfig['db'],
  service: string,
  options: DataSourceOptions,
): Promise<ServiceDatabase> {
  const queries = new QueryCounter();
  const name = databaseName(db, service);
  let dataSource: DataSource;
  if (db.kind === 'sqlite') {
    fs.mkdirSync(db.dataDir, { recursive: true });
    dataSource = new DataSource({
      type: 'better-sqlite3',
      database: path.join(db.dataDir, `${name}.sqlite`),
      entities: options.entities,
      migrations: options.migrations,
      migrationsRun: false,
      synchronize: false,
      logger: queries,
      // WAL lets readers go on while a writer commits; NORMAL sync is safe under WAL.
      prepareDatabase: (raw: { pragma(s: string): unknown }) => {
        raw.pragma('journal_mode = WAL');
        // Another connection (a second service instance, the seed script) may hold the write lock: wait for it.
        raw.pragma('busy_timeout = 10000');
        raw.pragma('synchronous = NORMAL');
        raw.pragma('foreign_keys = ON');
      },
    });
  } else {
    await ensureMysqlDatabase(db.url, name);
    const url = new URL(db.url);
    dataSource = new DataSource({
      type: 'mysql',
      host: url.hostname,
      port: Number(url.port || 3306),
      username: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database: name,
      // Binary collation: ids and codes compare and sort exactly as on SQLite (P-abc and p-ABC
      // are two projects; keyset pages come in the same order on both databases).
      charset: 'utf8mb4_bin',
      timezone: 'Z',
      entities: options.entities,
      migrations: options.migrations,
      synchronize: false,
      logger: queries,
      extra: { connectionLimit: 10 },
    });
  }
  await dataSource.initialize();
  if (options.runMigrations !== false) await dataSource.runMigrations({ transaction: 'each' });
  if (db.kind === 'sqlite') oneTransactionAtATime(dataSource);
  return { dataSource, queries };
}

/** Per SQLite data source: resolves when a statement may run on the connection directly (see oneTransactionAtATime). */
const sqliteGates = new WeakMap<DataSource, () => Promise<() => void>>();

/** The better-sqlite3 connection under a SQLite data source (statements may run on it directly), or null elsewhere. */
export function betterSqlite(dataSource: DataSource): BetterSqlite3.Database | null {
  return dataSource.options.type === 'better-sqlite3'
    ? ((dataSource.driver as unknown as { databaseConnection?: BetterSqlite3.Database }).databaseConnection ?? null)
    : null;
}

/**
 * Runs synchronous `work` on a SQLite data source's connection directly (better-sqlite3
 * statements, outside TypeORM) once no other request's transaction is open on it. Elsewhere
 * (MySQL, or inside a transaction of this request) it just runs.
 */
export async function outsideOpenTransactions<T>(dataSource: DataSource, work: () => T): Promise<T> {
  // Synchronous work only: work that awaited a TypeORM statement while a transaction waited for it
  // to finish would wait for that transaction in turn.
  const gate = sqliteGates.get(dataSource);
  if (!gate) return work();
  const leave = await gate();
  try {
    return work();
  } finally {
    leave();
  }
}

/**
 * SQLite through TypeORM shares one connection and one query runner among every caller in a
 * process. Two transactions at once would nest as savepoints of each other (one's rollback would
 * take the other's finished work with it) or fail with "cannot start a transaction within a
 * transaction", and a statement of another request sent while a transaction is open would become
 * part of it. The write-back benchmark, with deliveries marking in transactions while submissions
 * were stored, lost results that way. So on SQLite: transactions run one at a time, in the order
 * asked; a statement outside the open transaction waits for it to end; and a transaction starts
 * once the statements already running outside it are done. A transaction of the same request
 * (same async context) nests as before. MySQL gives each transaction a connection of its own.
 */
function oneTransactionAtATime(dataSource: DataSource): void {
  const context = new AsyncLocalStorage<symbol>();
  let open: { id: symbol; done: Promise<void> } | null = null;
  let queue: Promise<void> = Promise.resolve();
  let running = 0;
  let drained: { promise: Promise<void>; resolve: () => void } | null = null;
  const mine = () => open !== null && context.getStore() === open.id;
  /** Waits until no other request's transaction is open, then counts the caller as running; returns the way out. */
  const enter = async (): Promise<() => void> => {
    if (mine()) return () => undefined;
    while (open && context.getStore() !== open.id) await open.done;
    running++;
    return () => {
      if (--running === 0 && drained) {
        drained.resolve();
        drained = null;
      }
    };
  };
  sqliteGates.set(dataSource, enter);
  const runner = dataSource.createQueryRunner();
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  (runner as { query: unknown }).query = async (...args: unknown[]) => {
    const leave = await enter();
    try {
      return await query(...args);
    } finally {
      leave();
    }
  };
  // A transaction begun on the shared runner other than through manager.transaction (TypeORM's
  // save() and remove() on the root manager do that) would get around all of this: refuse it loudly.
  const startTransaction = runner.startTransaction.bind(runner) as (...args: unknown[]) => Promise<void>;
  (runner as { startTransaction: unknown }).startTransaction = async (...args: unknown[]) => {
    if (!mine())
      throw new Error(
        'On SQLite a transaction is begun with dataSource.transaction(...) only (save() and remove() belong ' +
          "on a transaction's manager): see oneTransactionAtATime.",
      );
    return startTransaction(...args);
  };
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  (manager as { transaction: unknown }).transaction = async (...args: unknown[]) => {
    if (mine()) return transaction(...args); // a savepoint of this request's own transaction
    const previous = queue;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    queue = previous.then(() => done);
    await previous;
    const id = Symbol('transaction');
    open = { id, done };
    try {
      // Statements that began before this transaction finish outside it.
      while (running > 0) {
        if (!drained) {
          let resolve!: () => void;
          drained = { promise: new Promise<void>((r) => (resolve = r)), resolve: () => resolve() };
        }
        await drained.promise;
      }
      return await context.run(id, () => transaction(...args));
    } finally {
      open = null;
      release();
    }
  };
}

/** Drops a service's database (tests; `npm start -- --reset`). */
export async function dropServiceDatabase(db: HubConfig['db'], service: string): Promise<void> {
  const name = databaseName(db, service);
  if (db.kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm'])
      fs.rmSync(path.join(db.dataDir, `${name}.sqlite${suffix}`), { force: true });
    return;
  }
  const connection = await mysql.createConnection(db.url);
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** Splits rows for multi-row inserts (STACK.md: a 500-row insert used 3,000 parameters). */
export function chunk<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Driver error codes of a passing database fault: the transaction was rolled back and may be sent again. */
const TRANSIENT_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'SQLITE_BUSY',
]);

/**
 * Whether an error is a passing database fault (a dropped connection, a deadlock, a busy
 * database) rather than a bug: the request's transaction did not complete, and sending the
 * request again is the remedy. TypeORM wraps the driver's error in `driverError`.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; fatal?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
    if (e.fatal === true) return true; // mysql2: the connection is gone
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * A transaction the database gave up on to break a deadlock (or SQLite found busy): safe to run
 * again at once. Not a lock wait timeout: that came after waiting 50 s (MySQL's default), and
 * waiting again would outlast every caller.
 */
export function isRetryableTransactionError(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === 'ER_LOCK_DEADLOCK' || code === 'SQLITE_BUSY';
}

/**
 * Runs a transaction again (up to `attempts` times) when the database broke a deadlock by aborting
 * it: `work` must be the whole transaction (everything it did was rolled back), and do nothing
 * outside the database that a second run would repeat.
 */
export async function retryingDeadlocks<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * i + Math.floor(Math.random() * 10)));
    }
  }
}
