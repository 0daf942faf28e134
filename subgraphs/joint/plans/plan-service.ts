import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../../kernel/errors';
import { Role, type Identity } from '../../../kernel/identity';
import { assertLeadCoordinator, assertRoleAmong, seesDrafts } from '../access';
import { chinaDate, type Deadline } from '../calendar/working-days';
import type { JointDeps } from '../context';
import { PlanRevisionRow, PlanRow } from './entities';
import type { PlanContent } from './content';
import { buildPlanContent, type ContractItem } from './plan-rules';
import type { PlanInput } from './types';

/** R11: a plan revision is published within this many working days of being made. */
export const PUBLISH_WITHIN_WORKING_DAYS = 5;

/** Every version of the checklists of some departments, through the department contract (R3). */
export async function fetchChecklists(
  deps: JointDeps,
  departments: readonly string[],
): Promise<Map<string, ContractItem[]>> {
  const entries = await Promise.all(
    departments.map(async (code) => {
      const data = await deps.departments.run<Record<string, { checklist: ContractItem[] }>>(
        code,
        'DepartmentChecklist',
      );
      return [code, data[code]!.checklist] as const;
    }),
  );
  return new Map(entries);
}

/** A plan as shown: its content at one revision, with what that revision's state is. */
export interface PlanView {
  plan: PlanRow;
  revision: PlanRevisionRow;
  content: PlanContent;
}

export class PlanService {
  constructor(private readonly deps: JointDeps) {}

  private async content(input: PlanInput, lead: string): Promise<PlanContent> {
    const departments = [...new Set([lead, ...input.partners])].filter((d) => this.deps.departments.has(d));
    const checklists = await fetchChecklists(this.deps, departments);
    return buildPlanContent(input, lead, this.deps.departments.departments(), checklists);
  }

  /** R11: the day by which a revision made now must be published. */
  private publishBy(at: Date): string {
    return this.publishDeadline(at).date;
  }

  /**
   * R11: the deadline of a revision made at `changedAt`, counted now: provisional while a year it
   * runs through has no holiday notice loaded, final once it has (so it is computed when read, and
   * the `publish_by` stored with the revision is only what was counted when it was made).
   */
  publishDeadline(changedAt: Date): Deadline {
    return this.deps.calendar.deadline(chinaDate(changedAt), PUBLISH_WITHIN_WORKING_DAYS);
  }

  async create(identity: Identity, input: PlanInput): Promise<PlanView> {
    const lead = identity.department ?? '';
    assertLeadCoordinator(identity, lead, 'create a plan'); // R16
    const content = await this.content(input, lead);
    const now = this.deps.clock();
    const publishBy = this.publishBy(now);
    return this.deps.store.transaction(async (tx) => {
      const plan = Object.assign(new PlanRow(), {
        id: randomUUID(),
        year: content.year,
        leadDepartment: lead,
        currentRevision: 1,
        publishedRevision: null,
        createdAt: now,
        createdBy: identity.subject,
        training: this.deps.trainingClock !== null,
      });
      const revision = Object.assign(new PlanRevisionRow(), {
        planId: plan.id,
        revision: 1,
        content,
        note: null,
        changedAt: now,
        changedBy: identity.subject,
        publishBy,
        publishedAt: null,
        publishedBy: null,
      });
      await tx.plans.insert(plan, revision);
      await tx.audit.append(
        identity,
        {
          action: 'plan.created',
          entityId: plan.id,
          details: {
            revision: 1,
            name: content.name,
            year: content.year,
            departments: content.departments,
            publishBy,
            ...(plan.training ? { training: true } : {}),
          },
        },
        now,
      );
      return { plan, revision, content };
    });
  }

  /** R11: every change is a new revision, kept with its time and author. */
  async revise(identity: Identity, planId: string, input: PlanInput, note: string): Promise<PlanView> {
    assertRoleAmong(identity, [Role.COORDINATOR], 'revise a plan'); // R30
    const existing = await this.requirePlan(planId);
    assertLeadCoordinator(identity, existing.leadDepartment, 'revise a plan'); // R16
    const content = await this.content(input, existing.leadDepartment);
    if (content.year !== existing.year)
      throw conflict(`A plan stays in its year (${existing.year}); make a new plan for ${content.year}.`, {
        field: 'input.year',
      });
    const now = this.deps.clock();
    const publishBy = this.publishBy(now);
    return this.deps.store.transaction(async (tx) => {
      const next = existing.currentRevision + 1;
      if (!(await tx.plans.moveCurrentRevision(planId, existing.currentRevision, next)))
        throw conflict(`Plan ${planId} was changed by someone else meanwhile; reload it and try again.`);
      const revision = Object.assign(new PlanRevisionRow(), {
        planId,
        revision: next,
        content,
        note,
        changedAt: now,
        changedBy: identity.subject,
        publishBy,
        publishedAt: null,
        publishedBy: null,
      });
      await tx.plans.insertRevision(revision);
      await tx.audit.append(
        identity,
        { action: 'plan.revised', entityId: planId, details: { revision: next, note, publishBy } },
        now,
      );
      return { plan: { ...existing, currentRevision: next }, revision, content };
    });
  }

  /** Publishes the latest revision: from now on the public sees it (R11). */
  async publish(identity: Identity, planId: string): Promise<PlanView> {
    assertRoleAmong(identity, [Role.COORDINATOR], 'publish a plan'); // R30
    const existing = await this.requirePlan(planId);
    assertLeadCoordinator(identity, existing.leadDepartment, 'publish a plan');
    const now = this.deps.clock();
    return this.deps.store.transaction(async (tx) => {
      const revision = existing.currentRevision;
      if (!(await tx.plans.markPublished(planId, revision, now, identity.subject)))
        throw conflict(`Revision ${revision} of plan ${planId} is published already.`);
      // Never backwards: a newer revision published meanwhile stays the published one.
      await tx.plans.raisePublishedRevision(planId, revision);
      const row = await tx.plans.revision(planId, revision);
      await tx.audit.append(
        identity,
        {
          action: 'plan.published',
          entityId: planId,
          details: { revision, late: chinaDate(now) > this.publishBy(row.changedAt) },
        },
        now,
      );
      return { plan: { ...existing, publishedRevision: revision }, revision: row, content: row.content as PlanContent };
    });
  }

  /** A plan by id, or null when there is none. */
  async find(planId: string): Promise<PlanRow | null> {
    return this.deps.store.plans.find(planId);
  }

  async requirePlan(planId: string): Promise<PlanRow> {
    const plan = await this.deps.store.plans.find(planId);
    if (!plan) throw notFound(`No plan ${planId}.`, { field: 'planId' });
    return plan;
  }

  /**
   * The revision a caller sees: staff of the participating departments and hub roles the latest,
   * everyone else the latest published (or nothing).
   */
  async view(identity: Identity, plan: PlanRow): Promise<PlanView | null> {
    const latest = await this.deps.store.plans.revision(plan.id, plan.currentRevision);
    if (seesDrafts(identity, (latest.content as PlanContent).departments))
      return { plan, revision: latest, content: latest.content as PlanContent };
    if (plan.publishedRevision === null) return null;
    const row =
      plan.publishedRevision === latest.revision
        ? latest
        : await this.deps.store.plans.revision(plan.id, plan.publishedRevision);
    return { plan, revision: row, content: row.content as PlanContent };
  }

  async list(identity: Identity, year: number, department: string | null): Promise<PlanView[]> {
    const plans = await this.deps.store.plans.ofYear(year);
    const views = (await Promise.all(plans.map((p) => this.view(identity, p)))).filter(
      (v): v is PlanView => v !== null,
    );
    return department ? views.filter((v) => v.content.departments.includes(department)) : views;
  }

  async revisions(planId: string): Promise<PlanRevisionRow[]> {
    return this.deps.store.plans.revisionsOf(planId);
  }

  /** Published plans of a year (their published revision). */
  async published(year: number): Promise<PlanContent[]> {
    const plans = await this.deps.store.plans.publishedOfYear(year);
    if (plans.length === 0) return [];
    const rows = await this.deps.store.plans.revisionsOfPlans(plans.map((p) => p.id));
    return plans.map(
      (p) => rows.find((r) => r.planId === p.id && r.revision === p.publishedRevision)!.content as PlanContent,
    );
  }

  /** R4: items in force on a department's checklist that no published plan of the year covers. */
  async uncoveredItems(year: number, department: string): Promise<ContractItem[]> {
    const [checklist] = [...(await fetchChecklists(this.deps, [department])).values()];
    const covered = new Set(
      (await this.published(year)).flatMap((c) =>
        c.items.filter((i) => i.department === department).map((i) => i.code),
      ),
    );
    return checklist!.filter((item) => item.status === 'CURRENT' && !covered.has(item.code));
  }

  /** R12: departments of the hub that lead or join no published joint plan of the year. */
  async departmentsWithoutJointPlan(year: number): Promise<string[]> {
    const joining = new Set(
      (await this.published(year)).filter((c) => c.departments.length > 1).flatMap((c) => c.departments),
    );
    return this.deps.departments.departments().filter((d) => !joining.has(d));
  }

  /** R11: revisions not published by their deadline, as of a China date. */
  async overdueRevisions(asOf: string): Promise<Array<{ plan: PlanRow; revision: PlanRevisionRow }>> {
    const rows = await this.deps.store.plans.unpublishedRevisions();
    const overdue = rows.filter((r) => this.publishBy(r.changedAt) < asOf);
    if (overdue.length === 0) return [];
    const plans = await this.deps.store.plans.findMany([...new Set(overdue.map((r) => r.planId))]);
    // A later published revision supersedes an unpublished earlier one: that change was published with it.
    return overdue
      .map((revision) => ({ plan: plans.find((p) => p.id === revision.planId)!, revision }))
      .filter(({ plan, revision }) => plan.publishedRevision === null || plan.publishedRevision < revision.revision);
  }
}
