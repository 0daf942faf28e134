import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JSONWebKeySet } from 'jose';
import { GATEWAY_KEY_ID_PREFIX, generateHubKeys, generateSigningKeys, publicJwkOf, readJson } from '../kernel/identity';

const USAGE = `Usage: npm run keys -- [--out keys] [--kid <id>] [--gateway-only]
Writes <out>/private.jwk.json (the hub's key: for whoever issues tokens), <out>/gateway.jwk.json
(the gateway's own key, id ${GATEWAY_KEY_ID_PREFIX}...: for the gateway only) and <out>/jwks.json (both
public keys: for every service). --gateway-only adds a gateway key to an existing <out>/jwks.json and
leaves the hub's key as it is (a deployment made before the gateway had a key of its own).`;

/**
 * `npm run keys -- --out keys`: the signing keys of a deployment (H2: the hub's and the gateway's,
 * each signing for its own issuer only). Rotation: add the new public key to the old jwks.json,
 * sign with the new key, drop the old one later.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'keys' },
      kid: { type: 'string' },
      'gateway-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const dir = path.resolve(values.out!);
  const jwksFile = path.join(dir, 'jwks.json');
  const gatewayFile = path.join(dir, 'gateway.jwk.json');
  if (values.kid?.startsWith(GATEWAY_KEY_ID_PREFIX)) {
    console.error(
      `--kid ${values.kid}: key ids starting with ${GATEWAY_KEY_ID_PREFIX} are the gateway's; give the hub's ` +
        `key another id.`,
    );
    return 2;
  }
  fs.mkdirSync(dir, { recursive: true });
  if (values['gateway-only']) {
    const gateway = await generateSigningKeys(`${GATEWAY_KEY_ID_PREFIX}${values.kid ?? Date.now().toString(36)}`);
    if (!fs.existsSync(jwksFile)) {
      console.error(
        `--gateway-only adds to an existing key set, and there is none at ${jwksFile}; run without it to make ` +
          `every key.`,
      );
      return 2;
    }
    const jwks = readJson<JSONWebKeySet>(jwksFile, 'the public key set');
    fs.writeFileSync(gatewayFile, JSON.stringify(gateway.privateJwk, null, 2), { mode: 0o600 });
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [...jwks.keys, publicJwkOf(gateway.privateJwk)] }, null, 2));
    console.log(`Wrote ${gatewayFile} (kid ${gateway.privateJwk.kid}) and added its public key to ${jwksFile}.`);
    return 0;
  }
  const { hub: keys, gateway, jwks } = await generateHubKeys(values.kid);
  fs.writeFileSync(path.join(dir, 'private.jwk.json'), JSON.stringify(keys.privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(gatewayFile, JSON.stringify(gateway.privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(jwksFile, JSON.stringify(jwks, null, 2));
  console.log(
    `Wrote ${jwksFile}, ${dir}/private.jwk.json (kid ${keys.privateJwk.kid}) and ${gatewayFile} (kid ` +
      `${gateway.privateJwk.kid}).`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
