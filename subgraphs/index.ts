import type { DepartmentModule } from './kernel/department/define';
import { environment } from './environment';
import { fire } from './fire';
import { housing } from './housing';
import { market } from './market';
import { tax } from './tax';

/** The departments built into the hub, market first (it owns `MarketEntity`). */
export const BUILTIN_DEPARTMENTS: ReadonlyArray<DepartmentModule<unknown>> = [market, tax, environment, housing, fire] as DepartmentModule<unknown>[];

/**
 * How the hub registers one of its own subgraphs (JOINTCHECK_SUBGRAPHS, the quick start): a
 * built-in department under its code and name; anything else (joint, registry) as a hub service.
 */
export function hubRegistration(name: string, url: string): { name: string; url: string; code: string | null; departmentName: string | null } {
  const department = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === name);
  return { name, url, code: department ? name : null, departmentName: department?.definition.name ?? null };
}
