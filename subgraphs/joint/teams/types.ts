import { RecordFormType, VisitNoticeType } from '../papers/graphql-types';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditLevel, RiskLevel, TargetKind } from '../../department-kernel/contract/enums';
import { pageType } from '../../../kernel/paging';
import { TeamMemberKindEnum, TeamMemberOriginEnum, TeamSeatStatusEnum, VisitFeedbackKindEnum } from '../enums';
import { MarketEntityRef } from '../tasks/types';
import { VisitChecklistEntryType, VisitSubmissionType } from '../visits/types';

export enum ReplacementReasonEnum {
  JOB_CHANGE = 'JOB_CHANGE',
  WORK_CONFLICT = 'WORK_CONFLICT',
  HEALTH = 'HEALTH',
  RECUSAL = 'RECUSAL',
}
registerEnumType(ReplacementReasonEnum, {
  name: 'ReplacementReason',
  description: 'Why a drawn inspector is replaced (R20): 岗位调整, 工作冲突, 健康状况, 执法回避.',
});

@ObjectType('TeamMember', {
  description: "A member of a visit's team: an inspector or expert, drawn or a replacement (R18, R20).",
})
export class TeamMemberType {
  @Field()
  department!: string;
  @Field(() => TeamMemberKindEnum, { description: 'INSPECTOR or EXPERT.' })
  kind!: TeamMemberKindEnum;
  @Field()
  personId!: string;
  @Field()
  name!: string;
  @Field(() => String, { nullable: true, description: 'Enforcement certificate number (执法证号).' })
  certificateNo!: string | null;
  @Field({ description: "The lead department's inspector who leads the team (组长, R18)." })
  leader!: boolean;
  @Field(() => TeamMemberOriginEnum, {
    description: 'DRAWN by the lottery, REPLACEMENT (R20) or ASSIGNED to a vacant seat, both chosen without one.',
  })
  origin!: TeamMemberOriginEnum;
  @Field(() => TeamSeatStatusEnum, { description: 'ACTIVE, or REPLACED (kept on record).' })
  status!: TeamSeatStatusEnum;
  @Field(() => ReplacementReasonEnum, { nullable: true })
  replacementReason!: ReplacementReasonEnum | null;
  @Field(() => String, { nullable: true })
  approvedBy!: string | null;
}

@ObjectType('Visit', { description: 'One target of a locked task with its team: enter once, check many (R22).' })
export class VisitType {
  @Field()
  key!: string;
  @Field(() => String, { nullable: true })
  uscc!: string | null;
  @Field()
  regionCode!: string;
  @Field(() => TargetKind)
  kind!: TargetKind;
  @Field()
  industryCode!: string;
  @Field(() => Int)
  batch!: number;
  @Field(() => Int)
  position!: number;
  @Field(() => MarketEntityRef, { nullable: true })
  entity!: MarketEntityRef | null;
  @Field(() => [TeamMemberType], {
    description:
      "Everyone drawn or chosen, active and replaced. Not paged: a visit's seats (inspectors per " +
      'participating department, experts) and their few replacements.',
  })
  team!: TeamMemberType[];
  @Field(() => [String], {
    description:
      'What keeps the team from being complete (R18): empty when it is. At most one problem per ' +
      'participating department, or two for the whole team.',
  })
  teamProblems!: string[];
  @Field(() => [VisitChecklistEntryType], {
    description:
      "The combined checklist: every participating department's items that apply to this target (R22). Not " +
      "paged: bounded by the plan's items.",
  })
  checklist!: VisitChecklistEntryType[];
  @Field(() => VisitSubmissionType, {
    nullable: true,
    description: 'The submitted results and their delivery, once submitted.',
  })
  submission!: VisitSubmissionType | null;
  @Field(() => String, { nullable: true, description: 'The inspection code (检查码), once issued (R32).' })
  inspectionCode!: string | null;
  @Field(() => [RecordFormType], {
    description:
      'The joint record forms made of the visit (issue J), oldest version first; the last is current. Not ' +
      'paged: a version per signing.',
  })
  recordForms!: RecordFormType[];
  @Field(() => [VisitNoticeType], {
    description: 'The notices made for the visit (issue J), oldest first. Not paged: one per announced day.',
  })
  notices!: VisitNoticeType[];
  @Field(() => [VisitFeedbackType], {
    description:
      "The business's ratings and complaints (the lead's coordinators, hub admins, auditors). Not paged: " +
      'what one business left about one visit.',
  })
  feedback!: VisitFeedbackType[];
}

/** A page of a task's visits, in the drawn order (H1 point 5). */
export const VisitPage = pageType(
  'VisitPage',
  VisitType,
  "A page of a task's visits in the drawn order, with their teams (R22).",
);

@ObjectType('VisitTargetView', {
  description:
    "A participating department's view of a visit's target, for the visit's team (R30: a task's team for its visits).",
})
export class VisitTargetViewType {
  @Field({ description: 'The visit (target key).' })
  key!: string;
  @Field()
  department!: string;
  @Field()
  onRoster!: boolean;
  @Field(() => CreditLevel, { nullable: true })
  creditLevel!: CreditLevel | null;
  @Field(() => RiskLevel, { nullable: true })
  riskLevel!: RiskLevel | null;
  @Field(() => Int)
  penaltiesLast3Years!: number;
  @Field(() => Int)
  verifiedComplaints!: number;
}

@ObjectType('VisitFeedback', {
  description: 'A rating or a complaint a business left against the inspection code of a visit (R32).',
})
export class VisitFeedbackType {
  @Field(() => VisitFeedbackKindEnum)
  kind!: VisitFeedbackKindEnum;
  @Field(() => Int, { nullable: true })
  rating!: number | null;
  @Field()
  text!: string;
  @Field()
  leftAt!: Date;
}

@ObjectType('InspectorDraw', {
  description: "A department's inspector draw for a task (R18), re-playable from its record.",
})
export class InspectorDrawType {
  @Field()
  department!: string;
  @Field()
  seed!: string;
  @Field()
  inputHash!: string;
  @Field()
  drawnAt!: Date;
  @Field()
  drawnBy!: string;
}

@InputType('ReplaceInspectorInput')
export class ReplaceInspectorInput {
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field()
  department!: string;
  @Field({ description: 'The drawn inspector to replace.' })
  personId!: string;
  @Field(() => ReplacementReasonEnum)
  reason!: ReplacementReasonEnum;
  @Field({ description: 'Any eligible inspector of the department, chosen without a lottery (R20).' })
  replacementId!: string;
  @Field()
  note!: string;
}

@InputType('EntrustmentInput', {
  description: 'R21: the higher-level department entrusts an inspector to act where they lack jurisdiction.',
})
export class EntrustmentInput {
  @Field(() => ID)
  taskId!: string;
  @Field()
  department!: string;
  @Field()
  inspectorId!: string;
  @Field(() => [String])
  regions!: string[];
  @Field()
  entrustedByUnit!: string;
  @Field()
  reason!: string;
}

@InputType('ConflictInput', { description: 'R19: a conflict of interest between an inspector or expert and a target.' })
export class ConflictInput {
  @Field()
  department!: string;
  @Field()
  personId!: string;
  @Field()
  targetKey!: string;
  @Field()
  reason!: string;
}

@InputType('FillVacancyInput')
export class FillVacancyInput {
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field()
  department!: string;
  @Field()
  inspectorId!: string;
  @Field()
  note!: string;
}
