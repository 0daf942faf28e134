import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import express from 'express';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { HubConfig } from './config';
import type { RequestContext } from './context';
import { ErrorCode } from './errors';
import { Role } from './identity';

/** The request limits of the configuration: the gateway and every service apply the same (H2). */
export type RequestLimits = HubConfig['limits'];

/**
 * The token limit, with graphql-armor's own counting parser, checked on the request body before
 * Apollo parses it; answered like the other limits (400, GRAPHQL_VALIDATION_FAILED). A document
 * that does not parse for another reason goes on to Apollo, which names the syntax error.
 */
export function tokenLimit(
  maxTokens: number,
): (req: { body?: unknown }, res: { status(code: number): { json(body: unknown): void } }, next: () => void) => void {
  // Documents already counted within the limit (clients send the same few documents again and
  // again; the gateway benchmark measured the count at 3% of a request). Keyed by the text itself.
  const within = new LRUCache<string, true>({
    max: 1000,
    maxSize: 4 * 1024 * 1024,
    sizeCalculation: (_v, key) => key.length || 1,
  });
  return (req, res, next) => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || within.has(query)) return next();
    try {
      new MaxTokensParserWLexer(query, { n: maxTokens }).parseDocument();
      within.set(query, true);
    } catch (error) {
      if (error instanceof GraphQLError && /Token limit of/.test(error.message)) {
        res
          .status(400)
          .json({ errors: [{ message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
        return;
      }
    }
    next();
  };
}

/**
 * The request body: JSON, at most `maxBodyBytes`; then the token limit. H2: mounted before
 * GraphQL at the gateway and at every service, followed by `bodyErrors` for what it refuses.
 */
export function requestBody(limits: RequestLimits): express.RequestHandler[] {
  return [express.json({ limit: limits.maxBodyBytes }), tokenLimit(limits.maxTokens)];
}

/**
 * A body over the cap (413) or not JSON (400) is answered as GraphQL, with a code, before anything
 * runs (H2: at every service as at the gateway, never express's HTML page with a stack trace).
 */
export function bodyErrors(limits: RequestLimits): express.ErrorRequestHandler {
  return (error: { type?: string }, _req, res, next) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({
        errors: [
          {
            message: `The request body is larger than the ${limits.maxBodyBytes} bytes allowed; send less at once.`,
            extensions: { code: ErrorCode.BAD_USER_INPUT, limit: limits.maxBodyBytes },
          },
        ],
      });
      return;
    }
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({
        errors: [{ message: 'The request body is not valid JSON.', extensions: { code: ErrorCode.BAD_USER_INPUT } }],
      });
      return;
    }
    next(error);
  };
}

/**
 * Who a limit counts: the token's subject and role (and department), or the address of an anonymous caller (the
 * mutation limit, the gateway's callers' budget).
 */
export function callerKey(context: Pick<RequestContext, 'identity' | 'clientAddress'>): string {
  const { identity } = context;
  return identity.role === Role.PUBLIC
    ? `ip:${context.clientAddress}`
    : `sub:${identity.role}:${identity.department ?? '-'}:${identity.subject}`;
}
