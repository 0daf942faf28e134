import type { JointDeps } from '../context';
import { auditHash, GENESIS_HASH } from './audit-trail';
import type { AuditEventRow } from './entities';

/** What re-computing the audit trail's hash chain found (R29). */
export interface AuditChainCheck {
  ok: boolean;
  entries: number;
  /** The first entry that does not fit, if any. */
  brokenAt: number | null;
}

/** Reads the audit trail (R29); the caller has checked that they may (auditors and hub admins). */
export class AuditService {
  constructor(private readonly deps: JointDeps) {}

  /** At most `take` entries after entry `afterSeq`, in the order of the trail, optionally of one plan or task. */
  entriesAfter(afterSeq: number, take: number, entityId: string | null): Promise<AuditEventRow[]> {
    return this.deps.store.audit.entriesAfter(afterSeq, take, entityId);
  }

  /** How many entries the trail has, optionally of one plan or task. */
  count(entityId: string | null): Promise<number> {
    return this.deps.store.audit.count(entityId);
  }

  /** Re-computes the whole hash chain of the audit trail (R29), 5,000 entries a statement. */
  async verifyChain(): Promise<AuditChainCheck> {
    const audit = this.deps.store.audit;
    let prev = GENESIS_HASH;
    let seq = 0;
    for (;;) {
      const rows = await audit.entriesAfter(seq, 5000);
      if (rows.length === 0) {
        // The head row holds the last entry's number and hash: entries cut off the end are found too.
        const head = await audit.head();
        if (head.seq !== seq || head.hash !== prev) return { ok: false, entries: seq, brokenAt: seq + 1 };
        return { ok: true, entries: seq, brokenAt: null };
      }
      for (const row of rows) {
        if (row.seq !== seq + 1 || row.prevHash !== prev || auditHash(prev, row) !== row.hash)
          return { ok: false, entries: seq, brokenAt: row.seq };
        prev = row.hash;
        seq = row.seq;
      }
    }
  }
}
