import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One visit's results, as the team submitted them in one mutation (R22). Stored with its outbox entries in one
 * transaction.
 */
@Entity('submission')
@Index('idx_submission_visit', ['taskId', 'targetKey'], { unique: true })
@Index('idx_submission_client_key', ['clientKey'], { unique: true })
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

  /**
   * The phone's idempotency key (R24, issue J): sent again with it, the submission is answered, not stored twice. Null
   * for submissions made before keys.
   */
  @Column({ name: 'client_key', type: 'varchar', length: 64, nullable: true })
  clientKey!: string | null;

  /**
   * SHA-256 of the canonical content (submission-content.ts): what the joint record form's signatures were made over.
   * Null before issue J.
   */
  @Column({ name: 'content_digest', type: 'varchar', length: 64, nullable: true })
  contentDigest!: string | null;
}

/** Where an outbox entry stands (R24): PENDING (retried with backoff), DELIVERED, or REFUSED by its department. */
export const OutboxStatus = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', REFUSED: 'REFUSED' } as const;

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

  /** Issue L: the trace of the submission that made it (W3C traceparent), continued by its delivery; null: none. */
  @Column({ name: 'trace_parent', type: 'varchar', length: 55, nullable: true })
  traceParent!: string | null;
}

/** The largest part of a piece of evidence stored in one row. */
export const EVIDENCE_CHUNK_BYTES = 1024 * 1024;

/** A problem found on a visit that is another department's to handle: a lead recorded for it (R27). */
@Entity('lead')
@Index('idx_lead_to', ['toDepartment'])
export class LeadRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc!: string | null;

  @Column({ name: 'from_department', type: 'varchar', length: 20 })
  fromDepartment!: string;

  @Column({ name: 'to_department', type: 'varchar', length: 20 })
  toDepartment!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;
}

/**
 * An inspection code (检查码, R32): issued for a registered visit only; the business uses it to
 * check that the visit is genuine, and to rate it or complain. Unguessable (80 random bits) and
 * printable: Crockford base-32 (no I, L, O, U), in groups, QR-friendly.
 */
@Entity('inspection_code')
@Index('idx_inspection_code_visit', ['taskId', 'targetKey'], { unique: true })
export class InspectionCodeRow {
  @PrimaryColumn({ type: 'varchar', length: 24 })
  code!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt!: Date;

  @Column({ name: 'issued_by', type: 'varchar', length: 64 })
  issuedBy!: string;
}

/** A business's rating of, or complaint about, a visit, left against its code. */
@Entity('visit_feedback')
@Index('idx_visit_feedback_code', ['code'])
export class VisitFeedbackRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 24 })
  code!: string;

  /** RATING or COMPLAINT. */
  @Column({ type: 'varchar', length: 10 })
  kind!: string;

  /** 1 to 5 for a rating. */
  @Column({ type: 'int', nullable: true })
  rating!: number | null;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'left_at', type: 'datetime', precision: 3 })
  leftAt!: Date;
}
