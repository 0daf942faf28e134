import type { EntityManager } from 'typeorm';
import type { RosterFilter } from '../../subgraphs/department-kernel/contract/inputs';
import { forbidden } from '../../kernel/errors';
import {
  ChecklistItemRow,
  InspectorRow,
  RosterTargetRow,
  type ExpertRow,
} from '../../subgraphs/department-kernel/entities';
import type { PageRequest, RowPage } from '../../subgraphs/department-kernel/repository';
import type { ResultRow } from '../../subgraphs/department-kernel/results/entities';
import type { DepartmentStore, DepartmentStoreFactory, InspectorFilter } from '../../subgraphs/department-kernel/store';
import { Cached } from './cached';
import type { ContractConnector, MappedChecklistItem, MappedInspector, MappedTarget } from './contract-connector';

/** How long a roster or checklist read from the existing system is reused across requests, in ms. */
export const UPSTREAM_CACHE_MS = 30_000;

/** The rows of a page after the cursor (the last id), in id order. */
function pageOf<T extends { id: string }>(sorted: readonly T[], page: PageRequest): RowPage<T> {
  let start = 0;
  if (page.after) {
    start = sorted.findIndex((r) => r.id > page.after!);
    if (start < 0) start = sorted.length;
  }
  const rows = sorted.slice(start, start + page.first);
  const hasMore = start + page.first < sorted.length;
  return { rows, hasMore, endCursor: rows.length ? rows[rows.length - 1]!.id : null };
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The department store of a department whose rosters and checklist live in its existing system
 * (issue E), over any connector (REST, MySQL): reads go to the system through the connector (many targets by USCC in
 * batches; the whole roster, the inspectors and the checklist read in the system's pages and
 * reused for `UPSTREAM_CACHE_MS` from when they arrived, then filtered, sorted and paged in id order
 * as the contract wants; a view read live may therefore be newer than a list). Rosters and the
 * checklist are the system's own: changing them through the hub is refused, naming where to do it.
 * Results are kept in the department subgraph's own database (`manager`) and sent on to the system.
 */
export function connectorStore(connector: ContractConnector, ttlMs = UPSTREAM_CACHE_MS): DepartmentStoreFactory {
  // One whole roster, filtered here (by region prefix too): one copy, whatever the filters asked.
  const wholeRoster = new Cached(ttlMs, async () =>
    (await connector.listTargets(0, Number.MAX_SAFE_INTEGER)).rows.map(toTargetRow).sort(byId),
  );
  const inspectors = new Cached(ttlMs, async () => {
    const rows: InspectorRow[] = [];
    for (let offset = 0; ;) {
      const page = await connector.listInspectors(offset, 500);
      rows.push(...page.rows.map(toInspectorRow));
      offset += page.rows.length;
      if (!page.hasMore || page.rows.length === 0) return rows.sort(byId);
    }
  });
  const checklist = new Cached(ttlMs, async () =>
    (await connector.checklist())
      .map(toChecklistRow)
      .sort((a, b) => (a.code === b.code ? a.version - b.version : a.code < b.code ? -1 : 1)),
  );
  const roster = async (regions: readonly string[] | null | undefined) => {
    const rows = await wholeRoster.get();
    return regions?.length ? rows.filter((r) => regions.some((prefix) => r.regionCode.startsWith(prefix))) : rows;
  };
  return (manager, department) =>
    new ConnectorDepartmentStore(
      manager,
      department,
      connector,
      roster,
      () => inspectors.get(),
      () => checklist.get(),
    );
}

class ConnectorDepartmentStore implements DepartmentStore {
  constructor(
    readonly manager: EntityManager,
    readonly department: string,
    private readonly connector: ContractConnector,
    private readonly roster: (regions: readonly string[] | null | undefined) => Promise<RosterTargetRow[]>,
    private readonly inspectors: () => Promise<InspectorRow[]>,
    private readonly checklist: () => Promise<ChecklistItemRow[]>,
  ) {}

  async targetsById(ids: readonly string[]): Promise<RosterTargetRow[]> {
    if (ids.length === 0) return [];
    return (await this.connector.targetsByUscc(ids)).map(toTargetRow);
  }

  private async filtered(filter: RosterFilter | null | undefined): Promise<RosterTargetRow[]> {
    const rows = await this.roster(filter?.regions);
    return rows.filter(
      (r) =>
        (!filter?.kinds?.length || (filter.kinds as readonly string[]).includes(r.kind)) &&
        (!filter?.industries?.length || filter.industries.some((i) => r.industryCode.startsWith(i))),
    );
  }

  async listTargets(filter: RosterFilter | null | undefined, page: PageRequest): Promise<RowPage<RosterTargetRow>> {
    return pageOf(await this.filtered(filter), page);
  }

  async exportRows(
    filter: RosterFilter | null | undefined,
    page: PageRequest,
  ): Promise<{ tsv: string; count: number; endCursor: string | null; hasMore: boolean }> {
    const { rows, hasMore, endCursor } = pageOf(await this.filtered(filter), page);
    const tsv = rows
      .map(
        (r) =>
          `${r.id}\t${r.kind}\t${r.uscc ?? ''}\t${r.regionCode}\t${r.industryCode}\t${r.creditLevel}\t${r.riskLevel}\t${r.penaltiesLast3Years}\t${r.verifiedComplaints}\n`,
      )
      .join('');
    return { tsv, count: rows.length, endCursor, hasMore };
  }

  async countTargets(filter: RosterFilter | null | undefined): Promise<number> {
    return (await this.filtered(filter)).length;
  }

  private async inspectorsMatching(filter: InspectorFilter): Promise<InspectorRow[]> {
    return (await this.inspectors()).filter(
      (i) => (!filter.domain || i.domains.includes(filter.domain)) && (!filter.qualifiedOnly || i.qualified),
    );
  }

  async listInspectors(page: PageRequest, filter: InspectorFilter = {}): Promise<RowPage<InspectorRow>> {
    return pageOf(await this.inspectorsMatching(filter), page);
  }

  /** Counted on the same cached copy the pages come from, so a count and its pages agree. */
  async countInspectors(filter: InspectorFilter = {}): Promise<number> {
    return (await this.inspectorsMatching(filter)).length;
  }

  /** The existing system has no expert roster (the mapping names none). */
  async listExperts(): Promise<RowPage<ExpertRow>> {
    return { rows: [], hasMore: false, endCursor: null };
  }

  async countExperts(): Promise<number> {
    return 0;
  }

  async currentChecklist(): Promise<ChecklistItemRow[]> {
    return (await this.checklist()).filter((i) => i.status === 'CURRENT');
  }

  async allChecklistVersions(): Promise<ChecklistItemRow[]> {
    return this.checklist();
  }

  async checklistVersionsOf(codes: readonly string[]): Promise<ChecklistItemRow[]> {
    const wanted = new Set(codes);
    return (await this.checklist()).filter((i) => wanted.has(i.code));
  }

  async checklistItem(code: string, version?: number | null): Promise<ChecklistItemRow | null> {
    const versions = (await this.checklist()).filter((i) => i.code === code);
    return (version ? versions.find((i) => i.version === version) : versions[versions.length - 1]) ?? null;
  }

  private ownSystem(what: string): never {
    throw forbidden(
      `The ${this.department} department keeps its ${what} in its own system, which the hub reads through a ` +
        `connector; change it there.`,
      { rule: 'R30' },
    );
  }

  async addChecklistItem(): Promise<ChecklistItemRow> {
    return this.ownSystem('checklist');
  }

  async changeChecklistItem(): Promise<ChecklistItemRow> {
    return this.ownSystem('checklist');
  }

  async upsertTargets(): Promise<number> {
    return this.ownSystem('roster');
  }

  /** R24: each result sent on to the existing system, under its idempotency key. */
  async forwardResults(rows: ResultRow[]): Promise<void> {
    for (const row of rows) await this.connector.writeResult(row);
  }
}

function toTargetRow(t: MappedTarget): RosterTargetRow {
  return Object.assign(new RosterTargetRow(), { ...t, updatedAt: new Date(0) });
}

function toInspectorRow(i: MappedInspector): InspectorRow {
  return Object.assign(new InspectorRow(), i);
}

function toChecklistRow(i: MappedChecklistItem): ChecklistItemRow {
  const { ratioCapPercent, validFrom, ...rest } = i;
  return Object.assign(new ChecklistItemRow(), {
    ...rest,
    ratioCapBasisPoints:
      ratioCapPercent === null || ratioCapPercent === undefined ? null : Math.round(Number(ratioCapPercent) * 100),
    validFrom: new Date(validFrom),
    validUntil: null,
    changeReason: null,
    createdBy: 'connector',
    closeReason: null,
    closedBy: null,
  });
}
