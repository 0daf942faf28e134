import { In, type EntityManager } from 'typeorm';
import { codecOf, execute, select } from '../../../kernel/prepared';
import { insertRows, updateRows } from '../../../kernel/rows';
import { OutcomeStatus, ResultStatus } from '../contract/enums';
import { OutcomeRow, ResultRow } from './entities';

/** Every column of a result, in the order the prepared statements use. */
const RESULT_COLUMNS = [
  'id',
  'idempotencyKey',
  'taskId',
  'targetKey',
  'uscc',
  'itemCode',
  'itemVersion',
  'outcome',
  'outcomeVersion',
  'method',
  'notes',
  'confidentialNotes',
  'evidence',
  'inspectors',
  'inspectedOn',
  'dishonesty',
  'status',
  'recordedAt',
  'recordedBy',
  'approvedAt',
  'approvedBy',
  'publishedAt',
  'correctsId',
  'correctionReason',
] as const satisfies ReadonlyArray<keyof ResultRow>;

const OUTCOME_COLUMNS = ['code', 'version', 'label', 'dishonesty', 'status'] as const satisfies ReadonlyArray<
  keyof OutcomeRow
>;

/** Rows one multi-row INSERT carries at most (24 columns each: well under any database's limit on values). */
const INSERT_CHUNK = 100;

/** Which results a read asks for. */
export interface ResultFilter {
  taskId?: string | null;
  uscc?: string | null;
  status?: string | null;
}

/**
 * A department's results and its outcome dictionary (R24, R25, R27, R28): the only code that
 * touches their tables, on the department subgraph's own database. Scoped to that database at
 * construction, rebuilt on a transaction's manager by `transaction` (as DepartmentRepository is).
 * The write-back's path (`<code>RecordResults`: the dictionary, the known keys, the new rows) runs
 * as prepared statements (kernel/prepared.ts).
 */
export class ResultRepository {
  constructor(readonly manager: EntityManager) {}

  /** Runs `work` in one transaction, with this repository rebuilt on its manager. */
  transaction<T>(work: (tx: ResultRepository) => Promise<T>): Promise<T> {
    return this.manager.transaction((tx) => work(new ResultRepository(tx)));
  }

  private get results() {
    return codecOf(this.manager, ResultRow, RESULT_COLUMNS);
  }

  /** The outcomes in force (one version of each code), for checking and recording results. */
  async currentOutcomes(): Promise<OutcomeRow[]> {
    const c = codecOf(this.manager, OutcomeRow, OUTCOME_COLUMNS);
    const rows = await select(this.manager, `SELECT ${c.columns} FROM result_outcome WHERE status = ?`, [
      OutcomeStatus.CURRENT,
    ]);
    return rows.map((r) => c.read(r));
  }

  /** The results already recorded under any of these idempotency keys (R24: a retry finds them). */
  async byIdempotencyKeys(keys: readonly string[]): Promise<ResultRow[]> {
    if (keys.length === 0) return [];
    const c = this.results;
    const rows = await select(
      this.manager,
      `SELECT ${c.columns} FROM inspection_result WHERE idempotency_key IN (${keys.map(() => '?').join(', ')})`,
      keys,
      { prepared: false },
    );
    return rows.map((r) => c.read(r));
  }

  /** New results, in multi-row statements of up to 100. */
  async insertResults(rows: readonly ResultRow[]): Promise<void> {
    const c = this.results;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const part = rows.slice(i, i + INSERT_CHUNK);
      await execute(
        this.manager,
        `INSERT INTO inspection_result (${c.columns}) VALUES ${part.map(() => c.placeholders).join(', ')}`,
        c.valuesOf(part),
        { prepared: false },
      );
    }
  }

  /** One result (a correction). */
  async insert(row: ResultRow): Promise<void> {
    await insertRows(this.manager, ResultRow, row);
  }

  async byId(id: string): Promise<ResultRow | null> {
    return this.manager.findOneBy(ResultRow, { id });
  }

  async byIds(ids: readonly string[]): Promise<ResultRow[]> {
    return this.manager.find(ResultRow, { where: { id: In([...ids]) } });
  }

  /** Moves these results from one status to the next; how many moved (R25). */
  async advance(ids: readonly string[], from: string, to: Partial<ResultRow>): Promise<number> {
    const done = await updateRows(this.manager, ResultRow, { id: In([...ids]), status: from }, to);
    return done.affected ?? 0;
  }

  /** Results matching the filter in id order, at most `first`, after the result id `after` (keyset paging). */
  async list(filter: ResultFilter, first: number, after: string | null): Promise<ResultRow[]> {
    const qb = this.matching(filter).orderBy('r.id', 'ASC').take(first);
    if (after) qb.andWhere('r.id > :after', { after });
    return qb.getMany();
  }

  /** Results matching the filter, over every page. */
  async count(filter: ResultFilter): Promise<number> {
    return this.matching(filter).getCount();
  }

  private matching(filter: ResultFilter) {
    const qb = this.manager.createQueryBuilder(ResultRow, 'r');
    if (filter.taskId) qb.andWhere('r.task_id = :taskId', { taskId: filter.taskId });
    if (filter.uscc) qb.andWhere('r.uscc = :uscc', { uscc: filter.uscc });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    return qb;
  }

  /** Published dishonesty records of these targets (R27), oldest first. */
  async dishonestyOf(usccs: readonly string[]): Promise<ResultRow[]> {
    if (usccs.length === 0) return [];
    return this.manager.find(ResultRow, {
      where: { uscc: In([...usccs]), dishonesty: true, status: ResultStatus.PUBLISHED },
      order: { publishedAt: 'ASC' },
    });
  }

  /** The outcome of a code in force, if any. */
  async currentOutcome(code: string): Promise<OutcomeRow | null> {
    return this.manager.findOneBy(OutcomeRow, { code, status: OutcomeStatus.CURRENT });
  }

  /** Every version of every outcome, by code and version. */
  async outcomes(): Promise<OutcomeRow[]> {
    return this.manager.find(OutcomeRow, { order: { code: 'ASC', version: 'ASC' } });
  }

  /** Closes the version in force of an outcome (superseded); whether it was still in force. */
  async supersedeOutcome(code: string, version: number): Promise<boolean> {
    const done = await updateRows(
      this.manager,
      OutcomeRow,
      { code, version, status: OutcomeStatus.CURRENT },
      { status: OutcomeStatus.SUPERSEDED },
    );
    return done.affected === 1;
  }

  async insertOutcome(row: OutcomeRow): Promise<void> {
    await insertRows(this.manager, OutcomeRow, row);
  }
}
