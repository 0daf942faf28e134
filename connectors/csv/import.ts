import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { CreditLevel, InspectionMethod, ItemCategory, RiskLevel, TargetKind } from '../../subgraphs/kernel/contract/enums';
import type { ChecklistItemInput, RosterTargetInput } from '../../subgraphs/kernel/contract/inputs';
import { validateChecklistItem, type ChecklistItemContent } from '../../subgraphs/kernel/department/checklist-rules';
import { InspectorRow } from '../../subgraphs/kernel/department/entities';
import { DepartmentRepository } from '../../subgraphs/kernel/department/repository';
import { toRosterRows } from '../../subgraphs/kernel/department/roster-rules';
import { ITEM_CODE } from '../../subgraphs/kernel/codes';
import { chunk } from '../../subgraphs/kernel/datasource';
import { requireText } from '../../subgraphs/kernel/validation';

export type ImportKind = 'targets' | 'inspectors' | 'checklist';

/** The columns each kind of file has (a header row names them; order is free, extra columns are refused). */
export const CSV_COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  targets: { required: ['kind', 'name', 'regionCode', 'industryCode', 'creditLevel', 'riskLevel', 'penaltiesLast3Years', 'verifiedComplaints'], optional: ['id', 'uscc'] },
  inspectors: { required: ['id', 'name', 'certificateNo', 'unit', 'position', 'domains', 'jurisdiction', 'qualified'], optional: ['permissions', 'phone'] },
  checklist: { required: ['code', 'title', 'content', 'basis', 'inspectingBody', 'targetKinds', 'method', 'category', 'frequency', 'domain'], optional: ['ratioCapPercent', 'industries'] },
};

export interface RejectedRow {
  /** The line of the file (the header is line 1). */
  line: number;
  reason: string;
}

export interface ImportReport {
  kind: ImportKind;
  read: number;
  imported: number;
  /** Rows already stored exactly so (a re-run): not written again. */
  unchanged: number;
  rejected: RejectedRow[];
}

export interface ImportOptions {
  dataSource: DataSource;
  department: string;
  kind: ImportKind;
  input: Readable;
  /** Rows per transaction. */
  batchSize?: number;
  /** Who the rows are recorded by (checklist versions name it). */
  actor?: string;
  now?: () => Date;
  onProgress?: (read: number) => void;
}

const LIST_SEPARATOR = ';';
const list = (value: string | undefined) => (value ?? '').split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean);

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
 * `npm run import` (R6 batch import, issue E): reads a CSV file as a stream, checks every row with
 * the same rules as the API (USCC check character, required fields, enums, R1/R2 for checklist
 * items), and stores the valid rows in one transaction per batch; invalid rows are reported with
 * their line and reason and do not stop the others. Re-running the same file stores nothing twice:
 * targets and inspectors are keyed by id (replaced), checklist items whose current version already
 * has this content are left alone (a changed one becomes a new version, R5).
 */
export async function importCsv(options: ImportOptions): Promise<ImportReport> {
  const { kind, department } = options;
  const batchSize = options.batchSize ?? 2000;
  const now = options.now ?? (() => new Date());
  const repo = new DepartmentRepository(options.dataSource.manager, department);
  const report: ImportReport = { kind, read: 0, imported: 0, unchanged: 0, rejected: [] };
  const columns = CSV_COLUMNS[kind];
  // `info` gives each record its line in the file (a reject names it).
  const parser = options.input.pipe(parse({ columns: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  let pending: Array<{ line: number; value: unknown }> = [];
  let checkedHeader = false;

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    if (kind === 'targets') {
      await repo.upsertTargets(batch.map((b) => b.value as never));
      report.imported += batch.length;
    } else if (kind === 'inspectors') {
      await options.dataSource.transaction(async (tx) => {
        for (const part of chunk(batch.map((b) => b.value as InspectorRow), 200)) await tx.upsert(InspectorRow, part, ['id']);
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
            await repo.changeChecklistItem(code, content, 'revised by CSV import', options.actor ?? 'csv-import', now());
            report.imported++;
          }
        } catch (error) {
          report.rejected.push({ line: b.line, reason: reasonOf(error) });
        }
      }
    }
  };

  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const line = info.lines;
    if (!checkedHeader) {
      checkedHeader = true;
      const header = Object.keys(record);
      const missing = columns.required.filter((c) => !header.includes(c));
      const unknown = header.filter((c) => !columns.required.includes(c) && !columns.optional.includes(c));
      if (missing.length || unknown.length) {
        throw new Error(`The header of this ${kind} file does not fit: ${[missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean).join('; ')}. Columns: ${columns.required.join(', ')} (and optionally ${columns.optional.join(', ')}).`);
      }
    }
    report.read++;
    try {
      pending.push({ line, value: parseRow(kind, record, now()) });
    } catch (error) {
      report.rejected.push({ line, reason: reasonOf(error) });
    }
    if (pending.length >= batchSize) await flush();
    options.onProgress?.(report.read);
  }
  await flush();
  return report;
}

function parseRow(kind: ImportKind, r: Record<string, string>, now: Date): unknown {
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
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/.test(r.id!)) throw new Error(`id '${r.id}' is not an inspector id (letters, digits, dashes; at most 32)`);
    const qualified = r.qualified!.toLowerCase();
    if (qualified !== 'true' && qualified !== 'false') throw new Error(`qualified '${r.qualified}' is not true or false`);
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
      phone: r.phone || null,
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
    ratioCapPercent: r.ratioCapPercent ? Number(r.ratioCapPercent) : null,
    frequency: r.frequency!,
    domain: r.domain!,
    industries: list(r.industries),
  } as ChecklistItemInput;
  if (!ITEM_CODE.test(r.code!)) throw new Error(`code '${r.code}' is not an item code (upper-case letters, digits, dashes)`);
  // R1, R2: the API's own checks of an item.
  return { code: r.code, content: validateChecklistItem(input) };
}

function sameContent(current: Record<string, unknown>, content: ChecklistItemContent): boolean {
  return Object.entries(content).every(([k, v]) => JSON.stringify(current[k]) === JSON.stringify(v));
}

/** The rejects as a CSV report: line, reason. */
export function rejectReport(rejected: readonly RejectedRow[]): string {
  return ['line,reason', ...rejected.map((r) => `${r.line},"${r.reason.replace(/"/g, '""')}"`)].join('\n') + '\n';
}
