import 'reflect-metadata';
import { loadConfig } from '../kernel/config';
import { loadIssuer, loadVerifier } from '../kernel/keys';
import { createLogger } from '../kernel/log';
import { stopOnSignals } from '../kernel/server';
import { JOINT_SERVICE, startJoint } from './index';

/** The joint service as its own process: reads the departments listed in JOINTCHECK_SUBGRAPHS. */
async function main(): Promise<void> {
  const config = loadConfig();
  const departments = config.subgraphs.filter((s) => s.name !== JOINT_SERVICE).map((s) => ({ code: s.name, url: s.url }));
  if (departments.length === 0) throw new Error('JOINTCHECK_SUBGRAPHS is empty: list the department subgraphs the joint service reads (name=url,...).');
  const joint = await startJoint(config, {
    verifier: await loadVerifier(config),
    issuer: await loadIssuer(config),
    logger: createLogger(config.logLevel, JOINT_SERVICE),
    port: config.port,
    departments: () => departments,
  });
  stopOnSignals(() => joint.stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
