import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../kernel/log';
import { HealthMonitor } from '../../subgraphs/registry/health';

/** A tiny HTTP server: answers `{ __typename }` on POST /graphql, and `/health` as told. */
async function server(
  health: (res: http.ServerResponse) => void,
): Promise<{ url: string; hits: string[]; stop(): Promise<void> }> {
  const hits: string[] = [];
  const s = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.method === 'POST' && req.url === '/graphql') {
      res.setHeader('content-type', 'application/json');
      return void res.end(JSON.stringify({ data: { __typename: 'Query' } }));
    }
    if (req.url === '/health') return health(res);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    hits,
    stop: () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

/** The registry's health monitor against subgraphs whose `/health` says more than `{ __typename }` does (issue E). */
describe("the registry's health monitor reads a subgraph's /health", () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });
  /**
   * A monitor whose probes may take a minute: no test depends on how fast a loaded machine answers.
   * Only a /health that never answers is given a short deadline (it can only run out).
   */
  const monitorOf = (subgraphs: Array<{ name: string; url: string }>, healthMs = 60_000) =>
    new HealthMonitor(async () => subgraphs, 3_600_000, createLogger('silent', 'registry'), {
      graphqlMs: 60_000,
      healthMs,
    });

  it(
    'DEGRADED with the reason (cut short) when /health says a system it depends on is down; UP when /health is ' +
      'fine or absent',
    async () => {
      const degraded = await server((res) =>
        json(res, 503, {
          status: 'degraded',
          upstream: { ok: false, error: `The emergency database could not answer (ECONNREFUSED). ${'x'.repeat(5000)}` },
        }),
      );
      const fine = await server((res) => json(res, 200, { status: 'ok' }));
      const plain = await server((res) => json(res, 404, {}));
      const page = await server((res) => json(res, 503, { message: 'maintenance page, not ours' }));
      stops.push(degraded.stop, fine.stop, plain.stop, page.stop);
      const monitor = monitorOf([
        { name: 'degraded', url: degraded.url },
        { name: 'fine', url: fine.url },
        { name: 'plain', url: plain.url },
        { name: 'page', url: page.url },
      ]);
      await monitor.checkNow();
      const states = Object.fromEntries((await monitor.list()).map((s) => [s.name, s]));
      expect(states.degraded).toMatchObject({
        status: 'DEGRADED',
        error: expect.stringMatching(
          /^it answers, but a system it depends on does not: The emergency database could not answer \(ECONNREFUSED\)/,
        ),
      });
      expect(states.degraded!.error!.length).toBeLessThanOrEqual(400);
      expect(states.fine!.status).toBe('UP');
      expect(states.plain!.status).toBe('UP');
      expect(states.page!.status).toBe('UP');
    },
  );

  it('DEGRADED when /health hangs, though GraphQL answers', async () => {
    const hanging = await server(() => undefined);
    stops.push(hanging.stop);
    const monitor = monitorOf([{ name: 'hanging', url: hanging.url }], 300);
    await monitor.checkNow();
    expect((await monitor.list())[0]).toMatchObject({
      status: 'DEGRADED',
      error: 'it answers, but its /health did not answer within 300 ms',
    });
  });

  it('never follows a redirect: a registered URL is probed where it is, not where it points', async () => {
    const elsewhere = await server((res) =>
      json(res, 503, { status: 'degraded', upstream: { error: 'text from somewhere else' } }),
    );
    const redirecting = await server((res) => {
      res.statusCode = 302;
      res.setHeader('location', elsewhere.url.replace('/graphql', '/health'));
      res.end();
    });
    stops.push(elsewhere.stop, redirecting.stop);
    const monitor = monitorOf([{ name: 'redirecting', url: redirecting.url }]);
    await monitor.checkNow();
    expect((await monitor.list())[0]).toMatchObject({ status: 'UP', error: null });
    expect(elsewhere.hits).toEqual([]);
  });
});
