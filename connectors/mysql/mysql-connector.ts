import mysql from 'mysql2/promise';
import { REGION_CODE } from '../../kernel/codes';
import { ErrorCode, HubError } from '../../kernel/errors';
import type { ResultRow } from '../../subgraphs/department-kernel/results/entities';
import { likeClause, likeStartingWith } from '../../subgraphs/department-kernel/like';
import { targetKeyProblem } from '../../kernel/target-key';
import { isValidUscc } from '../../kernel/uscc';
import type { UpstreamHealth } from '../core/upstream-source';
import type { ContractConnector, MappedChecklistItem, MappedInspector, MappedTarget } from '../core/contract-connector';
import { mapRecord, type FieldSpec } from '../core/field-mapping';
import type { MysqlMapping } from './mapping';

/** USCCs per `IN (...)` lookup. */
const BATCH = 500;
/** No statement is waited on longer (a locked table, a stuck server). */
export const STATEMENT_TIMEOUT_MS = 10_000;
/** A table or column name, quoted; names come from a checked mapping, and a backtick is doubled all the same. */
const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * A department's existing MySQL schema seen through the department contract (issue E), by a
 * mapping of its tables and columns (connectors/<code>/mysql-mapping.yaml). Rosters, inspectors
 * and the checklist are only read (give the connector's database user SELECT on them); results
 * are written to the one table the mapping names, keyed by the hub's idempotency key. Many
 * targets are read with one statement per 500; pages are `LIMIT/OFFSET` in the order of the
 * mapping's key column. A row the mapping cannot read, or an unreachable database, is a
 * DOWNSTREAM_SERVICE_ERROR naming the department.
 */
export class MysqlConnector implements ContractConnector {
  readonly department: string;
  /** Statements sent to the existing database (tests count batching with it). */
  readonly stats = { statements: 0 };
  private readonly pool: mysql.Pool;

  constructor(
    readonly mapping: MysqlMapping,
    /** The existing database, e.g. mysql://hub_reader:secret@db.internal:3306/emergency_legacy. */
    url: string,
  ) {
    this.department = mapping.department;
    // A bounded wait everywhere: connecting, queueing for a connection, and each statement.
    this.pool = mysql.createPool({
      uri: url,
      connectionLimit: 5,
      queueLimit: 100,
      connectTimeout: 5000,
      dateStrings: true,
      charset: 'utf8mb4',
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The database answers `SELECT 1` (within the statement timeout). */
  async healthCheck(): Promise<UpstreamHealth> {
    const started = Date.now();
    try {
      await this.pool.query({ sql: 'SELECT 1', timeout: STATEMENT_TIMEOUT_MS });
      return { ok: true, status: null, latencyMs: Date.now() - started, error: null };
    } catch (error) {
      return {
        ok: false,
        status: null,
        latencyMs: Date.now() - started,
        error:
          `The ${this.department} database could not answer ` +
          `(${(error as { code?: string }).code ?? (error as Error).message}).`,
      };
    }
  }

  private async rows(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
    this.stats.statements++;
    try {
      const [rows] = await this.pool.query({ sql, timeout: STATEMENT_TIMEOUT_MS }, params);
      return rows as Array<Record<string, unknown>>;
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      throw new HubError(
        ErrorCode.DOWNSTREAM_SERVICE_ERROR,
        `The ${this.department} database could not answer (${code}). Try again later.`,
        { serviceName: this.department },
      );
    }
  }

  private checked<T>(record: unknown, fields: Record<string, FieldSpec>, table: string): T {
    const { value, problems } = mapRecord(record, fields);
    if (problems.length) throw this.breach(table, `a row does not fit the mapping (${problems.join('; ')})`);
    return value as T;
  }

  private target(record: unknown): MappedTarget {
    const t = this.checked<MappedTarget>(record, this.mapping.targets.fields, this.mapping.targets.table);
    const wrong = [
      targetKeyProblem(String(t.id)) ? `id '${t.id}' ${targetKeyProblem(String(t.id))}` : null,
      t.uscc !== null && !isValidUscc(String(t.uscc)) ? `uscc '${t.uscc}' is not a valid USCC` : null,
      !REGION_CODE.test(String(t.regionCode)) ? `regionCode '${t.regionCode}'` : null,
      !['A', 'B', 'C', 'D'].includes(t.creditLevel) ? `creditLevel '${t.creditLevel}'` : null,
      !['LOW', 'GENERAL', 'ELEVATED', 'HIGH'].includes(t.riskLevel) ? `riskLevel '${t.riskLevel}'` : null,
    ].filter(Boolean);
    if (wrong.length)
      throw this.breach(this.mapping.targets.table, `target ${t.id} does not fit the contract: ${wrong.join('; ')}`);
    return {
      ...t,
      id: String(t.id),
      penaltiesLast3Years: Number(t.penaltiesLast3Years),
      verifiedComplaints: Number(t.verifiedComplaints),
    };
  }

  async targetsByUscc(usccs: readonly string[]): Promise<MappedTarget[]> {
    const { table, key } = this.mapping.targets;
    const unique = [...new Set(usccs)];
    const out: MappedTarget[] = [];
    for (let i = 0; i < unique.length; i += BATCH) {
      const part = unique.slice(i, i + BATCH);
      out.push(
        ...(await this.rows(`SELECT * FROM ${q(table)} WHERE ${q(key)} IN (?)`, [part])).map((r) => this.target(r)),
      );
    }
    return out;
  }

  async listTargets(
    offset: number,
    first: number,
    filter: { regions?: readonly string[] | null } = {},
  ): Promise<{ rows: MappedTarget[]; total: number; hasMore: boolean }> {
    const { table, key, regionColumn } = this.mapping.targets;
    const regions = filter.regions ?? [];
    const where = regions.length ? `WHERE ${regions.map(() => likeClause(q(regionColumn), '?')).join(' OR ')}` : '';
    const params = regions.map((r) => likeStartingWith(r));
    const limit = Math.min(first, 1_000_000_000);
    const rows = await this.rows(`SELECT * FROM ${q(table)} ${where} ORDER BY ${q(key)} LIMIT ? OFFSET ?`, [
      ...params,
      limit,
      offset,
    ]);
    const [count] = await this.rows(`SELECT COUNT(*) AS n FROM ${q(table)} ${where}`, params);
    const total = Number(count?.n ?? 0);
    return { rows: rows.map((r) => this.target(r)), total, hasMore: offset + rows.length < total };
  }

  async listInspectors(
    offset: number,
    first: number,
  ): Promise<{ rows: MappedInspector[]; total: number; hasMore: boolean }> {
    const { table, key, fields } = this.mapping.inspectors;
    const rows = await this.rows(`SELECT * FROM ${q(table)} ORDER BY ${q(key)} LIMIT ? OFFSET ?`, [
      Math.min(first, 1_000_000_000),
      offset,
    ]);
    const [count] = await this.rows(`SELECT COUNT(*) AS n FROM ${q(table)}`, []);
    const total = Number(count?.n ?? 0);
    return {
      rows: rows.map((r) => this.checked<MappedInspector>(r, fields, table)),
      total,
      hasMore: offset + rows.length < total,
    };
  }

  async checklist(): Promise<MappedChecklistItem[]> {
    const { table, key, fields } = this.mapping.checklist;
    const rows = await this.rows(`SELECT * FROM ${q(table)} ORDER BY ${q(key)}`, []);
    return rows.map((r) => {
      const item = this.checked<MappedChecklistItem>(r, fields, table);
      return {
        ...item,
        version: Number(item.version),
        ratioCapPercent: item.ratioCapPercent === null ? null : Number(item.ratioCapPercent),
      };
    });
  }

  /** R24: one result into the mapping's results table; a repeat of its idempotency key finds the row already there. */
  async writeResult(row: ResultRow): Promise<{ created: boolean; recordId: string }> {
    const { table, idempotencyColumn, idColumn, columns } = this.mapping.results;
    const names = Object.keys(columns);
    const values = names.map((c) => {
      const v = (row as unknown as Record<string, unknown>)[columns[c]!];
      return Array.isArray(v) ? v.join(';') : typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
    });
    try {
      let created = true;
      try {
        await this.pool.query(
          { sql: `INSERT INTO ${q(table)} (${names.map(q).join(', ')}) VALUES (?)`, timeout: STATEMENT_TIMEOUT_MS },
          [values],
        );
      } catch (error) {
        // The key is there already: a repeat of a result written before.
        if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error;
        created = false;
      }
      const [found] = await this.pool.query(
        {
          sql:
            `SELECT ${q(idColumn)} AS id, ${names.map(q).join(', ')} FROM ${q(table)} WHERE ` +
            `${q(idempotencyColumn)} = ?`,
          timeout: STATEMENT_TIMEOUT_MS,
        },
        [row.idempotencyKey],
      );
      const stored = (found as Array<Record<string, unknown>>)[0];
      const id = stored?.id;
      // A repeat must be the same result: the key used for other content is a CONFLICT, as the hub's own records
      // answer.
      if (stored && !created && names.some((c, i) => !sameValue(stored[c], values[i]))) {
        throw new HubError(
          ErrorCode.CONFLICT,
          `Idempotency key ${row.idempotencyKey} is in the ${this.department} database with other content; ` +
            `nothing was written.`,
          { serviceName: this.department, field: 'idempotencyKey' },
        );
      }
      if (id === undefined)
        throw this.breach(
          table,
          `no row with ${idempotencyColumn} = ${row.idempotencyKey} after writing it (is ${idempotencyColumn} ` +
            `mapped to idempotencyKey?)`,
        );
      return { created, recordId: String(id) };
    } catch (error) {
      if (error instanceof HubError) throw error;
      throw new HubError(
        ErrorCode.DOWNSTREAM_SERVICE_ERROR,
        `The ${this.department} database did not take the result ` +
          `(${(error as { code?: string }).code ?? (error as Error).message}); nothing was recorded. Try again ` +
          `later.`,
        { serviceName: this.department },
      );
    }
  }

  private breach(table: string, what: string): HubError {
    return new HubError(
      ErrorCode.DOWNSTREAM_SERVICE_ERROR,
      `The ${this.department} database holds data outside its connector mapping (table ${table}): ${what}. ` +
        `Nothing was stored; the mapping or the data needs fixing.`,
      { serviceName: this.department },
    );
  }
}

/**
 * A stored column value equals the value written (the pool returns dates as strings; lists are joined, booleans 1/0).
 */
function sameValue(stored: unknown, written: unknown): boolean {
  if (stored === null || stored === undefined) return written === null || written === undefined;
  return String(stored) === String(written);
}
