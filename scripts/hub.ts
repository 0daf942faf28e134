import { startGateway, type GatewayHandle } from '../gateway';
import type { HubConfig } from '../subgraphs/kernel/config';
import type { DepartmentModule } from '../subgraphs/kernel/department/define';
import { startDepartment, type RunningDepartment } from '../subgraphs/kernel/department/run';
import type { TokenVerifier } from '../subgraphs/kernel/identity';
import { loadVerifier } from '../subgraphs/kernel/keys';
import { createLogger } from '../subgraphs/kernel/log';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';

export interface RunningHub {
  gateway: GatewayHandle;
  departments: RunningDepartment[];
  stop(): Promise<void>;
}

/**
 * The whole hub in one process (the quick start, and end-to-end tests): every built-in
 * department subgraph, then the gateway composing them. With port 0 every server takes a free
 * port; otherwise subgraphs take the ports after the gateway's.
 */
export async function startHub(
  config: HubConfig,
  options: { verifier?: TokenVerifier; departments?: ReadonlyArray<DepartmentModule<unknown>> } = {},
): Promise<RunningHub> {
  const verifier = options.verifier ?? (await loadVerifier(config));
  const departments: RunningDepartment[] = [];
  const stopAll = async () => {
    for (const d of departments.reverse()) await d.stop();
  };
  try {
    for (const [i, module] of (options.departments ?? BUILTIN_DEPARTMENTS).entries()) {
      const logger = createLogger(config.logLevel, module.definition.code);
      departments.push(await startDepartment(module, config, { verifier, logger, port: config.port === 0 ? 0 : config.port + 1 + i }));
    }
    const gateway = await startGateway({
      subgraphs: departments.map((d) => ({ name: d.name, url: d.url })),
      verifier,
      host: config.host,
      port: config.port,
      logger: createLogger(config.logLevel, 'gateway'),
    });
    return {
      gateway,
      departments,
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
