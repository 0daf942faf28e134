import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A pollutant-discharge permit (排污许可证), the environment department's own. */
@Entity('discharge_permit')
@Index('idx_discharge_permit_uscc', ['uscc'])
export class DischargePermitRow {
  @PrimaryColumn({ name: 'permit_no', type: 'varchar', length: 30 })
  permitNo!: string;

  @Column({ type: 'varchar', length: 18 })
  uscc!: string;

  /** KEY (重点管理), SIMPLIFIED (简化管理) or REGISTRATION (登记管理). */
  @Column({ name: 'management_class', type: 'varchar', length: 12 })
  managementClass!: string;

  @Column({ type: 'simple-json' })
  pollutants!: string[];

  @Column({ name: 'valid_until', type: 'varchar', length: 10 })
  validUntil!: string;
}
