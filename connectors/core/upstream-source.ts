import { ErrorCode, HubError } from '../../kernel/errors';

/** One request to a department's existing system. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below the base URL, e.g. `/api/v2/units`. */
  path: string;
  query?: Record<string, string | number | undefined | null>;
  headers: Record<string, string>;
  body?: unknown;
  /**
   * Whether sending it twice is harmless (reads; writes carrying an idempotency key). Only
   * these are retried after a timeout or a 5xx answer.
   */
  idempotent: boolean;
  /**
   * When the whole read this request belongs to must be done (ms since the epoch): no attempt
   * waits past it, and none starts after it.
   */
  deadline?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
}

export interface UpstreamSourceOptions {
  /** The department code the upstream serves (named in every error). */
  department: string;
  baseUrl: string;
  /** Per attempt, in ms: a request is never waited on longer. */
  timeoutMs?: number;
  /** Attempts after the first, for idempotent requests that time out or get 502/503/504/500. */
  retries?: number;
  /** First pause between attempts, in ms; doubled each time (a Retry-After answer is honoured up to 5 s). */
  backoffMs?: number;
  /** Where the upstream answers a health check (GET). */
  healthPath?: string;
}

export interface UpstreamHealth {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How a connector talks to a department's existing system, in the shape of Apollo's
 * `RemoteGraphQLDataSource` (STYLE.md habit 7): `willSendRequest` prepares a request (auth
 * headers), `didReceiveResponse` reads an answer, `errorFromResponse` turns an upstream failure
 * into a coded GraphQL error that keeps the upstream status, `didEncounterError` does the same for
 * a request that got no answer. Idempotent requests are retried within a bound after a timeout or
 * a 5xx answer; nothing is ever waited on longer than the timeout per attempt.
 */
export class UpstreamDataSource {
  readonly department: string;
  readonly baseUrl: string;
  protected readonly timeoutMs: number;
  protected readonly retries: number;
  protected readonly backoffMs: number;
  protected readonly healthPath: string;

  constructor(options: UpstreamSourceOptions) {
    this.department = options.department;
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 200;
    this.healthPath = options.healthPath ?? '/health';
  }

  /** Prepares a request before each attempt (e.g. adds the upstream's auth header). */
  willSendRequest(_request: UpstreamRequest): void | Promise<void> {}

  /** Reads a successful answer; the default returns its JSON body. */
  didReceiveResponse(response: UpstreamResponse, _request: UpstreamRequest): unknown {
    return response.body;
  }

  /**
   * An upstream answer that is not a success, as a coded error. The upstream's own refusals of
   * the input keep their meaning (400/422 BAD_USER_INPUT, 404 NOT_FOUND, 409 CONFLICT); 401/403
   * mean the hub's credentials for the upstream are wrong (an operator's matter, not the
   * caller's); the rest is DOWNSTREAM_SERVICE_ERROR. Every error names the department and keeps
   * `upstreamStatus`.
   */
  errorFromResponse(response: UpstreamResponse, request: UpstreamRequest): HubError {
    const said = upstreamMessage(response.body);
    const detail = { serviceName: this.department, upstreamStatus: response.status };
    const where = `${request.method} ${request.path}`;
    switch (response.status) {
      case 400:
      case 422:
        return new HubError(
          ErrorCode.BAD_USER_INPUT,
          `The ${this.department} system refused the input (${where}): ${said}`,
          detail,
        );
      case 404:
        return new HubError(
          ErrorCode.NOT_FOUND,
          `The ${this.department} system has no such record (${where})${said ? `: ${said}` : ''}.`,
          detail,
        );
      case 409:
        return new HubError(
          ErrorCode.CONFLICT,
          `The ${this.department} system answered a conflict (${where}): ${said}`,
          detail,
        );
      case 401:
      case 403:
        return new HubError(
          ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          `The ${this.department} system refused the hub's credentials (HTTP ${response.status}); the hub's ` +
            `operator must check the connector's key. Nothing was changed.`,
          detail,
        );
      default:
        return new HubError(
          ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          `The ${this.department} system answered HTTP ${response.status} ` +
            `(${where})${said ? `: ${said}` : ''}. Try again later.`,
          detail,
        );
    }
  }

  /** A request that got no answer (refused connection, timeout), as a coded error. */
  didEncounterError(error: Error, request: UpstreamRequest, waitedMs = this.timeoutMs): HubError {
    const cause =
      error.name === 'TimeoutError'
        ? `no answer within ${waitedMs} ms`
        : ((error as { cause?: { code?: string } }).cause?.code ?? error.message);
    return new HubError(
      ErrorCode.DOWNSTREAM_SERVICE_ERROR,
      `The ${this.department} system could not be reached (${request.method} ${request.path}: ${cause}). Try ` +
        `again later.`,
      { serviceName: this.department },
    );
  }

  /** Sends a request, with the bounded retries; resolves with `didReceiveResponse`'s value or throws a coded error. */
  async send<T>(request: UpstreamRequest): Promise<T> {
    let pause = this.backoffMs;
    const left = () => (request.deadline === undefined ? Infinity : request.deadline - Date.now());
    for (let attempt = 0; ; attempt++) {
      if (left() <= 0) throw this.pastDeadline(request);
      const prepared: UpstreamRequest = { ...request, headers: { ...request.headers } };
      await this.willSendRequest(prepared);
      let response: UpstreamResponse;
      const waitMs = Math.max(1, Math.min(this.timeoutMs, left()));
      try {
        response = await this.fetchOnce(prepared, waitMs);
      } catch (error) {
        if (waitMs < this.timeoutMs && (error as Error).name === 'TimeoutError') throw this.pastDeadline(request);
        if (!request.idempotent || attempt >= this.retries || pause >= left())
          throw this.didEncounterError(error as Error, prepared, waitMs);
        await sleep(pause);
        pause *= 2;
        continue;
      }
      if (response.status >= 200 && response.status < 300)
        return (await this.didReceiveResponse(response, prepared)) as T;
      if (request.idempotent && RETRYABLE_STATUS.has(response.status) && attempt < this.retries) {
        const retryAfter = Number(response.headers.get('retry-after'));
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : pause;
        if (wait < left()) {
          await sleep(wait);
          pause *= 2;
          continue;
        }
      }
      throw this.errorFromResponse(response, prepared);
    }
  }

  /** The read a request belongs to ran out of time (its `deadline`). */
  private pastDeadline(request: UpstreamRequest): HubError {
    return new HubError(
      ErrorCode.DOWNSTREAM_SERVICE_ERROR,
      `The ${this.department} system is too slow: the read that needed ${request.method} ${request.path} ran ` +
        `past its deadline. Try again later.`,
      { serviceName: this.department },
    );
  }

  /** GET of the health path: whether the upstream answers, how fast, and why not. */
  async healthCheck(): Promise<UpstreamHealth> {
    const started = Date.now();
    const request: UpstreamRequest = { method: 'GET', path: this.healthPath, headers: {}, idempotent: true };
    try {
      await this.willSendRequest(request);
      const response = await this.fetchOnce(request, this.timeoutMs);
      const ok = response.status >= 200 && response.status < 300;
      return {
        ok,
        status: response.status,
        latencyMs: Date.now() - started,
        error: ok ? null : `HTTP ${response.status}`,
      };
    } catch (error) {
      return {
        ok: false,
        status: null,
        latencyMs: Date.now() - started,
        error: this.didEncounterError(error as Error, request).message,
      };
    }
  }

  private async fetchOnce(request: UpstreamRequest, timeoutMs: number): Promise<UpstreamResponse> {
    const url = new URL(this.baseUrl + request.path);
    for (const [k, v] of Object.entries(request.query ?? {}))
      if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const response = await fetch(url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, headers: response.headers, body };
  }
}

/** The upstream's own words about a failure, when it gave any (`message`, `error`, `msg`), cut to 300 characters. */
function upstreamMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const said = o.message ?? o.error ?? o.msg;
    if (typeof said === 'string') return said.slice(0, 300);
  }
  return '';
}
