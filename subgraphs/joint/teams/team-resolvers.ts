import { GraphQLJSONObject } from 'graphql-scalars';
import type { InspectionMethod, ItemCategory, TargetKind } from '../../department-kernel/contract/enums';
import { AFTER_DESCRIPTION, firstDescription, pageByOffset, type PageOf } from '../../../kernel/paging';
import type {
  TeamMemberKindEnum,
  TeamMemberOriginEnum,
  TeamSeatStatusEnum,
  VisitFeedbackKindEnum,
  DeliveryStatusEnum,
} from '../enums';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertAuditReader, assertTaskStaff } from '../access';
import type { JointContext } from '../context';
import { In } from 'typeorm';
import { forbidden } from '../../../kernel/errors';
import { Role } from '../../../kernel/identity';
import { DrawnTargetRow } from '../tasks/entities';
import { InspectorDrawRow, TeamMemberRow } from './entities';
import { InspectionCodeRow, VisitFeedbackRow } from '../visits/entities';
import { visitItems } from '../visits/checklist';
import { OutboxRow, SubmissionRow } from '../visits/entities';
import { DeliveryType, VisitSubmissionInput, VisitSubmissionType } from '../visits/types';
import { WriteBackService } from '../visits/write-back';
import { NoticeService } from '../papers/notice-service';
import { RecordFormService } from '../papers/record-form-service';
import { toNotice, toRecordForm } from '../papers/resolvers';
import type { PlanContent } from '../plans/content';
import { TaskService } from '../tasks/task-service';
import { toTask } from '../tasks/task-resolvers';
import { TaskType } from '../tasks/types';
import { MIN_TEAM_INSPECTORS, TeamService } from './team-service';
import {
  ConflictInput,
  EntrustmentInput,
  FillVacancyInput,
  InspectorDrawType,
  ReplaceInspectorInput,
  ReplacementReasonEnum,
  TeamMemberType,
  VisitPage,
  VisitTargetViewType,
  VisitType,
} from './types';
import { pageOffset, pageSize } from '../../../kernel/validation';

/**
 * What keeps a visit's team from being complete (R18): departments not drawn yet, vacant seats, too few officers, no
 * leader.
 */
export function teamProblems(
  content: PlanContent,
  seatsPerDepartment: number,
  drawnDepartments: readonly string[],
  members: readonly TeamMemberRow[],
): string[] {
  const active = members.filter((m) => m.status === 'ACTIVE');
  const problems: string[] = [];
  for (const d of content.departments) {
    if (!drawnDepartments.includes(d)) {
      problems.push(`${d} has not drawn its inspectors yet`);
      continue;
    }
    const seated = active.filter((m) => m.department === d && m.kind === 'INSPECTOR').length;
    if (seated < seatsPerDepartment)
      problems.push(
        `${seatsPerDepartment - seated} ${d} seat(s) vacant: the deputy head assigns an eligible inspector (R20, R21)`,
      );
  }
  if (problems.length) return problems;
  // Officers are counted by their enforcement certificates; a member without one is no officer.
  const certificates = new Set(
    active.filter((m) => m.kind === 'INSPECTOR' && m.certificateNo).map((m) => m.certificateNo),
  );
  if (certificates.size < MIN_TEAM_INSPECTORS)
    problems.push(`fewer than ${MIN_TEAM_INSPECTORS} enforcement officers with distinct certificates (R18)`);
  const leaders = active.filter((m) => m.leader);
  if (leaders.length !== 1 || leaders[0]!.department !== content.leadDepartment)
    problems.push(`the team needs one leader from the lead department ${content.leadDepartment} (R18)`);
  return problems;
}

const toMember = (m: TeamMemberRow): TeamMemberType => ({
  ...m,
  kind: m.kind as TeamMemberKindEnum,
  origin: m.origin as TeamMemberOriginEnum,
  status: m.status as TeamSeatStatusEnum,
  replacementReason: m.replacementReason as ReplacementReasonEnum | null,
});

/** A department's share of a submission as its GraphQL shape (R24). */
export const toDelivery = (d: OutboxRow): DeliveryType => ({ ...d, status: d.status as DeliveryStatusEnum });

/** The largest page of a task's visits (each with its team, checklist and submission), and the default one. */
const VISIT_PAGE_MAX = 1000;
const VISIT_PAGE_DEFAULT = 100;

/** Who reads a task's visits, and which (R30). */
interface VisitSight {
  content: PlanContent;
  /** An inspector's own visits (the teams they are on); undefined for everyone else, who sees every visit. */
  mine: string[] | undefined;
}

/**
 * R30: a task's visits are for its participating departments' staff and hub roles; an inspector sees only the visits
 * whose team they are on.
 */
async function visitSight(ctx: JointContext, task: TaskType): Promise<VisitSight> {
  const content = await new TaskService(ctx.joint).planContent(task);
  assertTaskStaff(ctx.identity, content.departments, "see a task's visits and teams"); // R30
  const mine =
    ctx.identity.role === Role.INSPECTOR
      ? (
          await ctx.joint.dataSource.manager.find(TeamMemberRow, {
            select: { targetKey: true },
            where: {
              taskId: task.id,
              personId: ctx.identity.subject,
              department: ctx.identity.department ?? '',
              status: 'ACTIVE',
            },
          })
        ).map((m) => m.targetKey)
      : undefined;
  return { content, mine };
}

/**
 * Up to `limit` visits of a task from `offset` in the drawn order, with their teams, checklists, submissions, codes
 * and feedback: a fixed number of statements, whatever the page size.
 */
async function visitsOf(
  ctx: JointContext,
  task: TaskType,
  { content, mine }: VisitSight,
  offset: number,
  limit: number,
): Promise<VisitType[]> {
  const tasks = new TaskService(ctx.joint);
  const page = await tasks.drawnTargetsPage(task.id, offset, limit, mine);
  const [members, draws] = await Promise.all([
    new TeamService(ctx.joint).members(
      task.id,
      page.map((v) => v.targetKey),
    ),
    ctx.joint.dataSource.manager.find(InspectorDrawRow, { select: { department: true }, where: { taskId: task.id } }),
  ]);
  const drawn = draws.map((d) => d.department);
  const seats = new TeamService(ctx.joint).inspectorsPerVisit(content);
  // Submissions and deliveries of the page: two statements, whatever the page size.
  const submissions = page.length
    ? await ctx.joint.dataSource.manager.find(SubmissionRow, {
        where: { taskId: task.id, targetKey: In(page.map((v) => v.targetKey)) },
      })
    : [];
  const deliveries = submissions.length
    ? await ctx.joint.dataSource.manager.find(OutboxRow, {
        where: { submissionId: In(submissions.map((s) => s.id)) },
        order: { department: 'ASC' },
      })
    : [];
  const codes = page.length
    ? await ctx.joint.dataSource.manager.find(InspectionCodeRow, {
        where: { taskId: task.id, targetKey: In(page.map((v) => v.targetKey)) },
      })
    : [];
  const [forms, notices] = await Promise.all([
    new RecordFormService(ctx.joint).formsOf(
      task.id,
      page.map((v) => v.targetKey),
    ),
    new NoticeService(ctx.joint).noticesOf(
      task.id,
      page.map((v) => v.targetKey),
    ),
  ]);
  const seesFeedback =
    ctx.identity.role === Role.HUB_ADMIN ||
    ctx.identity.role === Role.AUDITOR ||
    (ctx.identity.role === Role.COORDINATOR && ctx.identity.department === task.leadDepartment);
  const feedback =
    seesFeedback && codes.length
      ? await ctx.joint.dataSource.manager.find(VisitFeedbackRow, {
          where: { code: In(codes.map((c) => c.code)) },
          order: { leftAt: 'ASC' },
        })
      : [];
  return page.map((v) => {
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
      teamProblems: teamProblems(content, seats, drawn, team),
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
export class TeamResolver {
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
      () => new TaskService(ctx.joint).countDrawnTargets(task.id, sight.mine),
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
    const tasks = new TaskService(ctx.joint);
    const content = await tasks.planContent(task);
    assertTaskStaff(ctx.identity, content.departments, "see a task's target views"); // R30
    // R30: this reads every participating department's view (internal credit and risk classes) with the
    // joint service's identity. The departments show their views to their own staff, coordinators and
    // hub roles only; here, besides coordinators and hub roles, only a team's inspectors see them (for
    // their own visits). A department's admin or heads read their own department's views directly.
    const role = ctx.identity.role;
    if (
      role !== Role.HUB_ADMIN &&
      role !== Role.AUDITOR &&
      role !== Role.SERVICE &&
      role !== Role.COORDINATOR &&
      role !== Role.INSPECTOR
    ) {
      throw forbidden(
        `Only a task's inspectors (for their own visits), coordinators and hub roles read its target views; ` +
          `you are ${role} of '${ctx.identity.department}'.`,
        { rule: 'R30' },
      );
    }
    let allowed = new Set(keys.slice(0, 1000));
    if (ctx.identity.role === Role.INSPECTOR) {
      const mine = await ctx.joint.dataSource.manager.find(TeamMemberRow, {
        select: { targetKey: true },
        where: {
          taskId: task.id,
          personId: ctx.identity.subject,
          department: ctx.identity.department ?? '',
          status: 'ACTIVE',
        },
      });
      allowed = new Set([...allowed].filter((k) => mine.some((m) => m.targetKey === k)));
    }
    const visits = allowed.size
      ? await ctx.joint.dataSource.manager.find(DrawnTargetRow, {
          where: { taskId: task.id, targetKey: In([...allowed]) },
        })
      : [];
    const usccs = [...new Set(visits.map((v) => v.uscc).filter((u): u is string => u !== null))];
    if (usccs.length === 0) return [];
    const views = await Promise.all(
      content.departments.map(async (department) => {
        const data = await ctx.joint.departments.run<{ _entities: Array<Record<string, unknown> | null> }>(
          department,
          'DepartmentTargetViews',
          {
            representations: usccs.map((uscc) => ({ __typename: 'MarketEntity', uscc })),
          },
        );
        return data._entities.map((e) => ({ uscc: String(e?.uscc), department, ...(e?.[department] as object) }));
      }),
    );
    const byUscc = views.flat();
    return visits.flatMap((v) => byUscc.filter((x) => x.uscc === v.uscc).map((x) => ({ ...x, key: v.targetKey })));
  }

  @FieldResolver(() => [InspectorDrawType], {
    description:
      "The departments' inspector draws for this task (R18). Not paged: at most one per participating department.",
  })
  async inspectorDraws(@Root() task: TaskType, @Ctx() ctx: JointContext) {
    assertTaskStaff(
      ctx.identity,
      (await new TaskService(ctx.joint).planContent(task)).departments,
      "see a task's inspector draws",
    ); // R30
    return ctx.joint.dataSource.manager.find(InspectorDrawRow, {
      select: { department: true, seed: true, inputHash: true, drawnAt: true, drawnBy: true },
      where: { taskId: task.id },
      order: { department: 'ASC' },
    });
  }

  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description:
      "A department's team-draw record: rosters, conflicts, entrustments and teams, to re-play it (auditors).",
  })
  async inspectorDrawRecord(
    @Root() task: TaskType,
    @Arg('department', () => String) department: string,
    @Ctx() ctx: JointContext,
  ) {
    assertAuditReader(ctx.identity, 'read an inspector draw record');
    return new TeamService(ctx.joint).record(task.id, department);
  }

  @Mutation(() => TaskType, {
    description:
      'A participating department draws its own inspectors (and the lead its experts) for every visit of a ' +
      'locked task (R8, R18-R21).',
  })
  async jointDrawInspectors(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('department', () => String) department: string,
    @Ctx() ctx: JointContext,
  ) {
    await new TeamService(ctx.joint).draw(ctx.identity, taskId, department);
    return toTask(await new TaskService(ctx.joint).requireTask(taskId));
  }

  @Mutation(() => TeamMemberType, {
    description:
      "Replaces a drawn inspector for a listed reason; the department's deputy head approves; no new lottery (R20).",
  })
  async jointReplaceInspector(
    @Arg('input', () => ReplaceInspectorInput) input: ReplaceInspectorInput,
    @Ctx() ctx: JointContext,
  ) {
    return toMember(await new TeamService(ctx.joint).replace(ctx.identity, input));
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
    const submission = await service.submit(ctx.identity, input);
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

  @Mutation(() => TeamMemberType, {
    description:
      'Fills a seat the lottery left vacant with an eligible inspector; the deputy head chooses, without a ' +
      'lottery (R20, R21).',
  })
  async jointFillVacantSeat(@Arg('input', () => FillVacancyInput) input: FillVacancyInput, @Ctx() ctx: JointContext) {
    return toMember(await new TeamService(ctx.joint).fillVacancy(ctx.identity, input));
  }

  @Mutation(() => Boolean, {
    description:
      "Records an entrustment by the higher-level department (R21). Recorded before the task's snapshot, it " +
      'enters the team lottery; later, it allows a vacancy fill or a replacement.',
  })
  async jointEntrustInspector(@Arg('input', () => EntrustmentInput) input: EntrustmentInput, @Ctx() ctx: JointContext) {
    await new TeamService(ctx.joint).entrust(ctx.identity, input);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Declares a conflict of interest with a target (R19): the person is never drawn for it.',
  })
  async jointDeclareConflict(@Arg('input', () => ConflictInput) input: ConflictInput, @Ctx() ctx: JointContext) {
    await new TeamService(ctx.joint).declareConflict(ctx.identity, input);
    return true;
  }
}
