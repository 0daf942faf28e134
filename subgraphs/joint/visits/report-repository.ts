import { In, type EntityManager } from 'typeorm';
import { DrawnTargetRow, TaskRow } from '../tasks/entities';
import { TaskStatus } from '../tasks/entities';
import { OutboxRow, SubmissionRow } from './entities';

/** A task as the publication deadlines read it (R25, R31). */
export type TaskHeading = Pick<TaskRow, 'id' | 'name' | 'leadDepartment' | 'planId' | 'planRevision'>;

/** A drawn target as the statistics read it (R31): its task, key, and what decides its checklist items. */
export type DrawnTargetHeading = Pick<DrawnTargetRow, 'taskId' | 'targetKey' | 'kind' | 'industryCode'>;

/** One department's shares of a year's submissions in the outbox with one status (R24, R31). */
export interface DeliveryShares {
  department: string;
  status: string;
  entries: number;
  /** When the oldest of these shares' visits was submitted. */
  oldestSubmittedAt: Date | null;
  /** When the last of these shares was delivered (null unless delivered). */
  lastDeliveredAt: Date | null;
}

/**
 * The dashboard's counts across the joint service's tables (statistics, publication deadlines,
 * deliveries): read only.
 */
export class ReportRepository {
  constructor(readonly manager: EntityManager) {}

  /** A year's locked tasks, whole. */
  lockedTasksOf(year: number): Promise<TaskRow[]> {
    return this.manager.find(TaskRow, { where: { year, status: TaskStatus.LOCKED } });
  }

  /** A year's locked tasks: their id, name, lead department and plan revision only. */
  lockedTaskHeadingsOf(year: number): Promise<TaskHeading[]> {
    return this.manager.find(TaskRow, {
      select: { id: true, name: true, leadDepartment: true, planId: true, planRevision: true },
      where: { year, status: TaskStatus.LOCKED },
    });
  }

  /** The drawn targets of some tasks (at least one), in one statement: task, key, kind and industry only. */
  drawnTargetsOf(taskIds: readonly string[]): Promise<DrawnTargetHeading[]> {
    return this.manager.find(DrawnTargetRow, {
      select: { taskId: true, targetKey: true, kind: true, industryCode: true },
      where: { taskId: In([...taskIds]) },
    });
  }

  /** The visits of some tasks (at least one) whose results are submitted, in one statement: task and key only. */
  submittedVisitsOf(taskIds: readonly string[]): Promise<Array<Pick<SubmissionRow, 'taskId' | 'targetKey'>>> {
    return this.manager.find(SubmissionRow, {
      select: { taskId: true, targetKey: true },
      where: { taskId: In([...taskIds]) },
    });
  }

  /**
   * R24, R31: the outbox's shares of the submissions of a year's locked tasks, grouped by
   * department and status, in one SQL statement whatever the number of departments or entries.
   */
  async deliverySharesOf(year: number): Promise<DeliveryShares[]> {
    const rows = await this.manager
      .createQueryBuilder(OutboxRow, 'o')
      .innerJoin(SubmissionRow, 's', 's.id = o.submissionId')
      .innerJoin(TaskRow, 't', 't.id = s.taskId')
      .where('t.year = :year AND t.status = :locked', { year, locked: TaskStatus.LOCKED })
      .select('o.department', 'department')
      .addSelect('o.status', 'status')
      .addSelect('COUNT(*)', 'entries')
      .addSelect('MIN(s.submittedAt)', 'oldestSubmittedAt')
      .addSelect('MAX(o.deliveredAt)', 'lastDeliveredAt')
      .groupBy('o.department')
      .addGroupBy('o.status')
      .getRawMany<{
        department: string;
        status: string;
        entries: number | string;
        oldestSubmittedAt: unknown;
        lastDeliveredAt: unknown;
      }>();
    // Raw aggregates come as each driver gives them (SQLite: text; MySQL: Date): hydrated as the columns are.
    const driver = this.manager.connection.driver;
    const asDate = (entity: typeof OutboxRow | typeof SubmissionRow, property: string, raw: unknown): Date | null =>
      raw == null
        ? null
        : (driver.prepareHydratedValue(
            raw,
            this.manager.connection.getMetadata(entity).findColumnWithPropertyName(property)!,
          ) as Date);
    return rows.map((row) => ({
      department: row.department,
      status: row.status,
      entries: Number(row.entries),
      oldestSubmittedAt: asDate(SubmissionRow, 'submittedAt', row.oldestSubmittedAt),
      lastDeliveredAt: asDate(OutboxRow, 'deliveredAt', row.lastDeliveredAt),
    }));
  }
}
