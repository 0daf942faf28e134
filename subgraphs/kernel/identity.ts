import fs from 'node:fs';
import path from 'node:path';
import {
  SignJWT,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { DEPARTMENT_CODE } from './codes';
import { formatDuration, parseDuration } from './duration';
import { unauthenticated } from './errors';

/**
 * Who may act (DESIGN.md "Identity"). A token carries one role and, for department staff, the
 * department it belongs to. PUBLIC is what a caller without a token is.
 */
export const Role = {
  HUB_ADMIN: 'HUB_ADMIN',
  DEPT_ADMIN: 'DEPT_ADMIN',
  /** 分管负责人: approves inspector replacements (R20). */
  DEPUTY_HEAD: 'DEPUTY_HEAD',
  /** 主要负责人: signs corrections of published results (R28). */
  PRINCIPAL_HEAD: 'PRINCIPAL_HEAD',
  COORDINATOR: 'COORDINATOR',
  INSPECTOR: 'INSPECTOR',
  AUDITOR: 'AUDITOR',
  /** Another service of the hub (the joint service writing back, the registry reading SDL). */
  SERVICE: 'SERVICE',
  PUBLIC: 'PUBLIC',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** Roles that belong to one department and must name it. */
export const DEPARTMENT_ROLES: readonly Role[] = [
  Role.DEPT_ADMIN,
  Role.DEPUTY_HEAD,
  Role.PRINCIPAL_HEAD,
  Role.COORDINATOR,
  Role.INSPECTOR,
];

export interface Identity {
  /** Who: a person's or a service's id (`sub`). */
  subject: string;
  role: Role;
  /** The department code for department roles; null otherwise. */
  department: string | null;
}

export const PUBLIC_IDENTITY: Identity = Object.freeze({ subject: 'anonymous', role: Role.PUBLIC, department: null });


/** Subjects are stored with what they did (R29): they must fit the columns. */
export const MAX_SUBJECT_LENGTH = 64;

/** Checks the claims a token must carry; returns the problem or null. */
export function identityProblem(role: string, department: string | null | undefined): string | null {
  const roles: readonly string[] = Object.values(Role);
  if (!roles.includes(role) || role === Role.PUBLIC) return `unknown role '${role}' (one of ${roles.filter((r) => r !== Role.PUBLIC).join(', ')})`;
  const needsDept = DEPARTMENT_ROLES.includes(role as Role);
  if (needsDept && (!department || !DEPARTMENT_CODE.test(department))) {
    return `role ${role} needs a department code (lowercase letters and digits, e.g. tax)`;
  }
  if (!needsDept && department) return `role ${role} belongs to no department`;
  return null;
}

/**
 * The longest a token may live (`exp` - `iat`) unless JOINTCHECK_JWT_MAX_LIFETIME says otherwise
 * (H2): a token carries a role, and a token that leaks must stop working within a working day.
 */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** What a token issued without a lifetime lives: a working day, or the hub's maximum if shorter. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 8 * 3600;

export interface TokenSettings {
  issuer: string;
  audience: string;
  /** The longest lifetime (`exp` - `iat`, in seconds) issued or accepted; DEFAULT_MAX_TOKEN_LIFETIME_SECONDS when absent. */
  maxLifetimeSeconds?: number;
}

const maxLifetimeOf = (settings: TokenSettings) => settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
/** Clocks of the issuer and of a verifier may differ this much (a token issued "in the future"). */
const CLOCK_TOLERANCE_SECONDS = 60;
const HOW_TO_RENEW = 'get a new one (npm run token -- --role <role> --dept <code>).';

/** Why a token was refused, said to the caller as it is (UNAUTHENTICATED). */
class TokenRefusal extends Error {}

/** Signs tokens; only the issuing tool (`npm run token`) and tests hold the private key. */
export class TokenIssuer {
  private constructor(
    private readonly key: Awaited<ReturnType<typeof importJWK>>,
    private readonly kid: string,
    private readonly settings: TokenSettings,
  ) {}

  static async fromJwk(jwk: JWK, settings: TokenSettings): Promise<TokenIssuer> {
    if (!jwk.kid) throw new Error('The private JWK needs a kid');
    return new TokenIssuer(await importJWK(jwk, 'EdDSA'), jwk.kid, settings);
  }

  /**
   * A token for `identity` living `expiresIn` (`15m`, `8h`, `1d`; a negative one is already
   * expired, for tests): 8 h by default, or the hub's maximum if that is shorter. A lifetime above
   * the maximum (JOINTCHECK_JWT_MAX_LIFETIME) is refused here, as every verifier would refuse it (H2).
   */
  async issue(identity: Omit<Identity, 'role'> & { role: Role }, expiresIn?: string): Promise<string> {
    const problem = identityProblem(identity.role, identity.department);
    if (problem) throw new Error(problem);
    if (!identity.subject || identity.subject.length > MAX_SUBJECT_LENGTH) throw new Error(`the subject must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
    const max = maxLifetimeOf(this.settings);
    const lifetime = expiresIn === undefined ? Math.min(DEFAULT_TOKEN_LIFETIME_SECONDS, max) : parseDuration(expiresIn);
    if (lifetime === null) throw new Error(`the lifetime '${expiresIn}' is not a duration (such as 15m, 8h or 1d)`);
    if (lifetime > max) throw new Error(`a token living ${formatDuration(lifetime)} is longer than this hub accepts (${formatDuration(max)}, JOINTCHECK_JWT_MAX_LIFETIME): give a shorter lifetime (--expires 8h)`);
    const issuedAt = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: identity.role, dept: identity.department ?? undefined })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid })
      .setSubject(identity.subject)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + lifetime)
      .sign(this.key);
  }
}

/**
 * Verifies tokens against a key set. Several keys may be listed (rotation: the new key is added
 * before tokens are signed with it, the old one removed after its tokens expired). A token must
 * carry `exp` and `iat` and live no longer than the hub's maximum, counted from when it was issued
 * or from now, whichever is earlier (H2: a token without `exp`, or signed for ten years, would
 * otherwise never stop working).
 */
export class TokenVerifier {
  private keys: JWTVerifyGetKey;
  /**
   * Tokens verified already, until they expire: the gateway and every subgraph verify the same
   * token on each request, and an Ed25519 check costs more than the rest of a small request
   * (BENCHMARKS.md, gateway). Only tokens that passed every check are kept, under their whole
   * text (signature included), never past their `exp`; a key change empties it.
   */
  private readonly verified = new LRUCache<string, { identity: Identity; expiresAtMs: number }>({ max: 10_000 });
  constructor(
    jwks: JSONWebKeySet,
    private readonly settings: TokenSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.keys = createLocalJWKSet(jwks);
  }

  /** Swaps the key set (rotation); requests being verified finish with the set they started with. */
  replaceKeys(jwks: JSONWebKeySet): void {
    this.keys = createLocalJWKSet(jwks);
    // A token of a key taken out must stop working now.
    this.verified.clear();
  }

  /** The identity of an `Authorization` header value; no header is the public. */
  async identify(authorization: string | undefined | null): Promise<Identity> {
    if (!authorization) return PUBLIC_IDENTITY;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated("The Authorization header must be 'Bearer <token>'.");
    const token = match[1]!;
    const now = this.clock();
    const known = this.verified.get(token);
    if (known && now.getTime() < known.expiresAtMs) return known.identity;
    const keys = this.keys;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: ['EdDSA'],
        currentDate: now,
        requiredClaims: ['exp', 'iat'],
      });
      const max = maxLifetimeOf(this.settings);
      const lifetime = payload.exp! - Math.min(payload.iat!, Math.floor(now.getTime() / 1000));
      if (lifetime > max + CLOCK_TOLERANCE_SECONDS) {
        throw new TokenRefusal(`The token lives ${formatDuration(lifetime)}, longer than this hub accepts (${formatDuration(max)}, JOINTCHECK_JWT_MAX_LIFETIME): ${HOW_TO_RENEW}`);
      }
      const role = String(payload.role ?? '');
      const department = typeof payload.dept === 'string' ? payload.dept : null;
      const problem = identityProblem(role, department);
      if (problem || !payload.sub || payload.sub.length > MAX_SUBJECT_LENGTH) throw new Error(problem ?? 'bad subject');
      const identity: Identity = { subject: payload.sub, role: role as Role, department };
      // Kept until it expires, unless the keys changed meanwhile.
      if (keys === this.keys) this.verified.set(token, { identity, expiresAtMs: payload.exp! * 1000 });
      return identity;
    } catch (error) {
      if (error instanceof TokenRefusal) throw unauthenticated(error.message);
      const { code, claim, reason: why } = error as { code?: string; claim?: string; reason?: string };
      if (code === 'ERR_JWKS_NO_MATCHING_KEY') throw unauthenticated(unknownKeyMessage(token));
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && why === 'missing' && (claim === 'exp' || claim === 'iat')) {
        const what = claim === 'exp' ? 'no expiry (exp)' : 'no issue time (iat)';
        throw unauthenticated(`The token has ${what}: this hub accepts only tokens that say when they were issued and expire within ${formatDuration(maxLifetimeOf(this.settings))} (JOINTCHECK_JWT_MAX_LIFETIME); ${HOW_TO_RENEW}`);
      }
      const reason = code === 'ERR_JWT_EXPIRED' ? 'has expired' : 'is not valid';
      throw unauthenticated(`The token ${reason}: ${HOW_TO_RENEW}`);
    }
  }
}

/**
 * Why a token whose key id (`kid`) is not in the public key set is refused: it was signed by a key
 * the hub does not know, typically one `npm run token` made or found away from the hub's data
 * dir. The gateway and every subgraph say the same (they verify with this class).
 */
function unknownKeyMessage(token: string): string {
  const kid = decodeProtectedHeader(token).kid;
  const which = typeof kid === 'string' ? `key id '${kid.slice(0, 64)}'` : 'a key without a key id (kid)';
  return `The token is signed with ${which}, which is unknown to this hub (not in its public key set, JOINTCHECK_JWT_PUBLIC_KEYS): sign it with the hub's key, i.e. run npm run token with the hub's JOINTCHECK_DATA_DIR or its JOINTCHECK_JWT_PRIVATE_KEY.`;
}

export interface KeyPairFiles {
  privateJwk: JWK;
  jwks: JSONWebKeySet;
}

/** A fresh Ed25519 key pair as a private JWK and a one-key public set. */
export async function generateSigningKeys(kid = `k${Date.now().toString(36)}`): Promise<KeyPairFiles> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { privateJwk, jwks: { keys: [publicJwk] } };
}

/**
 * The quick start's key pair: created under the data dir on first start when no keys are
 * configured, so no key is ever committed. Production configures its own files.
 */
export async function ensureDevKeys(publicKeysFile: string, privateKeyFile: string): Promise<void> {
  if (fs.existsSync(publicKeysFile) && fs.existsSync(privateKeyFile)) return;
  const keys = await generateSigningKeys();
  fs.mkdirSync(path.dirname(publicKeysFile), { recursive: true });
  fs.mkdirSync(path.dirname(privateKeyFile), { recursive: true });
  fs.writeFileSync(privateKeyFile, JSON.stringify(keys.privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(publicKeysFile, JSON.stringify(keys.jwks, null, 2));
}

export function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`Cannot read ${what} from ${file}: ${(error as Error).message}`);
  }
}
