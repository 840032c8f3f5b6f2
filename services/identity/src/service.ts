import type { Server } from 'node:http';
import { Topics } from '@lienket/contracts';
import { createEventPublisher, createKafka, createOutboxRelay, ensureTopics } from '@lienket/eventbus';
import {
  type Logger,
  monitorStoreCommands,
  startGrpcServer,
  startMetricsServer,
  startPeriodicJob,
  uuidv7,
} from '@lienket/platform';
import express from 'express';
import helmet from 'helmet';
import mongoose from 'mongoose';
import { createScryptHasher } from './adapters/crypto/scrypt-hasher';
import { makeIdentityGrpc } from './adapters/grpc/identity-grpc';
import { createRegistryClient } from './adapters/grpc/registry-client';
import { interactionRoutes } from './adapters/http/interactions';
import { outboxCollections } from './adapters/mongo/models';
import { createMongoIdentityStore, ensureIdentityIndexes } from './adapters/mongo/store';
import { loadOrCreateKeys } from './adapters/oidc/keys';
import { ensureOidcIndexes, grantContexts, pruneExpired } from './adapters/oidc/mongo-adapter';
import { createOidcProvider } from './adapters/oidc/provider';
import { makeIdentity } from './app/identity';
import type { EnterpriseRegistry } from './app/ports';
import type { IdentityConfig } from './config';

export const IDENTITY_SOURCE = '/lienket/identity';

/** Wires the identity service from its config; main.ts runs it, integration tests start it in-process. */
export interface StartOptions {
  clock?: () => Date;
  /** A registry other than the one at REGISTRY_ADDR (tests). */
  registry?: EnterpriseRegistry;
}

export async function startIdentity(config: IdentityConfig, log: Logger, options: StartOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const connection = await mongoose
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
      monitorCommands: true,
    })
    .asPromise();
  monitorStoreCommands(connection.getClient());
  const db = connection.db as mongoose.mongo.Db;
  const store = createMongoIdentityStore(connection);
  await ensureIdentityIndexes(store.models);
  await ensureOidcIndexes(connection);
  await grantContexts(connection).model.createIndexes();

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lienket-identity', log });
  await ensureTopics(
    kafka,
    [Topics.identityAccount, Topics.identityMembership, Topics.identityDelegation].map(
      (t) => config.KAFKA_TOPIC_PREFIX + t,
    ),
    { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
  );
  const publisher = await createEventPublisher({
    kafka,
    source: IDENTITY_SOURCE,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    log,
  });
  const relay = createOutboxRelay({
    db,
    collections: outboxCollections,
    publisher,
    log,
    pollIntervalMs: config.RELAY_POLL_MS,
  });
  relay.start();

  const registryClient = options.registry
    ? undefined
    : createRegistryClient(config.REGISTRY_ADDR, config.GRPC_DEADLINE_MS);
  const rule = (maxFailures: number) => ({
    maxFailures,
    windowMs: config.SIGN_IN_WINDOW_MS,
    lockMs: config.SIGN_IN_LOCK_MS,
  });
  const identity = makeIdentity(
    {
      store,
      hasher: createScryptHasher({ logN: config.PASSWORD_SCRYPT_LOG_N, r: 8, p: 1 }),
      clock,
      newId: () => uuidv7(clock().getTime()),
      source: IDENTITY_SOURCE,
      afterWrite: () => relay.notify(),
    },
    {
      registry: options.registry ?? (registryClient as EnterpriseRegistry),
      throttle: {
        perLogin: rule(config.SIGN_IN_MAX_FAILURES_PER_LOGIN),
        perAddress: rule(config.SIGN_IN_MAX_FAILURES_PER_ADDRESS),
      },
    },
  );

  const keys = await loadOrCreateKeys(connection);
  const provider = await createOidcProvider({
    issuer: config.ISSUER,
    connection,
    keys,
    portal: {
      clientId: config.PORTAL_CLIENT_ID,
      redirectUris: config.PORTAL_REDIRECT_URIS,
      postLogoutRedirectUris: config.PORTAL_POST_LOGOUT_URIS,
    },
    apiClients: config.API_CLIENTS,
    resource: config.API_RESOURCE,
    audience: config.AUTH_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
    sessionTtlSeconds: config.SESSION_TTL_S,
    trustProxy: config.TRUST_PROXY,
    claimsFor: (accountId, context) => identity.claimsFor(accountId, context),
    findAccount: async (accountId) => {
      const account = await store.getAccount(accountId);
      return account && !account.disabled ? { displayName: account.displayName } : undefined;
    },
    onSignedOutEverywhere: (accountId) => identity.signOutEverywhere(accountId),
    log: log.child({ component: 'oidc' }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  // oidc-provider's example drops form-action: the sign-in form's answer redirects to the client.
  const directives = helmet.contentSecurityPolicy.getDefaultDirectives();
  delete directives['form-action'];
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives } }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    interactionRoutes({
      provider,
      identity,
      connection,
      firstPartyClients: new Set([config.PORTAL_CLIENT_ID]),
      csrfSecret: keys.cookieKeys[0] ?? '',
      issuerOrigin: new URL(config.ISSUER).origin,
      log: log.child({ component: 'interactions' }),
    }),
  );
  app.use(provider.callback());
  const http = await new Promise<Server>((resolve, reject) => {
    const server = app.listen(config.HTTP_PORT, () => resolve(server));
    server.once('error', reject);
  });
  const httpPort = (http.address() as { port: number }).port;

  const metrics = await startMetricsServer(config.METRICS_PORT);
  const server = await startGrpcServer({
    services: [makeIdentityGrpc({ identity, log: log.child({ component: 'grpc' }), clock })],
    port: config.GRPC_PORT,
    log,
  });

  const cleanupLog = log.child({ component: 'cleanup' });
  const cleanup = startPeriodicJob(
    'expired oidc records and sign-in counters',
    config.CLEANUP_INTERVAL_MS,
    async () => {
      const expired = await pruneExpired(connection, clock());
      const counters = await identity.pruneAttempts();
      if (expired + counters > 0) cleanupLog.info({ expired, counters }, 'cleanup pass');
    },
    cleanupLog,
  );

  return {
    grpcPort: server.port,
    httpPort,
    metricsPort: metrics.port,
    identity,
    provider,
    connection,
    relay,
    db,
    parts: [
      { name: 'mongo', stop: () => connection.close() },
      { name: 'publisher', stop: () => publisher.disconnect() },
      { name: 'relay', stop: () => relay.stop() },
      { name: 'registry client', stop: async () => registryClient?.close() },
      cleanup,
      { name: 'metrics', stop: () => metrics.stop() },
      { name: 'grpc', stop: () => server.stop() },
      {
        name: 'http',
        stop: () =>
          new Promise<void>((resolve) => {
            http.close(() => resolve());
            http.closeAllConnections();
          }),
      },
    ],
    async stop() {
      for (const part of [...this.parts].reverse()) await part.stop();
    },
  };
}
