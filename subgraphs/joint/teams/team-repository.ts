import { type EntityManager, In } from 'typeorm';
import { codecOfEntity, select } from '../../../kernel/prepared';
import { insertRows, updateRows } from '../../../kernel/rows';
import { ConflictRow, EntrustmentRow, InspectorDrawRow, TeamMemberRow, TeamRosterRow } from './entities';

/** Team members are inserted this many to a statement (a large task's draw seats thousands). */
const MEMBERS_PER_INSERT = 300;

/**
 * Teams: frozen rosters, inspector draws, members, conflicts and entrustments (R18-R21): the only
 * code that reads or writes their tables.
 */
export class TeamRepository {
  constructor(readonly manager: EntityManager) {}

  /** A department's team input frozen at the task's snapshot (R9); it must be there. */
  async roster(taskId: string, department: string): Promise<TeamRosterRow> {
    return this.manager.findOneByOrFail(TeamRosterRow, { taskId, department });
  }

  /** Whether a department has drawn its inspectors for a task (R18). */
  async hasDrawn(taskId: string, department: string): Promise<boolean> {
    return this.manager.existsBy(InspectorDrawRow, { taskId, department });
  }

  /** A department's inspector draw for a task, whole (its input and assignments), or null. */
  async draw(taskId: string, department: string): Promise<InspectorDrawRow | null> {
    return this.manager.findOneBy(InspectorDrawRow, { taskId, department });
  }

  /** The inspector draws of a task by department, without their input and assignments (who drew, when, the seed). */
  async drawsOf(taskId: string): Promise<InspectorDrawRow[]> {
    return this.manager.find(InspectorDrawRow, {
      select: { department: true, seed: true, inputHash: true, drawnAt: true, drawnBy: true },
      where: { taskId },
      order: { department: 'ASC' },
    });
  }

  /** The departments that have drawn their inspectors for a task, in one statement. */
  async drawnDepartments(taskId: string): Promise<string[]> {
    const draws = await this.manager.find(InspectorDrawRow, { select: { department: true }, where: { taskId } });
    return draws.map((d) => d.department);
  }

  /** Stores a department's draw (R18); a second one for the same task and department is a duplicate key. */
  async insertDraw(row: InspectorDrawRow): Promise<void> {
    await insertRows(this.manager, InspectorDrawRow, row);
  }

  /** Stores team members, a few hundred to a statement; their ids are set on the rows. */
  async insertMembers(rows: readonly TeamMemberRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += MEMBERS_PER_INSERT)
      await insertRows(this.manager, TeamMemberRow, rows.slice(i, i + MEMBERS_PER_INSERT));
  }

  /** The active members of one visit's team, every department and kind. */
  async activeTeam(taskId: string, targetKey: string): Promise<TeamMemberRow[]> {
    // A prepared statement: every submission reads its team (the write-back's hot path).
    const c = codecOfEntity(this.manager, TeamMemberRow);
    const rows = await select(
      this.manager,
      `SELECT ${c.columns} FROM team_member WHERE task_id = ? AND target_key = ? AND status = ?`,
      [taskId, targetKey, 'ACTIVE'],
    );
    return rows.map((r) => c.read(r));
  }

  /** The active inspectors of one visit's team (no experts), in the order they were seated. */
  async activeInspectors(taskId: string, targetKey: string): Promise<TeamMemberRow[]> {
    return this.manager.find(TeamMemberRow, {
      where: { taskId, targetKey, status: 'ACTIVE', kind: 'INSPECTOR' },
      order: { id: 'ASC' },
    });
  }

  /** Whether a person is an active member of a visit's team for a department. */
  async isActiveMember(taskId: string, targetKey: string, personId: string, department: string): Promise<boolean> {
    return this.manager.existsBy(TeamMemberRow, { taskId, targetKey, status: 'ACTIVE', personId, department });
  }

  /** The keys of the visits of a task whose team a person is actively on for a department. */
  async visitsOfMember(taskId: string, personId: string, department: string): Promise<string[]> {
    const rows = await this.manager.find(TeamMemberRow, {
      select: { targetKey: true },
      where: { taskId, personId, department, status: 'ACTIVE' },
    });
    return rows.map((m) => m.targetKey);
  }

  /** Team members of some visits of a task, every status, in order: one statement (none for no keys). */
  async members(taskId: string, keys: readonly string[]): Promise<TeamMemberRow[]> {
    if (keys.length === 0) return [];
    return this.manager.find(TeamMemberRow, { where: { taskId, targetKey: In([...keys]) }, order: { id: 'ASC' } });
  }

  /**
   * Marks an active member REPLACED (R20); false when they are no longer active (replaced by
   * someone else meanwhile).
   */
  async markReplaced(memberId: number): Promise<boolean> {
    const done = await updateRows(
      this.manager,
      TeamMemberRow,
      { id: memberId, status: 'ACTIVE' },
      { status: 'REPLACED' },
    );
    return done.affected === 1;
  }

  /** Stores one team member (a replacement or a filled seat); its id is set on the row. */
  async insertMember(row: TeamMemberRow): Promise<void> {
    await insertRows(this.manager, TeamMemberRow, row);
  }

  /** A department's declared conflicts of interest (R19), by person and target. */
  async conflictsOf(department: string): Promise<ConflictRow[]> {
    return this.manager.find(ConflictRow, { where: { department }, order: { personId: 'ASC', targetKey: 'ASC' } });
  }

  /** Stores a declared conflict (R19); the same person and target twice is a duplicate key. */
  async insertConflict(row: ConflictRow): Promise<void> {
    await insertRows(this.manager, ConflictRow, row);
  }

  /** A department's entrustments for a task (R21), in the order they were recorded. */
  async entrustmentsOf(taskId: string, department: string): Promise<EntrustmentRow[]> {
    return this.manager.find(EntrustmentRow, { where: { taskId, department }, order: { id: 'ASC' } });
  }

  /** Stores an entrustment (R21); its id is set on the row. */
  async insertEntrustment(row: EntrustmentRow): Promise<void> {
    await insertRows(this.manager, EntrustmentRow, row);
  }

  /** Stores the team inputs frozen at a task's snapshot (R9), one row per department */
  async insertFrozenRosters(rows: readonly TeamRosterRow[]): Promise<void> {
    for (const row of rows) await insertRows(this.manager, TeamRosterRow, row);
  }

  /** The hash of each department's team input frozen at a task's snapshot, for the public draw record. */
  async frozenRosterHashes(taskId: string): Promise<Array<Pick<TeamRosterRow, 'department' | 'frozenHash'>>> {
    return this.manager.find(TeamRosterRow, { select: { department: true, frozenHash: true }, where: { taskId } });
  }

  /**
   * The tasks on whose teams a person holds an active seat for a department, a task once per seat
   */
  async taskIdsWithActiveSeat(personId: string, department: string): Promise<string[]> {
    const seats = await this.manager.find(TeamMemberRow, {
      select: { taskId: true },
      where: { personId, department, status: 'ACTIVE' },
    });
    return seats.map((s) => s.taskId);
  }
}
