import { decodeJwt, type JWTPayload } from 'jose';

/**
 * Who is signed in on this page: the access token the identity provider gave after the official
 * signed in there (issue I, api/oidc.ts), or a token the hub's operator issued, pasted. It is kept
 * for this browser tab only (sessionStorage) and sent with every request; the gateway verifies it.
 * What the page reads from it (role, department, expiry) is for display only: the servers decide
 * what the caller may see. A provider's token names the role and department in claims its
 * settings name; the hub's own in `role` and `dept`.
 */
const KEY = 'jointcheck.token';
const CLAIMS = 'jointcheck.claims';
const EXPIRED = 'jointcheck.expired';

/** The names of the claims holding the role and the department. */
export interface ClaimNames {
  role: string;
  dept: string;
}
const HUB_CLAIMS: ClaimNames = { role: 'role', dept: 'dept' };

function storedClaims(): ClaimNames {
  try {
    return (JSON.parse(sessionStorage.getItem(CLAIMS) ?? 'null') as ClaimNames | null) ?? HUB_CLAIMS;
  } catch {
    return HUB_CLAIMS;
  }
}

export interface SessionIdentity {
  token: string;
  subject: string;
  role: string;
  department: string | null;
  /** Expiry (seconds since the epoch), when the token has one. */
  expiresAt: number | null;
}

/** Reads a token's claims without verifying it (the servers verify); null when it is not a JWT. */
export function readToken(token: string, names: ClaimNames = storedClaims()): SessionIdentity | null {
  let claims: JWTPayload;
  try {
    // jose, the hub's own JWT library: decodes, never verifies (the page holds no key).
    claims = decodeJwt(token.trim());
  } catch {
    return null;
  }
  const role = claims[names.role];
  const department = claims[names.dept];
  if (typeof role !== 'string') return null;
  return {
    token: token.trim(),
    subject: claims.sub ?? '',
    role,
    department: typeof department === 'string' && department !== '' ? department : null,
    expiresAt: claims.exp ?? null,
  };
}

type Listener = (identity: SessionIdentity | null) => void;
const listeners = new Set<Listener>();

export function currentSession(): SessionIdentity | null {
  const token = sessionStorage.getItem(KEY);
  const identity = token ? readToken(token) : null;
  if (identity?.expiresAt && identity.expiresAt * 1000 <= Date.now()) {
    // Expired: signed out (everything showing the official is told, after this read), and the sign-in page says why.
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(CLAIMS);
    sessionStorage.setItem(EXPIRED, '1');
    queueMicrotask(() => {
      for (const l of listeners) l(null);
    });
    return null;
  }
  return identity;
}

/** Keeps the official's token for this tab; `names`: the provider's claim names (a provider's token). */
export function signIn(identity: SessionIdentity, names?: ClaimNames): void {
  sessionStorage.setItem(KEY, identity.token);
  if (names) sessionStorage.setItem(CLAIMS, JSON.stringify(names));
  else sessionStorage.removeItem(CLAIMS);
  sessionStorage.removeItem(EXPIRED);
  for (const l of listeners) l(identity);
}

/** Forgets the token; `expired`: the hub refused it as expired, which the sign-in page then says. */
export function signOut(reason?: 'expired'): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(CLAIMS);
  if (reason === 'expired') sessionStorage.setItem(EXPIRED, '1');
  for (const l of listeners) l(null);
}

/** Whether an expiry notice waits for the sign-in page (not taken). */
export function expiredNoticeWaiting(): boolean {
  return sessionStorage.getItem(EXPIRED) === '1';
}

/** Whether the last sign-in ended by expiring (read once by the sign-in page). */
export function takeExpiredNotice(): boolean {
  const expired = sessionStorage.getItem(EXPIRED) === '1';
  sessionStorage.removeItem(EXPIRED);
  return expired;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
