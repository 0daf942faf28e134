import type { EntityManager } from 'typeorm';

/** Evidence files, their parts and their links to visits (issue J): the only code that reads or writes their tables. */
export class EvidenceRepository {
  constructor(readonly manager: EntityManager) {}
}
