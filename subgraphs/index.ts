import type { HubConfig } from './kernel/config';
import type { DepartmentModule } from './kernel/department/define';
import type { DepartmentStoreFactory } from './kernel/department/store';
import type { HealthProbe } from './kernel/server';
import type { HealthSystem } from '../connectors/upstream/health-system/server';
import { environment } from './environment';
import { fire } from './fire';
import { health } from './health';
import { connectHealth } from './health/connect';
import { upstreamHealthProbe } from '../connectors/department';
import { housing } from './housing';
import { market } from './market';
import { tax } from './tax';

/**
 * The departments built into the hub, market first (it owns `MarketEntity`). Health is served
 * from its existing REST system through a connector (issue E); the others from their own tables.
 */
export const BUILTIN_DEPARTMENTS: ReadonlyArray<DepartmentModule<unknown>> = [market, tax, environment, housing, fire, health] as DepartmentModule<unknown>[];

/** A connector-backed department's link to its existing system, as the hub starts it. */
export interface DepartmentConnection {
  store: DepartmentStoreFactory;
  health: HealthProbe;
  /** The stand-in system the all-in-one hub started (none when a real one is configured). */
  standIn: HealthSystem | null;
  stop(): Promise<void>;
}

/** How each connector-backed built-in department connects (by code). */
export const DEPARTMENT_CONNECTIONS: Readonly<Record<string, (config: HubConfig, options: { standInPort?: number; allowStandIn: boolean }) => Promise<DepartmentConnection>>> = {
  health: async (config, options) => {
    const connection = await connectHealth(config, options);
    return { store: connection.store, health: upstreamHealthProbe(connection.connector), standIn: connection.standIn, stop: connection.stop };
  },
};

/**
 * How the hub registers one of its own subgraphs (JOINTCHECK_SUBGRAPHS, the quick start): a
 * built-in department under its code and name; anything else (joint, registry) as a hub service.
 */
export function hubRegistration(name: string, url: string): { name: string; url: string; code: string | null; departmentName: string | null } {
  const department = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === name);
  return { name, url, code: department ? name : null, departmentName: department?.definition.name ?? null };
}
