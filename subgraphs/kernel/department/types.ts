import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { ChecklistItem, DepartmentView, Inspector, RosterTarget } from '../contract/interfaces';

/** `tax` → `Tax`, `environment` → `Environment`: the prefix of a department's type names. */
export function pascal(code: string): string {
  return code[0]!.toUpperCase() + code.slice(1);
}

export type Ctor<T = object> = new (...args: never[]) => T;

/** A page of a roster list; `totalCount` is computed only when asked for. */
export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasMore: boolean;
  count: () => Promise<number>;
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

  @ObjectType(`${p}TargetPage`)
  class DeptTargetPage {
    @Field(() => [DeptTarget])
    nodes!: DeptTarget[];
    @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
    endCursor!: string | null;
    @Field()
    hasMore!: boolean;
  }

  @ObjectType(`${p}InspectorPage`)
  class DeptInspectorPage {
    @Field(() => [DeptInspector])
    nodes!: DeptInspector[];
    @Field(() => String, { nullable: true })
    endCursor!: string | null;
    @Field()
    hasMore!: boolean;
  }

  @ObjectType(`${p}ExpertPage`)
  class DeptExpertPage {
    @Field(() => [DeptExpert])
    nodes!: DeptExpert[];
    @Field(() => String, { nullable: true })
    endCursor!: string | null;
    @Field()
    hasMore!: boolean;
  }

  @ObjectType(`${p}View`, { implements: DepartmentView, description: `The ${code} view of a market entity.` })
  class DeptView extends DepartmentView {}

  @ObjectType(`${p}Result`, { description: `A ${code} result: one item checked on one visit, the department's own record (R24).` })
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
    @Field(() => String, { nullable: true, description: "Shown to the department's own staff and hub roles only; never published (R25)." })
    confidentialNotes!: string | null;
    @Field(() => [String])
    evidence!: string[];
    @Field(() => [String], { description: 'Certificate numbers of the inspectors who checked.' })
    inspectors!: string[];
    @Field({ description: 'The day the check ended: the result is formed (R25).' })
    inspectedOn!: string;
    @Field({ description: 'A dishonesty (失信) record once published (R27).' })
    dishonesty!: boolean;
    @Field({ description: 'RECORDED, APPROVED or PUBLISHED.' })
    status!: string;
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
    @Field()
    status!: string;
  }

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
    Result: DeptResult,
    Outcome: DeptOutcome,
    View: DeptView,
    Query: DeptQuery,
    MarketEntity: marketEntity,
  };
}
