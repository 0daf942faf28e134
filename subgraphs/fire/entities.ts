import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Fire-safety key-unit designation (消防安全重点单位), the fire department's own. */
@Entity('fire_key_unit')
export class FireKeyUnitRow {
  @PrimaryColumn({ type: 'varchar', length: 18 })
  uscc!: string;

  @Column({ type: 'varchar', length: 40 })
  category!: string;

  @Column({ name: 'designated_on', type: 'varchar', length: 10 })
  designatedOn!: string;

  @Column({ name: 'safety_manager', type: 'varchar', length: 50 })
  safetyManager!: string;
}
