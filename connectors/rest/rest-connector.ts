import { REGION_CODE } from '../../kernel/codes';
import { ErrorCode, HubError } from '../../kernel/errors';
import { targetKeyProblem } from '../../kernel/target-key';
import { isValidUscc } from '../../kernel/uscc';
import type { ContractConnector, MappedChecklistItem, MappedInspector, MappedTarget } from '../core/contract-connector';
import { UpstreamDataSource, type UpstreamRequest, type UpstreamResponse } from '../core/upstream-source';
import type { ResultRow } from '../../subgraphs/department-kernel/results/entities';
import { at, mapRecord, type FieldSpec, type RestMapping } from './mapping';

export interface RestConnectorOptions {
  baseUrl: string;
  /** The upstream's API key (configuration; never in the mapping). */
  apiKey: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  /**
   * The longest a read of several upstream pages may take in all (a whole roster), in ms; each
   * attempt of each page is bounded by `timeoutMs` too. Default 60 s.
   */
  readDeadlineMs?: number;
}

const CREDIT_LEVELS = new Set(['A', 'B', 'C', 'D']);
const RISK_LEVELS = new Set(['LOW', 'GENERAL', 'ELEVATED', 'HIGH']);

/**
 * A department's existing REST/JSON system seen through the department contract, by a
 * declarative mapping (connectors/<code>/mapping.yaml): its paths, field names, paging, batch
 * lookup and auth header. Reads of many targets go one upstream call per batch; pages of the
 * contract (offset cursors) are cut from the upstream's page-number pages. A record the mapping
 * cannot read is a DOWNSTREAM_SERVICE_ERROR naming the record and the field, never a guess.
 */
export class RestConnector extends UpstreamDataSource implements ContractConnector {
  constructor(
    readonly mapping: RestMapping,
    private readonly options: RestConnectorOptions,
  ) {
    super({
      department: mapping.department,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      backoffMs: options.backoffMs,
      healthPath: mapping.healthPath,
    });
  }

  override willSendRequest(request: UpstreamRequest): void {
    request.headers[this.mapping.auth.header] = this.options.apiKey;
  }

  /**
   * Every request a connector sends is the hub's own (built from the mapping), never a caller's
   * input: an upstream refusal is the system's or the mapping's matter, so it is a
   * DOWNSTREAM_SERVICE_ERROR keeping `upstreamStatus` (the outbox then sends results again later
   * rather than dropping them), except 409 on a write, a key already used for other content.
   */
  override errorFromResponse(response: UpstreamResponse, request: UpstreamRequest): HubError {
    const error = super.errorFromResponse(response, request);
    if (response.status === 409 && request.method !== 'GET') return error;
    if (error.extensions.code === ErrorCode.DOWNSTREAM_SERVICE_ERROR) return error;
    return new HubError(
      ErrorCode.DOWNSTREAM_SERVICE_ERROR,
      `${error.message} The hub built this request from the connector mapping: the mapping or the ` +
        `${this.department} system needs fixing.`,
      { serviceName: this.department, upstreamStatus: response.status },
    );
  }

  /** Targets by USCC, in batches of the mapping's `batch.max`: ceil(N / max) upstream calls for N. */
  async targetsByUscc(usccs: readonly string[]): Promise<MappedTarget[]> {
    const { batch, fields } = this.mapping.targets;
    const unique = [...new Set(usccs)];
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += batch.max) batches.push(unique.slice(i, i + batch.max));
    const answers = await Promise.all(
      batches.map((codes) =>
        this.send<unknown>({
          method: 'GET',
          path: batch.path,
          query: { [batch.param]: codes.join(batch.separator) },
          headers: {},
          idempotent: true,
        }),
      ),
    );
    return answers
      .flatMap((answer) => this.records(answer, batch.records, batch.path))
      .map((r) => this.target(r, fields));
  }

  /** A page of the roster from `offset`, with an optional region-prefix filter (the contract's `regions`). */
  async listTargets(
    offset: number,
    first: number,
    filter: { regions?: readonly string[] | null } = {},
  ): Promise<{ rows: MappedTarget[]; total: number; hasMore: boolean }> {
    const regionParam = this.mapping.targets.filters?.regionPrefix;
    const regions = filter.regions?.length ? filter.regions : [null];
    if (filter.regions?.length && !regionParam)
      throw new HubError(
        ErrorCode.BAD_USER_INPUT,
        `The ${this.department} system cannot filter its roster by region (its mapping names no regionPrefix filter).`,
        { field: 'filter.regions' },
      );
    if (regions.length > 1) {
      // One region prefix per upstream listing: read each in full, then page the union (rosters are city-sized).
      const deadline = this.deadline();
      const all = (
        await Promise.all(
          regions.map((r) =>
            this.everyPage(
              this.mapping.targets.path,
              (x) => this.target(x, this.mapping.targets.fields),
              r && regionParam ? { [regionParam]: r } : {},
              deadline,
            ),
          ),
        )
      ).flat();
      const sorted = [...new Map(all.map((t) => [t.id, t])).values()].sort((a, b) =>
        a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
      );
      return {
        rows: sorted.slice(offset, offset + first),
        total: sorted.length,
        hasMore: offset + first < sorted.length,
      };
    }
    const query = regions[0] && regionParam ? { [regionParam]: regions[0] } : {};
    return this.slice(
      this.mapping.targets.path,
      offset,
      first,
      query,
      (r) => this.target(r, this.mapping.targets.fields),
      this.deadline(),
    );
  }

  async listInspectors(
    offset: number,
    first: number,
  ): Promise<{ rows: MappedInspector[]; total: number; hasMore: boolean }> {
    return this.slice(
      this.mapping.inspectors.path,
      offset,
      first,
      {},
      (r) => this.checked<MappedInspector>(r, this.mapping.inspectors.fields, this.mapping.inspectors.path),
      this.deadline(),
    );
  }

  /** Every version of every checklist item the upstream has. */
  async checklist(): Promise<MappedChecklistItem[]> {
    const { path, records, fields } = this.mapping.checklist;
    const answer = await this.send<unknown>({ method: 'GET', path, headers: {}, idempotent: true });
    return this.records(answer, records ?? this.mapping.paging.records, path).map((r) =>
      this.checked<MappedChecklistItem>(r, fields, path),
    );
  }

  /**
   * Writes one result back, its fields named as the mapping says; the idempotency key makes a repeat answer the record
   * already made.
   */
  async writeResult(row: ResultRow): Promise<{ created: boolean; recordId: string }> {
    const { path, idempotencyHeader, created, recordId, fields } = this.mapping.results;
    const payload = Object.fromEntries(
      Object.entries(fields).map(([upstream, ours]) => [
        upstream,
        (row as unknown as Record<string, unknown>)[ours] ?? null,
      ]),
    );
    const idempotencyKey = row.idempotencyKey;
    // Idempotent by its key: a timeout or 5xx is safely sent again.
    const answer = await this.send<unknown>({
      method: 'POST',
      path,
      headers: { [idempotencyHeader]: idempotencyKey },
      body: payload,
      idempotent: true,
    });
    const made = at(answer, created);
    const id = at(answer, recordId);
    if (typeof made !== 'boolean' || (typeof id !== 'string' && typeof id !== 'number'))
      throw this.breach(path, `its answer has no ${created} (true/false) and ${recordId}`);
    return { created: made, recordId: String(id) };
  }

  // ---- mapping -------------------------------------------------------------------------------

  private records(answer: unknown, where: string, path: string): unknown[] {
    const records = at(answer, where);
    if (!Array.isArray(records)) throw this.breach(path, `its answer has no list at ${where}`);
    return records;
  }

  private checked<T>(record: unknown, fields: Record<string, FieldSpec>, path: string): T {
    const { value, problems } = mapRecord(record, fields);
    if (problems.length)
      throw this.breach(
        path,
        `a record does not fit the mapping (${problems.join('; ')}): ${JSON.stringify(record).slice(0, 200)}`,
      );
    return value as T;
  }

  private target(record: unknown, fields: Record<string, FieldSpec>): MappedTarget {
    const t = this.checked<MappedTarget>(record, fields, this.mapping.targets.path);
    const wrong = [
      targetKeyProblem(String(t.id)) ? `id '${t.id}' ${targetKeyProblem(String(t.id))}` : null,
      t.uscc !== null && !isValidUscc(String(t.uscc)) ? `uscc '${t.uscc}' is not a valid USCC` : null,
      !REGION_CODE.test(String(t.regionCode)) ? `regionCode '${t.regionCode}' is not a 6-digit region code` : null,
      !CREDIT_LEVELS.has(t.creditLevel) ? `creditLevel '${t.creditLevel}'` : null,
      !RISK_LEVELS.has(t.riskLevel) ? `riskLevel '${t.riskLevel}'` : null,
    ].filter(Boolean);
    if (wrong.length)
      throw this.breach(this.mapping.targets.path, `target ${t.id} does not fit the contract: ${wrong.join('; ')}`);
    return {
      ...t,
      penaltiesLast3Years: Number(t.penaltiesLast3Years),
      verifiedComplaints: Number(t.verifiedComplaints),
    };
  }

  /** When a read of several pages started now must be done by. */
  private deadline(): { at: number; ms: number } {
    const ms = this.options.readDeadlineMs ?? 60_000;
    return { at: Date.now() + ms, ms };
  }

  /**
   * Rows [offset, offset + first) of a page-number-paged listing, read in the upstream's largest
   * pages; refused (DOWNSTREAM_SERVICE_ERROR) when the pages take longer than the deadline in all.
   */
  private async slice<T>(
    path: string,
    offset: number,
    first: number,
    query: Record<string, string>,
    map: (r: unknown) => T,
    deadline: { at: number; ms: number },
  ): Promise<{ rows: T[]; total: number; hasMore: boolean }> {
    const { pageParam, sizeParam, maxSize, records, total } = this.mapping.paging;
    const rows: T[] = [];
    let known = Infinity;
    let lastPageFull = false;
    for (let page = Math.floor(offset / maxSize); rows.length < first && page * maxSize < known; page++) {
      if (Date.now() > deadline.at) {
        throw new HubError(
          ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          `The ${this.department} system is too slow: reading ${path} took longer than ${deadline.ms / 1000} ` +
            `s in all (${rows.length} records in ${page - Math.floor(offset / maxSize)} pages so far). Try ` +
            `again later.`,
          {
            serviceName: this.department,
          },
        );
      }
      const answer = await this.send<unknown>({
        method: 'GET',
        path,
        query: { ...query, [pageParam]: page + 1, [sizeParam]: maxSize },
        headers: {},
        idempotent: true,
        deadline: deadline.at,
      });
      const list = this.records(answer, records, path);
      if (total) {
        known = Number(at(answer, total));
        if (!Number.isFinite(known)) throw this.breach(path, `its answer has no number at ${total}`);
      }
      const start = page === Math.floor(offset / maxSize) ? offset - page * maxSize : 0;
      rows.push(...list.slice(start, start + first - rows.length).map(map));
      lastPageFull = list.length >= maxSize;
      if (!lastPageFull) {
        known = Math.min(known, page * maxSize + list.length);
        break;
      }
    }
    // Without a total, a last page that came back full may have more after it.
    const all = Number.isFinite(known) ? known : offset + rows.length + (lastPageFull ? 1 : 0);
    return { rows, total: Number.isFinite(known) ? known : offset + rows.length, hasMore: offset + rows.length < all };
  }

  private async everyPage<T>(
    path: string,
    map: (r: unknown) => T,
    query: Record<string, string>,
    deadline: { at: number; ms: number },
  ): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; ;) {
      const page = await this.slice(path, offset, this.mapping.paging.maxSize, query, map, deadline);
      out.push(...page.rows);
      offset += page.rows.length;
      if (!page.hasMore || page.rows.length === 0) return out;
    }
  }

  private breach(path: string, what: string): HubError {
    return new HubError(
      ErrorCode.DOWNSTREAM_SERVICE_ERROR,
      `The ${this.department} system answered outside its connector mapping (${path}): ${what}. Nothing was ` +
        `stored; the mapping or the system needs fixing.`,
      { serviceName: this.department },
    );
  }
}
