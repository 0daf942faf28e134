import { gatewaySupergraph, oidcOf, startGateway, type GatewayHandle } from '../gateway';
import { REGISTRY_SERVICE, startRegistry, type RunningRegistry } from '../subgraphs/registry';
import type { HubConfig } from '../kernel/config';
import type { DepartmentModule } from '../subgraphs/department-kernel/define';
import { startDepartment, type RunningDepartment } from '../subgraphs/department-kernel/run';
import type { TokenIssuer, TokenVerifier } from '../kernel/identity';
import { loadGatewaySigner, loadIssuer, loadVerifier } from '../kernel/keys';
import { JOINT_SERVICE, startJoint, type RunningJoint } from '../subgraphs/joint';
import { createLogger } from '../kernel/log';
import { BUILTIN_DEPARTMENTS, DEPARTMENT_CONNECTIONS, hubRegistration } from '../subgraphs';
import type { DepartmentConnection } from '../connectors/department';
import type { HealthSystem } from '../connectors/upstream/health-system/server';
import type { SettableClock } from '../kernel/settable-clock';

export interface RunningHub {
  gateway: GatewayHandle;
  departments: RunningDepartment[];
  joint: RunningJoint;
  registry: RunningRegistry;
  /** Existing systems of connector-backed departments that the hub started as stand-ins (by department code). */
  standIns: Record<string, HealthSystem>;
  stop(): Promise<void>;
}

/**
 * The whole hub in one process (the quick start, and end-to-end tests): the registry, every
 * built-in department subgraph, the joint service (reading the departments the registry holds),
 * then the hub's own subgraphs registered as one version, then the gateway serving the registry's
 * versions. A connector-backed department (health) is served from its existing system, or,
 * when none is configured, from a stand-in the hub starts beside it (a separate HTTP server with
 * its own database). With port 0 every server takes a free port; otherwise the subgraphs take the
 * ports after the gateway's: departments, joint, registry, then the stand-ins.
 */
export async function startHub(
  config: HubConfig,
  options: {
    verifier?: TokenVerifier;
    issuer?: TokenIssuer;
    gatewaySigner?: TokenIssuer;
    departments?: ReadonlyArray<DepartmentModule<unknown>>;
    clock?: () => Date;
    deliveryIntervalMs?: number;
    trainingClock?: SettableClock;
  } = {},
): Promise<RunningHub> {
  const verifier = options.verifier ?? (await loadVerifier(config));
  const modules = options.departments ?? BUILTIN_DEPARTMENTS;
  const port = (offset: number) => (config.port === 0 ? 0 : config.port + offset);
  const departments: RunningDepartment[] = [];
  const connections: DepartmentConnection[] = [];
  let joint: RunningJoint | undefined;
  let registry: RunningRegistry | undefined;
  const stopAll = async () => {
    await joint?.stop();
    for (const d of [...departments].reverse()) await d.stop();
    for (const c of connections) await c.stop();
    await registry?.stop();
  };
  try {
    registry = await startRegistry(config, {
      verifier,
      logger: createLogger(config.logLevel, REGISTRY_SERVICE),
      port: port(modules.length + 2),
      clock: options.clock,
    });
    const standIns: Record<string, HealthSystem> = {};
    for (const [i, module] of modules.entries()) {
      const { code } = module.definition;
      const logger = createLogger(config.logLevel, code);
      const connect = module.definition.existingSystem ? DEPARTMENT_CONNECTIONS[code] : undefined;
      if (module.definition.existingSystem && !connect)
        throw new Error(
          `The ${code} department keeps its data in ${module.definition.existingSystem}, but the hub has no ` +
            `connection for it.`,
        );
      const connection = connect
        ? await connect(config, { allowStandIn: true, standInPort: port(modules.length + 3 + connections.length) })
        : null;
      if (connection) {
        connections.push(connection);
        if (connection.standIn) standIns[code] = connection.standIn;
      }
      departments.push(
        await startDepartment(module, config, {
          verifier,
          logger,
          port: port(1 + i),
          clock: options.clock,
          store: connection?.store,
          health: connection?.health,
        }),
      );
    }
    const directory = registry;
    joint = await startJoint(config, {
      verifier,
      issuer: options.issuer ?? (await loadIssuer(config)),
      logger: createLogger(config.logLevel, JOINT_SERVICE),
      port: port(1 + modules.length),
      // The departments of the registry's current version: one that registers later is read too.
      departments: () => directory.departments(),
      clock: options.clock,
      deliveryIntervalMs: options.deliveryIntervalMs,
      // Only a training hub's clock may be moved: production and development keep real time.
      trainingClock: config.training ? options.trainingClock : undefined,
    });
    await registry.bootstrap([
      ...departments.map((d) => hubRegistration(d.name, d.url)),
      hubRegistration(JOINT_SERVICE, joint.url),
      hubRegistration(REGISTRY_SERVICE, registry.url),
    ]);
    // The gateway signs what it forwards with its own key (H2); the quick start made it with the hub's.
    const signer = options.gatewaySigner ?? (await loadGatewaySigner(config));
    if (!signer)
      throw new Error(
        `No gateway key at ${config.jwt.gatewayKeyFile} (JOINTCHECK_GATEWAY_PRIVATE_KEY): the gateway signs ` +
          `the tokens it forwards to subgraphs with it.`,
      );
    const gateway = await startGateway({
      supergraph: gatewaySupergraph(config, 0),
      verifier,
      signer,
      host: config.host,
      port: config.port,
      logger: createLogger(config.logLevel, 'gateway'),
      limits: config.limits,
      webDir: config.webDir,
      trustProxy: config.trustProxy,
      oidc: oidcOf(config),
      maxEvidenceBytes: config.onSite.maxEvidenceBytes,
      operations: config,
    });
    return {
      gateway,
      departments,
      joint,
      registry,
      standIns,
      stop: async () => {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
