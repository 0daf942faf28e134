import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Plans and tasks made in a training hub (JOINTCHECK_MODE=training) are marked as such for good:
 * a training draw can never be taken for a real one. Existing rows were made for real.
 */
export class TrainingRecords1764100000000 implements MigrationInterface {
  name = 'TrainingRecords1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['plan', 'task'])
      await q.addColumn(
        table,
        new TableColumn({ name: 'training', type: 'boolean', default: false, isNullable: false }),
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['plan', 'task']) await q.dropColumn(table, 'training');
  }
}
