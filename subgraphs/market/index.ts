import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { defineDepartment } from '../department-kernel/define';
import { insertChunked } from '../department-kernel/demo/department-demo';
import { badInput } from '../../kernel/errors';
import { rowByColumn } from '../department-kernel/loaders';
import { assertUscc } from '../../kernel/uscc';
import { abnormalListResolver } from './abnormal-list';
import { MARKET_CHECKLIST, MARKET_DOMAINS } from './checklist.seed';
import type { MarketContext, MarketOwn } from './context';
import { MarketEntityRow } from './entities';
import { MarketRegister1763900001000 } from './migrations/1763900001000-MarketRegister';
import { MarketSearchIndex1764300001000 } from './migrations/1764300001000-MarketSearchIndex';
import { MarketSearchResolver } from './search';
import { MarketEntity, toMarketEntity } from './types';

export { toMarketEntity };

/** At most this many entities in one `marketEntities` call. */
export const MAX_ENTITIES_PER_QUERY = 1000;

@Resolver(() => MarketEntity)
class MarketEntityResolver {
  @Query(() => MarketEntity, { nullable: true, description: 'A market entity by USCC (public registration data).' })
  async marketEntity(@Arg('uscc', () => String) uscc: string, @Ctx() ctx: MarketContext) {
    const row = await ctx.own.entityByUscc.load(assertUscc(uscc, 'uscc'));
    return row ? toMarketEntity(row) : null;
  }

  @Query(() => [MarketEntity], {
    description: `Market entities by USCC, in the order asked, unknown codes left out (at most ${MAX_ENTITIES_PER_QUERY}).`,
  })
  async marketEntities(@Arg('usccs', () => [String]) usccs: string[], @Ctx() ctx: MarketContext) {
    if (usccs.length > MAX_ENTITIES_PER_QUERY)
      throw badInput(`usccs: at most ${MAX_ENTITIES_PER_QUERY} codes per call, got ${usccs.length}.`, {
        field: 'usccs',
      });
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
  migrations: [MarketRegister1763900001000, MarketSearchIndex1764300001000],
  resolvers: (types) => [MarketEntityResolver, MarketSearchResolver, abnormalListResolver(types)],
  createOwnScope: (dataSource: DataSource) => ({
    entityByUscc: rowByColumn(dataSource.manager, MarketEntityRow, 'uscc'),
  }),
  referenceResolvers: {
    MarketEntity: async (ref, context) => {
      const row = await (context as MarketContext).own.entityByUscc.load(
        assertUscc(String(ref.uscc), 'representations.uscc'),
      );
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
