import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One visit's results, as the team submitted them in one mutation (R22). Stored with its outbox entries in one transaction. */
@Entity('submission')
@Index('idx_submission_visit', ['taskId', 'targetKey'], { unique: true })
export class SubmissionRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ name: 'inspected_on', type: 'varchar', length: 10 })
  inspectedOn!: string;

  @Column({ type: 'simple-json' })
  results!: unknown;

  @Column({ name: 'submitted_at', type: 'datetime', precision: 3 })
  submittedAt!: Date;

  @Column({ name: 'submitted_by', type: 'varchar', length: 64 })
  submittedBy!: string;
}

/**
 * One department's share of a submission, to be delivered to its subgraph (R24). PENDING until the
 * department answers; DELIVERED with its receipts; REFUSED when the department refuses the content
 * (a person must look). A lease keeps two deliverers from sending the same entry at once.
 */
@Entity('outbox')
@Index('idx_outbox_due', ['status', 'nextAttemptAt'])
export class OutboxRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'submission_id', type: 'varchar', length: 36 })
  submissionId!: string;

  @Column({ type: 'varchar', length: 20 })
  department!: string;

  /** The department's ResultInput list, idempotency keys included. */
  @Column({ type: 'simple-json' })
  payload!: unknown;

  @Column({ type: 'varchar', length: 10 })
  status!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3 })
  nextAttemptAt!: Date;

  @Column({ name: 'lease_until', type: 'datetime', precision: 3, nullable: true })
  leaseUntil!: Date | null;

  /** Who holds the lease: a fresh id per claim, so a deliverer reads back the entries it claimed at once. */
  @Column({ name: 'lease_id', type: 'varchar', length: 36, nullable: true })
  leaseId!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt!: Date | null;

  @Column({ type: 'simple-json', nullable: true })
  receipts!: unknown;
}
