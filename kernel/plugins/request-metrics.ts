import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServiceMetrics } from '../metrics';
import { answeredCodes, isFederationRead } from './answered';

/**
 * Issue L: each GraphQL operation counted by its name and type, timed from the request to the
 * answer, and its errors counted by code (METRIC.requests, .duration, .errors). A request refused
 * before it is parsed is named `anonymous` of type `unknown`; refusals before GraphQL (401, 413) are
 * in METRIC.httpResponses.
 */
export function requestMetrics<C extends BaseContext>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(answer) {
          const { operation, operationName } = answer;
          if (isFederationRead(operation)) return;
          const labels = {
            operation: metrics.operationLabel(operationName ?? operation?.name?.value),
            type: operation?.operation ?? 'unknown',
          };
          metrics.requests.inc(labels);
          metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          for (const code of new Set(answeredCodes(answer).map((c) => metrics.codeLabel(c))))
            metrics.errors.inc({ code });
        },
      };
    },
  };
}
