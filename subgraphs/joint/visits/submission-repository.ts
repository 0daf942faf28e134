import type { EntityManager } from 'typeorm';

/** Visit submissions (R22, R24): the only code that reads or writes their table. */
export class SubmissionRepository {
  constructor(readonly manager: EntityManager) {}
}
