import type { ClassType } from '../../kernel/class-type';
import type DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { DepartmentView } from '../department-kernel/contract/interfaces';
import { defineDepartment, type OwnContext } from '../department-kernel/define';
import type { DepartmentTypes } from '../department-kernel/types';
import { insertChunked } from '../department-kernel/demo/department-demo';
import { rngFor } from '../department-kernel/demo/generator';
import { rowByColumn } from '../department-kernel/loaders';
import { TAX_CHECKLIST, TAX_DOMAINS } from './checklist.seed';
import { TaxRatingRow } from './entities';
import { TaxRatings1763900002000 } from './migrations/1763900002000-TaxRatings';

/** 纳税信用等级: A (excellent) .. D (dishonest); M for new taxpayers without a full year. */
export enum TaxCreditRating {
  A = 'A',
  B = 'B',
  M = 'M',
  C = 'C',
  D = 'D',
}
registerEnumType(TaxCreditRating, {
  name: 'TaxCreditRating',
  description: 'Tax credit rating (纳税信用等级): A, B, M (new taxpayer), C, D.',
});

@ObjectType('TaxCreditRatingRecord', {
  description: "A taxpayer's tax credit rating and the year it was assessed for.",
})
class TaxCreditRatingRecord {
  @Field(() => TaxCreditRating)
  rating!: TaxCreditRating;
  @Field(() => Int)
  year!: number;
}

interface TaxOwn {
  ratingByUscc: DataLoader<string, TaxRatingRow | null>;
}

function taxResolvers(types: DepartmentTypes): ClassType[] {
  @Resolver(() => types.View)
  class TaxViewResolver {
    @FieldResolver(() => TaxCreditRatingRecord, {
      nullable: true,
      description: 'The tax credit rating; null when not rated.',
    })
    async creditRating(@Root() view: DepartmentView, @Ctx() ctx: OwnContext<TaxOwn>) {
      const row = await ctx.own.ratingByUscc.load(view.uscc);
      return row ? { rating: row.rating, year: row.ratingYear } : null;
    }
  }
  return [TaxViewResolver];
}

/** The tax department (税务): taxpayers, tax inspectors, its checklist and tax credit ratings. */
export const tax = defineDepartment<TaxOwn>({
  code: 'tax',
  name: '税务局',
  entities: [TaxRatingRow],
  migrations: [TaxRatings1763900002000],
  resolvers: taxResolvers,
  createOwnScope: (dataSource: DataSource) => ({
    ratingByUscc: rowByColumn(dataSource.manager, TaxRatingRow, 'uscc'),
  }),
  demo: {
    checklist: TAX_CHECKLIST,
    domains: TAX_DOMAINS,
    unit: (district) => `国家税务总局上海市${district === '上海市' ? '' : district}税务局`,
    certificateCode: 'SW',
    inspectors: 72,
    experts: 12,
    // Every operating entity is a taxpayer.
    onRoster: () => true,
    seedOwn: async (manager, seed, rostered) => {
      const rows = rostered.map((e) => {
        const x = 0.6 * e.latentRisk + 0.4 * rngFor(seed, 'tax-rating', e.index)();
        const rating = e.registeredOn >= '2025-01-01' ? 'M' : x < 0.3 ? 'A' : x < 0.6 ? 'B' : x < 0.8 ? 'C' : 'D';
        return Object.assign(new TaxRatingRow(), { uscc: e.uscc, rating, ratingYear: 2025 });
      });
      await insertChunked(manager, TaxRatingRow, rows);
    },
  },
});
