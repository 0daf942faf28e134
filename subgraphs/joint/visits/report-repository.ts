import type { EntityManager } from 'typeorm';

/**
 * The dashboard's counts across the joint service's tables (statistics, publication deadlines,
 * deliveries): read only.
 */
export class ReportRepository {
  constructor(readonly manager: EntityManager) {}
}
