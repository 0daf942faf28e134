import type { DepartmentModule } from './kernel/department/define';
import { environment } from './environment';
import { fire } from './fire';
import { housing } from './housing';
import { market } from './market';
import { tax } from './tax';

/** The departments built into the hub, market first (it owns `MarketEntity`). */
export const BUILTIN_DEPARTMENTS: ReadonlyArray<DepartmentModule<unknown>> = [market, tax, environment, housing, fire] as DepartmentModule<unknown>[];
