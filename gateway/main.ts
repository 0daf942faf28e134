import 'reflect-metadata';
import { loadConfig } from '../subgraphs/kernel/config';
import { loadVerifier } from '../subgraphs/kernel/keys';
import { createLogger } from '../subgraphs/kernel/log';
import { stopOnSignals } from '../subgraphs/kernel/server';
import { gatewaySupergraph, startGateway } from './index';

/**
 * The gateway as its own process (docker-compose): serves the registry's latest version (or
 * JOINTCHECK_SUPERGRAPH_FILE), listens on JOINTCHECK_PORT. Run several behind a load balancer.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'gateway');
  const gateway = await startGateway({ supergraph: gatewaySupergraph(config, 300_000), verifier: await loadVerifier(config), host: config.host, port: config.port, logger, limits: config.limits, webDir: config.webDir });
  stopOnSignals(() => gateway.stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
