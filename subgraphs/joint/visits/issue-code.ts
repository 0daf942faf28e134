import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../../department-kernel/repository';
import { badInput, conflict, forbidden, notFound } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import { assertTargetKey } from '../../../kernel/target-key';
import { assertRoleAmong } from '../access';
import type { JointDeps } from '../context';
import type { PlanContent } from '../plans/content';
import type { JointStore } from '../store';
import type { DrawnTargetRow, TaskRow } from '../tasks/entities';
import { TaskService, TaskStatus } from '../tasks/task-service';
import type { TeamMemberRow } from '../teams/entities';
import { InspectionCodeRow, VisitFeedbackRow } from './entities';
import { newInspectionCode, normaliseInspectionCode } from './codes';

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
  const existing = await deps.store.codes.ofVisit(taskId, targetKey);
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
 * Stores a new code inside the caller's transaction (`tx`, a transaction's store), with its audit entry (R29): the
 * code and what it is printed on are stored together, or neither.
 */
export async function storeIssuedCode(
  tx: JointStore,
  identity: Identity,
  toIssue: CodeToIssue,
  now: Date,
): Promise<void> {
  if (!toIssue.row) return;
  await tx.codes.insert(toIssue.row);
  await tx.audit.append(
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
    await deps.store.transaction((tx) => storeIssuedCode(tx, identity, toIssue, now));
  } catch (error) {
    // Two callers at once: the first one's code is the visit's.
    if (isDuplicateKey(error)) return (await deps.store.codes.ofVisitOrFail(taskId, targetKey)).code;
    throw error;
  }
  return toIssue.code;
}

/** What a genuine code's check reads: the task, its plan, the visit and its active inspectors. */
export interface CheckedCode {
  task: TaskRow;
  content: PlanContent;
  visit: DrawnTargetRow;
  inspectors: TeamMemberRow[];
}

/** Inspection codes (R32): issuing them to a visit's team, checking them, a business's feedback against them. */
export class InspectionCodeService {
  private readonly tasks: TaskService;
  constructor(private readonly deps: JointDeps) {
    this.tasks = new TaskService(deps);
  }

  private get store() {
    return this.deps.store;
  }

  /**
   * The inspection code of a registered visit (R32), issued now or the one issued: for the visit's team or the lead
   * department's coordinators.
   */
  async issue(id: Identity, taskId: string, targetKey: string): Promise<string> {
    assertRoleAmong(id, [Role.INSPECTOR, Role.COORDINATOR], 'issue an inspection code'); // R30
    assertTargetKey(targetKey, 'targetKey');
    const tasks = this.tasks;
    const task = await tasks.requireTask(taskId);
    const lead = id.role === Role.COORDINATOR && id.department === task.leadDepartment;
    // R30: the caller's department is settled before anything about the task or visit is told (its
    // state, its visits): the lead's coordinators, or inspectors of a department taking part.
    const participant =
      id.role === Role.INSPECTOR &&
      id.department !== null &&
      (await tasks.planContent(task)).departments.includes(id.department);
    if (!lead && !participant)
      throw forbidden("Only the visit's team or the lead department's coordinators issue its code.", { rule: 'R30' });
    if (task.status !== TaskStatus.LOCKED)
      throw conflict(`Task ${task.id} is ${task.status}: codes are issued for visits of a locked task.`, {
        field: 'taskId',
      });
    if (!(await this.store.tasks.drawnTarget(taskId, targetKey)))
      throw notFound(`${targetKey} is not a visit of task ${taskId}.`, { field: 'targetKey' });
    const member = await this.store.teams.isActiveMember(taskId, targetKey, id.subject, id.department ?? '');
    if (!member && !lead)
      throw forbidden("Only the visit's team or the lead department's coordinators issue its code.", { rule: 'R30' });
    return issueInspectionCode(this.deps, id, taskId, targetKey);
  }

  /** What a code is the code of (R32), or null when it is no registered visit's. */
  async check(code: string): Promise<CheckedCode | null> {
    const row = await this.store.codes.byCode(normaliseInspectionCode(code));
    if (!row) return null;
    const task = await this.tasks.requireTask(row.taskId);
    const content = await this.tasks.planContent(task);
    const visit = await this.store.tasks.drawnTarget(row.taskId, row.targetKey);
    if (!visit) throw new Error(`The visit of inspection code ${row.code} is missing.`);
    const inspectors = await this.store.teams.activeInspectors(row.taskId, row.targetKey);
    return { task, content, visit, inspectors };
  }

  /** Stores a business's rating of, or complaint about, the visit of a code (R32); the coordinators see it. */
  async leave(code: string, kind: 'RATING' | 'COMPLAINT', rating: number | null, text: string): Promise<void> {
    const row = await this.store.codes.byCode(normaliseInspectionCode(code));
    if (!row)
      throw badInput(
        `'${code}' is not the code of a registered visit: check it against the one you were shown (R32).`,
        { field: 'code' },
      );
    await this.store.codes.insertFeedback(
      Object.assign(new VisitFeedbackRow(), {
        id: randomUUID(),
        code: row.code,
        kind,
        rating,
        text,
        leftAt: this.deps.clock(),
      }),
    );
  }
}
