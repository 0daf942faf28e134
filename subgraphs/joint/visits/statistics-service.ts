import { chinaDate } from '../calendar/working-days';
import type { JointDeps } from '../context';
import type { PlanContent } from '../plans/content';
import { fetchChecklists } from '../plans/plan-service';
import { TaskService, MAX_INSPECTIONS_PER_YEAR } from '../tasks/task-service';
import { visitItems } from './checklist';
import { deliveryCountsByDepartment, deliveryCountsOf } from './delivery-counts';
import { departmentResults, publicationDeadline } from './department-results';
import type { DrawnTargetHeading } from './report-repository';
import type { YearStatisticsType } from './statistics-types';

/** A year's statistics for the dashboards (R31): the caller has checked that they may (hub staff). */
export class StatisticsService {
  constructor(private readonly deps: JointDeps) {}

  /**
   * Coverage, participation, visits, visits saved, publication on time and delivery of results,
   * for the year and each department (R31): a constant number of SQL statements whatever the year's size.
   */
  async ofYear(year: number): Promise<YearStatisticsType> {
    const reports = this.deps.store.reports;
    const calendar = this.deps.calendar;
    const today = chinaDate(this.deps.clock());
    const plans = await this.deps.store.plans.ofYear(year);
    const published = plans.filter((p) => p.publishedRevision !== null);
    const revisions = published.length ? await this.deps.store.plans.revisionsOfPlans(published.map((p) => p.id)) : [];
    const contents = published.map(
      (p) => revisions.find((r) => r.planId === p.id && r.revision === p.publishedRevision)!.content as PlanContent,
    );
    const tasks = await reports.lockedTasksOf(year);
    const taskIds = new Set(tasks.map((t) => t.id));
    const drawn = tasks.length ? await reports.drawnTargetsOf([...taskIds]) : [];
    const submissions = tasks.length ? await reports.submittedVisitsOf([...taskIds]) : [];
    const submitted = submissions.length;
    const submittedPerTask = new Map<string, number>();
    for (const sub of submissions) submittedPerTask.set(sub.taskId, (submittedPerTask.get(sub.taskId) ?? 0) + 1);
    const visitsPerTask = new Map<string, number>();
    for (const d of drawn) visitsPerTask.set(d.taskId, (visitsPerTask.get(d.taskId) ?? 0) + 1);
    const done = new Set(
      tasks
        .filter((t) => (visitsPerTask.get(t.id) ?? 0) > 0 && submittedPerTask.get(t.id) === visitsPerTask.get(t.id))
        .map((t) => t.id),
    );
    const contentOf = await new TaskService(this.deps).planContents(tasks);
    const departmentsOf = new Map([...contentOf].map(([taskId, content]) => [taskId, content.departments.length]));
    const deliveries = deliveryCountsByDepartment(await reports.deliverySharesOf(year));
    // A joint visit saves a separate visit for each department beyond the first that has items on that target.
    const departmentsChecking = (d: DrawnTargetHeading) =>
      new Set(visitItems(contentOf.get(d.taskId)!, d).map((i) => i.department)).size;
    // Targets visited by several departments separately (internal plans of different departments).
    const leadOf = new Map(tasks.map((t) => [t.id, t.leadDepartment]));
    const alone = new Map<string, Set<string>>();
    for (const d of drawn) {
      if (departmentsOf.get(d.taskId) !== 1) continue;
      const set = alone.get(d.targetKey) ?? new Set<string>();
      set.add(leadOf.get(d.taskId)!);
      alone.set(d.targetKey, set);
    }
    const perTarget = new Map<string, number>();
    for (const d of drawn) perTarget.set(d.targetKey, (perTarget.get(d.targetKey) ?? 0) + 1);
    const codes = this.deps.departments.departments();
    // R25, R31: years without a holiday notice that deadlines were counted through (their figures are provisional).
    const provisionalCalendarYears = new Set<number>();
    const checklists = await fetchChecklists(this.deps, codes);
    const departments = await Promise.all(
      codes.map(async (department) => {
        const inForce = checklists.get(department)!.filter((i) => i.status === 'CURRENT');
        const covered = new Set(
          contents.flatMap((c) => c.items.filter((i) => i.department === department).map((i) => i.code)),
        );
        const results = await departmentResults(this.deps, department, taskIds);
        let onTime = 0;
        let late = 0;
        let overdue = 0;
        let provisionalDeadlines = 0;
        for (const r of results) {
          const { date: deadline, provisionalYears } = publicationDeadline(calendar, r.inspectedOn); // R25
          const published = r.publishedAt ? chinaDate(new Date(r.publishedAt)) : null;
          if (published && published <= deadline) onTime++;
          else if (published) late++;
          else if (today > deadline) overdue++;
          if (provisionalYears.length) {
            provisionalDeadlines++;
            for (const y of provisionalYears) provisionalCalendarYears.add(y);
          }
        }
        const publishedCount = onTime + late;
        const mine = tasks.filter((t) => contentOf.get(t.id)!.departments.includes(department));
        return {
          department,
          tasks: mine.length,
          tasksDone: mine.filter((t) => done.has(t.id)).length,
          visits: drawn.filter((d) => visitItems(contentOf.get(d.taskId)!, d).some((i) => i.department === department))
            .length,
          itemsInForce: inForce.length,
          itemsCovered: inForce.filter((i) => covered.has(i.code)).length,
          results: results.length,
          published: publishedCount,
          publishedOnTime: onTime,
          publishedLate: late,
          overdue,
          publicationRate: results.length ? publishedCount / results.length : 1,
          provisionalDeadlines,
          deliveries: deliveryCountsOf(deliveries, department),
        };
      }),
    );
    const provisionalYears = [...provisionalCalendarYears].sort((a, b) => a - b);
    return {
      year,
      publishedPlans: published.length,
      jointPlans: contents.filter((c) => c.departments.length > 1).length,
      lockedTasks: tasks.length,
      tasksDone: done.size,
      visits: drawn.length,
      visitsSubmitted: submitted,
      visitsSaved: drawn.reduce((n, d) => n + Math.max(0, departmentsChecking(d) - 1), 0),
      overInspected: [...perTarget]
        .filter(([, n]) => n > MAX_INSPECTIONS_PER_YEAR)
        .map(([k]) => k)
        .sort(),
      separateVisits: [...alone]
        .filter(([, departments]) => departments.size > 1)
        .map(([k]) => k)
        .sort(),
      departments,
      provisionalCalendarYears: provisionalYears,
      calendarNote: calendar.provisionalNote(provisionalYears) || null,
    };
  }
}
