import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { InspectionMethod, ItemCategory, TargetKind } from '../../department-kernel/contract/enums';
import { pageType } from '../../../kernel/paging';
import { PlanKindEnum, PlanStatusEnum } from '../enums';

export enum ClassCombinationEnum {
  WORST = 'WORST',
  LEAD = 'LEAD',
}
registerEnumType(ClassCombinationEnum, {
  name: 'ClassCombination',
  description:
    "How a target's credit-risk stratum combines the participating departments' views (R13): the worst of " +
    "them, or the lead department's only.",
});

@ObjectType('PlanItem', {
  description: "A checklist item of a plan, as it stood on its department's checklist when the plan was made (R3).",
})
export class PlanItemType {
  @Field()
  department!: string;
  @Field()
  code!: string;
  @Field(() => Int)
  version!: number;
  @Field()
  title!: string;
  @Field()
  basis!: string;
  @Field(() => ItemCategory)
  category!: ItemCategory;
  @Field(() => Float, { nullable: true })
  ratioCapPercent!: number | null;
  @Field()
  domain!: string;
}

@ObjectType('PlanScope', {
  description: 'Which targets a plan draws from: kinds, regions (or their prefixes), industries (or their sections).',
})
export class PlanScopeType {
  @Field(() => [TargetKind])
  targetKinds!: TargetKind[];
  @Field(() => [String])
  regions!: string[];
  @Field(() => [String])
  industries!: string[];
}

@ObjectType('StratumRatios', { description: 'Draw ratios per credit-risk stratum, in percent (R13).' })
export class StratumRatiosType {
  @Field(() => Float)
  high!: number;
  @Field(() => Float)
  elevated!: number;
  @Field(() => Float)
  general!: number;
  @Field(() => Float)
  low!: number;
}

@ObjectType('PlanRevision', {
  description:
    'A revision of a plan: every change is kept, with its time and author, and must be published within 5 ' +
    'working days (R11).',
})
export class PlanRevisionType {
  @Field(() => Int)
  revision!: number;
  @Field(() => String, { nullable: true })
  note!: string | null;
  @Field()
  changedAt!: Date;
  @Field()
  changedBy!: string;
  @Field({ description: 'The last day to publish this revision (China date): 5 working days after it was made (R11).' })
  publishBy!: string;
  @Field({
    description:
      'publishBy was counted through a year whose State Council holiday notice is not loaded yet (weekends ' +
      'and statutory holidays alone); final once it is.',
  })
  publishByProvisional!: boolean;
  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;
}

@ObjectType('Plan', {
  description: 'An annual inspection plan (R10): one department (部门内部抽查) or several (联合抽查).',
})
export class PlanType {
  @Field(() => ID)
  id!: string;
  @Field(() => Int)
  year!: number;
  @Field()
  name!: string;
  @Field()
  leadDepartment!: string;
  @Field(() => [String], { description: 'Participating departments, the lead included.' })
  departments!: string[];
  @Field(() => PlanKindEnum, { description: 'JOINT when several departments take part, INTERNAL for one.' })
  kind!: PlanKindEnum;
  @Field(() => [PlanItemType], {
    description:
      "The checklist items the plan covers (R3). Not paged: bounded by the participating departments' checklists.",
  })
  items!: PlanItemType[];
  @Field(() => PlanScopeType)
  scope!: PlanScopeType;
  @Field(() => [InspectionMethod])
  methods!: InspectionMethod[];
  @Field()
  windowStart!: string;
  @Field()
  windowEnd!: string;
  @Field(() => StratumRatiosType)
  ratios!: StratumRatiosType;
  @Field(() => ClassCombinationEnum)
  classCombination!: ClassCombinationEnum;
  @Field(() => Int)
  excludeInspectedWithinDays!: number;
  @Field(() => Int)
  batchSize!: number;
  @Field(() => Int)
  inspectorsPerDepartment!: number;
  @Field(() => Int)
  expertsPerVisit!: number;
  @Field(() => Int, {
    description: 'The revision shown: the latest for hub staff, the latest published for the public.',
  })
  revision!: number;
  @Field(() => PlanStatusEnum, { description: 'PUBLISHED when the revision shown is published, DRAFT otherwise.' })
  status!: PlanStatusEnum;
  @Field(() => Int, { nullable: true })
  publishedRevision!: number | null;
  @Field({ description: 'Made in a training hub (培训/演练环境): not a real plan; its tasks are training too.' })
  training!: boolean;
}

@InputType('PlanItemInput')
export class PlanItemInput {
  @Field()
  department!: string;
  @Field()
  code!: string;
  @Field(() => Int)
  version!: number;
}

@InputType('PlanScopeInput')
export class PlanScopeInput {
  @Field(() => [TargetKind])
  targetKinds!: TargetKind[];
  @Field(() => [String], { defaultValue: [] })
  regions!: string[];
  @Field(() => [String], { defaultValue: [] })
  industries!: string[];
}

@InputType('StratumRatiosInput', {
  description: 'Percent per stratum; defaults follow published local practice: 30, 10, 2, 1.',
})
export class StratumRatiosInput {
  @Field(() => Float, { defaultValue: 30 })
  high!: number;
  @Field(() => Float, { defaultValue: 10 })
  elevated!: number;
  @Field(() => Float, { defaultValue: 2 })
  general!: number;
  @Field(() => Float, { defaultValue: 1 })
  low!: number;
}

@InputType('PlanInput', { description: "An annual plan (R10). The lead department is the caller's." })
export class PlanInput {
  @Field()
  name!: string;
  @Field(() => Int)
  year!: number;
  @Field(() => [String], {
    description: 'Other participating departments; empty for a plan of the lead department alone.',
    defaultValue: [],
  })
  partners!: string[];
  @Field(() => [PlanItemInput])
  items!: PlanItemInput[];
  @Field(() => PlanScopeInput)
  scope!: PlanScopeInput;
  @Field(() => [InspectionMethod])
  methods!: InspectionMethod[];
  @Field({ description: 'First day (YYYY-MM-DD), in the plan year.' })
  windowStart!: string;
  @Field({ description: 'Last day (YYYY-MM-DD), in the plan year.' })
  windowEnd!: string;
  @Field(() => StratumRatiosInput, { nullable: true })
  ratios?: StratumRatiosInput | null;
  @Field(() => ClassCombinationEnum, { defaultValue: ClassCombinationEnum.WORST })
  classCombination!: ClassCombinationEnum;
  @Field(() => Int, {
    defaultValue: 0,
    description: 'Leave out targets drawn by a locked task within this many days (e.g. 1095: three years).',
  })
  excludeInspectedWithinDays!: number;
  @Field(() => Int, { defaultValue: 50 })
  batchSize!: number;
  @Field(() => Int, { defaultValue: 1 })
  inspectorsPerDepartment!: number;
  @Field(() => Int, { defaultValue: 0 })
  expertsPerVisit!: number;
}

@ObjectType('UncoveredItem', {
  description: 'A checklist item in force that no published plan of the year covers (R4).',
})
export class UncoveredItemType {
  @Field()
  department!: string;
  @Field()
  code!: string;
  @Field(() => Int)
  version!: number;
  @Field()
  title!: string;
}

@ObjectType('OverdueRevision', { description: 'A plan revision not published within 5 working days (R11).' })
export class OverdueRevisionType {
  @Field(() => ID)
  planId!: string;
  @Field()
  planName!: string;
  @Field()
  leadDepartment!: string;
  @Field(() => Int)
  revision!: number;
  @Field()
  changedAt!: Date;
  @Field()
  publishBy!: string;
  @Field({
    description:
      'publishBy was counted through a year whose State Council holiday notice is not loaded yet (weekends ' +
      'and statutory holidays alone); final once it is.',
  })
  publishByProvisional!: boolean;
}

/** A page of a year's plans (H1 point 5). */
export const PlanPage = pageType('PlanPage', PlanType, 'A page of annual plans (R10), oldest first.');

/** A page of overdue plan revisions (H1 point 5). */
export const OverdueRevisionPage = pageType(
  'OverdueRevisionPage',
  OverdueRevisionType,
  'A page of plan revisions not published within 5 working days (R11), oldest change first.',
);
