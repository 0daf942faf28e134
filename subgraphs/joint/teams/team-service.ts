import { badInput, conflict, forbidden, notFound } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import { REGION_PREFIX } from '../../../kernel/codes';
import { assertTargetKey } from '../../../kernel/target-key';
import { isDuplicateKey } from '../../department-kernel/repository';
import { requireText } from '../../../kernel/validation';
import { assertDepartmentStaff, assertRoleAmong } from '../access';
import type { JointDeps } from '../context';
import {
  eligibility,
  runTeamDraw,
  TEAM_ALGORITHM,
  type FrozenTeamInput,
  type RosterPerson,
  type TeamAssignment,
  type TeamDrawInput,
  type TeamDrawRecord,
} from '../draw/teams';
import { ConflictRow, EntrustmentRow, InspectorDrawRow, TeamMemberRow } from './entities';
import type { TaskRow } from '../tasks/entities';
import { currentTeamInput, expertRoster, inspectorRoster } from './rosters';
import type { PlanContent } from '../plans/content';
import { TaskService, TaskStatus } from '../tasks/task-service';

/** R20: the only reasons a drawn inspector may be replaced (岗位调整、工作冲突、健康状况、执法回避). */
export const REPLACEMENT_REASONS = ['JOB_CHANGE', 'WORK_CONFLICT', 'HEALTH', 'RECUSAL'] as const;
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];

/** R21: regions one entrustment may name (prefixes cover whole cities and districts). */
export const MAX_ENTRUSTED_REGIONS = 100;

/** R18: a team has at least two enforcement officers (行政处罚法 art. 42). */
export const MIN_TEAM_INSPECTORS = 2;

export class TeamService {
  private readonly tasks: TaskService;
  constructor(private readonly deps: JointDeps) {
    this.tasks = new TaskService(deps);
  }

  private get store() {
    return this.deps.store;
  }

  private async lockedTask(taskId: string): Promise<{ task: TaskRow; content: PlanContent }> {
    const task = await this.tasks.requireTask(taskId);
    if (task.status !== TaskStatus.LOCKED)
      throw conflict(`Task ${task.id} is ${task.status}: inspectors are drawn for a locked list (R17, R18).`, {
        field: 'taskId',
      });
    return { task, content: await this.tasks.planContent(task) };
  }

  private participates(content: PlanContent, department: string): void {
    if (!content.departments.includes(department))
      throw badInput(`'${department}' does not take part in this task (${content.departments.join(', ')}).`, {
        field: 'department',
      });
  }

  /**
   * Seats per visit for a department: one team has at least two officers (R18); a one-department plan seats both from
   * it.
   */
  inspectorsPerVisit(content: PlanContent): number {
    return content.departments.length === 1
      ? Math.max(MIN_TEAM_INSPECTORS, content.inspectorsPerDepartment)
      : content.inspectorsPerDepartment;
  }

  /**
   * The input of a department's team draw: what was frozen at the task's snapshot (rosters,
   * conflicts, entrustments) plus the drawn visits and the plan's domains and seats.
   */
  private async drawInput(
    task: TaskRow,
    content: PlanContent,
    department: string,
    frozen: FrozenTeamInput,
  ): Promise<TeamDrawInput> {
    const visits = await this.tasks.drawnTargets(task.id);
    const lead = department === content.leadDepartment;
    return {
      algorithm: TEAM_ALGORITHM,
      taskId: task.id,
      department,
      targetSeed: task.drawResult!.seed,
      visits: visits.map((v) => ({ key: v.targetKey, regionCode: v.regionCode })),
      domains: [...new Set(content.items.filter((i) => i.department === department).map((i) => i.domain))].sort(),
      inspectorsPerVisit: this.inspectorsPerVisit(content),
      expertsPerVisit: lead ? content.expertsPerVisit : 0,
      inspectors: frozen.inspectors,
      experts: frozen.experts,
      // Every frozen conflict, those with targets this task did not draw too: the record's
      // rosters, conflicts and entrustments must hash to the frozenHash published at the snapshot.
      conflicts: frozen.conflicts,
      entrustments: frozen.entrustments,
    };
  }

  /**
   * R18: a participating department draws its own inspectors for every visit of a locked task,
   * once, from the rosters frozen at the snapshot; the lead department's first inspector on each
   * visit leads the team. A seat nobody eligible is left for stays vacant, for the deputy head to fill.
   */
  async draw(identity: Identity, taskId: string, department: string): Promise<TeamDrawRecord> {
    // R30, R18: who may draw is settled before anything about the task is told (its state, its departments).
    assertRoleAmong(identity, [Role.COORDINATOR, Role.DEPT_ADMIN], 'draw inspectors');
    assertDepartmentStaff(identity, department, [Role.COORDINATOR, Role.DEPT_ADMIN], 'draw its inspectors');
    const { task, content } = await this.lockedTask(taskId);
    this.participates(content, department);
    if (await this.store.teams.hasDrawn(taskId, department))
      throw conflict(
        `${department} has drawn its inspectors for task ${taskId} already; replace one with a reason instead (R20).`,
      );
    const roster = await this.store.teams.roster(taskId, department);
    const input = await this.drawInput(task, content, department, roster.frozen as FrozenTeamInput);
    const outcome = runTeamDraw(input);
    const people = new Map([...input.inspectors, ...input.experts].map((p) => [p.id, p]));
    const now = this.deps.clock();
    const lead = department === content.leadDepartment;
    const members: TeamMemberRow[] = outcome.assignments.flatMap((a) => [
      ...a.inspectors.map((id, i) =>
        member(taskId, a.key, department, 'INSPECTOR', people.get(id)!, lead && i === 0, now),
      ),
      ...a.experts.map((id) => member(taskId, a.key, department, 'EXPERT', people.get(id)!, false, now)),
    ]);
    const vacant = outcome.assignments.reduce((n, a) => n + a.vacant, 0);
    try {
      await this.store.transaction(async (tx) => {
        await tx.teams.insertDraw(
          Object.assign(new InspectorDrawRow(), {
            taskId,
            department,
            seed: outcome.seed,
            input,
            inputHash: outcome.inputHash,
            assignments: outcome.assignments,
            drawnAt: now,
            drawnBy: identity.subject,
          }),
        );
        await tx.teams.insertMembers(members);
        await tx.audit.append(
          identity,
          {
            action: 'team.drawn',
            entityId: taskId,
            details: {
              department,
              seed: outcome.seed,
              inputHash: outcome.inputHash,
              frozenHash: roster.frozenHash,
              visits: outcome.assignments.length,
              vacantSeats: vacant,
            },
          },
          now,
        );
      });
    } catch (error) {
      if (isDuplicateKey(error))
        throw conflict(`${department} has drawn its inspectors for task ${taskId} already (R18).`);
      throw error;
    }
    return {
      format: 'jointcheck-team-record/1',
      input,
      frozenHash: roster.frozenHash,
      seed: outcome.seed,
      inputHash: outcome.inputHash,
      assignments: outcome.assignments,
    };
  }

  async record(taskId: string, department: string): Promise<TeamDrawRecord | null> {
    const row = await this.store.teams.draw(taskId, department);
    if (!row) return null;
    const roster = await this.store.teams.roster(taskId, department);
    return {
      format: 'jointcheck-team-record/1',
      input: row.input as TeamDrawInput,
      frozenHash: roster.frozenHash,
      seed: row.seed,
      inputHash: row.inputHash,
      assignments: row.assignments as TeamAssignment[],
    };
  }

  /**
   * R20: replaces a drawn inspector for a listed reason, approved by the department's deputy head;
   * the replacement is any eligible inspector, chosen without a lottery; the original stays on record.
   */
  async replace(
    identity: Identity,
    input: {
      taskId: string;
      targetKey: string;
      department: string;
      personId: string;
      reason: string;
      replacementId: string;
      note: string;
    },
  ): Promise<TeamMemberRow> {
    // R30, R20: who may approve is settled before anything about the task is told.
    assertRoleAmong(identity, [Role.DEPUTY_HEAD], 'approve replacing a drawn inspector (R20)');
    assertDepartmentStaff(identity, input.department, [Role.DEPUTY_HEAD], 'approve replacing a drawn inspector (R20)');
    assertTargetKey(input.targetKey, 'targetKey');
    const { task, content } = await this.lockedTask(input.taskId);
    this.participates(content, input.department);
    if (!(REPLACEMENT_REASONS as readonly string[]).includes(input.reason)) {
      throw badInput(`reason must be one of ${REPLACEMENT_REASONS.join(', ')} (R20).`, {
        field: 'reason',
        rule: 'R20',
      });
    }
    const note = requireText(input.note, 'note', 2000, 'say what happened');
    const team = await this.store.teams.activeTeam(task.id, input.targetKey);
    const current = team.find(
      (m) => m.personId === input.personId && m.department === input.department && m.kind === 'INSPECTOR',
    );
    if (!current)
      throw notFound(
        `${input.personId} is not an active ${input.department} inspector on the team for ${input.targetKey}.`,
        { field: 'personId' },
      );
    if (team.some((m) => m.personId === input.replacementId && m.department === input.department))
      throw badInput(`${input.replacementId} is on this team already.`, { field: 'replacementId', rule: 'R20' });
    // Chosen without a lottery, so by the rosters, conflicts and entrustments as they are now.
    const drawInput = await this.drawInput(
      task,
      content,
      input.department,
      await currentTeamInput(this.deps, this.store, task.id, content, input.department),
    );
    const replacement = drawInput.inspectors.find((p) => p.id === input.replacementId);
    const visit = drawInput.visits.find((v) => v.key === input.targetKey)!;
    // R20: the replacement is a qualified inspector (R7) with jurisdiction (R21) and no conflict (R19).
    if (!replacement || !eligibility(drawInput).inspector(replacement, visit)) {
      throw badInput(
        `${input.replacementId} is not an eligible ${input.department} inspector for ${input.targetKey}: ` +
          `qualified for the plan's items, with jurisdiction or an entrustment, without a conflict of interest ` +
          `(R20).`,
        {
          field: 'replacementId',
          rule: 'R20',
        },
      );
    }
    const now = this.deps.clock();
    return this.store.transaction(async (tx) => {
      if (!(await tx.teams.markReplaced(current.id)))
        throw conflict(`${input.personId} was replaced by someone else just now.`);
      const row = member(task.id, input.targetKey, input.department, 'INSPECTOR', replacement, current.leader, now);
      Object.assign(row, {
        origin: 'REPLACEMENT',
        replacesId: current.id,
        replacementReason: input.reason,
        replacementNote: note,
        approvedBy: identity.subject,
      });
      await tx.teams.insertMember(row);
      await tx.audit.append(
        identity,
        {
          action: 'team.replaced',
          entityId: task.id,
          details: {
            targetKey: input.targetKey,
            department: input.department,
            replaced: input.personId,
            by: input.replacementId,
            reason: input.reason,
            note,
          },
        },
        now,
      );
      return row;
    });
  }

  /** R19: an inspector or expert declares a conflict of interest with a target (before or after a draw). */
  async declareConflict(
    identity: Identity,
    input: { department: string; personId: string; targetKey: string; reason: string },
  ): Promise<void> {
    if (!this.deps.departments.has(input.department))
      throw badInput(
        `department '${input.department}' is not a department of the hub ` +
          `(${this.deps.departments.departments().join(', ')}).`,
        { field: 'department' },
      );
    assertDepartmentStaff(
      identity,
      input.department,
      [Role.INSPECTOR, Role.DEPT_ADMIN, Role.DEPUTY_HEAD],
      'declare a conflict of interest',
    );
    // R30, R19: an inspector declares their own interests only; a declaration keeps the person out of
    // the lottery, so one naming a colleague would let an inspector steer who is drawn. The
    // department's admin or deputy head records one for anyone (an expert, say).
    if (identity.role === Role.INSPECTOR && input.personId !== identity.subject) {
      throw forbidden(
        `An inspector declares their own conflicts of interest only; you are ${identity.subject}, not ` +
          `${input.personId}. The ${input.department} admin or deputy head records one for a colleague.`,
        { rule: 'R30' },
      );
    }
    requireText(input.personId, 'personId', 32);
    // R19: a target's key (a USCC, or a department's own id of a project or product).
    assertTargetKey(input.targetKey, 'targetKey', 'R19');
    const reason = requireText(input.reason, 'reason', 2000, 'say what the interest is', 'R19');
    // R19: the person is on the department's inspector or expert roster (another department's id would be kept out of
    // nothing).
    const [inspectors, experts] = await Promise.all([
      inspectorRoster(this.deps.departments, input.department),
      expertRoster(this.deps.departments, input.department),
    ]);
    if (!inspectors.some((p) => p.id === input.personId) && !experts.some((p) => p.id === input.personId)) {
      throw badInput(
        `personId '${input.personId}' is on neither the ${input.department} inspector roster nor its expert ` +
          `roster; a conflict is declared for the department's own people (R19).`,
        { field: 'personId', rule: 'R19' },
      );
    }
    const now = this.deps.clock();
    try {
      await this.store.transaction(async (tx) => {
        await tx.teams.insertConflict(
          Object.assign(new ConflictRow(), {
            department: input.department,
            personId: input.personId,
            targetKey: input.targetKey,
            reason,
            declaredBy: identity.subject,
            declaredAt: now,
          }),
        );
        await tx.audit.append(
          identity,
          {
            action: 'conflict.declared',
            entityId: input.targetKey,
            details: { department: input.department, personId: input.personId, reason },
          },
          now,
        );
      });
    } catch (error) {
      if (isDuplicateKey(error))
        throw conflict(`${input.personId}'s conflict with ${input.targetKey} is declared already.`);
      throw error;
    }
  }

  /**
   * R21: records that the higher-level department entrusts an inspector to act in regions outside
   * their jurisdiction, for a task. Entrustments recorded before the task's snapshot enter its team
   * lottery; later ones let the deputy head fill a vacant seat or choose a replacement.
   */
  async entrust(
    identity: Identity,
    input: {
      taskId: string;
      department: string;
      inspectorId: string;
      regions: string[];
      entrustedByUnit: string;
      reason: string;
    },
  ): Promise<void> {
    // R30, R21: who may entrust is settled before anything about the task is told.
    assertDepartmentStaff(
      identity,
      input.department,
      [Role.DEPT_ADMIN, Role.DEPUTY_HEAD],
      'record an entrustment (R21)',
    );
    const task = await this.tasks.requireTask(input.taskId);
    if (task.status === TaskStatus.CANCELLED) throw conflict(`Task ${task.id} is cancelled.`);
    this.participates(await this.tasks.planContent(task), input.department);
    // R21: the regions entrusted, as codes or prefixes; a list that long is no entrustment (and would not fit its
    // column).
    if (input.regions.length === 0 || input.regions.length > MAX_ENTRUSTED_REGIONS) {
      throw badInput(
        `regions: 1 to ${MAX_ENTRUSTED_REGIONS} region codes or prefixes (2 to 6 digits), got ` +
          `${input.regions.length}; a prefix (3101) covers every region under it.`,
        { field: 'regions', rule: 'R21' },
      );
    }
    if (!input.regions.every((r) => REGION_PREFIX.test(r)))
      throw badInput('regions: region codes or prefixes (2 to 6 digits).', { field: 'regions', rule: 'R21' });
    const inspectorId = requireText(input.inspectorId, 'inspectorId', 32);
    const unit = requireText(
      input.entrustedByUnit,
      'entrustedByUnit',
      100,
      'name the higher-level department unit that entrusts (R21)',
      'R21',
    );
    const reason = requireText(input.reason, 'reason', 2000, 'say why', 'R21');
    // R21: the department entrusts one of its own inspectors.
    if (!(await inspectorRoster(this.deps.departments, input.department)).some((p) => p.id === inspectorId)) {
      throw badInput(
        `inspectorId '${inspectorId}' is not on the ${input.department} inspector roster; an entrustment ` +
          `names one of the department's own inspectors (R21).`,
        { field: 'inspectorId', rule: 'R21' },
      );
    }
    const now = this.deps.clock();
    await this.store.transaction(async (tx) => {
      await tx.teams.insertEntrustment(
        Object.assign(new EntrustmentRow(), {
          taskId: task.id,
          department: input.department,
          inspectorId,
          regions: input.regions,
          entrustedByUnit: unit,
          reason,
          recordedBy: identity.subject,
          recordedAt: now,
        }),
      );
      await tx.audit.append(
        identity,
        {
          action: 'inspector.entrusted',
          entityId: task.id,
          details: {
            department: input.department,
            inspectorId,
            regions: input.regions,
            entrustedByUnit: unit,
            reason,
            beforeSnapshot: task.status === TaskStatus.COMMITTED,
          },
        },
        now,
      );
    });
  }

  /**
   * Fills a seat the lottery left vacant (nobody eligible was left for it): the department's deputy
   * head chooses any eligible inspector, without a lottery, on record (R20, R21).
   */
  async fillVacancy(
    identity: Identity,
    input: { taskId: string; targetKey: string; department: string; inspectorId: string; note: string },
  ): Promise<TeamMemberRow> {
    // R30, R20: who may fill a seat is settled before anything about the task is told.
    assertRoleAmong(identity, [Role.DEPUTY_HEAD], 'fill a vacant seat (R20)');
    assertDepartmentStaff(identity, input.department, [Role.DEPUTY_HEAD], 'fill a vacant seat (R20)');
    assertTargetKey(input.targetKey, 'targetKey');
    const { task, content } = await this.lockedTask(input.taskId);
    this.participates(content, input.department);
    const note = requireText(input.note, 'note', 2000, 'say why this inspector');
    if (!(await this.store.teams.hasDrawn(task.id, input.department)))
      throw conflict(`${input.department} has not drawn its inspectors for this task yet: draw first (R18).`);
    const team = await this.store.teams.activeTeam(task.id, input.targetKey);
    const seated = team.filter((m) => m.department === input.department && m.kind === 'INSPECTOR');
    if (seated.length >= this.inspectorsPerVisit(content))
      throw conflict(`No ${input.department} seat is vacant on the team for ${input.targetKey}.`, {
        field: 'targetKey',
      });
    if (seated.some((m) => m.personId === input.inspectorId))
      throw badInput(`${input.inspectorId} is on this team already.`, { field: 'inspectorId' });
    const current = await this.drawInput(
      task,
      content,
      input.department,
      await currentTeamInput(this.deps, this.store, task.id, content, input.department),
    );
    const person = current.inspectors.find((p) => p.id === input.inspectorId);
    const visit = current.visits.find((v) => v.key === input.targetKey);
    if (!visit) throw notFound(`${input.targetKey} is not a target of task ${task.id}.`, { field: 'targetKey' });
    if (!person || !eligibility(current).inspector(person, visit)) {
      throw badInput(
        `${input.inspectorId} is not an eligible ${input.department} inspector for ${input.targetKey}: ` +
          `qualified for the plan's items, with jurisdiction or an entrustment (R21), without a conflict of ` +
          `interest (R19).`,
        {
          field: 'inspectorId',
          rule: 'R21',
        },
      );
    }
    const now = this.deps.clock();
    const leads = input.department === content.leadDepartment && !team.some((m) => m.leader);
    return this.store.transaction(async (tx) => {
      const row = member(task.id, input.targetKey, input.department, 'INSPECTOR', person, leads, now);
      Object.assign(row, { origin: 'ASSIGNED', replacementNote: note, approvedBy: identity.subject });
      await tx.teams.insertMember(row);
      await tx.audit.append(
        identity,
        {
          action: 'team.assigned',
          entityId: task.id,
          details: { targetKey: input.targetKey, department: input.department, inspectorId: input.inspectorId, note },
        },
        now,
      );
      return row;
    });
  }

  /** Team members of some visits of a task, every status, in order. */
  async members(taskId: string, keys: readonly string[]): Promise<TeamMemberRow[]> {
    return this.store.teams.members(taskId, keys);
  }

  /** The departments' inspector draws for a task (R18): who drew, when, the seed; not their input. */
  async draws(taskId: string): Promise<InspectorDrawRow[]> {
    return this.store.teams.drawsOf(taskId);
  }
}

/**
 * What keeps a visit's team from being complete (R18): departments not drawn yet, vacant seats, too few officers, no
 * leader.
 */
export function teamProblems(
  content: PlanContent,
  seatsPerDepartment: number,
  drawnDepartments: readonly string[],
  members: readonly TeamMemberRow[],
): string[] {
  const active = members.filter((m) => m.status === 'ACTIVE');
  const problems: string[] = [];
  for (const d of content.departments) {
    if (!drawnDepartments.includes(d)) {
      problems.push(`${d} has not drawn its inspectors yet`);
      continue;
    }
    const seated = active.filter((m) => m.department === d && m.kind === 'INSPECTOR').length;
    if (seated < seatsPerDepartment)
      problems.push(
        `${seatsPerDepartment - seated} ${d} seat(s) vacant: the deputy head assigns an eligible inspector (R20, R21)`,
      );
  }
  if (problems.length) return problems;
  // Officers are counted by their enforcement certificates; a member without one is no officer.
  const certificates = new Set(
    active.filter((m) => m.kind === 'INSPECTOR' && m.certificateNo).map((m) => m.certificateNo),
  );
  if (certificates.size < MIN_TEAM_INSPECTORS)
    problems.push(`fewer than ${MIN_TEAM_INSPECTORS} enforcement officers with distinct certificates (R18)`);
  const leaders = active.filter((m) => m.leader);
  if (leaders.length !== 1 || leaders[0]!.department !== content.leadDepartment)
    problems.push(`the team needs one leader from the lead department ${content.leadDepartment} (R18)`);
  return problems;
}

function member(
  taskId: string,
  targetKey: string,
  department: string,
  kind: 'INSPECTOR' | 'EXPERT',
  person: RosterPerson,
  leader: boolean,
  now: Date,
): TeamMemberRow {
  return Object.assign(new TeamMemberRow(), {
    taskId,
    targetKey,
    department,
    kind,
    personId: person.id,
    name: person.name,
    certificateNo: person.certificateNo,
    leader,
    origin: 'DRAWN',
    status: 'ACTIVE',
    replacesId: null,
    replacementReason: null,
    replacementNote: null,
    approvedBy: null,
    createdAt: now,
  });
}
