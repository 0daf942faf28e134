import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Results carry whether they become a dishonesty (失信) record once published (R27). */
export class ResultDishonesty1763950000000 implements MigrationInterface {
  name = 'ResultDishonesty1763950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('inspection_result', new TableColumn({ name: 'dishonesty', type: 'boolean', default: false }));
    await q.createIndex(
      'inspection_result',
      new TableIndex({ name: 'idx_result_dishonesty', columnNames: ['uscc', 'dishonesty', 'status'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('inspection_result', 'idx_result_dishonesty');
    await q.dropColumn('inspection_result', 'dishonesty');
  }
}
