import { AppError, type Logger } from '@lienket/platform';
import type mongoose from 'mongoose';
import { bilingual, escapeHtml, page } from '../http/pages';
import type { ServiceKeys } from './keys';
import { grantContexts, mongoOidcAdapter, revokeAccountArtifacts } from './mongo-adapter';
import type { ClientMetadata, Configuration, KoaContextWithOIDC, Provider } from './oidc-types';

export type { Provider };

/**
 * oidc-provider is published as ES modules only. This CommonJS build loads it with `import()`
 * (module node16 keeps it a real dynamic import); jest compiles it to CommonJS (jest.config.js).
 */
export const loadOidcProvider = () => import('oidc-provider');

export interface GrantContext {
  organisationId: string;
  delegationId: string;
}

export interface OidcOptions {
  issuer: string;
  connection: mongoose.Connection;
  keys: ServiceKeys;
  /** The portal: a public client (no secret), authorization code with PKCE, refresh tokens. */
  portal: { clientId: string; redirectUris: string[]; postLogoutRedirectUris: string[] };
  /** Analysts' programs: client credentials. */
  apiClients: { clientId: string; clientSecret: string }[];
  /** The resource indicator (RFC 8707) of the LienKet API, and the `aud` its tokens carry. */
  resource: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  sessionTtlSeconds: number;
  trustProxy: boolean;
  /** Claims the gateway reads, for an account under a grant's context; throws AppError when refused. */
  claimsFor(accountId: string, context: GrantContext | undefined): Promise<Record<string, unknown>>;
  findAccount(accountId: string): Promise<{ displayName: string } | undefined>;
  /** After an end-session: everything of the account is revoked (sign out everywhere). */
  onSignedOutEverywhere(accountId: string): Promise<void>;
  log: Logger;
}

export async function createOidcProvider(options: OidcOptions): Promise<Provider> {
  const { default: OidcProvider, errors } = await loadOidcProvider();
  const contexts = grantContexts(options.connection);
  const resourceServer = {
    scope: 'api',
    audience: options.audience,
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: options.accessTokenTtlSeconds,
    jwt: { sign: { alg: 'RS256' as const } },
  };
  const portalOrigins = new Set(options.portal.redirectUris.map((uri) => new URL(uri).origin));

  const clients: ClientMetadata[] = [
    {
      client_id: options.portal.clientId,
      client_name: 'LienKet',
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: options.portal.redirectUris,
      post_logout_redirect_uris: options.portal.postLogoutRedirectUris,
    },
    ...options.apiClients.map(
      (c): ClientMetadata => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      }),
    ),
  ];

  const configuration: Configuration = {
    adapter: mongoOidcAdapter(options.connection),
    clients,
    jwks: options.keys.jwks as Configuration['jwks'],
    cookies: {
      keys: options.keys.cookieKeys,
      // HttpOnly and SameSite=Lax; oidc-provider adds Secure when the request came over TLS.
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    // Authorization code only (no implicit or hybrid responses); PKCE for every client.
    responseTypes: ['code', 'none'],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'api'],
    claims: { openid: ['sub'], profile: ['name'] },
    extraParams: ['organisation_id', 'delegation_id'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? options.resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== options.resource) throw new errors.InvalidTarget();
          return resourceServer;
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            { vi: 'Đăng xuất', en: 'Sign out' },
            `<p>${bilingual('Đăng xuất khỏi LienKet trên mọi thiết bị?', 'Sign out of LienKet on every device?')}</p>
${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${bilingual('Đăng xuất', 'Sign out')}</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page(
            { vi: 'Đã đăng xuất', en: 'Signed out' },
            `<p>${bilingual('Bạn đã đăng xuất trên mọi thiết bị.', 'You are signed out on every device.')}</p>`,
          );
        },
      },
    },
    clientBasedCORS: (_ctx, origin) => portalOrigins.has(origin),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      ClientCredentials: options.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 3600,
      Grant: options.refreshTokenTtlSeconds,
      Session: options.sessionTtlSeconds,
      RefreshToken: options.refreshTokenTtlSeconds,
      IdToken: 3600,
    },
    // The portal refreshes silently: a refresh token for every code exchange (rotated on each use,
    // oidc-provider's default for public clients; bound to the session unless offline_access).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    async findAccount(_ctx, sub) {
      const account = await options.findAccount(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: account.displayName }) };
    },
    // A grant speaks for one organisation or one delegation; asking for another needs a new grant.
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId || ctx.oidc.session?.grantIdFor(ctx.oidc.client?.clientId ?? '');
      if (!grantId) return undefined;
      const context = await contexts.get(grantId);
      const wanted = String(ctx.oidc.params?.delegation_id ?? '');
      if ((context?.delegationId ?? '') !== wanted) return undefined;
      return ctx.oidc.provider.Grant.find(grantId);
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind === 'ClientCredentials') return { role: 'analyst', org_id: '' };
      const accountId = (token as { accountId?: string }).accountId;
      if (!accountId) return undefined;
      const grantId = (token as { grantId?: string }).grantId;
      const context = grantId ? await contexts.get(grantId) : undefined;
      try {
        return await options.claimsFor(accountId, context ?? undefined);
      } catch (error) {
        if (error instanceof AppError) throw new errors.InvalidGrant(error.message);
        throw error;
      }
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page(
        { vi: 'Không thể tiếp tục', en: 'Cannot continue' },
        `<p class="error" role="alert">${escapeHtml(out.error_description ?? out.error)}</p>
<p><a href="/">${bilingual('Về trang chủ', 'Home')}</a></p>`,
      );
    },
  };

  const provider = new OidcProvider(options.issuer, configuration);
  provider.proxy = options.trustProxy;
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return;
    revokeAccountArtifacts(options.connection, accountId)
      .then(() => options.onSignedOutEverywhere(accountId))
      .catch((error) => options.log.error({ err: error }, 'sign out everywhere failed'));
  });
  provider.on('server_error', (_ctx: unknown, error: Error) =>
    options.log.error({ err: error }, 'oidc server error'),
  );
  return provider;
}
