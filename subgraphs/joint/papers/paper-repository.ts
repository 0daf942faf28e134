import type { EntityManager } from 'typeorm';

/** The joint record forms and notices (issue J): the only code that reads or writes their tables. */
export class PaperRepository {
  constructor(readonly manager: EntityManager) {}
}
