import type { HubConfig, ConnectorSettings } from '../kernel/config';
import { defineDepartment, type DepartmentModule } from '../subgraphs/department-kernel/define';
import { startDepartment, type RunningDepartment } from '../subgraphs/department-kernel/run';
import type { TokenVerifier } from '../kernel/identity';
import type { Logger } from '../kernel/log';
import type { DepartmentStoreFactory } from '../subgraphs/department-kernel/store';
import type { HealthProbe } from '../kernel/server';
import type { HealthSystem } from './upstream/health-system/server';
import type { ContractConnector } from './core/contract-connector';
import type { UpstreamHealth } from './core/upstream-source';
import { Cached } from './core/cached';
import { connectorStore } from './core/connector-store';
import { loadMysqlMapping } from './mysql/mapping';
import { MysqlConnector } from './mysql/mysql-connector';
import { loadRestMapping } from './rest/mapping';
import { RestConnector } from './rest/rest-connector';

/** A department with no demo data of its own: its rosters and checklist are its existing system's. */
const NO_DEMO = {
  checklist: [],
  domains: [],
  unit: (district: string) => district,
  certificateCode: 'XX',
  inspectors: 0,
  experts: 0,
  onRoster: () => false,
};

const defined = new Map<string, DepartmentModule<unknown>>();

/**
 * The kernel's department for a code whose data stays in an existing system: the contract's
 * types and resolvers, nothing of its own. Defined once per process and code (type-graphql keeps
 * one class per type name); asking again with the same code gives the same module.
 */
export function connectedDepartment(code: string, name: string, existingSystem: string): DepartmentModule<unknown> {
  const known = defined.get(code);
  if (known) {
    if (known.definition.name !== name)
      throw new Error(`Department '${code}' is defined already, as ${known.definition.name}, not ${name}.`);
    return known;
  }
  const module = defineDepartment({ code, name, existingSystem, demo: NO_DEMO }) as DepartmentModule<unknown>;
  defined.set(code, module);
  return module;
}

/** The connector a department's settings describe, with the department its mapping names. */
export function connectorFor(settings: ConnectorSettings): {
  connector: ContractConnector;
  code: string;
  name: string;
  system: string;
} {
  if (settings.kind === 'rest') {
    const mapping = loadRestMapping(settings.mappingFile);
    return {
      connector: new RestConnector(mapping, { baseUrl: settings.upstreamUrl, apiKey: settings.apiKey }),
      code: mapping.department,
      name: mapping.name,
      system: `its REST system (${settings.upstreamUrl})`,
    };
  }
  const mapping = loadMysqlMapping(settings.mappingFile);
  return {
    connector: new MysqlConnector(mapping, settings.upstreamUrl),
    code: mapping.department,
    name: mapping.name,
    system: `its MySQL database (${new URL(settings.upstreamUrl).host}${new URL(settings.upstreamUrl).pathname})`,
  };
}

/** A connector-backed department's link to its existing system, as a hub starts it. */
export interface DepartmentConnection {
  store: DepartmentStoreFactory;
  /** What its subgraph's `/health` reports of the existing system. */
  health: HealthProbe;
  /** The stand-in system the all-in-one hub started (none when a real one is configured). */
  standIn: HealthSystem | null;
  stop(): Promise<void>;
}

/** How long `/health` waits for the existing system, in ms: well within the registry's probe (5 s). */
export const UPSTREAM_PROBE_MS = 2000;
/** How long one check of the existing system answers `/health`, in ms. */
export const UPSTREAM_PROBE_REUSE_MS = 2000;

/**
 * A connector's health check as its subgraph's `/health` reports it: the existing system's state.
 * One check at a time, reused for a short while (a flood of `/health` requests makes no more calls
 * to the system), and never waited on longer than `UPSTREAM_PROBE_MS`: a system that hangs is
 * reported as not answering. `/health` is unauthenticated: it says whether and how the system
 * failed, never where it is.
 */
export function upstreamHealthProbe(connector: ContractConnector, limitMs = UPSTREAM_PROBE_MS): HealthProbe {
  const last = new Cached(UPSTREAM_PROBE_REUSE_MS, async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<UpstreamHealth>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            ok: false,
            status: null,
            latencyMs: limitMs,
            error: `The ${connector.department} system did not answer the health check within ${limitMs} ms.`,
          }),
        limitMs,
      );
    });
    const probe = await Promise.race([connector.healthCheck(), late]).finally(() => clearTimeout(timer));
    return { ok: probe.ok, detail: { upstream: probe } };
  });
  return () => last.get();
}

/**
 * A department system that is not GraphQL joins without code (issue E): its mapping file and the
 * address of its system are enough. Serves the department contract under the mapping's code from
 * the system through the connector, with results recorded in the subgraph's own database and
 * written back to the system; `/health` reports the system. Register it with the registry like any
 * subgraph (`npm run register`). `node dist/connectors/main.js` runs it with the
 * JOINTCHECK_CONNECTOR_* settings.
 */
export async function startConnectedDepartment(
  settings: ConnectorSettings,
  config: Pick<HubConfig, 'db' | 'host' | 'demo' | 'limits'>,
  deps: { verifier: TokenVerifier; logger: Logger; port: number; clock?: () => Date },
): Promise<RunningDepartment & { code: string; connector: ContractConnector }> {
  const { connector, code, name, system } = connectorFor(settings);
  const module = connectedDepartment(code, name, system);
  try {
    const running = await startDepartment(module, config, {
      ...deps,
      store: connectorStore(connector),
      health: upstreamHealthProbe(connector),
    });
    return {
      ...running,
      code,
      connector,
      stop: async () => {
        await running.stop();
        await connector.close?.();
      },
    };
  } catch (error) {
    await connector.close?.();
    throw error;
  }
}
