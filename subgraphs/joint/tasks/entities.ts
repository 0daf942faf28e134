import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Task states; a task moves forward only, or is cancelled (its draw stays on record). */
export const TaskStatus = {
  COMMITTED: 'COMMITTED',
  SNAPSHOT_TAKEN: 'SNAPSHOT_TAKEN',
  DRAWN: 'DRAWN',
  LOCKED: 'LOCKED',
  CANCELLED: 'CANCELLED',
} as const;

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
