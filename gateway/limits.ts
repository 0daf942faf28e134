import { LRUCache } from 'lru-cache';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { HubConfig } from '../subgraphs/kernel/config';
import { ErrorCode } from '../subgraphs/kernel/errors';
import { Role } from '../subgraphs/kernel/identity';
import type { GatewayContext } from './context';

export type GatewayLimits = HubConfig['limits'];

/**
 * Operation limits with graphql-armor (a maintained library): depth, aliases, tokens, directives
 * and cost, each from the configuration. They run as validation rules, so an abusive document is
 * refused (GRAPHQL_VALIDATION_FAILED, naming the limit) before any subgraph is called. Field
 * suggestions are handled below (off for anonymous callers in production only).
 */
export function operationLimits(limits: GatewayLimits): { plugins: ApolloServerPlugin<GatewayContext>[]; validationRules: ValidationRule[] } {
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
  return { plugins: protection.plugins as ApolloServerPlugin<GatewayContext>[], validationRules: protection.validationRules };
}

/** Whether an operation reads the schema itself (`__schema`, `__type`) anywhere. */
function introspects(selectionSet: SelectionSetNode | undefined): boolean {
  if (!selectionSet) return false;
  return selectionSet.selections.some((s) =>
    s.kind === Kind.FIELD ? s.name.value === '__schema' || s.name.value === '__type' || introspects(s.selectionSet) : s.kind === Kind.INLINE_FRAGMENT ? introspects(s.selectionSet) : false,
  );
}

/**
 * In production, anonymous callers get neither introspection nor "Did you mean ...?" hints in
 * error messages: the schema is for signed-in integrators (and is published in `schema/`).
 */
export function anonymousSchemaPrivacy(production: boolean): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (!production || contextValue.identity.role !== Role.PUBLIC) return;
      return {
        async didResolveOperation({ operation, document }) {
          const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
          if (!operation) return;
          if (introspects(operation.selectionSet) || fragments.some((f) => introspects(f.selectionSet))) {
            throw new GraphQLError('Introspection is for signed-in callers; the schema is published in schema/supergraph.graphql.', { extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } } });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const errors = response.body.singleResult.errors.map((e) => ({ ...e, message: e.message.replace(/ ?Did you mean .+\?$/, '') }));
          response.body.singleResult.errors = errors;
        },
      };
    },
  };
}

/** Who a limit counts: the token's subject and role (and department), or the address of an anonymous caller. */
function callerKey(context: GatewayContext): string {
  const { identity } = context;
  return identity.role === Role.PUBLIC ? `ip:${context.clientAddress}` : `sub:${identity.role}:${identity.department ?? '-'}:${identity.subject}`;
}

/**
 * Mutations per caller per minute (rate-limiter-flexible, in memory: each gateway instance
 * counts its own callers, so behind N gateways a caller gets at most N times the limit). Over the
 * limit: RATE_LIMITED with HTTP 429 and when to try again; nothing is sent to a subgraph.
 */
export function mutationRateLimit(perMinute: number): ApolloServerPlugin<GatewayContext> {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          try {
            await limiter.consume(callerKey(contextValue));
          } catch (rejection) {
            if (!(rejection instanceof RateLimiterRes)) throw rejection;
            const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
            throw new GraphQLError(`Too many changes: at most ${perMinute} mutations a minute per caller. Nothing was done; try again in ${seconds} s.`, {
              extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: seconds, http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) } } as Record<string, unknown>,
            });
          }
        },
      };
    },
  };
}

/**
 * The token limit, with graphql-armor's own counting parser, checked on the request body before
 * Apollo parses it; answered like the other limits (400, GRAPHQL_VALIDATION_FAILED). A document
 * that does not parse for another reason goes on to Apollo, which names the syntax error.
 */
export function tokenLimit(maxTokens: number): (req: { body?: unknown }, res: { status(code: number): { json(body: unknown): void } }, next: () => void) => void {
  // Documents already counted within the limit (clients send the same few documents again and
  // again; the gateway benchmark measured the count at 3% of a request). Keyed by the text itself.
  const within = new LRUCache<string, true>({ max: 1000, maxSize: 4 * 1024 * 1024, sizeCalculation: (_v, key) => key.length || 1 });
  return (req, res, next) => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || within.has(query)) return next();
    try {
      new MaxTokensParserWLexer(query, { n: maxTokens }).parseDocument();
      within.set(query, true);
    } catch (error) {
      if (error instanceof GraphQLError && /Token limit of/.test(error.message)) {
        res.status(400).json({ errors: [{ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
        return;
      }
    }
    next();
  };
}
