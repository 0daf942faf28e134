import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A joint record form (《部门联合抽查情况记录表（汇总表）》, Zibo rules art. 17) the hub made for a
 * visit from its submission and the signatures drawn on site (issue J). The PDF itself is kept in
 * the evidence store (kind FORM) under `pdfSha256`, which the audit trail holds too (R29). A visit
 * may have several versions: each later one supersedes the one before.
 */
@Entity('record_form')
@Index('idx_record_form_version', ['taskId', 'targetKey', 'version'], { unique: true })
@Index('idx_record_form_request', ['taskId', 'targetKey', 'requestDigest'], { unique: true })
export class RecordFormRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'submission_id', type: 'varchar', length: 36 })
  submissionId!: string;

  /** The submission's content digest the signatures were made over. */
  @Column({ name: 'content_digest', type: 'varchar', length: 64 })
  contentDigest!: string;

  /**
   * SHA-256 of the request (what was signed, by whom, with which images): the same request sent again answers this
   * form.
   */
  @Column({ name: 'request_digest', type: 'varchar', length: 64 })
  requestDigest!: string;

  @Column({ name: 'pdf_sha256', type: 'varchar', length: 64 })
  pdfSha256!: string;

  /** SIGNED or REFUSED. */
  @Column({ type: 'varchar', length: 10 })
  acknowledgement!: string;

  @Column({ name: 'business_signer', type: 'varchar', length: 50, nullable: true })
  businessSigner!: string | null;

  @Column({ name: 'refusal_note', type: 'text', nullable: true })
  refusalNote!: string | null;

  /** The signature images by hash: the business's (or null) and each team member's. */
  @Column({ type: 'simple-json' })
  signatures!: { business: string | null; team: Array<{ personId: string; department: string; sha256: string }> };

  @Column({ name: 'made_at', type: 'datetime', precision: 3 })
  madeAt!: Date;

  @Column({ name: 'made_by', type: 'varchar', length: 64 })
  madeBy!: string;
}

/**
 * A notice of a joint inspection (部门联合检查通知书, Zibo rules art. 17) made by the lead's
 * coordinator for a visit of a task that may be announced (issue J). The PDF is kept in the
 * evidence store (kind NOTICE) under `pdfSha256`. A visit moved to another day gets a new notice.
 */
@Entity('visit_notice')
@Index('idx_visit_notice_request', ['taskId', 'targetKey', 'requestDigest'], { unique: true })
@Index('idx_visit_notice_no', ['noticeNo'], { unique: true })
export class NoticeRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The number printed on the notice (JN-<year>-<task>-<visit's position>-<n>). */
  @Column({ name: 'notice_no', type: 'varchar', length: 60 })
  noticeNo!: string;

  /** SHA-256 of the request (day, contact, requirements): the same request answers the same notice. */
  @Column({ name: 'request_digest', type: 'varchar', length: 64 })
  requestDigest!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 36 })
  taskId!: string;

  @Column({ name: 'target_key', type: 'varchar', length: 64 })
  targetKey!: string;

  @Column({ name: 'visit_on', type: 'varchar', length: 10 })
  visitOn!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  contact!: string | null;

  @Column({ type: 'text', nullable: true })
  requirements!: string | null;

  @Column({ name: 'pdf_sha256', type: 'varchar', length: 64 })
  pdfSha256!: string;

  @Column({ name: 'issued_at', type: 'datetime', precision: 3 })
  issuedAt!: Date;

  @Column({ name: 'issued_by', type: 'varchar', length: 64 })
  issuedBy!: string;
}
