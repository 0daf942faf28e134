import type express from 'express';
import type { HubConfig } from './config';
import type { Logger } from './log';
import { countResponses, MetricsCredential, metricsRoute, ServiceMetrics } from './metrics';
import { SharedStore } from './shared-store';
import { tracingOf, type ServiceTracing } from './tracing';

/**
 * Issue L: the settings of what a service offers its operators: the credential for `/metrics`,
 * Redis for limits shared by its instances, the collector for traces. A configuration without them
 * (as some tests build) gets none: `/metrics` refused to all, each instance counting alone, no trace.
 */
export type OperationsSettings = Partial<Pick<HubConfig, 'metrics' | 'redis' | 'tracing'>>;

/** What mountOperations gives a service: its metrics, its shared store (null: alone), its traces (null: off). */
export interface ServiceOperations {
  metrics: ServiceMetrics;
  shared: SharedStore | null;
  tracing: ServiceTracing | null;
  /** Closes the Redis connection and sends the last spans; after the server has stopped. */
  stop(): Promise<void>;
}

/**
 * The gateway and every service alike: `/metrics` for the operator, every later route's answers
 * counted, the Redis store of the configuration and its traces. A service that needs its metrics
 * or traces before it serves (the joint service's deliverer) makes them and passes them in.
 */
export function mountOperations(
  app: express.Express,
  service: string,
  logger: Logger,
  settings: OperationsSettings = {},
  made: { metrics?: ServiceMetrics; tracing?: ServiceTracing | null } = {},
): ServiceOperations {
  const metrics = made.metrics ?? new ServiceMetrics(service);
  app.get('/metrics', metricsRoute(metrics, new MetricsCredential(settings.metrics?.tokenFile ?? null)));
  app.use(countResponses(metrics));
  const redis = settings.redis;
  const shared = redis?.url
    ? new SharedStore({ url: redis.url, prefix: redis.prefix }, service, logger, metrics)
    : null;
  const tracing = made.tracing !== undefined ? made.tracing : tracingOf(settings, service);
  return {
    metrics,
    shared,
    tracing,
    stop: async () => {
      await shared?.close();
      await tracing?.shutdown();
    },
  };
}
