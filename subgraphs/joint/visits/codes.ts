import { randomBytes } from 'node:crypto';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

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

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh code: `JC-` and 16 Crockford base-32 characters in groups of four (80 random bits). */
export function newInspectionCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `JC-${out.match(/.{4}/g)!.join('-')}`;
}

/** The code as a person may type it: upper case, O→0, I/L→1, spaces and dashes ignored. */
export function normaliseInspectionCode(value: string): string {
  const plain = value.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/^JC/, '');
  return plain.length === 16 ? `JC-${plain.match(/.{4}/g)!.join('-')}` : value;
}
