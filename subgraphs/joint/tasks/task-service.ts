import { TaskStatus } from './entities';
import { StratumEnum } from '../enums';
import { randomBytes, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { conflict, invariant, notFound } from '../../../kernel/errors';
import type { Identity } from '../../../kernel/identity';
import { isCalendarDay, requireText } from '../../../kernel/validation';
import { badInput } from '../../../kernel/errors';
import { assertLeadCoordinator } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointDeps } from '../context';
import type { JointStore } from '../store';
import { sha256Hex } from '../draw/canonical';
import { DRAW_ALGORITHM, deriveSeed, drawFromStrata, MIN_WITNESS_NUMBERS, normaliseWitness } from '../draw/lottery';
import { RECORD_FORMAT, type FullDrawRecord, type PublicDrawRecord } from '../draw/record';
import { DrawnTargetRow, TaskRow } from './entities';
import type { PlanRevisionRow } from '../plans/entities';
import { freezeTeamInputs } from '../teams/rosters';
import { planRatioCap, type PlanContent } from '../plans/content';
import { takeSnapshot } from './snapshot';
import { snapshotsUnderWay } from './snapshot-progress';

export { TaskStatus } from './entities';

/** Plan revisions' contents, per joint service (they never change: see planContent). */
const planContents = new WeakMap<JointDeps, LRUCache<string, PlanContent>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The cache key of a task's plan revision. */
function contentKey(task: Pick<TaskRow, 'planId' | 'planRevision'>): string {
  return `${task.planId}#${task.planRevision}`;
}

/** R14: in principle a target is inspected at most this often a year by the hub's random tasks. */
export const MAX_INSPECTIONS_PER_YEAR = 2;

/**
 * The furthest ahead a task's witness date may be, in days after today (the hub's clock): a lottery
 * announced a year out is a task nobody will draw (a year and a day leaves room for an annual
 * draw's date), and a date like 9999-12-31 is a typing error that would hold the task committed forever.
 */
export const WITNESS_HORIZON_DAYS = 366;

export class TaskService {
  constructor(private readonly deps: JointDeps) {}

  private get store(): JointStore {
    return this.deps.store;
  }

  /** A task by id, or null when there is none. */
  async find(taskId: string): Promise<TaskRow | null> {
    return this.store.tasks.find(taskId);
  }

  /** The tasks of a plan, oldest first. */
  async tasksOfPlan(planId: string): Promise<TaskRow[]> {
    return this.store.tasks.ofPlan(planId);
  }

  /**
   * An inspector's tasks: those not cancelled on whose teams they hold an active seat for their
   * department, newest first (at most 100).
   */
  async inspectorTasks(personId: string, department: string): Promise<TaskRow[]> {
    const ids = [...new Set(await this.store.teams.taskIdsWithActiveSeat(personId, department))];
    if (ids.length === 0) return [];
    return this.store.tasks.newestAmong(ids, TaskStatus.CANCELLED, 100);
  }

  async requireTask(taskId: string): Promise<TaskRow> {
    const task = await this.store.tasks.find(taskId);
    if (!task) throw notFound(`No task ${taskId}.`, { field: 'taskId' });
    return task;
  }

  /**
   * The content of the plan revision a task draws from. A revision's content never changes once
   * stored (a change is a new revision), so it is read once and kept, frozen, for the next visits
   * and submissions of the task.
   */
  async planContent(task: Pick<TaskRow, 'planId' | 'planRevision'>): Promise<PlanContent> {
    const kept = this.contents.get(contentKey(task));
    if (kept) return kept;
    const revision = await this.store.plans.revision(task.planId, task.planRevision);
    return this.keep(revision);
  }

  /**
   * Each task's plan content (as `planContent`), by task id: the revisions not kept yet are read
   * in one statement, however many tasks.
   */
  async planContents(
    tasks: ReadonlyArray<Pick<TaskRow, 'id' | 'planId' | 'planRevision'>>,
  ): Promise<Map<string, PlanContent>> {
    const found = new Map<string, PlanContent>();
    const missing = new Map<string, { planId: string; revision: number }>();
    for (const t of tasks) {
      const kept = this.contents.get(contentKey(t));
      if (kept) found.set(contentKey(t), kept);
      else missing.set(contentKey(t), { planId: t.planId, revision: t.planRevision });
    }
    if (missing.size)
      for (const revision of await this.store.plans.revisionsAt([...missing.values()]))
        found.set(contentKey({ planId: revision.planId, planRevision: revision.revision }), this.keep(revision));
    return new Map(
      tasks.map((t) => {
        const content = found.get(contentKey(t));
        invariant(content, `plan ${t.planId} has no revision ${t.planRevision} (task ${t.id})`);
        return [t.id, content];
      }),
    );
  }

  /** The kept contents of this joint service's plan revisions. */
  private get contents(): LRUCache<string, PlanContent> {
    return planContents.get(this.deps) ?? planContents.set(this.deps, new LRUCache({ max: 200 })).get(this.deps)!;
  }

  /** Keeps a revision's content, frozen, and returns it. */
  private keep(revision: PlanRevisionRow): PlanContent {
    const content = deepFreeze(revision.content as PlanContent);
    this.contents.set(contentKey({ planId: revision.planId, planRevision: revision.revision }), content);
    return content;
  }

  /** Moves a task from one state to the next, or refuses: the guard that makes each step happen once (R17). */
  private async advance(
    tx: JointStore,
    task: TaskRow,
    from: string,
    to: Partial<TaskRow> & { status: string },
    refusal: string,
  ): Promise<void> {
    if (!(await tx.tasks.advance(task.id, from, to))) throw conflict(refusal, { rule: 'R17' });
  }

  /**
   * R16: the lead department's coordinator creates a task of a published plan. The task commits
   * at once to a fresh secret (its SHA-256 is public) and names the public witness entropy that
   * the draw will use, which must not be known yet.
   */
  async create(
    identity: Identity,
    input: {
      planId: string;
      name: string;
      witnessSource: string;
      witnessAvailableOn: string;
      witnessNumbers: number;
      unannounced?: boolean;
    },
  ): Promise<TaskRow> {
    const plan = await this.store.plans.find(input.planId);
    if (!plan) throw notFound(`No plan ${input.planId}.`, { field: 'planId' });
    assertLeadCoordinator(identity, plan.leadDepartment, 'create a task'); // R16
    if (plan.publishedRevision === null)
      throw conflict(`Plan ${plan.id} is not published: publish it before drawing from it (R11).`, {
        field: 'planId',
        rule: 'R11',
      });
    const name = requireText(input.name, 'name', 200, 'a task has a name', 'R16');
    const witnessSource = requireText(
      input.witnessSource,
      'witnessSource',
      300,
      'name the public source of the witness entropy and its date, e.g. a lottery draw',
    );
    const now = this.deps.clock();
    const today = chinaDate(now);
    if (!isCalendarDay(input.witnessAvailableOn)) {
      throw badInput(
        `witnessAvailableOn '${input.witnessAvailableOn}' is not a date (YYYY-MM-DD): give the China date the ` +
          `witness value is published.`,
        { field: 'witnessAvailableOn' },
      );
    }
    if (input.witnessAvailableOn <= today) {
      throw badInput(
        `witnessAvailableOn '${input.witnessAvailableOn}' must be a date after today (${today}): the witness ` +
          `value must not be known when the task commits.`,
        { field: 'witnessAvailableOn' },
      );
    }
    const horizon = chinaDate(new Date(now.getTime() + WITNESS_HORIZON_DAYS * 86_400_000));
    if (input.witnessAvailableOn > horizon) {
      throw badInput(
        `witnessAvailableOn '${input.witnessAvailableOn}' is more than ${WITNESS_HORIZON_DAYS} days ahead ` +
          `(the latest is ${horizon}): give the date of a draw the witness source has announced.`,
        { field: 'witnessAvailableOn' },
      );
    }
    if (
      !Number.isInteger(input.witnessNumbers) ||
      input.witnessNumbers < MIN_WITNESS_NUMBERS ||
      input.witnessNumbers > 50
    ) {
      throw badInput(
        `witnessNumbers must be a whole number from ${MIN_WITNESS_NUMBERS} to 50: how many numbers the ` +
          `witness source publishes.`,
        { field: 'witnessNumbers' },
      );
    }
    const secret = randomBytes(32).toString('hex');
    const task = Object.assign(new TaskRow(), {
      id: randomUUID(),
      planId: plan.id,
      planRevision: plan.publishedRevision,
      year: plan.year,
      leadDepartment: plan.leadDepartment,
      name,
      status: TaskStatus.COMMITTED,
      createdAt: now,
      createdBy: identity.subject,
      // A training plan's tasks, and every task of a training hub, are training (never a real draw).
      training: plan.training || this.deps.trainingClock !== null,
      unannounced: input.unannounced === true,
      commitment: sha256Hex(secret),
      secret,
      witnessSource,
      witnessAvailableOn: input.witnessAvailableOn,
      witnessNumbers: input.witnessNumbers,
      witnessValue: null,
      snapshotHash: null,
      snapshotSize: null,
      snapshotTakenAt: null,
      exclusions: null,
      drawResult: null,
      drawnAt: null,
      drawnBy: null,
      lockedAt: null,
      lockedBy: null,
      cancelledAt: null,
      cancelReason: null,
    });
    await this.store.transaction(async (tx) => {
      await tx.tasks.insert(task);
      await tx.audit.append(
        identity,
        {
          action: 'task.committed',
          entityId: task.id,
          details: {
            planId: plan.id,
            planRevision: plan.publishedRevision,
            name,
            commitment: task.commitment,
            witnessSource,
            witnessAvailableOn: task.witnessAvailableOn,
            witnessNumbers: task.witnessNumbers,
            ...(task.training ? { training: true } : {}),
            ...(task.unannounced ? { unannounced: true } : {}),
          },
        },
        now,
      );
    });
    return task;
  }

  /** Keys inspected twice this year by locked random tasks (R14), and those inspected within a window. */
  private async exclusionSets(
    year: number,
    withinDays: number,
    now: Date,
  ): Promise<{ twice: Set<string>; recent: Set<string> }> {
    const twice = await this.store.tasks.keysDrawnAtLeast(year, TaskStatus.LOCKED, MAX_INSPECTIONS_PER_YEAR);
    let recent: string[] = [];
    if (withinDays > 0) {
      const since = new Date(now.getTime() - withinDays * 86_400_000);
      recent = await this.store.tasks.keysDrawnByTasksLockedSince(TaskStatus.LOCKED, since);
    }
    return { twice: new Set(twice), recent: new Set(recent) };
  }

  /**
   * R9: takes and stores the snapshot of eligible targets, read through the department contract,
   * before the witness value can be known. R14: targets already inspected twice this year are left
   * out, unless a reason to exceed the limit is recorded.
   */
  async snapshot(identity: Identity, taskId: string, overLimitReason: string | null): Promise<TaskRow> {
    const task = await this.requireTask(taskId);
    assertLeadCoordinator(identity, task.leadDepartment, 'take a snapshot');
    if (task.status !== TaskStatus.COMMITTED)
      throw conflict(
        `Task ${task.id} is ${task.status}: its snapshot is taken once, right after it commits (R9, R17).`,
        { rule: 'R17' },
      );
    const now = this.deps.clock();
    if (chinaDate(now) >= task.witnessAvailableOn) {
      throw conflict(
        `The witness (${task.witnessSource}) may be public since ${task.witnessAvailableOn}: a snapshot taken ` +
          `now could be chosen knowing it. Cancel this task and create one with a later witness date.`,
        {
          field: 'taskId',
        },
      );
    }
    const reason =
      overLimitReason == null
        ? null
        : requireText(
            overLimitReason,
            'overLimitReason',
            2000,
            'say why targets inspected twice this year may be drawn again',
            'R14',
          );
    const started = performance.now();
    const content = await this.planContent(task);
    const sets = await this.exclusionSets(task.year, content.excludeInspectedWithinDays, now);
    // Progress while the rosters are read (issue I): the lead's first, then the partners'.
    const progress = snapshotsUnderWay.begin(
      task.id,
      [content.leadDepartment, ...content.departments.filter((d) => d !== content.leadDepartment)],
      now,
    );
    const [snapshot, teamRosters] = await Promise.all([
      takeSnapshot(
        this.deps.departments,
        content,
        {
          excluded: (key) =>
            sets.twice.has(key) && reason === null ? 'TWICE' : sets.recent.has(key) ? 'RECENT' : null,
        },
        (department, rows, done) => snapshotsUnderWay.read(progress, department, rows, done),
      ),
      // The teams' rosters, conflicts and entrustments are frozen now too, before any seed is known.
      freezeTeamInputs(this.deps, task.id, content),
    ]).catch((error: unknown) => {
      snapshotsUnderWay.end(task.id, progress, null);
      throw error;
    });
    const exclusions = {
      inspectedTwiceThisYear: snapshot.excludedTwice,
      recentlyInspected: snapshot.excludedRecent,
      overLimitReason: reason,
    };
    await this.store
      .transaction(async (tx) => {
        await this.advance(
          tx,
          task,
          TaskStatus.COMMITTED,
          {
            status: TaskStatus.SNAPSHOT_TAKEN,
            snapshotHash: snapshot.hash,
            snapshotSize: snapshot.size,
            snapshotTakenAt: now,
            exclusions,
          },
          `Task ${task.id} has its snapshot already (R9, R17).`,
        );
        await tx.tasks.storeSnapshot(task.id, snapshot);
        await tx.teams.insertFrozenRosters(teamRosters);
        const teamRosterHashes = Object.fromEntries(teamRosters.map((r) => [r.department, r.frozenHash]));
        await tx.audit.append(
          identity,
          {
            action: 'task.snapshot',
            entityId: task.id,
            details: {
              hash: snapshot.hash,
              size: snapshot.size,
              roster: content.leadDepartment,
              teamRosterHashes,
              ...exclusions,
            },
          },
          now,
        );
      })
      .then(
        () => {
          snapshotsUnderWay.end(task.id, progress, this.deps.clock());
          this.deps.metrics?.snapshotDuration.observe((performance.now() - started) / 1000);
        },
        (error: unknown) => {
          snapshotsUnderWay.end(task.id, progress, null);
          throw error;
        },
      );
    return this.requireTask(taskId);
  }

  /**
   * R16: draws the targets, once. The coordinator enters the witness value; the seed comes from the
   * committed secret, the snapshot hash and the witness. Two coordinators drawing at once (any
   * process) produce one draw: the state guard lets exactly one through.
   */
  async draw(identity: Identity, taskId: string, witnessValue: string): Promise<TaskRow> {
    const started = performance.now();
    const task = await this.requireTask(taskId);
    assertLeadCoordinator(identity, task.leadDepartment, 'draw targets'); // R16
    if (task.status !== TaskStatus.SNAPSHOT_TAKEN) {
      throw conflict(
        task.status === TaskStatus.COMMITTED
          ? `Task ${task.id} has no snapshot yet: take it first (R9).`
          : `Task ${task.id} is ${task.status}: a task has one draw; there is no drawing again (R17). Cancel it ` +
              `with a reason and start a new task if needed.`,
        { rule: 'R17' },
      );
    }
    const now = this.deps.clock();
    if (chinaDate(now) < task.witnessAvailableOn) {
      throw conflict(
        `The witness (${task.witnessSource}) is published on ${task.witnessAvailableOn}; draw on or after that day.`,
        { field: 'witnessValue' },
      );
    }
    const witness = normaliseWitness(
      requireText(witnessValue, 'witnessValue', 300, `enter the value published by ${task.witnessSource}`),
    );
    const count = witness === '' ? 0 : witness.split(' ').length;
    if (count !== task.witnessNumbers) {
      throw badInput(
        `witnessValue holds ${count} numbers; ${task.witnessSource} publishes ${task.witnessNumbers}, as the ` +
          `task committed to. Enter exactly those numbers (nothing else with digits, such as the issue number).`,
        {
          field: 'witnessValue',
        },
      );
    }
    const content = await this.planContent(task);
    const snapshot = await this.store.tasks.loadSnapshot(task.id);
    // R9: what is drawn from is exactly what was published; a stored snapshot that changed is a fault to stop at.
    if (snapshot.hash !== task.snapshotHash)
      throw conflict(
        `The stored snapshot of task ${task.id} no longer hashes to the published ${task.snapshotHash}: ` +
          `nothing was drawn; report this to the hub admins.`,
        { rule: 'R9' },
      );
    const seed = deriveSeed(task.secret, snapshot.hash, witness);
    // R16: the lottery over the snapshot's positions (the same draw as runDraw over its keys, see drawFromStrata).
    const outcome = drawFromStrata(
      snapshot.strata,
      content.ratios,
      seed,
      content.batchSize,
      undefined,
      planRatioCap(content),
    );
    // The drawn targets with their batch and place in the drawn order of inspection (R15), each with its USCC and
    // region from the snapshot; stored in key order (the snapshot's), the order of the table's primary key (task,
    // key): appended to its end instead of splitting its pages at random, as the drawn order did.
    const placed: Array<{ i: number; row: DrawnTargetRow }> = [];
    outcome.batches.forEach((batch, b) =>
      batch.forEach((i) => {
        const target = snapshot.target(i);
        const row = Object.assign(new DrawnTargetRow(), {
          taskId: task.id,
          targetKey: snapshot.key(i),
          uscc: target.uscc,
          regionCode: target.regionCode,
          kind: target.kind,
          industryCode: target.industryCode,
          year: task.year,
          batch: b + 1,
          position: placed.length + 1,
        });
        placed.push({ i, row });
      }),
    );
    const rows = placed.sort((x, y) => x.i - y.i).map((p) => p.row);
    await this.store.transaction(async (tx) => {
      await this.advance(
        tx,
        task,
        TaskStatus.SNAPSHOT_TAKEN,
        {
          status: TaskStatus.DRAWN,
          witnessValue: witness,
          drawResult: { seed, strata: outcome.strata, batchSize: content.batchSize },
          drawnAt: now,
          drawnBy: identity.subject,
        },
        `Task ${task.id} was drawn by someone else just now: a task has one draw (R17).`,
      );
      await tx.tasks.insertDrawnTargets(rows);
      await tx.audit.append(
        identity,
        {
          action: 'task.drawn',
          entityId: task.id,
          details: { witness, seed, strata: outcome.strata, drawn: rows.length, batches: outcome.batches.length },
        },
        now,
      );
    });
    this.deps.metrics?.drawDuration.observe((performance.now() - started) / 1000);
    return this.requireTask(taskId);
  }

  /** R17: locks the list; from now on it never changes, and the secret is revealed. */
  async lock(identity: Identity, taskId: string): Promise<TaskRow> {
    const task = await this.requireTask(taskId);
    assertLeadCoordinator(identity, task.leadDepartment, 'lock a task');
    if (task.status !== TaskStatus.DRAWN) {
      throw conflict(
        task.status === TaskStatus.LOCKED
          ? `Task ${task.id} is locked already: its list never changes (R17).`
          : `Task ${task.id} is ${task.status}: only a drawn list can be locked.`,
        { rule: 'R17' },
      );
    }
    const now = this.deps.clock();
    await this.store.transaction(async (tx) => {
      await this.advance(
        tx,
        task,
        TaskStatus.DRAWN,
        { status: TaskStatus.LOCKED, lockedAt: now, lockedBy: identity.subject },
        `Task ${task.id} was locked by someone else just now (R17).`,
      );
      // The audit append locks the chain's head: locks of all tasks, in any process, line up here,
      // so the check below sees every lock that came before this one.
      await tx.audit.append(
        identity,
        { action: 'task.locked', entityId: task.id, details: { secretRevealed: task.secret } },
        now,
      );
      if (!task.exclusions?.overLimitReason) {
        // R14: tasks locked since this one's snapshot may have drawn the same targets.
        const over = await tx.tasks.keysDrawnMoreThan(task.id, task.year, TaskStatus.LOCKED, MAX_INSPECTIONS_PER_YEAR);
        if (over.length > 0) {
          throw conflict(
            `Locking would make ${over.length} target(s) inspected more than ${MAX_INSPECTIONS_PER_YEAR} ` +
              `times this year (e.g. ${over[0]}): other tasks were locked after this one's snapshot. Cancel ` +
              `this task and start a new one, or record a reason at the snapshot (R14).`,
            { rule: 'R14' },
          );
        }
      }
    });
    return this.requireTask(taskId);
  }

  /**
   * Cancels a task with a reason; its commitment, snapshot and draw stay on record, and its secret
   * is revealed, so anyone can see what a cancelled draw gave or would have given. Once the witness
   * may be public, a task with a snapshot is drawn before it can be cancelled: the draw goes on
   * record, so cancelling can never hide a draw somebody did not like (no re-roll, R17).
   */
  async cancel(identity: Identity, taskId: string, reason: string): Promise<TaskRow> {
    const task = await this.requireTask(taskId);
    assertLeadCoordinator(identity, task.leadDepartment, 'cancel a task');
    const why = requireText(reason, 'reason', 2000, 'a cancelled task keeps its reason on record');
    if (task.status === TaskStatus.CANCELLED) throw conflict(`Task ${task.id} is cancelled already.`);
    const now = this.deps.clock();
    if (task.status === TaskStatus.SNAPSHOT_TAKEN && chinaDate(now) >= task.witnessAvailableOn) {
      throw conflict(
        `The witness of task ${task.id} may be public: draw it first (the draw goes on record), then cancel ` +
          `it with the reason (R17).`,
        { rule: 'R17' },
      );
    }
    await this.store.transaction(async (tx) => {
      await this.advance(
        tx,
        task,
        task.status,
        { status: TaskStatus.CANCELLED, cancelledAt: now, cancelReason: why },
        `Task ${task.id} changed meanwhile; reload it and try again.`,
      );
      await tx.audit.append(
        identity,
        {
          action: 'task.cancelled',
          entityId: task.id,
          details: { from: task.status, reason: why, secretRevealed: task.secret },
        },
        now,
      );
    });
    return this.requireTask(taskId);
  }

  /**
   * A page of a task's drawn targets in the drawn order, read as a page (a task may have 100,000);
   * optionally only some keys. At most `first` rows, never more than 10,001 (the largest page of
   * `Task.drawnPage` and the row that tells whether another follows).
   */
  async drawnTargetsPage(
    taskId: string,
    offset: number,
    first: number,
    onlyKeys?: readonly string[],
  ): Promise<DrawnTargetRow[]> {
    if (onlyKeys && onlyKeys.length === 0) return [];
    return this.store.tasks.drawnTargetsPage(
      taskId,
      Math.max(0, offset),
      Math.min(Math.max(first, 1), 10_001),
      onlyKeys,
    );
  }

  /** How many targets a task drew, or, with `onlyKeys`, how many of those keys it drew. */
  async countDrawnTargets(taskId: string, onlyKeys?: readonly string[]): Promise<number> {
    if (onlyKeys && onlyKeys.length === 0) return 0;
    return this.store.tasks.countDrawnTargets(taskId, onlyKeys);
  }

  async drawnTargets(taskId: string): Promise<DrawnTargetRow[]> {
    return this.store.tasks.drawnTargets(taskId);
  }

  /** The public record (DESIGN.md flow 3); the secret only once locked. */
  async publicRecord(task: TaskRow): Promise<PublicDrawRecord> {
    const content = await this.planContent(task);
    const drawn = task.drawResult ? await this.drawnTargets(task.id) : [];
    const batches: string[][] = [];
    for (const row of drawn) (batches[row.batch - 1] ??= []).push(row.targetKey);
    // The secret is shown once the list is locked, or the task cancelled (nothing is left to steer).
    const revealed = task.status === TaskStatus.LOCKED || task.status === TaskStatus.CANCELLED;
    return {
      format: RECORD_FORMAT,
      algorithm: DRAW_ALGORITHM,
      task: {
        id: task.id,
        name: task.name,
        planId: task.planId,
        planRevision: task.planRevision,
        year: task.year,
        leadDepartment: task.leadDepartment,
        departments: content.departments,
        classCombination: content.classCombination,
        training: task.training,
      },
      commitment: task.commitment,
      secret: revealed ? task.secret : null,
      witness: {
        source: task.witnessSource,
        availableOn: task.witnessAvailableOn,
        numbers: task.witnessNumbers,
        value: task.witnessValue,
      },
      snapshot: {
        hash: task.snapshotHash ?? '',
        size: task.snapshotSize ?? 0,
        takenAt: task.snapshotTakenAt?.toISOString() ?? '',
      },
      exclusions: task.exclusions ?? { inspectedTwiceThisYear: 0, recentlyInspected: 0, overLimitReason: null },
      teamRosterHashes: Object.fromEntries(
        (await this.store.teams.frozenRosterHashes(task.id)).map((r) => [r.department, r.frozenHash]),
      ),
      strata: task.drawResult?.strata.map((s) => ({ ...s, stratum: s.stratum as StratumEnum })) ?? [],
      ratioCapBasisPoints: planRatioCap(content),
      batchSize: content.batchSize,
      drawn: drawn.map((d) => d.targetKey).sort(),
      batches,
      drawnAt: task.drawnAt?.toISOString() ?? null,
      lockedAt: task.lockedAt?.toISOString() ?? null,
    };
  }

  /** The full record for auditors: the public one plus every snapshot entry with its stratum. */
  async fullRecord(task: TaskRow): Promise<FullDrawRecord> {
    const record = await this.publicRecord(task);
    const entries = task.snapshotHash ? (await this.store.tasks.loadSnapshot(task.id)).entries() : [];
    return { ...record, snapshotEntries: entries.map(([k, s]) => [k, s]) };
  }
}
