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

/**
 * Evidence of a visit (issue J): photos and documents taken on site, the signatures drawn on the
 * phone, and the papers the hub makes (the joint record form, the notice). Stored once by content:
 * the key is the SHA-256 of the bytes, so the same photo sent twice (a phone retrying after the
 * network dropped) is stored once, and a result refers to it as `sha256:<hex>`. Never public: only
 * the visit's team and the staff of the departments taking part in its task read it (R30).
 */
@Entity('evidence')
export class EvidenceRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  /** The type found in the bytes themselves (sniffMediaType), never the one the sender claimed. */
  @Column({ name: 'media_type', type: 'varchar', length: 40 })
  mediaType!: string;

  @Column({ type: 'int' })
  size!: number;

  @Column({ name: 'stored_at', type: 'datetime', precision: 3 })
  storedAt!: Date;
}

/** Which visit a piece of evidence belongs to, of what kind, and who sent it (one row per visit it was sent for). */
@Entity('evidence_link')
@Index('idx_evidence_link_visit', ['taskId', 'targetKey'])
export class EvidenceLinkRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  @PrimaryColumn({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @PrimaryColumn({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  /** An EvidenceKind. */
  @Column({ type: 'varchar', length: 12 })
  kind!: string;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 64 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'datetime', precision: 3 })
  uploadedAt!: Date;
}

/**
 * The bytes of a piece of evidence, in parts of at most EVIDENCE_CHUNK_BYTES: TypeORM sends an
 * insert to MySQL as SQL text, where bytes are written in hexadecimal (twice their size), and one
 * statement must fit the server's max_allowed_packet (16 MB by default on MariaDB); 1 MB parts
 * keep each statement near 2 MB whatever the file's size.
 */
@Entity('evidence_chunk')
export class EvidenceChunkRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'blob' })
  data!: Buffer;
}

/** The largest part of a piece of evidence stored in one row. */
export const EVIDENCE_CHUNK_BYTES = 1024 * 1024;
