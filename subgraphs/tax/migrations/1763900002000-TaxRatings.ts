import type { MigrationInterface, QueryRunner } from 'typeorm';
import { int, table, varchar } from '../../../kernel/table-helpers';

/** Tax credit ratings (A, B, M, C, D) per taxpayer. */
export class TaxRatings1763900002000 implements MigrationInterface {
  name = 'TaxRatings1763900002000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table('tax_rating', [varchar('uscc', 18, { isPrimary: true }), varchar('rating', 1), int('rating_year')]),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('tax_rating');
  }
}
