import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEPARTMENT_CODE } from './codes';
import { parseDuration } from './duration';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './identity';

/**
 * Every setting of the hub, read and validated once at an entry point and passed down
 * (STYLE.md habit 9). Each has a default that serves the embedded quick start; README.md lists
 * them. Unknown JOINTCHECK_* variables are refused, so a typo in docker-compose.yml fails loudly.
 */
const schema = z.object({
  /** `sqlite` (embedded, one file per service under the data dir) or a MySQL server URL without a database. */
  JOINTCHECK_DB: z
    .string()
    .default('sqlite')
    .refine((v) => v === 'sqlite' || /^mysql:\/\/[^/]+\/?$/.test(v), {
      message: "must be 'sqlite' or a MySQL server URL such as mysql://root@127.0.0.1:3306 (no database name)",
    }),
  /** Prefix of each service's database name (`jointcheck_tax`). */
  JOINTCHECK_DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,30}$/, 'lowercase letters, digits and _, starting with a letter')
    .default('jointcheck_'),
  /** Where SQLite files, dev keys and the gateway's last good supergraph live. */
  JOINTCHECK_DATA_DIR: z.string().default('.data'),
  /** JSON Web Key Set (file) of the public keys tokens are verified with. */
  JOINTCHECK_JWT_PUBLIC_KEYS: z.string().optional(),
  /** Private JWK (file) that `npm run token` signs with; only the token issuer needs it. */
  JOINTCHECK_JWT_PRIVATE_KEY: z.string().optional(),
  /**
   * Gateway: private JWK (file) it signs the per-subgraph tokens it forwards with (H2); its public
   * key is in JOINTCHECK_JWT_PUBLIC_KEYS. Default: <data dir>/keys/gateway.jwk.json when it exists.
   */
  JOINTCHECK_GATEWAY_PRIVATE_KEY: z.string().optional(),
  JOINTCHECK_JWT_ISSUER: z.string().default('jointcheck'),
  JOINTCHECK_JWT_AUDIENCE: z.string().default('jointcheck'),
  /**
   * The longest a token may live (`exp` - `iat`, H2): `npm run token` refuses to sign longer, every service to accept
   * longer.
   */
  JOINTCHECK_JWT_MAX_LIFETIME: z
    .string()
    .default(`${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS / 3600}h`)
    .refine((v) => (parseDuration(v) ?? 0) >= 60 && (parseDuration(v) ?? 0) <= 31 * 86_400, {
      message: 'must be a duration from 1m to 31d, such as 24h, 8h or 7d',
    }),
  /**
   * Sign-in (issue I): the OpenID Connect provider officials sign in at (the province's unified
   * identity platform), its issuer URL. Unset outside production: the quick start runs the
   * development provider (idp/) and uses it; in production officials then sign in with pasted
   * hub tokens only (the start says so).
   */
  JOINTCHECK_OIDC_ISSUER: z.string().url().optional(),
  /** The page's client id at the provider (a public client: authorization code with PKCE, no secret). */
  JOINTCHECK_OIDC_CLIENT_ID: z.string().min(1).max(200).default('jointcheck-web'),
  /** The resource indicator the page asks access tokens for, and the audience the gateway accepts (an absolute URI). */
  JOINTCHECK_OIDC_AUDIENCE: z
    .string()
    .default('urn:jointcheck')
    .refine((v) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(v), {
      message: 'must be an absolute URI, such as urn:jointcheck or https://hub.example.gov.cn/',
    }),
  /** The claims of the provider's access token holding the hub role and the department code. */
  JOINTCHECK_OIDC_ROLE_CLAIM: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_:./-]{0,99}$/, 'a claim name')
    .default('jointcheck_role'),
  JOINTCHECK_OIDC_DEPT_CLAIM: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_:./-]{0,99}$/, 'a claim name')
    .default('jointcheck_dept'),
  /** The `typ` header the provider's access tokens carry (RFC 9068: at+jwt); `any` when the provider sets none. */
  JOINTCHECK_OIDC_TOKEN_TYPE: z.string().min(1).max(100).default('at+jwt'),
  /** The quick start's development identity provider's port (0: a free one). */
  JOINTCHECK_DEV_IDP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Create a dev key pair under the data dir when no keys are configured (quick start only). */
  JOINTCHECK_DEV_KEYS: z.enum(['true', 'false']).default('true'),
  JOINTCHECK_HOST: z.string().default('127.0.0.1'),
  /** Gateway port; the quick start puts subgraphs on the following ports. */
  JOINTCHECK_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Registry: subgraphs it registers at start (the hub's own), `name=url` pairs separated by commas. */
  JOINTCHECK_SUBGRAPHS: z.string().optional(),
  /** Gateway: serve this supergraph file (reloaded when it changes) instead of the registry's versions. */
  JOINTCHECK_SUPERGRAPH_FILE: z.string().optional(),
  /**
   * Gateway: where it keeps the last good registry version (default: the data dir); refused with
   * JOINTCHECK_SUPERGRAPH_FILE (H2).
   */
  JOINTCHECK_SUPERGRAPH_CACHE: z.string().optional(),
  /** Gateway: how often it asks the registry's store for a new version, in ms. */
  JOINTCHECK_SUPERGRAPH_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  /** Registry: how often it checks each subgraph's health, in ms. */
  JOINTCHECK_HEALTH_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /**
   * Registry: the hosts a subgraph may be registered at (comma-separated; `.gov.cn` matches every
   * host under it), for hub admins too. Required in production (H2): the registry refuses to start
   * without it. Unset outside production: any host (the quick start).
   */
  JOINTCHECK_REGISTRY_ALLOWED_HOSTS: z.string().optional(),
  /** Where the registry answers (the joint service reads the departments from it; `npm run register` posts to it). */
  JOINTCHECK_REGISTRY_URL: z.string().url().optional(),
  /** Demo data: generate on first start when the database is empty. */
  JOINTCHECK_DEMO_DATA: z.enum(['true', 'false']).default('true'),
  JOINTCHECK_DEMO_SEED: z.string().min(1).default('jointcheck-demo'),
  JOINTCHECK_DEMO_TARGETS: z.coerce.number().int().min(1).max(2_000_000).default(20_000),
  /**
   * `production` turns introspection and field suggestions off for anonymous callers; `training`
   * is a training hub (培训/演练环境): its clock can be moved and every record it makes is marked
   * as training (subgraphs/joint/training.ts).
   */
  JOINTCHECK_MODE: z.enum(['development', 'training', 'production']).default('development'),
  /** Gateway operation limits (graphql-armor). */
  JOINTCHECK_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  JOINTCHECK_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  JOINTCHECK_MAX_TOKENS: z.coerce.number().int().min(50).max(1_000_000).default(5000),
  JOINTCHECK_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
  JOINTCHECK_MAX_COST: z.coerce.number().int().min(10).max(100_000_000).default(250_000),
  /**
   * Gateway: the proxies in front of it whose X-Forwarded-For it believes (express's `trust proxy`:
   * `loopback`, addresses or CIDR ranges, comma-separated, or a number of hops). Unset: none; each
   * caller is its connection's address (behind a load balancer, every anonymous caller would then
   * share one budget and one mutation limit).
   */
  JOINTCHECK_TRUST_PROXY: z.string().min(1).optional(),
  /** Gateway: the largest request body, in bytes. */
  JOINTCHECK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  /**
   * Joint service (issue J): the largest piece of evidence (a photo, a document, a signature) a
   * phone may send, in bytes. At most 15 MB: a row must fit MySQL's default max_allowed_packet (16 MB).
   */
  JOINTCHECK_MAX_EVIDENCE_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(15 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * Joint service (issue J): the address the public reaches the hub's page at (the gateway's, behind
   * any proxy), printed on the joint record form as the QR code of its inspection code (R32).
   * Unset: http://localhost:<JOINTCHECK_PORT>, right for the quick start only.
   */
  JOINTCHECK_PUBLIC_URL: z.string().url().optional(),
  /** Gateway: mutations per caller (token subject, or address when anonymous) per minute. */
  JOINTCHECK_MUTATIONS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Gateway (H2): operations one caller may have in flight at once; more are refused (429) until one finishes. */
  JOINTCHECK_CALLER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000_000).default(16),
  /**
   * Gateway (H2): the estimated cost (gateway/caller-budget.ts) one caller may have in flight at once; an operation
   * costing more runs only alone.
   */
  JOINTCHECK_CALLER_COST: z.coerce.number().int().min(100).max(1_000_000_000).default(50_000),
  /**
   * Gateway (H2): how long it waits for a subgraph's answer, in ms; then the subgraph's part of the answer is an error
   * saying so.
   */
  JOINTCHECK_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  /**
   * The health commission's existing system (卫健, a REST service the health department's subgraph
   * reads through the REST connector, issue E): its base URL and API key. Unset, the all-in-one hub
   * (`npm start`, the tests) starts its stand-in (connectors/upstream/health-system) with a key of
   * its own; a separate health subgraph process needs both.
   */
  JOINTCHECK_HEALTH_SYSTEM_URL: z.string().url().optional(),
  JOINTCHECK_HEALTH_SYSTEM_KEY: z.string().min(8, 'at least 8 characters').optional(),
  /**
   * A department on a connector, run alone (`node dist/connectors/main.js`, issue E): which
   * connector, its mapping file (naming the department's code and name), the existing system's
   * address (a REST base URL, or a MySQL URL with its database) and, for REST, its API key.
   */
  JOINTCHECK_CONNECTOR_KIND: z.enum(['rest', 'mysql']).optional(),
  JOINTCHECK_CONNECTOR_MAPPING: z.string().optional(),
  JOINTCHECK_CONNECTOR_UPSTREAM_URL: z.string().url().optional(),
  JOINTCHECK_CONNECTOR_UPSTREAM_KEY: z.string().min(8, 'at least 8 characters').optional(),
  /** Gateway: the built public page and dashboard (`npm run build:web`), served at `/`. */
  JOINTCHECK_WEB_DIR: z.string().optional(),
  /**
   * Joint service: the folder of the State Council holiday notices' year files (`YYYY.json`) working days are counted
   * on.
   */
  JOINTCHECK_CALENDAR_DIR: z.string().optional(),
  JOINTCHECK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Issue L: the file holding the operator's credential for `/metrics` (at least 24 characters; Prometheus sends it as
   * a bearer token). Default: <data dir>/keys/metrics.token, which the quick start makes. Without it, `/metrics` is
   * refused to everyone.
   */
  JOINTCHECK_METRICS_TOKEN_FILE: z.string().optional(),
  /**
   * Issue L: Redis, where every instance of a service shares its callers' limits (redis://host:6379/0). Unset: each
   * instance counts alone.
   */
  JOINTCHECK_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /**
   * Issue L: the OpenTelemetry collector's OTLP/HTTP base URL (http://otel-collector:4318): traces go to its
   * /v1/traces. Unset: no traces are made.
   */
  JOINTCHECK_OTLP_ENDPOINT: z.string().url().optional(),
  /**
   * Issue L: how long a joint service holds the outbox entries it is delivering; when it dies holding them, another
   * joint service delivers them after this. Longer than a department may take to answer RecordResults (the joint
   * service waits 60 s at most): shorter, a slow department may be sent a batch twice (harmless, by its idempotency
   * keys, but wasted).
   */
  JOINTCHECK_OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  /** The prefix of the hub's keys in Redis (several hubs may share one Redis). */
  JOINTCHECK_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)')
    .default('jointcheck'),
});

export interface HubConfig {
  db: { kind: 'sqlite'; dataDir: string; prefix: string } | { kind: 'mysql'; url: string; prefix: string };
  dataDir: string;
  jwt: {
    publicKeysFile: string;
    privateKeyFile: string;
    /** The gateway's own signing key (per-subgraph forwarded tokens), never the hub's. */
    gatewayKeyFile: string;
    issuer: string;
    audience: string;
    /** The longest token lifetime issued or accepted, in seconds. */
    maxLifetimeSeconds: number;
    devKeys: boolean;
  };
  host: string;
  port: number;
  subgraphs: Array<{ name: string; url: string }>;
  supergraph: { file: string | null; cacheFile: string; pollMs: number };
  healthIntervalMs: number;
  registryUrl: string | null;
  registryAllowedHosts: string[] | null;
  production: boolean;
  /** A training hub (培训/演练环境): a movable clock, every record marked as training. Never in production. */
  training: boolean;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    maxCost: number;
    maxBodyBytes: number;
    mutationsPerMinute: number;
    callerConcurrency: number;
    callerCost: number;
    subgraphTimeoutMs: number;
    production: boolean;
  };
  demo: { enabled: boolean; seed: string; targets: number };
  /** Existing systems of connector-backed departments (null: the all-in-one hub starts a stand-in). */
  healthSystem: { url: string; apiKey: string } | null;
  /** A department on a connector run alone (connectors/main.ts); null otherwise. */
  connector: ConnectorSettings | null;
  /** Gateway: the built public page (dist/web of the project by default). */
  webDir: string;
  /** Gateway: which proxies' X-Forwarded-For names the caller (express `trust proxy`); null: none. */
  trustProxy: string | number | null;
  /**
   * Sign-in (issue I): the identity provider; `issuer` null means none is configured (the quick
   * start then runs the development provider on `devPort` and fills it in).
   */
  oidc: {
    issuer: string | null;
    clientId: string;
    audience: string;
    roleClaim: string;
    deptClaim: string;
    tokenType: string | null;
    devPort: number | null;
  };
  /**
   * Joint service: the holiday notices' year files; null: those shipped (subgraphs/joint/calendar/data of the project).
   */
  calendarDir: string | null;
  /** Joint service (issue J): evidence's size cap, and the public page's address for the form's QR code (R32). */
  onSite: { maxEvidenceBytes: number; publicUrl: string };
  logLevel: z.infer<typeof schema>['JOINTCHECK_LOG_LEVEL'];
  /** Issue L: where the operator's credential for `/metrics` is kept (JOINTCHECK_METRICS_TOKEN_FILE). */
  metrics: { tokenFile: string };
  /** Issue L: Redis, for limits shared by every instance (JOINTCHECK_REDIS_URL); url null: each counts alone. */
  redis: { url: string | null; prefix: string };
  /** Joint service: how long a deliverer holds outbox entries (JOINTCHECK_OUTBOX_LEASE_MS, issue L). */
  outbox: { leaseMs: number };
  /** Issue L: where traces are exported (JOINTCHECK_OTLP_ENDPOINT); null: none are made. */
  tracing: { otlpEndpoint: string | null };
}

export type ConnectorSettings =
  | { kind: 'rest'; mappingFile: string; upstreamUrl: string; apiKey: string }
  | { kind: 'mysql'; mappingFile: string; upstreamUrl: string };

/** The connector settings, all or none; REST needs a key, MySQL carries its credentials in the URL. */
function connectorSettings(c: z.infer<typeof schema>): ConnectorSettings | null {
  const given = [
    c.JOINTCHECK_CONNECTOR_KIND,
    c.JOINTCHECK_CONNECTOR_MAPPING,
    c.JOINTCHECK_CONNECTOR_UPSTREAM_URL,
    c.JOINTCHECK_CONNECTOR_UPSTREAM_KEY,
  ].some(Boolean);
  if (!given) return null;
  const {
    JOINTCHECK_CONNECTOR_KIND: kind,
    JOINTCHECK_CONNECTOR_MAPPING: mapping,
    JOINTCHECK_CONNECTOR_UPSTREAM_URL: url,
    JOINTCHECK_CONNECTOR_UPSTREAM_KEY: key,
  } = c;
  const missing = [
    !kind && 'JOINTCHECK_CONNECTOR_KIND (rest or mysql)',
    !mapping && 'JOINTCHECK_CONNECTOR_MAPPING (the mapping file)',
    !url && 'JOINTCHECK_CONNECTOR_UPSTREAM_URL (the existing system)',
    kind === 'rest' && !key && 'JOINTCHECK_CONNECTOR_UPSTREAM_KEY (its API key)',
  ].filter(Boolean);
  if (missing.length)
    throw new Error(`Invalid configuration: a department on a connector also needs ${missing.join(', ')}.`);
  if (kind === 'mysql' && key)
    throw new Error(
      'Invalid configuration: JOINTCHECK_CONNECTOR_UPSTREAM_KEY is for a REST system; a MySQL connector ' +
        'takes its credentials in JOINTCHECK_CONNECTOR_UPSTREAM_URL.',
    );
  if (kind === 'mysql' && !/^mysql:\/\/[^/]+\/[A-Za-z0-9_$]+$/.test(url!))
    throw new Error(
      'Invalid configuration: JOINTCHECK_CONNECTOR_UPSTREAM_URL must be ' +
        'mysql://user:password@host:3306/database for a MySQL connector.',
    );
  return kind === 'rest'
    ? { kind, mappingFile: path.resolve(mapping!), upstreamUrl: url!.replace(/\/$/, ''), apiKey: key! }
    : { kind: 'mysql', mappingFile: path.resolve(mapping!), upstreamUrl: url! };
}

/** Parses `name=url,name=url`; names follow the department-code rule. */
function parseSubgraphList(value: string | undefined): Array<{ name: string; url: string }> {
  if (!value) return [];
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [name, url] = pair.split('=');
      if (!name || !url || !DEPARTMENT_CODE.test(name) || !/^https?:\/\//.test(url)) {
        throw new Error(`JOINTCHECK_SUBGRAPHS: '${pair}' is not name=http(s)://host:port/graphql`);
      }
      return { name, url };
    });
}

/** Reads the configuration from an environment (process.env by default); throws one message listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const unknown = Object.keys(env).filter(
    (k) => k.startsWith('JOINTCHECK_') && !(k in schema.shape) && k !== 'JOINTCHECK_MYSQL_URL',
  );
  if (unknown.length) throw new Error(`Unknown setting(s): ${unknown.join(', ')}. See README.md for the list.`);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  if (
    c.JOINTCHECK_OIDC_ISSUER &&
    [c.JOINTCHECK_JWT_ISSUER, `${c.JOINTCHECK_JWT_ISSUER}:gateway`].includes(c.JOINTCHECK_OIDC_ISSUER)
  ) {
    throw new Error(
      `Invalid configuration: JOINTCHECK_OIDC_ISSUER (${c.JOINTCHECK_OIDC_ISSUER}) is the hub's own issuer ` +
        `(JOINTCHECK_JWT_ISSUER): the gateway tells the identity provider's tokens from the hub's by their ` +
        `issuer, so the two must differ.`,
    );
  }
  if (Boolean(c.JOINTCHECK_HEALTH_SYSTEM_URL) !== Boolean(c.JOINTCHECK_HEALTH_SYSTEM_KEY)) {
    throw new Error(
      'Invalid configuration: JOINTCHECK_HEALTH_SYSTEM_URL and JOINTCHECK_HEALTH_SYSTEM_KEY go together (the ' +
        "health system's base URL and its API key); set both or neither.",
    );
  }
  if (c.JOINTCHECK_SUPERGRAPH_FILE && c.JOINTCHECK_SUPERGRAPH_CACHE) {
    // H2: a setting that would be silently unused is refused.
    throw new Error(
      "Invalid configuration: JOINTCHECK_SUPERGRAPH_CACHE is the last good copy of the registry's versions, " +
        'and a gateway on JOINTCHECK_SUPERGRAPH_FILE reads no registry: the supergraph file is its own last ' +
        'good copy (a broken change to it is refused and the one served is kept). Set one or the other.',
    );
  }
  const dataDir = path.resolve(c.JOINTCHECK_DATA_DIR);
  return {
    db:
      c.JOINTCHECK_DB === 'sqlite'
        ? { kind: 'sqlite', dataDir, prefix: c.JOINTCHECK_DB_PREFIX }
        : { kind: 'mysql', url: c.JOINTCHECK_DB.replace(/\/$/, ''), prefix: c.JOINTCHECK_DB_PREFIX },
    dataDir,
    jwt: {
      publicKeysFile: path.resolve(c.JOINTCHECK_JWT_PUBLIC_KEYS ?? path.join(dataDir, 'keys', 'jwks.json')),
      privateKeyFile: path.resolve(c.JOINTCHECK_JWT_PRIVATE_KEY ?? path.join(dataDir, 'keys', 'private.jwk.json')),
      gatewayKeyFile: path.resolve(c.JOINTCHECK_GATEWAY_PRIVATE_KEY ?? path.join(dataDir, 'keys', 'gateway.jwk.json')),
      issuer: c.JOINTCHECK_JWT_ISSUER,
      audience: c.JOINTCHECK_JWT_AUDIENCE,
      maxLifetimeSeconds: parseDuration(c.JOINTCHECK_JWT_MAX_LIFETIME)!,
      devKeys: c.JOINTCHECK_DEV_KEYS === 'true',
    },
    host: c.JOINTCHECK_HOST,
    port: c.JOINTCHECK_PORT,
    subgraphs: parseSubgraphList(c.JOINTCHECK_SUBGRAPHS),
    supergraph: {
      file: c.JOINTCHECK_SUPERGRAPH_FILE ? path.resolve(c.JOINTCHECK_SUPERGRAPH_FILE) : null,
      cacheFile: path.resolve(c.JOINTCHECK_SUPERGRAPH_CACHE ?? path.join(dataDir, 'gateway', 'supergraph.json')),
      pollMs: c.JOINTCHECK_SUPERGRAPH_POLL_MS,
    },
    healthIntervalMs: c.JOINTCHECK_HEALTH_INTERVAL_MS,
    registryUrl: c.JOINTCHECK_REGISTRY_URL ?? null,
    registryAllowedHosts: c.JOINTCHECK_REGISTRY_ALLOWED_HOSTS
      ? c.JOINTCHECK_REGISTRY_ALLOWED_HOSTS.split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean)
      : null,
    production: c.JOINTCHECK_MODE === 'production',
    training: c.JOINTCHECK_MODE === 'training',
    limits: {
      maxDepth: c.JOINTCHECK_MAX_DEPTH,
      maxAliases: c.JOINTCHECK_MAX_ALIASES,
      maxTokens: c.JOINTCHECK_MAX_TOKENS,
      maxDirectives: c.JOINTCHECK_MAX_DIRECTIVES,
      maxCost: c.JOINTCHECK_MAX_COST,
      maxBodyBytes: c.JOINTCHECK_MAX_BODY_BYTES,
      mutationsPerMinute: c.JOINTCHECK_MUTATIONS_PER_MINUTE,
      callerConcurrency: c.JOINTCHECK_CALLER_CONCURRENCY,
      callerCost: c.JOINTCHECK_CALLER_COST,
      subgraphTimeoutMs: c.JOINTCHECK_SUBGRAPH_TIMEOUT_MS,
      production: c.JOINTCHECK_MODE === 'production',
    },
    demo: {
      enabled: c.JOINTCHECK_DEMO_DATA === 'true',
      seed: c.JOINTCHECK_DEMO_SEED,
      targets: c.JOINTCHECK_DEMO_TARGETS,
    },
    connector: connectorSettings(c),
    healthSystem:
      c.JOINTCHECK_HEALTH_SYSTEM_URL && c.JOINTCHECK_HEALTH_SYSTEM_KEY
        ? { url: c.JOINTCHECK_HEALTH_SYSTEM_URL.replace(/\/$/, ''), apiKey: c.JOINTCHECK_HEALTH_SYSTEM_KEY }
        : null,
    oidc: {
      issuer: c.JOINTCHECK_OIDC_ISSUER ?? null,
      clientId: c.JOINTCHECK_OIDC_CLIENT_ID,
      audience: c.JOINTCHECK_OIDC_AUDIENCE,
      roleClaim: c.JOINTCHECK_OIDC_ROLE_CLAIM,
      deptClaim: c.JOINTCHECK_OIDC_DEPT_CLAIM,
      tokenType: c.JOINTCHECK_OIDC_TOKEN_TYPE === 'any' ? null : c.JOINTCHECK_OIDC_TOKEN_TYPE,
      devPort: c.JOINTCHECK_DEV_IDP_PORT ?? null,
    },
    trustProxy:
      c.JOINTCHECK_TRUST_PROXY === undefined
        ? null
        : /^\d+$/.test(c.JOINTCHECK_TRUST_PROXY)
          ? Number(c.JOINTCHECK_TRUST_PROXY)
          : c.JOINTCHECK_TRUST_PROXY,
    webDir: path.resolve(c.JOINTCHECK_WEB_DIR ?? path.join(projectRoot(), 'dist', 'web')),
    calendarDir: c.JOINTCHECK_CALENDAR_DIR ? path.resolve(c.JOINTCHECK_CALENDAR_DIR) : null,
    onSite: {
      maxEvidenceBytes: c.JOINTCHECK_MAX_EVIDENCE_BYTES,
      publicUrl: (c.JOINTCHECK_PUBLIC_URL ?? `http://localhost:${c.JOINTCHECK_PORT}`).replace(/\/+$/, ''),
    },
    logLevel: c.JOINTCHECK_LOG_LEVEL,
    metrics: {
      tokenFile: path.resolve(c.JOINTCHECK_METRICS_TOKEN_FILE ?? path.join(dataDir, 'keys', 'metrics.token')),
    },
    redis: { url: c.JOINTCHECK_REDIS_URL ?? null, prefix: c.JOINTCHECK_REDIS_PREFIX },
    tracing: { otlpEndpoint: c.JOINTCHECK_OTLP_ENDPOINT ?? null },
    outbox: { leaseMs: c.JOINTCHECK_OUTBOX_LEASE_MS },
  };
}

/** The folder holding package.json above this file: the checkout, or /app in the image (run from dist/). */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** The setting names the code reads (the compose-file test checks docker-compose.yml against them). */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);
