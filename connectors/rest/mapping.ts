import { z } from 'zod';
import { DEPARTMENT_CODE } from '../../kernel/codes';
import { fieldSpec, loadMappingFile } from '../core/field-mapping';

export { at, mapRecord, type FieldSpec } from '../core/field-mapping';

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
      batch: z
        .object({
          path: z.string().startsWith('/'),
          param: z.string().min(1),
          separator: z.string().min(1).default(','),
          max: z.number().int().min(1).max(1000),
          records: z.string().min(1),
        })
        .strict(),
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
        /**
         * The body sent: each upstream field name, and the field of a recorded result it takes (taskId, targetKey,
         * uscc, itemCode, itemVersion, outcome, method, notes, inspectors, inspectedOn, dishonesty).
         */
        fields: z.record(z.string(), z.string().min(1)),
      })
      .strict(),
  })
  .strict();
export type RestMapping = z.infer<typeof RestMapping>;

/** Reads and checks a REST connector mapping file; one message lists every problem. */
export function loadRestMapping(file: string): RestMapping {
  return loadMappingFile(file, RestMapping);
}
