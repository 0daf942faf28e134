import { GraphQLError } from 'graphql';

/**
 * The only error codes a client ever sees (STYLE.md habit 6). Each is set in
 * `extensions.code`; the message says what to do about it.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  /** Too many mutations from one caller; `retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * A passing fault (the database connection dropped, or a deadlock): nothing of the request was stored; send it again.
   */
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Extra, machine-readable detail carried next to the code. */
export interface HubErrorDetail {
  /** The input field at fault, as a dotted path (`input.items.2.ratioCapPercent`). */
  field?: string;
  /** The DOMAIN.md rule the input broke (`R2`). */
  rule?: string;
  [key: string]: unknown;
}

/** A client-facing error with a fixed code. */
export class HubError extends GraphQLError {
  constructor(code: ErrorCode, message: string, detail: HubErrorDetail = {}) {
    super(message, { extensions: { code, ...detail } });
  }
}

/** Input the caller can correct; names the field and, where one applies, the rule. */
export function badInput(message: string, detail: HubErrorDetail = {}): HubError {
  return new HubError(ErrorCode.BAD_USER_INPUT, message, detail);
}

export function forbidden(message: string, detail: HubErrorDetail = {}): HubError {
  return new HubError(ErrorCode.FORBIDDEN, message, detail);
}

export function unauthenticated(message: string): HubError {
  return new HubError(ErrorCode.UNAUTHENTICATED, message);
}

export function notFound(message: string, detail: HubErrorDetail = {}): HubError {
  return new HubError(ErrorCode.NOT_FOUND, message, detail);
}

export function conflict(message: string, detail: HubErrorDetail = {}): HubError {
  return new HubError(ErrorCode.CONFLICT, message, detail);
}

/** A programmer error: never reaches a client as such (the server masks it). */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
