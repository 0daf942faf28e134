import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { InspectionMethod, ItemCategory, TargetKind } from '../../department-kernel/contract/enums';
import { badInput } from '../../../kernel/errors';
import { AFTER_DESCRIPTION, firstDescription, pageOfList, type PageOf } from '../../../kernel/paging';
import { isCalendarDay, requireText } from '../../../kernel/validation';
import { assertLeadCoordinator, isAuditReader, seesDrafts } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointContext } from '../context';
import { PlanKindEnum, PlanStatusEnum } from '../enums';
import type { PlanView } from './plan-service';
import { PlanService } from './plan-service';
import {
  ClassCombinationEnum,
  OverdueRevisionPage,
  OverdueRevisionType,
  PlanInput,
  PlanPage,
  PlanRevisionType,
  PlanType,
  UncoveredItemType,
} from './types';

/** The largest page of plans and of overdue revisions, and the default one: a year has a few dozen plans. */
const PLAN_PAGE_MAX = 500;
const PLAN_PAGE_DEFAULT = 100;

/**
 * R11: a revision's deadline to publish as shown, counted now (provisional while a year it runs through has no holiday
 * notice).
 */
function publishByOf(plans: PlanService, changedAt: Date): { publishBy: string; publishByProvisional: boolean } {
  const { date, provisionalYears } = plans.publishDeadline(changedAt);
  return { publishBy: date, publishByProvisional: provisionalYears.length > 0 };
}

/** A plan view as its GraphQL shape (ratios back to percent). */
export function toPlan({ plan, revision, content }: PlanView): PlanType & { planRow: PlanView['plan'] } {
  const pct = (bp: number) => bp / 100;
  return {
    planRow: plan,
    id: plan.id,
    training: plan.training,
    year: content.year,
    name: content.name,
    leadDepartment: content.leadDepartment,
    departments: content.departments,
    kind: content.departments.length > 1 ? PlanKindEnum.JOINT : PlanKindEnum.INTERNAL,
    items: content.items.map((i) => ({
      ...i,
      category: i.category as ItemCategory,
      ratioCapPercent: i.ratioCapBasisPoints === null ? null : pct(i.ratioCapBasisPoints),
    })),
    scope: {
      targetKinds: content.scope.targetKinds as TargetKind[],
      regions: content.scope.regions,
      industries: content.scope.industries,
    },
    methods: content.methods as InspectionMethod[],
    windowStart: content.window.start,
    windowEnd: content.window.end,
    ratios: {
      high: pct(content.ratios.HIGH),
      elevated: pct(content.ratios.ELEVATED),
      general: pct(content.ratios.GENERAL),
      low: pct(content.ratios.LOW),
    },
    classCombination: content.classCombination as ClassCombinationEnum,
    excludeInspectedWithinDays: content.excludeInspectedWithinDays,
    batchSize: content.batchSize,
    inspectorsPerDepartment: content.inspectorsPerDepartment,
    expertsPerVisit: content.expertsPerVisit,
    revision: revision.revision,
    status: revision.publishedAt ? PlanStatusEnum.PUBLISHED : PlanStatusEnum.DRAFT,
    publishedRevision: plan.publishedRevision,
  };
}

const service = (ctx: JointContext) => new PlanService(ctx.joint);

@Resolver(() => PlanType)
export class PlanResolver {
  @Query(() => PlanType, {
    nullable: true,
    description: 'A plan: the public sees its latest published revision, hub staff its latest revision.',
  })
  async jointPlan(@Arg('id', () => ID) id: string, @Ctx() ctx: JointContext) {
    const plans = service(ctx);
    const plan = await plans.find(id);
    if (!plan) return null;
    const view = await plans.view(ctx.identity, plan);
    return view ? toPlan(view) : null;
  }

  @Query(() => [PlanType], {
    deprecationReason: 'Use jointPlanPage.',
    description: 'Plans of a year, optionally those a department leads or joins.',
  })
  async jointPlans(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String, { nullable: true }) department: string | null,
    @Ctx() ctx: JointContext,
  ) {
    return (await service(ctx).list(ctx.identity, year, department)).map(toPlan);
  }

  @Query(() => PlanPage, {
    description:
      'Plans of a year, optionally those a department leads or joins, oldest first, a page of them: the ' +
      'public sees published plans (their latest published revision), hub staff their drafts too (R11).',
  })
  async jointPlanPage(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String, { nullable: true, description: 'Only the plans this department leads or joins.' })
    department: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: PLAN_PAGE_DEFAULT,
      description: firstDescription(PLAN_PAGE_MAX, PLAN_PAGE_DEFAULT, 'plans'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<PlanType>> {
    // A plan's view depends on the caller (drafts, R11): read whole, then paged (a year has a few dozen plans).
    return pageOfList(
      (await service(ctx).list(ctx.identity, year, department)).map(toPlan),
      first,
      after,
      PLAN_PAGE_MAX,
    );
  }

  @FieldResolver(() => [PlanRevisionType], {
    description:
      'Every revision with its time, author and publication (R11); the public sees the published ones. Not ' +
      'paged: one per change of one plan, a few a year.',
  })
  async revisions(@Root() plan: ReturnType<typeof toPlan>, @Ctx() ctx: JointContext) {
    const plans = service(ctx);
    const all = await plans.revisions(plan.id);
    const shown = seesDrafts(ctx.identity, plan.departments) ? all : all.filter((r) => r.publishedAt !== null);
    return shown.map((r): PlanRevisionType => ({ ...r, ...publishByOf(plans, r.changedAt) }));
  }

  @Mutation(() => PlanType, {
    description: "Creates an annual plan of the caller's department (R10); it is a draft until published.",
  })
  async jointCreatePlan(@Arg('input', () => PlanInput) input: PlanInput, @Ctx() ctx: JointContext) {
    return toPlan(await service(ctx).create(ctx.identity, input));
  }

  @Mutation(() => PlanType, {
    description: 'Changes a plan: a new revision, kept with its time, author and note (R11).',
  })
  async jointRevisePlan(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PlanInput) input: PlanInput,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: JointContext,
  ) {
    const why = requireText(note, 'note', 2000, 'say what changed (added or cancelled tasks, items, scope)', 'R11');
    return toPlan(await service(ctx).revise(ctx.identity, id, input, why));
  }

  @Mutation(() => PlanType, { description: 'Publishes the latest revision (R11).' })
  async jointPublishPlan(@Arg('id', () => ID) id: string, @Ctx() ctx: JointContext) {
    return toPlan(await service(ctx).publish(ctx.identity, id));
  }

  @Query(() => [UncoveredItemType], {
    description:
      "R4: items in force on a department's checklist that no published plan of the year covers. Not paged: " +
      "bounded by the department's checklist.",
  })
  async jointUncoveredItems(
    @Arg('year', () => Int) year: number,
    @Arg('department', () => String) department: string,
    @Ctx() ctx: JointContext,
  ) {
    if (!ctx.joint.departments.has(department))
      throw badInput(`No department '${department}' in the hub.`, { field: 'department' });
    return (await service(ctx).uncoveredItems(year, department)).map((i) => ({
      department,
      code: i.code,
      version: i.version,
      title: i.title,
    }));
  }

  @Query(() => [String], {
    description:
      'R12: departments that lead or join no published joint plan of the year. Not paged: at most one per ' +
      'department of the hub.',
  })
  async jointDepartmentsWithoutJointPlan(@Arg('year', () => Int) year: number, @Ctx() ctx: JointContext) {
    return service(ctx).departmentsWithoutJointPlan(year);
  }

  @Query(() => [OverdueRevisionType], {
    deprecationReason: 'Use jointOverduePlanRevisionPage.',
    description: 'R11: plan revisions not published within 5 working days, as of a day (default: today in China).',
  })
  async jointOverduePlanRevisions(
    @Arg('asOf', () => String, { nullable: true }) asOf: string | null,
    @Ctx() ctx: JointContext,
  ) {
    return overdueRevisions(ctx, asOf);
  }

  @Query(() => OverdueRevisionPage, {
    nullable: true,
    description:
      'R11: plan revisions not published within 5 working days, as of a day, oldest change first, a page of ' +
      "them: auditors and hub admins every department's, a coordinator those of the plans its department " +
      'leads; null, with an error, for others.',
  })
  async jointOverduePlanRevisionPage(
    @Arg('asOf', () => String, {
      nullable: true,
      description: 'The day (YYYY-MM-DD) to count from; leave it out for today in China.',
    })
    asOf: string | null,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: PLAN_PAGE_DEFAULT,
      description: firstDescription(PLAN_PAGE_MAX, PLAN_PAGE_DEFAULT, 'revisions'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<OverdueRevisionType>> {
    return pageOfList(await overdueRevisions(ctx, asOf), first, after, PLAN_PAGE_MAX);
  }
}

/** R11: the overdue revisions the caller sees, as of a day (today in China by default). */
async function overdueRevisions(ctx: JointContext, asOf: string | null): Promise<OverdueRevisionType[]> {
  // Auditors and hub admins see every department's; a coordinator sees the plans their department leads.
  if (!isAuditReader(ctx.identity))
    assertLeadCoordinator(ctx.identity, ctx.identity.department ?? '', 'see overdue plan revisions');
  // R11: deadlines are China dates; a day that does not exist would silently compare as text.
  if (asOf != null && !isCalendarDay(asOf))
    throw badInput(`asOf '${asOf}' is not a date (YYYY-MM-DD); leave it out for today.`, { field: 'asOf' });
  const day = asOf ?? chinaDate(ctx.joint.clock());
  const overdue = (await service(ctx).overdueRevisions(day)).filter(
    ({ plan }) => isAuditReader(ctx.identity) || plan.leadDepartment === ctx.identity.department,
  );
  return overdue.map(({ plan, revision }) => ({
    planId: plan.id,
    planName: (revision.content as { name: string }).name,
    leadDepartment: plan.leadDepartment,
    revision: revision.revision,
    changedAt: revision.changedAt,
    ...publishByOf(service(ctx), revision.changedAt),
  }));
}
