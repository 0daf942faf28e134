import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { CreditLevel, InspectionMethod, ItemCategory, RiskLevel, TargetKind } from './enums';

/**
 * The longest text of each checklist item field, in characters (R1), set by what provinces
 * publish, with room: a province's published checklist has titles of 1,300 characters and a
 * domain of 68; a legal basis citing several laws article by article, a content listing every
 * point checked, a frequency set per credit class, an inspecting body naming several units run
 * long too. The columns hold them on SQLite and MySQL (migration ChecklistLongTexts); each input
 * field's description and README ("Input caps") state them; a longer text is BAD_USER_INPUT
 * naming the field and its cap.
 */
export const CHECKLIST_TEXT_CAPS = {
  title: 2_000,
  content: 10_000,
  basis: 10_000,
  inspectingBody: 500,
  frequency: 1_000,
  domain: 100,
} as const;

const capped = (what: string, field: keyof typeof CHECKLIST_TEXT_CAPS) =>
  `${what}; at most ${CHECKLIST_TEXT_CAPS[field].toLocaleString('en-US')} characters.`;

/** A new checklist item, or the content of a new version of one (R1, R2, R5). */
@InputType('ChecklistItemInput')
export class ChecklistItemInput {
  @Field({ description: capped('The item (抽查事项)', 'title') })
  title!: string;

  @Field({ description: capped('What is checked (检查内容)', 'content') })
  content!: string;

  @Field({ description: capped('Legal basis (抽查依据): the laws and articles', 'basis') })
  basis!: string;

  @Field({ description: capped('Inspecting body (检查主体)', 'inspectingBody') })
  inspectingBody!: string;

  @Field(() => [TargetKind])
  targetKinds!: TargetKind[];

  @Field(() => InspectionMethod)
  method!: InspectionMethod;

  @Field(() => ItemCategory)
  category!: ItemCategory;

  @Field(() => Float, {
    nullable: true,
    description: 'Required for GENERAL items, below 100; must be empty for KEY items (R2).',
  })
  ratioCapPercent?: number | null;

  @Field({ description: capped('Frequency (抽查频次)', 'frequency') })
  frequency!: string;

  @Field({ description: capped('Supervision domain an inspector must hold to check the item (R7)', 'domain') })
  domain!: string;

  @Field(() => [String], { nullable: true })
  industries?: string[] | null;
}

/** One roster entry for bulk import (R6); an existing id is updated. */
@InputType('RosterTargetInput')
export class RosterTargetInput {
  @Field({ nullable: true, description: 'Own id for targets that are not market entities; defaults to the USCC.' })
  id?: string;

  @Field(() => TargetKind)
  kind!: TargetKind;

  @Field(() => String, { nullable: true })
  uscc?: string | null;

  @Field()
  name!: string;

  @Field()
  regionCode!: string;

  @Field()
  industryCode!: string;

  @Field(() => CreditLevel)
  creditLevel!: CreditLevel;

  @Field(() => RiskLevel)
  riskLevel!: RiskLevel;

  @Field(() => Int, { defaultValue: 0 })
  penaltiesLast3Years!: number;

  @Field(() => Int, { defaultValue: 0 })
  verifiedComplaints!: number;
}

/** Filters of a roster query; every list is paged. */
@InputType('RosterFilter')
export class RosterFilter {
  @Field(() => [TargetKind], { nullable: true })
  kinds?: TargetKind[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Region codes or their prefixes (3101 covers every district of Shanghai).',
  })
  regions?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Industry codes or section letters (C, or C13).' })
  industries?: string[] | null;
}

/**
 * One item's result of one visit, written back by the joint service to the department that owns
 * the item (R24). The idempotency key makes a retried delivery harmless.
 */
@InputType('ResultInput')
export class ResultInput {
  @Field({ description: 'Unique per result and stable across retries (e.g. submission id + department + item).' })
  idempotencyKey!: string;

  @Field(() => ID)
  taskId!: string;

  @Field({ description: "The target's key (its USCC for market entities, its own id otherwise)." })
  targetKey!: string;

  @Field(() => String, { nullable: true })
  uscc?: string | null;

  @Field()
  itemCode!: string;

  @Field(() => Int)
  itemVersion!: number;

  @Field({ description: "An outcome code of the department's dictionary (NO_PROBLEM, UNREACHABLE, ...)." })
  outcome!: string;

  @Field(() => InspectionMethod, { description: 'The method used (R23).' })
  method!: InspectionMethod;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => String, { nullable: true, description: 'Never published (R25).' })
  confidentialNotes?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'References to evidence (file ids, photo ids).' })
  evidence!: string[];

  @Field(() => [String], { description: 'Certificate numbers of the inspectors who checked.' })
  inspectors!: string[];

  @Field({ description: 'The day the check ended (YYYY-MM-DD): the result is formed (R25).' })
  inspectedOn!: string;

  @Field({
    defaultValue: false,
    description: 'A penalty under the general procedure followed (R27: a dishonesty record).',
  })
  penaltyUnderGeneralProcedure!: boolean;

  @Field({ defaultValue: false, description: 'A statutory check failed (R27: a dishonesty record).' })
  statutoryCheckFailed!: boolean;
}
