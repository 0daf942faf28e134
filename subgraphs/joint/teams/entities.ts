import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What a department's team draw will use, read at the task's snapshot (R9): its inspector and
 * expert rosters, declared conflicts and entrustments. Frozen before the target seed can be known,
 * so nobody can shape them to steer the team draw.
 */
@Entity('team_roster')
export class TeamRosterRow {
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  department!: string;

  @Column({ type: 'simple-json' })
  frozen!: unknown;

  @Column({ name: 'frozen_hash', type: 'varchar', length: 64 })
  frozenHash!: string;
}

/** One department's inspector draw for a task (R18): once per department, with the roster it drew from (R9). */
@Entity('inspector_draw')
export class InspectorDrawRow {
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  department!: string;

  @Column({ type: 'varchar', length: 64 })
  seed!: string;

  /** The full input of the draw (roster, conflicts, entrustments, domains), to re-play it. */
  @Column({ type: 'simple-json' })
  input!: unknown;

  @Column({ name: 'input_hash', type: 'varchar', length: 64 })
  inputHash!: string;

  /** What the lottery gave, visit by visit (vacant seats included). */
  @Column({ type: 'simple-json' })
  assignments!: unknown;

  @Column({ name: 'drawn_at', type: 'datetime', precision: 3 })
  drawnAt!: Date;

  @Column({ name: 'drawn_by', type: 'varchar', length: 64 })
  drawnBy!: string;
}

/** A member of a visit's team: an inspector or an expert, drawn or a replacement (R18, R20). */
@Entity('team_member')
@Index('idx_team_member_task', ['taskId', 'targetKey'])
export class TeamMemberRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'varchar', length: 20 })
  department!: string;

  /** INSPECTOR or EXPERT. */
  @Column({ type: 'varchar', length: 10 })
  kind!: string;

  @Column({ name: 'person_id', type: 'varchar', length: 32 })
  personId!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'certificate_no', type: 'varchar', length: 40, nullable: true })
  certificateNo!: string | null;

  @Column({ type: 'boolean' })
  leader!: boolean;

  /** DRAWN (by the lottery) or REPLACEMENT (chosen without a lottery, R20). */
  @Column({ type: 'varchar', length: 12 })
  origin!: string;

  /** ACTIVE, or REPLACED (kept on record, R20). */
  @Column({ type: 'varchar', length: 10 })
  status!: string;

  @Column({ name: 'replaces_id', type: 'int', nullable: true })
  replacesId!: number | null;

  @Column({ name: 'replacement_reason', type: 'varchar', length: 20, nullable: true })
  replacementReason!: string | null;

  @Column({ name: 'replacement_note', type: 'text', nullable: true })
  replacementNote!: string | null;

  @Column({ name: 'approved_by', type: 'varchar', length: 64, nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

/** A declared conflict of interest between an inspector or expert and a target (R19). */
@Entity('conflict_declaration')
export class ConflictRow {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  department!: string;

  @PrimaryColumn({ name: 'person_id', type: 'varchar', length: 32 })
  personId!: string;

  @PrimaryColumn({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'declared_by', type: 'varchar', length: 64 })
  declaredBy!: string;

  @Column({ name: 'declared_at', type: 'datetime', precision: 3 })
  declaredAt!: Date;
}

/** An entrustment (委托): a higher-level department lets an inspector act in regions outside their jurisdiction (R21). */
@Entity('entrustment')
export class EntrustmentRow {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ type: 'varchar', length: 20 })
  department!: string;

  @Column({ name: 'inspector_id', type: 'varchar', length: 32 })
  inspectorId!: string;

  @Column({ type: 'simple-json' })
  regions!: string[];

  /** The higher-level department unit that entrusts (委托机关). */
  @Column({ name: 'entrusted_by_unit', type: 'varchar', length: 100 })
  entrustedByUnit!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 64 })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt!: Date;
}
