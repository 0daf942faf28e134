import { openServiceDatabase } from '../../kernel/datasource';
import { ChecklistItemRow } from '../../subgraphs/department-kernel/entities';
import { ChecklistLongTexts1764200000000 } from '../../subgraphs/department-kernel/migrations/1764200000000-ChecklistLongTexts';
import { tax } from '../../subgraphs/tax';
import { testDatabases } from '../support/databases';

/** A version as a department stored it before its columns were widened. */
const STORED = {
  code: 'OLD-01',
  version: 1,
  title: '发票开具情况检查',
  content: '检查发票开具是否规范。',
  basis: '《中华人民共和国发票管理办法》第十九条',
  inspectingBody: '区税务局',
  targetKinds: ['ENTERPRISE'],
  method: 'ON_SITE',
  category: 'KEY',
  ratioCapBasisPoints: null,
  frequency: '每年不少于1次',
  domain: '发票管理',
  industries: [],
  status: 'CURRENT',
  validFrom: new Date('2026-01-05T01:02:03.456Z'),
  validUntil: null,
  changeReason: null,
  createdBy: 'tax-admin',
  closeReason: null,
  closedBy: null,
};

/**
 * R1, R5: the migration that widens checklist texts to what provinces publish (ChecklistLongTexts)
 * keeps every item a department stored before it, on SQLite and MySQL (TypeORM's own changeColumn
 * would drop a MySQL column whose type changes), and the widened columns then hold a published
 * item's long texts.
 */
describe.each(testDatabases())('R1: checklist columns widened to published lengths ($label)', (database) => {
  afterAll(() => database.drop(['tax']));

  it(
    'R1, R5: items stored before the migration keep every value; a 1,300-character title and a 68-character ' +
      'domain fit after it',
    async () => {
      const before = await openServiceDatabase(database.db, 'tax', {
        entities: tax.entities,
        migrations: tax.migrations.filter((m) => m !== ChecklistLongTexts1764200000000),
      });
      try {
        await before.dataSource.manager.insert(ChecklistItemRow, STORED);
      } finally {
        await before.dataSource.destroy();
      }
      const after = await openServiceDatabase(database.db, 'tax', {
        entities: tax.entities,
        migrations: tax.migrations,
      });
      try {
        const manager = after.dataSource.manager;
        expect(await manager.findOneByOrFail(ChecklistItemRow, { code: 'OLD-01' })).toEqual(STORED);
        const runner = after.dataSource.createQueryRunner();
        const table = await runner.getTable('checklist_item').finally(() => runner.release());
        expect(
          ['title', 'inspecting_body', 'frequency', 'domain'].map((name) => table!.findColumnByName(name)!.isNullable),
        ).toEqual([false, false, false, false]);
        const published = {
          ...STORED,
          code: 'NEW-01',
          title: '题'.repeat(1300),
          domain: '域'.repeat(68),
          inspectingBody: '体'.repeat(500),
          frequency: '频'.repeat(1000),
        };
        await manager.insert(ChecklistItemRow, published);
        expect(await manager.findOneByOrFail(ChecklistItemRow, { code: 'NEW-01' })).toEqual(published);
      } finally {
        await after.dataSource.destroy();
      }
    },
  );
});
