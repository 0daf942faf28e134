import { MoreThan, type EntityManager } from 'typeorm';
import type { Identity } from '../../../kernel/identity';
import { codecOf, execute, select } from '../../../kernel/prepared';
import { auditHash, type AuditEntry } from './audit-trail';
import { AuditEventRow, AuditHeadRow } from './entities';

/** Every column of an audit entry, in the order the prepared insert uses. */
const EVENT_COLUMNS = [
  'seq',
  'at',
  'actor',
  'role',
  'department',
  'action',
  'entityId',
  'details',
  'prevHash',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditEventRow>;

/** The audit trail's tables (R29): the only code that reads or writes them. */
export class AuditRepository {
  constructor(readonly manager: EntityManager) {}

  /**
   * Appends to the audit trail (R29), on this repository's manager: inside the caller's
   * transaction, so the step and its trace are stored together or not at all. Each entry holds
   * the hash of the one before. The head row is locked (MySQL) so concurrent appenders, in any
   * process, chain one after another; SQLite runs one write transaction at a time anyway.
   */
  async append(who: Identity, entry: AuditEntry, at = new Date()): Promise<AuditEventRow> {
    // Inside the step's transaction only: outside one, MySQL's lock on the head would end at once and
    // two appends could chain off the same entry.
    if (!this.manager.queryRunner?.isTransactionActive)
      throw new Error('the audit trail is appended inside the transaction of the step it records (store.transaction)');
    // Prepared statements: every submission appends (the write-back's hot path).
    const mysql = this.manager.connection.options.type === 'mysql';
    const [head] = await select<{ seq: number; hash: string }>(
      this.manager,
      `SELECT seq, hash FROM audit_head WHERE id = 1${mysql ? ' FOR UPDATE' : ''}`,
      [],
    );
    if (!head) throw new Error('the audit trail has no head row (migrations not run?)');
    const prevHash = head.hash;
    const row = Object.assign(new AuditEventRow(), {
      seq: Number(head.seq) + 1,
      at,
      actor: who.subject,
      role: who.role,
      department: who.department,
      action: entry.action,
      entityId: entry.entityId,
      details: entry.details,
      prevHash,
    });
    row.hash = auditHash(prevHash, row);
    const c = codecOf(this.manager, AuditEventRow, EVENT_COLUMNS);
    await execute(this.manager, `INSERT INTO audit_event (${c.columns}) VALUES ${c.placeholders}`, c.values(row));
    await execute(this.manager, 'UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [row.seq, row.hash]);
    return row;
  }

  /**
   * At most `take` entries after entry `afterSeq`, in the order of the trail; only those of one
   * plan or task when `entityId` is given. One statement (keyset paging: entries are only ever appended).
   */
  entriesAfter(afterSeq: number, take: number, entityId: string | null = null): Promise<AuditEventRow[]> {
    return this.manager.find(AuditEventRow, {
      where: { seq: MoreThan(afterSeq), ...(entityId ? { entityId } : {}) },
      order: { seq: 'ASC' },
      take,
    });
  }

  /** How many entries the trail has, or those of one plan or task when `entityId` is given. */
  count(entityId: string | null = null): Promise<number> {
    return this.manager.countBy(AuditEventRow, entityId ? { entityId } : {});
  }

  /** The head of the chain: the last entry's number and hash (0 and the genesis hash for an empty trail). */
  head(): Promise<AuditHeadRow> {
    return this.manager.findOneByOrFail(AuditHeadRow, { id: 1 });
  }
}
