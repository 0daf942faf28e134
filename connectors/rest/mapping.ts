import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEPARTMENT_CODE } from '../../subgraphs/kernel/codes';

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
      /** Upstream value (as a string) to contract value. A value missing from the map is a contract breach unless `default` is given. */
      map: z.record(z.string(), z.unknown()).optional(),
      /** Splits a delimited string into a list. */
      split: z.string().min(1).optional(),
      default: z.unknown().optional(),
    })
    .strict(),
]);
export type FieldSpec = z.infer<typeof fieldSpec>;

const paging = z
  .object({
    /** Page-number paging: the parameters and where the records and the total are in the answer. */
    pageParam: z.string().min(1),
    sizeParam: z.string().min(1),
    /** The largest page the upstream gives. */
    maxSize: z.number().int().min(1).max(10_000),
    records: z.string().min(1),
    total: z.string().min(1).optional(),
  })
  .strict();

const listResource = z
  .object({
    path: z.string().startsWith('/'),
    /** Contract filter name to upstream query parameter (e.g. `regionPrefix: areaPrefix`). */
    filters: z.record(z.string(), z.string()).optional(),
    /** Where the records are, when the answer is not paged. */
    records: z.string().min(1).optional(),
    fields: z.record(z.string(), fieldSpec),
  })
  .strict();

export const RestMapping = z
  .object({
    department: z.string().regex(DEPARTMENT_CODE, 'a department code: lowercase [a-z][a-z0-9]{1,19}'),
    name: z.string().min(1),
    /** The header the upstream's API key goes in; the key itself is configuration, never in the mapping. */
    auth: z.object({ header: z.string().min(1) }).strict(),
    healthPath: z.string().startsWith('/').default('/health'),
    paging,
    targets: listResource.extend({
      /** A lookup of many targets at once by USCC: one upstream call per batch of `max`. */
      batch: z.object({ path: z.string().startsWith('/'), param: z.string().min(1), separator: z.string().min(1).default(','), max: z.number().int().min(1).max(1000), records: z.string().min(1) }).strict(),
    }),
    inspectors: listResource,
    experts: listResource.optional(),
    checklist: listResource,
    results: z
      .object({
        path: z.string().startsWith('/'),
        idempotencyHeader: z.string().min(1),
        /** Where the upstream's answer says whether it made a new record. */
        created: z.string().min(1),
        /** Where the upstream's own id of the record is. */
        recordId: z.string().min(1),
        /** The body sent: each upstream field name, and the field of a recorded result it takes (taskId, targetKey, uscc, itemCode, itemVersion, outcome, method, notes, inspectors, inspectedOn, dishonesty). */
        fields: z.record(z.string(), z.string().min(1)),
      })
      .strict(),
  })
  .strict();
export type RestMapping = z.infer<typeof RestMapping>;

/** Reads and checks a mapping file (YAML or JSON); one message lists every problem. */
export function loadRestMapping(file: string): RestMapping {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`The connector mapping ${file} cannot be read: ${(error as Error).message}`);
  }
  const parsed = RestMapping.safeParse(raw);
  if (!parsed.success) throw new Error(`The connector mapping ${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
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
export function mapRecord(record: unknown, fields: Record<string, FieldSpec>): { value: Record<string, unknown>; problems: string[] } {
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
    if (spec.split !== undefined) v = String(v).split(spec.split).map((s) => s.trim()).filter(Boolean);
    if (spec.map) {
      const mapped = spec.map[String(v)];
      if (mapped === undefined) {
        if (spec.default === undefined) problems.push(`${name}: ${spec.from} '${String(v)}' is not in the mapping (${Object.keys(spec.map).join(', ')})`);
        v = spec.default ?? null;
      } else v = mapped;
    }
    value[name] = v;
  }
  return { value, problems };
}
