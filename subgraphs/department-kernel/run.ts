import type { HubConfig } from '../../kernel/config';
import type { OperationsSettings } from '../../kernel/operations';
import { openServiceDatabase } from '../../kernel/datasource';
import { seedDepartmentDemo } from './demo/department-demo';
import type { TokenVerifier } from '../../kernel/identity';
import type { Logger } from '../../kernel/log';
import { serveGraphQL, serveOnDatabase, type HealthProbe, type ServiceWithDatabase } from '../../kernel/server';
import type { DepartmentModule } from './define';
import type { DepartmentStoreFactory } from './store';

export type RunningDepartment = ServiceWithDatabase;

/**
 * Starts one department subgraph: opens (and migrates) its own database, fills it with demo
 * data on first start when asked, builds its schema and serves it.
 */
export async function startDepartment(
  module: DepartmentModule<unknown>,
  config: Pick<HubConfig, 'db' | 'host' | 'demo' | 'limits'> & OperationsSettings,
  deps: {
    verifier: TokenVerifier;
    logger: Logger;
    port: number;
    clock?: () => Date;
    /**
     * A connector serving the rosters and checklist from the department's existing system (no demo data is then
     * generated for them).
     */
    store?: DepartmentStoreFactory;
    /** `/health` reports the existing system's health too (a connector's health check). */
    health?: HealthProbe;
  },
): Promise<RunningDepartment> {
  const { code } = module.definition;
  const database = await openServiceDatabase(config.db, code, {
    entities: module.entities,
    migrations: module.migrations,
  });
  return serveOnDatabase(database, async () => {
    if (config.demo.enabled && !deps.store) {
      const started = Date.now();
      if (await seedDepartmentDemo(database.dataSource, code, module.definition.demo, config.demo)) {
        deps.logger.info({ ms: Date.now() - started, seed: config.demo.seed }, `${code}: demo data generated`);
      }
    }
    return serveGraphQL({
      name: code,
      schema: await module.buildSchema(),
      verifier: deps.verifier,
      host: config.host,
      port: deps.port,
      logger: deps.logger,
      health: deps.health,
      limits: config.limits,
      operations: config,
      context: (base) => ({ ...base, ...module.createContext(database.dataSource, deps.clock, deps.store) }),
    });
  });
}
