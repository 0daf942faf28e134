import { randomUUID } from 'node:crypto';
import { ErrorCode, HubError } from '../../../kernel/errors';
import type { Logger } from '../../../kernel/log';
import type { JointDeps } from '../context';
import type { OutboxRow } from './entities';
import { trace, type Context } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, traceHeaders, type ServiceTracing } from '../../../kernel/tracing';

/** Outbox entries a delivery round takes at once. */
const OUTBOX_ROUND = 200;

/**
 * Results one `<code>RecordResults` call carries at most: a department's due entries go in batches
 * of up to this many results (the contract takes 1,000 a call), not one call per entry.
 */
const DELIVERY_RESULTS = 500;

/**
 * After a submission, the next delivery round starts within this long of the last one's start, not
 * at once: submissions arriving meanwhile go in the same round, a department's share of them in one
 * `<code>RecordResults` call. Without it every submission started its own round, and under load
 * each department answered hundreds of calls of a few results (the write-back benchmark: a
 * department's CPU was mostly the calls' own cost, and the joint service's most of its sockets').
 */
export const DELIVERY_COALESCE_MS = 200;

/** Retry delays: 1 s, 2 s, 4 s ... up to 5 minutes between attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
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
  /** The round `soon()` asked for, not yet started. */
  private pending: NodeJS.Timeout | null = null;
  /** When the last round began (performance.now()). */
  private lastRoundAt = -Infinity;
  private stopped = false;
  /** soon() was asked while a round ran: one more round once it ends. */
  private roundWanted = false;

  constructor(
    private readonly deps: JointDeps,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    /** Longer than a department call may take (the department client gives up after 60 s). */
    private readonly leaseMs = 120_000,
    private readonly coalesceMs = DELIVERY_COALESCE_MS,
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
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    await this.running?.catch(() => undefined);
  }

  /**
   * Every entry due now, in rounds of 200 until a round finds fewer (a burst of submissions is
   * drained at once, not one round a tick; the write-back benchmark measured 12 submissions a
   * second end to end before). Returns how many were delivered. A round already running is joined,
   * not doubled (the interval and soon() call this too): its count is answered, and an entry that
   * became due after it read its list waits for the next round.
   */
  deliverDue(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
      if (this.roundWanted) {
        this.roundWanted = false;
        this.soon();
      }
    });
    return this.running;
  }

  /**
   * Asks for a round soon (after a submission): within DELIVERY_COALESCE_MS of the last round's
   * start, or at once if that is past; several asks meanwhile make one round. Asks while a round
   * runs make one round after it (what they stored may have come after its due list was read).
   */
  soon(): void {
    if (this.pending || this.stopped) return;
    const wait = Math.max(0, this.lastRoundAt + this.coalesceMs - performance.now());
    this.pending = setTimeout(() => {
      this.pending = null;
      if (this.running) return void (this.roundWanted = true);
      void this.deliverDue().catch((error) => this.logger.error({ err: error }, 'outbox delivery failed'));
    }, wait);
    this.pending.unref();
  }

  private async drain(): Promise<number> {
    let delivered = 0;
    this.lastRoundAt = performance.now();
    // At most 5 rounds (1,000 entries) at once, so a stop never waits long.
    for (let i = 0; i < 5; i++) {
      const round = await this.round();
      delivered += round.delivered;
      if (round.due < OUTBOX_ROUND) break;
    }
    return delivered;
  }

  private async round(): Promise<{ due: number; delivered: number }> {
    // Due and not leased by another deliverer (a second deliverer takes the next entries, not the first one's).
    const due = await this.deps.store.outbox.due(this.deps.clock(), OUTBOX_ROUND);
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
   * Claims entries of one department in one statement under a fresh lease (its id, and an end 2
   * minutes after the claim): the entries carrying the id are this deliverer's, in the round's
   * order (the oldest first).
   */
  private async claim(entries: readonly OutboxRow[]): Promise<Held[]> {
    // The lease starts when the entries are claimed, not when the round began.
    const claimedAt = this.deps.clock();
    const lease = { id: randomUUID(), until: new Date(Math.max(claimedAt.getTime(), Date.now()) + this.leaseMs) };
    const attempts = await this.deps.store.outbox.claim(
      entries.map((e) => e.id),
      lease,
      claimedAt,
    );
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
    // Marks go in id order, the order the claim locked the rows in (MySQL). Only the holder of the
    // lease records the outcome: a deliverer whose lease ran out changes nothing.
    const inIdOrder = [...held].sort((a, b) => (a.entry.id < b.entry.id ? -1 : 1));
    const traced = traceDeliveryOf(this.deps.tracing, department, held);
    try {
      const input = held.flatMap((h) => payloadOf(h.entry));
      const data = await this.deps.departments.run<Record<string, Array<{ idempotencyKey: string }>>>(
        department,
        'DepartmentRecordResults',
        { input },
        traced?.headers,
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
      // One transaction for the batch's marks: one commit instead of one per entry (run again if
      // MySQL aborted it to break a deadlock with a submission: the department has the results already).
      const delivered = await this.deps.store.transaction(
        async (tx) => {
          let marked = 0;
          for (const h of inIdOrder) {
            const own = payloadOf(h.entry).map((r) => receipts.get(r.idempotencyKey)!);
            if (await tx.outbox.markDelivered(h.entry.id, h.leaseId, own, deliveredAt)) marked++;
          }
          return marked;
        },
        { retryDeadlocks: true },
      );
      this.deps.metrics?.deliveries.inc({ department, outcome: 'delivered' }, delivered);
      traced?.end('delivered');
      return delivered;
    } catch (error) {
      const e = error as HubError;
      const refused =
        e.extensions?.upstreamCode === ErrorCode.BAD_USER_INPUT || e.extensions?.upstreamCode === ErrorCode.FORBIDDEN;
      traced?.end(refused ? 'refused' : 'failed', e.message);
      if (refused && held.length > 1) {
        // Which entry it refuses: each on its own, under the lease already held.
        let delivered = 0;
        for (const h of held) delivered += await this.deliverBatch(department, [h.entry], [h]);
        return delivered;
      }
      await this.deps.store.transaction(
        async (tx) => {
          for (const h of inIdOrder) {
            await tx.outbox.markFailed(h.entry.id, h.leaseId, {
              refused,
              lastError: e.message.slice(0, 2000),
              nextAttemptAt: new Date(this.deps.clock().getTime() + backoffMs(h.attempts)),
            });
          }
        },
        { retryDeadlocks: true },
      );
      this.deps.metrics?.deliveries.inc({ department, outcome: refused ? 'refused' : 'failed' }, held.length);
      this.logger.warn(
        { department, outbox: held.map((h) => h.entry.id), attempts: held.map((h) => h.attempts), refused },
        `delivery to ${department} failed: ${e.message}`,
      );
      return 0;
    }
  }
}

/**
 * Issue L: a delivery is part of its submission's trace. The call carrying a batch is a span under
 * the first entry's submission (its `traceparent` goes to the department, whose RecordResults
 * request is its child) and links the others' submissions; each other entry gets a span in its own
 * submission's trace, linking that call. Null when traces are off.
 */
function traceDeliveryOf(
  tracing: ServiceTracing | null | undefined,
  department: string,
  held: readonly Held[],
): { headers: Record<string, string>; end(outcome: string, error?: string): void } | null {
  if (!tracing) return null;
  const parents = held.map((h) => tracing.fromTraceparent(h.entry.traceParent));
  const linked = (contexts: readonly Context[]) =>
    contexts.flatMap((c) => {
      const context = trace.getSpanContext(c);
      return context ? [{ context }] : [];
    });
  const attributes = { 'jointcheck.department': department, 'jointcheck.outbox_entries': held.length };
  const call = tracing.start(`deliver to ${department}`, parents[0], {
    kind: SpanKind.CLIENT,
    attributes: { ...attributes, 'jointcheck.outbox_id': held[0]!.entry.id },
    links: linked(parents.slice(1)),
  });
  const others = parents.slice(1).flatMap((parent, i) =>
    trace.getSpanContext(parent)
      ? [
          tracing.start(`deliver to ${department} (in a batch)`, parent, {
            kind: SpanKind.INTERNAL,
            attributes: { ...attributes, 'jointcheck.outbox_id': held[i + 1]!.entry.id },
            links: [{ context: call.span.spanContext() }],
          }).span,
        ]
      : [],
  );
  let ended = false;
  return {
    headers: traceHeaders(call.context),
    end: (outcome, error) => {
      if (ended) return;
      ended = true;
      for (const span of [call.span, ...others]) {
        span.setAttribute('jointcheck.outcome', outcome);
        if (outcome !== 'delivered') span.setStatus({ code: SpanStatusCode.ERROR, message: error?.slice(0, 500) });
        span.end();
      }
    },
  };
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
