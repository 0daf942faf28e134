import { departmentName, loadDepartments } from '../api/departments';
import type { Department } from '../api/types';
import { useAsync } from './async';

/** The hub's departments, or an empty list while they load (codes are shown meanwhile). */
export function useDepartments(): Department[] {
  const state = useAsync(() => loadDepartments(), []);
  return state.status === 'done' ? state.value : [];
}

export function names(departments: readonly Department[], codes: readonly string[]): string {
  return codes.map((c) => departmentName(departments, c)).join('、');
}
