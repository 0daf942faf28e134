import type { EntityManager } from 'typeorm';

/** Tasks, their snapshots and drawn targets (R9, R15-R17): the only code that reads or writes their tables. */
export class TaskRepository {
  constructor(readonly manager: EntityManager) {}
}
