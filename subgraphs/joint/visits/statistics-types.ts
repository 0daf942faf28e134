import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DeliveryCountsType } from './delivery-counts';

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
