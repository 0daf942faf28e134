import 'reflect-metadata';
import fs from 'node:fs';
import { loadConfig } from '../kernel/config';
import { loadGatewaySigner, loadVerifier } from '../kernel/keys';
import { createLogger } from '../kernel/log';
import { stopOnSignals } from '../kernel/server';
import { gatewaySupergraph, oidcOf, startGateway } from './index';

/**
 * The gateway as its own process (docker-compose): serves the registry's latest version (or
 * JOINTCHECK_SUPERGRAPH_FILE), listens on JOINTCHECK_PORT. Run several behind a load balancer.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'gateway');
  // A gateway verifies callers' tokens with public keys and signs what it forwards with a key of
  // its own; it never makes a key (H2). Alone on a supergraph file (outside subgraphs) it may have
  // neither: it then serves every caller as the public, ignoring Authorization, and forwards no
  // identity, as stock Apollo Gateway does.
  const alone = config.supergraph.file !== null;
  const withoutKeys = alone && !fs.existsSync(config.jwt.publicKeysFile);
  if (withoutKeys)
    logger.warn(
      `No public key set at ${config.jwt.publicKeysFile} (JOINTCHECK_JWT_PUBLIC_KEYS): tokens are not read; ` +
        `every caller is served as the public.`,
    );
  const verifier = withoutKeys ? null : await loadVerifier(config, (message) => logger.warn(message));
  const signer = await loadGatewaySigner(config);
  if (!signer && !alone) {
    throw new Error(
      `The gateway has no key to sign the tokens it forwards to subgraphs with (looked at ` +
        `${config.jwt.gatewayKeyFile}): set JOINTCHECK_GATEWAY_PRIVATE_KEY to the gateway's key (npm run keys ` +
        `makes gateway.jwk.json, and its public key in jwks.json).`,
    );
  }
  if (!signer)
    logger.warn(
      `No gateway key at ${config.jwt.gatewayKeyFile} (JOINTCHECK_GATEWAY_PRIVATE_KEY): subgraphs get no ` +
        `caller identity.`,
    );
  const gateway = await startGateway({
    supergraph: gatewaySupergraph(config, 300_000),
    verifier,
    signer,
    host: config.host,
    port: config.port,
    logger,
    limits: config.limits,
    webDir: config.webDir,
    trustProxy: config.trustProxy,
    oidc: oidcOf(config),
    maxEvidenceBytes: config.onSite.maxEvidenceBytes,
    operations: config,
  });
  stopOnSignals(() => gateway.stop());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
