import type { Counter, Histogram } from 'prom-client';
import { METRIC, type ServiceMetrics } from '../../kernel/metrics';
import { calendarStatus } from './calendar/status';
import type { JointDeps } from './context';

/** Issue L: the joint service's own series, beside the request series every service has. */
export interface JointMetrics {
  /** Outbox entries by department and how their delivery ended: delivered, refused (by the department), failed. */
  deliveries: Counter<'department' | 'outcome'>;
  /** A draw (R16) from the request to its stored list, and a snapshot (R9) of the rosters. */
  drawDuration: Histogram;
  snapshotDuration: Histogram;
}

/** Longer buckets than a request's: a snapshot of a million targets takes seconds. */
const LONG_SECONDS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300];

export function jointMetrics(
  metrics: ServiceMetrics,
  deps: Pick<JointDeps, 'store' | 'calendar' | 'clock'>,
): JointMetrics {
  // Read when Prometheus asks: what waits for each department, and how long the oldest has waited (R24).
  let pending: Promise<Array<{ department: string; pending: number; oldest: Date }>> | null = null;
  const pendingNow = () =>
    (pending ??= deps.store.outbox.pendingByDepartment().finally(() => {
      pending = null;
    }));
  metrics.gauge(
    METRIC.outboxPending,
    'Outbox entries not yet delivered, by department (R24).',
    ['department'],
    async (g) => {
      g.reset();
      for (const d of await pendingNow()) g.set({ department: d.department }, d.pending);
    },
  );
  metrics.gauge(
    METRIC.outboxOldestAge,
    "Seconds since the oldest undelivered entry's submission was stored, by department (R24).",
    ['department'],
    async (g) => {
      g.reset();
      // The hub's clock, which stamped the submissions (a training hub's may be ahead of the wall).
      const now = deps.clock().getTime();
      for (const d of await pendingNow())
        g.set({ department: d.department }, Math.max(0, (now - d.oldest.getTime()) / 1000));
    },
  );
  // H1: a year today's deadlines reach whose holiday notice is not loaded; its deadlines are provisional (R11, R25).
  metrics.gauge(
    METRIC.calendarProvisional,
    "1 for each year today's deadlines reach whose holiday notice is not loaded (deadlines there are provisional).",
    ['year'],
    (g) => {
      g.reset();
      for (const year of calendarStatus(deps.calendar, deps.clock()).provisionalYears) g.set({ year: String(year) }, 1);
    },
  );
  return {
    deliveries: metrics.counter(
      METRIC.deliveries,
      "Outbox entries by department and how their delivery ended: delivered, refused (the department's " +
        'answer: a person must look), failed (retried later).',
      ['department', 'outcome'],
    ),
    drawDuration: metrics.histogram(METRIC.drawDuration, 'Time of a draw (R16), in seconds.', [], LONG_SECONDS),
    snapshotDuration: metrics.histogram(
      METRIC.snapshotDuration,
      "Time of a snapshot of the departments' rosters (R9), in seconds.",
      [],
      LONG_SECONDS,
    ),
  };
}
