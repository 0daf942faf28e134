import { Field, Int, ObjectType } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { TaskRow } from '../tasks/entities';
import { TaskStatus } from '../tasks/task-service';
import { OutboxRow, SubmissionRow } from './entities';
import { OutboxStatus } from './write-back';

@ObjectType('DeliveryCounts', {
  description:
    "How the year's results reached one department: its shares of the submissions of the year's locked tasks " +
    'in the outbox (R24, R31).',
})
export class DeliveryCountsType {
  @Field(() => Int, {
    description:
      'Shares waiting to be delivered (the department was down, or the deliverer has not sent them yet); ' +
      'retried with backoff.',
  })
  pending!: number;
  @Field(() => Int, { description: 'Shares the department took (its receipts are kept).' })
  delivered!: number;
  @Field(() => Int, {
    description:
      'Shares the department refused: a person must look, mend the cause and send them again (jointRetryDelivery).',
  })
  refused!: number;
  @Field(() => Date, {
    nullable: true,
    description:
      "When the oldest pending share's visit results were submitted: how long the department has been " +
      'waiting for results (a share sent again after a refusal counts from its submission too). Null when ' +
      'none is pending.',
  })
  oldestPendingSince!: Date | null;
  @Field(() => Date, {
    nullable: true,
    description: 'When the department last took a share; null when it has taken none.',
  })
  lastDeliveredAt!: Date | null;
}

/** No share of a department in the outbox. */
const NONE: DeliveryCountsType = Object.freeze({
  pending: 0,
  delivered: 0,
  refused: 0,
  oldestPendingSince: null,
  lastDeliveredAt: null,
});

/**
 * R24, R31: each department's delivery counts for the submissions of a year's locked tasks, in one
 * SQL statement whatever the number of departments or entries (the outbox grouped by department
 * and status). A department with no share is not in the map: `deliveryCountsOf` gives it zeros.
 */
export async function deliveryCountsOfYear(
  manager: EntityManager,
  year: number,
): Promise<Map<string, DeliveryCountsType>> {
  const rows = await manager
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
  const driver = manager.connection.driver;
  const asDate = (entity: typeof OutboxRow | typeof SubmissionRow, property: string, raw: unknown): Date | null =>
    raw == null
      ? null
      : (driver.prepareHydratedValue(
          raw,
          manager.connection.getMetadata(entity).findColumnWithPropertyName(property)!,
        ) as Date);
  const out = new Map<string, DeliveryCountsType>();
  for (const row of rows) {
    const counts = { ...(out.get(row.department) ?? NONE) };
    const entries = Number(row.entries);
    if (row.status === OutboxStatus.PENDING)
      Object.assign(counts, {
        pending: entries,
        oldestPendingSince: asDate(SubmissionRow, 'submittedAt', row.oldestSubmittedAt),
      });
    else if (row.status === OutboxStatus.DELIVERED)
      Object.assign(counts, {
        delivered: entries,
        lastDeliveredAt: asDate(OutboxRow, 'deliveredAt', row.lastDeliveredAt),
      });
    else if (row.status === OutboxStatus.REFUSED) counts.refused = entries;
    out.set(row.department, counts);
  }
  return out;
}

/** A department's counts from `deliveryCountsOfYear`, zeros when it has no share. */
export function deliveryCountsOf(
  counts: ReadonlyMap<string, DeliveryCountsType>,
  department: string,
): DeliveryCountsType {
  return counts.get(department) ?? { ...NONE };
}
