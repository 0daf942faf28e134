import { startGateway, type GatewayHandle } from '../gateway';
import type { HubConfig } from '../subgraphs/kernel/config';
import type { DepartmentModule } from '../subgraphs/kernel/department/define';
import { startDepartment, type RunningDepartment } from '../subgraphs/kernel/department/run';
import type { TokenIssuer, TokenVerifier } from '../subgraphs/kernel/identity';
import { loadIssuer, loadVerifier } from '../subgraphs/kernel/keys';
import { JOINT_SERVICE, startJoint, type RunningJoint } from '../subgraphs/joint';
import { createLogger } from '../subgraphs/kernel/log';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';

export interface RunningHub {
  gateway: GatewayHandle;
  departments: RunningDepartment[];
  joint: RunningJoint;
  stop(): Promise<void>;
}

/**
 * The whole hub in one process (the quick start, and end-to-end tests): every built-in
 * department subgraph, the joint service reading them, then the gateway composing them all. With port 0 every server takes a free
 * port; otherwise subgraphs take the ports after the gateway's.
 */
export async function startHub(
  config: HubConfig,
  options: { verifier?: TokenVerifier; issuer?: TokenIssuer; departments?: ReadonlyArray<DepartmentModule<unknown>>; clock?: () => Date; deliveryIntervalMs?: number } = {},
): Promise<RunningHub> {
  const verifier = options.verifier ?? (await loadVerifier(config));
  const departments: RunningDepartment[] = [];
  let joint: RunningJoint | undefined;
  const stopAll = async () => {
    await joint?.stop();
    for (const d of [...departments].reverse()) await d.stop();
  };
  try {
    for (const [i, module] of (options.departments ?? BUILTIN_DEPARTMENTS).entries()) {
      const logger = createLogger(config.logLevel, module.definition.code);
      departments.push(await startDepartment(module, config, { verifier, logger, port: config.port === 0 ? 0 : config.port + 1 + i, clock: options.clock }));
    }
    joint = await startJoint(config, {
      verifier,
      issuer: options.issuer ?? (await loadIssuer(config)),
      logger: createLogger(config.logLevel, JOINT_SERVICE),
      port: config.port === 0 ? 0 : config.port + 1 + departments.length,
      // Read live: a department restarted on another port is reached there.
      departments: () => departments.map((d) => ({ code: d.name, url: d.url })),
      clock: options.clock,
      deliveryIntervalMs: options.deliveryIntervalMs,
    });
    const gateway = await startGateway({
      subgraphs: [...departments.map((d) => ({ name: d.name, url: d.url })), { name: JOINT_SERVICE, url: joint.url }],
      verifier,
      host: config.host,
      port: config.port,
      logger: createLogger(config.logLevel, 'gateway'),
    });
    return {
      gateway,
      departments,
      joint,
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
