import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ErrorCode, HubError } from '../kernel/errors';
import { answerError } from '../kernel/http-errors';
import { Role, type Identity, type TokenIssuer } from '../kernel/identity';
import { callerKey } from '../kernel/limits';
import { type MutationLimiter } from '../kernel/plugins/mutation-rate-limit';

/** The joint service's subgraph name: the audience of the token the gateway signs for it. */
const JOINT = 'joint';

/** Headers of the joint service's answer the gateway passes on. */
const ANSWER_HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'content-disposition',
  'x-content-type-options',
  'content-security-policy',
  'x-content-sha256',
  'retry-after',
];

export interface EvidenceProxyOptions {
  /** The joint subgraph's GraphQL URL in the supergraph being served (null while it has none). */
  jointUrl: () => string | null;
  /** Who calls: as for /graphql (the identity provider's tokens or the hub's). */
  identifyCaller: (authorization: string | undefined) => Promise<{ identity: Identity; expiresAt: number | null }>;
  /** Signs the token for the joint service on the caller's behalf (H2: the caller's own token is never forwarded). */
  signer: TokenIssuer | null;
  /** The gateway's count of changes per caller: a file sent is one change, as a mutation is. */
  changes: MutationLimiter;
  /** The largest file (JOINTCHECK_MAX_EVIDENCE_BYTES): a larger one is refused before it is sent on. */
  maxBytes: number;
  /** Each forwarded request's time limit (the subgraph timeout). */
  timeoutMs: number;
}

/**
 * `/evidence` at the gateway (issue J): the joint service's evidence routes (photos, documents,
 * signatures, the hub's papers; subgraphs/joint/visits/evidence-routes.ts) reached through the one
 * address the page knows. The gateway does for them what it does for GraphQL (H2): it verifies the
 * caller, counts a file sent against the caller's changes a minute, refuses a body over the cap
 * before sending anything on, and forwards a token it signs for the joint service alone (never the
 * caller's). The answer, bytes or coded JSON error, is the joint service's.
 */
export function evidenceProxy(options: EvidenceProxyOptions): express.Router {
  const router = express.Router();
  router.use((req, res, next) => {
    // Only the two routes there are: POST /evidence, and GET (HEAD) /evidence/<sha256>. The path sent
    // on is built from what was checked here, never copied from the request (no `..` reaches elsewhere).
    const hash = /^\/([0-9a-f]{64})$/.exec(req.path)?.[1];
    const upload = req.method === 'POST' && (req.path === '/' || req.path === '');
    const download = (req.method === 'GET' || req.method === 'HEAD') && hash !== undefined;
    if (!upload && !download) return next();
    void (async () => {
      const { identity, expiresAt } = await options.identifyCaller(req.headers.authorization);
      if (identity.role === Role.PUBLIC)
        throw new HubError(
          ErrorCode.UNAUTHENTICATED,
          "Evidence is never public: sign in as a member of the visit's team or an official of a department " +
            'taking part.',
        );
      if (upload) {
        const length = Number(req.headers['content-length']);
        if (Number.isFinite(length) && length > options.maxBytes) throw tooLarge(options.maxBytes);
        await options.changes.consume(
          callerKey({ identity, clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown' }),
        );
      }
      const joint = options.jointUrl();
      if (!joint)
        throw new HubError(
          ErrorCode.UNAVAILABLE,
          'The joint service is not part of the supergraph being served: evidence cannot be reached now; try ' +
            'again shortly.',
          { retryable: true },
        );
      const target = new URL(joint);
      target.pathname = upload ? '/evidence' : `/evidence/${hash}`;
      target.search = upload ? new URL(req.originalUrl, 'http://gateway').search : '';
      const headers: http.OutgoingHttpHeaders = { 'x-request-id': randomUUID() };
      if (options.signer)
        headers.authorization = `Bearer ${(await options.signer.forward(JOINT, identity, expiresAt)).token}`;
      for (const name of ['content-type', 'content-length', 'x-content-sha256'])
        if (upload && req.headers[name] !== undefined) headers[name] = req.headers[name];
      await forward(req, res, target, headers, options);
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      // An upload refused before its body was read: the connection closes after the answer (the rest is not drained).
      if (upload && !req.complete) res.setHeader('connection', 'close');
      answerError(res, next, error);
    });
  });
  return router;
}

function tooLarge(maxBytes: number): HubError {
  return new HubError(
    ErrorCode.BAD_USER_INPUT,
    `The file is larger than the ${maxBytes} bytes evidence may have (${Math.floor(maxBytes / 1024 / 1024)} ` +
      `MB): send a smaller photo or split the document. Nothing was stored.`,
    { field: 'content', maxBytes, http: { status: 413 } },
  );
}

/**
 * Sends the request on and pipes the answer back. A body growing past the cap stops the transfer
 * (413); a caller that goes away stops the upstream request (the joint service stores nothing of a
 * body cut short: express.raw refuses it).
 */
function forward(
  req: express.Request,
  res: express.Response,
  target: URL,
  headers: http.OutgoingHttpHeaders,
  options: EvidenceProxyOptions,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const client = target.protocol === 'https:' ? https : http;
    const upstream = client.request(target, { method: req.method, headers, timeout: options.timeoutMs }, (answer) => {
      res.status(answer.statusCode ?? 502);
      for (const name of ANSWER_HEADERS)
        if (answer.headers[name] !== undefined) res.setHeader(name, answer.headers[name]!);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('timeout', () =>
      upstream.destroy(
        new HubError(
          ErrorCode.DOWNSTREAM_SERVICE_ERROR,
          `The joint service did not answer within ${options.timeoutMs / 1000} s; nothing is known to be ` +
            `stored. Send the file again (a file stored twice is kept once).`,
          { serviceName: JOINT },
        ),
      ),
    );
    upstream.on('error', (error) =>
      reject(
        error instanceof HubError
          ? error
          : new HubError(
              ErrorCode.DOWNSTREAM_SERVICE_ERROR,
              'The joint service could not be reached; send the file again later (a file stored twice is kept once).',
              { serviceName: JOINT },
            ),
      ),
    );
    // The caller went away (the phone lost its signal): nothing more will come; the joint service is told at once.
    req.on('aborted', () => upstream.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (req.method !== 'POST') return void upstream.end();
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= options.maxBytes) return;
      req.unpipe(upstream);
      req.pause();
      upstream.destroy();
      reject(tooLarge(options.maxBytes));
    });
    req.pipe(upstream);
  });
}

/** The joint subgraph's URL in a supergraph (its `join__Graph` value named "joint"), or null. */
export function jointUrlIn(supergraphSdl: string): string | null {
  return /@join__graph\(\s*name:\s*"joint"\s*,\s*url:\s*"([^"]+)"\s*\)/.exec(supergraphSdl)?.[1] ?? null;
}
