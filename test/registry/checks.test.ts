import fs from 'node:fs';
import path from 'node:path';
import { parse, print, validate } from 'graphql';
import { forDepartment, isDepartmentTemplate, loadStoredOperations, operationText } from '../../operations';
import { contractTemplateSdl } from '../../subgraphs/department-kernel/contract-template';
import { apiSchemaOf, composeSupergraph, subgraphSchemaOf } from '../../subgraphs/registry/compose';
import { checkBoundaries, checkContract, templateSdlFor } from '../../subgraphs/registry/contract-check';
import { breakages, checkOperations, type SchemaSet } from '../../subgraphs/registry/operations-check';
import { diffSchemas } from '../../subgraphs/registry/schema-diff';

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schema');
const schemaFile = (name: string) => fs.readFileSync(path.join(SCHEMA_DIR, `${name}.graphql`), 'utf8');

/** The contract as an outside department would serve it: schema/contract.graphql with its code put in. */
async function customsSdl(): Promise<string> {
  return templateSdlFor(await contractTemplateSdl(), 'customs');
}

describe('the department contract check', () => {
  it('accepts the contract itself under any code, and every built-in department', async () => {
    const template = await contractTemplateSdl();
    expect(checkContract('customs', 'customs', await customsSdl(), template)).toEqual([]);
    for (const code of ['market', 'tax', 'environment', 'housing', 'fire'])
      expect(checkContract(code, code, schemaFile(code), template)).toEqual([]);
  });

  it('the checked-in schema/contract.graphql is the template the registry checks against', async () => {
    expect(schemaFile('contract')).toContain(await contractTemplateSdl());
  });

  it('names the type and field a department left out, with what the contract has', async () => {
    const sdl = (await customsSdl()).replace(/\n\s*"""[^"]*"""\n\s*exportTargetRows\([\s\S]*?\): RosterRows\n/, '\n');
    expect(sdl).not.toContain('exportTargetRows');
    const problems = checkContract('customs', 'customs', sdl, await contractTemplateSdl());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      kind: 'CONTRACT',
      subgraph: 'customs',
      type: 'CustomsQuery',
      field: 'exportTargetRows',
    });
    expect(problems[0]!.message).toMatch(
      /^subgraph customs: CustomsQuery\.exportTargetRows is missing; the contract has exportTargetRows\(.*\): RosterRows: copy it from schema\/contract\.graphql\.$/,
    );
  });

  it('refuses a shared definition that is not copied exactly (composition alone would merge it silently)', async () => {
    const sdl = (await customsSdl())
      .replace(/enum RiskLevel \{/, 'enum RiskLevel {\n  EXTREME')
      .replace(/\n\s*idempotencyKey: String!\n(?=[\s\S]*?\n\}\n)/, '\n');
    const problems = checkContract('customs', 'customs', sdl, await contractTemplateSdl());
    expect(problems.map((p) => p.type)).toContain('RiskLevel');
    expect(problems.find((p) => p.type === 'RiskLevel')!.message).toContain('extra EXTREME');
  });

  it(
    'refuses a wrong field type, an SDL that does not build, and a department that does not resolve ' + 'MarketEntity',
    async () => {
      const template = await contractTemplateSdl();
      let sdl = (await customsSdl()).replace(
        /(type CustomsQuery[^{]*\{[\s\S]*?)outcomes: \[CustomsOutcome!\]!/,
        '$1outcomes: [String!]!',
      );
      sdl = sdl.replace(
        'type MarketEntity @key(fields: "uscc")',
        'type MarketEntity @key(fields: "uscc", resolvable: false)',
      );
      const problems = checkContract('customs', 'customs', sdl, template);
      expect(problems.find((p) => p.field === 'outcomes')?.message).toBe(
        'subgraph customs: CustomsQuery.outcomes has type [String!]!; the contract says [CustomsOutcome!]! ' +
          '(the same type, or that type made non-null).',
      );
      expect(problems.some((p) => p.type === 'MarketEntity' && /resolves/.test(p.message))).toBe(true);
      const broken = (await customsSdl()).replace(
        /(type CustomsView[^{]*\{[\s\S]*?)onRoster: Boolean!/,
        '$1onRoster: String',
      );
      expect(checkContract('customs', 'customs', broken, template).map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^subgraph customs: its SDL does not build: .*DepartmentView\.onRoster expects type Boolean! but CustomsView\.onRoster of type String/,
        ),
      ]);
    },
  );
});

describe('the contract check across contract versions (H1 point 5)', () => {
  /** The contract as a department registered before H1 serves it: the previous schema/contract.graphql's shapes. */
  async function previousShapes(): Promise<string> {
    return (await customsSdl())
      .replace(/customs: CustomsQuery\n/, 'customs: CustomsQuery!\n')
      .replace(/(\)): (CustomsTargetPage|CustomsInspectorPage|CustomsExpertPage|RosterRows)\n/g, '$1: $2!\n')
      .replace(/(type CustomsResult [^{]*\{[\s\S]*?\n\s*)status: ResultStatus!/, '$1status: String!')
      .replace(/(type CustomsOutcome [^{]*\{[\s\S]*?\n\s*)status: OutcomeStatus!/, '$1status: String!');
  }

  it(
    'accepts an output field made non-null (never null where the contract allows it) and String where the ' +
      'contract has an enum on its own types',
    async () => {
      const sdl = await previousShapes();
      expect(sdl).toContain('customs: CustomsQuery!');
      expect(sdl).toMatch(/\): CustomsTargetPage!\n/);
      expect(sdl).toMatch(/type CustomsResult [^{]*\{[\s\S]*?status: String!/);
      expect(checkContract('customs', 'customs', sdl, await contractTemplateSdl())).toEqual([]);
    },
  );

  it(
    'still refuses a real mismatch: a field made nullable, another type, a list for an object, String for an ' +
      'enum of a shared type, an argument retyped',
    async () => {
      const template = await contractTemplateSdl();
      const check = (sdl: string) =>
        checkContract('customs', 'customs', sdl, template).map((p) => `${p.type}.${p.field}: ${p.message}`);
      const base = await customsSdl();
      expect(
        check(base.replace(/(type CustomsResult [^{]*\{[\s\S]*?\n\s*)itemCode: String!/, '$1itemCode: String')),
      ).toEqual([
        expect.stringContaining(
          'CustomsResult.itemCode has type String; the contract says String! (the same type, or that type ' +
            'made non-null)',
        ),
      ]);
      expect(
        check(base.replace(/(type CustomsResult [^{]*\{[\s\S]*?\n\s*)itemVersion: Int!/, '$1itemVersion: String!')),
      ).toEqual([expect.stringContaining('CustomsResult.itemVersion has type String!; the contract says Int!')]);
      expect(
        check(
          base.replace(/(type CustomsResult [^{]*\{[\s\S]*?\n\s*)status: ResultStatus!/, '$1status: [ResultStatus!]!'),
        ),
      ).toEqual([
        expect.stringContaining('CustomsResult.status has type [ResultStatus!]!; the contract says ResultStatus!'),
      ]);
      expect(
        check(base.replace(/(type CustomsResult [^{]*\{[\s\S]*?\n\s*)status: ResultStatus!/, '$1status: Int!')),
      ).toEqual([expect.stringContaining('CustomsResult.status has type Int!; the contract says ResultStatus!')]);
      // A shared interface names the enum (composition merges it across departments).
      const shared = check(
        base
          .replace(/(interface ChecklistItem [^{]*\{[\s\S]*?\n\s*)method: InspectionMethod!/, '$1method: String!')
          .replace(/(type CustomsChecklistItem [^{]*\{[\s\S]*?\n\s*)method: InspectionMethod!/, '$1method: String!'),
      );
      expect(shared).toEqual(
        expect.arrayContaining([
          expect.stringContaining('ChecklistItem.method has type String!; the contract says InspectionMethod!'),
        ]),
      );
      // Arguments stay exact.
      expect(check(base.replace(/(resultPage\([\s\S]*?)status: ResultStatus\n/, '$1status: String\n'))).toEqual([
        expect.stringContaining('CustomsQuery.resultPage(status:) has type String; the contract says ResultStatus.'),
      ]);
    },
  );

  it(
    'asks a department registered under the previous contract for the fields the contract gained, on its next ' +
      'registration, naming each and where to copy it from',
    async () => {
      const previous = fs
        .readFileSync(path.join(__dirname, 'fixtures', 'contract-before-h1.graphql'), 'utf8')
        .replace(/example/g, 'customs')
        .replace(/Example/g, 'Customs');
      const problems = checkContract('customs', 'customs', previous, await contractTemplateSdl());
      const missing = problems
        .filter((p) => /is missing/.test(p.message))
        .map((p) => `${p.type}${p.field ? `.${p.field}` : ''}`);
      expect(missing.sort()).toEqual(
        [
          'CustomsExpertPage.pageInfo',
          'CustomsExpertPage.totalCount',
          'CustomsInspectorPage.pageInfo',
          'CustomsInspectorPage.totalCount',
          'CustomsQuery.publishedResultPage',
          'CustomsQuery.resultPage',
          'CustomsResultPage',
          'CustomsTargetPage.pageInfo',
          'OutcomeStatus',
          'PageInfo',
          'ResultStatus',
        ].sort(),
      );
      for (const p of problems) expect(p.message).toMatch(/schema\/contract\.graphql/);
      expect(problems.find((p) => p.field === 'resultPage')!.message).toMatch(
        /^subgraph customs: CustomsQuery\.resultPage is missing; the contract has resultPage\(.*\): CustomsResultPage: copy it from schema\/contract\.graphql\.$/,
      );
      // Nothing else: the previous shapes (non-null namespace and pages, String statuses) still fit.
      expect(problems.length).toBe(missing.length);
    },
  );

  it(
    "a department's running registration under the previous contract still composes with the hub's subgraphs " +
      'as they are now',
    () => {
      const previous = fs
        .readFileSync(path.join(__dirname, 'fixtures', 'contract-before-h1.graphql'), 'utf8')
        .replace(/example/g, 'customs')
        .replace(/Example/g, 'Customs');
      const hub = ['market', 'tax', 'environment', 'housing', 'fire', 'health', 'joint', 'registry'].map((name) => ({
        name,
        url: `http://${name}/graphql`,
        sdl: schemaFile(name),
      }));
      const result = composeSupergraph([...hub, { name: 'customs', url: 'http://customs/graphql', sdl: previous }]);
      expect('errors' in result ? result.errors : []).toEqual([]);
    },
  );
});

describe('R30: a department adds only what is its own', () => {
  const others = () => ['market', 'tax', 'environment'].map((name) => ({ name, sdl: schemaFile(name) }));

  it('the built-in departments and the plain contract keep to their own', async () => {
    const template = await contractTemplateSdl();
    expect(checkBoundaries({ name: 'customs', code: 'customs', sdl: await customsSdl() }, others(), template)).toEqual(
      [],
    );
    for (const code of ['market', 'tax', 'environment', 'housing', 'fire']) {
      expect(
        checkBoundaries(
          { name: code, code, sdl: schemaFile(code) },
          others().filter((o) => o.name !== code),
          template,
        ),
      ).toEqual([]);
    }
  });

  it(
    "refuses taking over another subgraph's fields: @override, root fields not named with the code, " +
      'MarketEntity fields other than its view, a type of another subgraph',
    async () => {
      const sdl = (await customsSdl())
        .replace(
          'type Query {',
          'type Query {\n  marketSearch(name: String!): [MarketEntity!]! @override(from: "market")',
        )
        .replace(
          /type MarketEntity @key\(fields: "uscc"\) \{/,
          'type MarketEntity @key(fields: "uscc") {\n  name: String!',
        )
        .concat('\ntype TaxCreditRatingRecord { year: Int! }\n');
      const problems = checkBoundaries(
        { name: 'customs', code: 'customs', sdl },
        others(),
        await contractTemplateSdl(),
      );
      const messages = problems.map((p) => p.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          'subgraph customs: @override on Query.marketSearch is not allowed for any subgraph: it takes over ' +
            'what another subgraph serves.',
          expect.stringContaining("Query.marketSearch: a department's root fields are named with its code"),
          'subgraph customs: MarketEntity.name: a department adds only its own view (MarketEntity.customs) to ' +
            "the shared entity; the register's fields are market's.",
          'subgraph customs: type TaxCreditRatingRecord is already defined by subgraph tax; name your own ' +
            'types with Customs (e.g. CustomsTaxCreditRatingRecord).',
        ]),
      );
      expect(problems.every((p) => p.kind === 'CONTRACT' && p.subgraph === 'customs')).toBe(true);
    },
  );
});

describe('H2: the boundaries hold for every subgraph, hub services too', () => {
  const everyone = () =>
    ['market', 'tax', 'environment', 'housing', 'fire', 'health', 'joint', 'registry'].map((name) => ({
      name,
      sdl: schemaFile(name),
    }));
  /** A plain Federation 2 subgraph a hub admin registers as a hub service (no department code). */
  const plain = (body: string, imports = '"@key", "@override"') =>
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports}])\n${body}`;

  it("H2: the hub's own services (joint, registry) keep to the rules as they are", async () => {
    const template = await contractTemplateSdl();
    for (const name of ['joint', 'registry'])
      expect(
        checkBoundaries(
          { name, code: null, sdl: schemaFile(name) },
          everyone().filter((o) => o.name !== name),
          template,
        ),
      ).toEqual([]);
  });

  it(
    'H2: a hub service may not override MarketEntity.name from market, under any name of @override, nor add ' +
      "register fields or another subgraph's type",
    async () => {
      const template = await contractTemplateSdl();
      const check = (sdl: string) =>
        checkBoundaries({ name: 'hubtool', code: null, sdl }, everyone(), template).map((p) => p.message);
      expect(
        check(
          plain(
            'type Query { hubtoolPing: Int }\ntype MarketEntity @key(fields: "uscc") { uscc: String! name: ' +
              'String! @override(from: "market") }',
          ),
        ),
      ).toEqual([
        'subgraph hubtool: @override on MarketEntity.name is not allowed for any subgraph: it takes over what ' +
          'another subgraph serves.',
        'subgraph hubtool: MarketEntity.name: a hub service adds only fields named with its name ' +
          "(MarketEntity.hubtool...) to the shared entity; the register's fields are market's.",
      ]);
      expect(
        check(
          plain(
            'type Query { hubtoolPing: Int }\ntype MarketEntity @key(fields: "uscc") { uscc: String! ' +
              'hubtoolNote: String @take(from: "market") }',
            '"@key", { name: "@override", as: "@take" }',
          ),
        ),
      ).toEqual([
        'subgraph hubtool: @take on MarketEntity.hubtoolNote is not allowed for any subgraph: it takes over ' +
          'what another subgraph serves.',
      ]);
      expect(
        check(
          plain(
            'type Query { hubtoolPing: Int }\ntype MarketEntity @key(fields: "uscc") { uscc: String! ' +
              'hubtoolNote: String @federation__override(from: "market") }',
          ),
        ),
      ).toEqual([
        'subgraph hubtool: @federation__override on MarketEntity.hubtoolNote is not allowed for any subgraph: ' +
          'it takes over what another subgraph serves.',
      ]);
      expect(check(plain('type Query { hubtoolPing: Int }\ntype TaxCreditRatingRecord { year: Int! }'))).toEqual([
        'subgraph hubtool: type TaxCreditRatingRecord is already defined by subgraph tax; name your own types ' +
          'with Hubtool (e.g. HubtoolTaxCreditRatingRecord).',
      ]);
      // Another subgraph's entity: referred to by its key, with fields of its own, never another's field.
      const widgets = {
        name: 'widgets',
        sdl: plain('type Query { widgetsAll: [Widget] }\ntype Widget @key(fields: "id") { id: ID! title: String }'),
      };
      const withWidgets = (sdl: string) =>
        checkBoundaries({ name: 'hubtool', code: null, sdl }, [...everyone(), widgets], template).map((p) => p.message);
      expect(
        withWidgets(
          plain('type Query { hubtoolWidget: Widget }\ntype Widget @key(fields: "id", resolvable: false) { id: ID! }'),
        ),
      ).toEqual([]);
      expect(
        withWidgets(
          plain(
            'type Query { hubtoolWidget: Widget }\ntype Widget @key(fields: "id") { id: ID! hubtoolRank: Int ' +
              'title: String }',
          ),
        ),
      ).toEqual([
        'subgraph hubtool: Widget.title: Widget is an entity of subgraph widgets; a hub service adds to it ' +
          'only fields named with its name (Widget.hubtool...).',
      ]);
      // Its own: root fields, a field named with its name on MarketEntity, the contract's shared types.
      expect(
        check(
          plain(
            'type Query { ping: Int }\ntype MarketEntity @key(fields: "uscc") { uscc: String! hubtoolNotes: ' +
              '[String!]! }\ntype PageInfo @shareable { endCursor: String hasNextPage: Boolean! }',
            '"@key", "@shareable"',
          ),
        ),
      ).toEqual([]);
    },
  );
});

describe('stored operations (operations/)', () => {
  const operations = loadStoredOperations();

  it('are all named, and department operations are sent under each department code', () => {
    expect(operations.length).toBeGreaterThanOrEqual(10);
    expect(operationText('DepartmentRecordResults', 'customs')).toContain('customsRecordResults(input: $input)');
    expect(operationText('DepartmentTargetViews', 'tax')).toMatch(/\.\.\. on MarketEntity \{\s+uscc\s+tax \{/);
    const text = operationText('DepartmentChecklist', 'fire');
    expect(text).not.toContain('example');
  });

  it('every one is valid against the checked-in schemas (each department, market, the supergraph)', () => {
    const supergraph = schemaFile('supergraph');
    const set: SchemaSet = {
      api: apiSchemaOf(supergraph),
      subgraphs: new Map(
        ['market', 'tax', 'environment', 'housing', 'fire'].map((code) => [
          code,
          { code, schema: subgraphSchemaOf(schemaFile(code)) },
        ]),
      ),
    };
    // Against an empty "before", every operation is checked as new: it must validate.
    const problems = checkOperations(operations, { api: null, subgraphs: new Map() }, set);
    expect(problems).toEqual([]);
  });

  it(
    "the page's operations (operations/web/) and the reference ones are valid against the supergraph, a " +
      'department template for every department',
    () => {
      const api = apiSchemaOf(schemaFile('supergraph'));
      const codes = ['market', 'tax', 'environment', 'housing', 'fire', 'health'];
      const sent = operations.filter((o) => o.target === 'gateway' || o.target === 'web');
      expect(sent.filter((o) => o.target === 'web').map((o) => o.name)).toEqual(
        expect.arrayContaining([
          'PublicDepartments',
          'SearchEntities',
          'DepartmentPublishedResults',
          'TaskDrawRecord',
          'CheckInspectionCode',
          'DashboardStatistics',
          'PublicationDeadlines',
        ]),
      );
      for (const operation of sent) {
        const template = operation.target === 'web' && isDepartmentTemplate(operation.document);
        for (const code of template ? codes : [null]) {
          const document = code ? forDepartment(operation.document, code) : operation.document;
          expect([operation.name, code, validate(api, document).map((e) => e.message)]).toEqual([
            operation.name,
            code,
            [],
          ]);
        }
      }
      // Each operation carries only the fragments it spreads (a server refuses a document with an unused one).
      expect(operationText('DepartmentPublishedResults', 'tax')).not.toContain('fragment');
      expect(operationText('SearchEntities')).toContain('fragment PublicEntity on MarketEntity');
    },
  );

  it(
    'a change that breaks what the page asks of a department is refused for that department, naming the ' + 'operation',
    () => {
      const api = apiSchemaOf(schemaFile('supergraph'));
      const without = apiSchemaOf(
        schemaFile('supergraph').replace(/(type TaxResult[^{]*\{[\s\S]*?)\n\s*correctionReason: String/, '$1'),
      );
      const subgraphs = new Map([
        ['tax', { code: 'tax', schema: subgraphSchemaOf(schemaFile('tax')) }],
        ['fire', { code: 'fire', schema: subgraphSchemaOf(schemaFile('fire')) }],
      ]);
      const web = operations.filter((o) => o.target === 'web');
      expect(checkOperations(web, { api, subgraphs }, { api, subgraphs })).toEqual([]);
      const problems = checkOperations(web, { api, subgraphs }, { api: without, subgraphs });
      // Every department template that reads a result's correctionReason (the public page's and the workspace's), for
      // tax alone.
      const templates = web.filter((o) => isDepartmentTemplate(o.document));
      const readers = templates.filter((o) => /\bcorrectionReason\b/.test(print(o.document))).map((o) => o.name);
      expect(readers).toEqual(expect.arrayContaining(['DepartmentPublishedResults']));
      expect(problems.map((p) => [p.operation, p.subgraph]).sort()).toEqual(
        readers.map((name) => [name, 'tax']).sort(),
      );
      expect(problems.find((p) => p.operation === 'DepartmentPublishedResults')!.message).toContain(
        'as sent for tax) would break: TaxResult.correctionReason is removed',
      );
      // A department new in this version is held to what the page will ask of it: an API without its fields is refused
      // for it.
      const withCustoms = new Map([
        ...subgraphs,
        [
          'customs',
          {
            code: 'customs',
            schema: subgraphSchemaOf(schemaFile('tax').replace(/tax/g, 'customs').replace(/Tax/g, 'Customs')),
          },
        ],
      ]);
      const added = checkOperations(web, { api, subgraphs }, { api, subgraphs: withCustoms });
      expect([...new Set(added.map((p) => `${p.operation}:${p.subgraph}`))].sort()).toEqual(
        templates.map((o) => `${o.name}:customs`).sort(),
      );
      expect(templates.map((o) => o.name)).toEqual(
        expect.arrayContaining(['DepartmentDictionary', 'DepartmentPublishedResults']),
      );
      expect(added[0]!.message).toMatch(
        /as sent for customs\) would break: Cannot query field "customs" on type "Query"/,
      );
    },
  );

  it(
    'a change that removes or retypes a field an operation reads is a breakage naming it; an unrelated change ' +
      'is not',
    () => {
      const before = subgraphSchemaOf(schemaFile('tax'));
      const document = forDepartment(operations.find((o) => o.name === 'DepartmentInspectors')!.document, 'tax');
      expect(breakages(before, before, document)).toEqual([]);
      const removed = subgraphSchemaOf(schemaFile('tax').replace(/\n\s*certificateNo: String!/g, ''));
      expect(breakages(before, removed, document)).toContain('TaxInspector.certificateNo is removed');
      const retyped = subgraphSchemaOf(schemaFile('tax').replace(/qualified: Boolean!/g, 'qualified: String!'));
      expect(breakages(before, retyped, document)).toContain(
        'TaxInspector.qualified changes type from Boolean! to String!',
      );
      const unrelated = subgraphSchemaOf(schemaFile('tax').replace(/(type TaxView[^{]*\{)/, '$1\n  newField: Int'));
      expect(breakages(before, unrelated, document)).toEqual([]);
    },
  );

  describe('output changes stored operations survive (H1 point 5: a hub upgrade re-registers its subgraphs)', () => {
    const before = subgraphSchemaOf(`
      enum ResultStatus { DRAFT PUBLISHED }
      type TaxQuery { results: [Result!]! count: Int! }
      type Result { id: ID! status: String! note: String! outcome: String amount: Int! }
      type Query { tax: TaxQuery! version: String! }
    `);
    const read = parse('query Read { tax { results { id status note outcome amount } count } version }');
    const after = (sdl: string) => subgraphSchemaOf(sdl);

    it('(a) a non-null output field made nullable, at the root or inside a list, is no break', () => {
      const nullable = after(`
        enum ResultStatus { DRAFT PUBLISHED }
        type TaxQuery { results: [Result]! count: Int }
        type Result { id: ID! status: String! note: String outcome: String amount: Int! }
        type Query { tax: TaxQuery version: String! }
      `);
      expect(breakages(before, nullable, read)).toEqual([]);
      expect(diffSchemas(before, nullable).notes).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Query\.tax: TaxQuery! -> TaxQuery: now nullable/),
          expect.stringMatching(/^Result\.note: String! -> String: now nullable/),
        ]),
      );
    });

    it(
      '(b) a String output made an enum (the same values serialized as the same strings) is no break, nullable ' +
        'or not',
      () => {
        const enums = after(`
        enum ResultStatus { DRAFT PUBLISHED }
        enum Outcome { PASSED FAILED }
        type TaxQuery { results: [Result!]! count: Int! }
        type Result { id: ID! status: ResultStatus! note: String! outcome: Outcome amount: Int! }
        type Query { tax: TaxQuery version: String! }
      `);
        expect(breakages(before, enums, read)).toEqual([]);
        expect(diffSchemas(before, enums).notes).toContain(
          'Result.status: String! -> ResultStatus!: a String now an enum: the same values, serialized as the ' +
            'same strings',
        );
      },
    );

    it(
      'everything else still breaks: String to Int, an enum back to String, a removed field, an object for a ' +
        'list, an argument retyped',
      () => {
        const retyped = after(`
        type TaxQuery { results: [Result!]! count: Int! }
        type Result { id: ID! status: Int! note: String! outcome: String amount: String! }
        type Query { tax: TaxQuery! version: String! }
      `);
        expect(breakages(before, retyped, read)).toEqual(
          expect.arrayContaining([
            'Result.status changes type from String! to Int!',
            'Result.amount changes type from Int! to String!',
          ]),
        );
        expect(diffSchemas(before, retyped).notes).toEqual([]);
        const removed = after(`
        type TaxQuery { results: Result! count: Int! }
        type Result { id: ID! status: String! outcome: String amount: Int! }
        type Query { tax: TaxQuery! version: String! }
      `);
        const broken = breakages(before, removed, read);
        expect(broken).toContain('Result.note is removed');
        expect(broken).toContain('TaxQuery.results changes type from [Result!]! to Result!');
        const enumBefore = after('enum S { A B } type Query { s: S! page(first: Int!): Int! }');
        expect(
          breakages(enumBefore, after('type Query { s: String! page(first: Int!): Int! }'), parse('{ s }')),
        ).toEqual(['Query.s changes type from S! to String!']);
        expect(
          breakages(
            enumBefore,
            after('enum S { A B } type Query { s: S! page(first: String!): Int! }'),
            parse('{ page(first: 1) }'),
          ),
        ).toContain('Query.page(first:) changes type from Int! to String!');
      },
    );
  });

  it('composition errors are listed as such', () => {
    const result = composeSupergraph([
      { name: 'tax', url: 'http://tax/graphql', sdl: schemaFile('tax') },
      {
        name: 'customs',
        url: 'http://customs/graphql',
        sdl: schemaFile('tax')
          .replace(/tax/g, 'customs')
          .replace(/Tax/g, 'Customs')
          .replace(/enum RiskLevel \{/, 'enum RiskLevel {\n  EXTREME'),
      },
    ]);
    expect('errors' in result).toBe(true);
  });
});

describe('schema diff between versions', () => {
  it('lists added and removed types and fields, and changed field types', () => {
    const a = subgraphSchemaOf('type Query { a: Int b: String } type T { x: Int }');
    const b = subgraphSchemaOf('type Query { a: String c: Int } type U { y: Int }');
    const diff = diffSchemas(a, b);
    expect(diff.addedTypes).toContain('U');
    expect(diff.removedTypes).toContain('T');
    expect(diff.addedFields).toContain('Query.c');
    expect(diff.removedFields).toContain('Query.b');
    expect(diff.changedFields).toContain('Query.a: Int -> String');
  });
});
