import { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
import type { HubConfig } from './config';
import type { Logger } from './log';
import { METRIC, type ServiceMetrics } from './metrics';

/**
 * Issue L: where instances of one service share their counts (the mutation limit per caller, the
 * gateway's callers' budget, H2): Redis at JOINTCHECK_REDIS_URL, under JOINTCHECK_REDIS_PREFIX.
 * Without it each instance counts alone, as before, and a caller behind N gateways gets N times
 * the limit. When Redis cannot be reached the limits go on per instance (never "no limit", never
 * "refuse everyone"): said once in the log when it goes and once when it is back, and in the
 * metrics (METRIC.limitStore 0, METRIC.limitStoreFallbacks counting the decisions taken alone).
 */
export class SharedStore {
  readonly client: Redis;
  private ready = false;
  private readonly fallbacks: Counter<'limit'> | null;

  constructor(
    settings: { url: string; prefix: string },
    service: string,
    private readonly logger: Logger,
    metrics?: ServiceMetrics,
  ) {
    this.prefix = `${settings.prefix}:${service}:`;
    this.client = new Redis(settings.url, {
      // A command while Redis is away fails at once (the limit is then counted here), never queued.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      // A Redis that stops answering must not hold a request: past this the decision is taken alone.
      commandTimeout: 500,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: false,
    });
    this.client.on('ready', () => {
      if (!this.ready && this.everReady)
        this.logger.info({ store: 'redis' }, `${service}: Redis is back; limits are shared by every instance again`);
      this.ready = true;
      this.everReady = true;
    });
    const lost = (error?: Error) => {
      if (this.ready || !this.warned) {
        this.logger.warn(
          { store: 'redis', err: error?.message },
          `${service}: Redis (JOINTCHECK_REDIS_URL) cannot be reached; each instance counts its callers' limits ` +
            `alone until it is back`,
        );
        this.warned = true;
      }
      this.ready = false;
    };
    this.client.on('error', lost);
    this.client.on('close', () => lost());
    this.fallbacks =
      metrics?.counter(
        METRIC.limitStoreFallbacks,
        'Limit decisions taken by this instance alone because Redis could not be reached, by limit (issue L).',
        ['limit'],
      ) ?? null;
    metrics?.gauge(
      METRIC.limitStore,
      '1 while the limits are shared through Redis, 0 while this instance counts alone (Redis unreachable).',
      [],
      (g) => g.set(this.ready ? 1 : 0),
    );
  }

  /** The prefix of this service's keys: `<JOINTCHECK_REDIS_PREFIX>:<service>:`. */
  readonly prefix: string;
  private everReady = false;
  private warned = false;

  /** Whether counts are shared now (Redis connected and ready). */
  get shared(): boolean {
    return this.ready && this.client.status === 'ready';
  }

  /** A decision taken alone because Redis could not be reached (counted for the metrics). */
  tookAlone(limit: string): void {
    this.fallbacks?.inc({ limit });
  }

  async close(): Promise<void> {
    this.client.removeAllListeners('error');
    this.client.on('error', () => undefined);
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}

/** The shared store of a service's configuration; null without JOINTCHECK_REDIS_URL (each instance counts alone). */
export function sharedStoreOf(
  config: Partial<Pick<HubConfig, 'redis'>>,
  service: string,
  logger: Logger,
  metrics?: ServiceMetrics,
): SharedStore | null {
  return config.redis?.url
    ? new SharedStore({ url: config.redis.url, prefix: config.redis.prefix }, service, logger, metrics)
    : null;
}
