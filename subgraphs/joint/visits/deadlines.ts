import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { ResultStatus } from '../../department-kernel/contract/enums';
import { badInput, forbidden } from '../../../kernel/errors';
import { DEPARTMENT_ROLES, Role, type Identity } from '../../../kernel/identity';
import { AFTER_DESCRIPTION, firstDescription, pageOfList, pageType, type PageOf } from '../../../kernel/paging';
import { pageSize } from '../../../kernel/validation';
import { assertRoleAmong } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointContext } from '../context';
import { TaskRow } from '../tasks/entities';
import { TaskService, TaskStatus } from '../tasks/task-service';
import { departmentResults, publicationDeadline } from './department-results';

@ObjectType('ResultDeadline', {
  description: 'A result of a locked task not published yet, and when it must be (R25, R31).',
})
export class ResultDeadlineType {
  @Field({ description: 'The department that recorded the result and publishes it (R24).' })
  department!: string;
  @Field(() => ID, { description: "The result's id in its department." })
  resultId!: string;
  @Field(() => ID)
  taskId!: string;
  @Field({ description: "The task's name, as its lead department gave it." })
  taskName!: string;
  @Field({ description: "The visit's target, by its key in the task's drawn list." })
  targetKey!: string;
  @Field(() => String, { nullable: true, description: 'Its unified social credit code, when it has one.' })
  uscc!: string | null;
  @Field({ description: "The item checked, by its code in the department's checklist." })
  itemCode!: string;
  @Field({ description: 'The day the check ended: the result is formed (R25).' })
  inspectedOn!: string;
  @Field(() => ResultStatus, {
    description: 'RECORDED or APPROVED: what the department still has to do before publishing.',
  })
  status!: ResultStatus;
  @Field({
    description: 'The last day to publish it (China date, YYYY-MM-DD): the 20th working day after inspectedOn (R25).',
  })
  deadline!: string;
  @Field(() => Int, {
    description:
      'Working days from today (China) to the deadline: 0 on the deadline day, negative once it has passed; ' +
      'a day off counts as the next working day.',
  })
  workingDaysLeft!: number;
  @Field({ description: 'Today is after the deadline (R31).' })
  overdue!: boolean;
  @Field({
    description:
      'The deadline or the working days left were counted through a year whose State Council holiday notice ' +
      'is not loaded yet: on weekends and the statutory holidays alone, without its swapped and make-up ' +
      'days. Final once the year is loaded (jointStatistics.provisionalCalendarYears names the year).',
  })
  provisional!: boolean;
}

/** A page of publication deadlines (H1 point 5). */
const ResultDeadlinePage = pageType(
  'ResultDeadlinePage',
  ResultDeadlineType,
  'A page of unpublished results with their deadlines (R25, R31), by deadline, department and result id.',
);

/** The most deadlines one call lists (the largest page), and the default page. */
const DEADLINES_MAX = 1000;
const DEADLINES_DEFAULT = 200;

/** R30: every signed-in role sees some deadlines; which ones, `sightOf` says. */
const READERS: readonly Role[] = [Role.HUB_ADMIN, Role.AUDITOR, Role.SERVICE, ...DEPARTMENT_ROLES];

/** Who sees a department's publication deadlines, as refusals say it. */
const WHO_MAY =
  "the department's own staff, coordinators of a department leading its tasks (for those tasks), hub admins, " +
  'auditors and hub services';

/** R30: whose unpublished results a caller sees. */
interface Sight {
  /** Hub admins, auditors and hub services: every department's. */
  all: boolean;
  /** A department's own staff (any role): that department's. */
  own: string | null;
  /** A coordinator: also every department's results of the tasks its department leads (it follows their visits). */
  leads: string | null;
}

/** R30: what a signed-in identity sees, by its role and department alone. */
function sightOf(identity: Identity): Sight {
  if (identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE)
    return { all: true, own: null, leads: null };
  return {
    all: false,
    own: identity.department,
    leads: identity.role === Role.COORDINATOR ? identity.department : null,
  };
}

const DESCRIPTION =
  "The results of a year's locked tasks not published yet, each with its deadline (R25) and whether it is " +
  'overdue (R31), by deadline, department and result id. Signed in: hub admins, auditors and hub services ' +
  "every department's; a department's staff its own; a coordinator also those of the tasks its department " +
  'leads (R30).';

@Resolver()
export class PublicationDeadlineResolver {
  @Query(() => [ResultDeadlineType], {
    deprecationReason: 'Use jointPublicationDeadlinePage.',
    description: DESCRIPTION,
  })
  async jointPublicationDeadlines(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String, {
      nullable: true,
      description: "Only this department's results; leave it out for every department the caller sees.",
    })
    department: string | null,
    @Arg('overdueOnly', { defaultValue: false, description: 'Only the results past their deadline.' })
    overdueOnly: boolean,
    @Arg('first', () => Int, {
      defaultValue: DEADLINES_DEFAULT,
      description: 'At most this many (1 to 1,000), the earliest deadlines first.',
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<ResultDeadlineType[]> {
    return (await deadlinesOf(ctx, year, department, overdueOnly, () => pageSize(first, DEADLINES_MAX))).slice(
      0,
      first,
    );
  }

  @Query(() => ResultDeadlinePage, {
    nullable: true,
    description: `${DESCRIPTION} A page of them; null, with an error, for a caller refused.`,
  })
  async jointPublicationDeadlinePage(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String, {
      nullable: true,
      description: "Only this department's results; leave it out for every department the caller sees.",
    })
    department: string | null,
    @Arg('overdueOnly', { defaultValue: false, description: 'Only the results past their deadline.' })
    overdueOnly: boolean,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: DEADLINES_DEFAULT,
      description: firstDescription(DEADLINES_MAX, DEADLINES_DEFAULT, 'results'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<ResultDeadlineType>> {
    // Read from every department asked and sorted by deadline, so paged in memory (a year's unpublished results).
    return pageOfList(
      await deadlinesOf(ctx, year, department, overdueOnly, () => pageSize(first, DEADLINES_MAX)),
      first,
      after,
      DEADLINES_MAX,
    );
  }
}

/**
 * R25, R30, R31: every unpublished result of a year's locked tasks the caller sees, with its
 * deadline, sorted. `checkPage` checks the page size once the caller is allowed (a refusal comes first).
 */
async function deadlinesOf(
  ctx: JointContext,
  year: number,
  department: string | null,
  overdueOnly: boolean,
  checkPage: () => void,
): Promise<ResultDeadlineType[]> {
  // R30: the role decides before anything is looked up.
  assertRoleAmong(ctx.identity, READERS, 'read publication deadlines');
  const sight = sightOf(ctx.identity);
  // R30: a department the caller may not see at all is refused, known or not.
  if (department != null && !sight.all && sight.leads === null && department !== sight.own) {
    throw forbidden(
      `Publication deadlines of '${department}' are for ${WHO_MAY}; you are ${ctx.identity.role} of ` +
        `'${ctx.identity.department}'. Leave department out to see yours.`,
      { rule: 'R30', field: 'department' },
    );
  }
  checkPage();
  if (department != null && !ctx.joint.departments.has(department)) {
    throw badInput(
      `No department '${department}' is registered with the hub; registryDepartments lists those that are.`,
      { field: 'department' },
    );
  }
  const tasks = await ctx.joint.dataSource.manager.find(TaskRow, {
    select: { id: true, name: true, leadDepartment: true, planId: true, planRevision: true },
    where: { year, status: TaskStatus.LOCKED },
  });
  const taskOf = new Map(tasks.map((t) => [t.id, t]));
  // R30: a result is seen by every hub reader, its department's staff, and its task's lead coordinators.
  const sees = (d: string, taskId: string) =>
    sight.all || d === sight.own || (sight.leads !== null && taskOf.get(taskId)?.leadDepartment === sight.leads);
  // Only the departments that take part in a task whose results the caller sees are asked.
  const contents = await new TaskService(ctx.joint).planContents(tasks);
  const wanted = new Set(
    [...contents].flatMap(([taskId, content]) =>
      content.departments.filter((d) => (department == null || d === department) && sees(d, taskId)),
    ),
  );
  const asked = ctx.joint.departments.departments().filter((d) => wanted.has(d));
  const taskIds = new Set(taskOf.keys());
  const calendar = ctx.joint.calendar;
  const today = chinaDate(ctx.joint.clock());
  const read = await Promise.all(
    asked.map(async (d) =>
      (await departmentResults(ctx.joint, d, taskIds))
        .filter((r) => r.publishedAt === null && sees(d, r.taskId))
        .map((r): ResultDeadlineType => {
          const { date: deadline, provisionalYears } = publicationDeadline(calendar, r.inspectedOn); // R25
          return {
            department: d,
            resultId: r.id,
            taskId: r.taskId,
            taskName: taskOf.get(r.taskId)!.name,
            targetKey: r.targetKey,
            uscc: r.uscc,
            itemCode: r.itemCode,
            inspectedOn: r.inspectedOn,
            status: r.status as ResultStatus,
            deadline,
            workingDaysLeft: calendar.workingDaysLeft(today, deadline),
            overdue: today > deadline, // R31, as jointStatistics counts it
            provisional: provisionalYears.length > 0 || calendar.yearsWithoutNotice(today, deadline).length > 0,
          };
        }),
    ),
  );
  const order = (a: ResultDeadlineType, b: ResultDeadlineType) =>
    compare(a.deadline, b.deadline) || compare(a.department, b.department) || compare(a.resultId, b.resultId);
  return read
    .flat()
    .filter((r) => !overdueOnly || r.overdue)
    .sort(order);
}

/** Code-point order (not the locale's), so every service sorts alike. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
