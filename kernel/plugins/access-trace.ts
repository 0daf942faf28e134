import { type ApolloServerPlugin } from '@apollo/server';
import { answeredCodes, isFederationRead } from './answered';
import type { RequestContext } from '../context';
import { ErrorCode } from '../errors';
import { type Identity } from '../identity';
import type { Logger } from '../log';

/**
 * R30: every read and write is traced. Each operation a service runs is logged (the `access`
 * trace) with who ran it (subject, role, department), the request id the gateway gave it, the
 * operation's name and type, the root fields it touched, and whether it was refused. Values are
 * never logged. Ship the logs to the hub's log store to keep the trace.
 */
/**
 * One line of the access trace (R30): GraphQL operations (accessTrace) and the routes outside it
 * (the joint service's evidence) write the same fields. `extra` adds what the route names (a file's hash).
 */
export function logAccess(
  logger: Logger,
  line: {
    service: string;
    requestId: string;
    identity: Identity | null;
    operation: string | null;
    type: string | null;
    fields: string[];
    codes: string[];
    refused?: boolean;
    extra?: Record<string, unknown>;
  },
): void {
  const { identity, codes } = line;
  logger.info(
    {
      trace: 'access',
      service: line.service,
      requestId: line.requestId,
      subject: identity?.subject ?? null,
      role: identity?.role ?? null,
      department: identity?.department ?? null,
      operation: line.operation,
      type: line.type,
      fields: line.fields,
      ...line.extra,
      refused: line.refused ?? (codes.includes(ErrorCode.FORBIDDEN) || codes.includes(ErrorCode.UNAUTHENTICATED)),
      errors: codes,
    },
    'access',
  );
}

export function accessTrace<C extends RequestContext>(service: string, logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse(answer) {
          const { operation, operationName } = answer;
          if (isFederationRead(operation)) return;
          const fields =
            operation?.selectionSet.selections
              .flatMap((s) => (s.kind === 'Field' ? [s.name.value] : []))
              .filter((f) => f !== '_service') ?? [];
          const codes = answeredCodes(answer);
          const { identity, requestId } = contextValue;
          logAccess(logger, {
            service,
            requestId,
            identity,
            operation: operationName ?? null,
            type: operation?.operation ?? null,
            fields,
            codes,
          });
        },
      };
    },
  };
}
