import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AFTER_DESCRIPTION, firstDescription, pageOfList, pageType, type PageOf } from '../../../kernel/paging';
import { assertHubStaff } from '../access';
import type { JointContext } from '../context';
import { DeliveryCountsType } from './delivery-counts';
import { StatisticsService } from './statistics-service';

@ObjectType('DepartmentStatistics', { description: "One department's year (R4, R25, R31)." })
export class DepartmentStatisticsType {
  @Field()
  department!: string;
  @Field(() => Int, { description: 'Checklist items in force.' })
  itemsInForce!: number;
  @Field(() => Int, { description: 'Of those, covered by a published plan of the year (R4).' })
  itemsCovered!: number;
  @Field(() => Int, { description: 'Locked tasks the department takes part in.' })
  tasks!: number;
  @Field(() => Int, { description: 'Of those, tasks whose every visit has its results submitted.' })
  tasksDone!: number;
  @Field(() => Int, { description: 'Visits where the department checks items.' })
  visits!: number;
  @Field(() => Int, { description: "Results of the year's tasks recorded by the department." })
  results!: number;
  @Field(() => Int)
  published!: number;
  @Field(() => Int, { description: 'Published within 20 working days of the check (R25).' })
  publishedOnTime!: number;
  @Field(() => Int, { description: 'Published, but after the deadline.' })
  publishedLate!: number;
  @Field(() => Int, { description: 'Not published, and past the deadline.' })
  overdue!: number;
  @Field(() => Int, {
    description:
      'Results whose deadline is provisional: counted through a year whose holiday notice is not loaded ' +
      '(R25; YearStatistics.provisionalCalendarYears).',
  })
  provisionalDeadlines!: number;
  @Field(() => Float, { description: 'Published ÷ results (1 when there are none yet).' })
  publicationRate!: number;
  @Field(() => DeliveryCountsType, {
    description: "Delivery of the year's visit results to the department (R24): the outbox's shares, by status.",
  })
  deliveries!: DeliveryCountsType;
}

@ObjectType('YearStatistics', { description: 'Statistics of a year for dashboards (R31).' })
export class YearStatisticsType {
  @Field(() => Int)
  year!: number;
  @Field(() => Int)
  publishedPlans!: number;
  @Field(() => Int)
  jointPlans!: number;
  @Field(() => Int)
  lockedTasks!: number;
  @Field(() => Int, { description: 'Locked tasks whose every visit has its results submitted.' })
  tasksDone!: number;
  @Field(() => Int)
  visits!: number;
  @Field(() => Int)
  visitsSubmitted!: number;
  @Field(() => Int, {
    description: 'Separate visits the joint visits replaced: a visit where k departments check items saves k - 1.',
  })
  visitsSaved!: number;
  @Field(() => [String], {
    deprecationReason: 'Use overInspectedPage.',
    description: 'Targets drawn by more locked tasks than the rules allow this year (R14), for a look.',
  })
  overInspected!: string[];
  @Field(() => [String], {
    deprecationReason: 'Use separateVisitPage.',
    description:
      'Targets that several departments each drew in plans of their own this year, where one joint visit ' +
      'would have done (R22).',
  })
  separateVisits!: string[];
  @Field(() => [DepartmentStatisticsType], { description: 'One per department of the hub.' })
  departments!: DepartmentStatisticsType[];
  @Field(() => [Int], {
    description:
      'Years without their State Council holiday notice loaded that publication deadlines were counted ' +
      "through: on-time, late and overdue counts that rest on them are provisional (each department's " +
      'provisionalDeadlines) until the operator loads the year.',
  })
  provisionalCalendarYears!: number[];
  @Field(() => String, {
    nullable: true,
    description:
      'What provisionalCalendarYears means and what the operator does about it; null when nothing is provisional.',
  })
  calendarNote!: string | null;
}

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
