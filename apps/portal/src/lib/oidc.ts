/**
 * Sign-in with the platform's OpenID Provider (services/identity, or another by the gateway's
 * configuration): the authorization code flow with PKCE (S256) through oauth4webapi, silent refresh with
 * the rotating refresh token, and sign-out everywhere at the provider's end-session endpoint. The gateway
 * says where the provider is (`/portal/config.json`); without one only the developer sign-in remains.
 */
import * as oauth from 'oauth4webapi';

export interface SignInConfig {
  issuer: string;
  clientId: string;
  resource: string;
}

/** What the portal keeps of a sign-in (sessionStorage: this tab, gone when it closes). */
export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** The signed-in person's name, from the ID token when the provider gives it. */
  name?: string;
}

const PENDING_KEY = 'lienket.signin.pending';
export const CALLBACK_PATH = '/auth/callback';
/** Why the last sign-in did not finish, for the sign-in page to say. */
export const SIGN_IN_ERROR_KEY = 'lienket.signin.error';

let configPromise: Promise<SignInConfig | undefined> | undefined;

/** The provider the gateway names, once per page load; undefined when there is none. */
export function signInConfig(): Promise<SignInConfig | undefined> {
  configPromise ??= fetch('/portal/config.json', { headers: { accept: 'application/json' } })
    .then(async (response) =>
      response.ok
        ? (((await response.json()) as { signIn?: SignInConfig | null }).signIn ?? undefined)
        : undefined,
    )
    .catch(() => undefined);
  return configPromise;
}

interface Provider {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  config: SignInConfig;
  options: { [oauth.allowInsecureRequests]?: boolean };
}

let providerPromise: Promise<Provider> | undefined;

async function provider(): Promise<Provider> {
  providerPromise ??= (async () => {
    const config = await signInConfig();
    if (!config) throw new Error('No sign-in provider is configured');
    const issuer = new URL(config.issuer);
    // A development provider on http://127.0.0.1; any other must be https (oauth4webapi's rule).
    const options = issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
    return { as, client: { client_id: config.clientId }, config, options };
  })();
  providerPromise.catch(() => {
    providerPromise = undefined;
  });
  return providerPromise;
}

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

/**
 * Leaves for the provider's sign-in page; `next` is the portal route to come back to. `delegationId`
 * asks for a token that acts for an establishment (identity's delegations).
 */
export async function beginSignIn(next: string, extra: { delegationId?: string } = {}): Promise<void> {
  const { as, client, config } = await provider();
  if (!as.authorization_endpoint) throw new Error('The provider has no authorization endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, next }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid',
    resource: config.resource,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ui_locales: document.documentElement.lang || 'vi',
    ...(extra.delegationId ? { delegation_id: extra.delegationId } : {}),
  }).toString();
  location.assign(url.href);
}

/** At the redirect URI: checks the state, trades the code and the PKCE verifier for tokens. */
export async function completeSignIn(): Promise<{ tokens: Tokens; next: string }> {
  const pendingText = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!pendingText) throw new Error('No sign-in was started in this tab');
  const pending = JSON.parse(pendingText) as { verifier: string; state: string; next: string };
  const { as, client, config, options } = await provider();
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    { ...options, additionalParameters: { resource: config.resource } },
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  return { tokens: tokensOf(result), next: pending.next };
}

/** A new access token for the refresh token (which the provider rotates: the old one is spent). */
export async function refresh(tokens: Pick<Tokens, 'refreshToken' | 'idToken' | 'name'>): Promise<Tokens> {
  if (!tokens.refreshToken) throw new Error('No refresh token');
  const { as, client, config, options } = await provider();
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refreshToken, {
    ...options,
    additionalParameters: { resource: config.resource },
  });
  const result = await oauth.processRefreshTokenResponse(as, client, response);
  const next = tokensOf(result);
  return { ...next, idToken: next.idToken ?? tokens.idToken, name: next.name ?? tokens.name };
}

/**
 * Signs out everywhere: the provider's end-session page (it asks to confirm, then ends every session,
 * grant and refresh token of the account) and back to the portal.
 */
export async function endSession(idToken: string | undefined): Promise<void> {
  const { as, client } = await provider();
  if (!as.end_session_endpoint) return;
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    post_logout_redirect_uri: `${location.origin}/`,
    ui_locales: document.documentElement.lang || 'vi',
    ...(idToken ? { id_token_hint: idToken } : {}),
  }).toString();
  location.assign(url.href);
}

function tokensOf(result: oauth.TokenEndpointResponse): Tokens {
  const claims = oauth.getValidatedIdTokenClaims(result);
  const name = typeof claims?.name === 'string' ? claims.name : undefined;
  return {
    accessToken: result.access_token,
    ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
    ...(result.id_token ? { idToken: result.id_token } : {}),
    ...(name ? { name } : {}),
  };
}
