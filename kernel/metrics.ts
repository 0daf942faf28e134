import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ErrorCode } from './errors';

/**
 * Issue L: what every service tells Prometheus at `/metrics`. Each service has its own registry
 * (prom-client's default one is global, and the quick start and the tests run every service in one
 * process), with the label `service` on every series. The names are the contract with
 * ops/grafana-dashboard.json and ops/prometheus-alerts.yml; test/ops checks them against what the
 * services expose.
 */
export const METRIC = {
  httpResponses: 'jointcheck_http_responses_total',
  requests: 'jointcheck_graphql_requests_total',
  errors: 'jointcheck_graphql_errors_total',
  duration: 'jointcheck_graphql_request_duration_seconds',
  subgraphRequests: 'jointcheck_gateway_subgraph_requests_total',
  subgraphDuration: 'jointcheck_gateway_subgraph_request_duration_seconds',
  supergraphServed: 'jointcheck_gateway_supergraph_version',
  outboxPending: 'jointcheck_outbox_pending',
  outboxOldestAge: 'jointcheck_outbox_oldest_pending_age_seconds',
  deliveries: 'jointcheck_deliveries_total',
  drawDuration: 'jointcheck_draw_duration_seconds',
  snapshotDuration: 'jointcheck_snapshot_duration_seconds',
  registryVersion: 'jointcheck_registry_supergraph_version',
  subgraphStatus: 'jointcheck_registry_subgraph_status',
  calendarProvisional: 'jointcheck_calendar_year_provisional',
  dbPool: 'jointcheck_db_pool_connections',
  dbPoolLimit: 'jointcheck_db_pool_limit',
  limitStore: 'jointcheck_limit_store_shared',
  limitStoreFallbacks: 'jointcheck_limit_store_fallbacks_total',
} as const;

let processWide: Registry | null = null;
/**
 * Node's own metrics, once per process (the quick start runs every service in one): each service's
 * `/metrics` adds them after its own.
 */
function processRegistry(): Registry {
  if (!processWide) {
    processWide = new Registry();
    collectDefaultMetrics({ register: processWide });
  }
  return processWide;
}

/** Latency buckets (seconds): a request of a few ms to a draw of a minute. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The most operation names one service labels; names past it are counted as `other` (clients choose names). */
export const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** One service's metrics: the request series every service has, and a place for its own. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpResponses: Counter<'route' | 'status'>;
  readonly requests: Counter<'operation' | 'type'>;
  readonly errors: Counter<'code'>;
  readonly duration: Histogram<'operation' | 'type'>;
  private readonly operations = new Set<string>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    this.httpResponses = this.counter(
      METRIC.httpResponses,
      'HTTP answers by route (/graphql, /evidence, ...) and status, refusals before GraphQL included (401, 413, ' +
        '429, 503).',
      ['route', 'status'],
    );
    this.requests = this.counter(METRIC.requests, 'GraphQL operations run, by operation name and type.', [
      'operation',
      'type',
    ]);
    this.errors = this.counter(
      METRIC.errors,
      'GraphQL operations answered with errors, by code (an operation counts once per code it got).',
      ['code'],
    );
    this.duration = this.histogram(METRIC.duration, 'Time from a GraphQL request to its answer, in seconds.', [
      'operation',
      'type',
    ]);
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = SECONDS,
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge; `collect` (if given) sets its values each time Prometheus asks (a count read from the database). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: (gauge: Gauge<L>) => Promise<void> | void,
  ): Gauge<L> {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect
        ? {
            async collect(this: Gauge<L>) {
              await collect(this);
            },
          }
        : {}),
    });
  }

  /**
   * The label of an operation's name: its name when it is a plain GraphQL name and among the first
   * MAX_OPERATION_LABELS seen, `other` past them, `anonymous` without one. Callers choose names, and
   * every label value is a series Prometheus keeps.
   */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (!OPERATION_NAME.test(name) || this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(name);
    return name;
  }

  /** The label of an error code: the hub's and Apollo's codes as they are, anything else `OTHER`. */
  codeLabel(code: unknown): string {
    return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER';
  }

  /** The text Prometheus reads: the service's series, then its process's (CPU, memory, event loop lag, GC). */
  async text(): Promise<string> {
    return `${await this.registry.metrics()}\n${await processRegistry().metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Database pool use: connections in use, idle and requests waiting (MySQL's pool; SQLite is one connection). */
  watchDatabase(dataSource: DataSource): void {
    this.gauge(METRIC.dbPool, 'Database connections by state (in_use, idle, waiting for one).', ['state'], (g) => {
      const use = poolUse(dataSource);
      g.set({ state: 'in_use' }, use.inUse);
      g.set({ state: 'idle' }, use.idle);
      g.set({ state: 'waiting' }, use.waiting);
    });
    this.gauge(METRIC.dbPoolLimit, 'The most database connections the pool opens.', [], (g) => {
      g.set(poolUse(dataSource).limit);
    });
  }
}

/** What a database pool holds now. mysql2 keeps its counts in fields of its own (no API gives them). */
export function poolUse(dataSource: DataSource): { inUse: number; idle: number; waiting: number; limit: number } {
  if (!dataSource.isInitialized) return { inUse: 0, idle: 0, waiting: 0, limit: 0 };
  const pool = (dataSource.driver as { pool?: MysqlPoolInternals }).pool;
  if (!pool?._allConnections) return { inUse: 0, idle: 1, waiting: 0, limit: 1 }; // SQLite: one connection, kept open
  const all = pool._allConnections.length;
  const idle = pool._freeConnections.length;
  return {
    inUse: all - idle,
    idle,
    waiting: pool._connectionQueue.length,
    limit: pool.config?.connectionLimit ?? 0,
  };
}

interface MysqlPoolInternals {
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
  config?: { connectionLimit?: number };
}

/** The routes counted by name; any other path is `other` (a scanner's paths would be a series each). */
const ROUTES = new Set(['/graphql', '/evidence', '/auth', '/']);

/**
 * Counts every HTTP answer by route and status, whatever answered it (GraphQL, a limit, a 401, the
 * 404 of a path nothing serves). Mounted after `/health` and `/metrics`, which it leaves out.
 */
export function countResponses(metrics: ServiceMetrics): express.RequestHandler {
  return (req, res, next) => {
    const first = `/${req.path.split('/')[1] ?? ''}`;
    const route = ROUTES.has(first) ? first : 'other';
    res.once('finish', () => metrics.httpResponses.inc({ route, status: String(res.statusCode) }));
    next();
  };
}

/** The operator's credential for `/metrics` (JOINTCHECK_METRICS_TOKEN_FILE): read from its file when it changes. */
export class MetricsCredential {
  private seen: { mtimeMs: number; size: number; digest: Buffer | null } | null = null;

  constructor(readonly file: string | null) {}

  /** The SHA-256 of the credential, or null when none is set (no file, or an empty one). */
  private digest(): Buffer | null {
    if (!this.file) return null;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return null;
    }
    if (this.seen && this.seen.mtimeMs === stat.mtimeMs && this.seen.size === stat.size) return this.seen.digest;
    const secret = fs.readFileSync(this.file, 'utf8').trim();
    const digest = secret.length >= MIN_METRICS_TOKEN_LENGTH ? sha256(secret) : null;
    this.seen = { mtimeMs: stat.mtimeMs, size: stat.size, digest };
    return digest;
  }

  /** Whether `authorization` (`Bearer <credential>`) carries it; null when no credential is set at all. */
  accepts(authorization: string | undefined): boolean | null {
    const expected = this.digest();
    if (!expected) return null;
    const given = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
    return given !== undefined && timingSafeEqual(sha256(given), expected);
  }
}

/** The shortest operator credential accepted: a guessable one would open the metrics to anyone. */
export const MIN_METRICS_TOKEN_LENGTH = 24;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * `/metrics`: for the operator only (issue L). It names how many requests each official's
 * department makes and when, so anyone else gets a coded refusal: UNAUTHENTICATED (401) without
 * the credential or with a wrong one, FORBIDDEN (403) when the service has no credential set.
 */
export function metricsRoute(metrics: ServiceMetrics, credential: MetricsCredential): express.RequestHandler {
  return (req, res, next) => {
    const accepted = credential.accepts(req.headers.authorization);
    const refuse = (status: number, code: string, message: string) =>
      void res.status(status).json({ errors: [{ message, extensions: { code } }] });
    if (accepted === null)
      return refuse(
        403,
        ErrorCode.FORBIDDEN,
        `Metrics are for the operator, and this service has no operator credential: write one of at least ` +
          `${MIN_METRICS_TOKEN_LENGTH} characters to ${credential.file ?? 'a file'} (JOINTCHECK_METRICS_TOKEN_FILE) ` +
          `and send it as 'Authorization: Bearer <credential>'.`,
      );
    if (!accepted) {
      res.set('www-authenticate', 'Bearer realm="metrics"');
      return refuse(
        401,
        ErrorCode.UNAUTHENTICATED,
        "Metrics are for the operator: send the operator's credential (JOINTCHECK_METRICS_TOKEN_FILE) as " +
          "'Authorization: Bearer <credential>'.",
      );
    }
    metrics.text().then((text) => {
      res.set('content-type', metrics.contentType);
      res.set('cache-control', 'no-store');
      res.send(text);
    }, next);
  };
}

/** The quick start's operator credential: made on first start under the data dir, like its dev keys. */
export function ensureDevMetricsToken(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
}
