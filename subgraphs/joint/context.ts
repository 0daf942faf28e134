import type { DataSource } from 'typeorm';
import type { RequestContext } from '../kernel/context';
import type { WorkingDayCalendar } from './calendar/working-days';
import type { DepartmentClient } from './department-client';

/** What the joint service's resolvers share: its database, the departments, the calendar, the clock. */
export interface JointDeps {
  dataSource: DataSource;
  departments: DepartmentClient;
  calendar: WorkingDayCalendar;
  /** Now; tests set it to dates of their choosing (witness dates, deadlines). */
  clock: () => Date;
  /** Called after a submission is stored: starts a delivery round at once. */
  afterSubmit?: () => void;
}

export interface JointContext extends RequestContext {
  joint: JointDeps;
}
