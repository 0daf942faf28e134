import 'reflect-metadata';
import { loadConfig } from '../../kernel/config';
import { loadIssuer, loadVerifier } from '../../kernel/keys';
import { createLogger } from '../../kernel/log';
import { stopOnSignals } from '../../kernel/server';
import { JOINT_SERVICE, startJoint } from './index';
import { RegistryDirectory } from './registry-directory';

/** The joint service as its own process: reads the departments from the registry at JOINTCHECK_REGISTRY_URL. */
async function main(): Promise<void> {
  const config = loadConfig();
  // The training clock is shared by every service of one process (npm start); services run apart would each keep their
  // own time.
  if (config.training)
    throw new Error(
      'JOINTCHECK_MODE=training is for the hub in one process (npm start): a training hub moves one clock ' +
        'for every service. Run the services apart with development or production.',
    );
  if (!config.registryUrl)
    throw new Error(
      'JOINTCHECK_REGISTRY_URL is not set: the joint service reads the departments from the registry (e.g. ' +
        'http://registry:4000/graphql).',
    );
  const logger = createLogger(config.logLevel, JOINT_SERVICE);
  const issuer = await loadIssuer(config);
  const directory = new RegistryDirectory(config.registryUrl, issuer, logger);
  await directory.start(300_000);
  const joint = await startJoint(config, {
    verifier: await loadVerifier(config),
    issuer,
    logger,
    port: config.port,
    departments: directory.departments,
  });
  stopOnSignals(async () => {
    directory.stop();
    await joint.stop();
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
