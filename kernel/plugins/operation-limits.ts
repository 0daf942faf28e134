import type { RequestLimits } from '../limits';
import { type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type ValidationRule } from 'graphql';
import type { RequestContext } from '../context';

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
