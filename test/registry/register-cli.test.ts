import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runScript } from '../support/cli';

/** Listens on a free port of 127.0.0.1 with `handler`; resolves to the server. */
async function serve(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const urlOf = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
const close = (server: http.Server) => new Promise((resolve) => server.close(resolve));

/**
 * `npm run register` with a wrong registry address (H1 point 7): it says which address it tried,
 * why it got no answer, and that `--registry URL` sets it, instead of a bare "fetch failed".
 */
describe('npm run register: a registry that cannot be reached', () => {
  const register = (registry: string) =>
    runScript(
      'scripts/register.ts',
      [
        '--name',
        'customs',
        '--code',
        'customs',
        '--url',
        'http://127.0.0.1:1/graphql',
        '--token',
        'a-token',
        '--registry',
        registry,
      ],
      { JOINTCHECK_LOG_LEVEL: 'silent' },
    );

  it('a closed port: exit 1, the address tried, connection refused, and --registry with its default', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = await serve(() => undefined);
    const closed = urlOf(server);
    await close(server);
    const run = await register(closed);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `The registry at ${closed} could not be reached: connection refused (nothing listens at that address). ` +
        `--registry URL sets the registry's address (by default JOINTCHECK_REGISTRY_URL, else the gateway's, ` +
        `http://127.0.0.1:4000/graphql, from JOINTCHECK_HOST and JOINTCHECK_PORT); check that the hub answers ` +
        `there.`,
    );
  });

  it(
    'an address that answers, but not GraphQL (a 404 page): exit 1, the address, the HTTP status, and ' + '--registry',
    async () => {
      const server = await serve(
        (_req, res) => void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
      );
      try {
        const run = await register(urlOf(server));
        expect(run.code).toBe(1);
        expect(run.stderr).toContain(
          `The registry at ${urlOf(server)} could not be reached: it answered HTTP 404 without a GraphQL answer ` +
            `(not a GraphQL endpoint). --registry URL sets the registry's address`,
        );
      } finally {
        await close(server);
      }
    },
  );
});
