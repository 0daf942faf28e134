import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { outputChange, outputChangeNote } from './output-change';

/** What changed between two versions of the supergraph's API, as schema coordinates (`Type.field`). */
export interface SchemaDiff {
  addedTypes: string[];
  removedTypes: string[];
  addedFields: string[];
  removedFields: string[];
  /** `Type.field: Old -> New`. */
  changedFields: string[];
  /**
   * Changed output fields that stored operations survive (operations-check.ts): `Type.field: Old ->
   * New: why`, for a field now nullable or a String now an enum.
   */
  notes: string[];
}

function members(type: GraphQLNamedType): Map<string, string> {
  if (isObjectType(type) || isInterfaceType(type)) {
    return new Map(
      Object.values(type.getFields()).map((f) => [
        f.name,
        `${f.args.length ? `(${f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ')})` : ''}${String(f.type)}`,
      ]),
    );
  }
  if (isInputObjectType(type)) return new Map(Object.values(type.getFields()).map((f) => [f.name, String(f.type)]));
  if (isEnumType(type)) return new Map(type.getValues().map((v) => [v.name, 'value']));
  return new Map();
}

/**
 * Why a changed field with the same arguments is no break for stored operations; null when it is one (or not an output
 * field).
 */
function outputNote(before: GraphQLNamedType, after: GraphQLNamedType, name: string): string | null {
  if (!(isObjectType(before) || isInterfaceType(before)) || !(isObjectType(after) || isInterfaceType(after)))
    return null;
  const was = before.getFields()[name]!;
  const is = after.getFields()[name]!;
  const args = (f: typeof was) => f.args.map((a) => `${a.name}: ${String(a.type)}`).join(', ');
  if (args(was) !== args(is)) return null;
  return outputChangeNote(outputChange(was.type, is.type));
}

/** The types and fields added, removed and changed from one API schema to another (sorted). */
export function diffSchemas(before: GraphQLSchema, after: GraphQLSchema): SchemaDiff {
  const diff: SchemaDiff = {
    addedTypes: [],
    removedTypes: [],
    addedFields: [],
    removedFields: [],
    changedFields: [],
    notes: [],
  };
  const named = (schema: GraphQLSchema) =>
    new Map(
      Object.values(schema.getTypeMap())
        .filter((t) => !isIntrospectionType(t))
        .map((t) => [t.name, t]),
    );
  const old = named(before);
  const now = named(after);
  for (const [name, type] of now) {
    const previous = old.get(name);
    if (!previous) {
      diff.addedTypes.push(name);
      continue;
    }
    const was = members(previous);
    const is = members(type);
    for (const [field, shape] of is) {
      const before = was.get(field);
      if (before === undefined) diff.addedFields.push(`${name}.${field}`);
      else if (before !== shape) {
        diff.changedFields.push(`${name}.${field}: ${before} -> ${shape}`);
        const note = outputNote(previous, type, field);
        if (note) diff.notes.push(`${name}.${field}: ${before} -> ${shape}: ${note}`);
      }
    }
    for (const field of was.keys()) if (!is.has(field)) diff.removedFields.push(`${name}.${field}`);
  }
  for (const name of old.keys()) if (!now.has(name)) diff.removedTypes.push(name);
  for (const list of Object.values(diff)) list.sort();
  return diff;
}
