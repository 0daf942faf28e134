import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { GraphQLError } from 'graphql';
import { In, type EntityManager } from 'typeorm';
import { CreditLevel, InspectionMethod, ItemCategory, RiskLevel, TargetKind } from './contract/enums';
import type { ChecklistItemInput, RosterTargetInput } from './contract/inputs';
import { validateChecklistItem, type ChecklistItemContent } from './checklist-rules';
import { InspectorRow, type RosterTargetRow } from './entities';
import { DepartmentRepository } from './repository';
import { toRosterRows } from './roster-rules';
import { ITEM_CODE } from '../../kernel/codes';
import { chunk } from '../../kernel/datasource';
import { requireText } from '../../kernel/validation';
import { CSV_COLUMNS, REJECT_KEY_COLUMNS, type ImportKind } from './csv-columns';

export { CSV_COLUMNS, REJECT_KEY_COLUMNS, type ImportKind } from './csv-columns';

export interface RejectedRow {
  /** The line of the file (the header is line 1). */
  line: number;
  /** The row's cells of REJECT_KEY_COLUMNS, as far as the row has them ('' where not). */
  key: Record<string, string>;
  reason: string;
}

/** A file csv-parse cannot read (a quote left open, ...): the file's fault, with how much was stored before it. */
export class CsvReadError extends Error {}

/**
 * A header that does not fit the kind's columns (missing or unknown ones): found before any row is read, a usage error.
 */
export class CsvHeaderError extends Error {}

export interface ImportReport {
  kind: ImportKind;
  read: number;
  imported: number;
  /** Rows already stored exactly so (a re-run): not written again. */
  unchanged: number;
  /** How many rows were rejected (each was passed to `onReject`). */
  rejectedCount: number;
  /** The first rejects, for a summary (all of them go to `onReject`: a file of bad rows is not held in memory). */
  rejected: RejectedRow[];
}

/** Rejects kept in the report itself; the rest only go to `onReject`. */
const REJECTS_KEPT = 1000;

export interface ImportOptions {
  /** The department's own database (a transaction's manager, or the data source's). */
  manager: EntityManager;
  department: string;
  kind: ImportKind;
  input: Readable;
  /** Rows per transaction. */
  batchSize?: number;
  /** Who the rows are recorded by (checklist versions name it). */
  actor?: string;
  now?: () => Date;
  onProgress?: (read: number) => void;
  /** Each rejected row as it is found (the CLI writes them to the report file). */
  onReject?: (rejected: RejectedRow) => void;
}

const LIST_SEPARATOR = ';';
const list = (value: string | undefined) =>
  (value ?? '')
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);

function oneOf<T extends string>(values: Record<string, T>, value: string, column: string): T {
  const allowed = Object.values(values);
  if (!allowed.includes(value as T)) throw new Error(`${column} '${value}' is not one of ${allowed.join(', ')}`);
  return value as T;
}

function wholeNumber(value: string, column: string): number {
  if (!/^\d+$/.test(value.trim())) throw new Error(`${column} '${value}' is not a whole number, 0 or more`);
  return Number(value);
}

/** A validation failure as the reason a person reads (the kernel's messages name the input field; here the column). */
function reasonOf(error: unknown): string {
  const message = (error as Error).message;
  return error instanceof GraphQLError ? message.replace(/^(targets\[0\]|input)\./, '') : message;
}

/**
 * R6 batch import: `npm run import` (issue E) and a department admin's import in the workspace
 * (`<code>ImportCsv`, issue I). Reads a CSV file as a stream, checks every row with
 * the same rules as the API (USCC check character, required fields, enums, R1/R2 for checklist
 * items), and stores the valid rows in one transaction per batch; invalid rows are reported with
 * their line, key (REJECT_KEY_COLUMNS) and reason and do not stop the others. A header that does
 * not fit is a CsvHeaderError, before any row. Re-running the same file stores nothing twice:
 * targets and inspectors are keyed by id (replaced), checklist items whose current version already
 * has this content are left alone (a changed one becomes a new version, R5).
 */
export async function importCsv(options: ImportOptions): Promise<ImportReport> {
  const { kind, department } = options;
  const batchSize = options.batchSize ?? 2000;
  const now = options.now ?? (() => new Date());
  const repo = new DepartmentRepository(options.manager, department);
  const report: ImportReport = { kind, read: 0, imported: 0, unchanged: 0, rejectedCount: 0, rejected: [] };
  const reject = (r: RejectedRow) => {
    report.rejectedCount++;
    if (report.rejected.length < REJECTS_KEPT) report.rejected.push(r);
    options.onReject?.(r);
  };
  const columns = CSV_COLUMNS[kind];
  // Checklist files are small; a code twice in one would make a version per run: the second is refused.
  const seenCodes = new Map<string, number>();
  const checkHeader = (header: string[]) => {
    const missing = columns.required.filter((c) => !header.includes(c));
    const unknown = header.filter((c) => !columns.required.includes(c) && !columns.optional.includes(c));
    if (missing.length || unknown.length) {
      const problems = [
        missing.length ? `missing ${missing.join(', ')}` : '',
        unknown.length ? `unknown ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      throw new CsvHeaderError(
        `The header of this ${kind} file does not fit: ${problems}. A ${kind} file has the columns ` +
          `${columns.required.join(', ')} (required) and ${columns.optional.join(', ')} (optional), in any ` +
          `order; README ("CSV files") says what each holds.`,
      );
    }
    return header;
  };
  // `info` gives each record its line in the file (a reject names it); the header is checked as it is read.
  const parser = options.input.pipe(
    parse({
      columns: checkHeader,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  let pending: Array<{ line: number; key: Record<string, string>; value: unknown }> = [];

  /**
   * R7: an enforcement certificate belongs to one person. A row whose certificate number another
   * inspector (another id) holds, stored or earlier in the batch, is rejected before anything is
   * written: on MySQL an upsert would otherwise update that other inspector's row. (Two imports of
   * one department at once could still race between this read and the write.)
   */
  const withoutCertificateClashes = async (batch: typeof pending) => {
    const rows = batch.map((b) => b.value as InspectorRow);
    const stored = await options.manager.find(InspectorRow, {
      select: { id: true, certificateNo: true },
      where: { certificateNo: In([...new Set(rows.map((r) => r.certificateNo))]) },
    });
    const storedHolder = new Map(stored.map((r) => [r.certificateNo, r.id]));
    const fileHolder = new Map<string, string>();
    return batch.filter((b) => {
      const row = b.value as InspectorRow;
      const inStore = storedHolder.get(row.certificateNo);
      const inFile = fileHolder.get(row.certificateNo);
      const clash =
        inFile !== undefined && inFile !== row.id
          ? 'an earlier row of this file'
          : inStore !== undefined && inStore !== row.id
            ? 'another inspector already stored'
            : null;
      if (clash) {
        reject({
          line: b.line,
          key: b.key,
          reason:
            `certificateNo ${row.certificateNo} is held by ${clash} (another id): an enforcement certificate ` +
            `belongs to one person (R7)`,
        });
        return false;
      }
      fileHolder.set(row.certificateNo, row.id);
      return true;
    });
  };

  const flush = async () => {
    if (pending.length === 0) return;
    let batch = pending;
    pending = [];
    if (kind === 'targets') {
      // A target's only unique key is its id, on which the upsert replaces.
      await repo.upsertTargets(batch.map((b) => b.value as RosterTargetRow));
      report.imported += batch.length;
    } else if (kind === 'inspectors') {
      batch = await withoutCertificateClashes(batch);
      await options.manager.transaction(async (tx) => {
        for (const part of chunk(
          batch.map((b) => b.value as InspectorRow),
          200,
        ))
          await tx.upsert(InspectorRow, part, ['id']);
      });
      report.imported += batch.length;
    } else {
      for (const b of batch) {
        const { code, content } = b.value as { code: string; content: ChecklistItemContent };
        try {
          const current = await repo.checklistItem(code);
          if (!current || current.status !== 'CURRENT') {
            if (current) throw new Error(`item ${code} was repealed; a repealed item is not brought back by an import`);
            await repo.addChecklistItem(code, content, options.actor ?? 'csv-import', now());
            report.imported++;
          } else if (sameContent(current as unknown as Record<string, unknown>, content)) {
            report.unchanged++;
          } else {
            await repo.changeChecklistItem(
              code,
              content,
              'revised by CSV import',
              options.actor ?? 'csv-import',
              now(),
            );
            report.imported++;
          }
        } catch (error) {
          reject({ line: b.line, key: b.key, reason: reasonOf(error) });
        }
      }
    }
  };

  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      // The line the record starts on (a quoted cell may span lines).
      const line = info.lines - (Object.values(record).join('').match(/\n/g)?.length ?? 0);
      report.read++;
      const key = Object.fromEntries(REJECT_KEY_COLUMNS[kind].map((c) => [c, record[c] ?? '']));
      try {
        const value = parseRow(kind, record, now());
        if (kind === 'checklist') {
          const code = (value as { code: string }).code;
          const first = seenCodes.get(code);
          if (first !== undefined) throw new Error(`item ${code} is already on line ${first} of this file`);
          seenCodes.set(code, line);
        }
        pending.push({ line, key, value });
      } catch (error) {
        reject({ line, key, reason: reasonOf(error) });
      }
      if (pending.length >= batchSize) await flush();
      options.onProgress?.(report.read);
    }
  } catch (error) {
    // Only csv-parse's own errors are the file's; the database's (or the disk's) go on as they are.
    if (!(error instanceof CsvError)) throw error;
    throw new CsvReadError(
      `The file cannot be read: ${(error as Error).message} ${report.imported} rows were stored before it ` +
        `(their batches are committed); mend the file and run it again (nothing is stored twice).`,
    );
  }
  await flush();
  return report;
}

function parseRow(kind: ImportKind, r: Record<string, string>, now: Date): unknown {
  const empty = CSV_COLUMNS[kind].required.filter((c) => (r[c] ?? '').trim() === '');
  if (empty.length)
    throw new Error(
      `${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} empty (the row has ` +
        `${Object.values(r).filter((v) => v !== undefined).length} cells)`,
    );
  if (kind === 'targets') {
    const input: RosterTargetInput = {
      id: r.id || null,
      kind: oneOf(TargetKind, r.kind!, 'kind'),
      uscc: r.uscc || null,
      name: r.name!,
      regionCode: r.regionCode!,
      industryCode: r.industryCode!,
      creditLevel: oneOf(CreditLevel, r.creditLevel!, 'creditLevel'),
      riskLevel: oneOf(RiskLevel, r.riskLevel!, 'riskLevel'),
      penaltiesLast3Years: wholeNumber(r.penaltiesLast3Years!, 'penaltiesLast3Years'),
      verifiedComplaints: wholeNumber(r.verifiedComplaints!, 'verifiedComplaints'),
    } as RosterTargetInput;
    // The API's own rules (R6: USCC check character, ids, codes).
    return toRosterRows([input], now)[0]!;
  }
  if (kind === 'inspectors') {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/.test(r.id!))
      throw new Error(`id '${r.id}' is not an inspector id (letters, digits, dashes; at most 32)`);
    const qualified = r.qualified!.toLowerCase();
    if (qualified !== 'true' && qualified !== 'false')
      throw new Error(`qualified '${r.qualified}' is not true or false`);
    const domains = list(r.domains);
    if (domains.length === 0) throw new Error('domains: name at least one supervision domain (R7), separated by ;');
    return Object.assign(new InspectorRow(), {
      id: r.id,
      name: requireText(r.name, 'name', 50),
      certificateNo: requireText(r.certificateNo, 'certificateNo', 40, 'an enforcement certificate number (R7)', 'R7'),
      unit: requireText(r.unit, 'unit', 100),
      position: requireText(r.position, 'position', 50),
      domains,
      permissions: list(r.permissions),
      jurisdiction: list(r.jurisdiction),
      qualified: qualified === 'true',
      // Its column holds 20: a longer one would fail the whole batch on MySQL.
      phone: r.phone ? requireText(r.phone, 'phone', 20) : null,
    });
  }
  const input: ChecklistItemInput = {
    title: r.title!,
    content: r.content!,
    basis: r.basis!,
    inspectingBody: r.inspectingBody!,
    targetKinds: list(r.targetKinds).map((k) => oneOf(TargetKind, k, 'targetKinds')),
    method: oneOf(InspectionMethod, r.method!, 'method'),
    category: oneOf(ItemCategory, r.category!, 'category'),
    ratioCapPercent: r.ratioCapPercent ? percentCell(r.ratioCapPercent) : null,
    frequency: r.frequency!,
    domain: r.domain!,
    industries: list(r.industries),
  } as ChecklistItemInput;
  if (!ITEM_CODE.test(r.code!))
    throw new Error(`code '${r.code}' is not an item code (upper-case letters, digits, dashes)`);
  // R1, R2: the API's own checks of an item.
  return { code: r.code, content: validateChecklistItem(input) };
}

function percentCell(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new Error(`ratioCapPercent '${value}' is not a number (a percentage such as 10 or 2.5)`);
  return n;
}

function sameContent(current: Record<string, unknown>, content: ChecklistItemContent): boolean {
  return Object.entries(content).every(([k, v]) => JSON.stringify(current[k]) === JSON.stringify(v));
}

/** A CSV cell, quoted when it holds a comma, a quote or a line break. */
const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The rejects report's header: line, the row's key columns (REJECT_KEY_COLUMNS), reason. */
export const rejectsHeader = (kind: ImportKind): string =>
  ['line', ...REJECT_KEY_COLUMNS[kind], 'reason'].join(',') + '\n';

/** One line of the rejects report, in the columns of `rejectsHeader`. */
export const rejectLine = (kind: ImportKind, r: RejectedRow): string =>
  [String(r.line), ...REJECT_KEY_COLUMNS[kind].map((c) => cell(r.key[c] ?? '')), cell(r.reason)].join(',') + '\n';

/** The rejects as a CSV report (what the CLI writes to FILE.csv.rejects.csv). */
export function rejectReport(kind: ImportKind, rejected: readonly RejectedRow[]): string {
  return rejectsHeader(kind) + rejected.map((r) => rejectLine(kind, r)).join('');
}
