import { randomUUID } from 'node:crypto';
import { badInput, conflict, forbidden, notFound } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import { assertTargetKey } from '../../../kernel/target-key';
import { isCalendarDay, refuseControlCharacters, requireText } from '../../../kernel/validation';
import { isDuplicateKey } from '../../department-kernel/repository';
import { assertRoleAmong } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointDeps } from '../context';
import { sha256Hex } from '../draw/canonical';
import { EVIDENCE_REF, EvidenceService } from '../evidence/evidence-service';
import type { PlanContent, PlanItem } from '../plans/content';
import type { DrawnTargetRow, TaskRow } from '../tasks/entities';
import { TaskService, TaskStatus } from '../tasks/task-service';
import type { TeamMemberRow } from '../teams/entities';
import { visitItems } from './checklist';
import { LeadRow, OutboxRow, OutboxStatus, SubmissionRow } from './entities';
import { outcomesOf } from './outcome-dictionaries';
import { canonicalSubmissionContent, VISIT_MEASURES } from './submission-content';

export interface SubmittedResult {
  department: string;
  itemCode: string;
  outcome: string;
  method: string;
  notes?: string | null;
  confidentialNotes?: string | null;
  evidence?: string[] | null;
  /**
   * Measures taken on site (VISIT_MEASURES): on the joint record form and in the submission; not part of a
   * department's share (its contract has no such field).
   */
  measures?: string[] | null;
  penaltyUnderGeneralProcedure?: boolean;
  statutoryCheckFailed?: boolean;
  leadFor?: string | null;
  leadNote?: string | null;
}

/** What a team member sends for one visit. */
export interface VisitSubmission {
  taskId: string;
  targetKey: string;
  inspectedOn: string;
  results: SubmittedResult[];
  idempotencyKey?: string | null;
}

/** A phone's idempotency key for a submission (a UUID, or any such token). */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,64}$/;

/** The visit a caller may submit for: its task, the drawn target, the active team, the plan's content. */
interface AuthorisedVisit {
  task: TaskRow;
  visit: DrawnTargetRow;
  team: TeamMemberRow[];
  content: PlanContent;
}

/** What a submission stores in its one transaction. */
interface Prepared {
  submission: SubmissionRow;
  outbox: OutboxRow[];
  leads: LeadRow[];
}

/**
 * R22, R24: the team submits one visit's results in one mutation; the joint service stores the
 * submission and one outbox entry per department in one transaction. Delivery happens after,
 * in the outbox deliverer (outbox-deliverer.ts). A submission goes in four steps: authorise (once),
 * validate, prepare the rows (the submission, each department's share, the leads), store.
 */
export class WriteBackService {
  constructor(private readonly deps: JointDeps) {}

  /** `trace`: the submitting request's trace (W3C traceparent, issue L), kept on each outbox entry for its delivery. */
  async submit(identity: Identity, input: VisitSubmission, trace: string | null = null): Promise<SubmissionRow> {
    const authorised = await this.authorise(identity, input);
    // R24: a phone that sent its submission and lost the answer sends it again with the same key:
    // the stored submission is the answer, nothing is stored twice (whatever changed since: the day,
    // a department's dictionary). The same key with other results is refused.
    const key = input.idempotencyKey ?? null;
    if (key !== null && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
      throw badInput('idempotencyKey: 8 to 64 characters of letters, digits and . _ : - (a UUID made on the phone).', {
        field: 'idempotencyKey',
        rule: 'R24',
      });
    const contentDigest = sha256Hex(canonicalSubmissionContent(input));
    if (key !== null) {
      const sent = await this.deps.store.submissions.byClientKey(key);
      if (sent) return this.replayed(sent, input, contentDigest);
    }
    const items = await this.validate(authorised, input);
    const rows = this.prepare(identity, authorised, items, input, key, contentDigest, trace);
    return this.store(identity, authorised.task, rows, input, key, contentDigest);
  }

  /**
   * R30, once: only an inspector of the visit's team submits its results. The caller's department
   * takes part in the task, settled before anything about the task or visit is told (its state,
   * its visits); then the task is locked, the target drawn, and the caller an active inspector of
   * its team (an inspector's token names the inspector, `sub`, and the department; an expert on
   * the team does not submit).
   */
  private async authorise(identity: Identity, input: VisitSubmission): Promise<AuthorisedVisit> {
    assertRoleAmong(identity, [Role.INSPECTOR], 'submit visit results'); // R30
    assertTargetKey(input.targetKey, 'targetKey');
    const tasks = new TaskService(this.deps);
    const task = await tasks.requireTask(input.taskId);
    const notOnTeam = () =>
      forbidden(
        `Only a member of the team for ${input.targetKey} submits its results; you are ${identity.role} ` +
          `${identity.subject}.`,
        { rule: 'R30' },
      );
    const content = await tasks.planContent(task);
    if (identity.department === null || !content.departments.includes(identity.department)) throw notOnTeam();
    if (task.status !== TaskStatus.LOCKED)
      throw conflict(`Task ${task.id} is ${task.status}: results are submitted for visits of a locked task.`, {
        field: 'taskId',
      });
    const visit = await this.deps.store.tasks.drawnTarget(task.id, input.targetKey);
    if (!visit) throw notFound(`${input.targetKey} is not a target of task ${task.id}.`, { field: 'targetKey' });
    const team = await this.deps.store.teams.activeTeam(task.id, input.targetKey);
    const mine = team.filter((m) => m.personId === identity.subject && m.department === identity.department);
    if (mine.length === 0) throw notOnTeam();
    if (!mine.some((m) => m.kind === 'INSPECTOR'))
      throw forbidden("Results are submitted by one of the team's inspectors.", { rule: 'R30' });
    return { task, visit, team, content };
  }

  /**
   * Everything checked before anything is stored: the day (between the lock and today), a team of
   * two officers (R18), every item of the visit once under its own department with an outcome of
   * that department's dictionary (R22, R24), texts, evidence held for this visit, measures, leads
   * to another department (R27). Returns the visit's items.
   */
  private async validate({ task, visit, team, content }: AuthorisedVisit, input: VisitSubmission): Promise<PlanItem[]> {
    const today = chinaDate(this.deps.clock());
    if (
      !isCalendarDay(input.inspectedOn) ||
      input.inspectedOn > today ||
      (task.lockedAt && input.inspectedOn < chinaDate(task.lockedAt))
    ) {
      throw badInput(
        `inspectedOn '${input.inspectedOn}' must be a day between the lock ` +
          `(${task.lockedAt ? chinaDate(task.lockedAt) : '?'}) and today (${today}).`,
        { field: 'inspectedOn' },
      );
    }
    // R18: a team of at least two enforcement officers submits; an expert alone does not.
    const officers = new Set(team.filter((m) => m.kind === 'INSPECTOR' && m.certificateNo).map((m) => m.certificateNo));
    if (officers.size < 2)
      throw conflict(
        `The team for ${input.targetKey} has fewer than two enforcement officers: fill its vacant seats first (R18).`,
        { field: 'targetKey', rule: 'R18' },
      );
    const items = visitItems(content, visit);
    // Each department's current outcomes, through its contract, so a share it would refuse is refused
    // now instead of being lost later. A department that is down is no reason to refuse a submission
    // (its share waits in the outbox): then the last dictionary seen is used, or none.
    const outcomes = new Map(
      await Promise.all(
        [...new Set(input.results.map((r) => r.department))]
          .filter((d) => this.deps.departments.has(d))
          .map(async (d) => {
            const wanted = input.results.filter((r) => r.department === d).map((r) => r.outcome);
            return [d, await outcomesOf(this.deps, d, wanted)] as const;
          }),
      ),
    );
    // R22, R24: every item of the visit, each under its own department, once.
    const seen = new Set<string>();
    input.results.forEach((r, i) => {
      const field = `results[${i}]`;
      const item = items.find((it) => it.department === r.department && it.code === r.itemCode);
      if (!item)
        throw badInput(
          `${field}: ${r.department} ${r.itemCode} is not an item of this visit's combined checklist; each ` +
            `department's items only under that department (R22, R24).`,
          { field, rule: 'R24' },
        );
      const key = `${r.department}/${r.itemCode}`;
      // R22: every item of the visit once.
      if (seen.has(key))
        throw badInput(
          `${field}: ${key} has a result already in this submission; give each item of the visit one result (R22).`,
          { field, rule: 'R22' },
        );
      seen.add(key);
      requireText(r.outcome, `${field}.outcome`, 40);
      const known = outcomes.get(r.department);
      if (known && !known.has(r.outcome)) {
        throw badInput(
          `${field}.outcome '${r.outcome}' is not in the ${r.department} outcome dictionary ` +
            `(${[...(outcomes.get(r.department) ?? [])].join(', ')}).`,
          { field: `${field}.outcome` },
        );
      }
      if (r.notes) requireText(r.notes, `${field}.notes`, 10_000);
      if (r.confidentialNotes) requireText(r.confidentialNotes, `${field}.confidentialNotes`, 10_000);
      if (
        (r.evidence ?? []).length > 50 ||
        (r.evidence ?? []).some((e) => typeof e !== 'string' || e.length === 0 || e.length > 200)
      ) {
        throw badInput(`${field}.evidence: at most 50 references of 1 to 200 characters each.`, {
          field: `${field}.evidence`,
        });
      }
      (r.evidence ?? []).forEach((e, j) => {
        refuseControlCharacters(e, `${field}.evidence[${j}]`);
        if (e.startsWith('sha256:') && !EVIDENCE_REF.test(e))
          throw badInput(
            `${field}.evidence[${j}]: a stored file is referred to as sha256: and its 64 lower-case ` +
              `hexadecimal digits.`,
            { field: `${field}.evidence[${j}]` },
          );
      });
      const measures = r.measures ?? [];
      if (measures.some((m) => !Object.hasOwn(VISIT_MEASURES, m)) || new Set(measures).size !== measures.length) {
        throw badInput(`${field}.measures: each at most once, among ${Object.keys(VISIT_MEASURES).join(', ')}.`, {
          field: `${field}.measures`,
        });
      }
      if (r.leadFor) {
        // R27: a lead goes to another department of the hub, with what was found.
        if (r.leadFor === r.department || !this.deps.departments.has(r.leadFor))
          throw badInput(`${field}.leadFor: '${r.leadFor}' is not another department of the hub.`, {
            field: `${field}.leadFor`,
            rule: 'R27',
          });
        requireText(r.leadNote, `${field}.leadNote`, 2000, 'say what was found', 'R27');
      }
    });
    const missing = items.filter((it) => !seen.has(`${it.department}/${it.code}`));
    if (missing.length) {
      throw badInput(
        `results: the visit checks ${items.length} items and ${missing.length} have no result ` +
          `(${missing.map((m) => `${m.department} ${m.code}`).join(', ')}): enter once, check every item (R22). ` +
          `If the target could not be reached, that is the result of every item (R26).`,
        { field: 'results', rule: 'R22' },
      );
    }
    // Evidence is referred to by hash once the phone has sent it for this visit (issue J): a result
    // never points at a file the hub does not hold, or holds for another visit.
    const refs = input.results.flatMap((r) => (r.evidence ?? []).flatMap((e) => EVIDENCE_REF.exec(e)?.[1] ?? []));
    if (refs.length) {
      const held = await new EvidenceService(this.deps).linkedTo(task.id, input.targetKey, refs);
      const absent = refs.find((h) => !held.has(h));
      if (absent)
        throw badInput(
          `Evidence sha256:${absent} has not been sent for ${input.targetKey}: send the file first (POST ` +
            `/evidence), then the results that refer to it. Nothing was stored.`,
          { field: 'results', rule: 'R24' },
        );
    }
    return items;
  }

  /**
   * The rows a submission stores (R24): the submission, one outbox entry per department with its
   * share (each result under an idempotency key of the submission, the department and the item,
   * so a repeated delivery is harmless), and a lead per result that names one (R27).
   */
  private prepare(
    identity: Identity,
    { task, visit, team, content }: AuthorisedVisit,
    items: readonly PlanItem[],
    input: VisitSubmission,
    key: string | null,
    contentDigest: string,
    trace: string | null,
  ): Prepared {
    const now = this.deps.clock();
    const submission = Object.assign(new SubmissionRow(), {
      id: randomUUID(),
      taskId: task.id,
      targetKey: input.targetKey,
      inspectedOn: input.inspectedOn,
      results: input.results,
      submittedAt: now,
      submittedBy: identity.subject,
      clientKey: key,
      contentDigest,
    });
    const certificates = team.filter((m) => m.kind === 'INSPECTOR' && m.certificateNo).map((m) => m.certificateNo!);
    const outbox: OutboxRow[] = [];
    for (const department of content.departments) {
      const mine = input.results.filter((r) => r.department === department);
      if (mine.length === 0) continue;
      const payload = mine.map((r) => ({
        idempotencyKey: `${submission.id}:${department}:${r.itemCode}`,
        taskId: task.id,
        targetKey: input.targetKey,
        uscc: visit.uscc,
        itemCode: r.itemCode,
        itemVersion: items.find((it) => it.department === department && it.code === r.itemCode)!.version,
        outcome: r.outcome,
        method: r.method,
        notes: r.notes ?? null,
        confidentialNotes: r.confidentialNotes ?? null,
        evidence: r.evidence ?? [],
        inspectors: certificates,
        inspectedOn: input.inspectedOn,
        penaltyUnderGeneralProcedure: r.penaltyUnderGeneralProcedure === true,
        statutoryCheckFailed: r.statutoryCheckFailed === true,
      }));
      outbox.push(
        Object.assign(new OutboxRow(), {
          id: randomUUID(),
          submissionId: submission.id,
          department,
          payload,
          status: OutboxStatus.PENDING,
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          leaseId: null,
          lastError: null,
          deliveredAt: null,
          receipts: null,
          traceParent: trace,
        }),
      );
    }
    const leads = input.results
      .filter((r) => r.leadFor)
      .map((r) =>
        Object.assign(new LeadRow(), {
          id: randomUUID(),
          taskId: task.id,
          targetKey: input.targetKey,
          uscc: visit.uscc,
          fromDepartment: r.department,
          toDepartment: r.leadFor!,
          note: r.leadNote!.trim(),
          createdAt: now,
          createdBy: identity.subject,
        }),
      );
    return { submission, outbox, leads };
  }

  /**
   * Stores the rows and the audit entry in one transaction (R24, R29). A second send of the same
   * submission at once (a phone retrying while its first send was still running) finds the first
   * one's; another submission of the same visit is a CONFLICT.
   */
  private async store(
    identity: Identity,
    task: TaskRow,
    { submission, outbox, leads }: Prepared,
    input: VisitSubmission,
    key: string | null,
    contentDigest: string,
  ): Promise<SubmissionRow> {
    try {
      // On MySQL two submissions (the outbox's index, then the audit chain's head), or a submission
      // and a delivery's marks (the outbox's index), can deadlock: the one MySQL aborts runs again
      // instead of failing (everything it does is in the transaction).
      await this.deps.store.transaction(
        async (tx) => {
          await tx.submissions.insert(submission);
          await tx.outbox.insertShares(outbox); // one statement for every department's share
          for (const lead of leads) await tx.leads.insertLead(lead);
          await tx.audit.append(
            identity,
            {
              action: 'visit.submitted',
              entityId: task.id,
              details: {
                submissionId: submission.id,
                targetKey: input.targetKey,
                results: input.results.length,
                departments: outbox.map((o) => o.department),
                contentDigest,
              },
            },
            submission.submittedAt,
          );
        },
        { retryDeadlocks: true },
      );
    } catch (error) {
      if (isDuplicateKey(error) && key !== null) {
        const sent = await this.deps.store.submissions.byClientKey(key);
        if (sent) return this.replayed(sent, input, contentDigest);
      }
      if (isDuplicateKey(error))
        throw conflict(
          `The results of ${input.targetKey} were submitted already; a published result is corrected by its ` +
            `department (R28).`,
          { field: 'targetKey' },
        );
      throw error;
    }
    return submission;
  }

  /** R24: the answer to a submission sent again with its key: the stored one when it is the same, else CONFLICT. */
  private replayed(
    sent: SubmissionRow,
    input: { taskId: string; targetKey: string },
    contentDigest: string,
  ): SubmissionRow {
    // Nothing of another visit is told: the key names a submission with other results, that is all.
    if (sent.taskId !== input.taskId || sent.targetKey !== input.targetKey) {
      throw conflict(
        'idempotencyKey was used for another submission: a new submission needs a new key (a UUID made on ' +
          'the phone) (R24).',
        { field: 'idempotencyKey', rule: 'R24' },
      );
    }
    if (sent.contentDigest !== contentDigest) {
      throw conflict(
        `idempotencyKey was used for this visit's submission with other results (stored ` +
          `${sent.submittedAt.toISOString()}): a visit is submitted once; a published result is corrected by ` +
          `its department (R24, R28).`,
        { field: 'idempotencyKey', rule: 'R24' },
      );
    }
    return sent;
  }

  /**
   * Sends a department's refused share again, once the cause is mended (its outcome dictionary,
   * say): nothing refused is lost. The lead's coordinators or hub admins.
   */
  async retryRefused(identity: Identity, submissionId: string, department: string): Promise<OutboxRow> {
    assertRoleAmong(identity, [Role.COORDINATOR, Role.HUB_ADMIN], 'send a refused share again'); // R30
    const submission = await this.deps.store.submissions.byId(submissionId);
    if (!submission) throw notFound(`No submission ${submissionId}.`, { field: 'submissionId' });
    const task = await new TaskService(this.deps).requireTask(submission.taskId);
    const lead = identity.role === Role.COORDINATOR && identity.department === task.leadDepartment;
    if (!lead && identity.role !== Role.HUB_ADMIN)
      throw forbidden("Only the lead department's coordinators or hub admins send a refused share again.", {
        rule: 'R30',
      });
    const now = this.deps.clock();
    return this.deps.store.transaction(async (tx) => {
      if (!(await tx.outbox.requeueRefused(submissionId, department, now)))
        throw conflict(`The ${department} share of submission ${submissionId} is not refused: nothing to send again.`, {
          field: 'department',
        });
      await tx.audit.append(
        identity,
        { action: 'delivery.retried', entityId: task.id, details: { submissionId, department } },
        now,
      );
      return tx.outbox.shareOf(submissionId, department);
    });
  }

  /** A submission's shares, by department (R24). */
  deliveries(submissionId: string): Promise<OutboxRow[]> {
    return this.deps.store.outbox.sharesOf(submissionId);
  }
}
