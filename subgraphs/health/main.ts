import 'reflect-metadata';
import { loadConfig } from '../../kernel/config';
import { startDepartment } from '../department-kernel/run';
import { loadVerifier } from '../../kernel/keys';
import { createLogger } from '../../kernel/log';
import { stopOnSignals } from '../../kernel/server';
import { connectHealth } from './connect';
import { health } from './index';

/**
 * The health subgraph as its own process (docker-compose): served from the health commission's
 * existing system at JOINTCHECK_HEALTH_SYSTEM_URL (with JOINTCHECK_HEALTH_SYSTEM_KEY); it never
 * starts a stand-in of its own.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, health.definition.code);
  const connection = await connectHealth(config, { allowStandIn: false });
  const running = await startDepartment(health, config, {
    verifier: await loadVerifier(config),
    logger,
    port: config.port,
    store: connection.store,
    health: connection.health,
  });
  stopOnSignals(() => running.stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
