import fs from 'node:fs';
import path from 'node:path';
import { codegen } from '@graphql-codegen/core';
import type { PluginFunction, Types } from '@graphql-codegen/plugin-helpers';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import {
  extendSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  printSchema,
  printType,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
} from 'graphql';
import {
  forDepartment,
  isDepartmentTemplate,
  loadStoredOperations,
  TEMPLATE_CODE,
  type StoredOperation,
} from '../operations';
import { apiSchemaOf, subgraphSchemaOf } from '../subgraphs/registry/compose';

/**
 * The TypeScript types of the web page's stored operations (`operations/web/*.graphql`), generated
 * with GraphQL Code Generator (`@graphql-codegen/core` and `typescript-operations`) from the
 * schema the gateway serves: the API of `schema/supergraph.graphql`. `npm run codegen` writes
 * them to `web/src/api/generated.ts`; `npm run typecheck` does so before it type-checks the page,
 * so a schema change that removes or renames a field the page asks for fails there (codegen's
 * validation names the operation and the field), and one that changes a field's type fails `tsc`
 * where the page uses it.
 *
 * Department templates (operations naming the department `example`, sent once per department
 * with its code in place) are typed against the department contract (`schema/contract.graphql`),
 * not against one built-in department: the page sends them to every department the registry
 * lists, registered ones not built on this code base included, and the contract is the one shape
 * all of them are held to (the registry refuses a department that does not serve it). The
 * contract's department part (`Query.example: ExampleQuery` and the `Example*` types) is added
 * to the API schema, whose shared definitions (enums, `PageInfo`, the interfaces) the contract
 * copies exactly; the generated types then read `example` where the answer has the department's
 * code (`ForDepartment` in the operation map). A department may still serve a field non-null
 * where the contract has it nullable: the contract's weaker type is the one the page must handle.
 * Each template is also validated against the API once per department the supergraph holds, as
 * the registry checks it, so a built-in department that drops a field the page reads fails too.
 */

export const GENERATED_FILE = path.join(__dirname, '..', 'web', 'src', 'api', 'generated.ts');
const SCHEMA_DIR = path.join(__dirname, '..', 'schema');

const TEMPLATE_TYPE = /^Example(?=$|[A-Z])/;
const TEMPLATE_FIELD = /^example(?=$|[A-Z])/;

/** The API schema with the contract's department (`example`) added, to type department templates. */
export function pageSchema(api: GraphQLSchema, contractSdl: string): GraphQLSchema {
  const contract = subgraphSchemaOf(contractSdl);
  const definitions: DefinitionNode[] = [];
  for (const type of Object.values(contract.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (TEMPLATE_TYPE.test(type.name)) {
      if (api.getType(type.name))
        throw new Error(
          `The API schema already has a type ${type.name}: the contract's template department cannot be added to it.`,
        );
      definitions.push(...parse(printType(type)).definitions);
      continue;
    }
    // The contract's fields on shared types: Query.example, Mutation.exampleRecordResults, MarketEntity.example.
    if (!isObjectType(type) || !isObjectType(api.getType(type.name))) continue;
    const own = parse(printType(type)).definitions[0] as ObjectTypeDefinitionNode;
    const fields = (own.fields ?? []).filter((f) => TEMPLATE_FIELD.test(f.name.value));
    if (fields.length)
      definitions.push({ kind: Kind.OBJECT_TYPE_EXTENSION, name: own.name, fields, interfaces: [], directives: [] });
  }
  return extendSchema(api, { kind: Kind.DOCUMENT, definitions });
}

/** The department codes of a supergraph's API: each `MarketEntity` field whose type is a `DepartmentView`. */
export function departmentCodes(api: GraphQLSchema): string[] {
  const entity = api.getType('MarketEntity');
  const view = api.getType('DepartmentView');
  if (!isObjectType(entity) || !isInterfaceType(view)) return [];
  return Object.values(entity.getFields())
    .filter((f) => {
      const type = f.type;
      return isObjectType(type) && type.getInterfaces().includes(view);
    })
    .map((f) => f.name)
    .sort();
}

/**
 * Each stored web operation checked against the API as the page sends it (a template once per department); every
 * problem.
 */
export function validateWebOperations(api: GraphQLSchema, operations: readonly StoredOperation[]): string[] {
  const problems: string[] = [];
  const codes = departmentCodes(api);
  for (const operation of operations) {
    const sends: Array<[string, DocumentNode]> = isDepartmentTemplate(operation.document)
      ? codes.map((code) => [`, as sent for ${code}`, forDepartment(operation.document, code)])
      : [['', operation.document]];
    for (const [as, document] of sends) {
      for (const error of validate(api, document))
        problems.push(`operations/${operation.file}: ${operation.name}${as}: ${error.message}`);
    }
  }
  return problems;
}

const HEADER = `/* eslint-disable */
// The types of the stored web operations (operations/web/*.graphql), generated by \`npm run codegen\`
// (scripts/web-operation-types.ts) from the API of schema/supergraph.graphql and, for department
// templates, schema/contract.graphql: do not edit. \`npm run typecheck\` regenerates it.
`;

/** Codegen plugin: the map from operation name to its result and variables, for `run` (web/src/api/client.ts). */
function operationMap(operations: readonly StoredOperation[]): PluginFunction {
  return () => {
    const lines = operations.map((o) => {
      const definition = o.document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
      const suffix = definition.operation === 'mutation' ? 'Mutation' : 'Query';
      const template = isDepartmentTemplate(o.document);
      const result = template ? `ForDepartment<${o.name}${suffix}>` : `${o.name}${suffix}`;
      return `  ${o.name}: { result: ${result}; variables: ${o.name}${suffix}Variables; template: ${template} };`;
    });
    return [
      '',
      `/** A department template's answer: its department field (\`${TEMPLATE_CODE}\` in the operation) comes ` +
        `back under the department's code. */`,
      'export type ForDepartment<T> = { [code: string]: T[keyof T] | undefined };',
      '',
      '/** Every stored web operation by name: what it answers (`result`), what it takes (`variables`), ' +
        'whether it is sent per department (`template`). */',
      'export interface WebOperations {',
      ...lines,
      '}',
      '',
      'export type WebOperationName = keyof WebOperations;',
      '',
    ].join('\n');
  };
}

/**
 * The content of `web/src/api/generated.ts` for a supergraph and contract (SDL text) and the
 * operations folder; throws, naming each operation and field, when an operation does not fit.
 */
export async function generateWebOperationTypes(
  supergraphSdl: string,
  contractSdl: string,
  operationsDir?: string,
): Promise<string> {
  const api = apiSchemaOf(supergraphSdl);
  const operations = loadStoredOperations(operationsDir).filter((o) => o.target === 'web');
  const problems = validateWebOperations(api, operations);
  if (problems.length)
    throw new Error(`The stored web operations do not fit the schema the gateway serves:\n- ${problems.join('\n- ')}`);
  const schema = pageSchema(api, contractSdl);
  const dir = operationsDir ?? path.join(__dirname, '..', 'operations');
  const files = [...new Set(operations.map((o) => o.file))].sort();
  const documents: Types.DocumentFile[] = files.map((file) => ({
    location: `operations/${file}`,
    document: parse(fs.readFileSync(path.join(dir, file), 'utf8')),
  }));
  const output = await codegen({
    filename: 'web/src/api/generated.ts',
    schema: parse(printSchema(schema)),
    schemaAst: schema,
    documents,
    // The hub's scalars as JSON carries them: DateTimeISO an ISO 8601 string, JSONObject an object.
    config: { scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' } },
    plugins: [{ typescriptOperations: {} }, { operationMap: {} }],
    pluginMap: { typescriptOperations, operationMap: { plugin: operationMap(operations) } },
  });
  return HEADER + output;
}

/** The same from the checked-in schema/ files. */
export function generateFromSchemaDir(): Promise<string> {
  const read = (file: string) => fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8');
  return generateWebOperationTypes(read('supergraph.graphql'), read('contract.graphql'));
}
