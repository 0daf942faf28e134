import { randomUUID } from 'node:crypto';
import express from 'express';
import { isTransientDatabaseError } from '../../../kernel/datasource';
import { ErrorCode, HubError, unauthenticated } from '../../../kernel/errors';
import { answerError } from '../../../kernel/http-errors';
import { Role, type Identity } from '../../../kernel/identity';
import type { Logger } from '../../../kernel/log';
import { callerKey } from '../../../kernel/limits';
import { logAccess } from '../../../kernel/plugins/access-trace';
import { type ServiceRouteTools } from '../../../kernel/server';
import type { EvidenceService } from './evidence-service';

/** The extension a download is named with, by type. */
const EXTENSION: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

/** The header a phone names the hash of what it sends with (the hub refuses what arrived otherwise). */
export const CONTENT_SHA256_HEADER = 'x-content-sha256';

/**
 * The joint service's evidence over plain HTTP (issue J): binary files do not belong in GraphQL's
 * JSON. Same callers, codes and limits as its GraphQL (H2): a token for this service only, coded
 * JSON errors, the caller's changes counted with their mutations.
 *
 * - `POST /evidence?taskId=…&targetKey=…&kind=PHOTO|DOCUMENT|SIGNATURE`, the file as the body (any
 *   Content-Type; the type is read from the bytes), optionally `X-Content-SHA256`: answers 201 with
 *   `{ sha256, ref, mediaType, size, kind }` (200 when it was stored for the visit before).
 * - `GET /evidence/<sha256>`: the file, for the visit's team and the departments taking part (R30),
 *   never cached by shared caches, never run by the browser (a sandboxing Content-Security-Policy).
 *
 * Each request is traced in the access log as GraphQL operations are (R30).
 */
export function evidenceRoutes(
  service: EvidenceService,
  logger: Logger,
): (app: express.Express, tools: ServiceRouteTools) => void {
  return (app, tools) => {
    // A download refused as if the file did not exist (NOT_FOUND) is a refusal too, in the trace.
    const trace = (
      req: express.Request,
      identity: Identity | null,
      action: string,
      code: string | null,
      sha256: string | null,
    ) =>
      logAccess(logger, {
        service: 'joint',
        requestId:
          typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 100) : randomUUID(),
        identity,
        operation: action,
        type: action === 'evidence.read' ? 'query' : 'mutation',
        fields: ['evidence'],
        codes: code ? [code] : [],
        refused:
          code === ErrorCode.FORBIDDEN ||
          code === ErrorCode.UNAUTHENTICATED ||
          (action === 'evidence.read' && code === ErrorCode.NOT_FOUND),
        extra: { sha256 },
      });
    const failed =
      (
        req: express.Request,
        res: express.Response,
        next: express.NextFunction,
        identity: Identity | null,
        action: string,
      ) =>
      (thrown: unknown) => {
        // A passing database fault is UNAVAILABLE, as GraphQL answers it: nothing was stored; send again.
        const error = isTransientDatabaseError(thrown)
          ? new HubError(
              ErrorCode.UNAVAILABLE,
              'The database was briefly unavailable: nothing was stored; send the file again.',
              { retryable: true },
            )
          : thrown;
        const code = (error as { extensions?: { code?: unknown } })?.extensions?.code;
        trace(req, identity, action, typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR, null);
        answerError(res, next, error);
      };

    // The caller first, then the body: an upload is read (up to the cap) only for a caller who may send one.
    app.post(
      '/evidence',
      (req: express.Request, res: express.Response, next: express.NextFunction) => {
        void (async () => {
          const caller = await tools.caller(req);
          res.locals.identity = caller.identity;
          if (caller.identity.role === Role.PUBLIC)
            throw unauthenticated("Evidence is never public: sign in as a member of the visit's team.");
          // H2: the gateway counted this caller already; the hub's own services are not counted.
          if (!caller.viaGateway && caller.identity.role !== Role.SERVICE)
            await tools.changes.consume(callerKey({ identity: caller.identity, clientAddress: caller.clientAddress }));
        })().then(
          () => next(),
          (error: unknown) => {
            // Nothing of the body is read: the connection is closed after the answer, not drained.
            res.setHeader('connection', 'close');
            failed(req, res, next, (res.locals.identity as Identity | undefined) ?? null, 'evidence.upload')(error);
          },
        );
      },
      express.raw({ type: () => true, limit: service.maxBytes }),
      (error: { type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
        if (error.type !== 'entity.too.large') return next(error);
        res.setHeader('connection', 'close');
        res.status(413).json({
          errors: [
            {
              message:
                `The file is larger than the ${service.maxBytes} bytes evidence may have ` +
                `(${Math.floor(service.maxBytes / 1024 / 1024)} MB): send a smaller photo or split the ` +
                `document. Nothing was stored.`,
              extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'content', maxBytes: service.maxBytes },
            },
          ],
        });
      },
      (req: express.Request, res: express.Response, next: express.NextFunction) => {
        const identity = res.locals.identity as Identity;
        void (async () => {
          const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
          const expected = req.headers[CONTENT_SHA256_HEADER];
          const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          const { created, ...stored } = await service.upload(
            identity,
            {
              taskId: text('taskId'),
              targetKey: text('targetKey'),
              kind: text('kind'),
              expectedSha256: typeof expected === 'string' ? expected : null,
            },
            bytes,
          );
          trace(req, identity, 'evidence.upload', null, stored.sha256);
          res.status(created ? 201 : 200).json(stored);
        })().catch((error: unknown) => failed(req, res, next, identity, 'evidence.upload')(error));
      },
    );

    app.get('/evidence/:sha256', (req, res, next) => {
      let identity: Identity | null = null;
      void (async () => {
        identity = (await tools.caller(req)).identity;
        const sha256 = String(req.params.sha256);
        const { row, bytes } = await service.read(identity, sha256);
        trace(req, identity, 'evidence.read', null, sha256);
        res.set({
          'content-type': row.mediaType,
          'content-length': String(row.size),
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
          'content-disposition': `inline; filename="${sha256.slice(0, 16)}.${EXTENSION[row.mediaType] ?? 'bin'}"`,
          'x-content-sha256': sha256,
        });
        res.end(bytes);
      })().catch((error: unknown) => failed(req, res, next, identity, 'evidence.read')(error));
    });
  };
}
