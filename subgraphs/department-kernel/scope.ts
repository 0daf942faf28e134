import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../kernel/context';
import { groupedLoader, keyedLoader, once } from './loaders';
import type { ResultRow } from './results/entities';
import { ResultService } from './results/result-service';
import type { ChecklistItemRow, RosterTargetRow } from './entities';
import { DepartmentRepository } from './repository';
import type { DepartmentStore, DepartmentStoreFactory } from './store';

/** What a department's resolvers get per request: the scoped store and its loaders. */
export interface DepartmentScope {
  repo: DepartmentStore;
  /** Roster rows by id (market entities: by USCC); batched. */
  targetById: DataLoader<string, RosterTargetRow | null>;
  /** The current checklist, read once per request. */
  currentChecklist: () => Promise<ChecklistItemRow[]>;
  /** Published dishonesty records by USCC (R27); batched. */
  dishonestyByUscc: DataLoader<string, ResultRow[]>;
  /** Now: the time every change is stamped with (tests set it). */
  clock: () => Date;
}

/** The store of a department that keeps everything in its own database. */
export const ownDatabaseStore: DepartmentStoreFactory = (manager, department) =>
  new DepartmentRepository(manager, department);

export function createDepartmentScope(
  dataSource: DataSource,
  department: string,
  clock: () => Date = () => new Date(),
  store: DepartmentStoreFactory = ownDatabaseStore,
): DepartmentScope {
  const repo = store(dataSource.manager, department);
  return {
    repo,
    targetById: keyedLoader(
      (ids) => repo.targetsById(ids),
      (row) => row.id,
    ),
    currentChecklist: once(() => repo.currentChecklist()),
    dishonestyByUscc: groupedLoader(
      (usccs) => new ResultService(dataSource.manager, department).dishonestyOf(usccs),
      (row) => row.uscc!,
    ),
    clock,
  };
}

/** The context of a department subgraph: the request plus its department's scope. */
export interface DepartmentContext extends RequestContext {
  dept: DepartmentScope;
}
