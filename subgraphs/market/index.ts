import type DataLoader from 'dataloader';
import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { defineDepartment, type OwnContext } from '../kernel/department/define';
import type { DepartmentTypes } from '../kernel/department/types';
import { insertChunked } from '../kernel/demo/department-demo';
import { badInput } from '../kernel/errors';
import { pageSize, requireText } from '../kernel/validation';
import { rowByColumn } from '../kernel/loaders';
import { assertUscc } from '../kernel/uscc';
import type { TargetKind } from '../kernel/contract/enums';
import { MARKET_CHECKLIST, MARKET_DOMAINS } from './checklist.seed';
import { MarketEntityRow } from './entities';
import { MarketRegister1763900001000 } from './migrations/1763900001000-MarketRegister';
import { MarketEntity, type EntityStatus } from './types';

/** At most this many entities in one `marketEntities` call. */
export const MAX_ENTITIES_PER_QUERY = 1000;

interface MarketOwn {
  entityByUscc: DataLoader<string, MarketEntityRow | null>;
}
type MarketContext = OwnContext<MarketOwn>;

export function toMarketEntity(row: MarketEntityRow): MarketEntity {
  return {
    uscc: row.uscc,
    name: row.name,
    kind: row.kind as TargetKind,
    legalRepresentative: row.legalRepresentative,
    registeredAddress: row.address,
    regionCode: row.regionCode,
    industryCode: row.industryCode,
    registeredOn: row.registeredOn,
    status: row.status as EntityStatus,
    onAbnormalList: row.abnormal,
  };
}

@ObjectType('MarketAbnormalListPage', { description: 'A page of the abnormal-operation list (经营异常名录): USCCs in order.' })
class MarketAbnormalListPage {
  @Field(() => [String])
  usccs!: string[];
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
  @Field()
  hasMore!: boolean;
}

/** Entities on the abnormal-operation list, in USCC order (public data; draws read it for R13). */
function abnormalListResolver(types: DepartmentTypes): Function {
  @Resolver(() => types.Query)
  class MarketAbnormalListResolver {
    @FieldResolver(() => MarketAbnormalListPage, { description: 'The abnormal-operation list (经营异常名录), paged: targets on it are drawn more often (R13).' })
    async abnormalOperationList(
      @Arg('first', () => Int, { defaultValue: 10_000, description: 'How many codes, 1 to 50,000 (the largest page).' }) first: number,
      @Arg('after', () => String, { nullable: true }) after: string | null,
      @Ctx() ctx: MarketContext,
    ) {
      pageSize(first, 50_000);
      const qb = ctx.dept.repo.manager.createQueryBuilder(MarketEntityRow, 'm').select('m.uscc', 'uscc').where('m.abnormal = :yes', { yes: true }).orderBy('m.uscc', 'ASC').limit(first + 1);
      if (after) qb.andWhere('m.uscc > :after', { after });
      const rows = (await qb.getRawMany<{ uscc: string }>()).map((r) => r.uscc);
      const page = rows.slice(0, first);
      return { usccs: page, endCursor: page.at(-1) ?? null, hasMore: rows.length > first };
    }
  }
  return MarketAbnormalListResolver;
}

/** The most entities one `marketSearch` returns (stated in its `first` argument's description). */
const MARKET_SEARCH_MAX = 100;

@Resolver(() => MarketEntity)
class MarketEntityResolver {
  @Query(() => MarketEntity, { nullable: true, description: 'A market entity by USCC (public registration data).' })
  async marketEntity(@Arg('uscc', () => String) uscc: string, @Ctx() ctx: MarketContext) {
    const row = await ctx.own.entityByUscc.load(assertUscc(uscc, 'uscc'));
    return row ? toMarketEntity(row) : null;
  }

  @Query(() => [MarketEntity], { description: 'Market entities whose name contains the words given (public registration data), for finding published results by name (R25).' })
  async marketSearch(
    @Arg('name', () => String) name: string,
    @Arg('first', () => Int, { defaultValue: 20, description: `How many entities, 1 to ${MARKET_SEARCH_MAX} (the most one search returns; narrow the name for fewer).` }) first: number,
    @Ctx() ctx: MarketContext,
  ) {
    const words = requireText(name, 'name', 100, 'give part of a name').replace(/[%_\\]/g, '');
    pageSize(first, MARKET_SEARCH_MAX);
    const rows = await ctx.dept.repo.manager
      .createQueryBuilder(MarketEntityRow, 'm')
      .where('m.name LIKE :words', { words: `%${words}%` })
      .orderBy('m.uscc', 'ASC')
      .take(first)
      .getMany();
    return rows.map(toMarketEntity);
  }

  @Query(() => [MarketEntity], { description: `Market entities by USCC, in the order asked, unknown codes left out (at most ${MAX_ENTITIES_PER_QUERY}).` })
  async marketEntities(@Arg('usccs', () => [String]) usccs: string[], @Ctx() ctx: MarketContext) {
    if (usccs.length > MAX_ENTITIES_PER_QUERY) throw badInput(`usccs: at most ${MAX_ENTITIES_PER_QUERY} codes per call, got ${usccs.length}.`, { field: 'usccs' });
    const codes = usccs.map((code, i) => assertUscc(code, `usccs[${i}]`));
    const rows = await ctx.own.entityByUscc.loadMany(codes);
    return rows.filter((r): r is MarketEntityRow => r !== null && !(r instanceof Error)).map(toMarketEntity);
  }
}

/** Market supervision (市场监管): owns the register and `MarketEntity`, and is a department like the others. */
export const market = defineDepartment<MarketOwn>({
  code: 'market',
  name: '市场监督管理局',
  marketEntity: MarketEntity,
  entities: [MarketEntityRow],
  migrations: [MarketRegister1763900001000],
  resolvers: (types) => [MarketEntityResolver, abnormalListResolver(types)],
  createOwnScope: (dataSource: DataSource) => ({
    entityByUscc: rowByColumn(dataSource.manager, MarketEntityRow, 'uscc'),
  }),
  referenceResolvers: {
    MarketEntity: async (ref, context) => {
      const row = await (context as MarketContext).own.entityByUscc.load(assertUscc(String(ref.uscc), 'representations.uscc'));
      return row ? toMarketEntity(row) : null;
    },
  },
  demo: {
    checklist: MARKET_CHECKLIST,
    domains: MARKET_DOMAINS,
    unit: (district) => `${district}市场监督管理局`,
    certificateCode: 'SJ',
    inspectors: 96,
    experts: 16,
    onRoster: () => true,
    seedOwn: async (manager, _seed, _rostered, all) => {
      await insertChunked(
        manager,
        MarketEntityRow,
        all.map((e) =>
          Object.assign(new MarketEntityRow(), {
            uscc: e.uscc,
            name: e.name,
            kind: e.kind,
            legalRepresentative: e.legalRepresentative,
            address: e.address,
            regionCode: e.regionCode,
            industryCode: e.industryCode,
            registeredOn: e.registeredOn,
            status: e.status,
            abnormal: e.abnormal,
          }),
        ),
      );
    },
  },
});
