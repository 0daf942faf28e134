import { Redis } from 'ioredis';
import type { Counter } from 'prom-client';
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
  /** The prefix of this service's keys: `<JOINTCHECK_REDIS_PREFIX>:<service>:`. */
  readonly prefix: string;
  /** Where the counts stand, for the log's one line per change: not yet connected, shared, or each instance alone. */
  private state: 'connecting' | 'shared' | 'alone' = 'connecting';
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
      if (this.state === 'alone')
        this.logger.info({ store: 'redis' }, `${service}: Redis is back; limits are shared by every instance again`);
      this.state = 'shared';
    });
    const lost = (error?: Error) => {
      if (this.state !== 'alone')
        this.logger.warn(
          { store: 'redis', err: error?.message },
          `${service}: Redis (JOINTCHECK_REDIS_URL) cannot be reached; each instance counts its callers' limits ` +
            `alone until it is back`,
        );
      this.state = 'alone';
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
      (g) => g.set(this.connected ? 1 : 0),
    );
  }

  /** Whether counts are shared now (Redis connected and ready). */
  get connected(): boolean {
    return this.client.status === 'ready';
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
