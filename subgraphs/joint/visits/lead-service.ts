import { pageByOffset, type PageOf } from '../../../kernel/paging';
import type { JointDeps } from '../context';
import type { LeadRow } from './entities';

/** The largest page of leads, and the default one. */
export const LEAD_PAGE_MAX = 500;
export const LEAD_PAGE_DEFAULT = 100;

/** Reads the leads handed to departments (R27); the caller has checked that they may (R30). */
export class LeadService {
  constructor(private readonly deps: JointDeps) {}

  /** Every lead handed to a department, oldest first. */
  leadsTo(department: string): Promise<LeadRow[]> {
    return this.deps.store.leads.leadsTo(department);
  }

  /** A page of the leads handed to a department, oldest first. */
  pageTo(department: string, first: number, after: string | null): Promise<PageOf<LeadRow>> {
    const leads = this.deps.store.leads;
    // Leads are only ever added: by time, then id, a stable order to page by position.
    return pageByOffset(
      first,
      after,
      LEAD_PAGE_MAX,
      (offset, limit) => leads.pageTo(department, offset, limit),
      () => leads.countTo(department),
    );
  }
}
