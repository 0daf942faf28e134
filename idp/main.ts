import { demoUsers } from './demo-users';
import { startDevIdentityProvider } from './dev-provider';
import type { DevIdentityProviderAnnouncement, DevIdentityProviderOptions } from './types';

/**
 * The development identity provider as a process of its own (oidc-provider is an ES module, which
 * Jest cannot load in CommonJS tests; a process also keeps its Koa app apart from the hub's):
 *
 *   node -r @swc-node/register idp/main.ts '<options as JSON>'
 *   JOINTCHECK_DEV_IDP_OPTIONS='<options as JSON>' node -r @swc-node/register idp/main.ts
 *
 * The options are DevIdentityProviderOptions (idp/types.ts), plus, instead of `users` or beside
 * them, `demo: { seed, departments }` for the demo officials (idp/demo-users.ts). The environment is
 * preferred to the argument for anything secret (a command line is visible to every user of the
 * machine). It prints one line of JSON, `{"issuer":...,"url":...}`, on stdout once it listens, and
 * nothing else there (oidc-provider's notices go to stderr); it stops on SIGTERM or SIGINT.
 */
interface MainOptions extends Omit<DevIdentityProviderOptions, 'users'> {
  users?: DevIdentityProviderOptions['users'];
  demo?: { seed: string; departments: string[] };
}

function readOptions(): DevIdentityProviderOptions {
  const text = process.argv[2] ?? process.env.JOINTCHECK_DEV_IDP_OPTIONS;
  if (!text)
    throw new Error("usage: node -r @swc-node/register idp/main.ts '<options JSON>' (or JOINTCHECK_DEV_IDP_OPTIONS)");
  let parsed: MainOptions;
  try {
    parsed = JSON.parse(text) as MainOptions;
  } catch (error) {
    throw new Error(`the dev identity provider's options are not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { demo, users, ...rest } = parsed;
  const all = [...(users ?? []), ...(demo ? demoUsers(demo.seed, demo.departments) : [])];
  if (all.length === 0)
    throw new Error('the dev identity provider needs users (users, or demo: { seed, departments })');
  return { ...rest, users: all };
}

async function main(): Promise<void> {
  // stdout carries the announcement alone: oidc-provider writes its notices with console.info.
  console.info = (...args: unknown[]) => console.error(...args);
  const options = readOptions();
  const idp = await startDevIdentityProvider(options);
  const announcement: DevIdentityProviderAnnouncement = { issuer: idp.issuer, url: idp.url };
  process.stdout.write(`${JSON.stringify(announcement)}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    idp.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Started by idp/spawn.ts: stop with the parent, whose end closes the pipe on stdin.
  if (process.env.JOINTCHECK_DEV_IDP_STOP_WITH_STDIN === '1') {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  console.error(`dev identity provider: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
