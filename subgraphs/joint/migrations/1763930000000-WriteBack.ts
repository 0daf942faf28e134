import type { MigrationInterface, QueryRunner } from 'typeorm';
import { datetime, int, longText, table, text, varchar } from '../../../kernel/table-helpers';

/** Submissions of visit results and the outbox that delivers each department's share (R24). */
export class WriteBack1763930000000 implements MigrationInterface {
  name = 'WriteBack1763930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'submission',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('task_id', 36),
          varchar('target_key', 64),
          varchar('inspected_on', 10),
          longText(q, 'results'),
          datetime('submitted_at'),
          varchar('submitted_by', 64),
        ],
        [{ name: 'idx_submission_visit', columns: ['task_id', 'target_key'], unique: true }],
      ),
    );
    await q.createTable(
      table(
        'outbox',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('submission_id', 36),
          varchar('department', 20),
          longText(q, 'payload'),
          varchar('status', 10),
          int('attempts'),
          datetime('next_attempt_at'),
          datetime('lease_until', { isNullable: true }),
          text('last_error', { isNullable: true }),
          datetime('delivered_at', { isNullable: true }),
          longText(q, 'receipts', { isNullable: true }),
        ],
        [{ name: 'idx_outbox_due', columns: ['status', 'next_attempt_at'] }],
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox');
    await q.dropTable('submission');
  }
}
