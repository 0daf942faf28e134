import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

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
