/** The shapes of what the stored operations (operations/web/) return, as the page uses them. */

export interface Department {
  code: string;
  /** The name it registered with; a department may have registered without one. */
  name: string | null;
}

export interface PublicEntity {
  uscc: string;
  name: string;
  kind: string;
  regionCode: string;
  industryCode: string;
  registeredOn: string;
  status: string;
  onAbnormalList: boolean;
}

export interface PublishedResult {
  id: string;
  department: string;
  taskId: string;
  targetKey: string;
  uscc: string | null;
  itemCode: string;
  itemVersion: number;
  outcome: string;
  method: string;
  notes: string | null;
  inspectedOn: string;
  dishonesty: boolean;
  status: string;
  publishedAt: string | null;
  correctsId: string | null;
  correctionReason: string | null;
}

export interface Outcome {
  code: string;
  version: number;
  label: string;
  dishonesty: boolean;
  status: string;
}

export interface ChecklistVersion {
  code: string;
  version: number;
  title: string;
  basis: string;
  content: string;
  method: string;
  category: string;
}

export interface PlanSummary {
  id: string;
  year: number;
  name: string;
  leadDepartment: string;
  departments: string[];
  kind: string;
  status: string;
  revision: number;
  publishedRevision: number | null;
  windowStart: string;
  windowEnd: string;
  /** Made in a training hub: practice, not a real inspection. */
  training: boolean;
}

export interface PlanDetail extends PlanSummary {
  items: Array<{ department: string; code: string; version: number; title: string; basis: string; category: string; ratioCapPercent: number | null }>;
  scope: { targetKinds: string[]; regions: string[]; industries: string[] };
  methods: string[];
  ratios: { high: number; elevated: number; general: number; low: number };
  classCombination: string;
  batchSize: number;
  revisions: Array<{ revision: number; note: string | null; changedAt: string; publishBy: string; publishByProvisional: boolean; publishedAt: string | null }>;
}

export interface TaskSummary {
  id: string;
  planId: string;
  name: string;
  year: number;
  leadDepartment: string;
  status: string;
  witnessSource: string;
  witnessAvailableOn: string;
  snapshotSize: number | null;
  snapshotTakenAt: string | null;
  drawnAt: string | null;
  lockedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** Made in a training hub: practice, not a real inspection. */
  training: boolean;
}

export interface CodeCheck {
  genuine: boolean;
  /** The visit is of a training task. */
  training: boolean;
  taskName: string | null;
  year: number | null;
  leadDepartment: string | null;
  departments: string[];
  items: Array<{ department: string; code: string; title: string; basis: string }>;
  inspectors: Array<{ department: string; name: string; certificateNo: string | null }>;
}

export interface DeliveryCounts {
  pending: number;
  delivered: number;
  refused: number;
  oldestPendingSince: string | null;
  lastDeliveredAt: string | null;
}

export interface DepartmentStatistics {
  department: string;
  itemsInForce: number;
  itemsCovered: number;
  tasks: number;
  tasksDone: number;
  visits: number;
  results: number;
  published: number;
  publishedOnTime: number;
  publishedLate: number;
  overdue: number;
  /** Results whose deadline runs through a year without its holiday notice: provisional (R25). */
  provisionalDeadlines: number;
  publicationRate: number;
  deliveries: DeliveryCounts;
}

export interface YearStatistics {
  year: number;
  publishedPlans: number;
  jointPlans: number;
  lockedTasks: number;
  tasksDone: number;
  visits: number;
  visitsSubmitted: number;
  visitsSaved: number;
  /** Targets drawn by more locked tasks than the rules allow (R14): how many. */
  overInspectedPage: { totalCount: number };
  /** Targets several departments each drew in plans of their own (R22): how many. */
  separateVisitPage: { totalCount: number };
  departments: DepartmentStatistics[];
  /** Years without their holiday notice loaded that deadlines were counted through. */
  provisionalCalendarYears: number[];
  calendarNote: string | null;
}

export interface ResultDeadline {
  department: string;
  resultId: string;
  taskId: string;
  taskName: string;
  targetKey: string;
  uscc: string | null;
  itemCode: string;
  inspectedOn: string;
  status: string;
  deadline: string;
  workingDaysLeft: number;
  overdue: boolean;
  /** Counted through a year whose holiday notice is not loaded yet (weekends and statutory holidays alone). */
  provisional: boolean;
}
