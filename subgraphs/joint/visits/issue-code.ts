import type { EntityManager } from 'typeorm';
import { isDuplicateKey } from '../../department-kernel/repository';
import type { Identity } from '../../../kernel/identity';
import { appendAudit } from '../audit/audit-repository';
import type { JointDeps } from '../context';
import { InspectionCodeRow } from './entities';
import { newInspectionCode } from './codes';

/** A visit's code: the one issued, or a new one still to be stored (`row`) with what it comes with. */
export interface CodeToIssue {
  code: string;
  /** Null when the visit has its code already. */
  row: InspectionCodeRow | null;
}

/** The visit's inspection code (R32), or a new one for `identity` to issue (stored by `storeIssuedCode`). */
export async function codeOf(
  deps: JointDeps,
  identity: Identity,
  taskId: string,
  targetKey: string,
  now: Date,
): Promise<CodeToIssue> {
  const existing = await deps.dataSource.manager.findOneBy(InspectionCodeRow, { taskId, targetKey });
  if (existing) return { code: existing.code, row: null };
  const row = Object.assign(new InspectionCodeRow(), {
    code: newInspectionCode(),
    taskId,
    targetKey,
    issuedAt: now,
    issuedBy: identity.subject,
  });
  return { code: row.code, row };
}

/**
 * Stores a new code inside the caller's transaction, with its audit entry (R29): the code and what it is printed on
 * are stored together, or neither.
 */
export async function storeIssuedCode(
  tx: EntityManager,
  identity: Identity,
  toIssue: CodeToIssue,
  now: Date,
): Promise<void> {
  if (!toIssue.row) return;
  await tx.insert(InspectionCodeRow, toIssue.row);
  await appendAudit(
    tx,
    identity,
    {
      action: 'code.issued',
      entityId: toIssue.row.taskId,
      details: { targetKey: toIssue.row.targetKey, code: toIssue.row.code },
    },
    now,
  );
}

/**
 * The visit's inspection code (R32): the one issued, or a new one issued now by `identity` (in the
 * audit trail, R29). The caller has checked that they may (a team member, a lead coordinator).
 */
export async function issueInspectionCode(
  deps: JointDeps,
  identity: Identity,
  taskId: string,
  targetKey: string,
): Promise<string> {
  const now = deps.clock();
  const toIssue = await codeOf(deps, identity, taskId, targetKey, now);
  try {
    await deps.dataSource.transaction((tx) => storeIssuedCode(tx, identity, toIssue, now));
  } catch (error) {
    // Two callers at once: the first one's code is the visit's.
    if (isDuplicateKey(error))
      return (await deps.dataSource.manager.findOneByOrFail(InspectionCodeRow, { taskId, targetKey })).code;
    throw error;
  }
  return toIssue.code;
}
