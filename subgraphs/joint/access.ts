import { forbidden, unauthenticated } from '../../kernel/errors';
import { type Identity, Role } from '../../kernel/identity';

/*
 * Who may act in the joint service (R30). A lead department's coordinator makes its plans and
 * runs its tasks (R16); each participating department draws its own inspectors (R18) and its
 * deputy head approves replacements (R20); auditors read full draw records and the trail (R29).
 */

function signedIn(identity: Identity, what: string): void {
  if (identity.role === Role.PUBLIC) throw unauthenticated(`Sign in to ${what}: send 'Authorization: Bearer <token>'.`);
}

function refuse(what: string, allowed: string, identity: Identity): never {
  throw forbidden(
    `Only ${allowed} may ${what}; you are ` +
      `${identity.role}${identity.department ? ` of '${identity.department}'` : ''}.`,
    { rule: 'R30' },
  );
}

/**
 * R30: the roles that may make a call at all, checked before anything is looked up, so that a
 * caller who may not make it learns nothing (not even whether a task or visit exists). The
 * finer checks (which department, which team) follow once the record is read.
 */
export function assertRoleAmong(identity: Identity, roles: readonly Role[], what: string): void {
  signedIn(identity, what);
  if (!roles.includes(identity.role)) refuse(what, roles.join(' or '), identity);
}

/** R16: the lead department's coordinator creates plans and tasks and draws. */
export function assertLeadCoordinator(identity: Identity, lead: string, what: string): void {
  signedIn(identity, what);
  if (identity.role !== Role.COORDINATOR || identity.department !== lead)
    refuse(what, `a COORDINATOR of the lead department '${lead}'`, identity);
}

/** R18: a participating department's coordinator or admin draws that department's inspectors. */
export function assertDepartmentStaff(
  identity: Identity,
  department: string,
  roles: readonly Role[],
  what: string,
): void {
  signedIn(identity, what);
  if (identity.department !== department || !roles.includes(identity.role))
    refuse(what, `${roles.join(' or ')} of '${department}'`, identity);
}

/**
 * Full draw records (every target's credit-risk stratum, every department's) and the audit trail:
 * auditors and hub admins only (R30). A lead coordinator would otherwise see the other
 * departments' internal classes.
 */
export function assertAuditReader(identity: Identity, what: string): void {
  signedIn(identity, what);
  if (identity.role !== Role.AUDITOR && identity.role !== Role.HUB_ADMIN)
    refuse(what, 'auditors and hub admins', identity);
}

export function isAuditReader(identity: Identity): boolean {
  return identity.role === Role.AUDITOR || identity.role === Role.HUB_ADMIN;
}

/** Signed-in hub staff (statistics). */
export function assertHubStaff(identity: Identity, what: string): void {
  signedIn(identity, what);
}

/**
 * A task's visits and teams (inspectors named before their visits, R30): the staff of the task's
 * participating departments and hub roles; an inspector then sees only their own visits.
 */
export function assertTaskStaff(identity: Identity, departments: readonly string[], what: string): void {
  signedIn(identity, what);
  if (identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE) return;
  if (identity.department === null || !departments.includes(identity.department))
    refuse(what, `staff of the departments taking part (${departments.join(', ')}) and hub roles`, identity);
}

/** Unpublished plan drafts: staff of the participating departments and hub roles. */
export function seesDrafts(identity: Identity, departments: readonly string[]): boolean {
  if (identity.role === Role.HUB_ADMIN || identity.role === Role.AUDITOR || identity.role === Role.SERVICE) return true;
  return identity.department !== null && departments.includes(identity.department);
}
