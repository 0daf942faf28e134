import { randomUUID } from 'node:crypto';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { TokenVerifier } from '../subgraphs/kernel/identity';
import type { Logger } from '../subgraphs/kernel/log';
import { createHttpApp, identifyRequest, listen, maskUnexpectedErrors } from '../subgraphs/kernel/server';
import { composeSupergraph, fetchSubgraphSdl } from './compose';
import type { GatewayContext } from './context';
import { IdentityForwardingDataSource } from './datasource';

export interface GatewayOptions {
  subgraphs: Array<{ name: string; url: string }>;
  verifier: TokenVerifier;
  host: string;
  port: number;
  logger: Logger;
  /** How long to keep trying to reach the subgraphs at start (containers start in any order). */
  startupWaitMs?: number;
}

export interface GatewayHandle {
  url: string;
  port: number;
  supergraphSdl: () => string;
  stop(): Promise<void>;
}

async function retryUntil<T>(deadline: number, logger: Logger, attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      logger.warn({ err: error }, 'subgraphs not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * The gateway: composes the subgraphs into a supergraph, checks the caller's identity, and
 * serves the supergraph at `/graphql` (`/` is left for the public page). Subgraphs are read
 * from a static list here; the registry (issue C) replaces that list.
 */
export async function startGateway(options: GatewayOptions): Promise<GatewayHandle> {
  let current = '';
  const gateway = new ApolloGateway({
    supergraphSdl: async () => {
      const sources = await retryUntil(Date.now() + (options.startupWaitMs ?? 0), options.logger, () =>
        Promise.all(options.subgraphs.map(async (s) => ({ ...s, sdl: await fetchSubgraphSdl(s.url) }))),
      );
      const composed = composeSupergraph(sources);
      if ('errors' in composed) throw new Error(`The subgraphs do not compose:\n- ${composed.errors.join('\n- ')}`);
      current = composed.supergraphSdl;
      return { supergraphSdl: current };
    },
    buildService: ({ name, url }) => new IdentityForwardingDataSource(name, url!),
  });
  const { app, httpServer } = createHttpApp('gateway');
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors(options.logger),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await server.start();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const authorization = req.headers.authorization ?? null;
        return { identity: await identifyRequest(options.verifier, authorization), authorization, requestId: randomUUID() };
      },
    }),
  );
  const port = await listen(httpServer, options.host, options.port);
  const url = `http://${options.host}:${port}/graphql`;
  options.logger.info({ url }, 'gateway listening');
  return { url, port, supergraphSdl: () => current, stop: () => server.stop() };
}
