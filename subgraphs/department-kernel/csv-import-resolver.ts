import type { ClassType } from '../../kernel/class-type';
import { Readable } from 'node:stream';
import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { assertDepartmentWriter } from './access';
import { badInput } from '../../kernel/errors';
import { CsvHeaderError, CsvReadError, importCsv, REJECT_KEY_COLUMNS, type ImportKind } from './csv-import';
import type { DepartmentContext } from './scope';

/**
 * Bytes of CSV (UTF-8: a Chinese character is 3) one call takes: under the request body cap (1 MiB
 * by default) with room for JSON's escaping; the page sends a large file in parts of at most
 * 400,000 bytes (web/src/work/csv-parts.ts).
 */
export const CSV_IMPORT_MAX_BYTES = 600_000;
/** Rows one call takes (one transaction). */
export const CSV_IMPORT_MAX_ROWS = 2000;
const KINDS: readonly ImportKind[] = ['targets', 'inspectors', 'checklist'];

const pascal = (code: string) => code.charAt(0).toUpperCase() + code.slice(1);

/**
 * R6 batch import from the officials' workspace (issue I): a department admin sends a CSV file, in
 * parts of at most CSV_IMPORT_MAX_ROWS rows each with the header (the page splits a large file and
 * shows its progress part by part), and gets the import's report row by row: what was stored,
 * what was already there, and each rejected row with its line, key and reason. The rules are the
 * API's, the same as `npm run import`'s (csv-import.ts). Only for the hub's own departments, whose
 * rosters and checklist live in their subgraph's database: it is not part of the department
 * contract (an outside department, or one joined by a connector, imports in its own system).
 * Types are per department (`MarketImportReport`), like its results: nothing shared to compose.
 */
export function createCsvImportResolver(code: string): ClassType {
  @ObjectType(`${pascal(code)}ImportCell`, {
    description: 'A cell of a rejected row that identifies it: its column and value.',
  })
  class ImportCell {
    @Field()
    column!: string;

    @Field()
    value!: string;
  }

  @ObjectType(`${pascal(code)}ImportRejectedRow`, {
    description: 'A row the import refused (R6), with the reason; the other rows are not stopped by it.',
  })
  class ImportRejectedRow {
    @Field(() => Int, { description: 'The line of the file, counting the header as line 1 (with `lineOffset` added).' })
    line!: number;

    @Field(() => [ImportCell], {
      description:
        "The row's identifying cells (targets: id, uscc, name; inspectors: id, name; checklist: code, title).",
    })
    key!: ImportCell[];

    @Field()
    reason!: string;
  }

  @ObjectType(`${pascal(code)}ImportReport`, { description: 'What one part of a CSV import did (R6).' })
  class ImportReport {
    @Field()
    kind!: string;

    @Field(() => Int, { description: 'Rows read (the header not counted).' })
    read!: number;

    @Field(() => Int, { description: 'Rows stored (new, replaced, or a new checklist version).' })
    imported!: number;

    @Field(() => Int, { description: 'Checklist rows already current exactly so: not written again.' })
    unchanged!: number;

    @Field(() => Int)
    rejectedCount!: number;

    @Field(() => [ImportRejectedRow], { description: 'Every rejected row of this part, in file order.' })
    rejected!: ImportRejectedRow[];
  }

  @Resolver()
  class CsvImportResolver {
    @Mutation(() => ImportReport, {
      name: `${code}ImportCsv`,
      description:
        `Imports a CSV file of targets, inspectors or checklist items into ${code}'s own database (R6), at most ` +
        `${CSV_IMPORT_MAX_ROWS} rows and ${CSV_IMPORT_MAX_BYTES} bytes (UTF-8) a call, the header row first. ` +
        `Every row is checked with the API's rules; rejected rows are reported and do not stop the others; ` +
        `re-sending stores nothing twice. Department admin.`,
    })
    async importCsv(
      @Arg('kind', () => String, { description: 'targets, inspectors or checklist.' }) kind: string,
      @Arg('csv', () => String, { description: 'The header row, then the rows.' }) csv: string,
      @Arg('lineOffset', () => Int, {
        defaultValue: 0,
        description: 'Added to every reported line: the lines of the file before this part (its header excluded).',
      })
      lineOffset: number,
      @Ctx() ctx: DepartmentContext,
    ) {
      assertDepartmentWriter(ctx.identity, code); // R30
      if (!KINDS.includes(kind as ImportKind))
        throw badInput(`kind '${kind.slice(0, 40)}': one of ${KINDS.join(', ')}.`, { field: 'kind' });
      const bytes = Buffer.byteLength(csv, 'utf8');
      if (bytes > CSV_IMPORT_MAX_BYTES)
        throw badInput(
          `csv: at most ${CSV_IMPORT_MAX_BYTES} bytes (UTF-8) a call, got ${bytes}; send the file in parts, ` +
            `each with the header row.`,
          { field: 'csv' },
        );
      if (!Number.isInteger(lineOffset) || lineOffset < 0)
        throw badInput('lineOffset: a whole number, 0 or more.', { field: 'lineOffset' });
      // Rows are counted before anything is stored: a part too large is refused whole.
      const rows = countRecords(csv) - 1;
      if (rows > CSV_IMPORT_MAX_ROWS)
        throw badInput(
          `csv: at most ${CSV_IMPORT_MAX_ROWS} rows a call, got ${rows}; send the file in parts, each with ` +
            `the header row.`,
          { field: 'csv' },
        );
      const rejected: ImportRejectedRow[] = [];
      try {
        // R6: every row checked with the API's rules and stored as `npm run import` stores it (targets and inspectors
        // in one transaction, checklist items one versioned change each).
        const report = await importCsv({
          manager: ctx.dept.repo.manager,
          department: code,
          kind: kind as ImportKind,
          input: Readable.from([csv]),
          batchSize: CSV_IMPORT_MAX_ROWS,
          actor: ctx.identity.subject,
          now: ctx.dept.clock,
          onReject: (r) =>
            rejected.push({
              line: r.line + lineOffset,
              key: REJECT_KEY_COLUMNS[kind as ImportKind].map((column) => ({ column, value: r.key[column] ?? '' })),
              reason: r.reason,
            }),
        });
        return {
          kind,
          read: report.read,
          imported: report.imported,
          unchanged: report.unchanged,
          rejectedCount: report.rejectedCount,
          rejected,
        };
      } catch (error) {
        // The file's own faults are the caller's to mend; a database failure stays a server fault.
        if (error instanceof CsvHeaderError || error instanceof CsvReadError)
          throw badInput(error.message, { field: 'csv', rule: 'R6' });
        throw error;
      }
    }
  }
  return CsvImportResolver;
}

/**
 * CSV records in a text: line breaks outside quoted cells (a quoted cell may hold one), a last line without one
 * counted.
 */
export function countRecords(csv: string): number {
  let records = 0;
  let quoted = false;
  let content = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && c === '\n') {
      if (content) records++;
      content = false;
    } else if (c !== '\r') content = true;
  }
  return records + (content ? 1 : 0);
}
