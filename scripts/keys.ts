import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSigningKeys } from '../subgraphs/kernel/identity';

/**
 * `npm run keys -- --out keys`: the signing keys of a deployment: `private.jwk.json` (the hub's
 * Ed25519 key, for whoever issues tokens only), `gateway.jwk.json` (the gateway's own key for the
 * per-subgraph tokens it forwards, H2; for the gateway only) and `jwks.json` (both public keys,
 * for every service). Rotation: add the new public key to the old jwks.json, issue with the new
 * key, drop the old one later.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'keys' }, kid: { type: 'string' } } });
  const dir = path.resolve(values.out!);
  const keys = await generateSigningKeys(values.kid);
  const gateway = await generateSigningKeys(`gateway-${keys.privateJwk.kid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'private.jwk.json'), JSON.stringify(keys.privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'gateway.jwk.json'), JSON.stringify(gateway.privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [...keys.jwks.keys, ...gateway.jwks.keys] }, null, 2));
  console.log(`Wrote ${dir}/jwks.json, ${dir}/private.jwk.json (kid ${keys.privateJwk.kid}) and ${dir}/gateway.jwk.json (kid ${gateway.privateJwk.kid}).`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
