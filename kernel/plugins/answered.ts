import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';

/**
 * The codes of the errors a request is answered with, each once (`ERROR` for an error without
 * one): what the access trace logs (R30), the metrics count and a trace's span carries (issue L).
 */
export function answeredCodes(
  context: Pick<GraphQLRequestContextWillSendResponse<never>, 'errors' | 'response'>,
): string[] {
  const { errors, response } = context;
  const answered = errors ?? (response.body.kind === 'single' ? response.body.singleResult.errors : undefined) ?? [];
  return [...new Set(answered.map((e) => String(e.extensions?.code ?? 'ERROR')))];
}

/** Federation's own reads of a subgraph's SDL (`{ _service { sdl } }`): the gateway's, not a caller's. */
export function isFederationRead(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation !== undefined &&
    operation.selectionSet.selections.every((s) => s.kind === 'Field' && s.name.value === '_service')
  );
}
