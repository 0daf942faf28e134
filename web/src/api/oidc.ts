import * as oauth from 'oauth4webapi';

/**
 * Officials sign in at the identity provider (issue I): the province's unified identity platform
 * (统一身份认证) in production, the hub's development provider in the quick start. The page is a
 * public client: authorization code with PKCE (S256), no secret, with oauth4webapi (a maintained
 * OAuth 2 / OpenID Connect client). It asks for an access token for the hub (the resource the
 * gateway names in `/auth/config.json`), which it sends to the gateway; the gateway verifies it
 * by the provider's published keys. Signing out ends the provider's session too (RP-initiated
 * logout), so the next sign-in asks for the password again.
 */
export interface AuthConfig {
  issuer: string | null;
  clientId: string;
  resource: string;
  scope: string;
  roleClaim: string;
  deptClaim: string;
}

const PENDING = 'jointcheck.signin';
const ID_TOKEN = 'jointcheck.idToken';
export const CALLBACK_PATH = '/signin/callback';

let config: Promise<AuthConfig> | null = null;

/** Where to sign in, as the gateway says (null issuer: no provider configured, tokens only). */
export function authConfig(): Promise<AuthConfig> {
  config ??= fetch('/auth/config.json', { headers: { accept: 'application/json' } })
    .then((r) =>
      r.ok
        ? (r.json() as Promise<AuthConfig>)
        : { issuer: null, clientId: '', resource: '', scope: '', roleClaim: 'role', deptClaim: 'dept' },
    )
    .catch((error: unknown) => {
      config = null;
      throw error;
    });
  return config;
}

/** Plain http only to a provider on this machine (the quick start's); anywhere else https. */
function transport(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  return issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
    ? { [oauth.allowInsecureRequests]: true }
    : {};
}

async function provider(issuerUrl: string): Promise<{ as: oauth.AuthorizationServer; issuer: URL }> {
  const issuer = new URL(issuerUrl);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...transport(issuer) });
  return { as: await oauth.processDiscoveryResponse(issuer, response), issuer };
}

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

/** A path of this page to go to after signing in; anything else (`//host`, `/\\host`, a URL) is the dashboard. */
export function pagePath(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/dashboard';
}

/** Sends the browser to the provider's sign-in; it comes back to CALLBACK_PATH. */
export async function startSignIn(next: string): Promise<void> {
  const settings = await authConfig();
  if (!settings.issuer) throw new Error('no identity provider is configured');
  const { as } = await provider(settings.issuer);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ codeVerifier, state, next }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('resource', settings.resource);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  location.assign(url.href);
}

/** On CALLBACK_PATH: exchanges the code for the tokens; returns the access token and where to go next. */
export async function finishSignIn(current: URL): Promise<{ accessToken: string; next: string }> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    codeVerifier: string;
    state: string;
    next: string;
  } | null;
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('这次登录不是从本页面开始的（或已经完成），请重新登录。');
  const settings = await authConfig();
  if (!settings.issuer) throw new Error('no identity provider is configured');
  const { as, issuer } = await provider(settings.issuer);
  const client: oauth.Client = { client_id: settings.clientId };
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(as, client, current, pending.state);
  } catch (error) {
    const description =
      error instanceof oauth.AuthorizationResponseError
        ? (error.error_description ?? error.error)
        : (error as Error).message;
    throw new Error(`统一身份认证没有完成登录：${description}`, { cause: error });
  }
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    parameters,
    redirectUri(),
    pending.codeVerifier,
    {
      additionalParameters: { resource: settings.resource },
      ...transport(issuer),
    },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  if (result.id_token) sessionStorage.setItem(ID_TOKEN, result.id_token);
  return { accessToken: result.access_token, next: pagePath(pending.next) };
}

/**
 * Where to send the browser to end the provider's session too (null when this tab did not sign
 * in there, or the provider has no end_session_endpoint): back to the public page afterwards.
 */
export async function endSessionUrl(): Promise<string | null> {
  const idToken = sessionStorage.getItem(ID_TOKEN);
  sessionStorage.removeItem(ID_TOKEN);
  if (!idToken) return null;
  const settings = await authConfig();
  if (!settings.issuer) return null;
  const { as } = await provider(settings.issuer);
  if (!as.end_session_endpoint) return null;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('post_logout_redirect_uri', `${location.origin}/`);
  return url.href;
}
