import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { startGateway, type GatewayHandle } from '../../gateway';
import { supergraphProblem } from '../../gateway/supergraph-source';
import { loadConfig } from '../../kernel/config';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { maskUnexpectedErrors } from '../../kernel/server';
import { composeSupergraph } from '../../subgraphs/registry/compose';
import { FED2, servePlainSubgraph } from '../support/plain-subgraph';
import { postGraphQL, testKeys } from '../support/hub';
import { freePort } from '../support/ports';

const WIDGETS_SDL = `${FED2} type Query { widget: Int  brokenWidget: Int  codedWidget: Int  limitedWidget: Int }`;

/** The gateway run alone on an outside supergraph file, as on a federation conformance suite. */
describe('H2: the gateway run alone on a supergraph file', () => {
  let dir: string;
  let file: string;
  let widgets: Awaited<ReturnType<typeof servePlainSubgraph>>;
  let gateway: GatewayHandle;
  let config: ReturnType<typeof loadConfig>;
  let keys: Awaited<ReturnType<typeof testKeys>>;

  beforeAll(async () => {
    widgets = await servePlainSubgraph(WIDGETS_SDL, {
      Query: {
        widget: () => 7,
        brokenWidget: () => {
          throw new Error('the widget store is closed for stocktaking');
        },
        codedWidget: () => {
          throw new GraphQLError('no widget for you', { extensions: { code: 'FORBIDDEN' } });
        },
        // A refusal with an HTTP status, as the hub's services answer their limits (429, 400, 413).
        limitedWidget: () => {
          throw new GraphQLError('Too many widgets: try again in 3 s.', {
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3, http: { status: 429 } },
          });
        },
      },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-alone-'));
    const composed = composeSupergraph([{ name: 'widgets', url: widgets.url, sdl: WIDGETS_SDL }]);
    if ('errors' in composed) throw new Error(composed.errors.join('\n'));
    file = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(file, composed.supergraphSdl);
    keys = await testKeys();
    config = loadConfig({ JOINTCHECK_DATA_DIR: dir, JOINTCHECK_LOG_LEVEL: 'silent', JOINTCHECK_SUPERGRAPH_FILE: file });
    gateway = await startGateway({
      supergraph: { kind: 'file', file, pollMs: 50 },
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
    await widgets?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    "H2: a subgraph's own error keeps its message, code and serviceName (as stock Apollo Gateway answers); no " +
      'stack trace leaves',
    async () => {
      const answer = await postGraphQL<{ widget: number; brokenWidget: number | null }>(
        gateway.url,
        '{ widget brokenWidget }',
      );
      expect(answer.data).toEqual({ widget: 7, brokenWidget: null });
      expect(answer.errors).toHaveLength(1);
      const error = answer.errors![0]!;
      expect(error.message).toBe('the widget store is closed for stocktaking');
      expect(error.path).toEqual(['brokenWidget']);
      expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', serviceName: 'widgets' });
      expect(error.extensions?.reference).toBeUndefined();
      expect(JSON.stringify(answer)).not.toMatch(/stacktrace|\n\s+at |node_modules/);
      const coded = await postGraphQL(gateway.url, '{ codedWidget }');
      expect(coded.errors?.[0]).toMatchObject({
        message: 'no widget for you',
        extensions: { code: 'FORBIDDEN', serviceName: 'widgets' },
      });
    },
  );

  it(
    "H2: a subgraph that refuses with an HTTP status keeps its own message and code, named (not 'answered HTTP " +
      "429')",
    async () => {
      const answer = await postGraphQL<{ widget: number; limitedWidget: number | null }>(
        gateway.url,
        '{ widget limitedWidget }',
      );
      expect(answer.errors?.[0]?.message).toBe(
        'The widgets subgraph refused this part: Too many widgets: try again in 3 s.',
      );
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        serviceName: 'widgets',
        upstreamStatus: 429,
        retryAfterSeconds: 3,
      });
    },
  );

  it(
    'H2: a supergraph that parses but cannot be served (a subgraph without its URL, a type of an unknown ' +
      'subgraph) is found before it is served or kept',
    () => {
      const good = fs.readFileSync(file, 'utf8');
      expect(supergraphProblem(good)).toBeNull();
      const withoutUrl = good.replace(/(join__graph\(name: "widgets", url: )"[^"]*"/, '$1""');
      expect(withoutUrl).not.toBe(good);
      expect(supergraphProblem(withoutUrl)).toMatch(/without a URL: widgets/);
      const unknownGraph = good.replace(/join__type\(graph: WIDGETS\)/, 'join__type(graph: NOWHERE)');
      expect(unknownGraph).not.toBe(good);
      expect(supergraphProblem(unknownGraph)).toMatch(/NOWHERE/);
    },
  );

  it("H2: only the gateway's own unexpected errors are masked with a reference", () => {
    const mask = maskUnexpectedErrors(createLogger('silent', 'gateway'));
    const own = mask(
      {
        message: 'Cannot read properties of undefined',
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at /work/x.ts:1'] },
      },
      new Error('Cannot read properties of undefined'),
    );
    expect(own.message).toMatch(/^Internal error \(reference [0-9a-f-]{36}\)/);
    expect(own.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', reference: expect.any(String) });
  });

  it('H2: /health says which supergraph it serves (the file)', async () => {
    const health = await fetch(gateway.url.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      service: 'gateway',
      supergraph: { origin: 'file', file, version: null, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it('H2: a broken supergraph file is reported and the gateway keeps serving the one it has', async () => {
    const good = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, 'this is not a supergraph {');
      const deadline = Date.now() + 10_000;
      while (!gateway.supergraph.rejected && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(gateway.supergraph.rejected).toMatchObject({
        number: null,
        reason: expect.stringMatching(/Syntax Error/),
      });
      expect(await postGraphQL(gateway.url, '{ widget }')).toEqual({ data: { widget: 7 } });
      const health = (await (await fetch(gateway.url.replace(/\/graphql$/, '/health'))).json()) as {
        status: string;
        supergraph: { rejected: unknown };
      };
      expect(health.status).toBe('ok');
      expect(health.supergraph.rejected).toMatchObject({ reason: expect.stringMatching(/Syntax Error/) });
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  it('H2: JOINTCHECK_SUPERGRAPH_CACHE with JOINTCHECK_SUPERGRAPH_FILE is refused, saying why', () => {
    expect(() =>
      loadConfig({ JOINTCHECK_SUPERGRAPH_FILE: file, JOINTCHECK_SUPERGRAPH_CACHE: path.join(dir, 'cache.json') }),
    ).toThrow(
      /JOINTCHECK_SUPERGRAPH_CACHE is the last good copy of the registry's versions.*supergraph file is its own/,
    );
    expect(loadConfig({ JOINTCHECK_SUPERGRAPH_FILE: file }).supergraph.file).toBe(file);
  });

  it('H2: /health answers 503, not ok, while the gateway serves no supergraph yet', async () => {
    const port = await freePort();
    const unreachable = { kind: 'mysql' as const, url: 'mysql://root@127.0.0.1:9', prefix: 'nowhere_' };
    const starting = startGateway({
      supergraph: {
        kind: 'registry',
        db: unreachable,
        cacheFile: path.join(dir, 'none.json'),
        pollMs: 100,
        startupWaitMs: 3000,
      },
      verifier: keys.verifier,
      signer: null,
      host: '127.0.0.1',
      port,
      logger: createLogger('silent', 'gateway'),
      limits: config.limits,
      webDir: config.webDir,
    });
    const failed = starting.then(
      () => null,
      (error: Error) => error,
    );
    let seen: { status: number; body: Record<string, unknown> } | null = null;
    while (!seen) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        seen = { status: response.status, body: (await response.json()) as Record<string, unknown> };
      } catch {
        if (await Promise.race([failed, new Promise((resolve) => setTimeout(() => resolve(undefined), 20))])) break;
      }
    }
    expect(seen).toMatchObject({ status: 503, body: { status: 'unavailable', service: 'gateway', supergraph: null } });
    const graphql = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(graphql.status).toBe(503);
    expect(
      ((await graphql.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code,
    ).toBe('UNAVAILABLE');
    expect((await failed)?.message).toMatch(/has no supergraph/);
    // It stopped listening when it gave up.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it(
    'H2: the gateway process alone on a supergraph file, with the default settings, makes no key: nothing ' +
      'private is written, every caller is the public (Authorization not read, as stock Apollo Gateway does)',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-alone-data-'));
      const port = await freePort();
      const child = spawn(
        process.execPath,
        ['-r', '@swc-node/register', path.join(__dirname, '..', '..', 'gateway', 'main.ts')],
        {
          cwd: path.join(__dirname, '..', '..'),
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            JOINTCHECK_DATA_DIR: dataDir,
            JOINTCHECK_SUPERGRAPH_FILE: file,
            JOINTCHECK_PORT: String(port),
            JOINTCHECK_LOG_LEVEL: 'silent',
          },
          stdio: 'ignore',
        },
      );
      try {
        const deadline = Date.now() + 60_000;
        let health: Response | null = null;
        while (!health && Date.now() < deadline) {
          health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
          if (!health) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(health?.status).toBe(200);
        const served = await postGraphQL<{ widget: number }>(`http://127.0.0.1:${port}/graphql`, '{ widget }');
        expect(served.data).toEqual({ widget: 7 });
        const token = await keys.issuer.issue({ subject: 'someone', role: Role.AUDITOR, department: null });
        expect(await postGraphQL(`http://127.0.0.1:${port}/graphql`, '{ widget }', undefined, token)).toEqual({
          data: { widget: 7 },
        });
        const written = fs.readdirSync(dataDir, { recursive: true }).map(String);
        expect(written.filter((f) => /jwk|key/i.test(f))).toEqual([]);
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
