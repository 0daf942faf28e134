import { operationCost } from '../operation-cost';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { HubConfig } from '../../kernel/config';
import { ErrorCode } from '../../kernel/errors';
import type { GatewayContext } from '../context';
import { callerKey } from '../../kernel/limits';
import type { CallerLedger, Slot } from '../caller-ledger';
/** How long a refused caller is told to wait before trying again, in seconds. */
const RETRY_AFTER_SECONDS = 1;

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
 * has finished the work it started. Issue L: the ledger is shared by every gateway instance
 * through Redis when JOINTCHECK_REDIS_URL is set (RedisLedger), each instance's own otherwise.
 */
export function callerBudget(
  limits: Pick<HubConfig['limits'], 'callerConcurrency' | 'callerCost'>,
  ledger: CallerLedger,
): ApolloServerPlugin<GatewayContext> {
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
    async requestDidStart({ contextValue }) {
      // Health checks and other calls without a gateway context are not counted.
      if (!contextValue || !('identity' in contextValue)) return;
      const key = callerKey(contextValue);
      let held: Slot | null = null;
      // Ended (errors or answer) before the ledger answered: the slot is given back as soon as it is taken.
      let ended = false;
      const release = () => {
        ended = true;
        held?.give();
        held = null;
      };
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables ?? {});
          const taking = await ledger.take(key, cost, limits);
          if (taking.taken) {
            if (ended) taking.slot.give();
            else held = taking.slot;
            return;
          }
          const mine = taking.inFlight;
          if (taking.limit === 'concurrency') {
            throw refuse(
              `Too many operations at once: you have ${mine.operations} in flight, the most one caller may ` +
                `have ${taking.scope} (${limits.callerConcurrency}). Nothing of this one was run; wait for an ` +
                `answer before sending more, and try again in ${RETRY_AFTER_SECONDS} s.`,
              { inFlight: mine.operations, budget: limits.callerConcurrency, limit: 'concurrency' },
            );
          }
          throw refuse(
            `Too much asked at once: this operation's estimated cost is ${cost}, and your ` +
              `${mine.operations} operation(s) in flight already cost ${mine.cost}, over the ` +
              `${limits.callerCost} one caller may have in flight ${taking.scope}. Nothing of this one was ` +
              `run; wait for your answers (or ask for fewer entities at once, with a smaller first or ` +
              `list), and try again in ${RETRY_AFTER_SECONDS} s.`,
            {
              inFlight: mine.operations,
              inFlightCost: mine.cost,
              operationCost: cost,
              budget: limits.callerCost,
              limit: 'cost',
            },
          );
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
