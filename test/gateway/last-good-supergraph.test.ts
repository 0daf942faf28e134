import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGateway, type GatewayHandle } from '../../gateway';
import { createLogger } from '../../kernel/log';
import { HeadRow, VersionRow } from '../../subgraphs/registry/entities';
import { describeWithHub, postGraphQL, untilGatewayServes, type TestHub } from '../support/hub';

const logger = createLogger('silent', 'gateway-test');

function registryGateway(hub: TestHub, cacheFile: string): Promise<GatewayHandle> {
  return startGateway({
    supergraph: { kind: 'registry', db: hub.config.db, cacheFile, pollMs: 50, startupWaitMs: 0 },
    verifier: hub.verifier,
    signer: null,
    host: '127.0.0.1',
    port: 0,
    logger,
    limits: hub.config.limits,
    webDir: hub.config.webDir,
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describeWithHub("H2: the gateway's last good supergraph", (hub) => {
  it(
    'H2: with an unparseable version in the store, a restarted gateway starts on its last good copy, keeps it ' +
      'on disk and reports the broken version',
    async () => {
      const manager = hub().registry.database.dataSource.manager;
      const good = (await manager.findOneByOrFail(HeadRow, { id: 1 })).current;
      await untilGatewayServes(hub().gateway, good);
      const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-last-good-')), 'supergraph.json');
      const first = await registryGateway(hub(), cacheFile);
      await first.stop();
      const kept = () => JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { number: number; supergraphSdl: string };
      expect(kept().number).toBe(good);

      // A version nobody can serve lands in the store (written past the registry, as a fault would).
      const row = await manager.findOneByOrFail(VersionRow, { number: good });
      const broken = good + 1;
      await manager.insert(VersionRow, {
        ...row,
        number: broken,
        subject: 'H2 broken',
        supergraphSdl: 'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query } type Query {',
        supergraphHash: 'f'.repeat(64),
      });
      await manager.update(HeadRow, { id: 1 }, { current: broken });
      let restarted: GatewayHandle | undefined;
      try {
        // The running gateway keeps its version and reports the broken one.
        await until(
          () => hub().gateway.supergraph.rejected?.number === broken,
          "the hub's gateway reports the broken version",
        );
        expect(hub().gateway.supergraph.current?.number).toBe(good);

        restarted = await registryGateway(hub(), cacheFile);
        expect(restarted.supergraph.current?.number).toBe(good);
        expect(restarted.supergraph.origin).toBe('disk');
        expect(restarted.supergraph.rejected).toMatchObject({
          number: broken,
          reason: expect.stringMatching(/Syntax Error/),
        });
        expect(kept().number).toBe(good);
        expect(kept().supergraphSdl).toBe(row.supergraphSdl);
        const health = await fetch(restarted.url.replace(/\/graphql$/, '/health'));
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({
          status: 'ok',
          service: 'gateway',
          supergraph: {
            version: good,
            hash: row.supergraphHash,
            origin: 'disk',
            rejected: { number: broken, reason: expect.stringMatching(/Syntax Error/) },
          },
        });
        const answer = await postGraphQL<{ tax: { checklist: unknown[] } }>(
          restarted.url,
          '{ tax { checklist { code } } }',
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.tax.checklist.length).toBeGreaterThan(0);
        // Still refused on every poll, never written to disk.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(kept().number).toBe(good);
      } finally {
        // Rolled back in the store: nothing refused is pending any more.
        await manager.update(HeadRow, { id: 1 }, { current: good });
        await manager.delete(VersionRow, { number: broken });
      }
      try {
        await until(
          () => restarted!.supergraph.rejected === null && hub().gateway.supergraph.rejected === null,
          'the gateways see the store rolled back',
        );
        expect(restarted!.supergraph.origin).toBe('registry');
        const health = (await (await fetch(restarted!.url.replace(/\/graphql$/, '/health'))).json()) as {
          supergraph: Record<string, unknown>;
        };
        expect(health.supergraph).toEqual({ origin: 'registry', version: good, hash: row.supergraphHash });
      } finally {
        await restarted?.stop();
      }
    },
  );

  it(
    'H2: with a broken latest version and no good copy on ' + 'disk, the gateway does not start, and says why',
    async () => {
      const manager = hub().registry.database.dataSource.manager;
      const good = (await manager.findOneByOrFail(HeadRow, { id: 1 })).current;
      const row = await manager.findOneByOrFail(VersionRow, { number: good });
      const broken = good + 1;
      await manager.insert(VersionRow, {
        ...row,
        number: broken,
        subject: 'H2 broken',
        supergraphSdl: 'type Query {',
        supergraphHash: 'e'.repeat(64),
      });
      await manager.update(HeadRow, { id: 1 }, { current: broken });
      try {
        const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-last-good-')), 'supergraph.json');
        await expect(registryGateway(hub(), cacheFile)).rejects.toThrow(
          new RegExp(`cannot serve the registry's latest version \\(${broken}: .*Roll the registry back`),
        );
        expect(fs.existsSync(cacheFile)).toBe(false);
      } finally {
        await manager.update(HeadRow, { id: 1 }, { current: good });
        await manager.delete(VersionRow, { number: broken });
      }
      await until(() => hub().gateway.supergraph.rejected === null, "the hub's gateway sees the store rolled back");
    },
  );
});
