import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlanNode } from '@apollo/query-planner';
import { keptAliveFetcher } from '../kernel/http-client';
import { planOf, REFERENCE_QUERY, runPlan } from './query-plan';

/**
 * The floor of the gateway benchmark in a process of its own: an HTTP server that answers the
 * reference query by running its query plan's fetches straight against the subgraphs (the same
 * subgraph operations, in the same order, over the kept-alive node:http client our gateway uses, the
 * caller's token passed on) and returns the merged data as it comes: no parsing, validation,
 * planning or result shaping. Only the reference query. Prints `{"url": ...}`.
 */
/** The same kept-alive node:http client our gateway and joint service use. */
const post = keptAliveFetcher();

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: serve-floor.ts <supergraph.graphql>');
  const { plan, urls } = planOf(fs.readFileSync(file, 'utf8'), REFERENCE_QUERY);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as { variables: Record<string, unknown> };
      const headers = {
        'content-type': 'application/json',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      };
      const fetchFrom = async (service: string, query: string, vars: Record<string, unknown>) => {
        const body = (await (
          await post(urls[service]!, { method: 'POST', headers, body: JSON.stringify({ query, variables: vars }) })
        ).json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        if (body.errors) throw new Error(`${service}: ${JSON.stringify(body.errors).slice(0, 300)}`);
        return body.data!;
      };
      const data: Record<string, unknown> = {};
      runPlan(plan.node as PlanNode, data, variables, fetchFrom).then(
        () => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data }));
        },
        (error: Error) => {
          res.statusCode = 502;
          res.end(JSON.stringify({ errors: [{ message: error.message }] }));
        },
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` })}\n`,
  );
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
