import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type http from 'node:http';
import type { RequestLimits } from '../../kernel/limits';
import type { Logger } from '../../kernel/log';
import { accessTrace } from '../../kernel/plugins/access-trace';
import { mutationRateLimit, type MutationLimiter } from '../../kernel/plugins/mutation-rate-limit';
import { operationResolution } from '../../kernel/plugins/operation-resolution';
import { requestMetrics } from '../../kernel/plugins/request-metrics';
import type { ServiceMetrics } from '../../kernel/metrics';
import type { CallerLedger } from '../caller-ledger';
import type { ServiceTracing } from '../../kernel/tracing';
import { requestTracing } from '../../kernel/plugins/request-tracing';
import type { GatewayContext } from '../context';
import { anonymousSchemaPrivacy } from './anonymous-schema-privacy';
import { callerBudget } from './caller-budget';

export { anonymousSchemaPrivacy } from './anonymous-schema-privacy';
export { callerBudget } from './caller-budget';

/**
 * The gateway's Apollo Server plugins, one per file, in the order they run (STYLE.md habit 8).
 * Those every service runs too (H2: a service called directly answers as the gateway does) are in
 * kernel/plugins/; the gateway's own are here.
 *
 * 1. `operationResolution` (kernel): first, so no other plugin sees a document without its operation; then
 *    `requestTracing` (kernel) when traces are on (issue L);
 * 2. drain and no cache-control (Apollo's): answers are per caller, never cached by HTTP caches;
 * 3. `accessTrace` (kernel): one access line per request, with the codes of its errors; `requestMetrics` (kernel):
 *    each operation counted, timed, and its errors counted by code (issue L);
 * 4. graphql-armor's plugins of `operationLimits` (kernel; its validation rules are given to the server);
 * 5. `anonymousSchemaPrivacy`: no introspection nor "Did you mean" for anonymous callers in production;
 * 6. `mutationRateLimit` (kernel): changes per caller per minute, counted with /evidence's;
 * 7. `callerBudget`: each caller's requests in flight and their cost (H2).
 */
export function gatewayPlugins(options: {
  httpServer: http.Server;
  logger: Logger;
  limits: RequestLimits;
  /** graphql-armor's plugins (kernel/plugins/operation-limits.ts). */
  armor: ApolloServerPlugin<GatewayContext>[];
  /** The count of changes shared with the evidence proxy. */
  changes: MutationLimiter;
  /** Issue L: operations counted and timed. */
  metrics: ServiceMetrics;
  /** Where callers' operations in flight are counted: this instance, or every gateway through Redis (issue L). */
  ledger: CallerLedger;
  /** Issue L: traces, when on. */
  tracing: ServiceTracing | null;
}): ApolloServerPlugin<GatewayContext>[] {
  return [
    operationResolution<GatewayContext>(),
    ...(options.tracing ? [requestTracing<GatewayContext>(options.tracing)] : []),
    ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
    ApolloServerPluginCacheControlDisabled(),
    accessTrace<GatewayContext>('gateway', options.logger),
    requestMetrics<GatewayContext>(options.metrics),
    ...options.armor,
    anonymousSchemaPrivacy(options.limits.production),
    mutationRateLimit(options.changes),
    callerBudget(options.limits, options.ledger),
  ];
}
