import { decodeJwt, type JWTPayload } from 'jose';

/**
 * Who is signed in on this page: a token (JWT) issued by the hub's operator, pasted by the
 * official (the hub has no login service of its own; tokens come from whoever issues them, see
 * README "Tokens"). It is kept for this browser tab only (sessionStorage) and sent with every
 * request; the gateway and every subgraph verify it. What the page reads from it (role,
 * department, expiry) is for display only: the servers decide what the caller may see.
 */
const KEY = 'jointcheck.token';

export interface SessionIdentity {
  token: string;
  subject: string;
  role: string;
  department: string | null;
  /** Expiry (seconds since the epoch), when the token has one. */
  expiresAt: number | null;
}

/** Reads a token's claims without verifying it (the servers verify); null when it is not a JWT. */
export function readToken(token: string): SessionIdentity | null {
  let claims: JWTPayload;
  try {
    // jose, the hub's own JWT library: decodes, never verifies (the page holds no key).
    claims = decodeJwt(token.trim());
  } catch {
    return null;
  }
  if (typeof claims.role !== 'string') return null;
  return {
    token: token.trim(),
    subject: claims.sub ?? '',
    role: claims.role,
    department: typeof claims.dept === 'string' ? claims.dept : null,
    expiresAt: claims.exp ?? null,
  };
}

type Listener = (identity: SessionIdentity | null) => void;
const listeners = new Set<Listener>();

export function currentSession(): SessionIdentity | null {
  const token = sessionStorage.getItem(KEY);
  const identity = token ? readToken(token) : null;
  if (identity?.expiresAt && identity.expiresAt * 1000 <= Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return identity;
}

export function signIn(identity: SessionIdentity): void {
  sessionStorage.setItem(KEY, identity.token);
  for (const l of listeners) l(identity);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  for (const l of listeners) l(null);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
