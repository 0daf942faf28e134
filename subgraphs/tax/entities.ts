import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The tax credit rating of a taxpayer (纳税信用等级), the tax department's own. */
@Entity('tax_rating')
export class TaxRatingRow {
  @PrimaryColumn({ type: 'varchar', length: 18 })
  uscc!: string;

  @Column({ type: 'varchar', length: 1 })
  rating!: string;

  @Column({ name: 'rating_year', type: 'int' })
  ratingYear!: number;
}
