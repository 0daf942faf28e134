import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { forDepartment, isDepartmentTemplate, loadStoredOperations } from '../../operations';
import { apiSchemaOf } from '../../subgraphs/registry/compose';

/*
 * The conventions of the unified schema (README, "The unified schema: conventions"), kept by
 * reading the committed supergraph as an integrator gets it (its API schema: federation stripped,
 * as the gateway serves it; test/repo/schema-drift.test.ts keeps schema/ equal to the code) and
 * the stored operations. Each rule is a function from a schema to its violations (`Type.field:
 * why`), run on the supergraph and on a small bad fixture, so each can be seen to fail.
 */

const SUPERGRAPH = path.join(__dirname, '..', '..', 'schema', 'supergraph.graphql');

type Violations = string[];

/** Object and interface types of a schema, introspection types left out. */
function fieldHolders(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap()).filter(
    (t) => !t.name.startsWith('__') && (isObjectType(t) || isInterfaceType(t)),
  ) as Array<{ name: string; getFields(): Record<string, GraphQLField<unknown, unknown>> }>;
}

function eachField(
  schema: GraphQLSchema,
  visitField: (typeName: string, field: GraphQLField<unknown, unknown>) => void,
): void {
  for (const type of fieldHolders(schema))
    for (const field of Object.values(type.getFields())) visitField(type.name, field);
}

/** A list whose items are object, interface or union types, at any depth of list. */
function isListOfObjects(field: GraphQLField<unknown, unknown>): boolean {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (!isListType(type)) return false;
  const named = getNamedType(type);
  return isObjectType(named) || isInterfaceType(named) || isUnionType(named);
}

/**
 * Lists of objects that are not paged, each with why it cannot grow without bound. A pattern
 * matches `Type.field`; department types are named with their code (`TaxQuery`, ...).
 */
export const ALLOWLIST: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /^[A-Z]\w*Query\.checklist$/,
    reason:
      "a department's checklist, read whole: it is published in full (R1), hundreds of items at most (a " +
      "province's market checklist has 388)",
  },
  {
    pattern: /^[A-Z]\w*Query\.outcomes$/,
    reason: "a department's outcome dictionary, read whole (a handful of outcomes)",
  },
  {
    pattern: /^Query\.registry(Subgraphs|Departments|Health)$/,
    reason: 'one entry per subgraph of the current version: bounded by the number of subgraphs',
  },
  {
    pattern: /^Query\.marketEntities$/,
    reason: 'one entry per USCC given: bounded by its input (at most 1,000 codes)',
  },
  { pattern: /^SupergraphVersion\.subgraphs$/, reason: 'inside one record: the subgraphs one version holds' },
  { pattern: /^SchemaCheck\.problems$/, reason: 'inside one record: the problems of one check' },
  {
    pattern: /^[A-Z]\w*View\.applicableItems$/,
    reason: "inside one record: the checklist items that apply to one target (at most the department's checklist)",
  },
  {
    pattern: /^Mutation\.[a-z][a-z0-9]*(RecordResults|ApproveResults|PublishResults)$/,
    reason: 'one entry per result sent: bounded by its input (at most 1,000 a call)',
  },
  {
    pattern: /^(EnvironmentView\.dischargePermits|HousingView\.(qualifications|projects))$/,
    reason: "inside one record: one entity's own permits, qualifications or projects",
  },
  {
    pattern: /^Visit\.(team|checklist|feedback)$/,
    reason: "inside one record: one visit's team, checklist entries (the departments' items that apply) and ratings",
  },
  {
    pattern: /^Visit\.(recordForms|notices)$/,
    reason: "inside one record: one visit's record form versions and notices, at most 20 each (MAX_PAPERS_PER_VISIT)",
  },
  {
    pattern: /^VisitSubmission\.deliveries$/,
    reason: 'inside one record: one delivery per department of a submitted visit',
  },
  {
    pattern: /^InspectionCodeCheck\.(items|inspectors)$/,
    reason: "inside one record: one visit's checked items and its team, as an inspection code shows them",
  },
  {
    pattern: /^Plan\.(items|revisions)$/,
    reason: "inside one record: one plan's items (departments x checklist items) and its revisions",
  },
  { pattern: /^Task\.strata$/, reason: "inside one record: one task's strata (regions x industries of its scope)" },
  { pattern: /^Query\.jointTasks$/, reason: "one plan's tasks: a plan has a few tasks a year" },
  { pattern: /^Query\.jointUncoveredItems$/, reason: "bounded by one department's checklist" },
  { pattern: /^Task\.inspectorDraws$/, reason: 'inside one record: one inspector draw per participating department' },
  {
    pattern: /^Task\.targetViews$/,
    reason: 'one entry per target key asked for: bounded by its input (at most 1,000 keys)',
  },
  {
    pattern: /^[A-Z]\w*View\.dishonestyRecords$/,
    reason: "inside one record: one target's dishonesty records (R27), a handful, loaded in one batch",
  },
  { pattern: /^YearStatistics\.departments$/, reason: 'one entry per department: bounded by the number of subgraphs' },
  {
    pattern: /^[A-Z][a-z0-9]*ImportReport\.rejected$/,
    reason: 'one entry per rejected row of one import call: bounded by its input (at most 2,000 rows)',
  },
  { pattern: /^[A-Z][a-z0-9]*ImportRejectedRow\.key$/, reason: "a row's identifying cells: at most three columns" },
  { pattern: /^Query\.jointInspectorTasks$/, reason: "an inspector's own tasks, at most 100 (newest first)" },
  { pattern: /^SnapshotProgress\.departments$/, reason: 'one entry per participating department of one plan' },
];

/** 1. Every field returning a list of objects is deprecated (a *Page replaces it) or allowlisted with a reason. */
export function listsArePagedRule(schema: GraphQLSchema, allowlist = ALLOWLIST): Violations {
  const out: Violations = [];
  eachField(schema, (typeName, field) => {
    const coordinate = `${typeName}.${field.name}`;
    if (!isListOfObjects(field) || field.deprecationReason || typeName.endsWith('Page')) return;
    if (allowlist.some((a) => a.pattern.test(coordinate))) return;
    out.push(
      `${coordinate}: returns ${String(field.type)}, a list that can grow: page it (first/after, a *Page ` +
        `type) or allowlist it with why it is bounded`,
    );
  });
  return out;
}

/**
 * 2. Every *Page type has nodes, pageInfo: PageInfo! and totalCount: Int!; every field returning one takes first: Int!
 * (with a default, its largest page described) and after: String.
 */
export function pageShapeRule(schema: GraphQLSchema): Violations {
  const out: Violations = [];
  for (const type of fieldHolders(schema).filter((t) => t.name.endsWith('Page'))) {
    const fields = type.getFields();
    if (!fields.nodes || !isListType(isNonNullType(fields.nodes.type) ? fields.nodes.type.ofType : fields.nodes.type))
      out.push(`${type.name}: has no list field nodes`);
    if (String(fields.pageInfo?.type) !== 'PageInfo!') out.push(`${type.name}: has no pageInfo: PageInfo!`);
    if (String(fields.totalCount?.type) !== 'Int!') out.push(`${type.name}: has no totalCount: Int!`);
  }
  eachField(schema, (typeName, field) => {
    if (!getNamedType(field.type).name.endsWith('Page') || field.deprecationReason) return;
    const coordinate = `${typeName}.${field.name}`;
    const first = field.args.find((a) => a.name === 'first');
    const after = field.args.find((a) => a.name === 'after');
    if (!first || String(first.type) !== 'Int!' || first.defaultValue === undefined)
      out.push(`${coordinate}: needs first: Int! with a default`);
    else if (!/1 to [\d,]+/.test(first.description ?? ''))
      out.push(`${coordinate}: first's description must state the largest page ("1 to 500")`);
    if (!after || String(after.type) !== 'String') out.push(`${coordinate}: needs after: String`);
  });
  return out;
}

/** 3. Every `status` or `...Status` field of an object or interface type is an enum (or deprecated). */
export function statusIsEnumRule(schema: GraphQLSchema): Violations {
  const out: Violations = [];
  eachField(schema, (typeName, field) => {
    if (!/^status$|Status$/.test(field.name) || field.deprecationReason) return;
    if (!isEnumType(getNamedType(field.type)))
      out.push(`${typeName}.${field.name}: is ${String(field.type)}; a status is an enum of its values`);
  });
  return out;
}

/** 4. A checklist item or entry names its own code `code`, not `itemCode` (unless deprecated). */
export function checklistCodeRule(schema: GraphQLSchema): Violations {
  const out: Violations = [];
  for (const type of fieldHolders(schema).filter((t) => /Checklist(Item|Entry)$/.test(t.name))) {
    const fields = type.getFields();
    if (!fields.code) out.push(`${type.name}: has no field code for the item's own code`);
    if (fields.itemCode && !fields.itemCode.deprecationReason)
      out.push(`${type.name}.itemCode: name the item's own code \`code\` (deprecate itemCode)`);
  }
  return out;
}

/**
 * 5. A department's namespace on Query (a type named ...Query) is nullable: one refused part does not null the whole
 * answer.
 */
export function namespacesNullableRule(schema: GraphQLSchema): Violations {
  const query = schema.getQueryType();
  if (!query) return [];
  return Object.values(query.getFields())
    .filter((f) => getNamedType(f.type).name.endsWith('Query') && isNonNullType(f.type))
    .map((f) => `Query.${f.name}: is ${String(f.type)}; a namespace that can be refused is nullable`);
}

/** 6. Every deprecation names what to use instead ("Use ..."). */
export function deprecationsNameReplacementRule(schema: GraphQLSchema): Violations {
  const out: Violations = [];
  const check = (where: string, reason: string | null | undefined) => {
    if (reason != null && !/\bUse /.test(reason))
      out.push(`${where}: deprecated as "${reason}"; say what to use instead ("Use ...")`);
  };
  for (const type of Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'))) {
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.deprecationReason);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.deprecationReason);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.deprecationReason);
    }
  }
  return out;
}

/** 7. An operation selects no deprecated field and passes no deprecated argument. */
export function operationUsesNoDeprecatedRule(schema: GraphQLSchema, name: string, document: DocumentNode): Violations {
  const out = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field?.deprecationReason)
          out.add(`${name}: selects ${parent.name}.${field.name} (${field.deprecationReason})`);
      },
      Argument() {
        const arg = typeInfo.getArgument();
        if (arg?.deprecationReason)
          out.add(`${name}: passes the deprecated argument ${arg.name} (${arg.deprecationReason})`);
      },
    }),
  );
  return [...out];
}

/** The department codes of a supergraph: its Query fields of a type named `<Code>Query`. */
const departmentCodes = (schema: GraphQLSchema) =>
  Object.values(schema.getQueryType()!.getFields())
    .filter((f) => getNamedType(f.type).name === `${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}Query`)
    .map((f) => f.name);

describe('the unified schema keeps its conventions (README, "The unified schema: conventions")', () => {
  const api = apiSchemaOf(fs.readFileSync(SUPERGRAPH, 'utf8'));

  it('1. every list of objects is paged, deprecated, or allowlisted as bounded (with why)', () => {
    expect(listsArePagedRule(api)).toEqual([]);
  });

  it(
    '2. every *Page has nodes, pageInfo: PageInfo! and totalCount: Int!, and every field returning one takes ' +
      'first: Int! (default, largest page described) and after: String',
    () => {
      expect(pageShapeRule(api)).toEqual([]);
    },
  );

  it('3. every status field is an enum', () => {
    expect(statusIsEnumRule(api)).toEqual([]);
  });

  it('4. checklist items and entries name their own code `code`, not `itemCode`', () => {
    expect(checklistCodeRule(api)).toEqual([]);
  });

  it("5. a department's namespace on Query is nullable", () => {
    expect(namespacesNullableRule(api)).toEqual([]);
  });

  it('6. every @deprecated says what to use instead', () => {
    expect(deprecationsNameReplacementRule(api)).toEqual([]);
  });

  it(
    '7. no stored operation of the page or the gateway (operations/web, operations/gateway) selects a ' +
      'deprecated field',
    () => {
      // operations/departments and operations/market are exempt: the joint service's calls to the
      // departments keep the previous contract's fields (endCursor, hasMore, ...) while departments
      // outside the hub upgrade to the new contract at their own pace, and are checked by the
      // registry against each department's own schema instead.
      const codes = departmentCodes(api);
      expect(codes).toEqual(expect.arrayContaining(['market', 'tax']));
      const violations = loadStoredOperations()
        .filter((o) => o.target === 'web' || o.target === 'gateway')
        .flatMap((o) =>
          (o.target === 'web' && isDepartmentTemplate(o.document)
            ? codes.map((code) => forDepartment(o.document, code))
            : [o.document]
          ).flatMap((document) => operationUsesNoDeprecatedRule(api, `${o.file} ${o.name}`, document)),
        );
      expect([...new Set(violations)]).toEqual([]);
    },
  );

  it('every allowlist entry still matches a field (a list since paged or removed leaves the allowlist)', () => {
    const coordinates: string[] = [];
    eachField(
      api,
      (typeName, field) =>
        isListOfObjects(field) && !field.deprecationReason && coordinates.push(`${typeName}.${field.name}`),
    );
    expect(ALLOWLIST.filter((a) => !coordinates.some((c) => a.pattern.test(c))).map((a) => String(a.pattern))).toEqual(
      [],
    );
  });
});

describe('each convention rule fails on a schema that breaks it', () => {
  const bad = buildSchema(`
    type PageInfo { endCursor: String hasNextPage: Boolean! }
    enum ResultStatus { DRAFT PUBLISHED }
    type Result { id: ID! status: String! reviewStatus: ResultStatus! oldStatus: String @deprecated(reason: "Use reviewStatus.") }
    type ResultPage { nodes: [Result!]! pageInfo: PageInfo! totalCount: Int! }
    type LoosePage { items: [Result!]! pageInfo: PageInfo hasMore: Boolean! }
    type TaxChecklistItem { itemCode: String! title: String! }
    type FireChecklistEntry { code: String! itemCode: String! @deprecated(reason: "Use code.") }
    type TaxQuery { results(first: Int = 10): [Result!]! resultPage(first: Int! = 10, after: String): ResultPage! oldResults: [Result!]! @deprecated }
    type FireQuery { resultPage(first: Int! = 10, after: String): ResultPage! loose(first: Int! = 10, after: String): LoosePage! }
    type Query { tax: TaxQuery! fire: FireQuery checklist: [TaxChecklistItem!]! }
  `);

  it('1 flags a list of objects neither paged, deprecated nor allowlisted', () => {
    expect(listsArePagedRule(bad, [])).toEqual([
      expect.stringMatching(/^TaxQuery\.results: /),
      expect.stringMatching(/^Query\.checklist: /),
    ]);
    expect(
      listsArePagedRule(bad, [
        { pattern: /^Query\.checklist$/, reason: 'read whole' },
        { pattern: /^TaxQuery\.results$/, reason: 'test' },
      ]),
    ).toEqual([]);
  });

  it(
    '2 flags a page without nodes/pageInfo/totalCount, and paged fields without first (its default and largest ' +
      'page) or after',
    () => {
      expect(pageShapeRule(bad).sort()).toEqual(
        [
          'LoosePage: has no list field nodes',
          'LoosePage: has no pageInfo: PageInfo!',
          'LoosePage: has no totalCount: Int!',
          'TaxQuery.resultPage: first\'s description must state the largest page ("1 to 500")',
          'FireQuery.resultPage: first\'s description must state the largest page ("1 to 500")',
          'FireQuery.loose: first\'s description must state the largest page ("1 to 500")',
        ].sort(),
      );
      const described =
        buildSchema(`type PageInfo { endCursor: String hasNextPage: Boolean! } type T { id: ID! } type TPage { nodes: [T!]! pageInfo: PageInfo! totalCount: Int! }
      type Query { a("How many: 1 to 1,000." first: Int! = 5, after: String): TPage b(first: Int!, after: String): TPage c("1 to 9" first: Int! = 1): TPage }`);
      expect(pageShapeRule(described)).toEqual([
        'Query.b: needs first: Int! with a default',
        'Query.c: needs after: String',
      ]);
    },
  );

  it('3 flags a status that is a String (a deprecated one is left alone)', () => {
    expect(statusIsEnumRule(bad)).toEqual(['Result.status: is String!; a status is an enum of its values']);
  });

  it('4 flags a checklist item with itemCode and no code (a deprecated itemCode beside code is fine)', () => {
    expect(checklistCodeRule(bad)).toEqual([
      "TaxChecklistItem: has no field code for the item's own code",
      "TaxChecklistItem.itemCode: name the item's own code `code` (deprecate itemCode)",
    ]);
  });

  it('5 flags a non-null department namespace', () => {
    expect(namespacesNullableRule(bad)).toEqual([
      'Query.tax: is TaxQuery!; a namespace that can be refused is nullable',
    ]);
  });

  it('6 flags a deprecation that does not say what to use', () => {
    expect(deprecationsNameReplacementRule(bad)).toEqual([
      'TaxQuery.oldResults: deprecated as "No longer supported"; say what to use instead ("Use ...")',
    ]);
  });

  it('7 flags an operation selecting a deprecated field', () => {
    const document = parse('query Old { tax { oldResults { id oldStatus } resultPage { nodes { id } } } }');
    expect(operationUsesNoDeprecatedRule(bad, 'Old', document)).toEqual([
      'Old: selects TaxQuery.oldResults (No longer supported)',
      'Old: selects Result.oldStatus (Use reviewStatus.)',
    ]);
    expect(
      operationUsesNoDeprecatedRule(
        bad,
        'New',
        parse('query New { tax { resultPage { nodes { id reviewStatus } } } }'),
      ),
    ).toEqual([]);
  });
});
