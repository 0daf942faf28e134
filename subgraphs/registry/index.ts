import type { GraphQLSchema } from 'graphql';
import { loadStoredOperations } from '../../operations';
import type { HubConfig } from '../../kernel/config';
import { openServiceDatabase } from '../../kernel/datasource';
import { contractTemplateSdl } from '../department-kernel/contract-template';
import { buildFederatedSchema } from '../../kernel/federation';
import { Role, type Identity, type TokenVerifier } from '../../kernel/identity';
import type { Logger } from '../../kernel/log';
import { serveGraphQL, serveOnDatabase, type ServiceWithDatabase } from '../../kernel/server';
import { METRIC, ServiceMetrics } from '../../kernel/metrics';
import type { OperationsSettings } from '../../kernel/operations';
import { REGISTRY_ENTITIES, SubgraphRow } from './entities';
import { HealthMonitor } from './health';
import { Registry1763970000000 } from './migrations/1763970000000-Registry';
import { RegistryResolver, type RegistryContext } from './resolvers';
import { RegistryService, type RegistrationInput } from './service';

/** The registry's name in the hub (reserved: no department may take it). */
export const REGISTRY_SERVICE = 'registry';
export const REGISTRY_MIGRATIONS = [Registry1763970000000];

/** The identity the hub itself acts as when it registers its own subgraphs at start. */
export const HUB_BOOTSTRAP: Identity = Object.freeze({
  subject: 'hub-bootstrap',
  role: Role.HUB_ADMIN,
  department: null,
});

export function buildRegistrySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [RegistryResolver] });
}

export interface RunningRegistry extends ServiceWithDatabase {
  service: RegistryService;
  health: HealthMonitor;
  /**
   * The departments of the current version, as the joint service reads them (refreshed on every change and health
   * round).
   */
  departments(): Array<{ code: string; name: string; url: string; departmentName: string | null }>;
  /** Registers the hub's own subgraphs as one version (skipped when already current). */
  bootstrap(subgraphs: readonly RegistrationInput[]): Promise<void>;
}

export interface RegistryOptions {
  verifier: TokenVerifier;
  logger: Logger;
  port: number;
  clock?: () => Date;
  /** Reads a subgraph's SDL; tests may replace it. */
  fetchSdl?: (url: string) => Promise<string>;
}

/** Starts the registry on its own database, with its health monitor. */
export async function startRegistry(
  config: Pick<HubConfig, 'db' | 'host' | 'healthIntervalMs' | 'registryAllowedHosts' | 'limits' | 'production'> &
    OperationsSettings,
  options: RegistryOptions,
): Promise<RunningRegistry> {
  // H2: the gateway sends callers' requests to registered URLs; in production only hosts the operator lists.
  if (config.production && !config.registryAllowedHosts?.length) {
    throw new Error(
      'Invalid configuration: in production (JOINTCHECK_MODE=production) the registry needs ' +
        'JOINTCHECK_REGISTRY_ALLOWED_HOSTS, the hosts subgraphs may be registered at (comma-separated; .gov.cn ' +
        "matches every host under it), the hub's own services included.",
    );
  }
  const database = await openServiceDatabase(config.db, REGISTRY_SERVICE, {
    entities: REGISTRY_ENTITIES,
    migrations: REGISTRY_MIGRATIONS,
  });
  const service = new RegistryService({
    dataSource: database.dataSource,
    logger: options.logger,
    clock: options.clock ?? (() => new Date()),
    contractTemplate: contractTemplateSdl,
    operations: loadStoredOperations(),
    fetchSdl: options.fetchSdl,
    allowedHosts: config.registryAllowedHosts,
    production: config.production,
  });
  let departments: Array<{ code: string; name: string; url: string; departmentName: string | null }> = [];
  const refresh = async () => {
    const rows = await database.dataSource.manager.find(SubgraphRow, { order: { name: 'ASC' } });
    departments = rows
      .filter((r) => r.code !== null)
      .map((r) => ({ code: r.code!, name: r.name, url: r.url, departmentName: r.departmentName }));
    return rows;
  };
  const health = new HealthMonitor(
    async () => (await refresh()).map((r) => ({ name: r.name, url: r.url })),
    config.healthIntervalMs,
    options.logger,
  );
  const metrics = new ServiceMetrics(REGISTRY_SERVICE);
  metrics.gauge(
    METRIC.registryVersion,
    'The supergraph version the registry holds as current (0: none yet).',
    [],
    async (g) => g.set(await service.head()),
  );
  metrics.gauge(
    METRIC.subgraphStatus,
    "Each registered subgraph's health as the registry last saw it: 1 on its status (UP, DEGRADED, DOWN, UNKNOWN).",
    ['subgraph', 'status'],
    async (g) => {
      g.reset();
      for (const s of await health.list()) g.set({ subgraph: s.name, status: s.status }, 1);
    },
  );
  const running = await serveOnDatabase(database, async () =>
    serveGraphQL<RegistryContext>({
      name: REGISTRY_SERVICE,
      schema: await buildRegistrySchema(),
      verifier: options.verifier,
      host: config.host,
      port: options.port,
      logger: options.logger,
      context: (base) => ({ ...base, registry: { service, health } }),
      limits: config.limits,
      metrics,
      operations: config,
    }),
  );
  service.onChange = () =>
    void refresh()
      .then(() => health.checkNow())
      .catch((error) => options.logger.error({ err: error }, 'registry: could not refresh after a new version'));
  await refresh();
  health.start();
  return {
    ...running,
    service,
    health,
    departments: () => departments,
    bootstrap: async (subgraphs) => {
      const { kept } = await service.bootstrap(subgraphs, HUB_BOOTSTRAP);
      if (kept.length)
        options.logger.warn(
          { kept },
          'registry: these hub subgraphs were changed by an admin since; their registration is kept as it is',
        );
      await refresh();
    },
    stop: async () => {
      await health.stop();
      await running.stop();
    },
  };
}
