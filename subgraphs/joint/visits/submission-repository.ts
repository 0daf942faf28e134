import type { EntityManager } from 'typeorm';
import { codecOf, execute, select } from '../../../kernel/prepared';
import { SubmissionRow } from './entities';

/** Every column of a submission, in the order the prepared statements use. */
const COLUMNS = [
  'id',
  'taskId',
  'targetKey',
  'inspectedOn',
  'results',
  'submittedAt',
  'submittedBy',
  'clientKey',
  'contentDigest',
] as const satisfies ReadonlyArray<keyof SubmissionRow>;

/**
 * Visit submissions (R22, R24): the only code that reads or writes their table. A submission's
 * own statements (the insert, the look-up by idempotency key) are prepared statements
 * (kernel/prepared.ts): they are the write-back's hot path.
 */
export class SubmissionRepository {
  constructor(readonly manager: EntityManager) {}

  private get codec() {
    return codecOf(this.manager, SubmissionRow, COLUMNS);
  }

  /** Stores a submission (a visit has at most one, and an idempotency key names at most one: duplicate keys fail). */
  async insert(submission: SubmissionRow): Promise<void> {
    const c = this.codec;
    await execute(this.manager, `INSERT INTO submission (${c.columns}) VALUES ${c.placeholders}`, c.values(submission));
  }

  /** The submission a phone's idempotency key names, if any (R24). */
  async byClientKey(key: string): Promise<SubmissionRow | null> {
    const c = this.codec;
    const [row] = await select(this.manager, `SELECT ${c.columns} FROM submission WHERE client_key = ?`, [key]);
    return row ? c.read(row) : null;
  }

  /** A submission by id. */
  byId(id: string): Promise<SubmissionRow | null> {
    return this.manager.findOneBy(SubmissionRow, { id });
  }

  /** A visit's submission, if it has one. */
  ofVisit(taskId: string, targetKey: string): Promise<SubmissionRow | null> {
    return this.manager.findOneBy(SubmissionRow, { taskId, targetKey });
  }

  /** The submissions of some visits of a task, in one statement (none for no keys). */
  async ofVisits(taskId: string, targetKeys: readonly string[]): Promise<SubmissionRow[]> {
    if (targetKeys.length === 0) return [];
    return this.manager
      .createQueryBuilder(SubmissionRow, 's')
      .where('s.taskId = :taskId', { taskId })
      .andWhere('s.targetKey IN (:...targetKeys)', { targetKeys })
      .getMany();
  }
}
