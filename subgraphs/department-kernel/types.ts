import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { OutcomeStatus, ResultStatus } from './contract/enums';
import { ChecklistItem, DepartmentView, Inspector, RosterTarget } from './contract/interfaces';
import { pageFieldsWithCursorFields, pageType, type PageWithCursorFields } from '../../kernel/paging';

/** `tax` → `Tax`, `environment` → `Environment`: the prefix of a department's type names. */
export function pascal(code: string): string {
  return code[0]!.toUpperCase() + code.slice(1);
}

export type Ctor<T = object> = new (...args: never[]) => T;

/**
 * A roster page type: `nodes`, `pageInfo` and `totalCount` as every page of the hub has
 * (kernel/paging.ts), plus the previous contract's `endCursor` and `hasMore`, deprecated.
 */
function rosterPageType<T>(name: string, node: Ctor<T>, description: string): Ctor<PageWithCursorFields<T>> {
  @ObjectType(name, { description })
  class RosterPageType extends pageFieldsWithCursorFields(node) {}
  return RosterPageType as unknown as Ctor<PageWithCursorFields<T>>;
}

/** The GraphQL object types of one department, named after its code. */
export interface DepartmentTypes {
  ChecklistItem: Ctor<ChecklistItem>;
  Inspector: Ctor<Inspector>;
  Expert: Ctor;
  Target: Ctor<RosterTarget>;
  TargetPage: Ctor;
  InspectorPage: Ctor;
  ExpertPage: Ctor;
  ResultPage: Ctor;
  View: Ctor<DepartmentView>;
  Query: Ctor;
  Result: Ctor;
  Outcome: Ctor;
  /** The `MarketEntity` this department adds its view to (a key-only stub, or market's own type). */
  MarketEntity: Ctor<{ uscc: string }>;
}

/** The key-only `MarketEntity` a department subgraph extends with its view (Federation 2: same name and key). */
export function marketEntityStub(): Ctor<{ uscc: string }> {
  @Directive('@key(fields: "uscc")')
  @ObjectType('MarketEntity')
  class MarketEntityRef {
    @Field()
    uscc!: string;
  }
  return MarketEntityRef;
}

/**
 * Creates the contract types of a department (DESIGN.md "The department contract"): its
 * checklist item, inspector, expert, roster target, view and query namespace, each implementing
 * the shared interfaces under the department's own names.
 */
export function createDepartmentTypes(code: string, marketEntity: Ctor<{ uscc: string }>): DepartmentTypes {
  const p = pascal(code);

  @ObjectType(`${p}ChecklistItem`, { implements: ChecklistItem, description: `A version of a ${code} checklist item.` })
  class DeptChecklistItem extends ChecklistItem {}

  @ObjectType(`${p}Inspector`, { implements: Inspector })
  class DeptInspector extends Inspector {}

  @ObjectType(`${p}Expert`, { description: `An expert on the ${code} expert roster (R8).` })
  class DeptExpert {
    @Field()
    department!: string;
    @Field()
    id!: string;
    @Field()
    name!: string;
    @Field()
    organisation!: string;
    @Field()
    title!: string;
    @Field(() => [String])
    expertise!: string[];
    @Field(() => String, { nullable: true })
    phone!: string | null;
  }

  @ObjectType(`${p}Target`, { implements: RosterTarget })
  class DeptTarget extends RosterTarget {}

  const DeptTargetPage = rosterPageType(`${p}TargetPage`, DeptTarget, `A page of the ${code} target roster (R6).`);
  const DeptInspectorPage = rosterPageType(
    `${p}InspectorPage`,
    DeptInspector,
    `A page of the ${code} inspector roster (R7).`,
  );
  const DeptExpertPage = rosterPageType(`${p}ExpertPage`, DeptExpert, `A page of the ${code} expert roster (R8).`);

  @ObjectType(`${p}View`, { implements: DepartmentView, description: `The ${code} view of a market entity.` })
  class DeptView extends DepartmentView {}

  @ObjectType(`${p}Result`, {
    description: `A ${code} result: one item checked on one visit, the department's own record (R24).`,
  })
  class DeptResult {
    @Field(() => ID)
    id!: string;
    @Field()
    department!: string;
    @Field({ description: 'The key the write-back used (its retries carry the same).' })
    idempotencyKey!: string;
    @Field(() => ID)
    taskId!: string;
    @Field()
    targetKey!: string;
    @Field(() => String, { nullable: true })
    uscc!: string | null;
    @Field()
    itemCode!: string;
    @Field(() => Int)
    itemVersion!: number;
    @Field()
    outcome!: string;
    @Field()
    method!: string;
    @Field(() => String, { nullable: true })
    notes!: string | null;
    @Field(() => String, {
      nullable: true,
      description: "Shown to the department's own staff and hub roles only; never published (R25).",
    })
    confidentialNotes!: string | null;
    @Field(() => [String])
    evidence!: string[];
    @Field(() => [String], { description: 'Certificate numbers of the inspectors who checked.' })
    inspectors!: string[];
    @Field({ description: 'The day the check ended: the result is formed (R25).' })
    inspectedOn!: string;
    @Field({ description: 'A dishonesty (失信) record once published (R27).' })
    dishonesty!: boolean;
    @Field(() => ResultStatus, { description: 'RECORDED, APPROVED or PUBLISHED (R25).' })
    status!: ResultStatus;
    @Field()
    recordedAt!: Date;
    @Field(() => Date, { nullable: true })
    approvedAt!: Date | null;
    @Field(() => Date, { nullable: true })
    publishedAt!: Date | null;
    @Field(() => ID, { nullable: true, description: 'The published result this one corrects (R28).' })
    correctsId!: string | null;
    @Field(() => String, { nullable: true })
    correctionReason!: string | null;
  }

  @ObjectType(`${p}Outcome`, { description: `An outcome of the ${code} result dictionary (versioned).` })
  class DeptOutcome {
    @Field()
    code!: string;
    @Field(() => Int)
    version!: number;
    @Field()
    label!: string;
    @Field({ description: 'Becomes a dishonesty record on the target (R27).' })
    dishonesty!: boolean;
    @Field(() => OutcomeStatus, {
      description: 'CURRENT, or SUPERSEDED by a newer version (results recorded with it keep its meaning).',
    })
    status!: OutcomeStatus;
  }

  const DeptResultPage = pageType(`${p}ResultPage`, DeptResult, `A page of ${code} results, in id order.`);

  @ObjectType(`${p}Query`, { description: `The ${code} department: its rosters and checklist.` })
  class DeptQuery {
    @Field(() => Int, { description: 'Always 1: the namespace itself carries no data.' })
    contractVersion!: number;
  }

  return {
    ChecklistItem: DeptChecklistItem,
    Inspector: DeptInspector,
    Expert: DeptExpert,
    Target: DeptTarget,
    TargetPage: DeptTargetPage,
    InspectorPage: DeptInspectorPage,
    ExpertPage: DeptExpertPage,
    ResultPage: DeptResultPage,
    Result: DeptResult,
    Outcome: DeptOutcome,
    View: DeptView,
    Query: DeptQuery,
    MarketEntity: marketEntity,
  };
}
