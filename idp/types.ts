/**
 * The options of the development identity provider (idp/dev-provider.ts), in a file of their own
 * so that CommonJS code (tests, scripts/start.ts, idp/spawn.ts) can use them without loading
 * oidc-provider, which is an ES module.
 */

/** A demo official who can sign in. */
export interface DevUser {
  /** The `sub` of their tokens, and the user name they type. */
  subject: string;
  password: string;
  /** Shown on pages and put in the `name` claim (scope profile). */
  name: string;
  /** One of the hub's roles (COORDINATOR, INSPECTOR, DEPT_ADMIN, DEPUTY_HEAD, PRINCIPAL_HEAD, AUDITOR, HUB_ADMIN). */
  role: string;
  /** The department code for department roles; null otherwise (the claim is then left out). */
  department: string | null;
}

/** A public client (a web page): no secret, authorization code with PKCE (S256). */
export interface DevClient {
  client_id: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  /** Shown on the sign-in page. */
  client_name?: string;
}

export interface DevIdentityProviderOptions {
  /** Address to listen on, e.g. 127.0.0.1. */
  host: string;
  /** 0 for a free port. */
  port: number;
  /** `http://host:port` by default (with the port actually listened on). */
  issuer?: string;
  clients: DevClient[];
  /** The API's resource indicator (an absolute URI such as `urn:jointcheck`), used when the client names none. */
  resource: string;
  /** The access tokens' `aud`; the resource by default. */
  audience?: string;
  /** Names of the claims carrying the hub's role and department code, e.g. jointcheck_role, jointcheck_dept. */
  roleClaim: string;
  deptClaim: string;
  users: DevUser[];
  /** Access token lifetime; 3600 by default. */
  accessTokenTtlSeconds?: number;
  /** JWS algorithm of the access tokens: EdDSA (default), ES256 or RS256. ID tokens are RS256. */
  accessTokenAlg?: 'EdDSA' | 'ES256' | 'RS256';
  /**
   * Origins a page may call the token, revocation and userinfo endpoints from (CORS). Empty or
   * absent: the origins of the clients' redirect URIs. Discovery and JWKS are open to every origin.
   */
  allowedOrigins?: string[];
  /** Keys signing the provider's cookies; random per start when absent (a restart then ends every session). */
  cookieKeys?: string[];
}

/** What idp/main.ts prints on one line of stdout once it listens. */
export interface DevIdentityProviderAnnouncement {
  issuer: string;
  url: string;
}
