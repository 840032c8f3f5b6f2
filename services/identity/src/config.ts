import { env, loadConfig, relayEnv, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    );

export const identityConfigSchema = z.object({
  ...serviceEnv({ name: 'identity', grpcPort: 50055, metricsPort: 9405 }),
  ...relayEnv,
  /** OpenID Provider and the sign-in pages. */
  HTTP_PORT: env.port(8090),
  /** The issuer URL as clients reach it (`iss` of every token; the gateway's AUTH_ISSUER). */
  ISSUER: z.string().url().default('http://127.0.0.1:8090'),
  /** Behind a TLS-terminating proxy: read X-Forwarded-* (client address, https, so cookies get Secure). */
  TRUST_PROXY: env.flag(false),
  /** `aud` of access tokens for the LienKet API (the gateway's AUTH_AUDIENCE). */
  AUTH_AUDIENCE: z.string().min(1).default('lienket-api'),
  /** Resource indicator (RFC 8707) clients name for the LienKet API; the default one. */
  API_RESOURCE: z.string().url().default('urn:lienket:api'),
  PORTAL_CLIENT_ID: z.string().min(1).default('lienket-portal'),
  PORTAL_REDIRECT_URIS: list('http://127.0.0.1:8080/auth/callback,http://localhost:8080/auth/callback'),
  PORTAL_POST_LOGOUT_URIS: list('http://127.0.0.1:8080/,http://localhost:8080/'),
  /** Analysts' API clients (client credentials): `id:secret,id:secret`. */
  API_CLIENTS: list('').pipe(
    z.array(
      z
        .string()
        .regex(/^[\w.-]+:.{16,}$/, 'each entry is client_id:secret with a secret of 16+ characters')
        .transform((entry) => {
          const at = entry.indexOf(':');
          return { clientId: entry.slice(0, at), clientSecret: entry.slice(at + 1) };
        }),
    ),
  ),
  ACCESS_TOKEN_TTL_S: env.positiveInt(600),
  REFRESH_TOKEN_TTL_S: env.positiveInt(14 * 86_400),
  SESSION_TTL_S: env.positiveInt(14 * 86_400),
  REGISTRY_ADDR: env.address().default('127.0.0.1:50051'),
  GRPC_DEADLINE_MS: env.positiveInt(5_000),
  /** log2 of scrypt's cost; 17 (128 MiB per hash) unless a test lowers it. */
  PASSWORD_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(17),
  SIGN_IN_MAX_FAILURES_PER_LOGIN: env.positiveInt(5),
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: env.positiveInt(30),
  SIGN_IN_WINDOW_MS: env.positiveInt(15 * 60_000),
  SIGN_IN_LOCK_MS: env.positiveInt(15 * 60_000),
  /** Expired oidc-provider records and sign-in counters are deleted this often (no TTL indexes). */
  CLEANUP_INTERVAL_MS: env.positiveInt(300_000),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

export const loadIdentityConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(identityConfigSchema, source);
