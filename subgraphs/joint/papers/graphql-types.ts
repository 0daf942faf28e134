import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { BusinessAcknowledgementEnum } from '../enums';

@ObjectType('RecordForm', {
  description:
    "A joint record form (部门联合抽查情况记录表（汇总表）) the hub made of a visit's submitted results and the signatures " +
    'drawn on site (issue J).',
})
export class RecordFormType {
  @Field(() => ID)
  id!: string;
  @Field(() => Int, { description: '1, 2 ...: a later version supersedes the one before.' })
  version!: number;
  @Field({ description: 'Whether it is the latest version of the visit.' })
  current!: boolean;
  @Field({
    description: 'SHA-256 of the submitted results the signatures were made over (VisitSubmission.contentDigest).',
  })
  contentDigest!: string;
  @Field({
    description: 'SHA-256 of the PDF, as written in the audit trail (R29): the paper and the record can be compared.',
  })
  pdfSha256!: string;
  @Field({
    description:
      "Where the PDF is read: GET this path at the gateway with the token (the visit's team and the " +
      'departments taking part; never public).',
  })
  documentPath!: string;
  @Field(() => BusinessAcknowledgementEnum)
  acknowledgement!: BusinessAcknowledgementEnum;
  @Field(() => String, { nullable: true })
  businessSigner!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The inspectors' note when the business refused to sign or stamp.",
  })
  refusalNote!: string | null;
  @Field()
  madeAt!: Date;
  @Field()
  madeBy!: string;
}

@ObjectType('VisitNotice', {
  description:
    "A notice of a joint inspection (部门联合检查通知书) made for a visit by the lead's coordinator (issue J).",
})
export class VisitNoticeType {
  @Field(() => ID)
  id!: string;
  @Field({ description: 'The day of the visit the notice announces.' })
  visitOn!: string;
  @Field(() => String, { nullable: true })
  contact!: string | null;
  @Field(() => String, { nullable: true })
  requirements!: string | null;
  @Field({ description: 'SHA-256 of the PDF (in the audit trail, R29).' })
  pdfSha256!: string;
  @Field({ description: 'Where the PDF is read (GET at the gateway with the token; never public).' })
  documentPath!: string;
  @Field()
  issuedAt!: Date;
  @Field()
  issuedBy!: string;
}

@InputType('TeamSignatureInput')
export class TeamSignatureInput {
  @Field({ description: 'The team member (Visit.team personId).' })
  personId!: string;
  @Field()
  department!: string;
  @Field({ description: 'sha256:<hex> of their signature, sent for the visit as SIGNATURE evidence.' })
  signature!: string;
}

@InputType('RecordFormInput', {
  description: 'What the business and the team signed on the phone: the hub makes the joint record form of it.',
})
export class RecordFormInput {
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field({
    description:
      "The submission's content digest as the phone showed it when they signed: refused when the submitted " +
      'results differ (R29).',
  })
  contentDigest!: string;
  @Field(() => BusinessAcknowledgementEnum)
  acknowledgement!: BusinessAcknowledgementEnum;
  @Field(() => String, { nullable: true, description: 'SIGNED: the name of who signed for the business.' })
  businessSignerName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "SIGNED: sha256:<hex> of the business's signature (SIGNATURE evidence of the visit).",
  })
  businessSignature?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "REFUSED: the inspectors' note of the refusal (they sign it with their signatures).",
  })
  refusalNote?: string | null;
  @Field(() => [TeamSignatureInput], { description: 'Every active member of the team, once.' })
  teamSignatures!: TeamSignatureInput[];
}

@InputType('NoticeInput', { description: 'The notice of a visit: its day, who to call, what to prepare.' })
export class NoticeInput {
  @Field(() => ID)
  taskId!: string;
  @Field()
  targetKey!: string;
  @Field({ description: "The day of the visit (YYYY-MM-DD), from today within the plan's window." })
  visitOn!: string;
  @Field(() => String, { nullable: true, description: 'Who to call: a name and a telephone number.' })
  contact?: string | null;
  @Field(() => String, { nullable: true, description: 'What the business is to prepare (配合检查的相关要求).' })
  requirements?: string | null;
}
