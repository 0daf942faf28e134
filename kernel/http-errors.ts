import { randomUUID } from 'node:crypto';
import type express from 'express';
import { ErrorCode } from './errors';
import type { Logger } from './log';

/**
 * H2: a path nothing answers is a coded JSON 404, not express's HTML page. Mounted after every
 * route of a service (and after the gateway's public page).
 */
export function notFoundAsJson(): express.RequestHandler {
  return (req, res) => {
    res.status(404).json({
      errors: [
        {
          message:
            `Nothing is served at ${req.method} ${req.path}: GraphQL is at /graphql (POST), the probe at ` + `/health.`,
          extensions: { code: ErrorCode.NOT_FOUND },
        },
      ],
    });
  };
}

/**
 * H2: the last error handler of the gateway and of every service. Whatever reaches it is answered
 * as GraphQL errors are, with a code, and never with express's HTML page (which shows the stack
 * trace and this machine's paths). A client's fault that express or body-parser names (a 4xx with
 * a message meant for clients: an unsupported charset, a body cut short) keeps its status and
 * message as BAD_USER_INPUT; anything else is a bug: logged with a reference, answered 500.
 */
export function codedErrors(logger: Logger): express.ErrorRequestHandler {
  return (error: { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown }, _req, res, next) => {
    // Half an answer already sent: only express can end it (it closes the connection).
    if (res.headersSent) return next(error);
    const status = Number(error?.status ?? error?.statusCode);
    if (status >= 400 && status < 500 && error.expose === true && typeof error.message === 'string') {
      res.status(status).json({ errors: [{ message: error.message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
      return;
    }
    const reference = randomUUID();
    logger.error({ err: error, reference }, 'unexpected error outside GraphQL');
    res.status(500).json({
      errors: [
        {
          message: `Internal error (reference ${reference}); nothing was changed. Try again or report the reference.`,
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, reference },
        },
      ],
    });
  };
}

/** The HTTP status that goes with a code, for the hub's few routes outside GraphQL (evidence, issue J). */
export function httpStatusOf(code: unknown): number {
  switch (code) {
    case ErrorCode.BAD_USER_INPUT:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
      return 409;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.DOWNSTREAM_SERVICE_ERROR:
      return 502;
    case ErrorCode.UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}

/**
 * Answers a route outside GraphQL with the error as GraphQL would word it (H2: the same codes
 * everywhere): a client-facing error (a GraphQLError with a code) with its status, message and
 * detail; anything else goes on to codedErrors (logged with a reference, 500).
 */
export function answerError(res: express.Response, next: express.NextFunction, error: unknown): void {
  const extensions = (error as { extensions?: Record<string, unknown> } | null)?.extensions;
  if (!extensions || typeof extensions.code !== 'string' || !(error instanceof Error)) return next(error);
  const { http, ...detail } = extensions as { http?: { status?: number } } & Record<string, unknown>;
  const status = http?.status ?? httpStatusOf(extensions.code);
  if (typeof detail.retryAfterSeconds === 'number') res.setHeader('retry-after', String(detail.retryAfterSeconds));
  res.status(status).json({ errors: [{ message: error.message, extensions: detail }] });
}
