import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../../kernel/errors';
import { Role } from '../../kernel/identity';
import type { GatewayContext } from '../context';

/** Whether an operation reads the schema itself (`__schema`, `__type`) anywhere. */
function introspects(selectionSet: SelectionSetNode | undefined): boolean {
  if (!selectionSet) return false;
  return selectionSet.selections.some((s) =>
    s.kind === Kind.FIELD
      ? s.name.value === '__schema' || s.name.value === '__type' || introspects(s.selectionSet)
      : s.kind === Kind.INLINE_FRAGMENT
        ? introspects(s.selectionSet)
        : false,
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
            throw new GraphQLError(
              'Introspection is for signed-in callers; the schema is published in schema/supergraph.graphql.',
              { extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } } },
            );
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const errors = response.body.singleResult.errors.map((e) => ({
            ...e,
            message: e.message.replace(/ ?Did you mean .+\?$/, ''),
          }));
          response.body.singleResult.errors = errors;
        },
      };
    },
  };
}
