import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GraphQLError } from 'graphql';
import { formatDuration } from '../kernel/duration';
import { ErrorCode } from '../kernel/errors';
import {
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  identityProblem,
  MAX_SUBJECT_LENGTH,
  Role,
  type Identity,
} from '../kernel/identity';

/**
 * Where officials sign in (issue I): an OpenID Connect provider, the province's unified identity
 * platform (统一身份认证) in production, the development provider (idp/) in the quick start. The
 * page gets an access token for the hub (a JWT whose audience is `audience`) by the authorization
 * code flow with PKCE; the gateway verifies it by the provider's published keys (discovery, then
 * its JWKS) and reads the role and the department from the claims the settings name.
 */
export interface OidcSettings {
  /** The provider's issuer URL (its discovery document is at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** The page's client id at the provider (a public client: no secret, PKCE). */
  clientId: string;
  /** The resource indicator the page asks tokens for, and the audience the gateway accepts. */
  audience: string;
  /** The claim holding the hub role (COORDINATOR, DEPT_ADMIN, ...). */
  roleClaim: string;
  /** The claim holding the department code, for department roles. */
  deptClaim: string;
  /** The longest lifetime accepted (`exp` - `iat`), in seconds: the hub's JOINTCHECK_JWT_MAX_LIFETIME. */
  maxLifetimeSeconds?: number;
  /**
   * The `typ` header access tokens must carry: `at+jwt` (RFC 9068) unless the provider's operator
   * says otherwise (JOINTCHECK_OIDC_TOKEN_TYPE); null accepts any (ID tokens are refused anyway).
   */
  tokenType?: string | null;
}

/**
 * The signature algorithms taken from a provider (asymmetric only: a shared secret would let anyone holding it sign).
 */
export const OIDC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

const SIGN_IN_AGAIN = 'sign in again on the page (登录).';

/** A refused sign-in: UNAUTHENTICATED, HTTP 401, as the hub's own tokens are refused. */
function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/** The provider's discovery document, the parts the hub reads. */
interface Discovery {
  issuer: string;
  jwks_uri: string;
}

/**
 * Verifies the identity provider's access tokens. The discovery document and the key set are
 * fetched when first needed and the keys refetched when a token names a key not seen yet (jose's
 * remote key set, with its cool-down), so the provider rotates its keys without a restart. A
 * provider that cannot be reached is UNAVAILABLE (try again), not a refusal of the official.
 */
export class OidcVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(
    readonly settings: OidcSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Whether a token says it comes from this provider (read before verifying, to choose the verifier). */
  issued(token: string): boolean {
    try {
      return decodeJwt(token).iss === this.settings.issuer;
    } catch {
      return false;
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= (async () => {
      const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`its discovery document answered HTTP ${response.status}`);
      const discovery = (await response.json()) as Discovery;
      if (discovery.issuer !== this.settings.issuer)
        throw new Error(`its discovery document names the issuer ${discovery.issuer}, not ${this.settings.issuer}`);
      if (typeof discovery.jwks_uri !== 'string') throw new Error('its discovery document has no jwks_uri');
      return createRemoteJWKSet(new URL(discovery.jwks_uri), { timeoutDuration: 10_000 });
    })().catch((error: unknown) => {
      this.keys = null; // asked again on the next request
      throw error;
    });
    return this.keys;
  }

  /** The official a token names, and when it expires (seconds). */
  async verify(token: string): Promise<{ identity: Identity; expiresAt: number }> {
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.keySet();
    } catch (error) {
      throw new GraphQLError(
        `The identity provider ${this.settings.issuer} cannot be reached to check your sign-in ` +
          `(${(error as Error).message}); try again in a moment.`,
        {
          extensions: { code: ErrorCode.UNAVAILABLE, retryable: true, http: { status: 503 } },
        },
      );
    }
    let payload: Record<string, unknown> & { sub?: string; exp?: number; iat?: number };
    try {
      const tokenType = this.settings.tokenType === undefined ? 'at+jwt' : this.settings.tokenType;
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: OIDC_ALGORITHMS,
        currentDate: this.clock(),
        requiredClaims: ['exp', 'iat', 'sub'],
        ...(tokenType ? { typ: tokenType } : {}),
      }));
    } catch (error) {
      const { code, claim } = error as { code?: string; claim?: string };
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'typ')
        throw unauthenticated(
          `The identity provider's token is not an access token (its type is not ` +
            `${this.settings.tokenType ?? 'at+jwt'}): send the access token, not the ID token; or ` +
            `${SIGN_IN_AGAIN}`,
        );
      if (code === 'ERR_JOSE_ALG_NOT_ALLOWED')
        throw unauthenticated(
          `The identity provider's token is signed with an algorithm this hub does not take ` +
            `(${OIDC_ALGORITHMS.join(', ')}): ${SIGN_IN_AGAIN}`,
        );
      if (code === 'ERR_JWT_EXPIRED') throw unauthenticated(`Your sign-in has expired: ${SIGN_IN_AGAIN}`);
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud')
        throw unauthenticated(
          `The identity provider's token is not for this hub (its audience is not ${this.settings.audience}): ` +
            `${SIGN_IN_AGAIN}`,
        );
      if (code === 'ERR_JWKS_NO_MATCHING_KEY')
        throw unauthenticated(
          `The token is signed with a key the identity provider does not publish: ${SIGN_IN_AGAIN}`,
        );
      throw unauthenticated(`The identity provider's token is not valid: ${SIGN_IN_AGAIN}`);
    }
    // An ID token is for the page, never for the hub: it names the client as its audience and carries nonce or at_hash.
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (audiences.includes(this.settings.clientId) || 'nonce' in payload || 'at_hash' in payload) {
      throw unauthenticated(
        `The identity provider's token is an ID token, not an access token for this hub: ${SIGN_IN_AGAIN}`,
      );
    }
    const max = this.settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    if (payload.exp! - payload.iat! > max)
      throw unauthenticated(
        `The identity provider's token lives ${formatDuration(payload.exp! - payload.iat!)}, longer than this ` +
          `hub accepts (${formatDuration(max)}, JOINTCHECK_JWT_MAX_LIFETIME): ask the provider's operator for ` +
          `shorter access tokens.`,
      );
    const role = String(payload[this.settings.roleClaim] ?? '');
    const deptValue = payload[this.settings.deptClaim];
    const department = typeof deptValue === 'string' && deptValue !== '' ? deptValue : null;
    // A service identity comes from the hub's own keys, never from a person's sign-in.
    const problem =
      role === Role.SERVICE
        ? "the role SERVICE is for the hub's own services, not for a person"
        : identityProblem(role, department);
    if (problem) {
      throw new GraphQLError(
        `Your sign-in does not give you a role in this hub (${problem}; claims ${this.settings.roleClaim} and ` +
          `${this.settings.deptClaim}): ask the identity platform's operator to grant you one.`,
        {
          extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
        },
      );
    }
    if (payload.sub!.length > MAX_SUBJECT_LENGTH)
      throw unauthenticated(
        `The identity provider's subject is longer than ${MAX_SUBJECT_LENGTH} characters, which the hub ` +
          `records with what an official did: ask the provider's operator.`,
      );
    return { identity: { subject: payload.sub!, role: role as Role, department }, expiresAt: payload.exp! };
  }
}
