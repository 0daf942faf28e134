import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AFTER_DESCRIPTION, firstDescription, pageByOffset, type PageOf } from '../../../kernel/paging';
import { Role } from '../../../kernel/identity';
import { assertAuditReader, assertRoleAmong, assertTaskStaff } from '../access';
import { SnapshotProgress, snapshotsUnderWay } from './snapshot-progress';
import type { JointContext } from '../context';
import type { DrawnTargetRow, TaskRow } from './entities';
import type { StratumEnum, TaskStatusEnum } from '../enums';
import { PlanService } from '../plans/plan-service';
import { toPlan } from '../plans/plan-resolvers';
import { PlanType } from '../plans/types';
import { TaskService } from './task-service';
import { DrawnTargetPage, DrawnTargetType, GraphQLJSONObject, TaskInput, TaskType } from './types';
import { pageOffset, pageSize } from '../../../kernel/validation';

/** A task row as its public shape: the secret is never a field (it is in the record once locked). */
export function toTask(row: TaskRow): TaskType {
  const { secret: _secret, drawResult, exclusions, ...rest } = row;
  return {
    ...rest,
    status: rest.status as TaskStatusEnum,
    exclusions,
    strata: (drawResult?.strata ?? []).map((s) => ({ ...s, stratum: s.stratum as StratumEnum })),
  };
}

/** A drawn target row as its GraphQL shape. */
const toDrawnTarget = (r: DrawnTargetRow): DrawnTargetType => ({
  key: r.targetKey,
  uscc: r.uscc,
  regionCode: r.regionCode,
  batch: r.batch,
  position: r.position,
  entity: r.uscc ? { uscc: r.uscc } : null,
});

/** The largest page of a drawn list (a draw record lists up to 100,000 targets), and the default one. */
export const DRAWN_PAGE_MAX = 10_000;
const DRAWN_PAGE_DEFAULT = 1000;

const tasks = (ctx: JointContext) => new TaskService(ctx.joint);

@Resolver(() => TaskType)
export class TaskResolver {
  @Query(() => TaskType, { nullable: true, description: 'A task (public: tasks and their draws are published).' })
  async jointTask(@Arg('id', () => ID) id: string, @Ctx() ctx: JointContext) {
    const row = await tasks(ctx).find(id);
    return row ? toTask(row) : null;
  }

  @Query(() => [TaskType], {
    description: 'The tasks of a plan, oldest first. Not paged: a plan has a few tasks (batches) a year.',
  })
  async jointTasks(@Arg('planId', () => ID) planId: string, @Ctx() ctx: JointContext) {
    return (await tasks(ctx).tasksOfPlan(planId)).map(toTask);
  }

  @Query(() => [TaskType], {
    description:
      "The signed-in inspector's tasks: those not cancelled on whose teams they hold a seat, newest first " +
      "(at most 100). Their visits are the task's `visitPage`, which shows an inspector only their own.",
  })
  async jointInspectorTasks(@Ctx() ctx: JointContext) {
    // R30: an inspector's own work; coordinators and heads find tasks under their plans.
    assertRoleAmong(ctx.identity, [Role.INSPECTOR], "list an inspector's own tasks");
    return (await tasks(ctx).inspectorTasks(ctx.identity.subject, ctx.identity.department ?? '')).map(toTask);
  }

  @FieldResolver(() => SnapshotProgress, {
    nullable: true,
    description:
      "While the task's snapshot is being taken (R9): how much of each roster is read so far, for the task's " +
      'staff; null when none is under way (or another joint service is taking it).',
  })
  async snapshotProgress(@Root() task: TaskType, @Ctx() ctx: JointContext) {
    assertTaskStaff(
      ctx.identity,
      (await new TaskService(ctx.joint).planContent(task)).departments,
      "see a snapshot's progress",
    ); // R30
    return snapshotsUnderWay.of(task.id);
  }

  @FieldResolver(() => PlanType, { nullable: true })
  async plan(@Root() task: TaskType, @Ctx() ctx: JointContext) {
    const service = new PlanService(ctx.joint);
    const view = await service.view(ctx.identity, await service.requirePlan(task.planId));
    return view ? toPlan(view) : null;
  }

  @FieldResolver(() => [DrawnTargetType], {
    deprecationReason: 'Use drawnPage.',
    description: 'The drawn targets in the drawn order of inspection, paged by offset (public).',
  })
  async drawn(
    @Root() task: TaskType,
    @Arg('first', () => Int, { defaultValue: 1000 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: JointContext,
  ) {
    // A page beyond the largest is cut to it (as this field always did); a negative one is refused.
    const rows = await tasks(ctx).drawnTargetsPage(
      task.id,
      pageOffset(offset),
      pageSize(Math.min(first, DRAWN_PAGE_MAX), DRAWN_PAGE_MAX),
    );
    return rows.map(toDrawnTarget);
  }

  @FieldResolver(() => DrawnTargetPage, {
    description: 'The drawn targets in the drawn order of inspection (R15), a page of them (public).',
  })
  async drawnPage(
    @Root() task: TaskType,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Arg('first', () => Int, {
      defaultValue: DRAWN_PAGE_DEFAULT,
      description: firstDescription(DRAWN_PAGE_MAX, DRAWN_PAGE_DEFAULT, 'targets'),
    })
    first: number,
    @Ctx() ctx: JointContext,
  ): Promise<PageOf<DrawnTargetType>> {
    return pageByOffset(
      first,
      after,
      DRAWN_PAGE_MAX,
      async (offset, limit) => (await tasks(ctx).drawnTargetsPage(task.id, offset, limit)).map(toDrawnTarget),
      () => tasks(ctx).countDrawnTargets(task.id),
    );
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description:
      'The public draw record: commitment, witness, snapshot hash, counts per stratum, list and batch order; ' +
      'the secret once locked.',
  })
  async publicRecord(@Root() task: TaskType, @Ctx() ctx: JointContext) {
    return tasks(ctx).publicRecord(await tasks(ctx).requireTask(task.id));
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description:
      "The full record for auditors and hub admins: adds every snapshot entry's stratum; enough to re-play " +
      'the draw (npm run verify-draw).',
  })
  async fullRecord(@Root() task: TaskType, @Ctx() ctx: JointContext) {
    assertAuditReader(ctx.identity, 'read a full draw record');
    return tasks(ctx).fullRecord(await tasks(ctx).requireTask(task.id));
  }

  @Mutation(() => TaskType, {
    description: 'Creates a task of a published plan, committing to its secret and naming its witness (R16).',
  })
  async jointCreateTask(@Arg('input', () => TaskInput) input: TaskInput, @Ctx() ctx: JointContext) {
    return toTask(await tasks(ctx).create(ctx.identity, input));
  }

  @Mutation(() => TaskType, {
    description: 'Takes the snapshot of eligible targets through the department contract (R9, R14).',
  })
  async jointTakeSnapshot(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('overLimitReason', () => String, { nullable: true }) overLimitReason: string | null,
    @Ctx() ctx: JointContext,
  ) {
    return toTask(await tasks(ctx).snapshot(ctx.identity, taskId, overLimitReason));
  }

  @Mutation(() => TaskType, {
    description: 'Draws the targets with the published witness value (R13, R15, R16); once per task.',
  })
  async jointDrawTargets(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('witnessValue', () => String) witnessValue: string,
    @Ctx() ctx: JointContext,
  ) {
    return toTask(await tasks(ctx).draw(ctx.identity, taskId, witnessValue));
  }

  @Mutation(() => TaskType, {
    description: 'Locks the drawn list: it never changes again, and the secret is revealed (R17).',
  })
  async jointLockTask(@Arg('taskId', () => ID) taskId: string, @Ctx() ctx: JointContext) {
    return toTask(await tasks(ctx).lock(ctx.identity, taskId));
  }

  @Mutation(() => TaskType, { description: 'Cancels a task with a reason; its draw stays on record.' })
  async jointCancelTask(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: JointContext,
  ) {
    return toTask(await tasks(ctx).cancel(ctx.identity, taskId, reason));
  }
}
