import type { EntityManager } from 'typeorm';

/**
 * Teams: frozen rosters, inspector draws, members, conflicts and entrustments (R18-R21): the only
 * code that reads or writes their tables.
 */
export class TeamRepository {
  constructor(readonly manager: EntityManager) {}
}
