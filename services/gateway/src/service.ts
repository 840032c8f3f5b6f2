import type { Server } from 'node:http';
import {
  insightsServiceV1 as ins,
  matchmakingServiceV1 as mm,
  registryServiceV1 as reg,
  Topics,
  techtransferServiceV1 as tts,
} from '@lienket/contracts';
import { createKafka } from '@lienket/eventbus';
import {
  createGrpcClient,
  type Logger,
  monitorStoreCommands,
  startGrpcServer,
  startMetricsServer,
} from '@lienket/platform';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { createApp } from './app';
import { createVerifier } from './auth';
import { startCacheInvalidator } from './cache/invalidator';
import { registerCacheMetrics } from './cache/metrics';
import { ReadCache } from './cache/read-cache';
import type { GatewayConfig } from './config';
import { modules } from './extensions';
import type { AnyRoute } from './http/api';
import type { Documentation } from './http/openapi';
import type { ServiceClients } from './routes/clients';
import { insightsRoutes } from './routes/insights';
import { matchmakingRoutes } from './routes/matchmaking';
import { enterpriseKey, registryRoutes } from './routes/registry';
import { techTransferRoutes } from './routes/techtransfer';

export const allRoutes = (clients: ServiceClients): AnyRoute[] => [
  ...registryRoutes(clients),
  ...matchmakingRoutes(clients),
  ...techTransferRoutes(clients),
  ...insightsRoutes(clients),
];

interface Part {
  name: string;
  stop(): Promise<void>;
}

/** Wires the gateway from its config; main.ts runs it, tests start it in-process. */
export async function startGateway(config: GatewayConfig, log: Logger) {
  const parts: Part[] = [];
  const options = { deadlineMs: config.GRPC_DEADLINE_MS };
  const clients: ServiceClients = {
    registry: createGrpcClient(reg.RegistryServiceService, config.REGISTRY_ADDR, options),
    matchmaking: createGrpcClient(mm.MatchmakingServiceService, config.MATCHMAKING_ADDR, options),
    techtransfer: createGrpcClient(tts.TechTransferServiceService, config.TECHTRANSFER_ADDR, options),
    insights: createGrpcClient(ins.InsightsServiceService, config.INSIGHTS_ADDR, options),
  };
  parts.push({
    name: 'clients',
    stop: async () => {
      for (const client of Object.values(clients)) client.close();
    },
  });

  // The gateway's own database (subscriptions and deliveries); never another service's.
  const connection = await mongoose
    // monitorCommands: store command metrics (lienket_store_commands_total).
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
      monitorCommands: true,
    })
    .asPromise();
  monitorStoreCommands(connection.getClient());
  const db = connection.db as mongoose.mongo.Db;
  parts.push({ name: 'mongo', stop: () => connection.close() });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lienket-gateway', log });

  const routes = allRoutes(clients);
  const extensions: ((app: Express) => void)[] = [];
  const documentation: Documentation = { paths: {}, schemas: {} };
  const context = { config, log, db, kafka, parts, extensions, clients, documentation };
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
      groupPrefix: `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}`,
      log,
    });
    // Not awaited: the gateway answers at once, from the services until the cache is live.
    void invalidator.start().catch((error: unknown) => {
      log.warn({ err: error }, 'read cache invalidation did not start; reads go to the services');
    });
    parts.push({ name: 'read-cache', stop: () => invalidator.stop() });
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
    extensions,
    documentation,
    cache,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.HTTP_PORT, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.HTTP_PORT;
  parts.push({
    name: 'http',
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  // Health and reflection over gRPC too, so the platform starts and probes every service alike.
  const grpcServer = await startGrpcServer({ services: [], port: config.GRPC_PORT, log });
  parts.push({ name: 'grpc', stop: () => grpcServer.stop() });
  const metrics = await startMetricsServer(config.METRICS_PORT);
  parts.push({ name: 'metrics', stop: () => metrics.stop() });

  return {
    httpPort,
    grpcPort: grpcServer.port,
    metricsPort: metrics.port,
    url: `http://127.0.0.1:${httpPort}`,
    routes,
    app,
    db,
    cache,
    parts,
    async stop() {
      for (const part of [...parts].reverse()) await part.stop();
    },
  };
}

export type { GatewayContext } from './context';
