import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { InspectionCodeRow, VisitFeedbackRow } from './visits/codes';
import { LeadRow } from './visits/leads';
import { EvidenceChunkRow, EvidenceLinkRow, EvidenceRow, OutboxRow, SubmissionRow } from './visits/entities';
import { NoticeRow, RecordFormRow } from './papers/entities';

/*
 * The joint service's own tables: plans and their revisions, tasks with their draws, teams,
 * and the audit trail. Nothing here copies a department's roster except the snapshots a draw
 * must keep (R9).
 */

/** An annual plan (R10); its content lives in its revisions. */
@Entity('plan')
@Index('idx_plan_year', ['year', 'leadDepartment'])
export class PlanRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'int' })
  year!: number;

  @Column({ name: 'lead_department', type: 'varchar', length: 20 })
  leadDepartment!: string;

  /** The latest revision. */
  @Column({ name: 'current_revision', type: 'int' })
  currentRevision!: number;

  /** The latest published revision, or null while only drafts exist (R11). */
  @Column({ name: 'published_revision', type: 'int', nullable: true })
  publishedRevision!: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  /**
   * Made in a training hub (培训/演练环境, JOINTCHECK_MODE=training): not a real plan, and marked so wherever it is shown.
   */
  @Column({ type: 'boolean', default: false })
  training!: boolean;
}

/** One revision of a plan: every change is a new revision with its time and author (R11). */
@Entity('plan_revision')
export class PlanRevisionRow {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 })
  planId!: string;

  @PrimaryColumn({ type: 'int' })
  revision!: number;

  /** The plan content (PlanContent) as JSON. */
  @Column({ type: 'simple-json' })
  content!: unknown;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'changed_at', type: 'datetime', precision: 3 })
  changedAt!: Date;

  @Column({ name: 'changed_by', type: 'varchar', length: 64 })
  changedBy!: string;

  /**
   * The last day to publish this revision as counted when it was made: 5 working days after (R11).
   * Reads count it again (PlanService.publishDeadline): one counted provisionally, before the
   * year's holiday notice was loaded, becomes final then.
   */
  @Column({ name: 'publish_by', type: 'varchar', length: 10 })
  publishBy!: string;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'published_by', type: 'varchar', length: 64, nullable: true })
  publishedBy!: string | null;
}

/** A task: one execution of a plan, with its commitment, snapshot, draw and lock (R9, R16, R17). */
@Entity('task')
@Index('idx_task_plan', ['planId'])
export class TaskRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'plan_id', type: 'varchar', length: 36 })
  planId!: string;

  @Column({ name: 'plan_revision', type: 'int' })
  planRevision!: number;

  @Column({ type: 'int' })
  year!: number;

  @Column({ name: 'lead_department', type: 'varchar', length: 20 })
  leadDepartment!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** COMMITTED → SNAPSHOT_TAKEN → DRAWN → LOCKED, or CANCELLED from any of them. */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  /**
   * Made in a training hub (培训/演练环境, JOINTCHECK_MODE=training): not a real task nor a real draw, and marked so
   * wherever it is shown.
   */
  @Column({ type: 'boolean', default: false })
  training!: boolean;

  /**
   * Its visits are not to be announced (Zibo rules art. 17: 检查活动或检查事项不宜告知通知的，不得向企业透露情况，
   * 不发放部门联合检查通知书): no notice is made for them (issue J). Set when the task is created.
   */
  @Column({ type: 'boolean', default: false })
  unannounced!: boolean;

  /** SHA-256 of the secret, public from creation. */
  @Column({ type: 'varchar', length: 64 })
  commitment!: string;

  /** The secret; shown to nobody until the lock. */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  @Column({ name: 'witness_source', type: 'varchar', length: 300 })
  witnessSource!: string;

  /** The China date from which the witness value exists (YYYY-MM-DD). */
  @Column({ name: 'witness_available_on', type: 'varchar', length: 10 })
  witnessAvailableOn!: string;

  /** How many numbers the witness has (a 双色球 result: 7): fixed at commitment, so none can be added or left out. */
  @Column({ name: 'witness_numbers', type: 'int' })
  witnessNumbers!: number;

  @Column({ name: 'witness_value', type: 'varchar', length: 300, nullable: true })
  witnessValue!: string | null;

  @Column({ name: 'snapshot_hash', type: 'varchar', length: 64, nullable: true })
  snapshotHash!: string | null;

  @Column({ name: 'snapshot_size', type: 'int', nullable: true })
  snapshotSize!: number | null;

  @Column({ name: 'snapshot_taken_at', type: 'datetime', precision: 3, nullable: true })
  snapshotTakenAt!: Date | null;

  /** Exclusions at the snapshot (R14): counts and the recorded reason to go over the limit. */
  @Column({ type: 'simple-json', nullable: true })
  exclusions!: { inspectedTwiceThisYear: number; recentlyInspected: number; overLimitReason: string | null } | null;

  /** The draw's outcome: seed and counts per stratum (the list and its batches are in drawn_target). */
  @Column({ name: 'draw_result', type: 'simple-json', nullable: true })
  drawResult!: {
    seed: string;
    strata: Array<{ stratum: string; eligible: number; ratioBasisPoints: number; drawn: number }>;
    batchSize: number;
  } | null;

  @Column({ name: 'drawn_at', type: 'datetime', precision: 3, nullable: true })
  drawnAt!: Date | null;

  @Column({ name: 'drawn_by', type: 'varchar', length: 64, nullable: true })
  drawnBy!: string | null;

  @Column({ name: 'locked_at', type: 'datetime', precision: 3, nullable: true })
  lockedAt!: Date | null;

  @Column({ name: 'locked_by', type: 'varchar', length: 64, nullable: true })
  lockedBy!: string | null;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;
}

/** The stored snapshot of a task (R9): its canonical text, deflated, in chunks. */
@Entity('snapshot_chunk')
export class SnapshotChunkRow {
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'blob' })
  data!: Buffer;
}

/** A drawn target of a task, with its batch (R15); counted for the twice-a-year limit once locked (R14). */
@Entity('drawn_target')
@Index('idx_drawn_target_year', ['year', 'targetKey'])
export class DrawnTargetRow {
  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc!: string | null;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode!: string;

  /** Kind and industry of the target: which checklist items apply on its visit (R22). */
  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'industry_code', type: 'varchar', length: 8 })
  industryCode!: string;

  @Column({ type: 'int' })
  year!: number;

  /** Batch number from 1, and position in the drawn inspection order from 1. */
  @Column({ type: 'int' })
  batch!: number;

  @Column({ type: 'int' })
  position!: number;
}

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

/** The audit trail (R29): append-only, each entry chained to the one before by hash. */
@Entity('audit_event')
@Index('idx_audit_entity', ['entityId'])
export class AuditEventRow {
  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  department!: string | null;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId!: string;

  @Column({ type: 'simple-json' })
  details!: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

/** The head of the audit chain: one row, locked by each append so appends from any process line up. */
@Entity('audit_head')
export class AuditHeadRow {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'int' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

export const JOINT_ENTITIES = [
  LeadRow,
  InspectionCodeRow,
  VisitFeedbackRow,
  SubmissionRow,
  OutboxRow,
  EvidenceRow,
  EvidenceChunkRow,
  EvidenceLinkRow,
  RecordFormRow,
  NoticeRow,
  AuditHeadRow,
  TeamRosterRow,
  PlanRow,
  PlanRevisionRow,
  TaskRow,
  SnapshotChunkRow,
  DrawnTargetRow,
  InspectorDrawRow,
  TeamMemberRow,
  ConflictRow,
  EntrustmentRow,
  AuditEventRow,
];
