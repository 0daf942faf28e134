import http from 'node:http';
import https from 'node:https';

/** What the hub's clients read of a service's answer (the part of a fetch `Response` they use). */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: Headers;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** A service that did not answer whole within the client's timeout (H2). */
export class SubgraphTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${url} did not answer within ${timeoutMs} ms`);
  }
}

/**
 * How the hub's services post to each other (the gateway to subgraphs, the joint service to
 * departments): node:http on kept-alive sockets (an agent per client, up to 256 sockets per
 * service), the answer read whole, then handed over as the few parts of a fetch `Response` the
 * callers read. It replaces Node's `fetch` (undici, with web streams) after the gateway and
 * write-back benchmarks showed the client's cost per request (BENCHMARKS.md).
 * Idle sockets are dropped a second before the subgraph's announced keep-alive timeout (Node's
 * agent reads the `Keep-Alive: timeout=65` hint every subgraph of the hub sends), so a request is
 * never written on a socket the subgraph is closing. A subgraph that has not answered whole
 * within `timeoutMs` of the request is given up (H2: a deadline on the whole answer, not only on
 * an idle socket): the request is rejected with a `SubgraphTimeoutError` carrying the timeout,
 * so a caller can say the subgraph did not answer in time rather than that it could not be reached.
 */
export function keptAliveFetcher(
  timeoutMs = 30_000,
): (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<SubgraphResponse> {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
  };
  return (url, init) =>
    new Promise<SubgraphResponse>((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : http;
      const body = init.body ?? '';
      const request = client.request(
        target,
        {
          method: init.method ?? 'POST',
          agent: agents[target.protocol as 'http:' | 'https:'],
          headers: { ...init.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            clearTimeout(deadline);
            const text = Buffer.concat(chunks).toString('utf8');
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers))
              if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
            const status = response.statusCode ?? 0;
            resolve({
              ok: status >= 200 && status < 300,
              status,
              statusText: response.statusMessage ?? '',
              url,
              headers,
              text: async () => text,
              json: async () => JSON.parse(text) as unknown,
            });
          });
        },
      );
      // Rejected before the socket is destroyed: the answer names the timeout, not the reset that follows.
      const deadline = setTimeout(() => {
        const timedOut = new SubgraphTimeoutError(url, timeoutMs);
        reject(timedOut);
        request.destroy(timedOut);
      }, timeoutMs);
      request.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      request.end(body);
    });
}
