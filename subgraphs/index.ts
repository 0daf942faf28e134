import type { HubConfig } from '../kernel/config';
import type { DepartmentModule } from './department-kernel/define';
import { environment } from './environment';
import { fire } from './fire';
import { health } from './health';
import { connectHealth } from './health/connect';
import type { DepartmentConnection } from '../connectors/department';
import { housing } from './housing';
import { market } from './market';
import { tax } from './tax';

/**
 * The departments built into the hub, market first (it owns `MarketEntity`). Health is served
 * from its existing REST system through a connector (issue E); the others from their own tables.
 */
export const BUILTIN_DEPARTMENTS: ReadonlyArray<DepartmentModule<unknown>> = [
  market,
  tax,
  environment,
  housing,
  fire,
  health,
] as DepartmentModule<unknown>[];

/** How each connector-backed built-in department connects to its existing system (by code). */
export const DEPARTMENT_CONNECTIONS: Readonly<
  Record<
    string,
    (config: HubConfig, options: { standInPort?: number; allowStandIn: boolean }) => Promise<DepartmentConnection>
  >
> = {
  health: connectHealth,
};

/**
 * How the hub registers one of its own subgraphs (JOINTCHECK_SUBGRAPHS, the quick start): a
 * built-in department under its code and name; anything else (joint, registry) as a hub service.
 */
export function hubRegistration(
  name: string,
  url: string,
): { name: string; url: string; code: string | null; departmentName: string | null } {
  const department = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === name);
  return { name, url, code: department ? name : null, departmentName: department?.definition.name ?? null };
}
