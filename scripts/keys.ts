import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSigningKeys } from '../subgraphs/kernel/identity';

/**
 * `npm run keys -- --out keys`: a new Ed25519 signing key pair for a deployment: `jwks.json`
 * (public, for every service) and `private.jwk.json` (for whoever issues tokens only).
 * Rotation: add the new public key to the old jwks.json, issue with the new key, drop the old one later.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'keys' }, kid: { type: 'string' } } });
  const dir = path.resolve(values.out!);
  const keys = await generateSigningKeys(values.kid);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'private.jwk.json'), JSON.stringify(keys.privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify(keys.jwks, null, 2));
  console.log(`Wrote ${dir}/jwks.json and ${dir}/private.jwk.json (kid ${keys.privateJwk.kid}).`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
