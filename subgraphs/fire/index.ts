import type { ClassType } from '../../kernel/class-type';
import type DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { DepartmentView } from '../department-kernel/contract/interfaces';
import { defineDepartment, type OwnContext } from '../department-kernel/define';
import type { DepartmentTypes } from '../department-kernel/types';
import { insertChunked } from '../department-kernel/demo/department-demo';
import { entityFraction, personName, rngFor } from '../department-kernel/demo/generator';
import { rowByColumn } from '../department-kernel/loaders';
import { FIRE_CHECKLIST, FIRE_DOMAINS } from './checklist.seed';
import { FireKeyUnitRow } from './entities';
import { FireKeyUnits1763900005000 } from './migrations/1763900005000-FireKeyUnits';

@ObjectType('FireKeyUnitStatus', { description: 'Fire-safety key-unit designation (消防安全重点单位).' })
class FireKeyUnitStatus {
  @Field({ description: 'Designated a fire-safety key unit.' })
  isKeyUnit!: boolean;
  @Field(() => String, { nullable: true, description: 'Category, e.g. 人员密集场所.' })
  category!: string | null;
  @Field(() => String, { nullable: true, description: 'Date designated (YYYY-MM-DD).' })
  designatedOn!: string | null;
}

interface FireOwn {
  keyUnitByUscc: DataLoader<string, FireKeyUnitRow | null>;
}

/** Industries whose premises the fire department supervises (crowded places, factories, warehouses). */
const FIRE_INDUSTRIES = ['F52', 'H61', 'H62', 'R88', 'R90', 'O80', 'G54'];
const KEY_UNIT_CATEGORIES: Record<string, string> = {
  F52: '人员密集场所（商场市场）',
  H61: '人员密集场所（宾馆饭店）',
  H62: '人员密集场所（餐饮场所）',
  R88: '人员密集场所（公共娱乐场所）',
  R90: '人员密集场所（公共娱乐场所）',
  G54: '易燃易爆危险品仓储单位',
};

function fireResolvers(types: DepartmentTypes): ClassType[] {
  @Resolver(() => types.View)
  class FireViewResolver {
    @FieldResolver(() => FireKeyUnitStatus, { description: 'Whether the entity is a fire-safety key unit.' })
    async keyUnit(@Root() view: DepartmentView, @Ctx() ctx: OwnContext<FireOwn>) {
      const row = await ctx.own.keyUnitByUscc.load(view.uscc);
      return { isKeyUnit: row !== null, category: row?.category ?? null, designatedOn: row?.designatedOn ?? null };
    }
  }
  return [FireViewResolver];
}

/** Fire and rescue (消防救援): premises it supervises, fire inspectors, its checklist and key units. */
export const fire = defineDepartment<FireOwn>({
  code: 'fire',
  name: '消防救援支队',
  entities: [FireKeyUnitRow],
  migrations: [FireKeyUnits1763900005000],
  resolvers: fireResolvers,
  createOwnScope: (dataSource: DataSource) => ({
    keyUnitByUscc: rowByColumn(dataSource.manager, FireKeyUnitRow, 'uscc'),
  }),
  demo: {
    checklist: FIRE_CHECKLIST,
    domains: FIRE_DOMAINS,
    unit: (district) => `上海市${district === '上海市' ? '' : district}消防救援支队`,
    certificateCode: 'XF',
    inspectors: 56,
    experts: 10,
    onRoster: (e, seed) =>
      FIRE_INDUSTRIES.includes(e.industryCode) ||
      (e.industryCode.startsWith('C') && entityFraction(seed, e, 'fire-roster') < 0.5),
    seedOwn: async (manager, seed, rostered) => {
      const rows = rostered
        .filter(
          (e) =>
            e.kind === 'ENTERPRISE' &&
            entityFraction(seed, e, 'fire-key-unit') < (KEY_UNIT_CATEGORIES[e.industryCode] ? 0.25 : 0.05),
        )
        .map((e) => {
          const rng = rngFor(seed, 'fire-key-unit-detail', e.index);
          return Object.assign(new FireKeyUnitRow(), {
            uscc: e.uscc,
            category: KEY_UNIT_CATEGORIES[e.industryCode] ?? '生产加工企业',
            designatedOn: `20${String(15 + Math.floor(rng() * 10))}-0${1 + Math.floor(rng() * 9)}-15`,
            safetyManager: personName(rng),
          });
        });
      await insertChunked(manager, FireKeyUnitRow, rows);
    },
  },
});
