import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `marketSearchPage` filtered by industry alone: an index that reads one industry (a code or its
 * prefix, as a range) in USCC order. A region filter uses `idx_market_entity_region`, a name alone
 * walks the primary key in USCC order (the page's order) and stops at a full page.
 */
export class MarketSearchIndex1764300001000 implements MigrationInterface {
  name = 'MarketSearchIndex1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'market_entity',
      new TableIndex({ name: 'idx_market_entity_industry', columnNames: ['industry_code', 'uscc'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('market_entity', 'idx_market_entity_industry');
  }
}
