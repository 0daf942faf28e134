import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';

/** The names of a document's operations (`(anonymous)` for one without a name). */
function operationNames(document: DocumentNode): string[] {
  return document.definitions
    .filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? d.name.value : '(anonymous)'));
}

/** Why no operation of the document can be run, for a person to act on. */
export function unresolvedOperationMessage(document: DocumentNode, operationName: string | null | undefined): string {
  const names = operationNames(document);
  if (names.length === 0)
    return 'The document has no operation (only fragments): send a query, mutation or subscription.';
  if (operationName)
    return (
      `operationName '${operationName}' is not an operation of the document; it has ${names.join(', ')}: send ` +
      `one of those names, or leave operationName out when the document has one operation.`
    );
  return (
    `The document has ${names.length} operations (${names.join(', ')}): send operationName to say which one to ` +
    `run.`
  );
}

/**
 * A document whose operation cannot be chosen (an `operationName` it does not have, or several
 * operations and no name) is the caller's mistake: HTTP 400 with Apollo's
 * `OPERATION_RESOLUTION_FAILURE` and a message naming the operations the document has. Without this
 * the gateway's executor throws it as a server fault (HTTP 500, `INVALID_GRAPHQL`) and a subgraph
 * answers graphql-js's terse "Unknown operation named". Used by the gateway and every service.
 */
export function operationResolution<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          throw new GraphQLError(unresolvedOperationMessage(document, request.operationName), {
            extensions: {
              code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
              field: 'operationName',
              http: { status: 400 },
            },
          });
        },
      };
    },
  };
}
