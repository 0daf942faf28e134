import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ErrorCode } from '../kernel/errors';
import {
  FORWARDED_PUBLIC_HEADER,
  FORWARDED_TOKEN_SECONDS,
  Role,
  type Identity,
  type TokenIssuer,
} from '../kernel/identity';
import type { GatewayContext } from './context';
import type { keptAliveFetcher, SubgraphResponse } from '../kernel/http-client';
import { SubgraphTimeoutError } from '../kernel/http-client';
import { METRIC, type ServiceMetrics } from '../kernel/metrics';
import type { Counter, Histogram } from 'prom-client';
import { SpanKind, SpanStatusCode, traceHeaders, type ServiceTracing } from '../kernel/tracing';

/** Issue L: the gateway's calls to subgraphs (METRIC.subgraphRequests, .subgraphDuration). */
export interface SubgraphCallMetrics {
  requests: Counter<'subgraph' | 'outcome'>;
  duration: Histogram<'subgraph'>;
}

export function subgraphCallMetrics(metrics: ServiceMetrics): SubgraphCallMetrics {
  return {
    requests: metrics.counter(
      METRIC.subgraphRequests,
      "The gateway's calls to each subgraph, by how they ended: ok, errors (in the subgraph's answer), failed " +
        '(no answer, a timeout, an HTTP failure).',
      ['subgraph', 'outcome'],
    ),
    duration: metrics.histogram(METRIC.subgraphDuration, "Time of the gateway's calls to each subgraph, in seconds.", [
      'subgraph',
    ]),
  };
}

type ApolloFetcher = ConstructorParameters<typeof RemoteGraphQLDataSource>[0] extends infer O
  ? O extends { fetcher?: infer F }
    ? NonNullable<F>
    : never
  : never;
type ApolloResponse = Awaited<ReturnType<ApolloFetcher>>;

/** Apollo's fetcher over the kernel's kept-alive client: the response as Apollo's type has it. */
function apolloFetcher(fetcher: ReturnType<typeof keptAliveFetcher>): ApolloFetcher {
  const answer = (r: SubgraphResponse): ApolloResponse => ({
    bodyUsed: false,
    redirected: false,
    url: r.url,
    status: r.status,
    ok: r.ok,
    statusText: r.statusText,
    headers: r.headers,
    text: () => r.text(),
    json: () => r.json(),
    arrayBuffer: async () => new TextEncoder().encode(await r.text()).buffer,
    clone: () => answer(r),
  });
  return async (url, init) => {
    const body = init?.body === undefined ? undefined : String(init.body);
    return answer(await fetcher(url, { method: init?.method, headers: init?.headers, body }));
  };
}

/**
 * How the gateway talks to a subgraph: it never forwards the caller's token (H2: a subgraph at an
 * address its department chose would collect every caller's token, a hub admin's included, and
 * use it elsewhere). It sends, for a caller it verified, a token it signs for that subgraph alone
 * (audience `<hub audience>:<subgraph>`, GatewayTokenSigner's issuer), carrying the caller's
 * identity and living a minute at most, never past the caller's own; each subgraph verifies it
 * and enforces what its own data allows (R30). No signer (a gateway run alone on a supergraph
 * file without JOINTCHECK_GATEWAY_PRIVATE_KEY): no identity is sent, as stock Apollo Gateway does.
 * The request id goes along, for tracing. A subgraph that cannot be reached, or answers with an
 * HTTP failure, becomes a DOWNSTREAM_SERVICE_ERROR naming it (with the upstream status); the
 * other subgraphs' data is still returned.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * Tokens signed for this subgraph, by caller, reused for the first third of their life only: a
   * subgraph whose clock runs up to 40 s ahead of the gateway's still takes them (an expired token is
   * never taken, whatever the clocks).
   */
  private readonly forwarded = new LRUCache<string, { token: string; expiresAt: number }>({ max: 10_000 });

  constructor(
    private readonly subgraph: string,
    url: string,
    fetcher: ReturnType<typeof keptAliveFetcher>,
    private readonly signer: TokenIssuer | null,
    private readonly calls: SubgraphCallMetrics | null = null,
    private readonly tracing: ServiceTracing | null = null,
  ) {
    // node:http on kept-alive sockets (kernel/http-client.ts), shared by every data source of a gateway.
    super({ url, fetcher: apolloFetcher(fetcher) });
  }

  /** Issue L: the trace headers of calls being made (process to willSendRequest), by request. */
  private readonly tracedCalls = new WeakMap<object, Record<string, string>>();

  /** Issue L: each call to the subgraph counted by how it ended (ok, errors in its answer, failed) and timed. */
  override async process(
    options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0],
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    if (!this.calls && !this.tracing) return super.process(options);
    const started = process.hrtime.bigint();
    let outcome = 'failed';
    // Issue L: the call is a child of the caller's request span, and the subgraph's request a child of the call.
    const parent = 'context' in options ? (options.context as Partial<GatewayContext>).trace : undefined;
    const call =
      this.tracing && parent
        ? this.tracing.start(`subgraph ${this.subgraph}`, parent, {
            kind: SpanKind.CLIENT,
            attributes: { 'jointcheck.subgraph': this.subgraph },
          })
        : null;
    // Apollo makes the request's headers anew in super.process: they are written in willSendRequest.
    if (call) this.tracedCalls.set(options.request, traceHeaders(call.context));
    try {
      const response = await super.process(options);
      outcome = response.errors?.length ? 'errors' : 'ok';
      return response;
    } finally {
      if (call) {
        call.span.setAttribute('jointcheck.outcome', outcome);
        if (outcome !== 'ok') call.span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        call.span.end();
      }
      this.calls?.requests.inc({ subgraph: this.subgraph, outcome });
      this.calls?.duration.observe({ subgraph: this.subgraph }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    for (const [name, value] of Object.entries(this.tracedCalls.get(request) ?? {}))
      request.http?.headers.set(name, value);
    if (!('identity' in context)) return; // health checks and the gateway's own calls
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
    const { identity, tokenExpiresAt } = context;
    if (!this.signer) return;
    if (identity.role === Role.PUBLIC) {
      // No Authorization for the public, as before; a header a subgraph may ignore says the gateway sent
      // it (role PUBLIC, signed for that subgraph): the hub's services then know the gateway applied its
      // limits to that caller, counted by its own address, which a service behind the gateway cannot see (H2).
      request.http?.headers.set(FORWARDED_PUBLIC_HEADER, await this.tokenFor(identity, null));
      return;
    }
    request.http?.headers.set('authorization', `Bearer ${await this.tokenFor(identity, tokenExpiresAt)}`);
  }

  private async tokenFor(identity: Identity, notAfter: number | null): Promise<string> {
    const key = `${identity.role}\n${identity.department ?? ''}\n${identity.subject}\n${notAfter}`;
    const now = Date.now() / 1000;
    const kept = this.forwarded.get(key);
    if (kept && kept.expiresAt - now > (FORWARDED_TOKEN_SECONDS * 2) / 3) return kept.token;
    const made = await this.signer!.forward(this.subgraph, identity, notAfter);
    this.forwarded.set(key, made);
    return made.token;
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, fetchResponse?: { status: number }): void {
    const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
    // A subgraph that refused the request with an HTTP status (401, 403, 400, 413, 429 ...) and said
    // why in GraphQL's terms: its own message and code, naming it (H2: not "answered HTTP 429").
    const answered =
      error instanceof GraphQLError
        ? (
            error.extensions?.response as
              { body?: { errors?: Array<{ message?: unknown; extensions?: Record<string, unknown> }> } } | undefined
          )?.body?.errors?.[0]
        : undefined;
    if (fetchResponse && typeof answered?.message === 'string') {
      const own = answered.extensions ?? {};
      throw new GraphQLError(`The ${this.subgraph} subgraph refused this part: ${answered.message}`, {
        extensions: {
          code: typeof own.code === 'string' ? own.code : ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          serviceName: this.subgraph,
          upstreamStatus: fetchResponse.status,
          ...(typeof own.retryAfterSeconds === 'number' ? { retryAfterSeconds: own.retryAfterSeconds } : {}),
        },
      });
    }
    // The subgraph's own refusals (401, 403) keep their meaning.
    if (code === ErrorCode.UNAUTHENTICATED || code === ErrorCode.FORBIDDEN) throw error;
    // H2: a subgraph that did not answer in time is named as such, with the timeout (it may be
    // busy, not down: the same request may pass later or asking for less at once).
    if (error instanceof SubgraphTimeoutError) {
      const seconds = error.timeoutMs / 1000;
      throw new GraphQLError(
        `The ${this.subgraph} subgraph did not answer within ${seconds} s (the gateway's timeout); its data ` +
          `is missing from this answer, the other departments' data is not. It may be busy: try again later, or ` +
          `ask for fewer entities at once.`,
        {
          extensions: { code: ErrorCode.DOWNSTREAM_SERVICE_ERROR, serviceName: this.subgraph, timeoutSeconds: seconds },
        },
      );
    }
    const status = fetchResponse?.status;
    throw new GraphQLError(
      `The ${this.subgraph} subgraph ${status ? `answered HTTP ${status}` : 'could not be reached'}; its data ` +
        `is missing from this answer, the other departments' data is not. Try again later.`,
      {
        extensions: {
          code: ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          serviceName: this.subgraph,
          ...(status ? { upstreamStatus: status } : {}),
        },
      },
    );
  }
}
