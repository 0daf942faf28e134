import type { HubConfig } from '../config';
import { openServiceDatabase, type ServiceDatabase } from '../datasource';
import { seedDepartmentDemo } from '../demo/department-demo';
import type { TokenVerifier } from '../identity';
import type { Logger } from '../log';
import { serveGraphQL, type ServiceHandle } from '../server';
import type { DepartmentModule } from './define';

export interface RunningDepartment extends ServiceHandle {
  database: ServiceDatabase;
}

/**
 * Starts one department subgraph: opens (and migrates) its own database, fills it with demo
 * data on first start when asked, builds its schema and serves it.
 */
export async function startDepartment(
  module: DepartmentModule<unknown>,
  config: Pick<HubConfig, 'db' | 'host' | 'demo'>,
  deps: { verifier: TokenVerifier; logger: Logger; port: number },
): Promise<RunningDepartment> {
  const { code } = module.definition;
  const database = await openServiceDatabase(config.db, code, { entities: module.entities, migrations: module.migrations });
  try {
    if (config.demo.enabled) {
      const started = Date.now();
      if (await seedDepartmentDemo(database.dataSource, code, module.definition.demo, config.demo)) {
        deps.logger.info({ ms: Date.now() - started, seed: config.demo.seed }, `${code}: demo data generated`);
      }
    }
    const schema = await module.buildSchema();
    const handle = await serveGraphQL({
      name: code,
      schema,
      verifier: deps.verifier,
      host: config.host,
      port: deps.port,
      logger: deps.logger,
      context: (base) => ({ ...base, ...module.createContext(database.dataSource) }),
    });
    let stopped: Promise<void> | undefined;
    return {
      ...handle,
      database,
      // Idempotent: a test may stop one department, then the whole hub.
      stop: () =>
        (stopped ??= (async () => {
          await handle.stop();
          await database.dataSource.destroy();
        })()),
    };
  } catch (error) {
    await database.dataSource.destroy();
    throw error;
  }
}
