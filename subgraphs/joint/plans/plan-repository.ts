import type { EntityManager } from 'typeorm';

/** Plans and their revisions (R10, R11): the only code that reads or writes their tables. */
export class PlanRepository {
  constructor(readonly manager: EntityManager) {}
}
