import {
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isEnumType,
  isObjectType,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { forDepartment, isDepartmentTemplate, type StoredOperation } from '../../operations';
import { outputChange } from './output-change';
import { ProblemKind, type Problem } from './problems';

/** The schemas one supergraph version offers to stored operations. */
export interface SchemaSet {
  /** The supergraph's API (what the gateway serves). */
  api: GraphQLSchema | null;
  /** Each subgraph's own schema, by subgraph name, with its department code when it is one. */
  subgraphs: Map<string, { code: string | null; schema: GraphQLSchema }>;
}

/** A field an operation reads, with the types it relies on. */
interface FieldUse {
  type: GraphQLOutputType;
  args: Map<string, string>;
}

/** Every `Type.field` an operation selects, with its type and the types of the arguments it passes. */
function fieldsUsed(schema: GraphQLSchema, document: DocumentNode): Map<string, FieldUse> {
  const used = new Map<string, FieldUse>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field || node.name.value.startsWith('__')) return;
        const coordinate = `${parent.name}.${field.name}`;
        const use = used.get(coordinate) ?? { type: field.type, args: new Map<string, string>() };
        for (const arg of node.arguments ?? []) {
          const def = field.args.find((a) => a.name === arg.name.value);
          if (def) use.args.set(def.name, String(def.type));
        }
        used.set(coordinate, use);
      },
    }),
  );
  return used;
}

/** Input types an operation's variables use, with their fields (a removed input field breaks a sender). */
function inputTypesUsed(schema: GraphQLSchema, document: DocumentNode): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (type: GraphQLType | undefined) => {
    const named = type && getNamedType(type);
    if (!named || out.has(named.name)) return;
    if (isInputObjectType(named)) {
      out.set(
        named.name,
        Object.values(named.getFields()).map((f) => `${f.name}: ${String(f.type)}`),
      );
      for (const f of Object.values(named.getFields())) add(f.type);
    } else if (isEnumType(named)) {
      out.set(
        named.name,
        named.getValues().map((v) => v.name),
      );
    }
  };
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      VariableDefinition: () => void add(typeInfo.getInputType() ?? undefined),
      Argument: () => void add(typeInfo.getArgument()?.type),
    }),
  );
  return out;
}

/**
 * What in the new schema breaks what an operation relies on in the old one; empty when nothing.
 *
 * A break: a type or field it reads removed, an argument or input field it sends removed or
 * retyped, an enum value it sends removed, anything the new schema no longer validates, or a field
 * it reads whose type changes. Two changes of an output field's type are not breaks
 * (`outputChange`, output-change.ts): (a) non-null becoming nullable (`Query.tax: TaxQuery!` →
 * `TaxQuery`, so one refused part no longer nulls the whole answer): the operation still validates
 * and runs, and a null now appears only where the old schema propagated the same error's null
 * further up, never where it gave a value; (b) a `String` becoming an enum with the same values
 * (`status: String!` → `ResultStatus!`): they are serialized as the same strings. A field that was
 * nullable and now never is reads the same too. The registry's schema diff lists (a) and (b) as
 * notes (schema-diff.ts).
 */
export function breakages(before: GraphQLSchema, after: GraphQLSchema, document: DocumentNode): string[] {
  if (validate(before, document).length > 0) return []; // not working before: this change breaks nothing of it
  const out: string[] = [];
  for (const [coordinate, use] of fieldsUsed(before, document)) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = after.getType(typeName);
    if (!type) {
      out.push(`type ${typeName} is removed`);
      continue;
    }
    if (!isObjectType(type) && !isInterfaceType(type)) {
      out.push(`${typeName} is no longer an object type`);
      continue;
    }
    const field = type.getFields()[fieldName];
    if (!field) {
      out.push(`${coordinate} is removed`);
      continue;
    }
    if (outputChange(use.type, field.type) === 'break')
      out.push(`${coordinate} changes type from ${String(use.type)} to ${String(field.type)}`);
    for (const [arg, argType] of use.args) {
      const def = field.args.find((a) => a.name === arg);
      if (!def) out.push(`${coordinate} loses the argument ${arg}`);
      else if (String(def.type) !== argType)
        out.push(`${coordinate}(${arg}:) changes type from ${argType} to ${String(def.type)}`);
    }
  }
  const afterInputs = inputTypesUsed(after, document);
  for (const [name, members] of inputTypesUsed(before, document)) {
    const now = afterInputs.get(name);
    if (!now) continue; // reported below by validation if the operation can no longer name it
    const lost = members.filter((m) => !now.includes(m));
    if (lost.length) out.push(`${name} loses or changes ${lost.join(', ')}`);
  }
  for (const error of validate(after, document)) {
    if (!out.some((o) => error.message.includes(o))) out.push(error.message);
  }
  return [...new Set(out)];
}

/**
 * The stored operations a change would break: each one that works on the current version and
 * would not on the proposed one (a field it reads removed or changed, an argument or input it
 * sends changed). Department operations are checked against each department subgraph as the
 * joint service sends them (with the code put in), including departments that are new (the joint
 * service will send them these); market operations against the market subgraph; gateway
 * and web operations against the supergraph's API, a web department template once per department.
 */
export function checkOperations(
  operations: readonly StoredOperation[],
  before: SchemaSet,
  after: SchemaSet,
): Problem[] {
  const problems: Problem[] = [];
  const report = (operation: StoredOperation, where: string, reasons: string[], subgraph: string | null) => {
    if (reasons.length === 0) return;
    problems.push({
      kind: ProblemKind.OPERATION,
      operation: operation.name,
      subgraph,
      message:
        `stored operation ${operation.name} (operations/${operation.file}${where}) would break: ` +
        `${reasons.join('; ')}.`,
    });
  };
  for (const operation of operations) {
    if (operation.target === 'web' && isDepartmentTemplate(operation.document)) {
      // Sent through the gateway once per department (the page asks every department): checked
      // against the API for each department, a new one included.
      if (!after.api) continue;
      for (const [name, next] of after.subgraphs) {
        if (next.code === null) continue;
        const document = forDepartment(operation.document, next.code);
        const known = [...before.subgraphs.values()].some((s) => s.code === next.code);
        report(
          operation,
          `, as sent for ${next.code}`,
          known && before.api
            ? breakages(before.api, after.api, document)
            : validate(after.api, document).map((e) => e.message),
          name,
        );
      }
      continue;
    }
    if (operation.target === 'gateway' || operation.target === 'web') {
      // Checked from the second version on: the first may not hold every service an operation reads yet.
      if (before.api && after.api) report(operation, '', breakages(before.api, after.api, operation.document), null);
      continue;
    }
    for (const [name, next] of after.subgraphs) {
      if (operation.target === 'market' ? name !== 'market' : next.code === null) continue;
      const document =
        operation.target === 'departments' ? forDepartment(operation.document, next.code!) : operation.document;
      const previous = before.subgraphs.get(name);
      if (previous) {
        if (previous.schema !== next.schema)
          report(operation, `, as sent to ${name}`, breakages(previous.schema, next.schema, document), name);
      } else {
        report(
          operation,
          `, as sent to ${name}`,
          validate(next.schema, document).map((e) => e.message),
          name,
        );
      }
    }
    if (operation.target === 'market' && before.subgraphs.has('market') && !after.subgraphs.has('market')) {
      report(operation, '', ['the market subgraph it is sent to would be removed'], 'market');
    }
  }
  return problems;
}
