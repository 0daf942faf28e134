import 'reflect-metadata';
import { gatewaySupergraph, startGateway } from '../gateway';
import { loadConfig } from '../kernel/config';
import { loadGatewaySigner, loadVerifier } from '../kernel/keys';
import { createLogger } from '../kernel/log';

/**
 * Our gateway in a process of its own for the benchmarks, serving JOINTCHECK_SUPERGRAPH_FILE with
 * the settings it would have in production (JOINTCHECK_MODE, limits); prints `{"url": ...}`.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const gateway = await startGateway({
    supergraph: gatewaySupergraph(config, 0),
    verifier: await loadVerifier(config),
    signer: await loadGatewaySigner(config),
    host: '127.0.0.1',
    port: 0,
    logger: createLogger(config.logLevel, 'gateway'),
    limits: config.limits,
    webDir: config.webDir,
  });
  process.stdout.write(`${JSON.stringify({ url: gateway.url })}\n`);
  process.once('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
