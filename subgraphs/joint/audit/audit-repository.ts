import type { EntityManager } from 'typeorm';
import type { Identity } from '../../../kernel/identity';
import { insertRows, updateRows } from '../../../kernel/rows';
import { auditHash, type AuditEntry } from './audit-trail';
import { AuditEventRow, AuditHeadRow } from './entities';

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
    const mysql = this.manager.connection.options.type === 'mysql';
    const head = await this.manager.findOneOrFail(AuditHeadRow, {
      where: { id: 1 },
      ...(mysql ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    const prevHash = head.hash;
    const row = Object.assign(new AuditEventRow(), {
      seq: head.seq + 1,
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
    await insertRows(this.manager, AuditEventRow, row);
    await updateRows(this.manager, AuditHeadRow, { id: 1 }, { seq: row.seq, hash: row.hash });
    return row;
  }
}

/**
 * Appends to the audit trail (R29) inside the caller's transaction (`manager`).
 * @deprecated Being replaced by `store.audit.append` (AuditRepository) during issue K.
 */
export function appendAudit(
  manager: EntityManager,
  who: Identity,
  entry: AuditEntry,
  at = new Date(),
): Promise<AuditEventRow> {
  return new AuditRepository(manager).append(who, entry, at);
}
