import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * How one field of the department contract is read from an upstream record: a path into the
 * record (`credit_code`, `data.unit.code`), or `{ from, map, split, default }`, or `{ const }`.
 */
export const fieldSpec = z.union([
  z.string().min(1),
  z.object({ const: z.unknown() }).strict(),
  z
    .object({
      from: z.string().min(1),
      /**
       * Upstream value (as a string) to contract value. A value missing from the map is a contract breach unless
       * `default` is given.
       */
      map: z.record(z.string(), z.unknown()).optional(),
      /** Splits a delimited string into a list. */
      split: z.string().min(1).optional(),
      default: z.unknown().optional(),
    })
    .strict(),
]);
export type FieldSpec = z.infer<typeof fieldSpec>;

/** Reads and checks a connector mapping file (YAML or JSON) against its schema; one message lists every problem. */
export function loadMappingFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`The connector mapping ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `The connector mapping ${file} is not valid: ` +
        `${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The value at a dotted path of a record (`data.records`). */
export function at(record: unknown, path: string): unknown {
  let value = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * One upstream record in the contract's field names, by the mapping's field specs. A value the
 * mapping does not know (an unmapped code, a missing required field) is returned as a problem,
 * so the connector can name the record and the field.
 */
export function mapRecord(
  record: unknown,
  fields: Record<string, FieldSpec>,
): { value: Record<string, unknown>; problems: string[] } {
  const value: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    if (typeof spec === 'string') {
      const v = at(record, spec);
      if (v === undefined) problems.push(`${name}: the record has no ${spec}`);
      value[name] = v ?? null;
      continue;
    }
    if ('const' in spec) {
      value[name] = spec.const;
      continue;
    }
    let v = at(record, spec.from);
    if (v === undefined || v === null) {
      if (spec.default === undefined) problems.push(`${name}: the record has no ${spec.from}`);
      value[name] = spec.default ?? null;
      continue;
    }
    if (spec.split !== undefined)
      v = String(v)
        .split(spec.split)
        .map((s) => s.trim())
        .filter(Boolean);
    if (spec.map) {
      const mapped = spec.map[String(v)];
      if (mapped === undefined) {
        if (spec.default === undefined)
          problems.push(
            `${name}: ${spec.from} '${String(v)}' is not in the mapping (${Object.keys(spec.map).join(', ')})`,
          );
        v = spec.default ?? null;
      } else v = mapped;
    }
    value[name] = v;
  }
  return { value, problems };
}
