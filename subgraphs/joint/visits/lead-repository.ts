import type { EntityManager } from 'typeorm';

/** Leads for other departments (R27): the only code that reads or writes their table. */
export class LeadRepository {
  constructor(readonly manager: EntityManager) {}
}
