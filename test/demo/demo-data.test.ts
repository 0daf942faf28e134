import { BUILTIN_DEPARTMENTS } from '../../subgraphs';
import { tax } from '../../subgraphs/tax';
import { housing } from '../../subgraphs/housing';
import { openServiceDatabase } from '../../kernel/datasource';
import { checklistRows, seedDepartmentDemo } from '../../subgraphs/department-kernel/demo/department-demo';
import { demoEntities, demoEntity } from '../../subgraphs/department-kernel/demo/generator';
import { ChecklistItemRow, InspectorRow, RosterTargetRow } from '../../subgraphs/department-kernel/entities';
import type { DepartmentModule } from '../../subgraphs/department-kernel/define';
import { usccProblem } from '../../kernel/uscc';
import { testDatabases, type TestDatabase } from '../support/databases';

const DATABASES = testDatabases();

async function seededDump(
  module: DepartmentModule<unknown>,
  seed: string,
  targets: number,
  database: TestDatabase = DATABASES[0]!,
) {
  const { dataSource } = await openServiceDatabase(database!.db, module.definition.code, {
    entities: module.entities,
    migrations: module.migrations,
  });
  try {
    await seedDepartmentDemo(dataSource, module.definition.code, module.definition.demo, { seed, targets });
    const dump: Record<string, unknown[]> = {};
    for (const entity of module.entities) {
      const meta = dataSource.getMetadata(entity);
      dump[meta.tableName] = await dataSource.manager.find(meta.target, {
        order: Object.fromEntries(meta.primaryColumns.map((c) => [c.propertyName, 'ASC' as const])),
      });
    }
    return dump;
  } finally {
    await dataSource.destroy();
    await database.drop([module.definition.code]);
  }
}

describe('demo data', () => {
  it(
    'the same seed gives the same data, table by table, on ' + 'every database; another seed gives other data',
    async () => {
      const a = await seededDump(tax, 'seed-a', 600);
      const b = await seededDump(tax, 'seed-a', 600);
      const c = await seededDump(tax, 'seed-b', 600);
      expect(a).toEqual(b);
      // The same rows on MySQL as on SQLite (when MySQL is configured): the entities are portable.
      for (const other of DATABASES.slice(1))
        expect([other.label, await seededDump(tax, 'seed-a', 600, other)]).toEqual([other.label, a]);
      expect(a.roster_target).not.toEqual(c.roster_target);
      expect(a.roster_target!.length).toBeGreaterThan(500);
      expect(a.tax_rating!.length).toBe(a.roster_target!.length);
    },
  );

  it('an entity depends on the seed and its index only, not on how many are made', () => {
    const few = [...demoEntities('s', 50)];
    const many = [...demoEntities('s', 2000)];
    expect(many.slice(0, 50)).toEqual(few);
    expect(demoEntity('s', 1234)).toEqual(many[1234]);
  });

  it.each(DATABASES.map((d) => [d.label, d] as const))(
    'R6: entities of every kind, region and several industries, with valid USCCs; each department rosters ' +
      'what it supervises (%s)',
    async (_label, database) => {
      const entities = [...demoEntities('jointcheck-demo', 20_000)];
      expect(new Set(entities.map((e) => e.uscc)).size).toBe(20_000);
      expect(entities.every((e) => usccProblem(e.uscc) === null)).toBe(true);
      expect(new Set(entities.map((e) => e.kind))).toEqual(
        new Set(['ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'COOPERATIVE']),
      );
      expect(new Set(entities.map((e) => e.regionCode)).size).toBeGreaterThanOrEqual(6);
      expect(new Set(entities.map((e) => e.industryCode)).size).toBeGreaterThanOrEqual(15);
      expect(entities.filter((e) => e.abnormal).length).toBeGreaterThan(100);

      const dump = await seededDump(housing, 'jointcheck-demo', 3000, database);
      const roster = dump.roster_target as RosterTargetRow[];
      // Housing supervises contractors and developers, and projects as targets of their own.
      expect(roster.filter((t) => t.kind === 'ENTERPRISE').every((t) => /^(E|K70)/.test(t.industryCode))).toBe(true);
      const projects = roster.filter((t) => t.kind === 'PROJECT');
      expect(projects.length).toBeGreaterThan(10);
      const contractors = new Set(roster.filter((t) => t.kind === 'ENTERPRISE').map((t) => t.uscc));
      expect(projects.every((p) => contractors.has(p.uscc!) && p.id !== p.uscc)).toBe(true);
    },
  );

  it.each(DATABASES.map((d) => [d.label, d] as const))(
    'R1, R2, R7: each department has 10 to 30 checklist items that pass the API rules, and qualified ' +
      'inspectors for every domain (%s)',
    async (_label, database) => {
      // A department on a connector (health) has its checklist in its existing system: no demo one.
      for (const module of BUILTIN_DEPARTMENTS.filter((m) => !m.definition.existingSystem)) {
        const { checklist, domains } = module.definition.demo;
        expect(checklist.length).toBeGreaterThanOrEqual(10);
        expect(checklist.length).toBeLessThanOrEqual(30);
        // The same rules as an item entered through the API (R1, R2); they throw on a bad item.
        expect(checklistRows(checklist)).toHaveLength(checklist.length);
        for (const item of checklist) {
          expect(item.basis).toMatch(/《.+》/); // R1: a named law or regulation
          expect(domains).toContain(item.domain);
        }
      }
      const dump = await seededDump(tax, 'jointcheck-demo', 100, database);
      const inspectors = dump.inspector as InspectorRow[];
      for (const domain of tax.definition.demo.domains) {
        expect(inspectors.filter((i) => i.qualified && i.domains.includes(domain)).length).toBeGreaterThanOrEqual(2);
      }
      expect(new Set(inspectors.map((i) => i.certificateNo)).size).toBe(inspectors.length);
      expect((dump.checklist_item as ChecklistItemRow[]).length).toBe(tax.definition.demo.checklist.length);
    },
  );
});
