import type { EntityManager } from 'typeorm';

/** The outbox of results to deliver to departments (R24): the only code that reads or writes its table. */
export class OutboxRepository {
  constructor(readonly manager: EntityManager) {}
}
