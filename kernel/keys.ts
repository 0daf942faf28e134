import fs from 'node:fs';
import type { JSONWebKeySet, JWK } from 'jose';
import type { HubConfig } from './config';
import { ensureDevKeys, GATEWAY_KEY_ID_PREFIX, readJson, TokenIssuer, TokenVerifier } from './identity';

/** How often a service looks at its public key file for a rotation, in ms. */
export const KEY_FILE_CHECK_MS = 2000;

/**
 * The verifier every service builds from configuration. It never makes a key (H2: a gateway or a
 * department only verifies, so it needs public keys alone): the quick start's dev keys are made by
 * the hub's start (loadIssuer, ensureDevKeys). The public key file is watched: keys are rotated
 * without a restart or downtime by adding the new public key to the file, signing with it once
 * every service has it, and removing the old key once its tokens have expired (README "Tokens"). A
 * file that does not parse or holds no key is ignored, with the keys in use kept.
 */
export async function loadVerifier(
  config: Pick<HubConfig, 'jwt'>,
  onProblem: (message: string) => void = (m) => console.error(m),
): Promise<TokenVerifier> {
  const file = config.jwt.publicKeysFile;
  if (!fs.existsSync(file)) {
    throw new Error(
      `No public key set to verify tokens with at ${file}: set JOINTCHECK_JWT_PUBLIC_KEYS to the hub's ` +
        `jwks.json (npm run keys makes one; npm start makes the quick start's under the data dir).`,
    );
  }
  const verifier = new TokenVerifier(
    readJson<JSONWebKeySet>(file, 'the JWT public key set (JOINTCHECK_JWT_PUBLIC_KEYS)'),
    config.jwt,
  );
  fs.watchFile(file, { interval: KEY_FILE_CHECK_MS, persistent: false }, (now, before) => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size) return;
    try {
      const jwks = JSON.parse(fs.readFileSync(file, 'utf8')) as JSONWebKeySet;
      if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error('it holds no key');
      verifier.replaceKeys(jwks);
    } catch (error) {
      onProblem(
        `The JWT public key set ${file} changed but cannot be used (${(error as Error).message}); the keys in ` +
          `use are kept.`,
      );
    }
  });
  return verifier;
}

/**
 * The issuer of the hub's own services as they start (`npm start`, the joint service): in the quick start, dev keys
 * are made on first start.
 */
export async function loadIssuer(config: Pick<HubConfig, 'jwt'>): Promise<TokenIssuer> {
  if (config.jwt.devKeys) await ensureDevKeys(config.jwt);
  return readIssuer(config);
}

/**
 * The gateway's signer of forwarded tokens (H2): its own private key (JOINTCHECK_GATEWAY_PRIVATE_KEY,
 * by default <data dir>/keys/gateway.jwk.json), never the hub's and never made here; null when the
 * file does not exist (a gateway alone on a supergraph file forwards no identity).
 */
export async function loadGatewaySigner(config: Pick<HubConfig, 'jwt'>): Promise<TokenIssuer | null> {
  const file = config.jwt.gatewayKeyFile;
  if (!fs.existsSync(file)) return null;
  const signer = await TokenIssuer.fromJwk(
    readJson<JWK>(file, "the gateway's private key (JOINTCHECK_GATEWAY_PRIVATE_KEY)"),
    config.jwt,
  );
  if (!signer.isGatewayKey) {
    throw new Error(
      `The gateway's key at ${file} has a key id that does not start with ${GATEWAY_KEY_ID_PREFIX}: every ` +
        `service would refuse what it signs (a key signs for one issuer only). Make one with npm run keys -- ` +
        `--gateway-only.`,
    );
  }
  return signer;
}

/**
 * The issuer of the command-line tools (`npm run token`, `npm run register`): the hub's private
 * key, never a new one. A pair made here would sign tokens the running hub refuses (it verifies
 * with its own public keys), so a missing key is an error saying where it was looked for and how
 * to point the tool at the hub's key.
 */
export async function readIssuer(config: Pick<HubConfig, 'jwt'>): Promise<TokenIssuer> {
  const file = config.jwt.privateKeyFile;
  if (!fs.existsSync(file)) {
    throw new Error(
      `No private key to sign tokens with at ${file}. Tokens are signed with the hub's own key and none is ` +
        `made here (the hub would refuse a new key's tokens): run the command with the hub's ` +
        `JOINTCHECK_DATA_DIR (its key is <data dir>/keys/private.jwk.json), or set JOINTCHECK_JWT_PRIVATE_KEY ` +
        `to the hub's private key file, or start the hub first (npm start makes the quick start's keys).`,
    );
  }
  return TokenIssuer.fromJwk(readJson<JWK>(file, 'the JWT private key (JOINTCHECK_JWT_PRIVATE_KEY)'), config.jwt);
}
