import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * The tables every department database has. They are the department's own (each department
 * has its own database); the GraphQL types are separate classes (STYLE.md habit 3), mapped in
 * `mapping.ts`.
 */

/** An entry of the department's target roster (R6). */
@Entity('roster_target')
@Index('idx_roster_target_uscc', ['uscc'])
@Index('idx_roster_target_scope', ['kind', 'regionCode', 'industryCode'])
export class RosterTargetRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc!: string | null;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ name: 'industry_code', type: 'varchar', length: 8 })
  industryCode!: string;

  @Column({ name: 'credit_level', type: 'varchar', length: 1 })
  creditLevel!: string;

  @Column({ name: 'risk_level', type: 'varchar', length: 10 })
  riskLevel!: string;

  @Column({ name: 'penalties_3y', type: 'int' })
  penaltiesLast3Years!: number;

  @Column({ name: 'verified_complaints', type: 'int' })
  verifiedComplaints!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** An inspector on the department's roster (R7). */
@Entity('inspector')
export class InspectorRow {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ name: 'certificate_no', type: 'varchar', length: 40, unique: true })
  certificateNo!: string;

  @Column({ type: 'varchar', length: 100 })
  unit!: string;

  @Column({ type: 'varchar', length: 50 })
  position!: string;

  @Column({ type: 'simple-json' })
  domains!: string[];

  @Column({ type: 'simple-json' })
  permissions!: string[];

  @Column({ type: 'simple-json' })
  jurisdiction!: string[];

  @Column({ type: 'boolean' })
  qualified!: boolean;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;
}

/** An expert on the department's expert roster (R8). */
@Entity('expert')
export class ExpertRow {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  organisation!: string;

  @Column({ type: 'varchar', length: 50 })
  title!: string;

  @Column({ type: 'simple-json' })
  expertise!: string[];

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone!: string | null;
}

/** One version of a checklist item (R1, R2, R5). Rows are only ever added or closed, never edited in content. */
@Entity('checklist_item')
export class ChecklistItemRow {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  // Lengths: CHECKLIST_TEXT_CAPS (migration ChecklistLongTexts widened them to what provinces publish).
  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'text' })
  basis!: string;

  @Column({ name: 'inspecting_body', type: 'varchar', length: 500 })
  inspectingBody!: string;

  @Column({ name: 'target_kinds', type: 'simple-json' })
  targetKinds!: string[];

  @Column({ type: 'varchar', length: 20 })
  method!: string;

  @Column({ type: 'varchar', length: 10 })
  category!: string;

  /** Ratio cap in basis points (500 = 5%): integers behave the same on SQLite and MySQL (STACK.md). */
  @Column({ name: 'ratio_cap_bp', type: 'int', nullable: true })
  ratioCapBasisPoints!: number | null;

  @Column({ type: 'text' })
  frequency!: string;

  @Column({ type: 'varchar', length: 100 })
  domain!: string;

  @Column({ type: 'simple-json' })
  industries!: string[];

  @Column({ type: 'varchar', length: 12 })
  status!: string;

  @Column({ name: 'valid_from', type: 'datetime', precision: 3 })
  validFrom!: Date;

  @Column({ name: 'valid_until', type: 'datetime', precision: 3, nullable: true })
  validUntil!: Date | null;

  /** Why this version was made (the change of law); null for a first version. */
  @Column({ name: 'change_reason', type: 'text', nullable: true })
  changeReason!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  /** Why this version was closed: superseded by the next version, or repealed (R5). */
  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: string | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 64, nullable: true })
  closedBy!: string | null;
}

export const DEPARTMENT_ENTITIES = [RosterTargetRow, InspectorRow, ExpertRow, ChecklistItemRow];
