import type { EntityManager } from 'typeorm';
import { codecOf, execute, select } from '../../../kernel/prepared';
import { updateRows } from '../../../kernel/rows';
import { OutboxRow, OutboxStatus, SubmissionRow } from './entities';

/** A datetime read raw: MySQL gives a Date, SQLite the text TypeORM wrote ('YYYY-MM-DD HH:MM:SS.mmm', UTC). */
function dateOf(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

/** Every column of an outbox entry, in the order the prepared statements use. */
const COLUMNS = [
  'id',
  'submissionId',
  'department',
  'payload',
  'status',
  'attempts',
  'nextAttemptAt',
  'leaseUntil',
  'leaseId',
  'lastError',
  'deliveredAt',
  'receipts',
  'traceParent',
] as const satisfies ReadonlyArray<keyof OutboxRow>;

/** A lease on outbox entries: the deliverer holding `id` owns them until `until` (R24). */
export interface Lease {
  id: string;
  until: Date;
}

/**
 * The outbox of results to deliver to departments (R24): the only code that reads or writes its
 * table. The write-back's hot path (a submission's shares, a round's due entries, their claim and
 * their marks) runs as prepared statements (kernel/prepared.ts); the rest through TypeORM.
 */
export class OutboxRepository {
  constructor(readonly manager: EntityManager) {}

  private get codec() {
    return codecOf(this.manager, OutboxRow, COLUMNS);
  }

  /** A submission's shares, one entry per department, in one statement. */
  async insertShares(entries: readonly OutboxRow[]): Promise<void> {
    if (entries.length === 0) return;
    const c = this.codec;
    await execute(
      this.manager,
      `INSERT INTO outbox (${c.columns}) VALUES ${entries.map(() => c.placeholders).join(', ')}`,
      c.valuesOf(entries),
      { prepared: entries.length === 1 },
    );
  }

  /** Up to `limit` entries due at `now` that no deliverer holds, the longest waiting first. */
  async due(now: Date, limit: number): Promise<OutboxRow[]> {
    const c = this.codec;
    const at = this.codec.value('nextAttemptAt', now);
    const rows = await select(
      this.manager,
      `SELECT ${c.columns} FROM outbox WHERE status = ? AND next_attempt_at <= ? ` +
        `AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at ASC LIMIT ${Number(limit)}`,
      [OutboxStatus.PENDING, at, at],
    );
    return rows.map((r) => c.read(r));
  }

  /**
   * Claims entries in one statement: each still pending and not leased by another deliverer at
   * `claimedAt` gets the lease and one more attempt. Returns the claimed entries' attempts by id
   * (those carrying the lease's id are this claim's): two deliverers in any processes never hold
   * one entry at once.
   */
  async claim(ids: readonly string[], lease: Lease, claimedAt: Date): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const inList = ids.map(() => '?').join(', ');
    const at = this.codec.value('leaseUntil', claimedAt);
    await execute(
      this.manager,
      `UPDATE outbox SET lease_until = ?, lease_id = ?, attempts = attempts + 1 WHERE id IN (${inList}) ` +
        `AND status = ? AND (lease_until IS NULL OR lease_until < ?)`,
      [this.codec.value('leaseUntil', lease.until), lease.id, ...ids, OutboxStatus.PENDING, at],
      { prepared: false },
    );
    const mine = await select<{ id: string; attempts: number }>(
      this.manager,
      `SELECT id, attempts FROM outbox WHERE id IN (${inList}) AND lease_id = ?`,
      [...ids, lease.id],
      { prepared: false },
    );
    return new Map(mine.map((r) => [r.id, Number(r.attempts)]));
  }

  /**
   * Marks an entry delivered with its receipts, if this lease still holds it (a deliverer whose
   * lease ran out changes nothing). Whether it did.
   */
  async markDelivered(id: string, leaseId: string, receipts: unknown, deliveredAt: Date): Promise<boolean> {
    const done = await execute(
      this.manager,
      'UPDATE outbox SET status = ?, delivered_at = ?, lease_until = NULL, lease_id = NULL, last_error = NULL, ' +
        'receipts = ? WHERE id = ? AND status = ? AND lease_id = ?',
      [
        OutboxStatus.DELIVERED,
        this.codec.value('deliveredAt', deliveredAt),
        this.codec.value('receipts', receipts),
        id,
        OutboxStatus.PENDING,
        leaseId,
      ],
    );
    return done.affected === 1;
  }

  /**
   * An entry not delivered, if this lease still holds it: PENDING again from `nextAttemptAt`, or
   * REFUSED (the department refused its content: a person must look), with the reason.
   */
  async markFailed(
    id: string,
    leaseId: string,
    outcome: { refused: boolean; lastError: string; nextAttemptAt: Date },
  ): Promise<void> {
    await execute(
      this.manager,
      'UPDATE outbox SET status = ?, lease_until = NULL, lease_id = NULL, last_error = ?, next_attempt_at = ? ' +
        'WHERE id = ? AND status = ? AND lease_id = ?',
      [
        outcome.refused ? OutboxStatus.REFUSED : OutboxStatus.PENDING,
        outcome.lastError,
        this.codec.value('nextAttemptAt', outcome.nextAttemptAt),
        id,
        OutboxStatus.PENDING,
        leaseId,
      ],
    );
  }

  /** A refused share made pending again, due at `now`; whether there was one. */
  async requeueRefused(submissionId: string, department: string, now: Date): Promise<boolean> {
    const done = await updateRows(
      this.manager,
      OutboxRow,
      { submissionId, department, status: OutboxStatus.REFUSED },
      { status: OutboxStatus.PENDING, nextAttemptAt: now, leaseUntil: null },
    );
    return done.affected === 1;
  }

  /** A submission's share for one department. */
  shareOf(submissionId: string, department: string): Promise<OutboxRow> {
    return this.manager.findOneByOrFail(OutboxRow, { submissionId, department });
  }

  /**
   * Issue L: what waits to be delivered, by department: how many entries, and when the oldest one's
   * submission was stored (its age is how late that department's results are).
   */
  async pendingByDepartment(): Promise<Array<{ department: string; pending: number; oldest: Date }>> {
    const rows = await this.manager
      .createQueryBuilder(OutboxRow, 'o')
      .innerJoin(SubmissionRow, 's', 's.id = o.submissionId')
      .select('o.department', 'department')
      .addSelect('COUNT(*)', 'pending')
      .addSelect('MIN(s.submittedAt)', 'oldest')
      .where('o.status = :status', { status: OutboxStatus.PENDING })
      .groupBy('o.department')
      .getRawMany<{ department: string; pending: number | string; oldest: Date | string }>();
    return rows.map((r) => ({ department: r.department, pending: Number(r.pending), oldest: dateOf(r.oldest) }));
  }

  /** A submission's shares, by department. */
  sharesOf(submissionId: string): Promise<OutboxRow[]> {
    return this.manager.find(OutboxRow, { where: { submissionId }, order: { department: 'ASC' } });
  }

  /** The shares of some submissions, by department, in one statement (none for no submissions). */
  async sharesOfSubmissions(submissionIds: readonly string[]): Promise<OutboxRow[]> {
    if (submissionIds.length === 0) return [];
    return this.manager
      .createQueryBuilder(OutboxRow, 'o')
      .where('o.submissionId IN (:...submissionIds)', { submissionIds })
      .orderBy('o.department', 'ASC')
      .getMany();
  }
}
