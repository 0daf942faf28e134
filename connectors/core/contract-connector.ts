import type { UpstreamHealth } from './upstream-source';
import type { ResultRow } from '../../subgraphs/department-kernel/results/entities';

/** A roster target in the contract's terms (the fields of `RosterTarget`). */
export interface MappedTarget {
  id: string;
  kind: string;
  uscc: string | null;
  name: string;
  regionCode: string;
  industryCode: string;
  creditLevel: string;
  riskLevel: string;
  penaltiesLast3Years: number;
  verifiedComplaints: number;
}

export interface MappedInspector {
  id: string;
  name: string;
  certificateNo: string;
  unit: string;
  position: string;
  domains: string[];
  permissions: string[];
  jurisdiction: string[];
  qualified: boolean;
  phone: string | null;
}

export interface MappedChecklistItem {
  code: string;
  version: number;
  title: string;
  content: string;
  basis: string;
  inspectingBody: string;
  targetKinds: string[];
  method: string;
  category: string;
  ratioCapPercent: number | null;
  frequency: string;
  domain: string;
  industries: string[];
  status: string;
  validFrom: string;
}

/**
 * What a connector gives the department contract, whatever the existing system is (REST, a
 * MySQL schema of its own): targets in batches, pages of the roster and of the inspectors, every
 * checklist version, and results written back under their idempotency key. `connectorStore`
 * turns any of them into the department store the contract's resolvers read.
 */
export interface ContractConnector {
  readonly department: string;
  /** Targets by USCC, many at once (one call per batch, never one per target). */
  targetsByUscc(usccs: readonly string[]): Promise<MappedTarget[]>;
  /** Rows [offset, offset + first) of the roster, optionally of some region prefixes. */
  listTargets(
    offset: number,
    first: number,
    filter?: { regions?: readonly string[] | null },
  ): Promise<{ rows: MappedTarget[]; total: number; hasMore: boolean }>;
  listInspectors(offset: number, first: number): Promise<{ rows: MappedInspector[]; total: number; hasMore: boolean }>;
  /** Every version of every checklist item. */
  checklist(): Promise<MappedChecklistItem[]>;
  /** One result written back; a repeat of its idempotency key answers the record already made. */
  writeResult(row: ResultRow): Promise<{ created: boolean; recordId: string }>;
  /** Whether the existing system answers now (the subgraph's `/health` reports it). */
  healthCheck(): Promise<UpstreamHealth>;
  /** Lets go of connections (a pool), when the department stops. */
  close?(): Promise<void>;
}
