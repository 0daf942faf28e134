import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../subgraphs/kernel/errors';
import type { GatewayContext } from './context';
import type { keptAliveFetcher } from '../subgraphs/kernel/http-client';

/**
 * How the gateway talks to a subgraph: it forwards the caller's token (each subgraph verifies it
 * itself and enforces what its own data allows, R30) and the request id, for tracing. A subgraph
 * that cannot be reached, or answers with an HTTP failure, becomes a DOWNSTREAM_SERVICE_ERROR
 * naming it (with the upstream status); the other subgraphs' data is still returned.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    fetcher: ReturnType<typeof keptAliveFetcher>,
  ) {
    // node:http on kept-alive sockets (kernel/http-client.ts), shared by every data source of a gateway.
    super({ url, fetcher: fetcher as never });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (!('authorization' in context)) return; // health checks and the gateway's own calls
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, fetchResponse?: { status: number }): void {
    const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
    // The subgraph's own refusals (401, 403) keep their meaning.
    if (code === ErrorCode.UNAUTHENTICATED || code === ErrorCode.FORBIDDEN) throw error;
    const status = fetchResponse?.status;
    throw new GraphQLError(
      `The ${this.subgraph} subgraph ${status ? `answered HTTP ${status}` : 'could not be reached'}; its data is missing from this answer, the other departments' data is not. Try again later.`,
      { extensions: { code: ErrorCode.DOWNSTREAM_SERVICE_ERROR, serviceName: this.subgraph, ...(status ? { upstreamStatus: status } : {}) } },
    );
  }
}
