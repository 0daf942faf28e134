import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { RequestContext } from './context';
import { ErrorCode } from './errors';
import type { TokenVerifier } from './identity';
import type { Logger } from './log';

/** A running service: where it listens, how many GraphQL requests it served, how to stop it. */
export interface ServiceHandle {
  name: string;
  url: string;
  port: number;
  stats: { requests: number };
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
}

/**
 * Client-facing errors are GraphQLErrors with a code (STYLE.md habit 6). Anything else is a
 * bug: it is logged with the request id and the client gets a generic message with that id.
 */
export function maskUnexpectedErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError || formatted.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
    const reference = randomUUID();
    logger.error({ err: original, reference, path: formatted.path }, 'unexpected error');
    return { message: `Internal error (reference ${reference}); nothing was changed by the failed part. Try again or report the reference.`, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reference } };
  };
}

/**
 * Serves a GraphQL schema over HTTP: `/graphql` for operations, `/health` for probes. The
 * caller's identity is verified from the `Authorization` header on every request (the gateway
 * forwards the caller's token; no header means the public).
 */
export async function serveGraphQL<C extends RequestContext>(options: ServeOptions<C>): Promise<ServiceHandle> {
  const app = express();
  const httpServer = http.createServer(app);
  const stats = { requests: 0 };
  const server = new ApolloServer<C>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(options.logger),
    // No Apollo Studio: federated inline traces would only cost time.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled(), ...(options.plugins ?? [])],
  });
  await server.start();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.use(
    '/graphql',
    (req, _res, next) => {
      if (req.method === 'POST') stats.requests++;
      next();
    },
    express.json({ limit: '2mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const header = req.headers['x-request-id'];
        const requestId = typeof header === 'string' && header.length <= 100 ? header : randomUUID();
        let identity;
        try {
          identity = await options.verifier.identify(req.headers.authorization);
        } catch (error) {
          if (error instanceof GraphQLError) {
            throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
          }
          throw error;
        }
        return options.context({ identity, requestId });
      },
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${options.host}:${port}/graphql`;
  options.logger.info({ url }, `${options.name} listening`);
  return {
    name: options.name,
    url,
    port,
    stats,
    stop: async () => {
      await server.stop();
    },
  };
}
