import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A department's own record of one item checked on one visit (R24: who inspects records; the
 * result is filed under the target). Written back by the joint service, keyed by an idempotency
 * key so a retried delivery never makes a second record. A published record never changes: a
 * correction is a new record pointing at it (R28).
 */
@Entity('inspection_result')
@Index('idx_result_target', ['targetKey'])
@Index('idx_result_uscc', ['uscc'])
@Index('idx_result_task', ['taskId'])
export class ResultRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 100, unique: true })
  idempotencyKey!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc!: string | null;

  @Column({ name: 'item_code', type: 'varchar', length: 32 })
  itemCode!: string;

  @Column({ name: 'item_version', type: 'int' })
  itemVersion!: number;

  @Column({ type: 'varchar', length: 40 })
  outcome!: string;

  @Column({ name: 'outcome_version', type: 'int' })
  outcomeVersion!: number;

  @Column({ type: 'varchar', length: 20 })
  method!: string;

  /** Public notes. */
  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  /** Never in the public view (R25, R30). */
  @Column({ name: 'confidential_notes', type: 'text', nullable: true })
  confidentialNotes!: string | null;

  @Column({ type: 'simple-json' })
  evidence!: string[];

  /** Certificate numbers of the inspectors who checked. */
  @Column({ type: 'simple-json' })
  inspectors!: string[];

  /** The day the check ended: the result is formed (R25 counts 20 working days from it). */
  @Column({ name: 'inspected_on', type: 'varchar', length: 10 })
  inspectedOn!: string;

  /**
   * A dishonesty (失信) record once published (R27): serious refusal to cooperate (the outcome says
   * so), a penalty under the general procedure, or a failed statutory check.
   */
  @Column({ type: 'boolean' })
  dishonesty!: boolean;

  /** RECORDED, APPROVED or PUBLISHED. */
  @Column({ type: 'varchar', length: 10 })
  status!: string;

  @Column({ name: 'recorded_at', type: 'datetime', precision: 3 })
  recordedAt!: Date;

  @Column({ name: 'recorded_by', type: 'varchar', length: 64 })
  recordedBy!: string;

  @Column({ name: 'approved_at', type: 'datetime', precision: 3, nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'approved_by', type: 'varchar', length: 64, nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'published_at', type: 'datetime', precision: 3, nullable: true })
  publishedAt!: Date | null;

  /** The record this one corrects (R28), signed off by the principal head. */
  @Column({ name: 'corrects_id', type: 'varchar', length: 36, nullable: true })
  correctsId!: string | null;

  @Column({ name: 'correction_reason', type: 'text', nullable: true })
  correctionReason!: string | null;
}

/** An outcome of the department's versioned dictionary (seeded with the national categories). */
@Entity('result_outcome')
export class OutcomeRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  /** Becomes a dishonesty (失信) record on the target (R27). */
  @Column({ type: 'boolean' })
  dishonesty!: boolean;

  /** CURRENT or SUPERSEDED. */
  @Column({ type: 'varchar', length: 12 })
  status!: string;
}

export const RESULT_ENTITIES = [ResultRow, OutcomeRow];
