import type { ServiceTracing } from '../../kernel/tracing';
import type { JointMetrics } from './metrics';
import type { JointStore } from './store';
import type { RequestContext } from '../../kernel/context';
import type { SettableClock } from '../../kernel/settable-clock';
import type { WorkingDayCalendar } from './calendar/working-days';
import type { DepartmentClient } from './department-client';

/** What the joint service's resolvers share: its database, the departments, the calendar, the clock. */
export interface JointDeps {
  /** The repositories: the only way to the service's tables (store.ts). */
  store: JointStore;
  departments: DepartmentClient;
  calendar: WorkingDayCalendar;
  /** Now; tests set it to dates of their choosing (witness dates, deadlines). */
  clock: () => Date;
  /**
   * In a training hub (JOINTCHECK_MODE=training) the clock it runs on, which coordinators may move
   * forward (training.ts); null otherwise. Plans and tasks made while it is set are marked training.
   */
  trainingClock: SettableClock | null;
  /**
   * Issue J: the largest piece of evidence (bytes), and the public page's address the record form's QR code opens
   * (R32).
   */
  onSite: { maxEvidenceBytes: number; publicUrl: string };
  /** Issue L: deliveries, draws and snapshots counted and timed (none in a test that builds deps by hand). */
  metrics?: JointMetrics;
  /** Issue L: the service's traces (null: off); an outbox entry keeps its submission's trace for its delivery. */
  tracing?: ServiceTracing | null;
  /** Called after a submission is stored: starts a delivery round at once. */
  afterSubmit?: () => void;
}

export interface JointContext extends RequestContext {
  joint: JointDeps;
}
