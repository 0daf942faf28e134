import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import express from 'express';
import { GraphQLError, type ValidationRule } from 'graphql';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { HubConfig } from './config';
import type { RequestContext } from './context';
import { ErrorCode } from './errors';
import { Role } from './identity';

/** The request limits of the configuration: the gateway and every service apply the same (H2). */
export type RequestLimits = HubConfig['limits'];

/**
 * Operation limits with graphql-armor (a maintained library): depth, aliases, directives and
 * cost, each from the configuration. They run as validation rules, so an abusive document is
 * refused (GRAPHQL_VALIDATION_FAILED, naming the limit) before anything runs. H2: the gateway and
 * every service (called directly on its own port) use these same rules. Field suggestions are not
 * armor's business here (the gateway hides them from anonymous callers in production).
 */
export function operationLimits<C extends RequestContext>(
  limits: RequestLimits,
): { plugins: ApolloServerPlugin<C>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    // Counted before Apollo parses (tokenLimit below): armor's Apollo hook answers it with HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return { plugins: protection.plugins as ApolloServerPlugin<C>[], validationRules: protection.validationRules };
}

/**
 * The token limit, with graphql-armor's own counting parser, checked on the request body before
 * Apollo parses it; answered like the other limits (400, GRAPHQL_VALIDATION_FAILED). A document
 * that does not parse for another reason goes on to Apollo, which names the syntax error.
 */
export function tokenLimit(
  maxTokens: number,
): (req: { body?: unknown }, res: { status(code: number): { json(body: unknown): void } }, next: () => void) => void {
  // Documents already counted within the limit (clients send the same few documents again and
  // again; the gateway benchmark measured the count at 3% of a request). Keyed by the text itself.
  const within = new LRUCache<string, true>({
    max: 1000,
    maxSize: 4 * 1024 * 1024,
    sizeCalculation: (_v, key) => key.length || 1,
  });
  return (req, res, next) => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || within.has(query)) return next();
    try {
      new MaxTokensParserWLexer(query, { n: maxTokens }).parseDocument();
      within.set(query, true);
    } catch (error) {
      if (error instanceof GraphQLError && /Token limit of/.test(error.message)) {
        res
          .status(400)
          .json({ errors: [{ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
        return;
      }
    }
    next();
  };
}

/**
 * The request body: JSON, at most `maxBodyBytes`; then the token limit. H2: mounted before
 * GraphQL at the gateway and at every service, followed by `bodyErrors` for what it refuses.
 */
export function requestBody(limits: RequestLimits): express.RequestHandler[] {
  return [express.json({ limit: limits.maxBodyBytes }), tokenLimit(limits.maxTokens)];
}

/**
 * A body over the cap (413) or not JSON (400) is answered as GraphQL, with a code, before anything
 * runs (H2: at every service as at the gateway, never express's HTML page with a stack trace).
 */
export function bodyErrors(limits: RequestLimits): express.ErrorRequestHandler {
  return (error: { type?: string }, _req, res, next) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({
        errors: [
          {
            message: `The request body is larger than the ${limits.maxBodyBytes} bytes allowed; send less at once.`,
            extensions: { code: ErrorCode.BAD_USER_INPUT, limit: limits.maxBodyBytes },
          },
        ],
      });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({
        errors: [{ message: 'The request body is not valid JSON.', extensions: { code: ErrorCode.BAD_USER_INPUT } }],
      });
      return;
    }
    next(error);
  };
}

/**
 * Who a limit counts: the token's subject and role (and department), or the address of an anonymous caller (the
 * mutation limit, the gateway's callers' budget).
 */
export function callerKey(context: Pick<RequestContext, 'identity' | 'clientAddress'>): string {
  const { identity } = context;
  return identity.role === Role.PUBLIC
    ? `ip:${context.clientAddress}`
    : `sub:${identity.role}:${identity.department ?? '-'}:${identity.subject}`;
}

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
 * Mutations per caller per minute (rate-limiter-flexible, in memory: each process counts its own
 * callers, so behind N gateways a caller gets at most N times the limit). Over the limit:
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
 * One process's count of changes per caller per minute: the GraphQL mutations (mutationRateLimit)
 * and the changes made outside GraphQL (a piece of evidence sent, issue J) draw on the same count.
 */
export class MutationLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  /** Counts one change of the caller's; over the limit, RATE_LIMITED (HTTP 429, Retry-After) and nothing is to run. */
  async consume(key: string): Promise<void> {
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
