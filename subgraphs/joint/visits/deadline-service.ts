import type { ResultStatus } from '../../department-kernel/contract/enums';
import { badInput, forbidden } from '../../../kernel/errors';
import { DEPARTMENT_ROLES, Role, type Identity } from '../../../kernel/identity';
import { assertRoleAmong } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointDeps } from '../context';
import { TaskService } from '../tasks/task-service';
import type { ResultDeadlineType } from './deadline-types';
import { departmentResults, publicationDeadline } from './department-results';

/** R30: every signed-in role sees some deadlines; which ones, `sightOf` says. */
const READERS: readonly Role[] = [Role.HUB_ADMIN, Role.AUDITOR, Role.SERVICE, ...DEPARTMENT_ROLES];

/** Who sees a department's publication deadlines, as refusals say it. */
const WHO_MAY =
  "the department's own staff, coordinators of a department leading its tasks (for those tasks), hub admins, " +
  'auditors and hub services';

/** R30: whose unpublished results a caller sees. */
interface Sight {
  /** Hub admins, auditors and hub services: every department's. */
  all: boolean;
  /** A department's own staff (any role): that department's. */
  own: string | null;
  /** A coordinator: also every department's results of the tasks its department leads (it follows their visits). */
  leads: string | null;
}

/** R30: what a signed-in identity sees, by its role and department alone. */
function sightOf(identity: Identity): Sight {
  if (identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE)
    return { all: true, own: null, leads: null };
  return {
    all: false,
    own: identity.department,
    leads: identity.role === Role.COORDINATOR ? identity.department : null,
  };
}

/** The publication deadlines of the departments' unpublished results (R25, R31), as each caller may see them (R30). */
export class PublicationDeadlineService {
  constructor(private readonly deps: JointDeps) {}

  /**
   * R25, R30, R31: every unpublished result of a year's locked tasks the caller sees, with its
   * deadline, sorted. `checkPage` checks the page size once the caller is allowed (a refusal comes first).
   */
  async deadlines(
    identity: Identity,
    year: number,
    department: string | null,
    overdueOnly: boolean,
    checkPage: () => void,
  ): Promise<ResultDeadlineType[]> {
    // R30: the role decides before anything is looked up.
    assertRoleAmong(identity, READERS, 'read publication deadlines');
    const sight = sightOf(identity);
    // R30: a department the caller may not see at all is refused, known or not.
    if (department != null && !sight.all && sight.leads === null && department !== sight.own) {
      throw forbidden(
        `Publication deadlines of '${department}' are for ${WHO_MAY}; you are ${identity.role} of ` +
          `'${identity.department}'. Leave department out to see yours.`,
        { rule: 'R30', field: 'department' },
      );
    }
    checkPage();
    if (department != null && !this.deps.departments.has(department)) {
      throw badInput(
        `No department '${department}' is registered with the hub; registryDepartments lists those that are.`,
        { field: 'department' },
      );
    }
    const tasks = await this.deps.store.reports.lockedTaskHeadingsOf(year);
    const taskOf = new Map(tasks.map((t) => [t.id, t]));
    // R30: a result is seen by every hub reader, its department's staff, and its task's lead coordinators.
    const sees = (d: string, taskId: string) =>
      sight.all || d === sight.own || (sight.leads !== null && taskOf.get(taskId)?.leadDepartment === sight.leads);
    // Only the departments that take part in a task whose results the caller sees are asked.
    const contents = await new TaskService(this.deps).planContents(tasks);
    const wanted = new Set(
      [...contents].flatMap(([taskId, content]) =>
        content.departments.filter((d) => (department == null || d === department) && sees(d, taskId)),
      ),
    );
    const asked = this.deps.departments.departments().filter((d) => wanted.has(d));
    const taskIds = new Set(taskOf.keys());
    const calendar = this.deps.calendar;
    const today = chinaDate(this.deps.clock());
    const read = await Promise.all(
      asked.map(async (d) =>
        (await departmentResults(this.deps, d, taskIds))
          .filter((r) => r.publishedAt === null && sees(d, r.taskId))
          .map((r): ResultDeadlineType => {
            const { date: deadline, provisionalYears } = publicationDeadline(calendar, r.inspectedOn); // R25
            return {
              department: d,
              resultId: r.id,
              taskId: r.taskId,
              taskName: taskOf.get(r.taskId)!.name,
              targetKey: r.targetKey,
              uscc: r.uscc,
              itemCode: r.itemCode,
              inspectedOn: r.inspectedOn,
              status: r.status as ResultStatus,
              deadline,
              workingDaysLeft: calendar.workingDaysLeft(today, deadline),
              overdue: today > deadline, // R31, as jointStatistics counts it
              provisional: provisionalYears.length > 0 || calendar.yearsWithoutNotice(today, deadline).length > 0,
            };
          }),
      ),
    );
    const order = (a: ResultDeadlineType, b: ResultDeadlineType) =>
      compare(a.deadline, b.deadline) || compare(a.department, b.department) || compare(a.resultId, b.resultId);
    return read
      .flat()
      .filter((r) => !overdueOnly || r.overdue)
      .sort(order);
  }
}

/** Code-point order (not the locale's), so every service sorts alike. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
