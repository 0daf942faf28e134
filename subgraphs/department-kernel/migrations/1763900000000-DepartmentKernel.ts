import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bool, clusterOnPrimaryKeyOnSqlite, datetime, int, table, text, varchar } from '../../../kernel/table-helpers';

/**
 * The tables of the department kernel: target roster (R6), inspectors (R7), experts (R8), versioned checklist (R1, R5).
 */
export class DepartmentKernel1763900000000 implements MigrationInterface {
  name = 'DepartmentKernel1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'roster_target',
        [
          varchar('id', 64, { isPrimary: true }),
          varchar('kind', 32),
          varchar('uscc', 18, { isNullable: true }),
          varchar('name', 200),
          varchar('region_code', 6),
          varchar('industry_code', 8),
          varchar('credit_level', 1),
          varchar('risk_level', 10),
          int('penalties_3y'),
          int('verified_complaints'),
          datetime('updated_at'),
        ],
        [
          { name: 'idx_roster_target_uscc', columns: ['uscc'] },
          { name: 'idx_roster_target_scope', columns: ['kind', 'region_code', 'industry_code'] },
        ],
      ),
    );
    await clusterOnPrimaryKeyOnSqlite(q, 'roster_target');
    await q.createTable(
      table('inspector', [
        varchar('id', 32, { isPrimary: true }),
        varchar('name', 50),
        varchar('certificate_no', 40, { isUnique: true }),
        varchar('unit', 100),
        varchar('position', 50),
        text('domains'),
        text('permissions'),
        text('jurisdiction'),
        bool('qualified'),
        varchar('phone', 20, { isNullable: true }),
      ]),
    );
    await q.createTable(
      table('expert', [
        varchar('id', 32, { isPrimary: true }),
        varchar('name', 50),
        varchar('organisation', 100),
        varchar('title', 50),
        text('expertise'),
        varchar('phone', 20, { isNullable: true }),
      ]),
    );
    await q.createTable(
      table('checklist_item', [
        varchar('code', 32, { isPrimary: true }),
        int('version', { isPrimary: true }),
        varchar('title', 200),
        text('content'),
        text('basis'),
        varchar('inspecting_body', 100),
        text('target_kinds'),
        varchar('method', 20),
        varchar('category', 10),
        int('ratio_cap_bp', { isNullable: true }),
        varchar('frequency', 100),
        varchar('domain', 50),
        text('industries'),
        varchar('status', 12),
        datetime('valid_from'),
        datetime('valid_until', { isNullable: true }),
        text('change_reason', { isNullable: true }),
        varchar('created_by', 64),
        text('close_reason', { isNullable: true }),
        varchar('closed_by', 64, { isNullable: true }),
      ]),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['checklist_item', 'expert', 'inspector', 'roster_target']) await q.dropTable(name);
  }
}
