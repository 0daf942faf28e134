import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { datetime, table, text, varchar } from '../../../kernel/table-helpers';

export class Leads1763960000000 implements MigrationInterface {
  name = 'Leads1763960000000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'lead',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('task_id', 36),
          varchar('target_key', 64),
          varchar('uscc', 18, { isNullable: true }),
          varchar('from_department', 20),
          varchar('to_department', 20),
          text('note'),
          datetime('created_at'),
          varchar('created_by', 64),
        ],
        [{ name: 'idx_lead_to', columns: ['to_department'] }],
      ),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('lead');
  }
}
