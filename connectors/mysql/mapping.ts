import { z } from 'zod';
import { DEPARTMENT_CODE } from '../../kernel/codes';
import { fieldSpec, loadMappingFile } from '../core/field-mapping';

/** A table or column name of the existing schema (quoted with backticks when used). */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a table or column name: letters, digits and _');

const table = z
  .object({
    table: identifier,
    /** The column rows are keyed and paged by (the contract's id order). */
    key: identifier,
    fields: z.record(z.string(), fieldSpec),
  })
  .strict();

export const MysqlMapping = z
  .object({
    department: z.string().regex(DEPARTMENT_CODE, 'a department code: lowercase [a-z][a-z0-9]{1,19}'),
    name: z.string().min(1),
    targets: table.extend({ regionColumn: identifier }),
    inspectors: table,
    checklist: table,
    results: z
      .object({
        table: identifier,
        /** A unique column holding the hub's idempotency key. */
        idempotencyColumn: identifier,
        /** The column of the table's own id of a record. */
        idColumn: identifier,
        /**
         * Column name to the field of a recorded result it takes (taskId, uscc, itemCode, ...). Lists are stored
         * joined by `;`.
         */
        columns: z.record(identifier, z.string().min(1)),
      })
      .strict(),
  })
  .strict();
export type MysqlMapping = z.infer<typeof MysqlMapping>;

/** Reads and checks a MySQL connector mapping file; one message lists every problem. */
export function loadMysqlMapping(file: string): MysqlMapping {
  return loadMappingFile(file, MysqlMapping);
}
