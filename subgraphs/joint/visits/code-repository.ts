import type { EntityManager } from 'typeorm';

/** Inspection codes and the businesses' feedback on them (R32): the only code that reads or writes their tables. */
export class InspectionCodeRepository {
  constructor(readonly manager: EntityManager) {}
}
