import { forbidden, unauthenticated } from '../../kernel/errors';
import { DEPARTMENT_ROLES, type Identity, Role } from '../../kernel/identity';

/*
 * Who may read and write what (R30: roster and target data are used for inspections only, by a
 * role that needs it). Every subgraph calls these; the gateway only passes the identity on.
 *
 * - Checklists and market registration data are public (they are published).
 * - A department's rosters: that department's own staff, hub admins, auditors and hub services.
 * - Department views of a target (credit, risk: internal): the department's staff, coordinators of
 *   any department, hub admins, auditors and hub services.
 * - Writes to a department's data: that department's admin only (a department writes only its own data).
 */

/**
 * The public may not: a sentence of what it tried (`action` is a verb phrase, "read the tax
 * rosters", "change tax data") and how to sign in.
 */
function refuseAnonymous(identity: Identity, action: string): void {
  if (identity.role === Role.PUBLIC)
    throw unauthenticated(`Sign in to ${action}: send 'Authorization: Bearer <token>'.`);
}

/** R30: rosters are read by the department's own staff and the hub roles that need them. */
export function assertCanReadRoster(identity: Identity, department: string): void {
  refuseAnonymous(identity, `read the ${department} rosters`);
  const ownStaff = identity.department === department && DEPARTMENT_ROLES.includes(identity.role);
  const hubRole = identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE;
  if (!ownStaff && !hubRole) {
    throw forbidden(
      `The ${department} rosters are readable by ${department} staff, hub admins, auditors and hub services ` +
        `only (R30).`,
      { rule: 'R30' },
    );
  }
}

/**
 * R30: a department's view of a target holds internal credit and risk classes. It is read by the
 * department's own staff, by coordinators of any department (they plan joint inspections across
 * departments), and by hub admins, auditors and hub services. Inspectors of other departments see
 * targets through their visits, not here.
 */
export function assertCanReadViews(identity: Identity, department: string): void {
  refuseAnonymous(identity, `read the ${department} view of a target`);
  const ownStaff = identity.department === department && DEPARTMENT_ROLES.includes(identity.role);
  const planner = identity.role === Role.COORDINATOR;
  const hubRole = identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE;
  if (!ownStaff && !planner && !hubRole) {
    throw forbidden(
      `The ${department} view of a target is readable by ${department} staff, coordinators, hub admins, ` +
        `auditors and hub services only (R30).`,
      { rule: 'R30' },
    );
  }
}

/** A department writes only its own data, and only through its admin (or the roles given). */
export function assertDepartmentWriter(
  identity: Identity,
  department: string,
  roles: readonly Role[] = [Role.DEPT_ADMIN],
): void {
  refuseAnonymous(identity, `change ${department} data`);
  if (identity.department !== department || !roles.includes(identity.role)) {
    throw forbidden(
      `Only ${roles.join(' or ')} of department '${department}' may change its data; you are ` +
        `${identity.role}${identity.department ? ` of '${identity.department}'` : ''}.`,
      {
        rule: 'R30',
      },
    );
  }
}

/** Whether private contact data (phones) may be shown: the department's own staff only. */
export function seesPrivateData(identity: Identity, department: string): boolean {
  return identity.department === department && DEPARTMENT_ROLES.includes(identity.role);
}
