import { sha256Hex } from '../draw/canonical';
import type { AuditEventRow } from './entities';

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
