import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ServiceMetrics } from '../metrics';

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
        async willSendResponse({ operation, operationName, response, errors }) {
          // Federation's own reads of the service's SDL are the gateway's, not a caller's.
          if (operation?.selectionSet.selections.every((s) => s.kind === 'Field' && s.name.value === '_service'))
            return;
          const labels = {
            operation: metrics.operationLabel(operationName ?? operation?.name?.value),
            type: operation?.operation ?? 'unknown',
          };
          metrics.requests.inc(labels);
          metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          const answered = errors ?? (response.body.kind === 'single' ? response.body.singleResult.errors : undefined);
          if (!answered?.length) return;
          for (const code of new Set(answered.map((e) => metrics.codeLabel(e.extensions?.code))))
            metrics.errors.inc({ code });
        },
      };
    },
  };
}
