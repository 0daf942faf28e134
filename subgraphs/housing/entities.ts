import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A construction enterprise qualification (建筑业企业资质). */
@Entity('housing_qualification')
@Index('idx_housing_qualification_uscc', ['uscc'])
export class QualificationRow {
  @PrimaryColumn({ name: 'certificate_no', type: 'varchar', length: 30 })
  certificateNo!: string;

  @Column({ type: 'varchar', length: 18 })
  uscc!: string;

  @Column({ type: 'varchar', length: 60 })
  category!: string;

  @Column({ type: 'varchar', length: 10 })
  grade!: string;

  @Column({ name: 'valid_until', type: 'varchar', length: 10 })
  validUntil!: string;
}

/** A construction project (工程项目): a target of its own on the housing roster, keyed by its id. */
@Entity('housing_project')
@Index('idx_housing_project_contractor', ['contractorUscc'])
export class ProjectRow {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 300 })
  address!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode!: string;

  @Column({ name: 'contractor_uscc', type: 'varchar', length: 18 })
  contractorUscc!: string;

  @Column({ name: 'permit_no', type: 'varchar', length: 30 })
  permitNo!: string;

  @Column({ name: 'started_on', type: 'varchar', length: 10 })
  startedOn!: string;

  /** UNDER_CONSTRUCTION or COMPLETED. */
  @Column({ type: 'varchar', length: 20 })
  stage!: string;
}
