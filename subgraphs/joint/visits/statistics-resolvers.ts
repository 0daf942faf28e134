import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { AFTER_DESCRIPTION, firstDescription, pageOfList, pageType, type PageOf } from '../../../kernel/paging';
import { assertHubStaff } from '../access';
import type { JointContext } from '../context';
import { StatisticsService } from './statistics-service';
import { YearStatisticsType } from './statistics-types';

/** A page of target keys (H1 point 5). */
const TargetKeyPage = pageType(
  'TargetKeyPage',
  String,
  "A page of targets, by their key (the lead department's roster id, the USCC for market entities), in " +
    'code-point order.',
);

/** The largest page of target keys, and the default one. */
const TARGET_KEY_PAGE_MAX = 10_000;
const TARGET_KEY_PAGE_DEFAULT = 1000;

@Resolver(() => YearStatisticsType)
export class StatisticsResolver {
  @FieldResolver(() => TargetKeyPage, {
    description:
      'Targets drawn by more locked tasks than the rules allow this year (R14), for a look, a page of them; ' +
      'totalCount is how many.',
  })
  overInspectedPage(
    @Root() stats: YearStatisticsType,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: TARGET_KEY_PAGE_DEFAULT,
      description: firstDescription(TARGET_KEY_PAGE_MAX, TARGET_KEY_PAGE_DEFAULT, 'targets'),
    })
    first: number,
  ): PageOf<string> {
    return pageOfList(stats.overInspected, first, after, TARGET_KEY_PAGE_MAX);
  }

  @FieldResolver(() => TargetKeyPage, {
    description:
      'Targets that several departments each drew in plans of their own this year, where one joint visit ' +
      'would have done (R22), a page of them; totalCount is how many.',
  })
  separateVisitPage(
    @Root() stats: YearStatisticsType,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: TARGET_KEY_PAGE_DEFAULT,
      description: firstDescription(TARGET_KEY_PAGE_MAX, TARGET_KEY_PAGE_DEFAULT, 'targets'),
    })
    first: number,
  ): PageOf<string> {
    return pageOfList(stats.separateVisits, first, after, TARGET_KEY_PAGE_MAX);
  }

  @Query(() => YearStatisticsType, {
    description:
      'Coverage, participation, visits, visits saved, publication on time and delivery of results, per year ' +
      'and department (R31). Hub staff.',
  })
  async jointStatistics(@Arg('year', () => Int) year: number, @Ctx() ctx: JointContext): Promise<YearStatisticsType> {
    assertHubStaff(ctx.identity, 'read statistics');
    return new StatisticsService(ctx.joint).ofYear(year);
  }
}
