import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../kernel/config';
import { Role, serviceAudience } from '../kernel/identity';
import { readIssuer } from '../kernel/keys';

const USAGE = `Usage: npm run register -- --name <subgraph> --url <graphql endpoint> [--code <department code>] [--department-name <name>]
                            [--token <bearer token>] [--registry <url>] [--check] [--force] [--note <text>]

Registers (or updates) a subgraph with the hub's registry, which fetches its SDL, composes it with
every current subgraph and checks the department contract and the stored operations. Prints the
new supergraph version, or every problem (and exits 1); nothing changes on a refusal.

  --token     a DEPT_ADMIN token of the department (or HUB_ADMIN). Without it, where the hub's signing key
              is at hand (the quick start), one is signed here: DEPT_ADMIN of --code, or HUB_ADMIN without a code
  --registry  the registry API, directly or through the gateway (default: JOINTCHECK_REGISTRY_URL, else
              the gateway's address from JOINTCHECK_HOST and JOINTCHECK_PORT, http://127.0.0.1:4000/graphql)
  --check     only check: print the problems and the schema diff, change nothing
  --force     hub admins: accept although stored operations would break`;

interface Problem {
  kind: string;
  message: string;
}

/** How long the registry has to answer. */
const ANSWER_WITHIN_MS = 30_000;

/**
 * The body of a GraphQL answer (`data` or `errors`); anything else (a 404 page, another service) is thrown as not one.
 */
function graphQLAnswer(status: number, text: string): unknown {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: refused below.
  }
  if (!body || typeof body !== 'object' || !('data' in body || 'errors' in body))
    throw new Error(`it answered HTTP ${status} without a GraphQL answer (not a GraphQL endpoint)`);
  return body;
}

/** Why a request to the registry failed, in words (fetch itself says only "fetch failed"). */
function whyUnreachable(error: unknown): string {
  const { name, message, cause } = error as Error & { cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return `no answer within ${ANSWER_WITHIN_MS / 1000} s`;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (nothing listens at that address)';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN')
    return `its host name does not resolve (${cause.code})`;
  return cause?.message ?? message;
}

const VERSION_FIELDS = 'number action subject author createdAt forced note subgraphs { name url sdlHash }';

/** `npm run register`: the registry's register mutation from the command line. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      code: { type: 'string' },
      'department-name': { type: 'string' },
      token: { type: 'string' },
      registry: { type: 'string' },
      check: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      note: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.name || !values.url) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const gatewayUrl = `http://${config.host}:${config.port || 4000}/graphql`;
  const registry = values.registry ?? config.registryUrl ?? gatewayUrl;
  let token = values.token;
  if (!token) {
    try {
      const issuer = await readIssuer(config);
      const code = values.code ?? null;
      // For the registry called directly or through the gateway (either may be at --registry): each accepts only its
      // own audience (H2).
      token = await issuer.issue(
        {
          subject: `register-cli${code ? `-${code}` : ''}`,
          role: code ? Role.DEPT_ADMIN : Role.HUB_ADMIN,
          department: code,
        },
        '10m',
        { audience: [config.jwt.audience, serviceAudience(config.jwt.audience, 'registry')] },
      );
      console.error(`(no --token: signed one with the local key as ${code ? `DEPT_ADMIN of ${code}` : 'HUB_ADMIN'})`);
    } catch (error) {
      console.error(
        `No --token given and no signing key here to make one (${(error as Error).message}). Ask the hub's ` +
          `operator for a department-admin token.`,
      );
      return 2;
    }
  }
  const input = {
    name: values.name,
    url: values.url,
    code: values.code ?? null,
    departmentName: values['department-name'] ?? null,
  };
  const query = values.check
    ? `mutation($input: SubgraphRegistrationInput!) { result: registryCheckSubgraph(input: $input) { ok ` +
      `unchanged problems { kind message } diff { addedTypes removedTypes addedFields removedFields ` +
      `changedFields notes } } }`
    : `mutation($input: SubgraphRegistrationInput!, $force: Boolean!, $note: String) { result: ` +
      `registryRegisterSubgraph(input: $input, force: $force, note: $note) { changed version { ` +
      `${VERSION_FIELDS} } } }`;
  let body: {
    data?: { result: Record<string, unknown> } | null;
    errors?: Array<{ message: string; extensions?: { code?: string; problems?: Problem[] } }>;
  };
  try {
    const response = await fetch(registry, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables: { input, force: values.force, note: values.note ?? null } }),
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    body = graphQLAnswer(response.status, await response.text()) as typeof body;
  } catch (error) {
    console.error(
      `The registry at ${registry} could not be reached: ${whyUnreachable(error)}. --registry URL sets the ` +
        `registry's address (by default JOINTCHECK_REGISTRY_URL, else the gateway's, ${gatewayUrl}, from ` +
        `JOINTCHECK_HOST and JOINTCHECK_PORT); check that the hub answers there.`,
    );
    return 1;
  }
  if (body.errors?.length) {
    for (const error of body.errors) {
      const problems = error.extensions?.problems;
      if (problems?.length) {
        console.error(`Refused (${error.extensions?.code}); nothing was changed:`);
        for (const p of problems) console.error(`  [${p.kind}] ${p.message}`);
      } else {
        console.error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
      }
    }
    return 1;
  }
  const result = body.data!.result;
  if (values.check) {
    const check = result as {
      ok: boolean;
      unchanged: boolean;
      problems: Problem[];
      diff: Record<string, string[]> | null;
    };
    console.log(
      check.ok
        ? check.unchanged
          ? 'OK: it would change nothing.'
          : 'OK: it would be accepted.'
        : 'It would be refused:',
    );
    for (const p of check.problems) console.log(`  [${p.kind}] ${p.message}`);
    for (const [what, list] of Object.entries(check.diff ?? {}))
      if (list.length) console.log(`  ${what}: ${list.join(', ')}`);
    return check.ok ? 0 : 1;
  }
  const { changed, version } = result as {
    changed: boolean;
    version: {
      number: number;
      action: string;
      subject: string;
      author: string;
      createdAt: string;
      forced: boolean;
      note: string | null;
      subgraphs: Array<{ name: string; url: string; sdlHash: string }>;
    };
  };
  console.log(
    changed
      ? `Accepted: supergraph version ${version.number} (${version.action} ${version.subject}, by ` +
          `${version.author} at ${version.createdAt}).`
      : `Unchanged: version ${version.number} already has this subgraph at this URL and SDL.`,
  );
  if (version.forced) console.log(`  Forced: ${version.note}`);
  for (const s of version.subgraphs) console.log(`  ${s.name.padEnd(14)} ${s.sdlHash.slice(0, 12)}  ${s.url}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
