import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway';

/**
 * Hive Gateway (`@graphql-hive/gateway`) in a process of its own for the benchmarks: its default
 * configuration (NODE_ENV=production, as the benchmark sets for every service), serving the
 * supergraph file given as the argument; the only setting added is what ours does too, passing
 * the caller's token on to the subgraphs. Logging off, as ours is in the benchmark. Prints `{"url": ...}`.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: serve-hive.ts <supergraph.graphql>');
  const hive = createGatewayRuntime({
    supergraph: file,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? '' }),
    },
  });
  const server = http.createServer(hive);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` })}\n`,
  );
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void hive[Symbol.asyncDispose]().then(() => process.exit(0)));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
