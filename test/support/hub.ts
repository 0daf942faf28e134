import { loadConfig, type HubConfig } from '../../kernel/config';
import { generateHubKeys, Role, TokenIssuer, TokenVerifier } from '../../kernel/identity';
import type { JWK } from 'jose';
import { startHub, type RunningHub } from '../../scripts/hub';
import { runDemoActivity, type DemoSummary } from '../../scripts/demo-activity';
import type { SettableClock } from '../../kernel/settable-clock';
import { BUILTIN_DEPARTMENTS } from '../../subgraphs';
import { testDatabases, type TestDatabase } from './databases';

export interface TestHub extends RunningHub {
  config: HubConfig;
  issuer: TokenIssuer;
  verifier: TokenVerifier;
  /** The gateway's own signer of the tokens it forwards to subgraphs (H2). */
  gatewaySigner: TokenIssuer;
  /** The public key set tokens verify with (for a subgraph not built on this code). */
  jwks: { keys: object[] };
  /** The private key the hub's tokens are signed with: for tests that sign what no issuer would (H2). */
  privateJwk: JWK;
  /** The gateway's private key: for tests that sign with it what the gateway never would (H2). */
  gatewayPrivateJwk: JWK;
  /** A bearer token for a role (and department), for the gateway. */
  token(role: Role, department?: string | null, subject?: string): Promise<string>;
  /** A bearer token for one service called directly (its audience, H2): `tax`, `joint`, `registry`. */
  tokenFor(service: string, role: Role, department?: string | null, subject?: string): Promise<string>;
  /** Posts an operation to a URL (the gateway's by default); returns the parsed body. */
  query<T = Record<string, unknown>>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string; url?: string },
  ): Promise<GraphQLResponse<T>>;
  /** What the demo year made, when the hub was started with `demoYear`. */
  demo?: DemoSummary;
}

export interface TestHubOptions {
  /**
   * Makes the demo year of joint work (scripts/demo-activity.ts) once the hub is up, as `npm start`
   * does on a first start: the hub runs on this clock, whose time when the hub starts is "today"
   * (set it to a fixed day), and the joint service's deliveries are run by the activity itself.
   */
  demoYear?: SettableClock;
  /**
   * Starts a training hub (JOINTCHECK_MODE=training, or the mode in `env`) on this clock, as
   * `npm start` does: coordinators may move it (jointMoveTrainingClock) when the mode is training.
   */
  training?: SettableClock;
  /** More settings (JOINTCHECK_*), over the test hub's. */
  env?: Record<string, string>;
}

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export const TEST_SETTINGS = { issuer: 'jointcheck-test', audience: 'jointcheck-test' };

/**
 * Keys made in memory for one test file: the hub's pair (tests sign with it) and the gateway's (it
 * signs what it forwards to subgraphs, H2); every service verifies with both public keys.
 */
export async function testKeys(): Promise<{
  issuer: TokenIssuer;
  gatewaySigner: TokenIssuer;
  verifier: TokenVerifier;
  jwks: { keys: object[] };
  privateJwk: JWK;
  gatewayPrivateJwk: JWK;
}> {
  const { hub: keys, gateway, jwks } = await generateHubKeys('test');
  return {
    issuer: await TokenIssuer.fromJwk(keys.privateJwk, TEST_SETTINGS),
    gatewaySigner: await TokenIssuer.fromJwk(gateway.privateJwk, TEST_SETTINGS),
    verifier: new TokenVerifier(jwks, TEST_SETTINGS),
    jwks: jwks as { keys: object[] },
    privateJwk: keys.privateJwk,
    gatewayPrivateJwk: gateway.privateJwk,
  };
}

export async function postGraphQL<T>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The whole hub on real HTTP servers (port 0) and a real database, with a small demo roster. */
export async function startTestHub(
  database: TestDatabase,
  targets = 400,
  clock?: () => Date,
  options: TestHubOptions = {},
): Promise<TestHub> {
  const config = loadConfig({
    ...database.env,
    JOINTCHECK_PORT: '0',
    JOINTCHECK_DEMO_TARGETS: String(targets),
    JOINTCHECK_DEMO_SEED: 'test-seed',
    JOINTCHECK_LOG_LEVEL: 'silent',
    JOINTCHECK_DEV_KEYS: 'false',
    // The gateway looks for new registry versions often; health is checked when a test asks.
    JOINTCHECK_SUPERGRAPH_POLL_MS: '100',
    JOINTCHECK_HEALTH_INTERVAL_MS: '3600000',
    // Tests send many mutations as one caller; the limit itself is tested with a gateway of its own.
    JOINTCHECK_MUTATIONS_PER_MINUTE: '1000000',
    // Tests send many operations at once as one caller (the public view's walk, the load tests); the
    // callers' budget (H2) is tested with a gateway of its own, and the browser tests keep the defaults.
    JOINTCHECK_CALLER_CONCURRENCY: '1000000',
    JOINTCHECK_CALLER_COST: '1000000000',
    ...(options.training ? { JOINTCHECK_MODE: 'training' } : {}),
    ...options.env,
  });
  const { issuer, gatewaySigner, verifier, jwks, privateJwk, gatewayPrivateJwk } = await testKeys();
  // Deliveries run when a test asks (deliverDue) or right after a submission, never on a timer
  // that would add queries to what a test counts.
  const demoClock = options.demoYear ?? options.training;
  const hub = await startHub(config, {
    verifier,
    issuer,
    gatewaySigner,
    clock: demoClock ? () => demoClock.now() : clock,
    deliveryIntervalMs: 3_600_000,
    trainingClock: options.training,
  });
  let demo: DemoSummary | undefined;
  if (options.demoYear) {
    try {
      demo = await runDemoActivity({
        gatewayUrl: hub.gateway.url,
        issuer,
        clock: options.demoYear,
        seed: config.demo.seed,
        deliver: () => hub.joint.deliverer.deliverDue(),
      });
    } catch (error) {
      await hub.stop();
      throw error;
    }
  }
  return {
    ...hub,
    config,
    issuer,
    verifier,
    gatewaySigner,
    jwks,
    privateJwk,
    gatewayPrivateJwk,
    demo,
    token: (role, department = null, subject = `test-${role.toLowerCase()}`) =>
      issuer.issue({ subject, role, department }),
    tokenFor: (service, role, department = null, subject = `test-${role.toLowerCase()}`) =>
      issuer.issueFor(service, { subject, role, department }),
    query: (query, options = {}) =>
      postGraphQL(options.url ?? hub.gateway.url, query, options.variables, options.token),
  };
}

/** The built-in departments' codes, from the list the hub starts. */
export const DEPARTMENT_CODES = BUILTIN_DEPARTMENTS.map((d) => d.definition.code);

/** Every service of the hub that owns a database. */
export const HUB_SERVICES = [...DEPARTMENT_CODES, 'joint', 'registry'];

/**
 * Runs a block of tests against a whole hub, once per test database (SQLite, and MySQL when
 * configured); the hub and its databases are made before and dropped after.
 */
export function describeWithHub(
  title: string,
  body: (hub: () => TestHub) => void,
  targets = 400,
  clock?: () => Date,
  options: TestHubOptions = {},
): void {
  describe.each(testDatabases())(`${title} ($label)`, (database) => {
    let hub: TestHub;
    beforeAll(async () => {
      hub = await startTestHub(database, targets, clock, options);
    });
    afterAll(async () => {
      await hub?.stop();
      await database.drop(HUB_SERVICES);
    });
    body(() => hub);
  });
}

/** The single error of a response, for assertions on its code and message. */
export function onlyError(response: GraphQLResponse<unknown>): {
  message: string;
  code: unknown;
  extensions: Record<string, unknown>;
} {
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  return { message: error.message, code: error.extensions?.code, extensions: error.extensions ?? {} };
}

/** Waits until a gateway serves a registry version (it polls the store); fails after 15 s. */
export async function untilGatewayServes(
  gateway: { supergraph: { current: { number: number | null } | null } },
  version: number,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (gateway.supergraph.current?.number !== version) {
    if (Date.now() > deadline)
      throw new Error(
        `The gateway still serves version ${gateway.supergraph.current?.number} after 15 s, not ${version}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
