import type { JSONWebKeySet, JWK } from 'jose';
import type { HubConfig } from './config';
import { ensureDevKeys, readJson, TokenIssuer, TokenVerifier } from './identity';

/** The verifier every service builds from configuration; in the quick start, dev keys are made on first use. */
export async function loadVerifier(config: Pick<HubConfig, 'jwt'>): Promise<TokenVerifier> {
  if (config.jwt.devKeys) await ensureDevKeys(config.jwt.publicKeysFile, config.jwt.privateKeyFile);
  return new TokenVerifier(readJson<JSONWebKeySet>(config.jwt.publicKeysFile, 'the JWT public key set (JOINTCHECK_JWT_PUBLIC_KEYS)'), config.jwt);
}

/** The issuer of `npm run token` (needs the private key). */
export async function loadIssuer(config: Pick<HubConfig, 'jwt'>): Promise<TokenIssuer> {
  if (config.jwt.devKeys) await ensureDevKeys(config.jwt.publicKeysFile, config.jwt.privateKeyFile);
  return TokenIssuer.fromJwk(readJson<JWK>(config.jwt.privateKeyFile, 'the JWT private key (JOINTCHECK_JWT_PRIVATE_KEY)'), config.jwt);
}
