import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { HubConfig } from '../subgraphs/kernel/config';
import type { TokenVerifier } from '../subgraphs/kernel/identity';
import type { Logger } from '../subgraphs/kernel/log';
import { accessTrace, createHttpApp, identifyRequest, listen, maskUnexpectedErrors } from '../subgraphs/kernel/server';
import { operationResolution } from '../subgraphs/kernel/operation-resolution';
import type { GatewayContext } from './context';
import { IdentityForwardingDataSource } from './datasource';
import { keptAliveFetcher } from '../subgraphs/kernel/http-client';
import { anonymousSchemaPrivacy, mutationRateLimit, operationLimits, tokenLimit } from './limits';
import { supergraphSource, type SupergraphSourceOptions, type SupergraphState } from './supergraph-source';
import { publicPage } from './public-page';
import { ErrorCode } from '../subgraphs/kernel/errors';

/** Where a gateway takes its supergraph from, by the configuration: a file when one is set, else the registry's store. */
export function gatewaySupergraph(config: Pick<HubConfig, 'db' | 'supergraph'>, startupWaitMs: number): SupergraphSourceOptions {
  if (config.supergraph.file) return { kind: 'file', file: config.supergraph.file, pollMs: config.supergraph.pollMs };
  return { kind: 'registry', db: config.db, cacheFile: config.supergraph.cacheFile, pollMs: config.supergraph.pollMs, startupWaitMs };
}

export interface GatewayOptions {
  /** Where the supergraph comes from: the registry's store (default) or a file. */
  supergraph: SupergraphSourceOptions;
  verifier: TokenVerifier;
  host: string;
  port: number;
  logger: Logger;
  /** Operation limits, body cap, mutation rate, production mode (the configuration's). */
  limits: HubConfig['limits'];
  /** The built public page (dist/web), served at `/`. */
  webDir: string;
}

export interface GatewayHandle {
  url: string;
  port: number;
  /** The supergraph being served, its registry version, and where it came from. */
  supergraph: SupergraphState;
  supergraphSdl: () => string;
  stop(): Promise<void>;
}

/**
 * The gateway: serves the supergraph the registry accepted (or a supergraph file), checks the
 * caller's identity and forwards it, and switches to a new version without a restart. GraphQL
 * is at `/graphql`; the public page and the dashboard (web/, built into dist/web) at `/`.
 */
export async function startGateway(options: GatewayOptions): Promise<GatewayHandle> {
  const state: SupergraphState = { current: null, origin: null, lastError: null };
  const fetcher = keptAliveFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSource(options.supergraph, options.logger, state),
    buildService: ({ name, url }) => new IdentityForwardingDataSource(name, url!, fetcher),
  });
  const { app, httpServer } = createHttpApp('gateway');
  const limits = operationLimits(options.limits);
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
    plugins: [operationResolution<GatewayContext>(), ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginCacheControlDisabled(), accessTrace<GatewayContext>('gateway', options.logger), ...limits.plugins, anonymousSchemaPrivacy(options.limits.production), mutationRateLimit(options.limits.mutationsPerMinute)],
  });
  await server.start();
  app.use(
    '/graphql',
    express.json({ limit: options.limits.maxBodyBytes }),
    tokenLimit(options.limits.maxTokens),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const authorization = req.headers.authorization ?? null;
        return { identity: await identifyRequest(options.verifier, authorization), authorization, requestId: randomUUID(), clientAddress: req.socket.remoteAddress ?? 'unknown' };
      },
    }),
  );
  // A body over the cap (or not JSON) is answered as GraphQL, with a code, before anything runs.
  app.use((error: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: `The request body is larger than the ${options.limits.maxBodyBytes} bytes allowed; send less at once.`, extensions: { code: ErrorCode.BAD_USER_INPUT, limit: options.limits.maxBodyBytes } }] });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
      return;
    }
    next(error);
  });
  app.use(publicPage(options.webDir, options.logger));
  const port = await listen(httpServer, options.host, options.port);
  const url = `http://${options.host}:${port}/graphql`;
  options.logger.info({ url }, 'gateway listening');
  return { url, port, supergraph: state, supergraphSdl: () => state.current?.supergraphSdl ?? '', stop: () => server.stop() };
}
