import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { HubConfig } from '../kernel/config';
import { PUBLIC_IDENTITY, type Identity, type TokenIssuer, type TokenVerifier } from '../kernel/identity';
import { OidcVerifier, type OidcSettings } from './oidc';
import type { Logger } from '../kernel/log';
import { createHttpApp, verifyRequest, listen, maskUnexpectedErrors } from '../kernel/server';
import type { GatewayContext } from './context';
import { IdentityForwardingDataSource, subgraphCallMetrics } from './datasource';
import { METRIC, type ServiceMetrics } from '../kernel/metrics';
import { mountOperations, type OperationsSettings } from '../kernel/operations';
import { keptAliveFetcher } from '../kernel/http-client';
import { bodyErrors, requestBody } from '../kernel/limits';
import { operationLimits } from '../kernel/plugins/operation-limits';
import { gatewayPlugins } from './plugins';
import { MutationLimiter } from '../kernel/plugins/mutation-rate-limit';
import { evidenceProxy, jointUrlIn } from './evidence-proxy';
import { codedErrors, notFoundAsJson } from '../kernel/http-errors';
import {
  supergraphHealth,
  supergraphSource,
  type SupergraphSourceOptions,
  type SupergraphState,
} from './supergraph-source';
import express from 'express';
import { ErrorCode } from '../kernel/errors';
import { publicPage } from './public-page';
import { LocalLedger, RedisLedger } from './caller-ledger';

/**
 * Where a gateway takes its supergraph from, by the configuration: a file when one is set, else the registry's store.
 */
export function gatewaySupergraph(
  config: Pick<HubConfig, 'db' | 'supergraph'>,
  startupWaitMs: number,
): SupergraphSourceOptions {
  if (config.supergraph.file) return { kind: 'file', file: config.supergraph.file, pollMs: config.supergraph.pollMs };
  return {
    kind: 'registry',
    db: config.db,
    cacheFile: config.supergraph.cacheFile,
    pollMs: config.supergraph.pollMs,
    startupWaitMs,
  };
}

/**
 * The identity provider's settings when one is configured (JOINTCHECK_OIDC_ISSUER, or the quick start's development
 * provider).
 */
export function oidcOf(config: Pick<HubConfig, 'oidc'>): OidcSettings | null {
  const { issuer, clientId, audience, roleClaim, deptClaim, tokenType } = config.oidc;
  return issuer ? { issuer, clientId, audience, roleClaim, deptClaim, tokenType } : null;
}

export interface GatewayOptions {
  /** Where the supergraph comes from: the registry's store (default) or a file. */
  supergraph: SupergraphSourceOptions;
  /**
   * Verifies callers' tokens: the hub's audience only (tokens made for one service are refused
   * here). Null: a gateway alone without keys, which serves every caller as the public (H2).
   */
  verifier: TokenVerifier | null;
  /**
   * Signs the token forwarded to each subgraph on a caller's behalf, with the gateway's own key
   * (JOINTCHECK_GATEWAY_PRIVATE_KEY; never the hub's). Null: no identity is forwarded (H2).
   */
  signer: TokenIssuer | null;
  host: string;
  port: number;
  logger: Logger;
  /** Operation limits, body cap, mutation rate, production mode (the configuration's). */
  limits: HubConfig['limits'];
  /** The built public page (dist/web), served at `/`. */
  webDir: string;
  /** Proxies whose X-Forwarded-For names the caller (JOINTCHECK_TRUST_PROXY); none when absent. */
  trustProxy?: string | number | null;
  /**
   * Where officials sign in (issue I): the identity provider whose access tokens the gateway takes
   * beside the hub's own tokens (verified by its published keys); the page reads it from
   * `/auth/config.json`. Null: sign-in by the hub's tokens only.
   */
  oidc?: OidcSettings | null;
  /**
   * Issue J: the largest piece of evidence sent through `/evidence` (JOINTCHECK_MAX_EVIDENCE_BYTES); 10 MB when unset.
   */
  maxEvidenceBytes?: number;
  /**
   * Issue L: the configuration's credential for `/metrics`, Redis (where every gateway counts callers' limits
   * together) and traces (kernel/operations.ts); absent: none of them.
   */
  operations?: OperationsSettings;
}

export interface GatewayHandle {
  url: string;
  port: number;
  /** The supergraph being served, its registry version, and where it came from. */
  supergraph: SupergraphState;
  supergraphSdl: () => string;
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

/**
 * The gateway: serves the supergraph the registry accepted (or a supergraph file), checks the
 * caller's identity and forwards it, and switches to a new version without a restart. GraphQL
 * is at `/graphql`; the public page and the dashboard (web/, built into dist/web) at `/`.
 */
export async function startGateway(options: GatewayOptions): Promise<GatewayHandle> {
  const state: SupergraphState = { current: null, origin: null, lastError: null, rejected: null, file: null };
  const fetcher = keptAliveFetcher(options.limits.subgraphTimeoutMs);
  // H2: /health says which supergraph is served, and 503 while none is.
  const { app, httpServer } = createHttpApp('gateway', supergraphHealth(state));
  // Issue L: /metrics, the limits' Redis, traces.
  const ops = mountOperations(app, 'gateway', options.logger, options.operations);
  const { metrics, shared, tracing } = ops;
  const calls = subgraphCallMetrics(metrics);
  metrics.gauge(
    METRIC.supergraphServed,
    "The registry's version of the supergraph this gateway serves (0: none, or a file).",
    [],
    (g) => g.set(state.current?.number ?? 0),
  );
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSource(options.supergraph, options.logger, state),
    buildService: ({ name, url }) =>
      new IdentityForwardingDataSource(name, url!, fetcher, options.signer, calls, tracing),
  });
  // Where the joint service answers in the supergraph being served (the evidence proxy's), read again when it changes.
  let jointOf: { sdl: string; url: string | null } = { sdl: '', url: null };
  const jointUrl = () => {
    const sdl = state.current?.supergraphSdl ?? '';
    if (sdl !== jointOf.sdl) jointOf = { sdl, url: jointUrlIn(sdl) };
    return jointOf.url;
  };
  const oidc = options.oidc
    ? new OidcVerifier({ ...options.oidc, maxLifetimeSeconds: options.verifier?.maxLifetimeSeconds })
    : null;
  /** The caller: a token of the identity provider (an official signed in on the page), or one of the hub's own. */
  const identifyCaller = async (
    authorization: string | undefined,
  ): Promise<{ identity: Identity; expiresAt: number | null }> => {
    const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
    if (oidc && bearer && oidc.issued(bearer)) return oidc.verify(bearer);
    return options.verifier
      ? verifyRequest(options.verifier, authorization)
      : { identity: PUBLIC_IDENTITY, expiresAt: null };
  };
  // What the page needs to sign officials in (issue I): the provider, the page's client id, the resource to ask for.
  app.get('/auth/config.json', (_req, res) => {
    res.set('cache-control', 'no-store');
    res.json(
      options.oidc
        ? {
            issuer: options.oidc.issuer,
            clientId: options.oidc.clientId,
            resource: options.oidc.audience,
            scope: 'openid profile',
            roleClaim: options.oidc.roleClaim,
            deptClaim: options.oidc.deptClaim,
          }
        : { issuer: null },
    );
  });
  // Callers behind the operator's own proxies are told apart by X-Forwarded-For (their budget and limits, H2).
  if (options.trustProxy !== undefined && options.trustProxy !== null) app.set('trust proxy', options.trustProxy);
  const limits = operationLimits(options.limits);
  // Issue L: limits counted with the other gateways through Redis when it is configured.
  const ledger = shared ? new RedisLedger(shared, options.logger) : new LocalLedger();
  // One count of changes per caller: mutations and files sent through /evidence alike.
  const changes = new MutationLimiter(options.limits.mutationsPerMinute, shared);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Signed-in integrators introspect; anonymous callers in production do not (anonymousSchemaPrivacy).
    introspection: true,
    validationRules: limits.validationRules,
    formatError: maskUnexpectedErrors(options.logger),
    // No cache-control policy: answers are per caller and never cached by HTTP caches.
    // operationResolution first: no other plugin's didResolveOperation sees a document without its operation.
    plugins: gatewayPlugins({
      httpServer,
      logger: options.logger,
      limits: options.limits,
      armor: limits.plugins,
      changes,
      metrics,
      ledger,
      tracing,
    }),
  });
  // H2: listening while the first supergraph is awaited (the registry's, for up to startupWaitMs),
  // so that /health can say it serves none yet; /graphql answers UNAVAILABLE (503) until then.
  let started = false;
  const graphql = express.Router();
  graphql.use((_req, res, next) => {
    if (state.current && started) return next();
    res.status(503).json({
      errors: [
        {
          message: 'The gateway has no supergraph yet (see /health); try again shortly.',
          extensions: { code: ErrorCode.UNAVAILABLE, retryable: true },
        },
      ],
    });
  });
  app.use('/graphql', graphql);
  // Issue J: the joint service's evidence (photos, signatures, the hub's papers), with the gateway's checks.
  app.use(
    '/evidence',
    evidenceProxy({
      jointUrl,
      identifyCaller,
      signer: options.signer,
      changes,
      maxBytes: options.maxEvidenceBytes ?? 10 * 1024 * 1024,
      timeoutMs: options.limits.subgraphTimeoutMs,
    }),
  );
  // A body over the cap (or not JSON) is answered as GraphQL, with a code, before anything runs.
  app.use(bodyErrors(options.limits));
  app.use(
    publicPage(options.webDir, options.logger, {
      signInOrigin: options.oidc ? new URL(options.oidc.issuer).origin : null,
    }),
  );
  // H2: anything else is coded JSON too, never express's HTML page with a stack trace and paths.
  app.use(notFoundAsJson(), codedErrors(options.logger));
  const port = await listen(httpServer, options.host, options.port);
  try {
    await server.start();
  } catch (error) {
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
    await ledger.close();
    await ops.stop();
    throw error;
  }
  started = true;
  graphql.use(
    ...requestBody(options.limits),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const { identity, expiresAt } = await identifyCaller(req.headers.authorization);
        return {
          identity,
          tokenExpiresAt: expiresAt,
          requestId: randomUUID(),
          clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        };
      },
    }),
  );
  const url = `http://${options.host}:${port}/graphql`;
  options.logger.info({ url }, 'gateway listening');
  return {
    url,
    port,
    supergraph: state,
    supergraphSdl: () => state.current?.supergraphSdl ?? '',
    metrics,
    stop: async () => {
      await server.stop();
      await ledger.close();
      await ops.stop();
    },
  };
}
