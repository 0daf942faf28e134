import fs from 'node:fs';
import path from 'node:path';
import {
  SignJWT,
  createLocalJWKSet,
  decodeJwt,
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
  if (!roles.includes(role) || role === Role.PUBLIC)
    return `unknown role '${role}' (one of ${roles.filter((r) => r !== Role.PUBLIC).join(', ')})`;
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
  /** Who signs the hub's tokens (`npm run token`, the sign-in, the hub's services). */
  issuer: string;
  /**
   * The hub's audience: the gateway accepts tokens for it; each service accepts `<audience>:<its name>`
   * (serviceAudience).
   */
  audience: string;
  /**
   * The longest lifetime (`exp` - `iat`, in seconds) issued or accepted; DEFAULT_MAX_TOKEN_LIFETIME_SECONDS when
   * absent.
   */
  maxLifetimeSeconds?: number;
}

/**
 * The audience of one service (H2): `<hub audience>:<service name>`, the service's name being the
 * subgraph's registered name (`tax`, `joint`, `registry`). A service accepts only tokens for its own
 * audience, so a token that reached one subgraph (a department's, at an address its admin chose) is
 * worth nothing at any other service or at the gateway.
 */
export function serviceAudience(hubAudience: string, service: string): string {
  return `${hubAudience}:${service}`;
}

/** The issuer of the tokens the gateway forwards to subgraphs on a caller's behalf (GatewayTokenSigner). */
export function gatewayIssuer(hubIssuer: string): string {
  return `${hubIssuer}:gateway`;
}

/**
 * The header the gateway sends a public caller's calls with (H2): a token it signed for that
 * subgraph, role PUBLIC. A subgraph may ignore it (the request is the public's either way); the
 * hub's services take it as the sign that the gateway applied its limits to that caller already.
 */
export const FORWARDED_PUBLIC_HEADER = 'x-jointcheck-public';

/**
 * The key ids of the gateway's keys start with this; every other key is the hub's (H2). A key
 * signs for one issuer only: a gateway key only what the gateway forwards, a hub key only the hub's
 * tokens, so that neither can pass for the other (a leaked gateway key mints no hub admin's token
 * for the gateway, the hub's key no "forwarded" call that a service would not count).
 */
export const GATEWAY_KEY_ID_PREFIX = 'gateway-';

/** How long a token the gateway forwards to one subgraph lives at most (never longer than the caller's own). */
export const FORWARDED_TOKEN_SECONDS = 60;

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

  /** Whether this is the gateway's key (its key id starts with GATEWAY_KEY_ID_PREFIX): it forwards only. */
  get isGatewayKey(): boolean {
    return this.kid.startsWith(GATEWAY_KEY_ID_PREFIX);
  }

  static async fromJwk(jwk: JWK, settings: TokenSettings): Promise<TokenIssuer> {
    if (!jwk.kid) throw new Error('The private JWK needs a kid');
    return new TokenIssuer(await importJWK(jwk, 'EdDSA'), jwk.kid, settings);
  }

  /**
   * A token for `identity` living `expiresIn` (`15m`, `8h`, `1d`; a negative one is already
   * expired, for tests): 8 h by default, or the hub's maximum if that is shorter. A lifetime above
   * the maximum (JOINTCHECK_JWT_MAX_LIFETIME) is refused here, as every verifier would refuse it (H2).
   */
  async issue(
    identity: Omit<Identity, 'role'> & { role: Role },
    expiresIn?: string,
    options: { audience?: string | string[] } = {},
  ): Promise<string> {
    if (this.isGatewayKey)
      throw new Error(
        `The key ${this.kid} is the gateway's (its id starts with ${GATEWAY_KEY_ID_PREFIX}): it signs only ` +
          `what the gateway forwards, never a hub token.`,
      );
    const problem = identityProblem(identity.role, identity.department);
    if (problem) throw new Error(problem);
    if (!identity.subject || identity.subject.length > MAX_SUBJECT_LENGTH)
      throw new Error(`the subject must be 1 to ${MAX_SUBJECT_LENGTH} characters`);
    const max = maxLifetimeOf(this.settings);
    const lifetime = expiresIn === undefined ? Math.min(DEFAULT_TOKEN_LIFETIME_SECONDS, max) : parseDuration(expiresIn);
    if (lifetime === null) throw new Error(`the lifetime '${expiresIn}' is not a duration (such as 15m, 8h or 1d)`);
    if (lifetime > max)
      throw new Error(
        `a token living ${formatDuration(lifetime)} is longer than this hub accepts (${formatDuration(max)}, ` +
          `JOINTCHECK_JWT_MAX_LIFETIME): give a shorter lifetime (--expires 8h)`,
      );
    const issuedAt = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: identity.role, dept: identity.department ?? undefined })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid })
      .setSubject(identity.subject)
      .setIssuer(this.settings.issuer)
      .setAudience(options.audience ?? this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + lifetime)
      .sign(this.key);
  }

  /** A token for one service only (its audience, serviceAudience): what the hub's services send each other (H2). */
  issueFor(service: string, identity: Omit<Identity, 'role'> & { role: Role }, expiresIn?: string): Promise<string> {
    return this.issue(identity, expiresIn, { audience: serviceAudience(this.settings.audience, service) });
  }

  /**
   * A token the gateway forwards to one subgraph for a caller it verified (H2): the caller's
   * identity, for that subgraph's audience alone, signed by the gateway's own key under the
   * gateway's issuer, living FORWARDED_TOKEN_SECONDS and never past `notAfter` (the caller's `exp`).
   */
  async forward(
    service: string,
    identity: Identity,
    notAfter: number | null,
  ): Promise<{ token: string; expiresAt: number }> {
    if (!this.isGatewayKey)
      throw new Error(
        `The key ${this.kid} is not the gateway's (a gateway key's id starts with ${GATEWAY_KEY_ID_PREFIX}): ` +
          `the hub's key never signs as the gateway.`,
      );
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = Math.min(issuedAt + FORWARDED_TOKEN_SECONDS, notAfter ?? Infinity);
    // A public caller's token (role PUBLIC, accepted from the gateway's issuer only) goes in FORWARDED_PUBLIC_HEADER.
    const token = await new SignJWT({ role: identity.role, dept: identity.department ?? undefined })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid })
      .setSubject(identity.subject)
      .setIssuer(gatewayIssuer(this.settings.issuer))
      .setAudience(serviceAudience(this.settings.audience, service))
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt };
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
  /** The key set, shared with the verifiers made by forService (a rotation reaches them all). */
  private readonly keys: SharedKeys;
  /**
   * Tokens verified already, until they expire: the gateway and every subgraph verify the same
   * token on each request, and an Ed25519 check costs more than the rest of a small request
   * (BENCHMARKS.md, gateway). Only tokens that passed every check are kept, under their whole
   * text (signature included), never past their `exp`; a key change empties it.
   */
  private readonly verified = new LRUCache<
    string,
    { identity: Identity; expiresAtMs: number; generation: number; viaGateway: boolean }
  >({ max: 10_000 });
  /** The audience this verifier accepts and the issuers it accepts it from. */
  private readonly audience: string;
  private readonly issuers: string[];

  constructor(
    jwks: JSONWebKeySet | SharedKeys,
    private readonly settings: TokenSettings,
    private readonly clock: () => Date = () => new Date(),
    scope?: { audience: string; issuers: string[] },
  ) {
    this.keys = jwks instanceof SharedKeys ? jwks : new SharedKeys(jwks);
    // The hub's audience by default: the gateway's, for tokens the hub issued to callers.
    this.audience = scope?.audience ?? settings.audience;
    this.issuers = scope?.issuers ?? [settings.issuer];
  }

  /**
   * The verifier of one service (H2): the same keys, accepting only tokens for that service's
   * audience (serviceAudience), issued by the hub (its services, `npm run token --for`) or
   * forwarded by the gateway. Tokens for the gateway or for another service are refused.
   */
  forService(service: string): TokenVerifier {
    return new TokenVerifier(this.keys, this.settings, this.clock, {
      audience: serviceAudience(this.settings.audience, service),
      issuers: [this.settings.issuer, gatewayIssuer(this.settings.issuer)],
    });
  }

  /** The longest token lifetime accepted, in seconds (JOINTCHECK_JWT_MAX_LIFETIME). */
  get maxLifetimeSeconds(): number {
    return maxLifetimeOf(this.settings);
  }

  /** The audience accepted (the hub's, or one service's). */
  get acceptedAudience(): string {
    return this.audience;
  }

  /**
   * Swaps the key set (rotation), for this verifier and every one made from it; requests being verified finish with
   * the set they started with.
   */
  replaceKeys(jwks: JSONWebKeySet): void {
    this.keys.replace(jwks);
  }

  /** The identity of an `Authorization` header value; no header is the public. */
  async identify(authorization: string | undefined | null): Promise<Identity> {
    return (await this.verify(authorization)).identity;
  }

  /** The identity of an `Authorization` header value and when its token expires (seconds; null for the public). */
  async verify(
    authorization: string | undefined | null,
  ): Promise<{ identity: Identity; expiresAt: number | null; viaGateway: boolean }> {
    if (!authorization) return { identity: PUBLIC_IDENTITY, expiresAt: null, viaGateway: false };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated("The Authorization header must be 'Bearer <token>'.");
    const token = match[1]!;
    const now = this.clock();
    const { getKey, generation } = this.keys;
    const known = this.verified.get(token);
    // A token of a key taken out must stop working now: entries of an older key set are not used.
    if (known && known.generation === generation && now.getTime() < known.expiresAtMs)
      return { identity: known.identity, expiresAt: known.expiresAtMs / 1000, viaGateway: known.viaGateway };
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: this.issuers,
        audience: this.audience,
        algorithms: ['EdDSA'],
        currentDate: now,
        requiredClaims: ['exp', 'iat'],
      });
      const max = maxLifetimeOf(this.settings);
      const lifetime = payload.exp! - Math.min(payload.iat!, Math.floor(now.getTime() / 1000));
      if (lifetime > max + CLOCK_TOLERANCE_SECONDS) {
        throw new TokenRefusal(
          `The token lives ${formatDuration(lifetime)}, longer than this hub accepts (${formatDuration(max)}, ` +
            `JOINTCHECK_JWT_MAX_LIFETIME): ${HOW_TO_RENEW}`,
        );
      }
      const role = String(payload.role ?? '');
      const department = typeof payload.dept === 'string' ? payload.dept : null;
      const viaGateway = payload.iss === gatewayIssuer(this.settings.issuer);
      // H2: each key signs for its own issuer only (GATEWAY_KEY_ID_PREFIX).
      if (String(decodeProtectedHeader(token).kid ?? '').startsWith(GATEWAY_KEY_ID_PREFIX) !== viaGateway) {
        throw new TokenRefusal(
          `The token is signed with a key that does not sign for its issuer (the gateway's keys sign only ` +
            `what the gateway forwards, the hub's only the hub's tokens): ${HOW_TO_RENEW}`,
        );
      }
      // The public, forwarded by the gateway (its own issuer only): no one can be given that role otherwise.
      const forwardedPublic = viaGateway && role === Role.PUBLIC && department === null;
      const problem = forwardedPublic ? null : identityProblem(role, department);
      if (problem || !payload.sub || payload.sub.length > MAX_SUBJECT_LENGTH) throw new Error(problem ?? 'bad subject');
      const identity: Identity = forwardedPublic
        ? PUBLIC_IDENTITY
        : { subject: payload.sub, role: role as Role, department };
      this.verified.set(token, { identity, expiresAtMs: payload.exp! * 1000, generation, viaGateway });
      return { identity, expiresAt: payload.exp!, viaGateway };
    } catch (error) {
      if (error instanceof TokenRefusal) throw unauthenticated(error.message);
      const { code, claim, reason: why } = error as { code?: string; claim?: string; reason?: string };
      if (code === 'ERR_JWKS_NO_MATCHING_KEY') throw unauthenticated(unknownKeyMessage(token));
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && why === 'missing' && (claim === 'exp' || claim === 'iat')) {
        const what = claim === 'exp' ? 'no expiry (exp)' : 'no issue time (iat)';
        throw unauthenticated(
          `The token has ${what}: this hub accepts only tokens that say when they were issued and expire ` +
            `within ${formatDuration(maxLifetimeOf(this.settings))} (JOINTCHECK_JWT_MAX_LIFETIME); ` +
            `${HOW_TO_RENEW}`,
        );
      }
      // Claims are checked after the signature: what the token says of its audience can be told.
      if (
        code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' &&
        (claim === 'aud' || claim === 'iss') &&
        !audiencesOf(token).includes(this.audience)
      )
        throw unauthenticated(this.wrongAudienceMessage());
      const reason = code === 'ERR_JWT_EXPIRED' ? 'has expired' : 'is not valid';
      throw unauthenticated(`The token ${reason}: ${HOW_TO_RENEW}`);
    }
  }

  /** H2: a token meant for another service (or for the gateway) is refused, saying what this one accepts. */
  private wrongAudienceMessage(): string {
    if (this.audience === this.settings.audience) {
      return (
        `The token is not meant for the gateway (its audience is not '${this.audience}'): a token made for one ` +
        `service is accepted by that service alone. Use a token made without --for (npm run token -- --role ` +
        `<role> --dept <code>).`
      );
    }
    const service = this.audience.slice(this.settings.audience.length + 1);
    return (
      `The token is not meant for the ${service} service (audience '${this.audience}'): each service accepts ` +
      `only tokens made for it. Call through the gateway, or make a token for this service (npm run token -- ` +
      `--for ${service} --role <role>).`
    );
  }
}

/** The audiences a token names (`aud`, one or a list). */
function audiencesOf(token: string): string[] {
  const { aud } = decodeJwt(token);
  return aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
}

/** A public key set shared by a verifier and those made from it; `generation` moves on each change. */
export class SharedKeys {
  getKey: JWTVerifyGetKey;
  generation = 0;
  constructor(jwks: JSONWebKeySet) {
    this.getKey = createLocalJWKSet(jwks);
  }
  replace(jwks: JSONWebKeySet): void {
    this.getKey = createLocalJWKSet(jwks);
    this.generation++;
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
  return (
    `The token is signed with ${which}, which is unknown to this hub (not in its public key set, ` +
    `JOINTCHECK_JWT_PUBLIC_KEYS): sign it with the hub's key, i.e. run npm run token with the hub's ` +
    `JOINTCHECK_DATA_DIR or its JOINTCHECK_JWT_PRIVATE_KEY.`
  );
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
 * The keys of a hub (H2): the hub's pair and the gateway's (its id GATEWAY_KEY_ID_PREFIX + `kid`),
 * and the public set holding both, which every service verifies with. `npm run keys`, the quick
 * start, the tests and the benchmarks all make them here.
 */
export async function generateHubKeys(
  kid = `k${Date.now().toString(36)}`,
): Promise<{ hub: KeyPairFiles; gateway: KeyPairFiles; jwks: JSONWebKeySet }> {
  const hub = await generateSigningKeys(kid);
  const gateway = await generateSigningKeys(`${GATEWAY_KEY_ID_PREFIX}${kid}`);
  return { hub, gateway, jwks: { keys: [...hub.jwks.keys, ...gateway.jwks.keys] } };
}

/**
 * The quick start's keys, created under the data dir on first start when none are there, so no key
 * is ever committed: the hub's pair (tokens of callers and services) and the gateway's (the tokens
 * it forwards to subgraphs, H2), both public keys in one set. A data dir made before the gateway had
 * a key of its own gets one added. Production configures its own files (npm run keys).
 */
export async function ensureDevKeys(files: {
  publicKeysFile: string;
  privateKeyFile: string;
  gatewayKeyFile: string;
}): Promise<void> {
  const { publicKeysFile, privateKeyFile, gatewayKeyFile } = files;
  const write = (file: string, value: unknown, mode?: number) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(value, null, 2), mode ? { mode } : undefined);
  };
  if (!fs.existsSync(publicKeysFile) || !fs.existsSync(privateKeyFile)) {
    const keys = await generateSigningKeys();
    write(privateKeyFile, keys.privateJwk, 0o600);
    write(publicKeysFile, keys.jwks);
  }
  if (!fs.existsSync(gatewayKeyFile))
    write(
      gatewayKeyFile,
      (await generateSigningKeys(`${GATEWAY_KEY_ID_PREFIX}${Date.now().toString(36)}`)).privateJwk,
      0o600,
    );
  // The gateway's public key in the set, whichever of the files was there before.
  const jwks = readJson<JSONWebKeySet>(publicKeysFile, 'the JWT public key set');
  const gatewayPublic = publicJwkOf(readJson<JWK>(gatewayKeyFile, "the gateway's private key"));
  if (!jwks.keys.some((k) => k.kid === gatewayPublic.kid))
    write(publicKeysFile, { keys: [...jwks.keys, gatewayPublic] });
}

/** The public half of a private Ed25519 JWK (its `d` left out), as a key set lists it. */
export function publicJwkOf(privateJwk: JWK): JWK {
  const { d: _private, ...publicJwk } = privateJwk;
  return { ...publicJwk, use: 'sig' };
}

export function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new Error(`Cannot read ${what} from ${file}: ${(error as Error).message}`, { cause: error });
  }
}
