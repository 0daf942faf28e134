import {
  Kind,
  parse,
  print,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isNonNullType,
  isScalarType,
  isUnionType,
  isIntrospectionType,
  isSpecifiedScalarType,
  getNamedType,
  isListType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLOutputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ObjectTypeDefinitionNode,
  type DocumentNode,
} from 'graphql';
import { forDepartment } from '../../operations';
import { subgraphSchemaOf } from './compose';
import { ProblemKind, type Problem } from './problems';

const pascal = (code: string) => code.charAt(0).toUpperCase() + code.slice(1);

/** Types the federation machinery adds to every subgraph; not part of the contract. */
const FEDERATION_TYPE = /^(_Any|_Entity|_Service|link__.*|federation__.*|join__.*)$/;

function signature(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
  return `${field.name}${args ? `(${args})` : ''}: ${String(field.type)}`;
}

/** Whether a subgraph SDL gives `MarketEntity` a resolvable `@key(fields: "uscc")`. */
function resolvesMarketEntity(document: DocumentNode): boolean {
  return document.definitions.some(
    (d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      d.name.value === 'MarketEntity' &&
      (d as ObjectTypeDefinitionNode).directives?.some(
        (dir) =>
          dir.name.value === 'key' &&
          dir.arguments?.some((a) => a.name.value === 'fields' && a.value.kind === Kind.STRING && a.value.value.trim() === 'uscc') &&
          !dir.arguments?.some((a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && a.value.value === false),
      ),
  );
}

/**
 * Checks a department subgraph against the department contract (DESIGN.md): the contract
 * template (`schema/contract.graphql`) with the department's code put in. The department's own
 * types (those named with its PascalCase) must have every field of the contract with the same
 * type (or that type made non-null, or `String` for an enum: `outputFits`) and arguments, and may
 * add fields and optional arguments. A field the contract gained since a department registered
 * is asked of it on its next registration, named; its running registration is unaffected. Shared definitions (the
 * interfaces, enums, inputs and shared objects) must be copied exactly: composition would
 * otherwise merge them silently (an input loses fields, for every department). `MarketEntity`
 * must be resolvable by its `uscc` key and carry the department's view.
 */
export function checkContract(subgraph: string, code: string, sdl: string, templateSdl: string): Problem[] {
  const problems: Problem[] = [];
  const problem = (message: string, type?: string, field?: string) =>
    problems.push({ kind: ProblemKind.CONTRACT, subgraph, type: type ?? null, field: field ?? null, message: `subgraph ${subgraph}: ${message}` });
  let document: DocumentNode;
  let schema: GraphQLSchema;
  try {
    document = parse(sdl);
    schema = subgraphSchemaOf(sdl);
  } catch (error) {
    problem(`its SDL does not build: ${(error as Error).message}`);
    return problems;
  }
  const contract = subgraphSchemaOf(templateSdlFor(templateSdl, code));
  const own = pascal(code);
  const isOwn = (name: string) => name.startsWith(own) && name !== 'MarketEntity';
  const hint = `copy it from schema/contract.graphql with example/Example replaced by ${code}/${own}`;

  for (const expected of Object.values(contract.getTypeMap())) {
    const name = expected.name;
    if (isIntrospectionType(expected) || isSpecifiedScalarType(expected) || FEDERATION_TYPE.test(name)) continue;
    const actual = schema.getType(name);
    if (!actual) {
      problem(`type ${name} is missing; ${hint}.`, name);
      continue;
    }
    if (kindOf(actual) !== kindOf(expected)) {
      problem(`${name} is ${article(kindOf(actual))}; the contract has ${article(kindOf(expected))}.`, name);
      continue;
    }
    if (name === 'Query' || name === 'Mutation' || name === 'MarketEntity' || isOwn(name)) {
      compareFields(expected, actual, false, problem);
    } else {
      compareFields(expected, actual, true, problem);
    }
  }
  if (!resolvesMarketEntity(document)) {
    problem(`MarketEntity must be an entity it resolves: type MarketEntity @key(fields: "uscc") { uscc: String! ${code}: ${own}View }, with a batched __resolveReference.`, 'MarketEntity');
  }
  return problems;
}

/** The contract template with a department's code put in. */
export function templateSdlFor(templateSdl: string, code: string): string {
  return print(forDepartment(parse(templateSdl), code));
}

type Kindish = 'object type' | 'interface' | 'enum' | 'input' | 'scalar' | 'union';
function kindOf(type: GraphQLNamedType): Kindish {
  if (isObjectType(type)) return 'object type';
  if (isInterfaceType(type)) return 'interface';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input';
  if (isUnionType(type)) return 'union';
  return 'scalar';
}
const article = (k: string) => (/^[aeiou]/.test(k) ? `an ${k}` : `a ${k}`);

/**
 * Whether a department's output field type keeps the contract's promise (H1 point 5): the same
 * type, or made non-null at any level (covariant: it never returns null where the contract allows
 * one, so a department registered before a field became nullable still fits). On its own types,
 * for the transition, `String` where the contract says an enum (the values are the same strings;
 * a shared type must name the enum, or composition refuses it). Arguments and inputs stay exact.
 */
export function outputFits(contract: GraphQLOutputType, actual: GraphQLOutputType, stringForEnum: boolean): boolean {
  if (isNonNullType(actual)) return outputFits(isNonNullType(contract) ? contract.ofType : contract, actual.ofType, stringForEnum);
  if (isNonNullType(contract)) return false;
  if (isListType(contract) || isListType(actual)) return isListType(contract) && isListType(actual) && outputFits(contract.ofType, actual.ofType, stringForEnum);
  const want = getNamedType(contract);
  const have = getNamedType(actual);
  return want.name === have.name || (stringForEnum && isEnumType(want) && have.name === 'String');
}

function compareFields(expected: GraphQLNamedType, actual: GraphQLNamedType, exact: boolean, problem: (message: string, type?: string, field?: string) => void): void {
  const name = expected.name;
  if (isScalarType(expected) || isUnionType(expected)) return;
  if (isEnumType(expected) && isEnumType(actual)) {
    const want = expected.getValues().map((v) => v.name);
    const have = actual.getValues().map((v) => v.name);
    const missing = want.filter((v) => !have.includes(v));
    const extra = have.filter((v) => !want.includes(v));
    if (missing.length || extra.length) {
      problem(`enum ${name} differs from the contract (${[missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `extra ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}); copy it exactly from schema/contract.graphql.`, name);
    }
    return;
  }
  if (isInputObjectType(expected) && isInputObjectType(actual)) {
    const want = expected.getFields();
    const have = actual.getFields();
    for (const f of Object.values(want)) {
      const a = have[f.name];
      if (!a) problem(`input ${name} is missing field ${f.name}: ${String(f.type)}; copy it exactly from schema/contract.graphql.`, name, f.name);
      else if (String(a.type) !== String(f.type)) problem(`${name}.${f.name} has type ${String(a.type)}; the contract says ${String(f.type)}.`, name, f.name);
    }
    for (const a of Object.values(have) as GraphQLInputField[]) {
      if (!want[a.name]) problem(`input ${name} has a field ${a.name} the contract does not have; shared inputs must be copied exactly.`, name, a.name);
    }
    return;
  }
  if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const want = expected.getFields();
    const have = actual.getFields();
    for (const f of Object.values(want)) {
      const a = have[f.name];
      if (!a) {
        problem(`${name}.${f.name} is missing; the contract has ${signature(f)}: copy it from schema/contract.graphql.`, name, f.name);
        continue;
      }
      if (!outputFits(f.type, a.type, !exact)) problem(`${name}.${f.name} has type ${String(a.type)}; the contract says ${String(f.type)} (the same type, or that type made non-null).`, name, f.name);
      for (const arg of f.args) {
        const got = a.args.find((x) => x.name === arg.name);
        if (!got) problem(`${name}.${f.name} lacks the argument ${arg.name}: ${String(arg.type)}; the contract has ${signature(f)}.`, name, f.name);
        else if (String(got.type) !== String(arg.type)) problem(`${name}.${f.name}(${arg.name}:) has type ${String(got.type)}; the contract says ${String(arg.type)}.`, name, f.name);
      }
      for (const extra of a.args) {
        if (!f.args.some((x) => x.name === extra.name) && isNonNullType(extra.type) && extra.defaultValue === undefined) {
          problem(`${name}.${f.name} requires an argument ${extra.name} the contract does not have; the hub would not send it (make it optional).`, name, f.name);
        }
      }
    }
    if (exact) {
      for (const a of Object.values(have)) if (!want[a.name]) problem(`${name} has a field ${a.name} the contract does not have; shared definitions must be copied exactly (add fields to your own types).`, name, a.name);
    }
    const wantInterfaces = expected.getInterfaces().map((i) => i.name);
    const haveInterfaces = actual.getInterfaces().map((i) => i.name);
    for (const i of wantInterfaces) if (!haveInterfaces.includes(i)) problem(`${name} must implement ${i}.`, name);
  }
}

/** Directives a department subgraph may not use: they move fields away from the subgraph that owns them. */
const TAKEOVER_DIRECTIVES = ['override', 'interfaceObject'];

/** The department that owns `MarketEntity` and may add its registration fields (DESIGN.md). */
const MARKET_ENTITY_OWNER = 'market';

/**
 * R30 at the schema level: a department adds only what is its own. Its root fields are named with
 * its code (`customs`, `customsRecordResults`); on `MarketEntity` it adds only its view (the
 * market department, which owns the entity, adds the registration data); it may not take fields
 * over from another subgraph (`@override`, `@interfaceObject`); and a type of its own may not
 * share a name with a type another subgraph defines (composition would merge them).
 */
export function checkBoundaries(entry: { name: string; code: string | null; sdl: string }, others: ReadonlyArray<{ name: string; sdl: string }>, templateSdl: string): Problem[] {
  if (entry.code === null) return [];
  const code = entry.code;
  const problems: Problem[] = [];
  const problem = (message: string, type?: string, field?: string) => problems.push({ kind: ProblemKind.CONTRACT, subgraph: entry.name, type: type ?? null, field: field ?? null, message: `subgraph ${entry.name}: ${message}` });
  let document: DocumentNode;
  try {
    document = parse(entry.sdl);
  } catch {
    return []; // reported by the contract check
  }
  const contractTypes = new Set(parse(templateSdlFor(templateSdl, code)).definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : [])));
  const definedByOthers = new Map<string, string>();
  for (const other of others) {
    try {
      for (const d of parse(other.sdl).definitions) if ('name' in d && d.name && !definedByOthers.has(d.name.value)) definedByOthers.set(d.name.value, other.name);
    } catch {
      /* another subgraph's SDL was accepted before; ignore */
    }
  }
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const name = definition.name.value;
    const directives = 'directives' in definition ? (definition.directives ?? []) : [];
    for (const d of directives) if (TAKEOVER_DIRECTIVES.includes(d.name.value)) problem(`@${d.name.value} on ${name} is not allowed for a department: it takes over what another subgraph serves.`, name);
    const fields = 'fields' in definition ? ((definition.fields ?? []) as ReadonlyArray<{ name: { value: string }; directives?: ReadonlyArray<{ name: { value: string } }> }>) : [];
    for (const f of fields) {
      for (const d of f.directives ?? []) if (TAKEOVER_DIRECTIVES.includes(d.name.value)) problem(`@${d.name.value} on ${name}.${f.name.value} is not allowed for a department: it takes over what another subgraph serves.`, name, f.name.value);
    }
    if (name === 'Query' || name === 'Mutation') {
      // `_entities` and `_service` are federation's own.
      for (const f of fields) if (!f.name.value.startsWith(code) && !f.name.value.startsWith('_')) problem(`${name}.${f.name.value}: a department's root fields are named with its code (${code}, ${code}RecordResults, ${code}...).`, name, f.name.value);
    } else if (name === 'MarketEntity') {
      if (code !== MARKET_ENTITY_OWNER) for (const f of fields) if (f.name.value !== 'uscc' && !f.name.value.startsWith(code)) problem(`MarketEntity.${f.name.value}: a department adds only its own view (MarketEntity.${code}) to the shared entity.`, name, f.name.value);
    } else if (!contractTypes.has(name) && !FEDERATION_TYPE.test(name) && definedByOthers.has(name) && definition.kind !== Kind.DIRECTIVE_DEFINITION && definition.kind !== Kind.SCALAR_TYPE_DEFINITION) {
      problem(`type ${name} is already defined by subgraph ${definedByOthers.get(name)}; name your own types with ${pascal(code)} (e.g. ${pascal(code)}${name}).`, name);
    }
  }
  return problems;
}
