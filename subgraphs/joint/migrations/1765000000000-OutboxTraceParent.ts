import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue L: an outbox entry keeps the trace of the submission that made it (W3C `traceparent`, 55
 * characters), so that its delivery, later and maybe by another joint service, is part of the same
 * trace. Null when traces are off, and for the entries made before.
 */
export class OutboxTraceParent1765000000000 implements MigrationInterface {
  name = 'OutboxTraceParent1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'outbox',
      new TableColumn({ name: 'trace_parent', type: 'varchar', length: '55', isNullable: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbox', 'trace_parent');
  }
}
