import type { MigrationInterface, QueryRunner } from 'typeorm';
import { table, varchar } from '../../../kernel/table-helpers';

/** Construction qualifications and construction projects. */
export class HousingProjects1763900004000 implements MigrationInterface {
  name = 'HousingProjects1763900004000';
  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      table(
        'housing_qualification',
        [
          varchar('certificate_no', 30, { isPrimary: true }),
          varchar('uscc', 18),
          varchar('category', 60),
          varchar('grade', 10),
          varchar('valid_until', 10),
        ],
        [{ name: 'idx_housing_qualification_uscc', columns: ['uscc'] }],
      ),
    );
    await q.createTable(
      table(
        'housing_project',
        [
          varchar('id', 32, { isPrimary: true }),
          varchar('name', 200),
          varchar('address', 300),
          varchar('region_code', 6),
          varchar('contractor_uscc', 18),
          varchar('permit_no', 30),
          varchar('started_on', 10),
          varchar('stage', 20),
        ],
        [{ name: 'idx_housing_project_contractor', columns: ['contractor_uscc'] }],
      ),
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('housing_project');
    await q.dropTable('housing_qualification');
  }
}
