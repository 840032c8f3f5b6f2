import {
  identityServiceV1 as ids,
  insightsServiceV1 as ins,
  matchmakingServiceV1 as mm,
  programmeServiceV1 as ps,
  registryServiceV1 as reg,
  Topics,
  techtransferServiceV1 as tts,
} from '@lienket/contracts';
import { createGrpcClient, type Logger } from '@lienket/platform';
import { startServiceRuntime } from '@lienket/runtime';
import { createApp } from './app';
import { createVerifier } from './auth';
import { startCacheInvalidator } from './cache/invalidator';
import { registerCacheMetrics } from './cache/metrics';
import { ReadCache } from './cache/read-cache';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { modules } from './extensions';
import type { AnyRoute } from './http/api';
import type { ServiceClients } from './routes/clients';
import { identityRoutes } from './routes/identity';
import { insightsRoutes } from './routes/insights';
import { matchmakingRoutes } from './routes/matchmaking';
import { programmeRoutes } from './routes/programme';
import { enterpriseKey, registryRoutes } from './routes/registry';
import { techTransferRoutes } from './routes/techtransfer';

export const allRoutes = (clients: ServiceClients): AnyRoute[] => [
  ...registryRoutes(clients),
  ...matchmakingRoutes(clients),
  ...techTransferRoutes(clients),
  ...insightsRoutes(clients),
  ...programmeRoutes(clients),
  ...identityRoutes(clients),
];

/** Wires the gateway from its config; main.ts runs it, tests start it in-process. */
export async function startGateway(config: GatewayConfig, log: Logger) {
  // The gateway's own database (subscriptions and deliveries), never another service's; it publishes
  // no events, and its modules create the topics they read.
  const runtime = await startServiceRuntime({ name: 'gateway', config, log, publisher: false });
  const { db, kafka } = runtime;

  const options = { deadlineMs: config.GRPC_DEADLINE_MS };
  const clients: ServiceClients = {
    registry: createGrpcClient(reg.RegistryServiceService, config.REGISTRY_ADDR, options),
    matchmaking: createGrpcClient(mm.MatchmakingServiceService, config.MATCHMAKING_ADDR, options),
    techtransfer: createGrpcClient(tts.TechTransferServiceService, config.TECHTRANSFER_ADDR, options),
    insights: createGrpcClient(ins.InsightsServiceService, config.INSIGHTS_ADDR, options),
    programme: createGrpcClient(ps.ProgrammeServiceService, config.PROGRAMME_ADDR, options),
    identity: config.IDENTITY_ADDR
      ? createGrpcClient(ids.IdentityServiceService, config.IDENTITY_ADDR, options)
      : undefined,
  };
  runtime.onStop('clients', async () => {
    for (const client of Object.values(clients)) client?.close();
  });

  const routes = allRoutes(clients);
  const context: GatewayContext = {
    config,
    log,
    db,
    connection: runtime.connection,
    kafka,
    parts: runtime.parts,
    extensions: [],
    stats: {},
    clients,
    documentation: { paths: {}, schemas: {} },
  };
  for (const install of modules) await install(context);

  // The read cache, live once its invalidating consumer reads the registry's enterprise changes.
  const cache = new ReadCache({ ttlMs: config.READ_CACHE_TTL_MS, maxEntries: config.READ_CACHE_MAX_ENTRIES });
  registerCacheMetrics(cache);
  if (cache.enabled) {
    const invalidator = startCacheInvalidator({
      kafka,
      cache,
      topics: {
        [`${config.KAFKA_TOPIC_PREFIX}${Topics.registryEnterprise}`]: (id) =>
          enterpriseKey({ enterpriseId: id }),
      },
      groupPrefix: runtime.groupId(),
      log,
    });
    // Not awaited: the gateway answers at once, from the services until the cache is live.
    void invalidator.start().catch((error: unknown) => {
      log.warn({ err: error }, 'read cache invalidation did not start; reads go to the services');
    });
    runtime.onStop('read-cache', () => invalidator.stop());
  }

  const publicUrl = config.PUBLIC_URL ?? `http://127.0.0.1:${config.HTTP_PORT}`;
  const app = createApp({
    routes,
    verify: createVerifier({
      jwksUrl: config.AUTH_JWKS_URL,
      devSecret: config.AUTH_DEV_SECRET,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      cacheMs: config.TOKEN_CACHE_MS,
    }),
    log,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    publicUrl,
    extensions: context.extensions,
    documentation: context.documentation,
    cache,
  });
  const httpPort = await runtime.serveHttp(app, config.HTTP_PORT);
  // Health and reflection over gRPC too, so the platform starts and probes every service alike.
  await runtime.serveGrpc([]);

  return runtime.started({
    httpPort,
    url: `http://127.0.0.1:${httpPort}`,
    routes,
    app,
    cache,
    stats: context.stats,
  });
}

export type { GatewayContext } from './context';
