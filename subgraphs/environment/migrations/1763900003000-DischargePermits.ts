import type { MigrationInterface, QueryRunner } from 'typeorm';
import { table, text, varchar } from '../../../kernel/table-helpers';

/** Pollutant-discharge permits (排污许可证). */
export class DischargePermits1763900003000 implements MigrationInterface {
  name = 'DischargePermits1763900003000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'discharge_permit',
        [
          varchar('permit_no', 30, { isPrimary: true }),
          varchar('uscc', 18),
          varchar('management_class', 12),
          text('pollutants'),
          varchar('valid_until', 10),
        ],
        [{ name: 'idx_discharge_permit_uscc', columns: ['uscc'] }],
      ),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('discharge_permit');
  }
}
