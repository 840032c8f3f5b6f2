import { env, loadConfig, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

export const gatewayConfigSchema = z.object({
  /**
   * GRPC_PORT serves gRPC health and reflection only (the gateway serves no gRPC API); MONGO_DB is
   * the gateway's own (webhook subscriptions and deliveries).
   */
  ...serviceEnv({ name: 'gateway', grpcPort: 50060, metricsPort: 9400 }),
  HTTP_PORT: env.port(8080),
  /** Where the API is reached from outside, for the documents and printed links. */
  PUBLIC_URL: z.string().url().optional(),
  REGISTRY_ADDR: z.string().default('127.0.0.1:50051'),
  MATCHMAKING_ADDR: z.string().default('127.0.0.1:50052'),
  TECHTRANSFER_ADDR: z.string().default('127.0.0.1:50053'),
  INSIGHTS_ADDR: z.string().default('127.0.0.1:50054'),
  /** The promotion programme's service (schemes, budgets, pledges, plans, cluster sites). */
  PROGRAMME_ADDR: z.string().default('127.0.0.1:50056'),
  /**
   * The identity service's gRPC API: with it the gateway routes invitations and delegations (`npm start`
   * sets it); without it those routes are not offered. Its OpenID Provider is AUTH_ISSUER.
   */
  IDENTITY_ADDR: z.string().min(1).optional(),
  GRPC_DEADLINE_MS: env.positiveInt(5_000),
  /** JWKS of the identity provider (e.g. Keycloak's …/protocol/openid-connect/certs). */
  AUTH_JWKS_URL: z.string().url().optional(),
  /** A local HS256 signing secret (development); used when no JWKS is configured. */
  AUTH_DEV_SECRET: z.string().min(32).optional(),
  AUTH_ISSUER: z.string().default('lienket-dev'),
  AUTH_AUDIENCE: z.string().default('lienket-api'),
  /** With AUTH_JWKS_URL: the portal signs people in at AUTH_ISSUER as this public client (code + PKCE). */
  PORTAL_CLIENT_ID: z.string().min(1).default('lienket-portal'),
  /** The resource indicator (RFC 8707) the portal asks tokens for; they carry AUTH_AUDIENCE. */
  AUTH_RESOURCE: z.string().min(1).default('urn:lienket:api'),
  /** Comma-separated origins allowed by CORS; empty allows none, `*` any. */
  CORS_ORIGINS: z.string().default(''),
  BODY_LIMIT: z.string().default('256kb'),
  /** Requests per minute per caller (token subject, else client address). */
  RATE_LIMIT_PER_MINUTE: env.positiveInt(600),
  /**
   * Public read answers (an enterprise's profile) are cached this long at most; an entry is dropped
   * as soon as the registry publishes a change to it, and the cache serves only while this instance
   * reads those changes. 0 turns the cache off.
   */
  READ_CACHE_TTL_MS: z.coerce.number().int().min(0).default(120_000),
  READ_CACHE_MAX_ENTRIES: env.positiveInt(50_000),
  /** A verified bearer token is trusted this long without checking it again (never past its expiry). */
  TOKEN_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  STREAM_HEARTBEAT_MS: env.positiveInt(15_000),
  /** Events a stream client may lag behind before it is cut off (it resumes with Last-Event-ID). */
  STREAM_MAX_BUFFERED: env.positiveInt(1_000),
  /**
   * The latest events the gateway's one stream consumer keeps per partition, and their bytes over all
   * partitions: a stream resumed within them reads from memory, an older one from Kafka.
   */
  STREAM_REPLAY_EVENTS: env.positiveInt(10_000),
  STREAM_REPLAY_BYTES: env.positiveInt(64 * 1024 * 1024),
  /** Open event streams per gateway instance, and per caller. */
  STREAM_MAX_CONNECTIONS: env.positiveInt(200),
  STREAM_MAX_PER_CALLER: env.positiveInt(20),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: env.flag(false),
  WEBHOOK_MAX_ATTEMPTS: env.positiveInt(8),
  WEBHOOK_INITIAL_BACKOFF_MS: env.positiveInt(1_000),
  WEBHOOK_MAX_BACKOFF_MS: env.positiveInt(600_000),
  WEBHOOK_TIMEOUT_MS: env.positiveInt(5_000),
  WEBHOOK_POLL_MS: env.positiveInt(500),
  /**
   * Shortest time between two reads of the webhook subscriptions' version (ADR 0016): events wait
   * for a read begun after they arrived, shared by all that arrive meanwhile.
   */
  WEBHOOK_SUBSCRIPTIONS_CHECK_MS: env.positiveInt(200),
  /** Webhook deliveries one gateway instance sends at the same time. */
  WEBHOOK_CONCURRENCY: env.positiveInt(16),
  /** Finished webhook deliveries (delivered, failed, dead) stay in the log this long. */
  WEBHOOK_RETENTION_DAYS: env.positiveInt(30),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(gatewayConfigSchema, source);
