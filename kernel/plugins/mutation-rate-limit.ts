import { callerKey } from '../limits';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { SharedStore } from '../shared-store';
import type { RequestContext } from '../context';
import { ErrorCode } from '../errors';
import { Role } from '../identity';

export interface MutationRateOptions {
  /**
   * Callers never counted. A service leaves out the hub's own services (Role.SERVICE): the joint
   * service writes results back to departments at hundreds a second, and a limit on it would
   * only hold results back (its outbox retries, but late). The gateway counts everyone.
   */
  exempt?: (context: RequestContext) => boolean;
}

/**
 * H2: a service's mutation limit counts neither the hub's own services (Role.SERVICE) nor what the
 * gateway forwards (a token the gateway signed: it counted that caller already, anonymous callers by
 * their own address, which a service behind the gateway cannot see).
 */
export const HUB_SERVICES_EXEMPT: MutationRateOptions = {
  exempt: (context) => context.identity.role === Role.SERVICE || context.viaGateway === true,
};

/**
 * Mutations per caller per minute (rate-limiter-flexible: shared by every instance through Redis
 * when JOINTCHECK_REDIS_URL is set, issue L; otherwise each process counts its own callers, and
 * behind N gateways a caller gets at most N times the limit). Over the limit:
 * RATE_LIMITED with HTTP 429 and when to try again; nothing runs. H2: the gateway and every
 * service called directly apply it.
 */
export function mutationRateLimit<C extends RequestContext>(
  limit: number | MutationLimiter,
  options: MutationRateOptions = {},
): ApolloServerPlugin<C> {
  const limiter = typeof limit === 'number' ? new MutationLimiter(limit) : limit;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          if (options.exempt?.(contextValue)) return;
          await limiter.consume(callerKey(contextValue));
        },
      };
    },
  };
}

/**
 * A service's count of changes per caller per minute: the GraphQL mutations (mutationRateLimit)
 * and the changes made outside GraphQL (a piece of evidence sent, issue J) draw on the same count.
 * Issue L: with a shared store (Redis) every instance of the service draws on one count
 * (rate-limiter-flexible's Redis limiter); while Redis cannot be reached, each instance counts in
 * its own memory (the Redis limiter's insurance) and says so (SharedStore).
 */
export class MutationLimiter {
  private readonly limiter: RateLimiterMemory | RateLimiterRedis;

  constructor(
    readonly perMinute: number,
    private readonly shared: SharedStore | null = null,
  ) {
    const alone = new RateLimiterMemory({ points: perMinute, duration: 60 });
    this.limiter = shared
      ? new RateLimiterRedis({
          storeClient: shared.client,
          keyPrefix: `${shared.prefix}mutations`,
          points: perMinute,
          duration: 60,
          rejectIfRedisNotReady: true,
          insuranceLimiter: alone,
        })
      : alone;
  }

  /** Counts one change of the caller's; over the limit, RATE_LIMITED (HTTP 429, Retry-After) and nothing is to run. */
  async consume(key: string): Promise<void> {
    if (this.shared && !this.shared.connected) this.shared.tookAlone('mutations');
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(
        `Too many changes: at most ${this.perMinute} mutations a minute per caller. Nothing was done; try ` +
          `again in ${seconds} s.`,
        {
          extensions: {
            code: ErrorCode.RATE_LIMITED,
            retryAfterSeconds: seconds,
            http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
          } as Record<string, unknown>,
        },
      );
    }
  }
}
