import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isAbstractType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { HubConfig } from '../kernel/config';
import { ErrorCode } from '../kernel/errors';
import type { GatewayContext } from './context';
import { callerKey } from '../kernel/limits';

/** Arguments that bound how many elements a list field (or a page's list) returns. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];
/** What a list field with no size argument (and no list argument) is assumed to hold. */
export const UNBOUNDED_LIST_SIZE = 10;
/** How long a refused caller is told to wait before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 1;

/**
 * The estimated cost of an operation (H2): every field selected costs 1, times how many times it
 * is resolved. A field with a size argument (`first`, `last`, `limit`) multiplies what is under it
 * by that number (on a page object such as `marketSearchPage`, its first list, `nodes`, is the one
 * multiplied); a field taking a list argument (`marketEntities(usccs: [...])`) multiplies by the
 * list's length; any other list field by UNBOUNDED_LIST_SIZE. So 1,000 entities with six
 * department views cost about a thousand times one entity, and `{__typename}` costs 1. Unlike
 * graphql-armor's cost limit (which grows with depth, not with how much is asked for), this is a
 * measure of the work an operation asks of the subgraphs.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 1;

  const argumentValue = (value: Parameters<typeof valueFromASTUntyped>[0]): unknown =>
    valueFromASTUntyped(value, variables);

  /** The cost of a selection set on `parent`; `pending` is a page's size, waiting for the page's list. */
  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    pending: number | null,
    depth: number,
  ): number => {
    if (depth > 64) return 0; // validation (max depth) refuses deeper documents before this runs
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const on = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && on && (isObjectType(on) || isInterfaceType(on) || isAbstractType(on)))
          total += selectionCost(fragment.selectionSet, on as GraphQLCompositeType, pending, depth + 1);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        total += selectionCost(
          selection.selectionSet,
          (on as GraphQLCompositeType | undefined) ?? parent,
          pending,
          depth + 1,
        );
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) {
        total += 1;
        continue;
      }
      const field: GraphQLField<unknown, unknown> | undefined =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!field) {
        total += 1;
        continue;
      }
      const isList = isListType(getNullableType(field.type));
      // How many elements: a size argument (given, or its default), else a list argument's length.
      let size: number | null = null;
      for (const arg of field.args) {
        if (!SIZE_ARGUMENTS.includes(arg.name)) continue;
        const given = selection.arguments?.find((a) => a.name.value === arg.name);
        const value = given ? argumentValue(given.value) : arg.defaultValue;
        if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, value);
      }
      if (size === null) {
        for (const given of selection.arguments ?? []) {
          const value = argumentValue(given.value);
          if (Array.isArray(value)) size = Math.max(size ?? 0, value.length);
        }
      }
      let multiplier = 1;
      let passOn: number | null = null;
      if (isList) {
        multiplier = size ?? pending ?? UNBOUNDED_LIST_SIZE;
      } else if (size !== null) {
        passOn = size; // a page: its list is what holds `first` elements
      } else {
        passOn = pending;
      }
      const named = getNamedType(field.type);
      const children =
        selection.selectionSet && (isObjectType(named) || isAbstractType(named))
          ? selectionCost(selection.selectionSet, named, passOn, depth + 1)
          : 0;
      total += Math.max(0, multiplier) * (1 + children);
    }
    return total;
  };
  return Math.max(1, selectionCost(operation.selectionSet, root, null, 0));
}

interface InFlight {
  operations: number;
  cost: number;
}

/** What a caller has in flight, for the tests and the benchmark. */
export interface CallerBudgetState {
  inFlight(key: string): InFlight;
}

/**
 * H2: each caller's budget at the gateway: at most `callerConcurrency` operations in flight at
 * once, and at most `callerCost` of estimated cost (operationCost) in flight at once. An operation
 * that would take its caller over either is answered at once, before any subgraph is called:
 * RATE_LIMITED, HTTP 429 with `Retry-After`, saying what the caller has in flight and what to do.
 * An operation costing more than the whole cost budget runs only when its caller has nothing else
 * in flight (the operation limits, JOINTCHECK_MAX_COST and each field's `first` cap, bound it).
 * So one caller's flood waits at its own door, and other callers' operations go on.
 * The slot is taken when the operation is resolved (after parsing, validation and the other
 * limits) and given back exactly once: when its answer is sent, or when errors end it first
 * (refused by another limit, failed); a client that goes away does not free it until the gateway
 * has finished the work it started. Counted by each gateway instance.
 */
export function callerBudget(
  limits: Pick<HubConfig['limits'], 'callerConcurrency' | 'callerCost'>,
): ApolloServerPlugin<GatewayContext> & CallerBudgetState {
  const callers = new Map<string, InFlight>();
  const refuse = (message: string, detail: Record<string, unknown>) =>
    new GraphQLError(message, {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        ...detail,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
      } as Record<string, unknown>,
    });
  return {
    inFlight: (key) => ({ ...(callers.get(key) ?? { operations: 0, cost: 0 }) }),
    async requestDidStart({ contextValue }) {
      // Health checks and other calls without a gateway context are not counted.
      if (!contextValue || !('identity' in contextValue)) return;
      const key = callerKey(contextValue);
      let held: { cost: number } | null = null;
      const release = () => {
        if (!held) return;
        const mine = callers.get(key);
        if (mine) {
          mine.operations -= 1;
          mine.cost -= held.cost;
          if (mine.operations <= 0) callers.delete(key);
        }
        held = null;
      };
      return {
        // Not async before the slot is taken: another plugin's refusal in the same step still finds it taken, and
        // released below.
        didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return Promise.resolve();
          const cost = operationCost(schema, document, operation, request.variables ?? {});
          const mine = callers.get(key) ?? { operations: 0, cost: 0 };
          if (mine.operations + 1 > limits.callerConcurrency) {
            return Promise.reject(
              refuse(
                `Too many operations at once: you have ${mine.operations} in flight, the most one caller may ` +
                  `have at this gateway (${limits.callerConcurrency}). Nothing of this one was run; wait for an ` +
                  `answer before sending more, and try again in ${RETRY_AFTER_SECONDS} s.`,
                {
                  inFlight: mine.operations,
                  budget: limits.callerConcurrency,
                  limit: 'concurrency',
                },
              ),
            );
          }
          if (mine.operations > 0 && mine.cost + cost > limits.callerCost) {
            return Promise.reject(
              refuse(
                `Too much asked at once: this operation's estimated cost is ${cost}, and your ` +
                  `${mine.operations} operation(s) in flight already cost ${mine.cost}, over the ` +
                  `${limits.callerCost} one caller may have in flight at this gateway. Nothing of this one was ` +
                  `run; wait for your answers (or ask for fewer entities at once, with a smaller first or ` +
                  `list), and try again in ${RETRY_AFTER_SECONDS} s.`,
                {
                  inFlight: mine.operations,
                  inFlightCost: mine.cost,
                  operationCost: cost,
                  budget: limits.callerCost,
                  limit: 'cost',
                },
              ),
            );
          }
          mine.operations += 1;
          mine.cost += cost;
          callers.set(key, mine);
          held = { cost };
          return Promise.resolve();
        },
        async didEncounterErrors() {
          // Errors end an operation before its answer only once execution is over (or never began).
          release();
        },
        async willSendResponse() {
          release();
        },
      };
    },
  };
}
