import 'reflect-metadata';
import { loadConfig } from '../../kernel/config';
import { loadVerifier } from '../../kernel/keys';
import { createLogger } from '../../kernel/log';
import { stopOnSignals } from '../../kernel/server';
import { hubRegistration } from '../index';
import { REGISTRY_SERVICE, startRegistry } from './index';

/**
 * The registry as its own process (docker-compose). At start it registers the subgraphs listed in
 * JOINTCHECK_SUBGRAPHS (the hub's own, itself included) as one version, retrying while they are
 * not all reachable yet. A refusal (they do not compose, or would break stored operations) is
 * logged with every problem and the registry goes on serving the versions it has: its API stays
 * up for an admin to act.
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
      const problems =
        (error as { extensions?: { problems?: Array<{ kind: string; message: string }> } }).extensions?.problems ?? [];
      const unreachable = problems.length > 0 && problems.every((p) => p.kind === 'FETCH');
      if (problems.length && !unreachable) {
        logger.error({ problems }, 'the hub subgraphs were refused; serving the versions already accepted');
        return;
      }
      if (Date.now() > deadline) {
        logger.error(
          { err: error },
          'the hub subgraphs did not all answer within 5 minutes; serving the versions already accepted',
        );
        return;
      }
      logger.warn({ err: error }, 'the hub subgraphs are not all ready; retrying the bootstrap');
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
