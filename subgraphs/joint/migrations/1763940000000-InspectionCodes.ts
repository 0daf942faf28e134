import type { MigrationInterface, QueryRunner } from 'typeorm';
import { datetime, int, table, text, varchar } from '../../../kernel/table-helpers';

/** Inspection codes (R32) and the businesses' feedback left against them. */
export class InspectionCodes1763940000000 implements MigrationInterface {
  name = 'InspectionCodes1763940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'inspection_code',
        [
          varchar('code', 24, { isPrimary: true }),
          varchar('task_id', 36),
          varchar('target_key', 64),
          datetime('issued_at'),
          varchar('issued_by', 64),
        ],
        [{ name: 'idx_inspection_code_visit', columns: ['task_id', 'target_key'], unique: true }],
      ),
    );
    await q.createTable(
      table(
        'visit_feedback',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('code', 24),
          varchar('kind', 10),
          int('rating', { isNullable: true }),
          text('text'),
          datetime('left_at'),
        ],
        [{ name: 'idx_visit_feedback_code', columns: ['code'] }],
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('visit_feedback');
    await q.dropTable('inspection_code');
  }
}
