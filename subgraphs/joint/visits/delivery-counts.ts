import { Field, Int, ObjectType } from 'type-graphql';
import type { DeliveryShares } from './report-repository';
import { OutboxStatus } from './entities';

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
 * R24, R31: each department's delivery counts from the outbox's shares of a year's submissions,
 * grouped by department and status (ReportRepository.deliverySharesOf: one SQL statement whatever
 * the number of departments or entries). A department with no share is not in the map:
 * `deliveryCountsOf` gives it zeros.
 */
export function deliveryCountsByDepartment(shares: readonly DeliveryShares[]): Map<string, DeliveryCountsType> {
  const out = new Map<string, DeliveryCountsType>();
  for (const row of shares) {
    const counts = { ...(out.get(row.department) ?? NONE) };
    const entries = row.entries;
    if (row.status === OutboxStatus.PENDING)
      Object.assign(counts, {
        pending: entries,
        oldestPendingSince: row.oldestSubmittedAt,
      });
    else if (row.status === OutboxStatus.DELIVERED)
      Object.assign(counts, {
        delivered: entries,
        lastDeliveredAt: row.lastDeliveredAt,
      });
    else if (row.status === OutboxStatus.REFUSED) counts.refused = entries;
    out.set(row.department, counts);
  }
  return out;
}

/** A department's counts from `deliveryCountsByDepartment`, zeros when it has no share. */
export function deliveryCountsOf(
  counts: ReadonlyMap<string, DeliveryCountsType>,
  department: string,
): DeliveryCountsType {
  return counts.get(department) ?? { ...NONE };
}
