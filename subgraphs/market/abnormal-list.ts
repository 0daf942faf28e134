import type { ClassType } from '../../kernel/class-type';
import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver } from 'type-graphql';
import type { DepartmentTypes } from '../department-kernel/types';
import { badInput } from '../../kernel/errors';
import {
  AFTER_DESCRIPTION,
  firstDescription,
  pageFieldsWithCursorFields,
  type PageWithCursorFields,
} from '../../kernel/paging';
import { pageSize } from '../../kernel/validation';
import type { MarketContext } from './context';
import { MarketEntityRow } from './entities';

/** The largest page of `abnormalOperationList` (a draw reads the whole list, page by page: R13). */
export const ABNORMAL_LIST_MAX = 50_000;

/** A USCC as the list's cursor holds it (the list is in USCC order; the cursor is the last code of a page). */
const USCC_CURSOR = /^[0-9A-Z]{18}$/;

interface AbnormalListPage extends PageWithCursorFields<string> {
  usccs: string[];
}

@ObjectType('MarketAbnormalListPage', {
  description: 'A page of the abnormal-operation list (经营异常名录): the USCCs on it (nodes), in USCC order.',
})
class MarketAbnormalListPage extends pageFieldsWithCursorFields(String) {
  @Field(() => [String], { deprecationReason: 'Use nodes.' })
  usccs!: string[];
}

/** Entities on the abnormal-operation list, in USCC order (public data; draws read it for R13). */
export function abnormalListResolver(types: DepartmentTypes): ClassType {
  @Resolver(() => types.Query)
  class MarketAbnormalListResolver {
    @FieldResolver(() => MarketAbnormalListPage, {
      description: 'The abnormal-operation list (经营异常名录), paged: targets on it are drawn more often (R13).',
    })
    async abnormalOperationList(
      @Arg('first', () => Int, {
        defaultValue: 10_000,
        description: firstDescription(ABNORMAL_LIST_MAX, 10_000, 'codes'),
      })
      first: number,
      @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
      @Ctx() ctx: MarketContext,
    ): Promise<AbnormalListPage> {
      pageSize(first, ABNORMAL_LIST_MAX);
      // The cursor is the last USCC of the previous page (as `endCursor` always was): old callers' cursors stay valid.
      if (after && !USCC_CURSOR.test(after))
        throw badInput(
          `after: '${after.slice(0, 80)}' is not a cursor of this list; pass a pageInfo.endCursor it ` +
            `returned, or leave it out for the first page.`,
          { field: 'after' },
        );
      const manager = ctx.dept.repo.manager;
      const qb = manager
        .createQueryBuilder(MarketEntityRow, 'm')
        .select('m.uscc', 'uscc')
        .where('m.abnormal = :yes', { yes: true })
        .orderBy('m.uscc', 'ASC')
        .limit(first + 1);
      if (after) qb.andWhere('m.uscc > :after', { after });
      const rows = (await qb.getRawMany<{ uscc: string }>()).map((r) => r.uscc);
      const nodes = rows.slice(0, first);
      const endCursor = nodes.at(-1) ?? null;
      const hasMore = rows.length > first;
      return {
        nodes,
        pageInfo: { endCursor, hasNextPage: hasMore },
        totalCount: () => manager.countBy(MarketEntityRow, { abnormal: true }),
        usccs: nodes,
        endCursor,
        hasMore,
      };
    }
  }
  return MarketAbnormalListResolver;
}
