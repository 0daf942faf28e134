import { GraphQLJSONObject } from 'graphql-scalars';
import type { TeamMemberKindEnum, TeamMemberOriginEnum, TeamSeatStatusEnum } from '../enums';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { assertAuditReader, assertTaskStaff } from '../access';
import type { JointContext } from '../context';
import type { TeamMemberRow } from './entities';
import { TaskService } from '../tasks/task-service';
import { toTask } from '../tasks/task-resolvers';
import { TaskType } from '../tasks/types';
import { TeamService } from './team-service';
import {
  ConflictInput,
  EntrustmentInput,
  FillVacancyInput,
  InspectorDrawType,
  ReplaceInspectorInput,
  ReplacementReasonEnum,
  TeamMemberType,
} from './types';

/** A team member as its GraphQL shape (R18, R20). */
export const toMember = (m: TeamMemberRow): TeamMemberType => ({
  ...m,
  kind: m.kind as TeamMemberKindEnum,
  origin: m.origin as TeamMemberOriginEnum,
  status: m.status as TeamSeatStatusEnum,
  replacementReason: m.replacementReason as ReplacementReasonEnum | null,
});

@Resolver(() => TaskType)
export class TeamResolver {
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
    return new TeamService(ctx.joint).draws(task.id);
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
