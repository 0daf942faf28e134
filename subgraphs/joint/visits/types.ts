import { pageType } from '../../../kernel/paging';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { InspectionMethod, ItemCategory } from '../../department-kernel/contract/enums';
import { DeliveryStatusEnum, VisitMeasureEnum } from '../enums';

@ObjectType('VisitChecklistEntry', {
  description: "One item of a visit's combined checklist (R22): whose, what, on what legal basis, how.",
})
export class VisitChecklistEntryType {
  @Field()
  department!: string;
  @Field({ description: "The item's code in the department's checklist." })
  code!: string;
  @Field({ deprecationReason: 'Use code.', description: 'The same as code.' })
  itemCode!: string;
  @Field(() => Int)
  version!: number;
  @Field()
  title!: string;
  @Field()
  basis!: string;
  @Field(() => InspectionMethod)
  method!: InspectionMethod;
  @Field(() => ItemCategory)
  category!: ItemCategory;
}

@ObjectType('Delivery', { description: "One department's share of a submission and its delivery (R24)." })
export class DeliveryType {
  @Field()
  department!: string;
  @Field(() => DeliveryStatusEnum, {
    description: 'PENDING (retried with backoff), DELIVERED, or REFUSED by the department (a person must look).',
  })
  status!: DeliveryStatusEnum;
  @Field(() => Int)
  attempts!: number;
  @Field(() => String, { nullable: true })
  lastError!: string | null;
  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
  @Field()
  nextAttemptAt!: Date;
}

@ObjectType('VisitSubmission', { description: "A visit's results as submitted, with each department's delivery." })
export class VisitSubmissionType {
  @Field(() => ID)
  id!: string;
  @Field()
  inspectedOn!: string;
  @Field()
  submittedAt!: Date;
  @Field()
  submittedBy!: string;
  @Field(() => [DeliveryType], { description: 'One per participating department.' })
  deliveries!: DeliveryType[];
  @Field(() => String, {
    nullable: true,
    description:
      "SHA-256 of the submission's canonical content (jointcheck-visit/1): what the joint record form's " +
      'signatures were made over (R29). Null for submissions made before it was kept.',
  })
  contentDigest!: string | null;
}

@InputType('VisitResultInput')
export class VisitResultInput {
  @Field()
  department!: string;
  @Field()
  itemCode!: string;
  @Field({ description: "An outcome of the department's dictionary." })
  outcome!: string;
  @Field(() => InspectionMethod)
  method!: InspectionMethod;
  @Field(() => String, { nullable: true })
  notes?: string | null;
  @Field(() => String, { nullable: true, description: 'Never published.' })
  confidentialNotes?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'References: `sha256:<hex>` of a file sent for this visit (POST /evidence), or a paper file number.',
  })
  evidence?: string[] | null;
  @Field(() => [VisitMeasureEnum], {
    nullable: true,
    description: "Measures taken on site; on the joint record form (not part of a department's share).",
  })
  measures?: VisitMeasureEnum[] | null;
  @Field({ defaultValue: false, description: 'A penalty under the general procedure follows (R27).' })
  penaltyUnderGeneralProcedure!: boolean;
  @Field({ defaultValue: false, description: 'A statutory check failed (R27).' })
  statutoryCheckFailed!: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'A department to hand a lead to: a problem found that is its to handle (R27).',
  })
  leadFor?: string | null;
  @Field(() => String, { nullable: true })
  leadNote?: string | null;
}

@InputType('VisitSubmissionInput', {
  description: "A visit's results in one submission: every item of its combined checklist (R22).",
})
export class VisitSubmissionInput {
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field({ description: 'The day the check ended (YYYY-MM-DD).' })
  inspectedOn!: string;
  @Field(() => [VisitResultInput])
  results!: VisitResultInput[];
  @Field(() => ID, {
    nullable: true,
    description:
      'Made on the phone once per submission (a UUID): the same submission sent again with it is answered, ' +
      'not stored twice; other results with it are refused (R24).',
  })
  idempotencyKey?: string | null;
}

@ObjectType('Lead', { description: 'A problem found on a visit for another department to handle (R27, 线索移交).' })
export class LeadType {
  @Field(() => ID)
  id!: string;
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field(() => String, { nullable: true })
  uscc!: string | null;
  @Field()
  fromDepartment!: string;
  @Field()
  toDepartment!: string;
  @Field()
  note!: string;
  @Field()
  createdAt!: Date;
}

export const LeadPage = pageType(
  'LeadPage',
  LeadType,
  'A page of the leads handed to a department (R27), oldest first.',
);
