import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bool, datetime, int, longBlob, longText, serial, table, text, varchar } from '../../../kernel/table-helpers';

/** The joint service's tables: plans, tasks and draws, teams, conflicts, entrustments, the audit trail. */
export class JointService1763910000000 implements MigrationInterface {
  name = 'JointService1763910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'plan',
        [
          varchar('id', 36, { isPrimary: true }),
          int('year'),
          varchar('lead_department', 20),
          int('current_revision'),
          int('published_revision', { isNullable: true }),
          datetime('created_at'),
          varchar('created_by', 64),
        ],
        [{ name: 'idx_plan_year', columns: ['year', 'lead_department'] }],
      ),
    );
    await q.createTable(
      table('plan_revision', [
        varchar('plan_id', 36, { isPrimary: true }),
        int('revision', { isPrimary: true }),
        longText(q, 'content'),
        text('note', { isNullable: true }),
        datetime('changed_at'),
        varchar('changed_by', 64),
        varchar('publish_by', 10),
        datetime('published_at', { isNullable: true }),
        varchar('published_by', 64, { isNullable: true }),
      ]),
    );
    await q.createTable(
      table(
        'task',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('plan_id', 36),
          int('plan_revision'),
          int('year'),
          varchar('lead_department', 20),
          varchar('name', 200),
          varchar('status', 16),
          datetime('created_at'),
          varchar('created_by', 64),
          varchar('commitment', 64),
          varchar('secret', 64),
          varchar('witness_source', 300),
          varchar('witness_available_on', 10),
          int('witness_numbers'),
          varchar('witness_value', 300, { isNullable: true }),
          varchar('snapshot_hash', 64, { isNullable: true }),
          int('snapshot_size', { isNullable: true }),
          datetime('snapshot_taken_at', { isNullable: true }),
          longText(q, 'exclusions', { isNullable: true }),
          longText(q, 'draw_result', { isNullable: true }),
          datetime('drawn_at', { isNullable: true }),
          varchar('drawn_by', 64, { isNullable: true }),
          datetime('locked_at', { isNullable: true }),
          varchar('locked_by', 64, { isNullable: true }),
          datetime('cancelled_at', { isNullable: true }),
          text('cancel_reason', { isNullable: true }),
        ],
        [{ name: 'idx_task_plan', columns: ['plan_id'] }],
      ),
    );
    await q.createTable(
      table('snapshot_chunk', [
        varchar('task_id', 36, { isPrimary: true }),
        int('seq', { isPrimary: true }),
        longBlob(q, 'data'),
      ]),
    );
    await q.createTable(
      table(
        'drawn_target',
        [
          varchar('task_id', 36, { isPrimary: true }),
          varchar('target_key', 64, { isPrimary: true }),
          varchar('uscc', 18, { isNullable: true }),
          varchar('region_code', 6),
          varchar('kind', 32),
          varchar('industry_code', 8),
          int('year'),
          int('batch'),
          int('position'),
        ],
        [{ name: 'idx_drawn_target_year', columns: ['year', 'target_key'] }],
      ),
    );
    await q.createTable(
      table('team_roster', [
        varchar('task_id', 36, { isPrimary: true }),
        varchar('department', 20, { isPrimary: true }),
        longText(q, 'frozen'),
        varchar('frozen_hash', 64),
      ]),
    );
    await q.createTable(
      table('inspector_draw', [
        varchar('task_id', 36, { isPrimary: true }),
        varchar('department', 20, { isPrimary: true }),
        varchar('seed', 64),
        longText(q, 'input'),
        varchar('input_hash', 64),
        longText(q, 'assignments'),
        datetime('drawn_at'),
        varchar('drawn_by', 64),
      ]),
    );
    await q.createTable(
      table(
        'team_member',
        [
          serial('id'),
          varchar('task_id', 36),
          varchar('target_key', 64),
          varchar('department', 20),
          varchar('kind', 10),
          varchar('person_id', 32),
          varchar('name', 50),
          varchar('certificate_no', 40, { isNullable: true }),
          bool('leader'),
          varchar('origin', 12),
          varchar('status', 10),
          int('replaces_id', { isNullable: true }),
          varchar('replacement_reason', 20, { isNullable: true }),
          text('replacement_note', { isNullable: true }),
          varchar('approved_by', 64, { isNullable: true }),
          datetime('created_at'),
        ],
        [{ name: 'idx_team_member_task', columns: ['task_id', 'target_key'] }],
      ),
    );
    await q.createTable(
      table('conflict_declaration', [
        varchar('department', 20, { isPrimary: true }),
        varchar('person_id', 32, { isPrimary: true }),
        varchar('target_key', 64, { isPrimary: true }),
        text('reason'),
        varchar('declared_by', 64),
        datetime('declared_at'),
      ]),
    );
    await q.createTable(
      table('entrustment', [
        serial('id'),
        varchar('task_id', 36),
        varchar('department', 20),
        varchar('inspector_id', 32),
        text('regions'),
        varchar('entrusted_by_unit', 100),
        text('reason'),
        varchar('recorded_by', 64),
        datetime('recorded_at'),
      ]),
    );
    await q.createTable(
      table(
        'audit_event',
        [
          int('seq', { isPrimary: true }),
          datetime('at'),
          varchar('actor', 64),
          varchar('role', 20),
          varchar('department', 20, { isNullable: true }),
          varchar('action', 40),
          varchar('entity_id', 64),
          longText(q, 'details'),
          varchar('prev_hash', 64),
          varchar('hash', 64),
        ],
        [{ name: 'idx_audit_entity', columns: ['entity_id'] }],
      ),
    );
    await q.createTable(table('audit_head', [int('id', { isPrimary: true }), int('seq'), varchar('hash', 64)]));
    await q.query(`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'audit_head',
      'audit_event',
      'entrustment',
      'conflict_declaration',
      'team_member',
      'inspector_draw',
      'team_roster',
      'drawn_target',
      'snapshot_chunk',
      'task',
      'plan_revision',
      'plan',
    ])
      await q.dropTable(name);
  }
}
