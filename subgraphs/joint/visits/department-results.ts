import type { Deadline, WorkingDayCalendar } from '../calendar/working-days';
import type { JointDeps } from '../context';

/*
 * The departments' results as the joint service sees them (R24, R25, R31): read only through the
 * department contract (the stored operation `DepartmentResults`), and the publication deadline
 * every report of the hub measures them against.
 */

/** R25: results are published within this many working days of the check's end. */
export const PUBLISH_RESULTS_WITHIN_WORKING_DAYS = 20;

/**
 * R25: the last day (a China date, YYYY-MM-DD) a result formed on `inspectedOn` is published in
 * time: the 20th working day after the check's end, which itself is not counted; provisional
 * while a year it runs through has no holiday notice loaded. The one computation behind
 * `jointStatistics` and `jointPublicationDeadlines`.
 */
export function publicationDeadline(calendar: WorkingDayCalendar, inspectedOn: string): Deadline {
  return calendar.deadline(inspectedOn, PUBLISH_RESULTS_WITHIN_WORKING_DAYS);
}

/** One result as a department's contract gives it (`DepartmentResults`). */
export interface ContractResult {
  id: string;
  taskId: string;
  targetKey: string;
  uscc: string | null;
  itemCode: string;
  /** RECORDED, APPROVED or PUBLISHED. */
  status: string;
  /** The day the check ended (R25). */
  inspectedOn: string;
  publishedAt: string | null;
}

/** Results a `DepartmentResults` page asks for. */
const PAGE = 1000;

/**
 * Every result a department recorded for some tasks, read through its contract page by page (one
 * call per 1,000 results); a department that cannot be reached is a DOWNSTREAM_SERVICE_ERROR
 * naming it.
 */
export async function departmentResults(
  deps: JointDeps,
  department: string,
  taskIds: ReadonlySet<string>,
): Promise<ContractResult[]> {
  const out: ContractResult[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Record<string, { results: ContractResult[] }> = await deps.departments.run(
      department,
      'DepartmentResults',
      { first: PAGE, after },
    );
    const page = data[department]!.results;
    for (const r of page) if (taskIds.has(r.taskId)) out.push(r);
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!.id;
  }
}
