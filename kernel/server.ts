import { accessTrace } from './plugins/access-trace';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { RequestContext } from './context';
import { isTransientDatabaseError, type ServiceDatabase } from './datasource';
import { ErrorCode } from './errors';
import { FORWARDED_PUBLIC_HEADER, PUBLIC_IDENTITY, Role, type Identity, type TokenVerifier } from './identity';
import type { Logger } from './log';
import { operationResolution } from './plugins/operation-resolution';
import { codedErrors, notFoundAsJson } from './http-errors';
import { bodyErrors, requestBody, type RequestLimits } from './limits';
import { HUB_SERVICES_EXEMPT, MutationLimiter, mutationRateLimit } from './plugins/mutation-rate-limit';
import { operationLimits } from './plugins/operation-limits';
import { requestMetrics } from './plugins/request-metrics';
import type { ServiceMetrics } from './metrics';
import { mountOperations, type OperationsSettings } from './operations';
import type { ServiceTracing } from './tracing';
import { requestTracing } from './plugins/request-tracing';

/** A running service: where it listens, how many GraphQL requests it served, its metrics, how to stop it. */
export interface ServiceHandle {
  name: string;
  url: string;
  port: number;
  stats: { requests: number };
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

export interface ServeOptions<C extends RequestContext> {
  name: string;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  /** Adds the service's own per-request scope (loaders, repositories) to the request context. */
  context: (base: RequestContext) => C;
  host: string;
  port: number;
  logger: Logger;
  plugins?: ApolloServerPlugin<C>[];
  /** What `/health` checks besides the service answering (a connector's existing system). */
  health?: HealthProbe;
  /** The configuration's request limits (H2: a service called directly applies the gateway's). */
  limits: RequestLimits;
  /**
   * Routes of the service's own outside GraphQL (the joint service's evidence, issue J), mounted
   * before the coded 404. They are given how this service knows its callers (its own audience, as
   * for GraphQL) and the service's count of changes per caller (the mutation limit's).
   */
  routes?: (app: express.Express, tools: ServiceRouteTools) => void;
  /** Issue L: the configuration's credential for `/metrics`, Redis and traces (kernel/operations.ts). */
  operations?: OperationsSettings;
  /** Issue L: the service's metrics and traces when it made them before serving (the joint service's deliverer). */
  metrics?: ServiceMetrics;
  tracing?: ServiceTracing | null;
}

/** What a service's own routes share with its GraphQL endpoint (ServeOptions.routes). */
export interface ServiceRouteTools {
  /** The caller of a request, as GraphQL's context has it: a token for this service only (H2), or the public. */
  caller(req: express.Request): Promise<{ identity: Identity; viaGateway: boolean; clientAddress: string }>;
  /** The same count of changes per caller as the service's mutations. */
  changes: MutationLimiter;
}

/**
 * Client-facing errors are GraphQLErrors with a code (STYLE.md habit 6). Anything else is a
 * bug: it is logged with the request id and the client gets a generic message with that id.
 * H2: at the gateway, an error a subgraph answered (the gateway builds a GraphQLError from the
 * subgraph's error object, with `extensions.serviceName`; its original is that plain object) is
 * the subgraph's to word, as stock Apollo Gateway passes it on: its message, code and
 * serviceName are kept, and only a stack trace it may carry is dropped. Only the gateway's own
 * unexpected errors (and a service's own) are masked.
 */
export function maskUnexpectedErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (typeof formatted.extensions?.serviceName === 'string') return withoutStackTrace(formatted);
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError || formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR)
      return formatted;
    if (isTransientDatabaseError(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database fault; the request was rolled back');
      return {
        message:
          'A passing database fault (a dropped connection, or a lock conflict with another request at the ' +
          'same moment) interrupted this request: its transaction did not complete, so nothing of it was ' +
          'stored. Send it again.',
        path: formatted.path,
        extensions: { code: ErrorCode.UNAVAILABLE, retryable: true },
      };
    }
    const reference = randomUUID();
    logger.error({ err: original, reference, path: formatted.path }, 'unexpected error');
    return {
      message:
        `Internal error (reference ${reference}); nothing was changed by the failed part. Try again or report ` +
        `the reference.`,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reference },
    };
  };
}

/** H2: a subgraph's error as it answered it, less any stack trace (`stacktrace`, `exception`) it sent. */
function withoutStackTrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions!;
  if (!('stacktrace' in extensions) && !('exception' in extensions)) return formatted;
  const { stacktrace: _stacktrace, exception: _exception, ...kept } = extensions;
  return { ...formatted, extensions: kept };
}

/**
 * The identity of an HTTP request from its `Authorization` header, when its token expires (seconds;
 * null for the public: the gateway forwards no token that outlives it) and whether the gateway sent
 * it. A bad or expired token is an UNAUTHENTICATED error with HTTP status 401; no header is the public.
 */
export async function verifyRequest(
  verifier: TokenVerifier,
  authorization: string | undefined | null,
): Promise<{ identity: Identity; expiresAt: number | null; viaGateway: boolean }> {
  try {
    return await verifier.verify(authorization);
  } catch (error) {
    if (error instanceof GraphQLError)
      throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
    throw error;
  }
}

/**
 * Who calls a service: the token in `Authorization`; without one, the public, forwarded by the
 * gateway when FORWARDED_PUBLIC_HEADER holds a token the gateway signed for this service with the
 * role PUBLIC (H2: the gateway applied its limits to that caller). That header carries the public
 * only: any other identity in it is refused.
 */
export async function callerOf(
  verifier: TokenVerifier,
  authorization: string | undefined,
  forwardedPublic: string | string[] | undefined,
): Promise<{ identity: Identity; viaGateway: boolean }> {
  if (authorization || typeof forwardedPublic !== 'string' || !forwardedPublic)
    return verifyRequest(verifier, authorization);
  const { identity, viaGateway } = await verifyRequest(verifier, `Bearer ${forwardedPublic}`);
  if (identity.role !== Role.PUBLIC || !viaGateway) {
    throw new GraphQLError(
      `The ${FORWARDED_PUBLIC_HEADER} header carries the public only, as the gateway sends it; send a token ` +
        `in Authorization.`,
      { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } },
    );
  }
  return { identity: PUBLIC_IDENTITY, viaGateway };
}

/**
 * What `/health` reports beyond the service itself answering: a system it depends on (not ok:
 * 503, `degraded` unless the probe names another status; the gateway says `unavailable` while it
 * serves no supergraph, H2).
 */
export type HealthProbe = () => Promise<{ ok: boolean; status?: string; detail: Record<string, unknown> }>;

/** An express app on an HTTP server with `/health`; returns the server, not yet listening. */
export function createHttpApp(
  service: string,
  health?: HealthProbe,
): { app: express.Express; httpServer: http.Server } {
  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are per caller and never revalidated: no ETag hashed over every body.
  app.set('etag', false);
  app.get('/health', (_req, res, next) => {
    if (!health) return void res.json({ status: 'ok', service });
    // A service that depends on another system (a connector's) is degraded while that one is down.
    health().then(
      (probe) =>
        void res
          .status(probe.ok ? 200 : 503)
          .json({ status: probe.status ?? (probe.ok ? 'ok' : 'degraded'), service, ...probe.detail }),
      next,
    );
  });
  const httpServer = http.createServer(app);
  // Idle keep-alive connections stay open longer than clients keep them (undici's fetch: 4 s), so a
  // client never sends on a socket the server is closing (ECONNRESET on a request in flight).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  return { app, httpServer };
}

/** Starts listening; resolves with the bound port (port 0 takes a free one). */
export async function listen(httpServer: http.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  return (httpServer.address() as AddressInfo).port;
}

/** A service and the database it owns. */
export interface ServiceWithDatabase extends ServiceHandle {
  database: ServiceDatabase;
}

/**
 * Starts a service on its own database: `serve` gets the open database; if it fails the database
 * is closed. The handle's stop is idempotent (a test may stop one service, then the whole hub) and
 * closes the server before the database.
 */
export async function serveOnDatabase<H extends ServiceHandle>(
  database: ServiceDatabase,
  serve: () => Promise<H>,
): Promise<H & { database: ServiceDatabase }> {
  let handle: H;
  try {
    handle = await serve();
  } catch (error) {
    await database.dataSource.destroy();
    throw error;
  }
  // Issue L: its database pool's use, among the service's metrics.
  handle.metrics.watchDatabase(database.dataSource);
  let stopped: Promise<void> | undefined;
  return {
    ...handle,
    database,
    stop: () =>
      (stopped ??= (async () => {
        await handle.stop();
        await database.dataSource.destroy();
      })()),
  };
}

/** Stops cleanly on SIGTERM (containers) and SIGINT (Ctrl-C). */
export function stopOnSignals(stop: () => Promise<void>): void {
  const handler = () => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

/**
 * Serves a GraphQL schema over HTTP: `/graphql` for operations, `/health` for probes. The
 * caller's identity is verified from the `Authorization` header on every request: a token for
 * this service's audience alone (the gateway forwards one it signs for this service on the
 * caller's behalf, H2); no header means the public.
 */
export async function serveGraphQL<C extends RequestContext>(options: ServeOptions<C>): Promise<ServiceHandle> {
  const { app, httpServer } = createHttpApp(options.name, options.health);
  const stats = { requests: 0 };
  const ops = mountOperations(app, options.name, options.logger, options.operations, options);
  const { metrics, tracing } = ops;
  // H2: a service accepts only tokens meant for it (its own audience), whoever sends them.
  const verifier = options.verifier.forService(options.name);
  // H2: a service called directly on its own port answers as the gateway does: the same body cap,
  // token, depth, alias, directive and cost limits, the same mutation rate per caller (but for the
  // hub's own services, which the limit would only slow down), the same coded JSON errors.
  const limits = operationLimits<C>(options.limits);
  const changes = new MutationLimiter(options.limits.mutationsPerMinute, ops.shared);
  const server = new ApolloServer<C>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(options.logger),
    validationRules: limits.validationRules,
    // No Apollo Studio: federated inline traces would only cost time. No cache-control hints
    // either (nothing is cached by HTTP caches): the plugin wraps every field's resolver.
    // operationResolution first: no other plugin's didResolveOperation sees a document without its operation.
    plugins: [
      operationResolution<C>(),
      ...(tracing ? [requestTracing<C>(tracing)] : []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      accessTrace<C>(options.name, options.logger),
      requestMetrics<C>(metrics),
      ...limits.plugins,
      mutationRateLimit<C>(changes, HUB_SERVICES_EXEMPT),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();
  app.use(
    '/graphql',
    (req, _res, next) => {
      if (req.method === 'POST') stats.requests++;
      next();
    },
    ...requestBody(options.limits),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const header = req.headers['x-request-id'];
        const requestId = typeof header === 'string' && header.length <= 100 ? header : randomUUID();
        // The public through the gateway comes without Authorization, with the gateway's header (H2).
        const { identity, viaGateway } = await callerOf(
          verifier,
          req.headers.authorization,
          req.headers[FORWARDED_PUBLIC_HEADER],
        );
        return options.context({
          identity,
          viaGateway,
          requestId,
          clientAddress: req.socket.remoteAddress ?? 'unknown',
        });
      },
    }),
  );
  options.routes?.(app, {
    changes,
    caller: async (req) => ({
      ...(await callerOf(verifier, req.headers.authorization, req.headers[FORWARDED_PUBLIC_HEADER])),
      clientAddress: req.socket.remoteAddress ?? 'unknown',
    }),
  });
  app.use(bodyErrors(options.limits), notFoundAsJson(), codedErrors(options.logger));
  const port = await listen(httpServer, options.host, options.port);
  const url = `http://${options.host}:${port}/graphql`;
  options.logger.info({ url }, `${options.name} listening`);
  return {
    name: options.name,
    url,
    port,
    stats,
    metrics,
    stop: async () => {
      await server.stop();
      await ops.stop();
    },
  };
}
