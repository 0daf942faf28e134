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
          dir.arguments?.some(
            (a) => a.name.value === 'fields' && a.value.kind === Kind.STRING && a.value.value.trim() === 'uscc',
          ) &&
          !dir.arguments?.some(
            (a) => a.name.value === 'resolvable' && a.value.kind === Kind.BOOLEAN && a.value.value === false,
          ),
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
    problems.push({
      kind: ProblemKind.CONTRACT,
      subgraph,
      type: type ?? null,
      field: field ?? null,
      message: `subgraph ${subgraph}: ${message}`,
    });
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
    problem(
      `MarketEntity must be an entity it resolves: type MarketEntity @key(fields: "uscc") { uscc: String! ` +
        `${code}: ${own}View }, with a batched __resolveReference.`,
      'MarketEntity',
    );
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
  if (isNonNullType(actual))
    return outputFits(isNonNullType(contract) ? contract.ofType : contract, actual.ofType, stringForEnum);
  if (isNonNullType(contract)) return false;
  if (isListType(contract) || isListType(actual))
    return isListType(contract) && isListType(actual) && outputFits(contract.ofType, actual.ofType, stringForEnum);
  const want = getNamedType(contract);
  const have = getNamedType(actual);
  return want.name === have.name || (stringForEnum && isEnumType(want) && have.name === 'String');
}

function compareFields(
  expected: GraphQLNamedType,
  actual: GraphQLNamedType,
  exact: boolean,
  problem: (message: string, type?: string, field?: string) => void,
): void {
  const name = expected.name;
  if (isScalarType(expected) || isUnionType(expected)) return;
  if (isEnumType(expected) && isEnumType(actual)) {
    const want = expected.getValues().map((v) => v.name);
    const have = actual.getValues().map((v) => v.name);
    const missing = want.filter((v) => !have.includes(v));
    const extra = have.filter((v) => !want.includes(v));
    if (missing.length || extra.length) {
      problem(
        `enum ${name} differs from the contract ` +
          (`(${[missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `extra ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}); ` +
            `` +
            `` +
            ``) +
          `copy it exactly from schema/contract.graphql.`,
        name,
      );
    }
    return;
  }
  if (isInputObjectType(expected) && isInputObjectType(actual)) {
    const want = expected.getFields();
    const have = actual.getFields();
    for (const f of Object.values(want)) {
      const a = have[f.name];
      if (!a)
        problem(
          `input ${name} is missing field ${f.name}: ${String(f.type)}; copy it exactly from schema/contract.graphql.`,
          name,
          f.name,
        );
      else if (String(a.type) !== String(f.type))
        problem(`${name}.${f.name} has type ${String(a.type)}; the contract says ${String(f.type)}.`, name, f.name);
    }
    for (const a of Object.values(have) as GraphQLInputField[]) {
      if (!want[a.name])
        problem(
          `input ${name} has a field ${a.name} the contract does not have; shared inputs must be copied exactly.`,
          name,
          a.name,
        );
    }
    return;
  }
  if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const want = expected.getFields();
    const have = actual.getFields();
    for (const f of Object.values(want)) {
      const a = have[f.name];
      if (!a) {
        problem(
          `${name}.${f.name} is missing; the contract has ${signature(f)}: copy it from schema/contract.graphql.`,
          name,
          f.name,
        );
        continue;
      }
      if (!outputFits(f.type, a.type, !exact))
        problem(
          `${name}.${f.name} has type ${String(a.type)}; the contract says ${String(f.type)} (the same type, ` +
            `or that type made non-null).`,
          name,
          f.name,
        );
      for (const arg of f.args) {
        const got = a.args.find((x) => x.name === arg.name);
        if (!got)
          problem(
            `${name}.${f.name} lacks the argument ${arg.name}: ${String(arg.type)}; the contract has ${signature(f)}.`,
            name,
            f.name,
          );
        else if (String(got.type) !== String(arg.type))
          problem(
            `${name}.${f.name}(${arg.name}:) has type ${String(got.type)}; the contract says ${String(arg.type)}.`,
            name,
            f.name,
          );
      }
      for (const extra of a.args) {
        if (
          !f.args.some((x) => x.name === extra.name) &&
          isNonNullType(extra.type) &&
          extra.defaultValue === undefined
        ) {
          problem(
            `${name}.${f.name} requires an argument ${extra.name} the contract does not have; the hub would ` +
              `not send it (make it optional).`,
            name,
            f.name,
          );
        }
      }
    }
    if (exact) {
      for (const a of Object.values(have))
        if (!want[a.name])
          problem(
            `${name} has a field ${a.name} the contract does not have; shared definitions must be copied ` +
              `exactly (add fields to your own types).`,
            name,
            a.name,
          );
    }
    const wantInterfaces = expected.getInterfaces().map((i) => i.name);
    const haveInterfaces = actual.getInterfaces().map((i) => i.name);
    for (const i of wantInterfaces) if (!haveInterfaces.includes(i)) problem(`${name} must implement ${i}.`, name);
  }
}

/** Directives no subgraph may use: they move fields away from the subgraph that serves them (H2). */
const TAKEOVER_DIRECTIVES = ['override', 'interfaceObject'];

/** The department that owns `MarketEntity` and may add its registration fields (DESIGN.md). */
const MARKET_ENTITY_OWNER = 'market';

/**
 * The federation directives a subgraph SDL names under another name: `@federation__override`, or
 * an alias it imports (`@link(import: [{ name: "@override", as: "@take" }])`). Maps the name used
 * to the federation name, so that a takeover cannot hide behind a rename.
 */
function federationDirectiveNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const imports = link.arguments?.find((a) => a.name.value === 'import')?.value;
      if (imports?.kind !== Kind.LIST) continue;
      for (const item of imports.values) {
        if (item.kind !== Kind.OBJECT) continue;
        const field = (key: string) => item.fields.find((f) => f.name.value === key)?.value;
        const name = field('name');
        const as = field('as');
        if (name?.kind === Kind.STRING && as?.kind === Kind.STRING)
          names.set(as.value.replace(/^@/, ''), name.value.replace(/^@/, ''));
      }
    }
  }
  return names;
}

/** The fields named in a type's `@key`s, or null when it has none (it is no entity). */
function keyFieldsOf(
  directives: ReadonlyArray<{
    name: { value: string };
    arguments?: ReadonlyArray<{ name: { value: string }; value: { kind: string; value?: unknown } }>;
  }>,
  renamed: Map<string, string>,
): Set<string> | null {
  const keys = directives.filter(
    (d) => (renamed.get(d.name.value) ?? d.name.value.replace(/^federation__/, '')) === 'key',
  );
  if (!keys.length) return null;
  const names = new Set<string>();
  for (const key of keys) {
    const fields = key.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind === Kind.STRING)
      for (const word of String(fields.value).match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? []) names.add(word);
  }
  return names;
}

/**
 * R30 at the schema level, for every subgraph (H2: a hub service with `MarketEntity.name
 * @override(from: "market")` replaced the register's names the public reads). No subgraph takes
 * fields over from another (`@override`, `@interfaceObject`, under any name). On `MarketEntity`
 * a subgraph adds only `uscc` and fields named with its own namespace: a department's code (its
 * view, `MarketEntity.customs`), a hub service's name (`MarketEntity.jointX`); market, which owns
 * the entity, adds the register data. A type of its own may not share a name with a type another
 * subgraph defines (composition would merge them), the contract's shared types aside; a hub
 * service may refer to another subgraph's entity, adding only its key and fields named with its
 * name (as joint refers to `MarketEntity`). A
 * department's root fields are named with its code (`customs`, `customsRecordResults`).
 */
export function checkBoundaries(
  entry: { name: string; code: string | null; sdl: string },
  others: ReadonlyArray<{ name: string; sdl: string }>,
  templateSdl: string,
): Problem[] {
  const code = entry.code;
  /** The prefix of what the subgraph may add to shared types: its department code, or its own name. */
  const namespace = code ?? entry.name;
  const who = code === null ? 'a hub service' : 'a department';
  const problems: Problem[] = [];
  const problem = (message: string, type?: string, field?: string) =>
    problems.push({
      kind: ProblemKind.CONTRACT,
      subgraph: entry.name,
      type: type ?? null,
      field: field ?? null,
      message: `subgraph ${entry.name}: ${message}`,
    });
  let document: DocumentNode;
  try {
    document = parse(entry.sdl);
  } catch {
    return []; // reported by the contract check, or composition
  }
  const renamed = federationDirectiveNames(document);
  const takeover = (directive: { name: { value: string } }): string | null => {
    const used = directive.name.value;
    const federationName = renamed.get(used) ?? used.replace(/^federation__/, '');
    return TAKEOVER_DIRECTIVES.includes(federationName) ? used : null;
  };
  // The contract's shared definitions (interfaces, enums, inputs, PageInfo): every subgraph may copy them.
  const contractTypes = new Set(
    parse(templateSdlFor(templateSdl, code ?? 'example'))
      .definitions.flatMap((d) => ('name' in d && d.name ? [d.name.value] : []))
      .filter((name) => code !== null || !/^example/i.test(name)),
  );
  const definedByOthers = new Map<string, string>();
  for (const other of others) {
    try {
      for (const d of parse(other.sdl).definitions)
        if ('name' in d && d.name && !definedByOthers.has(d.name.value)) definedByOthers.set(d.name.value, other.name);
    } catch {
      /* another subgraph's SDL was accepted before; ignore */
    }
  }
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const name = definition.name.value;
    const directives = 'directives' in definition ? (definition.directives ?? []) : [];
    for (const d of directives) {
      const used = takeover(d);
      if (used)
        problem(
          `@${used} on ${name} is not allowed for any subgraph: it takes over what another subgraph serves.`,
          name,
        );
    }
    const fields =
      'fields' in definition
        ? ((definition.fields ?? []) as ReadonlyArray<{
            name: { value: string };
            directives?: ReadonlyArray<{ name: { value: string } }>;
          }>)
        : [];
    for (const f of fields) {
      for (const d of f.directives ?? []) {
        const used = takeover(d);
        if (used)
          problem(
            `@${used} on ${name}.${f.name.value} is not allowed for any subgraph: it takes over what another ` +
              `subgraph serves.`,
            name,
            f.name.value,
          );
      }
    }
    if (name === 'Query' || name === 'Mutation') {
      // `_entities` and `_service` are federation's own; hub services name theirs freely.
      if (code !== null)
        for (const f of fields)
          if (!f.name.value.startsWith(code) && !f.name.value.startsWith('_'))
            problem(
              `${name}.${f.name.value}: a department's root fields are named with its code (${code}, ` +
                `${code}RecordResults, ${code}...).`,
              name,
              f.name.value,
            );
    } else if (name === 'MarketEntity') {
      if (code !== MARKET_ENTITY_OWNER) {
        for (const f of fields) {
          if (f.name.value === 'uscc' || f.name.value.startsWith(namespace)) continue;
          const own =
            code === null
              ? `fields named with its name (MarketEntity.${namespace}...)`
              : `its own view (MarketEntity.${code})`;
          problem(
            `MarketEntity.${f.name.value}: ${who} adds only ${own} to the shared entity; the register's ` +
              `fields are market's.`,
            name,
            f.name.value,
          );
        }
      }
    } else if (
      !contractTypes.has(name) &&
      !FEDERATION_TYPE.test(name) &&
      definedByOthers.has(name) &&
      definition.kind !== Kind.DIRECTIVE_DEFINITION &&
      definition.kind !== Kind.SCALAR_TYPE_DEFINITION
    ) {
      const keyFields = code === null ? keyFieldsOf(directives, renamed) : null;
      if (keyFields) {
        // A hub service refers to another subgraph's entity by its key, and may add fields of its own to it.
        for (const f of fields)
          if (!keyFields.has(f.name.value) && !f.name.value.startsWith(namespace))
            problem(
              `${name}.${f.name.value}: ${name} is an entity of subgraph ${definedByOthers.get(name)}; a hub ` +
                `service adds to it only fields named with its name (${name}.${namespace}...).`,
              name,
              f.name.value,
            );
        continue;
      }
      problem(
        `type ${name} is already defined by subgraph ${definedByOthers.get(name)}; name your own types with ` +
          `${pascal(namespace)} (e.g. ${pascal(namespace)}${name}).`,
        name,
      );
    }
  }
  return problems;
}
