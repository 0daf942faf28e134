import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectorFor, upstreamHealthProbe, type DepartmentConnection } from '../../connectors/department';
import { connectorStore } from '../../connectors/core/connector-store';
import { connectorFile } from '../../connectors/core/files';
import { startHealthSystem, type HealthSystem } from '../../connectors/upstream/health-system/server';
import type { HubConfig } from '../../kernel/config';

/**
 * Connects the health department to its existing system through the REST connector
 * (connectors/health/mapping.yaml): the one configured (JOINTCHECK_HEALTH_SYSTEM_URL/KEY), or, in
 * the all-in-one hub with none configured, its stand-in started on its own port with its own
 * SQLite file in the data dir and a fresh API key. The stand-in's units are entities of the hub's
 * demo register (same seed and size).
 */
export async function connectHealth(
  config: Pick<HubConfig, 'healthSystem' | 'demo' | 'dataDir' | 'db' | 'host'>,
  options: { standInPort?: number; allowStandIn: boolean },
): Promise<DepartmentConnection> {
  let standIn: HealthSystem | null = null;
  let system = config.healthSystem;
  if (!system) {
    if (!options.allowStandIn)
      throw new Error(
        'The health department needs its existing system: set JOINTCHECK_HEALTH_SYSTEM_URL and ' +
          'JOINTCHECK_HEALTH_SYSTEM_KEY.',
      );
    const apiKey = randomBytes(18).toString('base64url');
    standIn = await startHealthSystem({
      registerSeed: config.demo.seed,
      registerSize: config.demo.targets,
      apiKey,
      host: config.host,
      port: options.standInPort ?? 0,
      databaseFile: path.join(config.dataDir, `${config.db.prefix}health-system.sqlite`),
    });
    system = { url: standIn.url, apiKey };
  }
  try {
    const { connector } = connectorFor({
      kind: 'rest',
      mappingFile: connectorFile('health/mapping.yaml'),
      upstreamUrl: system.url,
      apiKey: system.apiKey,
    });
    return {
      store: connectorStore(connector),
      health: upstreamHealthProbe(connector),
      standIn,
      stop: async () => void (await standIn?.stop()),
    };
  } catch (error) {
    await standIn?.stop();
    throw error;
  }
}
