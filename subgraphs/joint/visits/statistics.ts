import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { AFTER_DESCRIPTION, firstDescription, pageOfList, pageType, type PageOf } from '../../../kernel/paging';
import { In } from 'typeorm';
import { assertHubStaff } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointContext } from '../context';
import { DrawnTargetRow, TaskRow } from '../tasks/entities';
import { PlanRevisionRow, PlanRow } from '../plans/entities';
import type { PlanContent } from '../plans/content';
import { fetchChecklists } from '../plans/plan-service';
import { TaskService, TaskStatus, MAX_INSPECTIONS_PER_YEAR } from '../tasks/task-service';
import { visitItems } from './checklist';
import { deliveryCountsOf, deliveryCountsOfYear, DeliveryCountsType } from './delivery-counts';
import { departmentResults, publicationDeadline } from './department-results';
import { SubmissionRow } from './entities';

@ObjectType('DepartmentStatistics', { description: "One department's year (R4, R25, R31)." })
class DepartmentStatisticsType {
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
class YearStatisticsType {
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
  async jointStatistics(@Arg('year', () => Int) year: number, @Ctx() ctx: JointContext) {
    assertHubStaff(ctx.identity, 'read statistics');
    const m = ctx.joint.dataSource.manager;
    const calendar = ctx.joint.calendar;
    const today = chinaDate(ctx.joint.clock());
    const plans = await m.find(PlanRow, { where: { year } });
    const published = plans.filter((p) => p.publishedRevision !== null);
    const revisions = published.length
      ? await m.find(PlanRevisionRow, { where: { planId: In(published.map((p) => p.id)) } })
      : [];
    const contents = published.map(
      (p) => revisions.find((r) => r.planId === p.id && r.revision === p.publishedRevision)!.content as PlanContent,
    );
    const tasks = await m.find(TaskRow, { where: { year, status: TaskStatus.LOCKED } });
    const taskIds = new Set(tasks.map((t) => t.id));
    const drawn = tasks.length
      ? await m.find(DrawnTargetRow, {
          select: { taskId: true, targetKey: true, kind: true, industryCode: true },
          where: { taskId: In([...taskIds]) },
        })
      : [];
    const submissions = tasks.length
      ? await m.find(SubmissionRow, { select: { taskId: true, targetKey: true }, where: { taskId: In([...taskIds]) } })
      : [];
    const submitted = submissions.length;
    const submittedPerTask = new Map<string, number>();
    for (const sub of submissions) submittedPerTask.set(sub.taskId, (submittedPerTask.get(sub.taskId) ?? 0) + 1);
    const visitsPerTask = new Map<string, number>();
    for (const d of drawn) visitsPerTask.set(d.taskId, (visitsPerTask.get(d.taskId) ?? 0) + 1);
    const done = new Set(
      tasks
        .filter((t) => (visitsPerTask.get(t.id) ?? 0) > 0 && submittedPerTask.get(t.id) === visitsPerTask.get(t.id))
        .map((t) => t.id),
    );
    const contentOf = await new TaskService(ctx.joint).planContents(tasks);
    const departmentsOf = new Map([...contentOf].map(([taskId, content]) => [taskId, content.departments.length]));
    const deliveries = await deliveryCountsOfYear(m, year);
    // A joint visit saves a separate visit for each department beyond the first that has items on that target.
    const departmentsChecking = (d: DrawnTargetRow) =>
      new Set(visitItems(contentOf.get(d.taskId)!, d).map((i) => i.department)).size;
    // Targets visited by several departments separately (internal plans of different departments).
    const leadOf = new Map(tasks.map((t) => [t.id, t.leadDepartment]));
    const alone = new Map<string, Set<string>>();
    for (const d of drawn) {
      if (departmentsOf.get(d.taskId) !== 1) continue;
      const set = alone.get(d.targetKey) ?? new Set<string>();
      set.add(leadOf.get(d.taskId)!);
      alone.set(d.targetKey, set);
    }
    const perTarget = new Map<string, number>();
    for (const d of drawn) perTarget.set(d.targetKey, (perTarget.get(d.targetKey) ?? 0) + 1);
    const codes = ctx.joint.departments.departments();
    // R25, R31: years without a holiday notice that deadlines were counted through (their figures are provisional).
    const provisionalCalendarYears = new Set<number>();
    const checklists = await fetchChecklists(ctx.joint, codes);
    const departments = await Promise.all(
      codes.map(async (department) => {
        const inForce = checklists.get(department)!.filter((i) => i.status === 'CURRENT');
        const covered = new Set(
          contents.flatMap((c) => c.items.filter((i) => i.department === department).map((i) => i.code)),
        );
        const results = await departmentResults(ctx.joint, department, taskIds);
        let onTime = 0;
        let late = 0;
        let overdue = 0;
        let provisionalDeadlines = 0;
        for (const r of results) {
          const { date: deadline, provisionalYears } = publicationDeadline(calendar, r.inspectedOn); // R25
          const published = r.publishedAt ? chinaDate(new Date(r.publishedAt)) : null;
          if (published && published <= deadline) onTime++;
          else if (published) late++;
          else if (today > deadline) overdue++;
          if (provisionalYears.length) {
            provisionalDeadlines++;
            for (const y of provisionalYears) provisionalCalendarYears.add(y);
          }
        }
        const publishedCount = onTime + late;
        const mine = tasks.filter((t) => contentOf.get(t.id)!.departments.includes(department));
        return {
          department,
          tasks: mine.length,
          tasksDone: mine.filter((t) => done.has(t.id)).length,
          visits: drawn.filter((d) => visitItems(contentOf.get(d.taskId)!, d).some((i) => i.department === department))
            .length,
          itemsInForce: inForce.length,
          itemsCovered: inForce.filter((i) => covered.has(i.code)).length,
          results: results.length,
          published: publishedCount,
          publishedOnTime: onTime,
          publishedLate: late,
          overdue,
          publicationRate: results.length ? publishedCount / results.length : 1,
          provisionalDeadlines,
          deliveries: deliveryCountsOf(deliveries, department),
        };
      }),
    );
    const provisionalYears = [...provisionalCalendarYears].sort((a, b) => a - b);
    return {
      year,
      publishedPlans: published.length,
      jointPlans: contents.filter((c) => c.departments.length > 1).length,
      lockedTasks: tasks.length,
      tasksDone: done.size,
      visits: drawn.length,
      visitsSubmitted: submitted,
      visitsSaved: drawn.reduce((n, d) => n + Math.max(0, departmentsChecking(d) - 1), 0),
      overInspected: [...perTarget]
        .filter(([, n]) => n > MAX_INSPECTIONS_PER_YEAR)
        .map(([k]) => k)
        .sort(),
      separateVisits: [...alone]
        .filter(([, departments]) => departments.size > 1)
        .map(([k]) => k)
        .sort(),
      departments,
      provisionalCalendarYears: provisionalYears,
      calendarNote: calendar.provisionalNote(provisionalYears) || null,
    };
  }
}
