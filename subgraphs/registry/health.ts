import type { Logger } from '../../kernel/log';

export const HealthStatus = { UNKNOWN: 'UNKNOWN', UP: 'UP', DEGRADED: 'DEGRADED', DOWN: 'DOWN' } as const;
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

export interface SubgraphHealth {
  name: string;
  url: string;
  status: HealthStatus;
  /** When the status last changed. */
  since: Date;
  checkedAt: Date | null;
  latencyMs: number | null;
  /** Why it is DOWN or DEGRADED. */
  error: string | null;
  consecutiveFailures: number;
}

/**
 * Checks every registered subgraph on an interval with the smallest GraphQL request there is
 * (`{ __typename }`, which any GraphQL server answers without touching data) and keeps each
 * one's state: UP, DOWN (with the reason) or UNKNOWN before the first check. A subgraph that
 * answers but whose `/health` (beside `/graphql`) says it is degraded is DEGRADED, with the
 * reason it gives: a connector-backed department whose existing system is down (issue E). A
 * subgraph without `/health` (one not built on this code) is judged on `{ __typename }` alone. A
 * change of state is logged once. The gateway keeps serving the others.
 */
export class HealthMonitor {
  private readonly states = new Map<string, SubgraphHealth>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again: Promise<void> | null = null;

  private readonly timeoutMs: number;
  private readonly healthTimeoutMs: number;

  /**
   * @param timeouts how long `{ __typename }` and `/health` may take each (@default both the
   * interval, within 500 ms to 5 s); a probe that takes longer is DOWN, a `/health` DEGRADED.
   */
  constructor(
    private readonly subgraphs: () => Promise<Array<{ name: string; url: string }>>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    timeouts: { graphqlMs?: number; healthMs?: number } = {},
  ) {
    const byInterval = Math.min(5000, Math.max(500, intervalMs));
    this.timeoutMs = timeouts.graphqlMs ?? byInterval;
    this.healthTimeoutMs = timeouts.healthMs ?? byInterval;
  }

  start(): void {
    this.timer = setInterval(
      () => void this.checkNow().catch((error) => this.logger.error({ err: error }, 'health check failed')),
      this.intervalMs,
    );
    this.timer.unref();
    void this.checkNow().catch((error) => this.logger.error({ err: error }, 'health check failed'));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Checks every subgraph now, one round at a time; asked during a round, it runs one more round
   * after it (a subgraph registered meanwhile is checked at once, not at the next interval).
   */
  checkNow(): Promise<void> {
    if (this.running) {
      this.again ??= this.running.then(() => {
        this.again = null;
        return this.checkNow();
      });
      return this.again;
    }
    this.running = this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The state of every registered subgraph, by name. */
  async list(): Promise<SubgraphHealth[]> {
    const subgraphs = await this.subgraphs();
    return subgraphs.map((s) => {
      const state = this.states.get(s.name);
      return state && state.url === s.url
        ? state
        : {
            name: s.name,
            url: s.url,
            status: HealthStatus.UNKNOWN,
            since: new Date(),
            checkedAt: null,
            latencyMs: null,
            error: null,
            consecutiveFailures: 0,
          };
    });
  }

  private async round(): Promise<void> {
    const subgraphs = await this.subgraphs();
    const names = new Set(subgraphs.map((s) => s.name));
    for (const name of this.states.keys()) if (!names.has(name)) this.states.delete(name);
    await Promise.all(subgraphs.map((s) => this.probe(s.name, s.url)));
  }

  private async probe(name: string, url: string): Promise<void> {
    const started = Date.now();
    let error: string | null = null;
    let degraded: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        // A registered URL is probed where it is, never where it redirects to (JOINTCHECK_REGISTRY_ALLOWED_HOSTS).
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = (await response.json().catch(() => null)) as { data?: { __typename?: string } } | null;
      if (!response.ok) error = `HTTP ${response.status}`;
      else if (body?.data?.__typename !== 'Query') error = 'it did not answer { __typename } as a GraphQL server';
      else degraded = await this.degradation(url);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      error = cause
        ? `unreachable (${cause})`
        : (e as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (e as Error).message;
    }
    const now = new Date();
    const previous = this.states.get(name);
    const status = error ? HealthStatus.DOWN : degraded ? HealthStatus.DEGRADED : HealthStatus.UP;
    error ??= degraded;
    const changed = !previous || previous.status !== status || previous.url !== url;
    this.states.set(name, {
      name,
      url,
      status,
      since: changed ? now : previous.since,
      checkedAt: now,
      latencyMs: status === HealthStatus.DOWN ? null : Date.now() - started,
      error,
      consecutiveFailures: error ? (previous && !changed ? previous.consecutiveFailures : 0) + 1 : 0,
    });
    if (changed && previous) {
      if (status === HealthStatus.UP) this.logger.info({ subgraph: name, url }, 'subgraph is up again');
      else
        this.logger.warn(
          { subgraph: name, url, error },
          status === HealthStatus.DOWN ? 'subgraph is down' : 'subgraph is degraded',
        );
    }
  }

  /**
   * What the subgraph's own `/health` says is wrong, if it says so (503 with status `degraded`):
   * the reason a system it depends on gives, cut to 300 characters. A `/health` that does not
   * answer in time is wrong too. Anything else (no such endpoint, a page, a redirect, which is
   * never followed) is no news.
   */
  private async degradation(graphqlUrl: string): Promise<string | null> {
    const healthUrl = new URL(graphqlUrl);
    healthUrl.pathname = healthUrl.pathname.replace(/\/graphql\/?$/, '') + '/health';
    healthUrl.search = '';
    let response: Response;
    try {
      response = await fetch(healthUrl, { redirect: 'manual', signal: AbortSignal.timeout(this.healthTimeoutMs) });
    } catch (error) {
      return (error as Error).name === 'TimeoutError'
        ? `it answers, but its /health did not answer within ${this.healthTimeoutMs} ms`
        : null;
    }
    if (response.status !== 503) {
      await response.body?.cancel();
      return null;
    }
    const text = (await response.text().catch(() => '')).slice(0, 16_384);
    type Said = { status?: string; upstream?: { error?: unknown } } | null;
    let body: Said;
    try {
      body = JSON.parse(text) as Said;
    } catch {
      return null;
    }
    if (body?.status !== 'degraded') return null;
    const reason = typeof body.upstream?.error === 'string' ? body.upstream.error.slice(0, 300) : 'no reason given';
    return `it answers, but a system it depends on does not: ${reason}`;
  }
}
