import { traceparentOf } from '../../../kernel/tracing';
import type { InspectionMethod, ItemCategory, TargetKind } from '../../department-kernel/contract/enums';
import { AFTER_DESCRIPTION, firstDescription, pageByOffset, type PageOf } from '../../../kernel/paging';
import { pageOffset, pageSize } from '../../../kernel/validation';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { JointContext } from '../context';
import type { DeliveryStatusEnum, VisitFeedbackKindEnum } from '../enums';
import { toNotice, toRecordForm } from '../papers/resolvers';
import { TaskType } from '../tasks/types';
import { toMember } from '../teams/team-resolvers';
import { teamProblems } from '../teams/team-service';
import { VisitPage, VisitTargetViewType, VisitType } from '../teams/types';
import { visitItems } from './checklist';
import type { OutboxRow } from './entities';
import { DeliveryType, VisitSubmissionInput, VisitSubmissionType } from './types';
import { VisitService, type VisitSight } from './visit-service';
import { WriteBackService } from './write-back';

/** A department's share of a submission as its GraphQL shape (R24). */
export const toDelivery = (d: OutboxRow): DeliveryType => ({ ...d, status: d.status as DeliveryStatusEnum });

/** The largest page of a task's visits (each with its team, checklist and submission), and the default one. */
const VISIT_PAGE_MAX = 1000;
const VISIT_PAGE_DEFAULT = 100;

/**
 * R30: a task's visits are for its participating departments' staff and hub roles; an inspector sees only the visits
 * whose team they are on.
 */
function visitSight(ctx: JointContext, task: TaskType): Promise<VisitSight> {
  return new VisitService(ctx.joint).sight(ctx.identity, task);
}

/**
 * Up to `limit` visits of a task from `offset` in the drawn order, with their teams, checklists, submissions, codes
 * and feedback: a fixed number of statements, whatever the page size.
 */
async function visitsOf(
  ctx: JointContext,
  task: TaskType,
  sight: VisitSight,
  offset: number,
  limit: number,
): Promise<VisitType[]> {
  const { content } = sight;
  const {
    visits,
    members,
    drawnDepartments,
    seatsPerDepartment,
    submissions,
    deliveries,
    codes,
    forms,
    notices,
    feedback,
  } = await new VisitService(ctx.joint).page(ctx.identity, task, sight, offset, limit);
  return visits.map((v) => {
    const team = members.filter((m) => m.targetKey === v.targetKey);
    const submission = submissions.find((s) => s.targetKey === v.targetKey);
    return {
      key: v.targetKey,
      uscc: v.uscc,
      regionCode: v.regionCode,
      kind: v.kind as TargetKind,
      industryCode: v.industryCode,
      batch: v.batch,
      position: v.position,
      entity: v.uscc ? { uscc: v.uscc } : null,
      team: team.map(toMember),
      teamProblems: teamProblems(content, seatsPerDepartment, drawnDepartments, team),
      checklist: visitItems(content, v).map((i) => ({
        department: i.department,
        code: i.code,
        itemCode: i.code,
        version: i.version,
        title: i.title,
        basis: i.basis,
        method: i.method as InspectionMethod,
        category: i.category as ItemCategory,
      })),
      submission: submission
        ? { ...submission, deliveries: deliveries.filter((d) => d.submissionId === submission.id).map(toDelivery) }
        : null,
      inspectionCode: codes.find((c) => c.targetKey === v.targetKey)?.code ?? null,
      recordForms: forms
        .filter((f) => f.targetKey === v.targetKey)
        .map((f, _i, own) => toRecordForm(f, own[own.length - 1]!.version)),
      notices: notices.filter((n) => n.targetKey === v.targetKey).map(toNotice),
      feedback: feedback
        .filter((f) => f.code === codes.find((c) => c.targetKey === v.targetKey)?.code)
        .map((f) => ({ ...f, kind: f.kind as VisitFeedbackKindEnum })),
    };
  });
}

@Resolver(() => TaskType)
export class VisitResolver {
  @FieldResolver(() => [VisitType], {
    deprecationReason: 'Use visitPage.',
    description: 'The visits of a task in the drawn order, with their teams (page by offset).',
  })
  async visits(
    @Root() task: TaskType,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: JointContext,
  ) {
    // A page beyond the largest is cut to it (as this field always did); a negative one is refused.
    const size = pageSize(Math.min(first, VISIT_PAGE_MAX), VISIT_PAGE_MAX);
    const skip = pageOffset(offset);
    const sight = await visitSight(ctx, task);
    return visitsOf(ctx, task, sight, skip, size);
  }

  @FieldResolver(() => VisitPage, {
    nullable: true,
    description:
      'The visits of a task in the drawn order, with their teams (R22), a page of them: the participating ' +
      "departments' staff (an inspector sees the visits whose team they are on) and hub roles (R30); null, " +
      'with an error, for others.',
  })
  async visitPage(
    @Root() task: TaskType,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: VISIT_PAGE_DEFAULT,
      description: firstDescription(VISIT_PAGE_MAX, VISIT_PAGE_DEFAULT, 'visits'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<VisitType>> {
    const sight = await visitSight(ctx, task);
    return pageByOffset(
      first,
      after,
      VISIT_PAGE_MAX,
      (offset, limit) => visitsOf(ctx, task, sight, offset, limit),
      () => new VisitService(ctx.joint).count(task, sight),
    );
  }

  @FieldResolver(() => [VisitTargetViewType], {
    description:
      "Every participating department's view of each visit's target, read by the joint service for the " +
      "task's staff (so a team's inspectors, who may not read other departments' views directly, see them " +
      'for their own visits). Keyed by visit; one request per department per page. Not paged: the views of ' +
      'the keys asked for (at most 1,000), one per participating department each.',
  })
  async targetViews(@Root() task: TaskType, @Arg('keys', () => [String]) keys: string[], @Ctx() ctx: JointContext) {
    return new VisitService(ctx.joint).targetViews(ctx.identity, task, keys);
  }

  @Mutation(() => VisitSubmissionType, {
    description:
      "A team member submits one visit's results, every item of its combined checklist, in one mutation; " +
      "each department's share is delivered to it (R22, R24).",
  })
  async jointSubmitVisitResults(
    @Arg('input', () => VisitSubmissionInput) input: VisitSubmissionInput,
    @Ctx() ctx: JointContext,
  ) {
    const service = new WriteBackService(ctx.joint);
    const submission = await service.submit(ctx.identity, input, traceparentOf(ctx.trace));
    ctx.joint.afterSubmit?.();
    // Read only when the caller asks for them (a team's app asks for the id alone).
    return Object.defineProperty({ ...submission }, 'deliveries', {
      enumerable: true,
      get: () => service.deliveries(submission.id),
    });
  }

  @Mutation(() => DeliveryType, {
    description:
      "Sends a department's refused share of a submission again, once the cause is mended; the lead's " +
      'coordinators or hub admins.',
  })
  async jointRetryDelivery(
    @Arg('submissionId', () => ID) submissionId: string,
    @Arg('department', () => String) department: string,
    @Ctx() ctx: JointContext,
  ) {
    const row = await new WriteBackService(ctx.joint).retryRefused(ctx.identity, submissionId, department);
    ctx.joint.afterSubmit?.();
    return toDelivery(row);
  }
}
