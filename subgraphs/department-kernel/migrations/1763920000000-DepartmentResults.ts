import type { MigrationInterface, QueryRunner } from 'typeorm';
import { NATIONAL_OUTCOMES } from '../results/outcomes';
import { bool, datetime, int, table, text, varchar } from '../../../kernel/table-helpers';

/** Results written back to a department (R24) and its outcome dictionary, seeded with the national categories. */
export class DepartmentResults1763920000000 implements MigrationInterface {
  name = 'DepartmentResults1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'inspection_result',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('idempotency_key', 100, { isUnique: true }),
          varchar('task_id', 36),
          varchar('target_key', 64),
          varchar('uscc', 18, { isNullable: true }),
          varchar('item_code', 32),
          int('item_version'),
          varchar('outcome', 40),
          int('outcome_version'),
          varchar('method', 20),
          text('notes', { isNullable: true }),
          text('confidential_notes', { isNullable: true }),
          text('evidence'),
          text('inspectors'),
          varchar('inspected_on', 10),
          varchar('status', 10),
          datetime('recorded_at'),
          varchar('recorded_by', 64),
          datetime('approved_at', { isNullable: true }),
          varchar('approved_by', 64, { isNullable: true }),
          datetime('published_at', { isNullable: true }),
          varchar('corrects_id', 36, { isNullable: true }),
          text('correction_reason', { isNullable: true }),
        ],
        [
          { name: 'idx_result_target', columns: ['target_key'] },
          { name: 'idx_result_uscc', columns: ['uscc'] },
          { name: 'idx_result_task', columns: ['task_id'] },
        ],
      ),
    );
    await q.createTable(
      table('result_outcome', [
        varchar('code', 40, { isPrimary: true }),
        int('version', { isPrimary: true }),
        varchar('label', 100),
        bool('dishonesty'),
        varchar('status', 12),
      ]),
    );
    for (const o of NATIONAL_OUTCOMES) {
      await q.query('INSERT INTO result_outcome (code, version, label, dishonesty, status) VALUES (?, 1, ?, ?, ?)', [
        o.code,
        o.label,
        o.dishonesty ? 1 : 0,
        'CURRENT',
      ]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('result_outcome');
    await q.dropTable('inspection_result');
  }
}
