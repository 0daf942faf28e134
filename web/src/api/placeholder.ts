/**
 * The department code a department template is printed for at build time; the page puts each
 * department's code in its place (`zzdeptzz` → `tax`, `Zzdeptzz` → `Tax`). No real name holds it.
 */
export const DEPARTMENT_PLACEHOLDER = 'zzdeptzz';
