import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, datetime, int, longBlob, longText, table, text, varchar } from '../../../kernel/table-helpers';

/**
 * Issue J, the visit on site: a submission's idempotency key and content digest (R24, R29), a
 * task's "not to be announced" setting, the evidence store (content-addressed), the joint record
 * forms and the notices. Submissions made before keep null key and digest.
 */
export class OnSite1764400000000 implements MigrationInterface {
  name = 'OnSite1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('submission', [
      new TableColumn(varchar('client_key', 64, { isNullable: true })),
      new TableColumn(varchar('content_digest', 64, { isNullable: true })),
    ]);
    await q.createIndex(
      'submission',
      new TableIndex({ name: 'idx_submission_client_key', columnNames: ['client_key'], isUnique: true }),
    );
    await q.addColumn('task', new TableColumn(bool('unannounced', { default: false, isNullable: false })));
    await q.createTable(
      table('evidence', [
        varchar('sha256', 64, { isPrimary: true }),
        varchar('media_type', 40),
        int('size'),
        datetime('stored_at'),
      ]),
    );
    await q.createTable(
      table('evidence_chunk', [
        varchar('sha256', 64, { isPrimary: true }),
        int('seq', { isPrimary: true }),
        longBlob(q, 'data'),
      ]),
    );
    await q.createTable(
      table(
        'evidence_link',
        [
          varchar('sha256', 64, { isPrimary: true }),
          varchar('task_id', 36, { isPrimary: true }),
          varchar('target_key', 64, { isPrimary: true }),
          varchar('kind', 12),
          varchar('uploaded_by', 64),
          datetime('uploaded_at'),
        ],
        [{ name: 'idx_evidence_link_visit', columns: ['task_id', 'target_key'] }],
      ),
    );
    await q.createTable(
      table(
        'record_form',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('task_id', 36),
          varchar('target_key', 64),
          int('version'),
          varchar('submission_id', 36),
          varchar('content_digest', 64),
          varchar('request_digest', 64),
          varchar('pdf_sha256', 64),
          varchar('acknowledgement', 10),
          varchar('business_signer', 50, { isNullable: true }),
          text('refusal_note', { isNullable: true }),
          longText(q, 'signatures'),
          datetime('made_at'),
          varchar('made_by', 64),
        ],
        [
          { name: 'idx_record_form_version', columns: ['task_id', 'target_key', 'version'], unique: true },
          { name: 'idx_record_form_request', columns: ['task_id', 'target_key', 'request_digest'], unique: true },
        ],
      ),
    );
    await q.createTable(
      table(
        'visit_notice',
        [
          varchar('id', 36, { isPrimary: true }),
          varchar('notice_no', 60),
          varchar('request_digest', 64),
          varchar('task_id', 36),
          varchar('target_key', 64),
          varchar('visit_on', 10),
          varchar('contact', 200, { isNullable: true }),
          text('requirements', { isNullable: true }),
          varchar('pdf_sha256', 64),
          datetime('issued_at'),
          varchar('issued_by', 64),
        ],
        [
          { name: 'idx_visit_notice_request', columns: ['task_id', 'target_key', 'request_digest'], unique: true },
          { name: 'idx_visit_notice_no', columns: ['notice_no'], unique: true },
        ],
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('visit_notice');
    await q.dropTable('record_form');
    await q.dropTable('evidence_link');
    await q.dropTable('evidence_chunk');
    await q.dropTable('evidence');
    await q.dropColumn('task', 'unannounced');
    await q.dropIndex('submission', 'idx_submission_client_key');
    await q.dropColumns('submission', ['client_key', 'content_digest']);
  }
}
