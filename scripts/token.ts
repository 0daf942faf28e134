import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../kernel/config';
import { Role } from '../kernel/identity';
import { readIssuer } from '../kernel/keys';

const USAGE = `Usage: npm run token -- --role <ROLE> [--dept <code>] [--sub <who>] [--expires 8h] [--for <service>]
--expires: how long it lives (15m, 8h, 1d); 8 h by default, at most JOINTCHECK_JWT_MAX_LIFETIME (24 h by default).
--for: a token for one service called directly (tax, joint, registry, ...), accepted by that service alone;
       without it, a token for the gateway, which no service accepts directly.
Roles: ${Object.keys(Role)
  .filter((r) => r !== 'PUBLIC')
  .join(', ')}
Department roles (DEPT_ADMIN, DEPUTY_HEAD, PRINCIPAL_HEAD, COORDINATOR, INSPECTOR) need --dept.
Prints only the token, so it can be used as $(npm run -s token -- ...).`;

/**
 * `npm run token`: signs a token with the hub's private key (in the quick start, the dev key under
 * .data/keys). It never makes a key: without one it exits 1 saying where it looked and what to do.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      dept: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string' },
      for: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.role) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const role = values.role.toUpperCase() as Role;
  const department = values.dept ?? null;
  const issuer = await readIssuer(loadConfig());
  const subject = values.sub ?? `demo-${role.toLowerCase()}${department ? `-${department}` : ''}`;
  try {
    if (values.for !== undefined && !/^[a-z][a-z0-9_]{1,39}$/.test(values.for))
      throw new Error(`--for '${values.for}' is not a service's name (tax, joint, registry, ...)`);
    console.log(
      values.for
        ? await issuer.issueFor(values.for, { subject, role, department }, values.expires)
        : await issuer.issue({ subject, role, department }, values.expires),
    );
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
