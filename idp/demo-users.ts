import crypto from 'node:crypto';
import type { DevUser } from './types';

/**
 * The demo officials as users of the development identity provider (issue I). No import of the
 * hub's code: this file is loaded by idp/main.ts, a process of its own, and by the banner.
 *
 * Subjects are the ones the hub uses today:
 * - `demo-<role>-<dept>` (lowercased role), as `npm run token -- --role COORDINATOR --dept market`
 *   makes them (scripts/token.ts);
 * - `demo-auditor` and `demo-hub_admin` for the two roles of no department;
 * - the INSPECTOR of a department is that department's first demo inspector, `<dept>-i0001`
 *   (subgraphs/department-kernel/demo/department-demo.ts: `${department}-i${4 digits}`), because an inspector
 *   is identified by their person id (the joint service compares `personId` with the subject), so
 *   the visits and conflict declarations of that person are theirs.
 */

/** The hub's Role values that a person signs in with (kernel/identity.ts; not SERVICE nor PUBLIC). */
export const DEPARTMENT_ROLES = ['COORDINATOR', 'INSPECTOR', 'DEPT_ADMIN', 'DEPUTY_HEAD', 'PRINCIPAL_HEAD'] as const;
export const HUB_ROLES = ['AUDITOR', 'HUB_ADMIN'] as const;

const DEPARTMENT_NAMES: Record<string, string> = {
  market: '市场监管局',
  tax: '税务局',
  environment: '生态环境局',
  housing: '住房城乡建设委',
  fire: '消防救援支队',
  health: '卫生健康委',
};

const ROLE_NAMES: Record<string, string> = {
  COORDINATOR: '联络员',
  INSPECTOR: '执法检查人员',
  DEPT_ADMIN: '部门管理员',
  DEPUTY_HEAD: '分管负责人',
  PRINCIPAL_HEAD: '主要负责人',
  AUDITOR: '审计监督',
  HUB_ADMIN: '平台管理员',
};

/** The subject the hub knows a demo official by. */
export function demoSubject(role: string, department: string | null): string {
  if (role === 'INSPECTOR' && department) return `${department}-i0001`;
  return `demo-${role.toLowerCase()}${department ? `-${department}` : ''}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A demo official's password: HMAC-SHA256 keyed by the seed over the subject, 12 characters of
 * lowercase base32 (60 bits). The same seed gives the same passwords, so the banner can print them
 * and they survive a restart; a different seed gives other ones. Development only: anyone who knows
 * the seed knows every password.
 */
export function demoPassword(seed: string, subject: string): string {
  const mac = crypto.createHmac('sha256', seed).update(`jointcheck-dev-idp:${subject}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 12) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === 12) break;
  }
  return out;
}

/**
 * The demo officials for the given departments (codes such as market, tax, environment, housing,
 * fire, health): per department a coordinator, an inspector, a department admin, a deputy head and
 * a principal head; then an auditor and a hub admin. Passwords from `seed` (demoPassword).
 */
export function demoUsers(seed: string, departments: readonly string[]): DevUser[] {
  if (!seed) throw new Error('demoUsers: a seed is needed to derive the passwords');
  const users: DevUser[] = [];
  for (const department of departments) {
    for (const role of DEPARTMENT_ROLES) {
      const subject = demoSubject(role, department);
      users.push({
        subject,
        password: demoPassword(seed, subject),
        name: `${DEPARTMENT_NAMES[department] ?? department}${ROLE_NAMES[role]}（演示）`,
        role,
        department,
      });
    }
  }
  for (const role of HUB_ROLES) {
    const subject = demoSubject(role, null);
    users.push({
      subject,
      password: demoPassword(seed, subject),
      name: `${ROLE_NAMES[role]}（演示）`,
      role,
      department: null,
    });
  }
  return users;
}
