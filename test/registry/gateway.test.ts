import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { print } from 'graphql';
import { startGateway, type GatewayHandle } from '../../gateway';
import type { SupergraphSourceOptions } from '../../gateway/supergraph-source';
import { loadStoredOperations } from '../../operations';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { describeWithHub, postGraphQL, untilGatewayServes, type TestHub } from '../support/hub';
import { FED2, servePlainSubgraph } from '../support/plain-subgraph';

const logger = createLogger('silent', 'gateway-test');

async function extraGateway(hub: TestHub, supergraph: SupergraphSourceOptions): Promise<GatewayHandle> {
  return startGateway({
    supergraph,
    verifier: hub.verifier,
    signer: hub.gatewaySigner,
    host: '127.0.0.1',
    port: 0,
    logger,
    limits: hub.config.limits,
    webDir: hub.config.webDir,
  });
}

async function registerAs(hub: TestHub, name: string, url: string): Promise<number> {
  const r = await hub.query<{ registryRegisterSubgraph: { version: { number: number } } }>(
    `mutation($input: SubgraphRegistrationInput!) { registryRegisterSubgraph(input: $input) { version { number } } }`,
    { variables: { input: { name, url } }, token: await hub.token(Role.HUB_ADMIN) },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.registryRegisterSubgraph.version.number;
}

async function removeSubgraph(hub: TestHub, name: string): Promise<number> {
  const r = await hub.query<{ registryRemoveSubgraph: { version: { number: number } } }>(
    `mutation { registryRemoveSubgraph(name: "${name}") { version { number } } }`,
    { token: await hub.token(Role.HUB_ADMIN) },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  // The hub's own gateway follows before the test goes on (the next test compares with it).
  await untilGatewayServes(hub.gateway, r.data!.registryRemoveSubgraph.version.number);
  return r.data!.registryRemoveSubgraph.version.number;
}

const tempFile = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-gw-')), name);

describeWithHub('gateways follow the registry', (hub) => {
  const widgetSdl = (field: string) => `${FED2} type Query { ${field}: Int }`;

  it('switches versions under load without failing a request in flight', async () => {
    const a = await servePlainSubgraph(widgetSdl('widgetsA'), { Query: { widgetsA: () => 1 } });
    const b = await servePlainSubgraph(widgetSdl('widgetsB'), { Query: { widgetsB: () => 2 } });
    const token = await hub().token(Role.AUDITOR);
    // Requests that read two subgraphs each (market and tax), from 4 clients, for as long as the switches take.
    const query = `{ market { checklist { code } } tax { checklist { code } } }`;
    let running = true;
    let sent = 0;
    const failures: string[] = [];
    const client = async () => {
      while (running) {
        sent++;
        try {
          const r = await postGraphQL<{ market: { checklist: unknown[] }; tax: { checklist: unknown[] } }>(
            hub().gateway.url,
            query,
            {},
            token,
          );
          if (r.errors || !r.data?.market.checklist.length || !r.data.tax.checklist.length)
            failures.push(JSON.stringify(r.errors ?? r.data));
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const clients = [client(), client(), client(), client()];
    const served: number[] = [];
    try {
      for (const change of [
        () => registerAs(hub(), 'widgets', a.url),
        () => registerAs(hub(), 'widgets', b.url),
        () => removeSubgraph(hub(), 'widgets'),
        () => registerAs(hub(), 'widgets', a.url),
        () => removeSubgraph(hub(), 'widgets'),
      ]) {
        const version = await change();
        await untilGatewayServes(hub().gateway, version);
        served.push(version);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    } finally {
      running = false;
      await Promise.all(clients);
      await a.stop();
      await b.stop();
    }
    expect(served).toHaveLength(5);
    expect(new Set(served).size).toBe(5);
    expect(sent).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('two gateways reading the same registry store both switch to a new version', async () => {
    const second = await extraGateway(hub(), {
      kind: 'registry',
      db: hub().config.db,
      cacheFile: tempFile('supergraph.json'),
      pollMs: 100,
      startupWaitMs: 0,
    });
    const widgets = await servePlainSubgraph(widgetSdl('widgetCount'), { Query: { widgetCount: () => 42 } });
    try {
      expect(second.supergraph.current?.number).toBe(hub().gateway.supergraph.current?.number);
      const version = await registerAs(hub(), 'widgets', widgets.url);
      await Promise.all([untilGatewayServes(hub().gateway, version), untilGatewayServes(second, version)]);
      for (const url of [hub().gateway.url, second.url]) {
        const r = await postGraphQL<{ widgetCount: number }>(url, '{ widgetCount }');
        expect(r).toEqual({ data: { widgetCount: 42 } });
      }
      await removeSubgraph(hub(), 'widgets');
    } finally {
      await second.stop();
      await widgets.stop();
    }
  });

  it(
    'a gateway keeps serving when the registry store is ' + 'unreachable, and picks up new versions when it is back',
    async () => {
      const gateway = await extraGateway(hub(), {
        kind: 'registry',
        db: hub().config.db,
        cacheFile: tempFile('supergraph.json'),
        pollMs: 50,
        startupWaitMs: 0,
      });
      const manager = hub().registry.database.dataSource.manager;
      try {
        const serving = gateway.supergraph.current!.number;
        await manager.query('ALTER TABLE registry_head RENAME TO registry_head_away');
        const deadline = Date.now() + 10_000;
        while (gateway.supergraph.lastError === null && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 25));
        expect(gateway.supergraph.lastError).not.toBeNull();
        const r = await postGraphQL<{ tax: { checklist: unknown[] } }>(gateway.url, '{ tax { checklist { code } } }');
        expect(r.errors).toBeUndefined();
        expect(r.data!.tax.checklist.length).toBeGreaterThan(0);
        expect(gateway.supergraph.current!.number).toBe(serving);
      } finally {
        await manager.query('ALTER TABLE registry_head_away RENAME TO registry_head');
      }
      try {
        const widgets = await servePlainSubgraph(widgetSdl('widgetTotal'), { Query: { widgetTotal: () => 5 } });
        const version = await registerAs(hub(), 'widgets', widgets.url);
        await untilGatewayServes(gateway, version);
        expect(gateway.supergraph.lastError).toBeNull();
        await removeSubgraph(hub(), 'widgets');
        await widgets.stop();
      } finally {
        await gateway.stop();
      }
    },
  );

  it(
    'a gateway restarted while the registry store is ' + 'unreachable starts from the last good version on disk',
    async () => {
      const cacheFile = tempFile('supergraph.json');
      const first = await extraGateway(hub(), {
        kind: 'registry',
        db: hub().config.db,
        cacheFile,
        pollMs: 100,
        startupWaitMs: 0,
      });
      const version = first.supergraph.current!.number;
      await first.stop();
      const saved = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { number: number; supergraphSdl: string };
      expect(saved.number).toBe(version);
      expect(saved.supergraphSdl).toBe(hub().gateway.supergraphSdl());

      // A store nobody answers at (a closed port): the gateway starts from the disk.
      const unreachable = { kind: 'mysql' as const, url: 'mysql://root@127.0.0.1:9', prefix: 'nowhere_' };
      const restarted = await extraGateway(hub(), {
        kind: 'registry',
        db: unreachable,
        cacheFile,
        pollMs: 100,
        startupWaitMs: 0,
      });
      try {
        expect(restarted.supergraph.origin).toBe('disk');
        expect(restarted.supergraph.current!.number).toBe(version);
        const r = await postGraphQL<{ fire: { checklist: unknown[] } }>(
          restarted.url,
          '{ fire { checklist { code } } }',
        );
        expect(r.data!.fire.checklist.length).toBeGreaterThan(0);
      } finally {
        await restarted.stop();
      }
      // With nothing on disk either, it says what to do instead of serving nothing.
      await expect(
        extraGateway(hub(), {
          kind: 'registry',
          db: unreachable,
          cacheFile: tempFile('none.json'),
          pollMs: 100,
          startupWaitMs: 0,
        }),
      ).rejects.toThrow(/has no supergraph: .*Start the registry/);
    },
  );

  it('a gateway can serve a supergraph file instead, and reloads it when the file changes', async () => {
    const file = tempFile('supergraph.graphql');
    fs.writeFileSync(file, hub().gateway.supergraphSdl());
    const gateway = await extraGateway(hub(), { kind: 'file', file, pollMs: 50 });
    const widgets = await servePlainSubgraph(widgetSdl('widgetLabel'), { Query: { widgetLabel: () => 3 } });
    try {
      expect((await postGraphQL(gateway.url, '{ widgetLabel }')).errors?.[0]?.message).toContain(
        'Cannot query field "widgetLabel"',
      );
      const version = await registerAs(hub(), 'widgets', widgets.url);
      await untilGatewayServes(hub().gateway, version);
      fs.writeFileSync(file, hub().gateway.supergraphSdl());
      const deadline = Date.now() + 10_000;
      while (gateway.supergraphSdl() !== hub().gateway.supergraphSdl() && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await postGraphQL(gateway.url, '{ widgetLabel }')).toEqual({ data: { widgetLabel: 3 } });
      await removeSubgraph(hub(), 'widgets');
    } finally {
      await gateway.stop();
      await widgets.stop();
    }
  });

  it(
    'the supergraph is standard Federation 2: Hive Gateway serving it answers the reference operations with ' +
      'the same data',
    async () => {
      await untilGatewayServes(hub().gateway, await hub().registry.service.head());
      const file = tempFile('supergraph.graphql');
      fs.writeFileSync(file, hub().gateway.supergraphSdl());
      // Like ours, it sends each subgraph a token for that subgraph alone (H2), which the subgraph checks (R30).
      const perSubgraph = new Map<string, string>();
      for (const name of hub()
        .registry.departments()
        .map((d) => d.name)
        .concat(['joint', 'registry']))
        perSubgraph.set(name, `Bearer ${await hub().tokenFor(name, Role.AUDITOR)}`);
      const hive = createGatewayRuntime({
        supergraph: file,
        logging: false,
        propagateHeaders: {
          fromClientToSubgraphs: ({ request, subgraphName }) =>
            request.headers.get('authorization') ? { authorization: perSubgraph.get(subgraphName) } : {},
        },
      });
      const server = http.createServer(hive);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const hiveUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      try {
        const token = await hub().token(Role.AUDITOR);
        const uscc = (
          await hub().query<{ marketSearch: Array<{ uscc: string }> }>(
            `{ marketSearch(name: "有限公司", first: 1) { uscc } }`,
          )
        ).data!.marketSearch[0]!.uscc;
        const variables: Record<string, Record<string, unknown>> = {
          EntityOverview: { uscc },
          PublishedResults: { uscc },
          PublishedPlans: { year: 2026 },
          DepartmentChecklists: {},
        };
        const reference = loadStoredOperations().filter((o) => o.target === 'gateway');
        expect(reference.map((o) => o.name).sort()).toEqual(Object.keys(variables).sort());
        for (const operation of reference) {
          const text = print(operation.document);
          const ours = await postGraphQL<Record<string, unknown>>(
            hub().gateway.url,
            text,
            variables[operation.name],
            token,
          );
          const theirs = await postGraphQL<Record<string, unknown>>(hiveUrl, text, variables[operation.name], token);
          expect(ours.errors).toBeUndefined();
          expect(theirs.errors).toBeUndefined();
          expect(ours.data).not.toBeNull();
          expect(theirs.data).toEqual(ours.data);
        }
        // The overview really crossed every department (not an empty answer both ways).
        const overview = await postGraphQL<{ marketEntity: Record<string, unknown> }>(
          hiveUrl,
          print(reference.find((o) => o.name === 'EntityOverview')!.document),
          { uscc },
          token,
        );
        expect(Object.keys(overview.data!.marketEntity)).toEqual(
          expect.arrayContaining(['name', 'market', 'tax', 'environment', 'housing', 'fire']),
        );
        expect(overview.data!.marketEntity.tax).not.toBeNull();
      } finally {
        await new Promise((resolve) => server.close(resolve));
        await hive[Symbol.asyncDispose]();
      }
    },
  );
});
