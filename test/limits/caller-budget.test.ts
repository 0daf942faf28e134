import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGateway, type GatewayHandle } from '../../gateway';
import { operationCost, UNBOUNDED_LIST_SIZE } from '../../gateway/operation-cost';
import { loadConfig } from '../../kernel/config';
import { Role, type TokenIssuer } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { composeSupergraph } from '../../subgraphs/registry/compose';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { FED2, servePlainSubgraph } from '../support/plain-subgraph';
import { testKeys } from '../support/hub';
import { Gates } from '../support/gates';

/**
 * H2, a flood: each caller's budget at the gateway (concurrent operations and in-flight cost), and
 * a subgraph that does not answer named as a timeout. A gateway of its own in front of two plain
 * subgraphs: "hold", whose `held` fields wait until the test opens their gate (so operations stay
 * in flight exactly as long as the test wants, without timing anything), and "silent", an HTTP
 * server that takes requests and never answers. No database: the same on SQLite and MySQL.
 */

const HOLD_SDL = `${FED2}
type Query {
  held(gate: String!): String
  heldItems(gate: String!, first: Int! = 20): [Item!]!
  items(first: Int! = 20): [Item!]!
  ping: String
  failing: String
}
type Item @key(fields: "id") { id: ID! name: String }`;
const SILENT_SDL = `${FED2}
type Query { silent: String }`;

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), name: `item ${i}` }));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

/** Posts a document over node:http (from `localAddress` when given: another anonymous caller). */
function post(
  url: string,
  query: string,
  options: { token?: string; localAddress?: string; signal?: AbortSignal; forwardedFor?: string } = {},
): Promise<Answer> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        localAddress: options.localAddress,
        signal: options.signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: JSON.parse(text) as Answer['body'],
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe(
  'H2: each caller has a budget at the gateway, and a ' + 'subgraph that does not answer is named as a timeout',
  () => {
    const gates = new Gates();
    /** Root fields the hold subgraph has resolved: a refused operation adds none. */
    let resolved = 0;
    let hold: Awaited<ReturnType<typeof servePlainSubgraph>>;
    let silent: http.Server;
    const silentSockets = new Set<net.Socket>();
    let gateway: GatewayHandle;
    let issuer: TokenIssuer;
    let dir: string;
    let supergraphFile: string;
    let limits: ReturnType<typeof loadConfig>['limits'];
    let webDir: string;
    const token = (subject: string) => issuer.issue({ subject, role: Role.AUDITOR, department: null });

    beforeAll(async () => {
      hold = await servePlainSubgraph(HOLD_SDL, {
        Query: {
          held: async (_: unknown, { gate }: { gate: string }) => {
            resolved++;
            await gates.wait(gate);
            return gate;
          },
          heldItems: async (_: unknown, { gate, first }: { gate: string; first: number }) => {
            resolved++;
            await gates.wait(gate);
            return items(first);
          },
          items: (_: unknown, { first }: { first: number }) => {
            resolved++;
            return items(first);
          },
          ping: () => {
            resolved++;
            return 'pong';
          },
          failing: () => {
            resolved++;
            throw new Error('this field always fails');
          },
        },
      });
      // Takes every request and never answers (a subgraph stuck behind others' work).
      silent = http.createServer(() => undefined);
      silent.on('connection', (socket) => {
        silentSockets.add(socket);
        socket.on('close', () => silentSockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/graphql`;

      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caller-budget-'));
      const composed = composeSupergraph([
        { name: 'hold', url: hold.url, sdl: HOLD_SDL },
        { name: 'silent', url: silentUrl, sdl: SILENT_SDL },
      ]);
      if ('errors' in composed) throw new Error(composed.errors.join('\n'));
      const file = path.join(dir, 'supergraph.graphql');
      fs.writeFileSync(file, composed.supergraphSdl);
      supergraphFile = file;
      const keys = await testKeys();
      issuer = keys.issuer;
      const config = loadConfig({
        JOINTCHECK_DATA_DIR: dir,
        JOINTCHECK_LOG_LEVEL: 'silent',
        JOINTCHECK_CALLER_CONCURRENCY: '2',
        JOINTCHECK_CALLER_COST: '1000',
        JOINTCHECK_SUBGRAPH_TIMEOUT_MS: '300',
      });
      ({ limits, webDir } = config);
      gateway = await startGateway({
        supergraph: { kind: 'file', file, pollMs: 60_000 },
        verifier: keys.verifier,
        signer: null,
        host: '127.0.0.1',
        port: 0,
        logger: createLogger('silent', 'gateway'),
        limits: config.limits,
        webDir: config.webDir,
      });
    });

    afterAll(async () => {
      await gateway?.stop();
      await hold?.stop();
      for (const socket of silentSockets) socket.destroy();
      await new Promise((resolve) => silent?.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(
      'H2: the cost estimate multiplies by first and by list arguments: many entities cost more than a few, and ' +
        '{__typename} costs 1',
      () => {
        const schema =
          buildSchema(`type Query { page(first: Int! = 20): Page!  byKeys(keys: [String!]!): [Item!]!  one: Item }
      type Page { nodes: [Item!]! }  type Item { id: ID! name: String tags: [String!]! }`);
        const cost = (query: string, variables: Record<string, unknown> = {}) => {
          const document = parse(query);
          return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
        };
        expect(cost('{ __typename }')).toBe(1);
        expect(cost('{ one { id name } }')).toBe(3);
        expect(cost('{ page(first: 100) { nodes { id name } } }')).toBe(1 + 100 * 3);
        expect(cost('{ page { nodes { id } } }')).toBe(1 + 20 * 2); // the argument's default
        expect(
          cost('query ($k: [String!]!) { byKeys(keys: $k) { id } }', {
            k: Array.from({ length: 1000 }, (_, i) => String(i)),
          }),
        ).toBe(1000 * 2);
        expect(cost('{ one { tags } }')).toBe(1 + UNBOUNDED_LIST_SIZE);
        expect(cost('{ one { ...F } } fragment F on Item { id name }')).toBe(3);
      },
    );

    it(
      'H2: a caller over its concurrency budget is refused at once (429, RATE_LIMITED, what it has in flight), ' +
        'nothing sent to a subgraph, while another caller is served',
      async () => {
        const flooder = await token('budget-flooder');
        const first = post(gateway.url, '{ held(gate: "c1") }', { token: flooder });
        const second = post(gateway.url, '{ held(gate: "c2") }', { token: flooder });
        await Promise.all([gates.arrived('c1'), gates.arrived('c2')]);
        const before = resolved;
        const refused = await post(gateway.url, '{ ping }', { token: flooder });
        expect(refused.status).toBe(429);
        expect(refused.headers['retry-after']).toBe('1');
        expect(refused.body.errors?.[0]?.extensions).toMatchObject({
          code: 'RATE_LIMITED',
          limit: 'concurrency',
          inFlight: 2,
          budget: 2,
          retryAfterSeconds: 1,
        });
        expect(refused.body.errors?.[0]?.message).toMatch(
          /you have 2 in flight, the most one caller may have at this gateway \(2\).*wait for an answer/,
        );
        expect(resolved).toBe(before);
        const other = await post(gateway.url, '{ ping }', { token: await token('budget-other') });
        expect(other.body).toEqual({ data: { ping: 'pong' } });
        gates.open('c1', 'c2');
        expect((await first).body).toEqual({ data: { held: 'c1' } });
        expect((await second).body).toEqual({ data: { held: 'c2' } });
        // Both slots were given back.
        expect((await post(gateway.url, '{ ping }', { token: flooder })).body).toEqual({ data: { ping: 'pong' } });
      },
    );

    it(
      'H2: a caller over its cost budget is refused while a cheap operation of the same caller fits; an ' +
        'operation over the whole budget runs alone',
      async () => {
        const caller = await token('budget-cost');
        // 200 × 3 = 600
        const heavy = post(gateway.url, '{ heldItems(gate: "k1", first: 200) { id name } }', { token: caller });
        await gates.arrived('k1');
        const before = resolved;
        const refused = await post(gateway.url, '{ items(first: 200) { id name } }', { token: caller });
        expect(refused.status).toBe(429);
        expect(refused.body.errors?.[0]?.extensions).toMatchObject({
          code: 'RATE_LIMITED',
          limit: 'cost',
          inFlight: 1,
          inFlightCost: 600,
          operationCost: 600,
          budget: 1000,
        });
        expect(refused.body.errors?.[0]?.message).toMatch(
          /estimated cost is 600.*already cost 600, over the 1000.*fewer entities at once/,
        );
        expect(resolved).toBe(before);
        expect((await post(gateway.url, '{ ping }', { token: caller })).body).toEqual({ data: { ping: 'pong' } });
        gates.open('k1');
        expect((await heavy).body.data?.heldItems).toHaveLength(200);
        // Nothing else in flight: an operation costing more than the whole budget (1000 × 3) runs.
        const alone = await post(gateway.url, '{ items(first: 1000) { id } }', { token: caller });
        expect(alone.status).toBe(200);
        expect(alone.body.data?.items).toHaveLength(1000);
      },
    );

    it('H2: slots are given back after errors, refusals and a client that goes away', async () => {
      const caller = await token('budget-errors');
      // Failed in a subgraph, refused by validation, refused by the budget: none keeps a slot.
      for (let i = 0; i < 3; i++)
        expect((await post(gateway.url, '{ failing }', { token: caller })).body.errors).toHaveLength(1);
      for (let i = 0; i < 3; i++)
        expect((await post(gateway.url, '{ nosuchfield }', { token: caller })).status).toBe(400);
      const a = post(gateway.url, '{ held(gate: "e1") }', { token: caller });
      const b = post(gateway.url, '{ held(gate: "e2") }', { token: caller });
      await Promise.all([gates.arrived('e1'), gates.arrived('e2')]);
      const refused = await post(gateway.url, '{ ping }', { token: caller });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', inFlight: 2 });
      gates.open('e1', 'e2');
      await Promise.all([a, b]);
      // A refused operation, then a good one: served.
      expect((await post(gateway.url, '{ ping }', { token: caller })).body).toEqual({ data: { ping: 'pong' } });

      // A client that goes away: its slot is held while the gateway still works on it, then given back.
      const abort = new AbortController();
      const gone = post(gateway.url, '{ held(gate: "e3") }', { token: caller, signal: abort.signal }).catch(
        (error: Error) => error,
      );
      await gates.arrived('e3');
      abort.abort();
      expect(await gone).toMatchObject({ name: 'AbortError' });
      const kept = post(gateway.url, '{ held(gate: "e4") }', { token: caller });
      await gates.arrived('e4');
      expect((await post(gateway.url, '{ ping }', { token: caller })).body.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        inFlight: 2,
      });
      gates.open('e3');
      // Once the gateway has finished the abandoned operation, the caller has one slot free again.
      let answer: Answer;
      do answer = await post(gateway.url, '{ ping }', { token: caller });
      while (answer.status === 429);
      expect(answer.body).toEqual({ data: { ping: 'pong' } });
      gates.open('e4');
      expect((await kept).body).toEqual({ data: { held: 'e4' } });
    });

    it(
      'H2: anonymous callers are counted by their address: one address over its budget is refused, another ' +
        'address is served',
      async () => {
        const a = post(gateway.url, '{ held(gate: "a1") }', { localAddress: '127.0.0.1' });
        const b = post(gateway.url, '{ held(gate: "a2") }', { localAddress: '127.0.0.1' });
        await Promise.all([gates.arrived('a1'), gates.arrived('a2')]);
        const refused = await post(gateway.url, '{ ping }', { localAddress: '127.0.0.1' });
        expect(refused.status).toBe(429);
        expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrency' });
        const elsewhere = await post(gateway.url, '{ ping }', { localAddress: '127.0.0.2' });
        expect(elsewhere.body).toEqual({ data: { ping: 'pong' } });
        // A signed-in caller from the same address has a budget of its own.
        expect(
          (
            await post(gateway.url, '{ ping }', {
              localAddress: '127.0.0.1',
              token: await token('budget-same-address'),
            })
          ).body,
        ).toEqual({ data: { ping: 'pong' } });
        gates.open('a1', 'a2');
        await Promise.all([a, b]);
      },
    );

    it(
      'H2: behind a proxy it trusts (JOINTCHECK_TRUST_PROXY) the gateway tells anonymous callers apart by ' +
        'X-Forwarded-For; without one, that header changes nothing',
      async () => {
        const behindProxy = await startGateway({
          supergraph: { kind: 'file', file: supergraphFile, pollMs: 60_000 },
          verifier: null,
          signer: null,
          host: '127.0.0.1',
          port: 0,
          logger: createLogger('silent', 'gateway'),
          limits,
          webDir,
          trustProxy: 'loopback',
        });
        try {
          const a = post(behindProxy.url, '{ held(gate: "p1") }', { forwardedFor: '203.0.113.7' });
          const b = post(behindProxy.url, '{ held(gate: "p2") }', { forwardedFor: '203.0.113.7' });
          await Promise.all([gates.arrived('p1'), gates.arrived('p2')]);
          expect((await post(behindProxy.url, '{ ping }', { forwardedFor: '203.0.113.7' })).status).toBe(429);
          expect((await post(behindProxy.url, '{ ping }', { forwardedFor: '198.51.100.2' })).body).toEqual({
            data: { ping: 'pong' },
          });
          // The gateway trusting no proxy: a caller cannot escape its budget by naming another address.
          const c = post(gateway.url, '{ held(gate: "p3") }');
          const d = post(gateway.url, '{ held(gate: "p4") }');
          await Promise.all([gates.arrived('p3'), gates.arrived('p4')]);
          expect((await post(gateway.url, '{ ping }', { forwardedFor: '198.51.100.9' })).status).toBe(429);
          gates.open('p1', 'p2', 'p3', 'p4');
          await Promise.all([a, b, c, d]);
        } finally {
          await behindProxy.stop();
        }
      },
    );

    it(
      'H2: a subgraph that does not answer within the timeout is named as a timeout, with the seconds and the ' +
        'subgraph; the other data is returned',
      async () => {
        const answer = await post(gateway.url, '{ ping silent }', { token: await token('budget-timeout') });
        expect(answer.status).toBe(200);
        expect(answer.body.data).toEqual({ ping: 'pong', silent: null });
        expect(answer.body.errors).toHaveLength(1);
        const error = answer.body.errors![0]!;
        expect(error.extensions).toMatchObject({
          code: 'DOWNSTREAM_SERVICE_ERROR',
          serviceName: 'silent',
          timeoutSeconds: 0.3,
        });
        expect(error.message).toMatch(/The silent subgraph did not answer within 0\.3 s/);
        expect(error.message).not.toMatch(/could not be reached/);
      },
    );
  },
);
