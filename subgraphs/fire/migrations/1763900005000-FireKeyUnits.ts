import type { MigrationInterface, QueryRunner } from 'typeorm';
import { table, varchar } from '../../../kernel/table-helpers';

/** Fire-safety key units (消防安全重点单位). */
export class FireKeyUnits1763900005000 implements MigrationInterface {
  name = 'FireKeyUnits1763900005000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table('fire_key_unit', [
        varchar('uscc', 18, { isPrimary: true }),
        varchar('category', 40),
        varchar('designated_on', 10),
        varchar('safety_manager', 50),
      ]),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('fire_key_unit');
  }
}
