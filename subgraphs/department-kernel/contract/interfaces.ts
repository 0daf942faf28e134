import { Directive, Field, Float, GraphQLISODateTime, ID, InterfaceType, Int, ObjectType } from 'type-graphql';
import { CreditLevel, InspectionMethod, ItemCategory, ItemStatus, RiskLevel, TargetKind } from './enums';

/*
 * The shared interfaces of the department contract. Every department subgraph implements them
 * under its own type names (`TaxChecklistItem implements ChecklistItem`). They are declared
 * without auto-registration (STACK.md): in one process, type-graphql would otherwise emit every
 * department's implementation into every subgraph.
 */

/** A version of one checklist item (抽查事项), with everything R1 requires. */
@InterfaceType('ChecklistItem', {
  autoRegisterImplementations: false,
  description: 'A version of a checklist item (R1, R2, R5).',
})
export abstract class ChecklistItem {
  @Field({ description: 'Code of the department that owns the item.' })
  department!: string;

  @Field({ description: 'Stable item code within the department.' })
  code!: string;

  @Field(() => Int, { description: 'Version; a change makes a new one, old ones stay readable (R5).' })
  version!: number;

  @Field()
  title!: string;

  @Field({ description: 'What is checked (检查内容).' })
  content!: string;

  @Field({ description: 'Legal basis (抽查依据).' })
  basis!: string;

  @Field({ description: 'Inspecting body (检查主体).' })
  inspectingBody!: string;

  @Field(() => [TargetKind], { description: 'Which targets the item applies to (对象).' })
  targetKinds!: TargetKind[];

  @Field(() => InspectionMethod)
  method!: InspectionMethod;

  @Field(() => ItemCategory)
  category!: ItemCategory;

  @Field(() => Float, { nullable: true, description: 'Ratio cap in percent; null for KEY items (R2).' })
  ratioCapPercent!: number | null;

  @Field({ description: 'Frequency (抽查频次).' })
  frequency!: string;

  @Field({ description: 'Supervision domain an inspector must hold to check this item (R7).' })
  domain!: string;

  @Field(() => [String], { description: 'GB/T 4754 industry sections the item applies to; empty means all.' })
  industries!: string[];

  @Field(() => ItemStatus)
  status!: ItemStatus;

  @Field(() => GraphQLISODateTime)
  validFrom!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  validUntil!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why this version was made (the law change, 立改废释).' })
  changeReason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why this version was closed: superseded by the next version, or repealed.',
  })
  closeReason!: string | null;
}

/** An enforcement officer on a department's inspector roster (R7). */
@InterfaceType('Inspector', {
  autoRegisterImplementations: false,
  description: 'An inspector on a department roster (R7).',
})
export abstract class Inspector {
  @Field()
  department!: string;

  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Enforcement certificate number (执法证号).' })
  certificateNo!: string;

  @Field()
  unit!: string;

  @Field()
  position!: string;

  @Field(() => [String], { description: 'Supervision domains the inspector is qualified for (R7).' })
  domains!: string[];

  @Field(() => [String], { description: 'Enforcement permissions (执法权限).' })
  permissions!: string[];

  @Field(() => [String], { description: 'Region codes the inspector has jurisdiction over (R21).' })
  jurisdiction!: string[];

  @Field({ description: 'Holds a valid enforcement qualification.' })
  qualified!: boolean;

  @Field(() => String, { nullable: true, description: "Phone; shown to the inspector's own department only (R30)." })
  phone!: string | null;
}

/** An entry of a department's target roster (R6). */
@InterfaceType('RosterTarget', {
  autoRegisterImplementations: false,
  description: 'An entry of a department target roster (R6).',
})
export abstract class RosterTarget {
  @Field()
  department!: string;

  @Field(() => ID, {
    description:
      "The department's id of the target: the USCC for market entities, its own id for projects or products.",
  })
  id!: string;

  @Field(() => TargetKind)
  kind!: TargetKind;

  @Field(() => String, { nullable: true, description: 'USCC of the target, or of the entity responsible for it.' })
  uscc!: string | null;

  @Field()
  name!: string;

  @Field({ description: 'GB/T 2260 region code (6 digits).' })
  regionCode!: string;

  @Field({ description: 'GB/T 4754 industry code (section letter and division, e.g. C13).' })
  industryCode!: string;

  @Field(() => CreditLevel)
  creditLevel!: CreditLevel;

  @Field(() => RiskLevel)
  riskLevel!: RiskLevel;

  @Field(() => Int, { description: 'Administrative penalties in the last 3 years (R13).' })
  penaltiesLast3Years!: number;

  @Field(() => Int, { description: 'Verified complaints (R13).' })
  verifiedComplaints!: number;
}

/** A department's view of a market entity: `MarketEntity.<code>`. */
@InterfaceType('DepartmentView', {
  autoRegisterImplementations: false,
  description: "A department's view of a target (the department contract).",
})
export abstract class DepartmentView {
  @Field()
  department!: string;

  @Field()
  uscc!: string;

  @Field({ description: "Whether the target is on this department's roster." })
  onRoster!: boolean;

  @Field(() => CreditLevel, { nullable: true })
  creditLevel!: CreditLevel | null;

  @Field(() => RiskLevel, { nullable: true })
  riskLevel!: RiskLevel | null;

  @Field(() => Int)
  penaltiesLast3Years!: number;

  @Field(() => Int)
  verifiedComplaints!: number;

  @Field(() => [ChecklistItem], { description: "The department's items in force that apply to this target." })
  applicableItems?: ChecklistItem[];
}

/** The columns of `RosterRows.tsv`, in order. */
export const ROSTER_ROW_COLUMNS = [
  'id',
  'kind',
  'uscc',
  'regionCode',
  'industryCode',
  'creditLevel',
  'riskLevel',
  'penaltiesLast3Years',
  'verifiedComplaints',
] as const;

/**
 * A page of a roster in a compact form for bulk reads (draw snapshots of a million targets):
 * one line per target, tab-separated columns in the order `columns` gives, in id order. Every
 * value is a code or a number (no names), so no escaping is needed; an empty uscc is empty.
 *
 * It keeps `endCursor`/`hasMore` rather than the `pageInfo`/`totalCount` of kernel/paging.ts: it
 * is one shareable type served by every department, and a field added to it stops the hub from
 * composing while any department registered under the previous contract serves it without that
 * field (Federation cannot resolve `RosterRows.pageInfo` from that department: no key to move on).
 */
@Directive('@shareable')
@ObjectType('RosterRows', { description: 'A page of a roster as tab-separated lines, for bulk reads (R9).' })
export class RosterRows {
  @Field(() => [String], { description: 'Column names of each line, in order.' })
  columns!: string[];

  @Field({ description: 'One line per target, columns separated by tabs, lines ending in a newline.' })
  tsv!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;

  @Field()
  hasMore!: boolean;
}

/** What a department answers for each result written back: its record, new or already there. */
@Directive('@shareable')
@ObjectType('ResultReceipt', { description: 'The receipt of one written-back result (R24).' })
export class ResultReceipt {
  @Field()
  idempotencyKey!: string;

  @Field(() => ID)
  resultId!: string;

  @Field({ description: 'False when the key was known already: a retry, nothing new was written.' })
  created!: boolean;
}
