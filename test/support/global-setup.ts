import { ensureWebBuilt } from '../../scripts/web-build';

/**
 * Before any test file: the public page (web/) is built into dist/web when its sources changed
 * since the last build, once for every worker (the gateways the tests start serve it).
 */
export default async function globalSetup(): Promise<void> {
  await ensureWebBuilt(() => undefined);
}
