import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A load balancer in front of several instances of one service, as a province runs them (nginx,
 * or a container platform's service address): each request goes to the next instance in turn; an
 * instance that refuses the connection (stopped, killed) is skipped and the request sent to the
 * next. A request cut off mid-way is answered 502, as a proxy does.
 */
export async function roundRobin(upstreams: readonly string[]): Promise<{ url: string; stop(): Promise<void> }> {
  let next = 0;
  const agent = new http.Agent({ keepAlive: true });
  const forward = (
    target: URL,
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host }, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      for (let tried = 0; tried < upstreams.length; tried++) {
        const base = new URL(upstreams[next++ % upstreams.length]!);
        const target = new URL(req.url ?? '/', base);
        try {
          const answer = await forward(target, req, body);
          res.writeHead(answer.status, answer.headers).end(answer.body);
          return;
        } catch (error) {
          // Refused: that instance is down, the next one is tried. Anything else: the request may have run.
          if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') break;
        }
      }
      res.writeHead(502, { 'content-type': 'application/json' }).end('{"errors":[{"message":"bad gateway"}]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
