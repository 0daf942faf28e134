import type { ResultFilter } from './result-repository';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ItemStatus, OutcomeStatus, ResultStatus } from '../contract/enums';
import type { ResultInput } from '../contract/inputs';
import { badInput, conflict, notFound } from '../../../kernel/errors';
import { assertUscc } from '../../../kernel/uscc';
import { assertTargetKey } from '../../../kernel/target-key';
import { isCalendarDay, refuseControlCharacters, requireText } from '../../../kernel/validation';
import type { DepartmentStore } from '../store';
import { retryingDeadlocks } from '../../../kernel/datasource';
import { DepartmentRepository, isDuplicateKey } from '../repository';
import { OutcomeRow, ResultRow } from './entities';
import { ResultRepository } from './result-repository';

/** Where a result stands (R25): the contract's enum, kept importable from here. */
export { ResultStatus };

export type { ResultFilter };

/** Inspectors one result may name (their certificate numbers). */
export const MAX_INSPECTORS_PER_RESULT = 20;

/** Results one approval or publication may name. */
export const MAX_RESULTS_PER_CALL = 1000;

/** The content of a result that the idempotency key stands for: a retry must carry the same. */
function sameContent(row: ResultRow, input: ResultInput): boolean {
  return (
    row.taskId === input.taskId &&
    row.targetKey === input.targetKey &&
    row.itemCode === input.itemCode &&
    row.itemVersion === input.itemVersion &&
    row.outcome === input.outcome &&
    row.method === input.method &&
    row.inspectedOn === input.inspectedOn
  );
}

/**
 * A department's results (R24): written back idempotently, approved and published by the
 * department (R25), corrected only by a new record (R28). Scoped to one department's database.
 */
export class ResultService {
  private readonly results: ResultRepository;

  constructor(
    manager: EntityManager,
    readonly department: string,
    /**
     * Where the checklist is, and where results go besides this database (a connector-backed department's existing
     * system).
     */
    private readonly store?: Pick<DepartmentStore, 'checklistVersionsOf' | 'forwardResults'>,
  ) {
    this.results = new ResultRepository(manager);
  }

  /**
   * Checks every result before writing any: an item of this department's checklist at that version, an outcome of its
   * dictionary.
   */
  private async validate(inputs: ResultInput[], outcomes: readonly OutcomeRow[]): Promise<void> {
    const codes = [...new Set(inputs.map((i) => i.itemCode))];
    const items = await (
      this.store ?? new DepartmentRepository(this.results.manager, this.department)
    ).checklistVersionsOf(codes);
    inputs.forEach((input, i) => {
      const field = `input[${i}]`;
      requireText(input.idempotencyKey, `${field}.idempotencyKey`, 100);
      requireText(input.taskId, `${field}.taskId`, 36);
      assertTargetKey(input.targetKey, `${field}.targetKey`);
      if (input.uscc) input.uscc = assertUscc(input.uscc, `${field}.uscc`);
      // R24, R3: a department records results of its own checklist only.
      const item = items.find((it) => it.code === input.itemCode && it.version === input.itemVersion);
      if (!item || item.status === ItemStatus.REPEALED) {
        throw badInput(
          `${field}: ${input.itemCode} version ${input.itemVersion} is not an item of the ${this.department} ` +
            `checklist; each department records its own items (R24).`,
          { field: `${field}.itemCode`, rule: 'R24' },
        );
      }
      if (!outcomes.some((o) => o.code === input.outcome)) {
        throw badInput(
          `${field}.outcome '${input.outcome}' is not in the ${this.department} outcome dictionary ` +
            `(${outcomes.map((o) => o.code).join(', ')}).`,
          { field: `${field}.outcome` },
        );
      }
      if (!isCalendarDay(input.inspectedOn))
        throw badInput(`${field}.inspectedOn '${input.inspectedOn}' is not a date (YYYY-MM-DD).`, {
          field: `${field}.inspectedOn`,
        });
      // R18: the team's enforcement officers, by certificate number (a team is a handful, not thousands).
      if (
        input.inspectors.length === 0 ||
        input.inspectors.length > MAX_INSPECTORS_PER_RESULT ||
        input.inspectors.some((c) => c.trim() === '' || c.length > 40)
      ) {
        throw badInput(
          `${field}.inspectors: name the 1 to ${MAX_INSPECTORS_PER_RESULT} inspectors who checked, by ` +
            `certificate number (at most 40 characters each), got ${input.inspectors.length} (R18).`,
          { field: `${field}.inspectors`, rule: 'R18' },
        );
      }
      if (input.notes) requireText(input.notes, `${field}.notes`, 10_000);
      if (input.evidence.length > 50 || input.evidence.some((e) => e.length === 0 || e.length > 200))
        throw badInput(`${field}.evidence: at most 50 references of 1 to 200 characters each.`, {
          field: `${field}.evidence`,
        });
      input.evidence.forEach((e, j) => refuseControlCharacters(e, `${field}.evidence[${j}]`));
      input.inspectors.forEach((c, j) => refuseControlCharacters(c, `${field}.inspectors[${j}]`));
      if (input.confidentialNotes) requireText(input.confidentialNotes, `${field}.confidentialNotes`, 10_000);
    });
  }

  /**
   * R24: stores written-back results as this department's own records, in one transaction. A known
   * idempotency key with the same content answers the existing record (a retry); with other content
   * it is a CONFLICT, and nothing of the batch is written.
   */
  async record(
    inputs: ResultInput[],
    actor: string,
    now: Date,
  ): Promise<Array<{ idempotencyKey: string; resultId: string; created: boolean }>> {
    // The dictionary in force, read once for the checks and the rows.
    const outcomes = await this.results.currentOutcomes();
    await this.validate(inputs, outcomes);
    const rowOf = (input: ResultInput) =>
      Object.assign(new ResultRow(), {
        id: randomUUID(),
        idempotencyKey: input.idempotencyKey,
        taskId: input.taskId,
        targetKey: input.targetKey,
        uscc: input.uscc ?? null,
        itemCode: input.itemCode,
        itemVersion: input.itemVersion,
        outcome: input.outcome,
        outcomeVersion: outcomes.find((o) => o.code === input.outcome)!.version,
        method: input.method,
        notes: input.notes ?? null,
        confidentialNotes: input.confidentialNotes ?? null,
        evidence: input.evidence,
        inspectors: input.inspectors,
        inspectedOn: input.inspectedOn,
        // R27: these three become dishonesty records once published.
        dishonesty:
          outcomes.find((o) => o.code === input.outcome)!.dishonesty ||
          input.penaltyUnderGeneralProcedure === true ||
          input.statutoryCheckFailed === true,
        status: ResultStatus.RECORDED,
        recordedAt: now,
        recordedBy: actor,
        approvedAt: null,
        approvedBy: null,
        publishedAt: null,
        correctsId: null,
        correctionReason: null,
      });
    const checkKnown = (known: ResultRow[]) => {
      for (const input of inputs) {
        const existing = known.find((k) => k.idempotencyKey === input.idempotencyKey);
        if (existing && !sameContent(existing, input))
          throw conflict(
            `Idempotency key ${input.idempotencyKey} was used for a different result; nothing was written.`,
            { field: 'idempotencyKey' },
          );
      }
    };
    const keys = inputs.map((i) => i.idempotencyKey);
    // R24: a connector-backed department's existing system gets the new results first, outside any
    // transaction (its writes are keyed by the same idempotency keys, so a repeat is harmless): if
    // it cannot take them, nothing is recorded here and the hub sends them again later; if it took
    // them and the commit below fails, the next send finds them there and records them here.
    if (this.store?.forwardResults) {
      const known = await this.results.byIdempotencyKeys(keys);
      checkKnown(known);
      const fresh = inputs.filter((i) => !known.some((k) => k.idempotencyKey === i.idempotencyKey)).map(rowOf);
      if (fresh.length) await this.store.forwardResults(fresh);
    }
    try {
      // Concurrent deliveries of the same keys can deadlock on MySQL's unique index: run again, and the
      // second run finds the first one's records.
      return await retryingDeadlocks(() =>
        this.results.transaction(async (tx) => {
          const known = new Map((await tx.byIdempotencyKeys(keys)).map((k) => [k.idempotencyKey, k]));
          checkKnown([...known.values()]);
          const receipts = [];
          const fresh: ResultRow[] = [];
          for (const input of inputs) {
            const existing = known.get(input.idempotencyKey);
            if (existing) {
              receipts.push({ idempotencyKey: input.idempotencyKey, resultId: existing.id, created: false });
              continue;
            }
            // The same key twice in one call is one result: the second finds the first.
            const row = rowOf(input);
            fresh.push(row);
            known.set(row.idempotencyKey, row);
            receipts.push({ idempotencyKey: input.idempotencyKey, resultId: row.id, created: true });
          }
          await tx.insertResults(fresh); // in multi-row statements
          return receipts;
        }),
      );
    } catch (error) {
      // Two deliveries of the same key at once: the loser finds the winner's record on a retry.
      if (isDuplicateKey(error))
        throw conflict('The same results are being written by another delivery just now; retry.', {
          field: 'idempotencyKey',
        });
      throw error;
    }
  }

  /** Moves results from one status to the next, all or none (R25). */
  private async advance(
    ids: string[],
    from: string,
    to: Partial<ResultRow> & { status: string },
    what: string,
  ): Promise<ResultRow[]> {
    if (ids.length === 0) throw badInput('ids: name at least one result.', { field: 'ids' });
    // R25: approved and published in batches; a list longer than a database takes as parameters would fail as a fault.
    if (ids.length > MAX_RESULTS_PER_CALL)
      throw badInput(
        `ids: at most ${MAX_RESULTS_PER_CALL} results per call, got ${ids.length}; send them in batches.`,
        { field: 'ids' },
      );
    return this.results.transaction(async (tx) => {
      const rows = await tx.byIds(ids);
      const missing = ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw notFound(`No ${this.department} result ${missing[0]}.`, { field: 'ids' });
      const wrong = rows.find((r) => r.status !== from);
      if (wrong)
        throw conflict(
          `Result ${wrong.id} is ${wrong.status}: only ${from} results can be ${what}. Nothing was changed.`,
          { field: 'ids' },
        );
      if ((await tx.advance(ids, from, to)) !== ids.length)
        throw conflict(`Some of these results changed meanwhile; reload them. Nothing was changed.`);
      return tx.byIds(ids);
    });
  }

  /** R25: the department approves its recorded results. */
  approve(ids: string[], actor: string, now: Date): Promise<ResultRow[]> {
    return this.advance(
      ids,
      ResultStatus.RECORDED,
      { status: ResultStatus.APPROVED, approvedAt: now, approvedBy: actor },
      'approved',
    );
  }

  /** R25: approved results are published; from then on they never change (R28). */
  publish(ids: string[], now: Date): Promise<ResultRow[]> {
    return this.advance(ids, ResultStatus.APPROVED, { status: ResultStatus.PUBLISHED, publishedAt: now }, 'published');
  }

  /**
   * R28: a proven error in a published result is corrected by a new record, signed off by the
   * department's principal head and published at once; the old one stays, pointing to nothing new.
   */
  async correct(
    id: string,
    input: { outcome: string; notes: string | null },
    reason: string,
    actor: string,
    now: Date,
  ): Promise<ResultRow> {
    const original = await this.results.byId(id);
    if (!original) throw notFound(`No ${this.department} result ${id}.`, { field: 'id' });
    if (original.status !== ResultStatus.PUBLISHED)
      throw conflict(
        `Result ${id} is ${original.status}: only a published result is corrected by a new record (R28); an ` +
          `unpublished one is simply re-recorded.`,
        { rule: 'R28' },
      );
    const outcome = await this.results.currentOutcome(input.outcome);
    if (!outcome)
      throw badInput(`outcome '${input.outcome}' is not in the ${this.department} outcome dictionary.`, {
        field: 'outcome',
      });
    const row = Object.assign(new ResultRow(), {
      ...original,
      id: randomUUID(),
      idempotencyKey: `correction:${id}:${randomUUID()}`,
      outcome: input.outcome,
      outcomeVersion: outcome.version,
      notes: input.notes,
      // R27: the correction's outcome decides: a refusal corrected away is no dishonesty record any more.
      dishonesty: outcome.dishonesty,
      status: ResultStatus.PUBLISHED,
      recordedAt: now,
      recordedBy: actor,
      approvedAt: now,
      approvedBy: actor,
      publishedAt: now,
      correctsId: id,
      correctionReason: reason,
    });
    try {
      await this.results.insert(row);
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict('Retry the correction.');
      throw error;
    }
    return row;
  }

  /** Results matching the filter in id order, at most `first`, after the result id `after` (keyset paging). */
  list(filter: ResultFilter, first: number, after: string | null): Promise<ResultRow[]> {
    return this.results.list(filter, first, after);
  }

  /** Results matching the filter, over every page (a page's `totalCount`). */
  count(filter: ResultFilter): Promise<number> {
    return this.results.count(filter);
  }

  /**
   * Adds an outcome to the department's dictionary, or makes a new version of one (the old one is
   * superseded but stays, so results recorded with it keep their meaning).
   */
  async defineOutcome(code: string, label: string, dishonesty: boolean): Promise<OutcomeRow> {
    if (!/^[A-Z][A-Z0-9_]{1,39}$/.test(code))
      throw badInput(`code '${code}': uppercase letters, digits and _, starting with a letter.`, { field: 'code' });
    const text = requireText(label, 'label', 100, 'the outcome as published');
    try {
      return await this.results.transaction(async (tx) => {
        const current = await tx.currentOutcome(code);
        if (current && !(await tx.supersedeOutcome(code, current.version)))
          throw conflict(`Outcome ${code} changed meanwhile; reload it.`);
        const row = Object.assign(new OutcomeRow(), {
          code,
          version: (current?.version ?? 0) + 1,
          label: text,
          dishonesty,
          status: OutcomeStatus.CURRENT,
        });
        await tx.insertOutcome(row);
        return row;
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict(`Outcome ${code} changed meanwhile; reload it.`);
      throw error;
    }
  }

  /** Published dishonesty records of targets (R27), for the department's view. */
  dishonestyOf(usccs: readonly string[]): Promise<ResultRow[]> {
    return this.results.dishonestyOf(usccs);
  }

  outcomes(): Promise<OutcomeRow[]> {
    return this.results.outcomes();
  }
}
