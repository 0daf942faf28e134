import { insertRows, updateRows } from '../../../kernel/rows';
import { assertRoleAmong } from '../access';
import { randomUUID } from 'node:crypto';
import { Brackets, In } from 'typeorm';
import { badInput, conflict, ErrorCode, forbidden, HubError, notFound } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import type { Logger } from '../../../kernel/log';
import { isDuplicateKey } from '../../department-kernel/repository';
import { assertTargetKey } from '../../../kernel/target-key';
import { isCalendarDay, refuseControlCharacters, requireText } from '../../../kernel/validation';
import { appendAudit } from '../audit/audit-repository';
import { chinaDate } from '../calendar/working-days';
import type { JointDeps } from '../context';
import { DrawnTargetRow } from '../tasks/entities';
import { TeamMemberRow } from '../teams/entities';
import { TaskService, TaskStatus } from '../tasks/task-service';
import { visitItems } from './checklist';
import { sha256Hex } from '../draw/canonical';
import { EVIDENCE_REF, EvidenceService } from '../evidence/evidence-service';
import { canonicalSubmissionContent, VISIT_MEASURES } from './submission-content';
import { OutboxRow, SubmissionRow } from './entities';
import { LeadRow } from './entities';

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

/** A phone's idempotency key for a submission (a UUID, or any such token). */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,64}$/;

export const OutboxStatus = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', REFUSED: 'REFUSED' } as const;

/**
 * Per joint service: the last outcome dictionary read of each department (when: performance.now()), and reads under
 * way.
 */
const outcomeCache = new WeakMap<
  JointDeps,
  { kept: Map<string, { codes: Set<string>; readAt: number }>; reading: Map<string, Promise<Set<string>>> }
>();

/** How long a department's outcome dictionary is used for the next submissions (see outcomesOf). */
export const OUTCOMES_FRESH_MS = 10_000;

/** Outbox entries a delivery round takes at once. */
const OUTBOX_ROUND = 200;

/**
 * Results one `<code>RecordResults` call carries at most: a department's due entries go in batches
 * of up to this many results (the contract takes 1,000 a call), not one call per entry.
 */
const DELIVERY_RESULTS = 500;

/** Retry delays: 1 s, 2 s, 4 s ... up to 5 minutes between attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * R22, R24: the team submits one visit's results in one mutation; the joint service stores the
 * submission and one outbox entry per department in one transaction. Delivery happens after,
 * in the outbox deliverer.
 */
export class WriteBackService {
  constructor(private readonly deps: JointDeps) {}

  async submit(
    identity: Identity,
    input: {
      taskId: string;
      targetKey: string;
      inspectedOn: string;
      results: SubmittedResult[];
      idempotencyKey?: string | null;
    },
  ): Promise<SubmissionRow> {
    assertRoleAmong(identity, [Role.INSPECTOR], 'submit visit results'); // R30
    const tasks = new TaskService(this.deps);
    assertTargetKey(input.targetKey, 'targetKey');
    const task = await tasks.requireTask(input.taskId);
    const notOnTeam = () =>
      forbidden(
        `Only a member of the team for ${input.targetKey} submits its results; you are ${identity.role} ` +
          `${identity.subject}.`,
        { rule: 'R30' },
      );
    // R30: the caller's department takes part in the task, settled before anything about the task or
    // visit is told (its state, its visits); the team itself is known once the list is locked.
    if (identity.department === null || !(await tasks.planContent(task)).departments.includes(identity.department))
      throw notOnTeam();
    if (task.status !== TaskStatus.LOCKED)
      throw conflict(`Task ${task.id} is ${task.status}: results are submitted for visits of a locked task.`, {
        field: 'taskId',
      });
    const visit = await this.deps.dataSource.manager.findOneBy(DrawnTargetRow, {
      taskId: task.id,
      targetKey: input.targetKey,
    });
    if (!visit) throw notFound(`${input.targetKey} is not a target of task ${task.id}.`, { field: 'targetKey' });
    // R30: only members of the visit's team submit: an inspector's token names the inspector (sub) and department.
    const team = await this.deps.dataSource.manager.find(TeamMemberRow, {
      where: { taskId: task.id, targetKey: input.targetKey, status: 'ACTIVE' },
    });
    if (!team.some((m) => m.personId === identity.subject && m.department === identity.department)) throw notOnTeam();
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
      const sent = await this.deps.dataSource.manager.findOneBy(SubmissionRow, { clientKey: key });
      if (sent) return this.replayed(sent, input, contentDigest);
    }
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
    if (
      !team.some(
        (m) => m.personId === identity.subject && m.department === identity.department && m.kind === 'INSPECTOR',
      )
    ) {
      throw forbidden("Results are submitted by one of the team's inspectors.", { rule: 'R30' });
    }
    const content = await tasks.planContent(task);
    const items = visitItems(content, visit);
    // Each department's current outcomes, through its contract, so a share it would refuse is refused
    // now instead of being lost later. A department that is down is no reason to refuse a submission
    // (its share waits in the outbox): then the last dictionary seen is used, or none.
    const outcomes = new Map(
      await Promise.all(
        [...new Set(input.results.map((r) => r.department))]
          .filter((d) => this.deps.departments.has(d))
          .map(
            async (d) =>
              [
                d,
                await this.outcomesOf(
                  d,
                  input.results.filter((r) => r.department === d).map((r) => r.outcome),
                ),
              ] as const,
          ),
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
        {
          field: 'results',
          rule: 'R22',
        },
      );
    }
    // Evidence is referred to by hash once the phone has sent it for this visit (issue J): a result
    // never points at a file the hub does not hold, or holds for another visit.
    const refs = input.results.flatMap((r) => (r.evidence ?? []).flatMap((e) => EVIDENCE_REF.exec(e)?.[1] ?? []));
    const held = await new EvidenceService(this.deps).linkedTo(task.id, input.targetKey, refs);
    const absent = refs.find((h) => !held.has(h));
    if (absent)
      throw badInput(
        `Evidence sha256:${absent} has not been sent for ${input.targetKey}: send the file first (POST ` +
          `/evidence), then the results that refer to it. Nothing was stored.`,
        { field: 'results', rule: 'R24' },
      );
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
    const outbox: OutboxRow[] = content.departments
      .map((department): OutboxRow | null => {
        const mine = input.results.filter((r) => r.department === department);
        if (mine.length === 0) return null;
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
        return Object.assign(new OutboxRow(), {
          id: randomUUID() as string,
          submissionId: submission.id as string,
          department,
          payload,
          status: OutboxStatus.PENDING,
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          lastError: null,
          deliveredAt: null,
          receipts: null,
        });
      })
      .filter((o): o is OutboxRow => o !== null);
    try {
      await this.deps.dataSource.transaction(async (tx) => {
        await insertRows(tx, SubmissionRow, submission);
        if (outbox.length) await insertRows(tx, OutboxRow, outbox); // one statement for every department's share
        for (const r of input.results.filter((x) => x.leadFor)) {
          await tx.insert(LeadRow, {
            id: randomUUID(),
            taskId: task.id,
            targetKey: input.targetKey,
            uscc: visit.uscc,
            fromDepartment: r.department,
            toDepartment: r.leadFor!,
            note: r.leadNote!.trim(),
            createdAt: now,
            createdBy: identity.subject,
          });
        }
        await appendAudit(
          tx,
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
          now,
        );
      });
    } catch (error) {
      // Two sends of one submission at once (a phone retrying while its first send was still running): the first
      // stored it.
      if (isDuplicateKey(error) && key !== null) {
        const sent = await this.deps.dataSource.manager.findOneBy(SubmissionRow, { clientKey: key });
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
   * A department's current outcome codes, or the last ones seen when it cannot be reached (null if
   * never). A dictionary read within the last OUTCOMES_FRESH_MS that holds every code asked for is
   * used again; a code it lacks is looked up at once (a department may have just added it). So a
   * new outcome is never refused for staleness; an outcome a department's own system removed may
   * be accepted for up to 10 s, and its share is then refused at delivery: REFUSED with the reason,
   * sent again by a coordinator (retryRefused), never lost.
   */
  private async outcomesOf(department: string, wanted: readonly string[]): Promise<Set<string> | null> {
    const cache =
      outcomeCache.get(this.deps) ??
      outcomeCache.set(this.deps, { kept: new Map(), reading: new Map() }).get(this.deps)!;
    const kept = cache.kept.get(department);
    if (kept && performance.now() - kept.readAt < OUTCOMES_FRESH_MS && wanted.every((c) => kept.codes.has(c)))
      return kept.codes;
    // Submissions arriving together share one read; one that joined a read begun before it came, and
    // still lacks a code, reads again (the code may have been added meanwhile).
    for (let attempt = 0; ; attempt++) {
      const joined = cache.reading.has(department);
      const codes = await this.readOutcomes(department, cache);
      if (codes === null || !joined || attempt > 0 || wanted.every((c) => codes.has(c))) return codes;
    }
  }

  private async readOutcomes(
    department: string,
    cache: NonNullable<ReturnType<typeof outcomeCache.get>>,
  ): Promise<Set<string> | null> {
    let reading = cache.reading.get(department);
    if (!reading) {
      const readAt = performance.now();
      reading = this.deps.departments
        .run<Record<string, { outcomes: Array<{ code: string; status: string }> }>>(department, 'DepartmentOutcomes')
        .then((data) => {
          const codes = new Set(data[department]!.outcomes.filter((o) => o.status === 'CURRENT').map((o) => o.code));
          cache.kept.set(department, { codes, readAt });
          return codes;
        })
        .finally(() => cache.reading.delete(department));
      cache.reading.set(department, reading);
    }
    try {
      return await reading;
    } catch (error) {
      if ((error as HubError).extensions?.code !== ErrorCode.DOWNSTREAM_SERVICE_ERROR) throw error;
      return cache.kept.get(department)?.codes ?? null;
    }
  }

  /**
   * Sends a department's refused share again, once the cause is mended (its outcome dictionary,
   * say): nothing refused is lost. The lead's coordinators or hub admins.
   */
  async retryRefused(identity: Identity, submissionId: string, department: string): Promise<OutboxRow> {
    assertRoleAmong(identity, [Role.COORDINATOR, Role.HUB_ADMIN], 'send a refused share again'); // R30
    const submission = await this.deps.dataSource.manager.findOneBy(SubmissionRow, { id: submissionId });
    if (!submission) throw notFound(`No submission ${submissionId}.`, { field: 'submissionId' });
    const task = await new TaskService(this.deps).requireTask(submission.taskId);
    const lead = identity.role === Role.COORDINATOR && identity.department === task.leadDepartment;
    if (!lead && identity.role !== Role.HUB_ADMIN)
      throw forbidden("Only the lead department's coordinators or hub admins send a refused share again.", {
        rule: 'R30',
      });
    const now = this.deps.clock();
    return this.deps.dataSource.transaction(async (tx) => {
      const done = await tx.update(
        OutboxRow,
        { submissionId, department, status: OutboxStatus.REFUSED },
        { status: OutboxStatus.PENDING, nextAttemptAt: now, leaseUntil: null },
      );
      if (done.affected !== 1)
        throw conflict(`The ${department} share of submission ${submissionId} is not refused: nothing to send again.`, {
          field: 'department',
        });
      await appendAudit(
        tx,
        identity,
        { action: 'delivery.retried', entityId: task.id, details: { submissionId, department } },
        now,
      );
      return tx.findOneByOrFail(OutboxRow, { submissionId, department });
    });
  }

  async deliveries(submissionId: string): Promise<OutboxRow[]> {
    return this.deps.dataSource.manager.find(OutboxRow, { where: { submissionId }, order: { department: 'ASC' } });
  }

  async submissionOf(taskId: string, targetKey: string): Promise<SubmissionRow | null> {
    return this.deps.dataSource.manager.findOneBy(SubmissionRow, { taskId, targetKey });
  }
}

/**
 * Delivers outbox entries to their departments (R24): due entries are leased (so two deliverers,
 * in any process, never send one at once), sent to `<code>RecordResults` a department's batch in
 * one call, and marked DELIVERED with their receipts; a failure is retried with backoff. The
 * idempotency keys make a repeated send harmless, so a crash between sending and marking loses
 * nothing and duplicates nothing.
 */
export class OutboxDeliverer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly deps: JointDeps,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    /** Longer than a department call may take (the department client gives up after 60 s). */
    private readonly leaseMs = 120_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.deliverDue().catch((error) => this.logger.error({ err: error }, 'outbox delivery round failed')),
      this.intervalMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /**
   * Every entry due now, in rounds of 200 until a round finds fewer (a burst of submissions is
   * drained at once, not one round a tick; the write-back benchmark measured 12 submissions a
   * second end to end before). Returns how many were delivered.
   */
  deliverDue(): Promise<number> {
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private async drain(): Promise<number> {
    let delivered = 0;
    // At most 5 rounds (1,000 entries) at once, so a stop never waits long.
    for (let i = 0; i < 5; i++) {
      const round = await this.round();
      delivered += round.delivered;
      if (round.due < OUTBOX_ROUND) break;
    }
    return delivered;
  }

  private async round(): Promise<{ due: number; delivered: number }> {
    const now = this.deps.clock();
    const m = this.deps.dataSource.manager;
    // Due and not leased by another deliverer (a second deliverer takes the next entries, not the first one's).
    const due = await m
      .createQueryBuilder(OutboxRow, 'o')
      .where('o.status = :pending AND o.next_attempt_at <= :now', { pending: OutboxStatus.PENDING, now })
      .andWhere(notLeasedAt(now, 'o.'))
      .orderBy('o.next_attempt_at', 'ASC')
      .take(OUTBOX_ROUND)
      .getMany();
    // Each department's entries one batch after another, the departments side by side: one slow or
    // failing department does not hold up the others' deliveries.
    const byDepartment = new Map<string, OutboxRow[]>();
    for (const entry of due) {
      const entries = byDepartment.get(entry.department) ?? [];
      entries.push(entry);
      byDepartment.set(entry.department, entries);
    }
    const counts = await Promise.all(
      [...byDepartment].map(async ([department, entries]) => {
        let delivered = 0;
        for (const batch of batchesOfResults(entries, DELIVERY_RESULTS))
          delivered += await this.deliverBatch(department, batch);
        return delivered;
      }),
    );
    return { due: due.length, delivered: counts.reduce((a, b) => a + b, 0) };
  }

  /**
   * Claims entries of one department in one statement: each entry still pending and not leased by
   * another deliverer gets this claim's lease (a fresh id and an end 2 minutes after the claim); the
   * entries carrying the id are this deliverer's. Two deliverers in any processes never hold one
   * entry at once.
   */
  private async claim(entries: readonly OutboxRow[]): Promise<Held[]> {
    const m = this.deps.dataSource.manager;
    // The lease starts when the entries are claimed, not when the round began.
    const claimedAt = this.deps.clock();
    const lease = {
      id: randomUUID() as string,
      until: new Date(Math.max(claimedAt.getTime(), Date.now()) + this.leaseMs),
    };
    const ids = entries.map((e) => e.id);
    await m
      .createQueryBuilder()
      .update(OutboxRow)
      .set({ leaseUntil: lease.until, leaseId: lease.id, attempts: () => 'attempts + 1' })
      .where('id IN (:...ids) AND status = :pending', { ids, pending: OutboxStatus.PENDING })
      .andWhere(notLeasedAt(claimedAt))
      .execute();
    const mine = await m.find(OutboxRow, {
      select: { id: true, attempts: true },
      where: { id: In(ids), leaseId: lease.id },
    });
    const attempts = new Map(mine.map((r) => [r.id, r.attempts]));
    // In the round's order (the oldest first), each with what it carries.
    return entries
      .filter((e) => attempts.has(e.id))
      .map((entry) => ({ entry, attempts: attempts.get(entry.id)!, leaseId: lease.id }));
  }

  /**
   * Delivers a batch of one department's entries in one `<code>RecordResults` call (their results
   * in order; each entry is given back the receipts of its own idempotency keys). The
   * department takes a call all or none, so when it refuses the batch, each entry is sent on its
   * own and only the one it refuses is marked REFUSED. Returns how many entries were delivered.
   */
  private async deliverBatch(department: string, entries: readonly OutboxRow[], claimed?: Held[]): Promise<number> {
    const held = claimed ?? (await this.claim(entries));
    if (held.length === 0) return 0;
    const m = this.deps.dataSource.manager;
    // Only the holder of the lease records the outcome: a deliverer whose lease ran out changes nothing.
    const mine = (h: Held) => ({ id: h.entry.id, status: OutboxStatus.PENDING, leaseId: h.leaseId });
    // Marks go in id order, the order the claim locked the rows in (MySQL).
    const inIdOrder = [...held].sort((a, b) => (a.entry.id < b.entry.id ? -1 : 1));
    try {
      const input = held.flatMap((h) => payloadOf(h.entry));
      const data = await this.deps.departments.run<Record<string, Array<{ idempotencyKey: string }>>>(
        department,
        'DepartmentRecordResults',
        { input },
      );
      // Each entry keeps the receipts of its own results, found by idempotency key (the contract
      // does not promise the receipts' order); a result without its receipt is the department's fault.
      const receipts = new Map((data[`${department}RecordResults`] ?? []).map((r) => [r.idempotencyKey, r]));
      const missing = input.find((r) => !receipts.has(r.idempotencyKey));
      if (missing)
        throw new HubError(
          ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          `The ${department} department answered no receipt for ${missing.idempotencyKey}: nothing was marked ` +
            `delivered.`,
          { serviceName: department },
        );
      const deliveredAt = this.deps.clock();
      let delivered = 0;
      // One transaction for the batch's marks: one commit instead of one per entry.
      await m.transaction(async (tx) => {
        for (const h of inIdOrder) {
          const own = payloadOf(h.entry).map((r) => receipts.get(r.idempotencyKey)!);
          const done = await updateRows(tx, OutboxRow, mine(h), {
            status: OutboxStatus.DELIVERED,
            deliveredAt,
            leaseUntil: null,
            leaseId: null,
            lastError: null,
            receipts: own,
          });
          if (done.affected === 1) delivered++;
        }
      });
      return delivered;
    } catch (error) {
      const e = error as HubError;
      const refused =
        e.extensions?.upstreamCode === ErrorCode.BAD_USER_INPUT || e.extensions?.upstreamCode === ErrorCode.FORBIDDEN;
      if (refused && held.length > 1) {
        // Which entry it refuses: each on its own, under the lease already held.
        let delivered = 0;
        for (const h of held) delivered += await this.deliverBatch(department, [h.entry], [h]);
        return delivered;
      }
      await m.transaction(async (tx) => {
        for (const h of inIdOrder) {
          await tx.update(OutboxRow, mine(h), {
            status: refused ? OutboxStatus.REFUSED : OutboxStatus.PENDING,
            leaseUntil: null,
            leaseId: null,
            lastError: e.message.slice(0, 2000),
            nextAttemptAt: new Date(this.deps.clock().getTime() + backoffMs(h.attempts)),
          });
        }
      });
      this.logger.warn(
        { department, outbox: held.map((h) => h.entry.id), attempts: held.map((h) => h.attempts), refused },
        `delivery to ${department} failed: ${e.message}`,
      );
      return 0;
    }
  }
}

/** An entry no deliverer holds at `now`: never leased, or its lease ran out. */
function notLeasedAt(now: Date, alias = ''): Brackets {
  return new Brackets((qb) =>
    qb.where(`${alias}lease_until IS NULL`).orWhere(`${alias}lease_until < :leaseNow`, { leaseNow: now }),
  );
}

/** An entry's share: the department's ResultInput list, idempotency keys included. */
function payloadOf(entry: OutboxRow): Array<{ idempotencyKey: string }> {
  return entry.payload as Array<{ idempotencyKey: string }>;
}

/** An outbox entry this deliverer holds the lease of, with its attempts counted by the claim. */
interface Held {
  entry: OutboxRow;
  attempts: number;
  leaseId: string;
}

/** Cuts a department's entries into batches of at most `max` results (an entry larger than that goes alone). */
function batchesOfResults(entries: readonly OutboxRow[], max: number): OutboxRow[][] {
  const batches: OutboxRow[][] = [];
  let batch: OutboxRow[] = [];
  let results = 0;
  for (const entry of entries) {
    const n = payloadOf(entry).length;
    if (batch.length && results + n > max) {
      batches.push(batch);
      batch = [];
      results = 0;
    }
    batch.push(entry);
    results += n;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
