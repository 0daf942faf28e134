import type { EntityManager } from 'typeorm';
import { insertRows } from '../../../kernel/rows';
import { LeadRow } from './entities';

/** Leads for other departments (R27): the only code that reads or writes their table. */
export class LeadRepository {
  constructor(readonly manager: EntityManager) {}

  /** Every lead handed to a department, oldest first. */
  leadsTo(department: string): Promise<LeadRow[]> {
    return this.manager.find(LeadRow, { where: { toDepartment: department }, order: { createdAt: 'ASC' } });
  }

  /**
   * A slice of the leads handed to a department, by time then id (leads are only ever added: a
   * stable order to page by position).
   */
  pageTo(department: string, offset: number, limit: number): Promise<LeadRow[]> {
    return this.manager.find(LeadRow, {
      where: { toDepartment: department },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: offset,
      take: limit,
    });
  }

  /** How many leads were handed to a department. */
  countTo(department: string): Promise<number> {
    return this.manager.countBy(LeadRow, { toDepartment: department });
  }

  /** Records a lead (R27), one statement; inside a submission's transaction when the store is a transaction's. */
  async insertLead(lead: LeadRow): Promise<void> {
    await insertRows(this.manager, LeadRow, lead);
  }
}
