import type { EntityManager } from 'typeorm';
import type { RosterFilter } from './contract/inputs';
import type { ChecklistItemContent } from './checklist-rules';
import type { ChecklistItemRow, ExpertRow, InspectorRow, RosterTargetRow } from './entities';
import type { PageRequest, RowPage } from './repository';
import type { ResultRow } from './results/entities';

/** Which inspectors a roster read asks for: those holding a supervision domain, only the qualified (R7). */
export interface InspectorFilter {
  domain?: string | null;
  qualifiedOnly?: boolean;
}

/**
 * Where a department's rosters and checklist live, as the contract's resolvers read and write
 * them. The department's own database (`DepartmentRepository`) is one store; a connector over the
 * department's existing system (connectors/) is another, so a connector-backed department answers
 * with the very resolvers a native one does (issue E). Results always stay in the department
 * subgraph's own database (`manager`); a connector forwards them to the existing system too.
 */
export interface DepartmentStore {
  readonly department: string;
  /** The department subgraph's own database: results, outcomes (and, for a native department, everything). */
  readonly manager: EntityManager;
  /** Roster rows of market entities by USCC (their id), for many at once. */
  targetsById(ids: readonly string[]): Promise<RosterTargetRow[]>;
  /** A page of the roster in id order (the cursor is the last id). */
  listTargets(filter: RosterFilter | null | undefined, page: PageRequest): Promise<RowPage<RosterTargetRow>>;
  /** A page of the roster as the bulk export's tab-separated lines, in id order. */
  exportRows(
    filter: RosterFilter | null | undefined,
    page: PageRequest,
  ): Promise<{ tsv: string; count: number; endCursor: string | null; hasMore: boolean }>;
  countTargets(filter: RosterFilter | null | undefined): Promise<number>;
  listInspectors(page: PageRequest, filter?: InspectorFilter): Promise<RowPage<InspectorRow>>;
  /** Inspectors matching the filter, over every page (a page's `totalCount`, asked for only when selected). */
  countInspectors(filter?: InspectorFilter): Promise<number>;
  listExperts(page: PageRequest, expertise?: string | null): Promise<RowPage<ExpertRow>>;
  /** Experts with the expertise (or all), over every page. */
  countExperts(expertise?: string | null): Promise<number>;
  /** The current version of every item in force. */
  currentChecklist(): Promise<ChecklistItemRow[]>;
  /** Every version of every item (R5). */
  allChecklistVersions(): Promise<ChecklistItemRow[]>;
  checklistItem(code: string, version?: number | null): Promise<ChecklistItemRow | null>;
  /** Every version of the items with these codes (checking written-back results, R24). */
  checklistVersionsOf(codes: readonly string[]): Promise<ChecklistItemRow[]>;
  addChecklistItem(code: string, content: ChecklistItemContent, actor: string, now: Date): Promise<ChecklistItemRow>;
  changeChecklistItem(
    code: string,
    content: ChecklistItemContent | null,
    reason: string,
    actor: string,
    now: Date,
  ): Promise<ChecklistItemRow>;
  /** Bulk roster import (R6). */
  upsertTargets(rows: RosterTargetRow[]): Promise<number>;
  /**
   * R24: new results, sent on to the department's existing system (a connector) before they are
   * recorded here, outside any transaction (keyed by their idempotency keys, a repeat is
   * harmless); a failure records nothing. Absent for a native department.
   */
  forwardResults?(rows: ResultRow[]): Promise<void>;
}

/** Makes a department's store for a request, on the department subgraph's own database. */
export type DepartmentStoreFactory = (manager: EntityManager, department: string) => DepartmentStore;
