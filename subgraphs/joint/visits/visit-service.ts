import { forbidden } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import { assertTaskStaff } from '../access';
import type { JointDeps } from '../context';
import type { NoticeRow, RecordFormRow } from '../papers/entities';
import { NoticeService } from '../papers/notice-service';
import { RecordFormService } from '../papers/record-form-service';
import type { PlanContent } from '../plans/content';
import type { DrawnTargetRow, TaskRow } from '../tasks/entities';
import { TaskService } from '../tasks/task-service';
import type { TeamMemberRow } from '../teams/entities';
import { TeamService } from '../teams/team-service';
import type { InspectionCodeRow, OutboxRow, SubmissionRow, VisitFeedbackRow } from './entities';

/** The task a visit belongs to, as much of it as the visits need. */
export type VisitTask = Pick<TaskRow, 'id' | 'planId' | 'planRevision' | 'leadDepartment'>;

/** Who reads a task's visits, and which (R30). */
export interface VisitSight {
  content: PlanContent;
  /** An inspector's own visits (the teams they are on); undefined for everyone else, who sees every visit. */
  mine: string[] | undefined;
}

/** A page of a task's visits with what each comes with, rows as stored (visit-resolvers.ts shapes them). */
export interface VisitPageRows {
  /** The visits, in the drawn order. */
  visits: DrawnTargetRow[];
  /** Their team members, every status, in order. */
  members: TeamMemberRow[];
  /** The departments that have drawn their inspectors. */
  drawnDepartments: string[];
  /** Inspector seats per visit for each department (R18). */
  seatsPerDepartment: number;
  submissions: SubmissionRow[];
  /** The submissions' shares, by department. */
  deliveries: OutboxRow[];
  codes: InspectionCodeRow[];
  forms: RecordFormRow[];
  notices: NoticeRow[];
  /** The businesses' feedback on the visits' codes, oldest first; empty for those who do not see it. */
  feedback: VisitFeedbackRow[];
}

/** One participating department's view of a visit's target. */
export interface TargetView {
  key: string;
  uscc: string;
  department: string;
  [field: string]: unknown;
}

/** A task's visits (R22): who sees which, a page of them with their teams and submissions, the targets' views. */
export class VisitService {
  constructor(private readonly deps: JointDeps) {}

  private get store() {
    return this.deps.store;
  }

  /** The keys of the task's visits whose team the caller is on, actively, for their department. */
  private async own(identity: Identity, taskId: string): Promise<string[]> {
    return this.store.teams.visitsOfMember(taskId, identity.subject, identity.department ?? '');
  }

  /**
   * R30: a task's visits are for its participating departments' staff and hub roles; an inspector sees only the visits
   * whose team they are on.
   */
  async sight(identity: Identity, task: VisitTask): Promise<VisitSight> {
    const content = await new TaskService(this.deps).planContent(task);
    assertTaskStaff(identity, content.departments, "see a task's visits and teams"); // R30
    const mine = identity.role === Role.INSPECTOR ? await this.own(identity, task.id) : undefined;
    return { content, mine };
  }

  /** How many visits the sight shows. */
  async count(task: VisitTask, sight: VisitSight): Promise<number> {
    return new TaskService(this.deps).countDrawnTargets(task.id, sight.mine);
  }

  /**
   * Up to `limit` visits of a task from `offset` in the drawn order, with their teams, submissions, deliveries, codes,
   * papers and (for the hub roles and the lead's coordinators) feedback: a fixed number of statements, whatever the
   * page size.
   */
  async page(
    identity: Identity,
    task: VisitTask,
    { content, mine }: VisitSight,
    offset: number,
    limit: number,
  ): Promise<VisitPageRows> {
    const teams = new TeamService(this.deps);
    const visits = await new TaskService(this.deps).drawnTargetsPage(task.id, offset, limit, mine);
    const keys = visits.map((v) => v.targetKey);
    const [members, drawnDepartments] = await Promise.all([
      teams.members(task.id, keys),
      this.store.teams.drawnDepartments(task.id),
    ]);
    // Submissions and deliveries of the page: two statements, whatever the page size.
    const submissions = await this.store.submissions.ofVisits(task.id, keys);
    const deliveries = await this.store.outbox.sharesOfSubmissions(submissions.map((s) => s.id));
    const codes = await this.store.codes.ofVisits(task.id, keys);
    const [forms, notices] = await Promise.all([
      new RecordFormService(this.deps).formsOf(task.id, keys),
      new NoticeService(this.deps).noticesOf(task.id, keys),
    ]);
    const seesFeedback =
      identity.role === Role.HUB_ADMIN ||
      identity.role === Role.AUDITOR ||
      (identity.role === Role.COORDINATOR && identity.department === task.leadDepartment);
    const feedback = seesFeedback ? await this.store.codes.feedbackOn(codes.map((c) => c.code)) : [];
    return {
      visits,
      members,
      drawnDepartments,
      seatsPerDepartment: teams.inspectorsPerVisit(content),
      submissions,
      deliveries,
      codes,
      forms,
      notices,
      feedback,
    };
  }

  /**
   * Every participating department's view of the targets of some visits (at most 1,000 keys), read with the joint
   * service's identity for the task's staff: one request per department.
   */
  async targetViews(identity: Identity, task: VisitTask, keys: readonly string[]): Promise<TargetView[]> {
    const content = await new TaskService(this.deps).planContent(task);
    assertTaskStaff(identity, content.departments, "see a task's target views"); // R30
    // R30: this reads every participating department's view (internal credit and risk classes) with the
    // joint service's identity. The departments show their views to their own staff, coordinators and
    // hub roles only; here, besides coordinators and hub roles, only a team's inspectors see them (for
    // their own visits). A department's admin or heads read their own department's views directly.
    const role = identity.role;
    if (
      role !== Role.HUB_ADMIN &&
      role !== Role.AUDITOR &&
      role !== Role.SERVICE &&
      role !== Role.COORDINATOR &&
      role !== Role.INSPECTOR
    ) {
      throw forbidden(
        `Only a task's inspectors (for their own visits), coordinators and hub roles read its target views; ` +
          `you are ${role} of '${identity.department}'.`,
        { rule: 'R30' },
      );
    }
    let allowed = new Set(keys.slice(0, 1000));
    if (identity.role === Role.INSPECTOR) {
      const mine = await this.own(identity, task.id);
      allowed = new Set([...allowed].filter((k) => mine.includes(k)));
    }
    const visits = await this.store.tasks.drawnTargetsOfKeys(task.id, [...allowed]);
    const usccs = [...new Set(visits.map((v) => v.uscc).filter((u): u is string => u !== null))];
    if (usccs.length === 0) return [];
    const views = await Promise.all(
      content.departments.map(async (department) => {
        const data = await this.deps.departments.run<{ _entities: Array<Record<string, unknown> | null> }>(
          department,
          'DepartmentTargetViews',
          {
            representations: usccs.map((uscc) => ({ __typename: 'MarketEntity', uscc })),
          },
        );
        return data._entities.map((e) => ({ uscc: String(e?.uscc), department, ...(e?.[department] as object) }));
      }),
    );
    const byUscc = views.flat();
    return visits.flatMap((v) => byUscc.filter((x) => x.uscc === v.uscc).map((x) => ({ ...x, key: v.targetKey })));
  }
}
