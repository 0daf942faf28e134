import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { answeredCodes } from './answered';
import { SpanKind, SpanStatusCode, type ServiceTracing } from '../tracing';

/**
 * Issue L: a span for each GraphQL request, a child of the caller's `traceparent` when it sends
 * one (the gateway does, for each subgraph call; the joint service does when it delivers results),
 * named after the operation, marked an error with the codes of its errors. Its context is put on
 * the request's context (`trace`), for what the request calls next.
 */
export function requestTracing<C extends RequestContext>(tracing: ServiceTracing): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request, contextValue }) {
      const { span, context } = tracing.start('graphql', tracing.extract(request.http?.headers), {
        kind: SpanKind.SERVER,
        attributes: { 'jointcheck.request_id': contextValue.requestId, 'jointcheck.role': contextValue.identity.role },
      });
      contextValue.trace = context;
      return {
        async didResolveOperation({ operation, operationName }) {
          const type = operation?.operation ?? 'query';
          span.updateName(`${type} ${operationName ?? 'anonymous'}`);
          span.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': operationName ?? '' });
        },
        async willSendResponse(answer) {
          const codes = answeredCodes(answer);
          if (codes.length) {
            span.setAttribute('jointcheck.error_codes', codes);
            span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
          }
          span.end();
        },
      };
    },
  };
}
