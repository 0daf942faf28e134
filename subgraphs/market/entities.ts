import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A market entity on the register (登记): owned by market supervision, shared with the hub as `MarketEntity`. */
@Entity('market_entity')
@Index('idx_market_entity_region', ['regionCode', 'industryCode'])
@Index('idx_market_entity_abnormal', ['abnormal', 'uscc'])
@Index('idx_market_entity_industry', ['industryCode', 'uscc'])
export class MarketEntityRow {
  @PrimaryColumn({ type: 'varchar', length: 18 })
  uscc!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'legal_representative', type: 'varchar', length: 50 })
  legalRepresentative!: string;

  @Column({ type: 'varchar', length: 300 })
  address!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ name: 'industry_code', type: 'varchar', length: 8 })
  industryCode!: string;

  /** ISO date (YYYY-MM-DD): a plain string behaves the same on SQLite and MySQL. */
  @Column({ name: 'registered_on', type: 'varchar', length: 10 })
  registeredOn!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: string;

  @Column({ type: 'boolean' })
  abnormal!: boolean;
}
