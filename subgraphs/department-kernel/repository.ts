import { codecOfEntity, select } from '../../kernel/prepared';
import { Brackets, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import type { RosterFilter } from './contract/inputs';
import { ItemStatus } from './contract/enums';
import { betterSqlite, chunk, outsideOpenTransactions } from '../../kernel/datasource';
import { conflict, notFound } from '../../kernel/errors';
import { likeClause, likeContaining, likeStartingWith } from './like';
import type { ChecklistItemContent } from './checklist-rules';
import { ChecklistItemRow, ExpertRow, InspectorRow, RosterTargetRow } from './entities';
import type { DepartmentStore, InspectorFilter } from './store';

export interface PageRequest {
  first: number;
  after: string | null;
}

export interface RowPage<T> {
  rows: T[];
  endCursor: string | null;
  hasMore: boolean;
}

/**
 * The only code that touches a department's tables (STYLE.md habit 4). It is built for one
 * department's database; inside a transaction, it is rebuilt on the transaction's manager.
 */
export class DepartmentRepository implements DepartmentStore {
  constructor(
    readonly manager: EntityManager,
    readonly department: string,
  ) {}

  /** The same repository on another manager (a transaction's). */
  on(manager: EntityManager): DepartmentRepository {
    return new DepartmentRepository(manager, this.department);
  }

  /** Roster rows of market entities by USCC, in one statement (their id is the USCC). */
  async targetsById(ids: readonly string[]): Promise<RosterTargetRow[]> {
    if (ids.length === 0) return [];
    return this.manager.find(RosterTargetRow, { where: { id: In([...ids]) } });
  }

  private filtered(filter: RosterFilter | null | undefined): SelectQueryBuilder<RosterTargetRow> {
    const qb = this.manager.createQueryBuilder(RosterTargetRow, 't');
    // Pages walk the primary key (id order). On SQLite a filter on kind would otherwise pick the
    // scope index and sort every page in a temporary tree; the unary plus keeps it a filter.
    const kind = this.manager.connection.options.type === 'mysql' ? 't.kind' : '+t.kind';
    if (filter?.kinds?.length) qb.andWhere(`${kind} IN (:...kinds)`, { kinds: filter.kinds });
    const prefixes = (name: string, column: string, values: string[] | null | undefined) => {
      if (!values?.length) return;
      qb.andWhere(
        new Brackets((or) => {
          values.forEach((value, i) =>
            or.orWhere(likeClause(column, `:${name}${i}`), { [`${name}${i}`]: likeStartingWith(value) }),
          );
        }),
      );
    };
    prefixes('region', 't.regionCode', filter?.regions);
    prefixes('industry', 't.industryCode', filter?.industries);
    return qb;
  }

  /** A page of the roster in id order (keyset paging: stable under inserts, cheap at any depth). */
  async listTargets(filter: RosterFilter | null | undefined, page: PageRequest): Promise<RowPage<RosterTargetRow>> {
    const qb = this.filtered(filter)
      .orderBy('t.id', 'ASC')
      .take(page.first + 1);
    if (page.after) qb.andWhere('t.id > :after', { after: page.after });
    return toPage(await qb.getMany(), page.first, (r) => r.id);
  }

  /**
   * A page of the roster as tab-separated lines (see `RosterRows`). On SQLite, SQLite itself
   * writes each line and the page is one join of them (a string per row, no array of values per
   * row: a million-target export spends its time reading rows, not collecting garbage); elsewhere
   * the rows come raw through TypeORM and are joined here.
   */
  async exportRows(
    filter: RosterFilter | null | undefined,
    page: PageRequest,
  ): Promise<{ tsv: string; count: number; endCursor: string | null; hasMore: boolean }> {
    const qb = this.filtered(filter)
      .orderBy('t.id', 'ASC')
      .limit(page.first + 1);
    if (page.after) qb.andWhere('t.id > :after', { after: page.after });
    const sqlite = this.sqlite();
    let lines: string[];
    if (sqlite) {
      const tab = ` || char(9) || `;
      qb.select(
        [
          't.id',
          't.kind',
          "ifnull(t.uscc, '')",
          't.region_code',
          't.industry_code',
          't.credit_level',
          't.risk_level',
          't.penalties_3y',
          't.verified_complaints',
        ].join(tab),
        'line',
      );
      const [sql, params] = qb.getQueryAndParameters();
      lines = await outsideOpenTransactions(
        this.manager.connection,
        () =>
          sqlite
            .prepare(sql)
            .pluck(true)
            .all(...params) as string[],
      );
    } else {
      qb.select([
        't.id AS id',
        't.kind AS kind',
        't.uscc AS uscc',
        't.region_code AS region',
        't.industry_code AS industry',
        't.credit_level AS credit',
        't.risk_level AS risk',
        't.penalties_3y AS penalties',
        't.verified_complaints AS complaints',
      ]);
      const rows = await qb.getRawMany<Record<string, unknown>>();
      lines = rows.map(
        (r) =>
          `${r.id}\t${r.kind}\t${r.uscc ?? ''}\t${r.region}\t${r.industry}\t${r.credit}\t${r.risk}\t${r.penalties}\t${r.complaints}`,
      );
    }
    const hasMore = lines.length > page.first;
    if (hasMore) lines.length = page.first;
    const count = lines.length;
    const last = count ? lines[count - 1]! : null;
    return {
      tsv: count ? `${lines.join('\n')}\n` : '',
      count,
      endCursor: last === null ? null : last.slice(0, last.indexOf('\t')),
      hasMore,
    };
  }

  /**
   * better-sqlite3's connection, when this repository reads SQLite outside a transaction (then statements may run on
   * it directly).
   */
  private sqlite(): ReturnType<typeof betterSqlite> {
    return this.manager.queryRunner ? null : betterSqlite(this.manager.connection);
  }

  async countTargets(filter: RosterFilter | null | undefined): Promise<number> {
    return this.filtered(filter).getCount();
  }

  /** Inspectors in id order; optionally only those holding a domain, or only the qualified (R7). */
  async listInspectors(page: PageRequest, filter: InspectorFilter = {}): Promise<RowPage<InspectorRow>> {
    const qb = this.inspectorsMatching(filter)
      .orderBy('i.id', 'ASC')
      .take(page.first + 1);
    if (page.after) qb.andWhere('i.id > :after', { after: page.after });
    return toPage(await qb.getMany(), page.first, (r) => r.id);
  }

  async countInspectors(filter: InspectorFilter = {}): Promise<number> {
    return this.inspectorsMatching(filter).getCount();
  }

  private inspectorsMatching(filter: InspectorFilter): SelectQueryBuilder<InspectorRow> {
    const qb = this.manager.createQueryBuilder(InspectorRow, 'i');
    if (filter.domain) qb.andWhere(jsonArrayContains('i.domains'), { element: jsonArrayElementPattern(filter.domain) });
    if (filter.qualifiedOnly) qb.andWhere('i.qualified = :qualified', { qualified: true });
    return qb;
  }

  /** Experts in id order; optionally only those with an expertise (R8). */
  async listExperts(page: PageRequest, expertise?: string | null): Promise<RowPage<ExpertRow>> {
    const qb = this.expertsMatching(expertise)
      .orderBy('e.id', 'ASC')
      .take(page.first + 1);
    if (page.after) qb.andWhere('e.id > :after', { after: page.after });
    return toPage(await qb.getMany(), page.first, (r) => r.id);
  }

  async countExperts(expertise?: string | null): Promise<number> {
    return this.expertsMatching(expertise).getCount();
  }

  private expertsMatching(expertise: string | null | undefined): SelectQueryBuilder<ExpertRow> {
    const qb = this.manager.createQueryBuilder(ExpertRow, 'e');
    if (expertise) qb.andWhere(jsonArrayContains('e.expertise'), { element: jsonArrayElementPattern(expertise) });
    return qb;
  }

  /** The current version of every item in force (not superseded, not repealed). */
  async currentChecklist(): Promise<ChecklistItemRow[]> {
    return this.manager.find(ChecklistItemRow, { where: { status: ItemStatus.CURRENT }, order: { code: 'ASC' } });
  }

  /** Every version of every item, for history and audits (R5). */
  async allChecklistVersions(): Promise<ChecklistItemRow[]> {
    return this.manager.find(ChecklistItemRow, { order: { code: 'ASC', version: 'ASC' } });
  }

  /** Every version of these items: a written-back result's check (R24), a prepared statement on that hot path. */
  async checklistVersionsOf(codes: readonly string[]): Promise<ChecklistItemRow[]> {
    if (codes.length === 0) return [];
    const c = codecOfEntity(this.manager, ChecklistItemRow);
    const rows = await select(
      this.manager,
      `SELECT ${c.columns} FROM checklist_item WHERE code IN (${codes.map(() => '?').join(', ')})`,
      codes,
      { prepared: false },
    );
    return rows.map((r) => c.read(r));
  }

  async checklistItem(code: string, version?: number | null): Promise<ChecklistItemRow | null> {
    if (version) return this.manager.findOne(ChecklistItemRow, { where: { code, version } });
    return this.manager.findOne(ChecklistItemRow, { where: { code }, order: { version: 'DESC' } });
  }

  /** Adds version 1 of a new item. */
  async addChecklistItem(
    code: string,
    content: ChecklistItemContent,
    actor: string,
    now: Date,
  ): Promise<ChecklistItemRow> {
    try {
      return await this.manager.transaction(async (tx) => {
        if (await tx.exists(ChecklistItemRow, { where: { code } })) throw duplicateItem(code);
        return tx.save(ChecklistItemRow, checklistItemRow(code, 1, content, actor, now, null));
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateItem(code);
      throw error;
    }
  }

  /**
   * R5: a change makes a new version (content given) or repeals the item (content null). The
   * current version is closed (valid until now, with the reason and who), never edited in content.
   * Two concurrent changes collide on the current row or on the (code, version) key: one wins,
   * the other is a CONFLICT.
   */
  async changeChecklistItem(
    code: string,
    content: ChecklistItemContent | null,
    reason: string,
    actor: string,
    now: Date,
  ): Promise<ChecklistItemRow> {
    try {
      return await this.manager.transaction(async (tx) => {
        const current = await tx.findOne(ChecklistItemRow, { where: { code, status: ItemStatus.CURRENT } });
        if (!current)
          throw notFound(`No item ${code} in force in the ${this.department} checklist.`, { field: 'code' });
        const closed = await tx.update(
          ChecklistItemRow,
          { code, version: current.version, status: ItemStatus.CURRENT },
          {
            status: content ? ItemStatus.SUPERSEDED : ItemStatus.REPEALED,
            validUntil: now,
            closeReason: reason,
            closedBy: actor,
          },
        );
        if (closed.affected !== 1) throw changedMeanwhile(code);
        if (!content) return await tx.findOneByOrFail(ChecklistItemRow, { code, version: current.version });
        return tx.save(ChecklistItemRow, checklistItemRow(code, current.version + 1, content, actor, now, reason));
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw changedMeanwhile(code);
      throw error;
    }
  }

  /** Bulk roster import (R6): inserts or replaces entries by id, in chunks, in one transaction. */
  async upsertTargets(rows: RosterTargetRow[]): Promise<number> {
    await this.manager.transaction(async (tx) => {
      for (const part of chunk(rows, 200)) await tx.upsert(RosterTargetRow, part, ['id']);
    });
    return rows.length;
  }
}

/** A new checklist item version row: the one builder, for the API and for demo data alike. */
export function checklistItemRow(
  code: string,
  version: number,
  content: ChecklistItemContent,
  actor: string,
  now: Date,
  reason: string | null,
): ChecklistItemRow {
  return Object.assign(new ChecklistItemRow(), {
    code,
    version,
    ...content,
    status: ItemStatus.CURRENT,
    validFrom: now,
    validUntil: null,
    changeReason: reason,
    createdBy: actor,
    closeReason: null,
    closedBy: null,
  });
}

const duplicateItem = (code: string) =>
  conflict(`Checklist item ${code} exists already: revise it to make a new version (R5).`, {
    field: 'code',
    rule: 'R5',
  });
const changedMeanwhile = (code: string) =>
  conflict(`Item ${code} was changed by someone else meanwhile; reload it and try again.`, { field: 'code' });

/** simple-json arrays are JSON text: an element matches as its quoted JSON form, LIKE-escaped. */
const jsonArrayContains = (column: string) => likeClause(column, ':element');
function jsonArrayElementPattern(element: string): string {
  return likeContaining(JSON.stringify(element));
}

function toPage<T>(rows: T[], first: number, cursor: (row: T) => string): RowPage<T> {
  const hasMore = rows.length > first;
  const page = hasMore ? rows.slice(0, first) : rows;
  return { rows: page, hasMore, endCursor: page.length ? cursor(page[page.length - 1]!) : null };
}

/** A unique-key violation on SQLite or MySQL. */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code ?? '';
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
