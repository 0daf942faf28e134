import 'reflect-metadata';
import { loadConfig } from '../kernel/config';
import { loadVerifier } from '../kernel/keys';
import { createLogger } from '../kernel/log';
import { stopOnSignals } from '../kernel/server';
import { hubRegistration } from '../index';
import { REGISTRY_SERVICE, startRegistry } from './index';

/**
 * The registry as its own process (docker-compose). At start it registers the subgraphs listed in
 * JOINTCHECK_SUBGRAPHS (the hub's own, itself included) as one version, retrying while they start.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, REGISTRY_SERVICE);
  const registry = await startRegistry(config, { verifier: await loadVerifier(config), logger, port: config.port });
  stopOnSignals(() => registry.stop());
  if (config.subgraphs.length === 0) return;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      await registry.bootstrap(config.subgraphs.map((s) => hubRegistration(s.name, s.url)));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      logger.warn({ err: error }, 'the hub subgraphs are not all ready; retrying the bootstrap');
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
