import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { EntityManager } from 'typeorm';
import { REGION_CODE } from '../../kernel/codes';
import { ErrorCode, HubError } from '../../kernel/errors';
import { compareKeys, snapshotHash, type SnapshotEntry } from '../draw/canonical';
import { combineStrata, stratumOfView, type DepartmentSignal, type Stratum } from '../draw/strata';
import type { DepartmentClient } from '../department-client';
import { SnapshotChunkRow } from '../entities';
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

/** A snapshot: the canonical entries (key, stratum) and, aligned with them, what a visit needs of each target. */
export interface Snapshot {
  entries: SnapshotEntry[];
  usccs: Array<string | null>;
  regions: string[];
  /** Target kind and industry: which checklist items apply on the visit (R22). */
  kinds: string[];
  industries: string[];
  hash: string;
}

const EXPECTED_COLUMNS = 'id,kind,uscc,regionCode,industryCode,creditLevel,riskLevel,penaltiesLast3Years,verifiedComplaints';

/** Roster keys: a USCC or an own id (letters, digits, dashes; at most 64). */
const KEY = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/;

/** A department that answers outside its contract: nothing is stored, and the error names it. */
function contractBreach(department: string, what: string): HubError {
  return new HubError(ErrorCode.DOWNSTREAM_SERVICE_ERROR, `The ${department} department broke the department contract: ${what}. Nothing was stored; its system needs fixing.`, { serviceName: department });
}

type ExportPage = { columns: string[]; tsv: string; count: number; endCursor: string | null; hasMore: boolean };

/**
 * Reads a department's roster through its contract's bulk export, page by page (R9: from the
 * roster itself), calling `onRow` for each target in id order. The next page is asked for while
 * the current one is processed.
 */
export async function exportRoster(client: DepartmentClient, department: string, filter: Record<string, unknown> | null, onRow: (row: ExportRow) => void): Promise<void> {
  const fetchPage = async (after: string | null): Promise<ExportPage> => {
    const data: Record<string, { exportTargetRows: ExportPage }> = await client.run(department, 'DepartmentExportTargetRows', { filter, after, first: EXPORT_PAGE });
    const page = data[department]!.exportTargetRows;
    if (page.columns.join(',') !== EXPECTED_COLUMNS) throw contractBreach(department, `it exports columns ${page.columns.join(',')}; the contract says ${EXPECTED_COLUMNS}`);
    return page;
  };
  let next: Promise<ExportPage> | null = fetchPage(null);
  while (next) {
    const page: ExportPage = await next;
    next = page.hasMore ? fetchPage(page.endCursor) : null;
    let count = 0;
    const row = { id: '', kind: '', uscc: null as string | null, regionCode: '', industryCode: '', creditLevel: '', riskLevel: '', penaltiesLast3Years: 0, verifiedComplaints: 0 };
    for (const line of page.tsv.split('\n')) {
      if (!line) continue;
      const c = line.split('\t');
      row.id = c[0]!;
      row.kind = c[1]!;
      row.uscc = c[2] || null;
      row.regionCode = c[3]!;
      row.industryCode = c[4]!;
      if (!KEY.test(row.id) || (row.uscc !== null && row.uscc.length !== 18) || !REGION_CODE.test(row.regionCode)) {
        next?.catch(() => undefined);
        throw contractBreach(department, `its export has a row the contract does not allow: '${line.slice(0, 120)}'`);
      }
      row.creditLevel = c[5]!;
      row.riskLevel = c[6]!;
      row.penaltiesLast3Years = Number(c[7]);
      row.verifiedComplaints = Number(c[8]);
      onRow(row); // the same object each time: copy what you keep
      count++;
    }
    if (count !== page.count) {
      next?.catch(() => undefined);
      throw contractBreach(department, `an export page says ${page.count} rows but holds ${count}`);
    }
  }
}

/** The abnormal-operation list, from the market department (R13). */
export async function abnormalList(client: DepartmentClient): Promise<Set<string>> {
  return new Set(await client.pages<string>('market', 'MarketAbnormalOperationList', 'abnormalOperationList', 'usccs', 50_000));
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
export async function takeSnapshot(client: DepartmentClient, content: PlanContent, exclusions: SnapshotExclusions): Promise<Snapshot & { excludedTwice: number; excludedRecent: number }> {
  const partners = content.departments.filter((d) => d !== content.leadDepartment);
  const [abnormal, partnerStrata] = await Promise.all([
    abnormalList(client),
    Promise.all(
      partners.map(async (department) => {
        const byUscc = new Map<string, Stratum>();
        await exportRoster(client, department, content.scope.regions.length ? { regions: content.scope.regions } : null, (row) => {
          if (row.uscc && row.id === row.uscc) byUscc.set(row.uscc, stratumOfView(row, false));
        });
        return byUscc;
      }),
    ),
  ]);
  const entries: SnapshotEntry[] = [];
  const usccs: Array<string | null> = [];
  const regions: string[] = [];
  const kinds: string[] = [];
  const industries: string[] = [];
  let excludedTwice = 0;
  let excludedRecent = 0;
  const filter = { kinds: content.scope.targetKinds, regions: content.scope.regions.length ? content.scope.regions : null, industries: content.scope.industries.length ? content.scope.industries : null };
  await exportRoster(client, content.leadDepartment, filter, (row) => {
    const why = exclusions.excluded(row.id);
    if (why === 'TWICE') excludedTwice++;
    if (why === 'RECENT') excludedRecent++;
    if (why) return;
    const lead = stratumOfView(row, row.uscc !== null && abnormal.has(row.uscc));
    const others = row.uscc ? partnerStrata.map((m) => m.get(row.uscc!)).filter((s): s is Stratum => s !== undefined) : [];
    entries.push([row.id, combineStrata(lead, others, content.classCombination)]);
    usccs.push(row.uscc);
    regions.push(row.regionCode);
    kinds.push(row.kind);
    industries.push(row.industryCode);
  });
  // The export comes in id order already (binary collation); make sure, and sort the aligned arrays if not.
  let sorted = true;
  for (let i = 1; i < entries.length && sorted; i++) sorted = compareKeys(entries[i - 1]![0], entries[i]![0]) < 0;
  if (!sorted) {
    const order = entries.map((_, i) => i).sort((a, b) => compareKeys(entries[a]![0], entries[b]![0]));
    const e = order.map((i) => entries[i]!);
    const u = order.map((i) => usccs[i]!);
    const r = order.map((i) => regions[i]!);
    const k = order.map((i) => kinds[i]!);
    const n = order.map((i) => industries[i]!);
    for (let i = 1; i < e.length; i++) if (e[i - 1]![0] === e[i]![0]) throw contractBreach(content.leadDepartment, `its export lists ${e[i]![0]} twice`);
    return { entries: e, usccs: u, regions: r, kinds: k, industries: n, hash: snapshotHash(e), excludedTwice, excludedRecent };
  }
  return { entries, usccs, regions, kinds, industries, hash: snapshotHash(entries), excludedTwice, excludedRecent };
}

const CHUNK_LINES = 20_000;

/** Stores a snapshot: lines `key\tstratum\tuscc\tregion\tkind\tindustry`, deflated, in chunks (the hash covers key and stratum only). */
export async function storeSnapshot(manager: EntityManager, taskId: string, snapshot: Snapshot): Promise<void> {
  for (let start = 0, seq = 0; start < snapshot.entries.length || seq === 0; start += CHUNK_LINES, seq++) {
    let text = '';
    const end = Math.min(snapshot.entries.length, start + CHUNK_LINES);
    for (let i = start; i < end; i++) text += `${snapshot.entries[i]![0]}\t${snapshot.entries[i]![1]}\t${snapshot.usccs[i] ?? ''}\t${snapshot.regions[i]}\t${snapshot.kinds[i]}\t${snapshot.industries[i]}\n`;
    await manager.insert(SnapshotChunkRow, { taskId, seq, data: deflateRawSync(Buffer.from(text, 'utf8'), { level: 1 }) });
  }
}

/** Reads a stored snapshot back. */
export async function loadSnapshot(manager: EntityManager, taskId: string): Promise<Snapshot> {
  const chunks = await manager.find(SnapshotChunkRow, { where: { taskId }, order: { seq: 'ASC' } });
  const entries: SnapshotEntry[] = [];
  const usccs: Array<string | null> = [];
  const regions: string[] = [];
  const kinds: string[] = [];
  const industries: string[] = [];
  for (const chunk of chunks) {
    const text = inflateRawSync(chunk.data).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const [key, stratum, uscc, region, kind, industry] = line.split('\t');
      entries.push([key!, stratum as Stratum]);
      usccs.push(uscc || null);
      regions.push(region!);
      kinds.push(kind!);
      industries.push(industry!);
    }
  }
  return { entries, usccs, regions, kinds, industries, hash: snapshotHash(entries) };
}
