import { DEPARTMENT_ROLES, Role } from '../../../kernel/identity';
import type { GraphQLResponse } from '../../support/hub';

/*
 * The role matrix's model (R30): who calls (a caller: a role, its department, a subject and what
 * credential it sends), who may (an `Allow` rule), and one entry of the matrix: the fields it
 * covers, the operation that selects them, and its rule.
 */

export type Credential = 'token' | 'none' | 'expired' | 'forged';

export interface Caller {
  label: string;
  role: Role;
  department: string | null;
  subject: string;
  credential: Credential;
}

export type Allow = (c: Caller) => boolean;

/** Hub roles (no department). */
export const hubRole =
  (...roles: Role[]): Allow =>
  (c) =>
    c.department === null && roles.includes(c.role);
/** Staff of some departments: any department role, or the roles given. */
export const staffOf =
  (departments: string | readonly string[], ...roles: Role[]): Allow =>
  (c) =>
    c.department !== null &&
    ([departments].flat() as string[]).includes(c.department) &&
    (roles.length === 0 || roles.includes(c.role));
/** Allowed by any of the rules. */
export const anyOf =
  (...rules: Allow[]): Allow =>
  (c) =>
    rules.some((rule) => rule(c));
/** Any valid identity: the public is refused. */
/** Refused to every caller (a change made elsewhere, not through the hub). */
export const nobody: Allow = () => false;
export const signedIn: Allow = (c) => c.role !== Role.PUBLIC;
/**
 * Coordinators of every department (they plan joint inspections across departments, and their own department's plans).
 */
export const coordinatorOfAnyDepartment: Allow = (c) => c.role === Role.COORDINATOR;
/** Hub admins, auditors and hub services: the hub roles that read rosters and views (R30). */
export const hubReaders = hubRole(Role.HUB_ADMIN, Role.AUDITOR, Role.SERVICE);
/** Full draw records and the audit trail (R29, R30). */
export const auditReaders = hubRole(Role.HUB_ADMIN, Role.AUDITOR);

export interface Entry {
  /** The schema coordinates (Type.field) this entry covers: what its operation selects. */
  fields: string[];
  /** Public by design: why. Every valid identity and the public may call it. */
  public?: string;
  /** Otherwise: who may (R30). */
  allow?: Allow;
  /** The department the operation concerns first, then other departments whose staff are tried. */
  departments: string[];
  operation: string;
  variables?: (c: Caller) => Record<string, unknown>;
  /** The subject of a role of the concerned department (an inspector on the visit's team, say). */
  subjects?: Partial<Record<Role, () => string>>;
  /** More callers, allowed or not by `allow` like the others. */
  extra?: Array<{ label: string; role: Role; department: string; subject: () => string }>;
  /** How the public is refused; UNAUTHENTICATED unless said. */
  anonymous?: 'UNAUTHENTICATED' | 'FORBIDDEN';
  /**
   * `succeeds`: every allowed call answers without any error. `first`: the first allowed caller
   * succeeds; the later ones may get a domain error, because the first changed the state.
   */
  outcome?: 'succeeds' | 'first';
  /** Changes the supergraph: runs after every other allowed call, in order. */
  last?: boolean;
}

/** One (entry, caller) combination, and whether the caller may. */
export interface Call {
  entry: Entry;
  caller: Caller;
  allowed: boolean;
}

/**
 * Who calls an entry: hub admin, auditor, hub service, the public, every department role of each
 * of the entry's departments (the one it concerns first), its extra callers, and an expired and a
 * forged token.
 */
function callersOf(entry: Entry): Caller[] {
  const callers: Caller[] = [
    ...[Role.HUB_ADMIN, Role.AUDITOR, Role.SERVICE].map((role): Caller => ({
      label: role,
      role,
      department: null,
      subject: `test-${role.toLowerCase()}`,
      credential: 'token',
    })),
    { label: 'the public (no token)', role: Role.PUBLIC, department: null, subject: 'anonymous', credential: 'none' },
  ];
  entry.departments.forEach((department, i) => {
    for (const role of DEPARTMENT_ROLES) {
      const subject = (i === 0 ? entry.subjects?.[role]?.() : undefined) ?? `test-${department}-${role.toLowerCase()}`;
      callers.push({ label: `${role} of ${department}`, role, department, subject, credential: 'token' });
    }
  });
  for (const x of entry.extra ?? [])
    callers.push({ label: x.label, role: x.role, department: x.department, subject: x.subject(), credential: 'token' });
  // An expired token, and one signed with a key the hub does not know, of an identity the entry
  // allows (a hub admin when only the public may): only the token can make them fail.
  const allowed = entry.public ? callers[0]! : (callers.find((c) => entry.allow!(c)) ?? callers[0]!);
  callers.push({ ...allowed, label: `expired token of ${allowed.label}`, credential: 'expired' });
  callers.push({ ...allowed, label: `forged token of ${allowed.label}`, credential: 'forged' });
  return callers;
}

/** Every combination of an entry; expired and forged tokens are never allowed. */
export function callsOf(entry: Entry): Call[] {
  return callersOf(entry).map((caller) => ({
    entry,
    caller,
    allowed:
      (caller.credential === 'token' || caller.credential === 'none') &&
      (entry.public !== undefined || entry.allow!(caller)),
  }));
}

/**
 * How a refused call is answered: UNAUTHENTICATED for a bad token (and, unless the entry says, the public), FORBIDDEN
 * for a valid identity.
 */
export function refusalExpected(call: Call): string {
  if (call.caller.credential === 'expired' || call.caller.credential === 'forged') return 'UNAUTHENTICATED';
  if (call.caller.credential === 'none') return call.entry.anonymous ?? 'UNAUTHENTICATED';
  return 'FORBIDDEN';
}

export const codesOf = (r: GraphQLResponse<unknown>) => (r.errors ?? []).map((e) => String(e.extensions?.code));
export const describeCall = (call: Call) => `${call.entry.fields[0]} as ${call.caller.label}`;
export const firstError = (r: GraphQLResponse<unknown>) =>
  r.errors?.[0] ? `${r.errors[0].extensions?.code}: ${r.errors[0].message}` : '';

/** Runs tasks a few at a time. */
export async function inChunks<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
