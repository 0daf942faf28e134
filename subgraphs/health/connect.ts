import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connectorStore } from '../../connectors/core/connector-store';
import { connectorFile } from '../../connectors/core/files';
import { loadRestMapping } from '../../connectors/rest/mapping';
import { RestConnector } from '../../connectors/rest/rest-connector';
import { startHealthSystem, type HealthSystem } from '../../connectors/upstream/health-system/server';
import type { HubConfig } from '../kernel/config';
import type { DepartmentStoreFactory } from '../kernel/department/store';

/** The health department's connection to its existing system: the store its subgraph serves, and the connector's health check. */
export interface HealthConnection {
  store: DepartmentStoreFactory;
  connector: RestConnector;
  /** The stand-in system, when the all-in-one hub started it (tests inject faults into it). */
  standIn: HealthSystem | null;
  stop(): Promise<void>;
}

/** The REST connector over the health system at `url`, described by connectors/health/mapping.yaml. */
export function healthConnector(system: { url: string; apiKey: string }, options: { timeoutMs?: number; retries?: number; backoffMs?: number } = {}): RestConnector {
  return new RestConnector(loadRestMapping(connectorFile('health/mapping.yaml')), { baseUrl: system.url, apiKey: system.apiKey, ...options });
}

/**
 * Connects the health department to its existing system: the one configured
 * (JOINTCHECK_HEALTH_SYSTEM_URL/KEY), or, in the all-in-one hub with none configured, its stand-in
 * started on its own port with its own SQLite file in the data dir and a fresh API key. The
 * stand-in's units are entities of the hub's demo register (same seed and size).
 */
export async function connectHealth(
  config: Pick<HubConfig, 'healthSystem' | 'demo' | 'dataDir' | 'db' | 'host'>,
  options: { standInPort?: number; allowStandIn: boolean; connector?: { timeoutMs?: number; retries?: number; backoffMs?: number } },
): Promise<HealthConnection> {
  let standIn: HealthSystem | null = null;
  let system = config.healthSystem;
  if (!system) {
    if (!options.allowStandIn) throw new Error('The health department needs its existing system: set JOINTCHECK_HEALTH_SYSTEM_URL and JOINTCHECK_HEALTH_SYSTEM_KEY.');
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
    const connector = healthConnector(system, options.connector);
    return { store: connectorStore(connector), connector, standIn, stop: async () => void (await standIn?.stop()) };
  } catch (error) {
    await standIn?.stop();
    throw error;
  }
}

