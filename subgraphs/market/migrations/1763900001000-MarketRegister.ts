import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bool, table, varchar } from '../../../kernel/table-helpers';

/** The market register: every market entity with its registration data and abnormal-operation flag. */
export class MarketRegister1763900001000 implements MigrationInterface {
  name = 'MarketRegister1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'market_entity',
        [
          varchar('uscc', 18, { isPrimary: true }),
          varchar('name', 200),
          varchar('kind', 32),
          varchar('legal_representative', 50),
          varchar('address', 300),
          varchar('region_code', 6),
          varchar('industry_code', 8),
          varchar('registered_on', 10),
          varchar('status', 12),
          bool('abnormal'),
        ],
        [
          { name: 'idx_market_entity_region', columns: ['region_code', 'industry_code'] },
          // The abnormal-operation list is read in USCC order for every draw (R13).
          { name: 'idx_market_entity_abnormal', columns: ['abnormal', 'uscc'] },
        ],
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('market_entity');
  }
}
