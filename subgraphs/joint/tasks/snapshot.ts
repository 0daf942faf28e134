import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { REGION_CODE } from '../../../kernel/codes';
import { ErrorCode, HubError } from '../../../kernel/errors';
import { canonicalLine, compareKeys, type SnapshotEntry } from '../draw/canonical';
import { combineStrata, stratumOfView, type DepartmentSignal, type Stratum } from '../draw/strata';
import type { DepartmentClient } from '../department-client';
import type { PlanContent } from '../plans/content';

/** Page size of the department contract's bulk export (`exportTargetRows`) used by draws. */
export const EXPORT_PAGE = 50_000;

interface ExportRow extends DepartmentSignal {
  id: string;
  kind: string;
  uscc: string | null;
  regionCode: string;
  industryCode: string;
}

/** What a visit needs of a target in a snapshot (R22: which checklist items apply). */
export interface SnapshotTarget {
  uscc: string | null;
  regionCode: string;
  kind: string;
  industryCode: string;
}

/**
 * A snapshot read back, its entries known by position in canonical order (0 to size - 1): each
 * stratum's positions (what the lottery draws from), and an entry's key and target read from its
 * stored line only when asked (a draw asks for the drawn ones).
 */
export interface Snapshot {
  hash: string;
  size: number;
  /** Each stratum's entries, as positions in canonical order. */
  strata: Record<Stratum, number[]>;
  key(i: number): string;
  target(i: number): SnapshotTarget;
  /** Every entry as (key, stratum), in canonical order (the auditors' full record; built when asked). */
  entries(): SnapshotEntry[];
}

/** A snapshot as stored: deflated chunks of lines `key\tstratum\tuscc\tregion\tkind\tindustry`, in canonical order. */
export interface StoredSnapshot {
  chunks: Buffer[];
  size: number;
  hash: string;
}

const EXPECTED_COLUMNS =
  'id,kind,uscc,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints';

/** Roster keys: a USCC or an own id (letters, digits, dashes; at most 64). */
const KEY = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/;

/** A department that answers outside its contract: nothing is stored, and the error names it. */
function contractBreach(department: string, what: string): HubError {
  return new HubError(
    ErrorCode.DOWNSTREAM_SERVICE_ERROR,
    `The ${department} department broke the department contract: ${what}. Nothing was stored; its system needs fixing.`,
    { serviceName: department },
  );
}

/** Rows an export page's scan handles between two turns of the event loop. */
const YIELD_ROWS = 10_000;

type ExportPage = { columns: string[]; tsv: string; count: number; endCursor: string | null; hasMore: boolean };

/**
 * Reads a department's roster through its contract's bulk export, page by page (R9: from the
 * roster itself), calling `onRow` for each target in id order. The next page is asked for while
 * the current one is processed.
 */
export async function exportRoster(
  client: DepartmentClient,
  department: string,
  filter: Record<string, unknown> | null,
  onRow: (row: ExportRow) => void,
  onPage?: (rowsRead: number, done: boolean) => void,
): Promise<void> {
  let rowsRead = 0;
  const fetchPage = async (after: string | null): Promise<ExportPage> => {
    const data: Record<string, { exportTargetRows: ExportPage }> = await client.run(
      department,
      'DepartmentExportTargetRows',
      { filter, after, first: EXPORT_PAGE },
    );
    const page = data[department]!.exportTargetRows;
    if (page.columns.join(',') !== EXPECTED_COLUMNS)
      throw contractBreach(
        department,
        `it exports columns ${page.columns.join(',')}; the contract says ${EXPECTED_COLUMNS}`,
      );
    return page;
  };
  let next: Promise<ExportPage> | null = fetchPage(null);
  while (next) {
    const page: ExportPage = await next;
    next = page.hasMore ? fetchPage(page.endCursor) : null;
    // A breach found in this page (here or in onRow) must not leave the next page's failure unhandled.
    next?.catch(() => undefined);
    let count = 0;
    let sinceYield = 0;
    const row = {
      id: '',
      kind: '',
      uscc: null as string | null,
      regionCode: '',
      industryCode: '',
      creditLevel: '',
      riskLevel: '',
      penaltiesLast3Years: 0,
      verifiedComplaints: 0,
    };
    // The page is scanned in place (tab by tab, no array of lines or of cells): a million-row
    // roster is 20 pages, and splitting them made most of the joint service's garbage.
    const tsv = page.tsv;
    const tabs: number[] = new Array(8);
    for (let at = 0; at < tsv.length;) {
      let end = tsv.indexOf('\n', at);
      if (end === -1) end = tsv.length;
      if (end === at) {
        at++;
        continue;
      }
      let cells = 0;
      for (let t = tsv.indexOf('\t', at); t !== -1 && t < end && cells < 8; t = tsv.indexOf('\t', t + 1))
        tabs[cells++] = t;
      const line = () => tsv.slice(at, Math.min(end, at + 120));
      const tenth = cells < 8 ? -1 : tsv.indexOf('\t', tabs[7]! + 1);
      if (cells < 8 || (tenth !== -1 && tenth < end)) {
        next?.catch(() => undefined);
        throw contractBreach(department, `its export has a line without the contract's 9 columns: '${line()}'`);
      }
      row.id = tsv.slice(at, tabs[0]);
      row.kind = tsv.slice(tabs[0]! + 1, tabs[1]);
      row.uscc = tabs[2]! > tabs[1]! + 1 ? tsv.slice(tabs[1]! + 1, tabs[2]) : null;
      row.regionCode = tsv.slice(tabs[2]! + 1, tabs[3]);
      row.industryCode = tsv.slice(tabs[3]! + 1, tabs[4]);
      if (!KEY.test(row.id) || (row.uscc !== null && row.uscc.length !== 18) || !REGION_CODE.test(row.regionCode)) {
        next?.catch(() => undefined);
        throw contractBreach(department, `its export has a row the contract does not allow: '${line()}'`);
      }
      row.creditLevel = tsv.slice(tabs[4]! + 1, tabs[5]);
      row.riskLevel = tsv.slice(tabs[5]! + 1, tabs[6]);
      row.penaltiesLast3Years = Number(tsv.slice(tabs[6]! + 1, tabs[7]));
      row.verifiedComplaints = Number(tsv.slice(tabs[7]! + 1, end));
      onRow(row); // the same object each time: copy what you keep
      count++;
      at = end + 1;
      // Every 10,000 rows the event loop runs: the next page's request goes out now, not after the
      // whole page is scanned (Node writes a request on a later tick), so the department reads
      // page n+1 while this one is scanned. Without it the two took turns: a million-row snapshot
      // was 20 × (read + scan) instead of 20 × the longer of the two.
      if (++sinceYield === YIELD_ROWS) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (count !== page.count) {
      next?.catch(() => undefined);
      throw contractBreach(department, `an export page says ${page.count} rows but holds ${count}`);
    }
    rowsRead += count;
    onPage?.(rowsRead, next === null);
  }
}

/** The abnormal-operation list, from the market department (R13). */
export async function abnormalList(client: DepartmentClient): Promise<Set<string>> {
  return new Set(
    await client.pages<string>('market', 'MarketAbnormalOperationList', 'abnormalOperationList', 'usccs', 50_000),
  );
}

export interface SnapshotExclusions {
  /** Keys left out (R14: inspected twice this year; or inspected within the plan's window). */
  excluded: (key: string) => 'TWICE' | 'RECENT' | null;
}

/**
 * Takes the snapshot of a plan's eligible targets (R9): the lead department's roster within the
 * scope, minus exclusions (R14), each target with its stratum combined from every participating
 * department's view (R13), in canonical order.
 */
export async function takeSnapshot(
  client: DepartmentClient,
  content: PlanContent,
  exclusions: SnapshotExclusions,
  /** Rows read so far of a department's roster, after each page (progress, issue I). */
  onProgress?: (department: string, rowsRead: number, done: boolean) => void,
): Promise<StoredSnapshot & { excludedTwice: number; excludedRecent: number }> {
  const partners = content.departments.filter((d) => d !== content.leadDepartment);
  const [abnormal, partnerStrata] = await Promise.all([
    abnormalList(client),
    Promise.all(
      partners.map(async (department) => {
        const byUscc = new Map<string, Stratum>();
        await exportRoster(
          client,
          department,
          content.scope.regions.length ? { regions: content.scope.regions } : null,
          (row) => {
            if (row.uscc && row.id === row.uscc) byUscc.set(row.uscc, stratumOfView(row, false));
          },
          (rows, done) => onProgress?.(department, rows, done),
        );
        return byUscc;
      }),
    ),
  ]);
  let excludedTwice = 0;
  let excludedRecent = 0;
  const writer = new SnapshotWriter(content.leadDepartment);
  const filter = {
    kinds: content.scope.targetKinds,
    regions: content.scope.regions.length ? content.scope.regions : null,
    industries: content.scope.industries.length ? content.scope.industries : null,
  };
  await exportRoster(
    client,
    content.leadDepartment,
    filter,
    (row) => {
      const why = exclusions.excluded(row.id);
      if (why === 'TWICE') excludedTwice++;
      if (why === 'RECENT') excludedRecent++;
      if (why) return;
      const lead = stratumOfView(row, row.uscc !== null && abnormal.has(row.uscc));
      let stratum = lead;
      if (row.uscc && partnerStrata.length)
        stratum = combineStrata(
          lead,
          partnerStrata.map((m) => m.get(row.uscc!)).filter((s): s is Stratum => s !== undefined),
          content.classCombination,
        );
      writer.add(row.id, stratum, row.uscc, row.regionCode, row.kind, row.industryCode);
    },
    (rows, done) => onProgress?.(content.leadDepartment, rows, done),
  );
  return { ...writer.finish(), excludedTwice, excludedRecent };
}

/** Lines per stored chunk. */
const CHUNK_LINES = 20_000;

/**
 * Writes a snapshot as its rows arrive, in the department's id order: each stored line goes into
 * the current chunk (deflated every 20,000 lines) and each canonical line into the hash, so the
 * whole roster is never held as lists of values, and nothing is built again after the last page.
 * Rows out of canonical order (a department whose database collates ids otherwise) are put in
 * order at the end; a key listed twice is a breach of the contract.
 */
export class SnapshotWriter {
  private readonly chunks: Buffer[] = [];
  private readonly hash = createHash('sha256');
  private text = '';
  private canonical = '';
  private lines = 0;
  private size = 0;
  private last: string | null = null;
  private sorted = true;

  constructor(private readonly department: string) {}

  add(
    key: string,
    stratum: Stratum,
    uscc: string | null,
    regionCode: string,
    kind: string,
    industryCode: string,
  ): void {
    if (this.last !== null) {
      const order = compareKeys(this.last, key);
      if (order === 0) throw contractBreach(this.department, `its export lists ${key} twice`);
      if (order > 0) this.sorted = false;
    }
    this.last = key;
    this.text += `${key}\t${stratum}\t${uscc ?? ''}\t${regionCode}\t${kind}\t${industryCode}\n`;
    this.canonical += canonicalLine(key, stratum);
    this.size++;
    if (++this.lines === CHUNK_LINES) this.cut();
  }

  private cut(): void {
    this.chunks.push(deflateRawSync(Buffer.from(this.text, 'utf8'), { level: 1 }));
    this.hash.update(this.canonical, 'utf8');
    this.text = '';
    this.canonical = '';
    this.lines = 0;
  }

  finish(): StoredSnapshot {
    if (this.lines > 0 || this.chunks.length === 0) this.cut();
    const hash = this.hash.digest('hex');
    if (this.sorted) return { chunks: this.chunks, size: this.size, hash };
    // Out of order: every stored line, sorted by key, written again (a key twice is found here).
    const lines: string[] = [];
    for (const chunk of this.chunks)
      for (const line of inflateRawSync(chunk).toString('utf8').split('\n')) if (line) lines.push(line);
    const keyOf = (line: string) => line.slice(0, line.indexOf('\t'));
    const keyed = lines.map((line) => [keyOf(line), line] as const).sort((a, b) => compareKeys(a[0], b[0]));
    const again = new SnapshotWriter(this.department);
    for (const [, line] of keyed) {
      const [key, stratum, uscc, region, kind, industry] = line.split('\t');
      again.add(key!, stratum as Stratum, uscc || null, region!, kind!, industry!);
    }
    return again.finish();
  }
}
