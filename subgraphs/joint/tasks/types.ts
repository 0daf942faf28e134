import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { pageType } from '../../../kernel/paging';
import { StratumEnum, TaskStatusEnum } from '../enums';

/** The market entity a drawn target is, for the gateway to join market and department data. */
@Directive('@key(fields: "uscc", resolvable: false)')
@ObjectType('MarketEntity')
export class MarketEntityRef {
  @Field()
  uscc!: string;
}

@ObjectType('StratumCount', {
  description: 'How many targets a credit-risk stratum held and how many were drawn (R13).',
})
export class StratumCountType {
  @Field(() => StratumEnum)
  stratum!: StratumEnum;
  @Field(() => Int)
  eligible!: number;
  @Field(() => Int)
  ratioBasisPoints!: number;
  @Field(() => Int)
  drawn!: number;
}

@ObjectType('SnapshotExclusions', {
  description: 'Targets left out of the snapshot (R14), and the recorded reason to exceed the limit.',
})
export class SnapshotExclusionsType {
  @Field(() => Int)
  inspectedTwiceThisYear!: number;
  @Field(() => Int)
  recentlyInspected!: number;
  @Field(() => String, { nullable: true })
  overLimitReason!: string | null;
}

@ObjectType('DrawnTarget', {
  description: 'A drawn target of a task, with its batch and place in the drawn order (R15).',
})
export class DrawnTargetType {
  @Field({ description: "The lead department's roster id (the USCC for market entities)." })
  key!: string;
  @Field(() => String, { nullable: true })
  uscc!: string | null;
  @Field()
  regionCode!: string;
  @Field(() => Int)
  batch!: number;
  @Field(() => Int)
  position!: number;
  @Field(() => MarketEntityRef, {
    nullable: true,
    description: 'The market entity (registration data and every department view, through the gateway).',
  })
  entity!: MarketEntityRef | null;
}

/** A page of a task's drawn list, in the drawn order (H1 point 5). */
export const DrawnTargetPage = pageType(
  'DrawnTargetPage',
  DrawnTargetType,
  "A page of a task's drawn targets, in the drawn order of inspection (R15).",
);

@ObjectType('Task', { description: 'One execution of a plan: commitment, snapshot, draw, lock (R9, R16, R17).' })
export class TaskType {
  @Field(() => ID)
  id!: string;
  @Field({
    description:
      'Made in a training hub (培训/演练环境) or of a training plan: not a real task, and its draw not a real draw ' +
      '(its records say so too).',
  })
  training!: boolean;
  @Field({
    description: 'Its visits are not announced to the businesses: no notice is made for them (Zibo rules art. 17).',
  })
  unannounced!: boolean;
  @Field(() => ID)
  planId!: string;
  @Field(() => Int)
  planRevision!: number;
  @Field(() => Int)
  year!: number;
  @Field()
  leadDepartment!: string;
  @Field()
  name!: string;
  @Field(() => TaskStatusEnum, { description: 'COMMITTED, SNAPSHOT_TAKEN, DRAWN, LOCKED or CANCELLED.' })
  status!: TaskStatusEnum;
  @Field({ description: 'SHA-256 of the secret, published before the snapshot.' })
  commitment!: string;
  @Field()
  witnessSource!: string;
  @Field()
  witnessAvailableOn!: string;
  @Field(() => Int, { description: 'How many numbers the witness has; exactly these count toward the seed.' })
  witnessNumbers!: number;
  @Field(() => String, { nullable: true, description: 'The witness in canonical form: its numbers, sorted.' })
  witnessValue!: string | null;
  @Field(() => String, { nullable: true })
  snapshotHash!: string | null;
  @Field(() => Int, { nullable: true })
  snapshotSize!: number | null;
  @Field(() => Date, { nullable: true })
  snapshotTakenAt!: Date | null;
  @Field(() => SnapshotExclusionsType, { nullable: true })
  exclusions!: SnapshotExclusionsType | null;
  @Field(() => [StratumCountType], { description: 'One per credit-risk stratum (four at most).' })
  strata!: StratumCountType[];
  @Field(() => Date, { nullable: true })
  drawnAt!: Date | null;
  @Field(() => Date, { nullable: true })
  lockedAt!: Date | null;
  @Field(() => Date, { nullable: true })
  cancelledAt!: Date | null;
  @Field(() => String, { nullable: true })
  cancelReason!: string | null;
  @Field()
  createdAt!: Date;
}

@InputType('TaskInput', {
  description: 'A task of a published plan (R16), with the public witness entropy its draw will use.',
})
export class TaskInput {
  @Field(() => ID)
  planId!: string;
  @Field()
  name!: string;
  @Field({ description: 'A public source of randomness not known yet, e.g. 中国福利彩票双色球第2026137期开奖号码.' })
  witnessSource!: string;
  @Field({
    description: 'The China date (YYYY-MM-DD) the witness value is published: after today, and at most 366 days ahead.',
  })
  witnessAvailableOn!: string;
  @Field(() => Int, { description: 'How many numbers the witness has (e.g. 7 for a 双色球 result: 6 red and 1 blue).' })
  witnessNumbers!: number;
  @Field({
    defaultValue: false,
    description:
      'Its visits are not to be announced to the businesses: no notice (部门联合检查通知书) is made for them (Zibo ' +
      'rules art. 17).',
  })
  unannounced!: boolean;
}

export { GraphQLJSONObject };
