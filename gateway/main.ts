import 'reflect-metadata';
import { loadConfig } from '../subgraphs/kernel/config';
import { loadVerifier } from '../subgraphs/kernel/keys';
import { createLogger } from '../subgraphs/kernel/log';
import { stopOnSignals } from '../subgraphs/kernel/server';
import { startGateway } from './index';

/** The gateway as its own process (docker-compose): composes JOINTCHECK_SUBGRAPHS, listens on JOINTCHECK_PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.subgraphs.length === 0) throw new Error('JOINTCHECK_SUBGRAPHS is empty: list the subgraphs to compose (name=url,...).');
  const logger = createLogger(config.logLevel, 'gateway');
  const gateway = await startGateway({ subgraphs: config.subgraphs, verifier: await loadVerifier(config), host: config.host, port: config.port, logger, startupWaitMs: 120_000 });
  stopOnSignals(() => gateway.stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
