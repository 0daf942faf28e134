import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../kernel/config';
import { demoUsers } from '../idp/demo-users';
import { spawnDevIdentityProvider, type SpawnedDevIdentityProvider } from '../idp/spawn';
import type { DevUser } from '../idp/types';

/** The page's callback path (web/src/api/oidc.ts CALLBACK_PATH). */
const CALLBACK_PATH = '/signin/callback';

export interface DevSignIn {
  provider: SpawnedDevIdentityProvider;
  users: DevUser[];
  /** The seed the passwords are derived from (kept under the data dir). */
  seedFile: string;
}

/**
 * The quick start's sign-in (issue I): the development identity provider (idp/), in a process of
 * its own, with the demo officials as its users, before the hub starts, so that the gateway takes
 * its tokens. Never in production: there JOINTCHECK_OIDC_ISSUER names the province's provider.
 * The passwords are derived from a random seed made once under the data dir (not from the public
 * demo seed), so they survive restarts and are printed in the banner. The page's address must be
 * known to register its callback: on port 0 no provider is started.
 */
export async function startDevSignIn(config: HubConfig, departments: readonly string[]): Promise<DevSignIn | null> {
  if (config.production || config.oidc.issuer || config.port === 0) return null;
  // A development provider (plain http, demo passwords) listens on this machine only.
  if (!['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    console.error(
      `No development identity provider: the hub listens on ${config.host}, and the development provider ` +
        `(plain http, demo passwords) listens on this machine only; set JOINTCHECK_OIDC_ISSUER to a real ` +
        `provider.`,
    );
    return null;
  }
  const seedFile = path.join(config.dataDir, 'idp', 'seed');
  if (!fs.existsSync(seedFile)) {
    fs.mkdirSync(path.dirname(seedFile), { recursive: true });
    fs.writeFileSync(seedFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  const seed = fs.readFileSync(seedFile, 'utf8').trim();
  const origins = [
    `http://${config.host}:${config.port}`,
    ...(config.host === '127.0.0.1' ? [`http://localhost:${config.port}`] : []),
  ];
  const users = demoUsers(seed, departments);
  const provider = await spawnDevIdentityProvider(
    {
      host: config.host,
      port: config.oidc.devPort ?? config.port + 50,
      resource: config.oidc.audience,
      roleClaim: config.oidc.roleClaim,
      deptClaim: config.oidc.deptClaim,
      clients: [
        {
          client_id: config.oidc.clientId,
          client_name: '双随机、一公开 联合抽查平台',
          redirect_uris: origins.map((o) => `${o}${CALLBACK_PATH}`),
          post_logout_redirect_uris: origins.map((o) => `${o}/`),
        },
      ],
      allowedOrigins: origins,
      users,
    },
    { onLog: (line) => /error/i.test(line) && console.error(`[dev identity provider] ${line}`) },
  );
  return { provider, users, seedFile };
}

/** The banner's lines: where to sign in and as whom. */
export function devSignInBanner(signIn: DevSignIn, pageUrl: string): string {
  const width = Math.max(...signIn.users.map((u) => u.subject.length));
  return `Sign in on the page (${pageUrl}signin, 使用统一身份认证登录) at the DEVELOPMENT identity provider
${signIn.provider.issuer} (never in production: JOINTCHECK_OIDC_ISSUER names the province's provider) as
one of the demo officials (passwords derived from ${signIn.seedFile}); each finds their own work under
业务办理 (${pageUrl}work): coordinators plan and draw, deputy heads adjust teams, admins approve, publish
and import, principal heads correct, inspectors submit their visits:
${signIn.users.map((u) => `  ${u.subject.padEnd(width)}  ${u.password}  ` + `${u.role}${u.department ? ` of ${u.department}` : ''}`).join('\n')}`;
}
