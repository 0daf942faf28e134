import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The outbox lease names its holder: a deliverer claims a department's due entries in one
 * statement and reads back which of them it holds (those carrying its lease id), instead of one
 * claiming statement per entry.
 */
export class OutboxLeaseId1764000000000 implements MigrationInterface {
  name = 'OutboxLeaseId1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('outbox', new TableColumn({ name: 'lease_id', type: 'varchar', length: '36', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('outbox', 'lease_id');
  }
}
