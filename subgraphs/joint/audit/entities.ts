import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

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
