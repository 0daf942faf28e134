import { insertRows } from '../../../kernel/rows';
import type { EntityManager } from 'typeorm';
import { sha256Hex } from '../draw/canonical';
import type { Identity } from '../../../kernel/identity';
import { AuditEventRow, AuditHeadRow } from './entities';

/** The hash before the first entry (the head row's initial hash). */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  action: string;
  entityId: string;
  details: Record<string, unknown>;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's fields, in a fixed order. */
export function auditHash(
  prevHash: string,
  e: Pick<AuditEventRow, 'seq' | 'at' | 'actor' | 'role' | 'department' | 'action' | 'entityId' | 'details'>,
): string {
  return sha256Hex(
    [
      prevHash,
      e.seq,
      e.at.toISOString(),
      e.actor,
      e.role,
      e.department ?? '',
      e.action,
      e.entityId,
      JSON.stringify(e.details),
    ].join('\n'),
  );
}

/**
 * Appends to the audit trail (R29) inside the caller's transaction, so the step and its trace
 * are stored together or not at all. Each entry holds the hash of the one before.
 */
export async function appendAudit(
  manager: EntityManager,
  who: Identity,
  entry: AuditEntry,
  at = new Date(),
): Promise<AuditEventRow> {
  // The head row is locked (MySQL) so concurrent appenders, in any process, chain one after another;
  // SQLite runs one write transaction at a time anyway.
  const mysql = manager.connection.options.type === 'mysql';
  const head = await manager.findOneOrFail(AuditHeadRow, {
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
  await insertRows(manager, AuditEventRow, row);
  await manager.update(AuditHeadRow, { id: 1 }, { seq: row.seq, hash: row.hash });
  return row;
}
