import type {
  CheckInspectionCodeQuery,
  DashboardPlansQuery,
  DashboardStatisticsQuery,
  DepartmentDictionaryQuery,
  DepartmentPublishedResultsQuery,
  OverduePlanRevisionsQuery,
  PlanDetailQuery,
  PlanSummaryFragment,
  PublicationDeadlinesQuery,
  PublicDepartmentsQuery,
  PublicEntityFragment,
  TaskSummaryFragment,
} from './generated';

/**
 * Names for the shapes the page uses, taken from what the stored operations (operations/web/)
 * return. The shapes themselves are generated from the schema (generated.ts, `npm run codegen`):
 * nothing here is written by hand, so a schema change that breaks the page fails `npm run typecheck`.
 */

export type Department = PublicDepartmentsQuery['registryDepartments'][number];

export type PublicEntity = PublicEntityFragment;

/** A department's part of a template's answer (the contract's `example`, under the department's code). */
type DepartmentPart<T extends { example: unknown }> = NonNullable<T['example']>;

export type PublishedResult = DepartmentPart<DepartmentPublishedResultsQuery>['publishedResultPage']['nodes'][number];

export type Outcome = DepartmentPart<DepartmentDictionaryQuery>['outcomes'][number];

export type ChecklistVersion = DepartmentPart<DepartmentDictionaryQuery>['checklist'][number];

export type PlanSummary = PlanSummaryFragment;

/** A plan as the dashboard lists it (DashboardPlans). */
export type DashboardPlan = DashboardPlansQuery['jointPlanPage']['nodes'][number];

export type PlanDetail = NonNullable<PlanDetailQuery['jointPlan']>;

export type TaskSummary = TaskSummaryFragment;

export type CodeCheck = CheckInspectionCodeQuery['jointCheckInspectionCode'];

export type YearStatistics = DashboardStatisticsQuery['jointStatistics'];

export type DepartmentStatistics = YearStatistics['departments'][number];

export type DeliveryCounts = DepartmentStatistics['deliveries'];

export type ResultDeadline = NonNullable<PublicationDeadlinesQuery['jointPublicationDeadlinePage']>['nodes'][number];

export type OverduePlanRevision = NonNullable<
  OverduePlanRevisionsQuery['jointOverduePlanRevisionPage']
>['nodes'][number];
