import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { SelectQueryBuilder } from 'typeorm';
import { INDUSTRY_CODE, REGION_PREFIX } from '../../kernel/codes';
import { badInput } from '../../kernel/errors';
import { AFTER_DESCRIPTION, firstDescription, pageFromCursor, pageType, type PageOf } from '../../kernel/paging';
import { likeClause, likeContaining } from '../department-kernel/like';
import { pageSize, requireText } from '../../kernel/validation';
import type { MarketContext } from './context';
import { MarketEntityRow } from './entities';
import { MarketEntity, toMarketEntity } from './types';

/**
 * Finding market entities on the register (public registration data: it is on the national credit
 * system, so the public searches it without a token, as it did with `marketSearch`). A name, a
 * region or an industry narrows the register; the page size caps what one request returns, and a
 * caller pages on with `after` in USCC order (stable: a USCC never changes).
 */

/** The largest page of `marketSearchPage` and of the deprecated `marketSearch`. */
export const MARKET_SEARCH_MAX = 100;

const MarketEntityPage = pageType('MarketEntityPage', MarketEntity, 'A page of market entities, in USCC order.');

/** The cursor of a search page: the last USCC of the page, opaque to callers (`u:<uscc>` inside). */
const searchCursor = (uscc: string) => Buffer.from(`u:${uscc}`).toString('base64url');

function readSearchCursor(after: string | null | undefined): string | null {
  if (after == null || after === '') return null;
  const match = /^u:([0-9A-Z]{18})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match)
    throw badInput(
      `after: '${after.slice(0, 80)}' is not a cursor of this search; pass a pageInfo.endCursor ` +
        `marketSearchPage returned, or leave it out for the first page.`,
      { field: 'after' },
    );
  return match[1]!;
}

/** The words of a name search, as a LIKE pattern of names containing them (a `%` or `_` typed matches itself). */
const nameWords = (name: string) => likeContaining(requireText(name, 'name', 100, 'give part of a name'));

/**
 * A code prefix as a range of the indexed column (`3101` → `3101` to `310199`): the same on SQLite
 * and MySQL (a LIKE is not an index range on SQLite unless the column is NOCASE), and exact because
 * region codes are 6 digits and industry codes a letter and at most 4 digits (kernel/codes.ts).
 */
function whereCodePrefix(
  qb: SelectQueryBuilder<MarketEntityRow>,
  column: string,
  prefix: string,
  fullLength: number,
  key: string,
): void {
  qb.andWhere(`${column} >= :${key}From AND ${column} <= :${key}To`, {
    [`${key}From`]: prefix,
    [`${key}To`]: prefix.padEnd(fullLength, '9'),
  });
}

@Resolver(() => MarketEntity)
export class MarketSearchResolver {
  @Query(() => [MarketEntity], {
    deprecationReason: 'Use marketSearchPage.',
    description:
      'Market entities whose name contains the words given (public registration data), for finding published ' +
      'results by name (R25).',
  })
  async marketSearch(
    @Arg('name', () => String) name: string,
    @Arg('first', () => Int, {
      defaultValue: 20,
      description: `How many entities, 1 to ${MARKET_SEARCH_MAX} (the most one search returns; narrow the name for fewer).`,
    })
    first: number,
    @Ctx() ctx: MarketContext,
  ) {
    const words = nameWords(name);
    pageSize(first, MARKET_SEARCH_MAX);
    const rows = await ctx.dept.repo.manager
      .createQueryBuilder(MarketEntityRow, 'm')
      .where(likeClause('m.name', ':words'), { words })
      .orderBy('m.uscc', 'ASC')
      .take(first)
      .getMany();
    return rows.map(toMarketEntity);
  }

  @Query(() => MarketEntityPage, {
    description:
      'Market entities on the register (public registration data), in USCC order, paged: those whose name ' +
      'contains the words given, in a region (a code or its prefix) and of an industry (a GB/T 4754 code or ' +
      'its prefix). Give at least one of name, regionPrefix and industryCode. For finding published results ' +
      'by name (R25), and for officials reading the register of a region or industry.',
  })
  async marketSearchPage(
    @Arg('name', () => String, { nullable: true, description: 'Words the name contains (at most 100 characters).' })
    name: string | null,
    @Arg('regionPrefix', () => String, {
      nullable: true,
      description: 'A GB/T 2260 region code or its prefix, 2 to 6 digits: 31 is Shanghai, 310104 徐汇区.',
    })
    regionPrefix: string | null,
    @Arg('industryCode', () => String, {
      nullable: true,
      description:
        'A GB/T 4754 industry code or its prefix: a section letter A-T, optionally with up to 4 digits (H, ' +
        'H62, H6210).',
    })
    industryCode: string | null,
    @Arg('first', () => Int, { defaultValue: 20, description: firstDescription(MARKET_SEARCH_MAX, 20, 'entities') })
    first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Ctx() ctx: MarketContext,
  ): Promise<PageOf<MarketEntity>> {
    // An argument left out arrives as undefined, one sent as null as null: both are "not given".
    if (name == null && regionPrefix == null && industryCode == null) {
      throw badInput(
        'marketSearchPage needs a name, a regionPrefix or an industryCode (or several): give part of a name, ' +
          'a region such as 310104, or an industry such as H62.',
        { field: 'name' },
      );
    }
    const words = name == null ? null : nameWords(name);
    const region = regionPrefix?.trim() ?? null;
    if (region !== null && !REGION_PREFIX.test(region))
      throw badInput(
        `regionPrefix: '${region.slice(0, 20)}' is not a region code or prefix: give 2 to 6 digits of a GB/T ` +
          `2260 code (31 is Shanghai, 3101 its districts, 310104 徐汇区).`,
        { field: 'regionPrefix' },
      );
    const industry = industryCode?.trim().toUpperCase() ?? null;
    if (industry !== null && !INDUSTRY_CODE.test(industry))
      throw badInput(
        `industryCode: '${industryCode!.slice(0, 20)}' is not a GB/T 4754 industry code: give a section ` +
          `letter A-T, optionally with up to 4 digits (H, H62, H6210).`,
        { field: 'industryCode' },
      );
    const size = pageSize(first, MARKET_SEARCH_MAX);
    const from = readSearchCursor(after);

    const manager = ctx.dept.repo.manager;
    const filtered = () => {
      const qb = manager.createQueryBuilder(MarketEntityRow, 'm');
      if (words !== null) qb.andWhere(likeClause('m.name', ':words'), { words });
      if (region !== null) whereCodePrefix(qb, 'm.regionCode', region, 6, 'region');
      if (industry !== null) whereCodePrefix(qb, 'm.industryCode', industry, 5, 'industry');
      return qb;
    };
    const page = filtered()
      .orderBy('m.uscc', 'ASC')
      .take(size + 1);
    if (from !== null) page.andWhere('m.uscc > :from', { from });
    const rows = await page.getMany();
    const nodes = rows.slice(0, size).map(toMarketEntity);
    return pageFromCursor(nodes, nodes.length ? searchCursor(nodes.at(-1)!.uscc) : null, rows.length > size, () =>
      filtered().getCount(),
    );
  }
}
