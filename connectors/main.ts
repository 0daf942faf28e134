import 'reflect-metadata';
import { loadConfig } from '../kernel/config';
import { loadVerifier } from '../kernel/keys';
import { createLogger } from '../kernel/log';
import { stopOnSignals } from '../kernel/server';
import { startConnectedDepartment } from './department';

/**
 * A department on a connector as its own process: `node dist/connectors/main.js` with
 * JOINTCHECK_CONNECTOR_KIND (rest or mysql), JOINTCHECK_CONNECTOR_MAPPING (its mapping file),
 * JOINTCHECK_CONNECTOR_UPSTREAM_URL and, for REST, JOINTCHECK_CONNECTOR_UPSTREAM_KEY, besides the
 * settings of any subgraph (database, keys, port). Stops cleanly on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.connector)
    throw new Error(
      'Which department system? Set JOINTCHECK_CONNECTOR_KIND, JOINTCHECK_CONNECTOR_MAPPING and ' +
        'JOINTCHECK_CONNECTOR_UPSTREAM_URL (and _KEY for REST); see README "Departments whose systems are not ' +
        'GraphQL".',
    );
  const logger = createLogger(config.logLevel, 'connector');
  const running = await startConnectedDepartment(config.connector, config, {
    verifier: await loadVerifier(config),
    logger,
    port: config.port,
  });
  logger.info(
    { department: running.code, url: running.url },
    `${running.code} is served from its existing system; register it with the registry (npm run register)`,
  );
  stopOnSignals(() => running.stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
