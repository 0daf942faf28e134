import { loadConfig } from '../../kernel/config';
import { loadVerifier } from '../../kernel/keys';
import { createLogger } from '../../kernel/log';
import { stopOnSignals } from '../../kernel/server';
import type { DepartmentModule } from './define';
import { startDepartment } from './run';

/**
 * The entry point of one department subgraph as its own process (docker-compose: one container
 * per service). Listens on JOINTCHECK_PORT; stops cleanly on SIGTERM/SIGINT.
 */
export async function runDepartmentProcess(module: DepartmentModule<unknown>): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, module.definition.code);
  const verifier = await loadVerifier(config);
  const running = await startDepartment(module, config, { verifier, logger, port: config.port });
  stopOnSignals(() => running.stop());
}
