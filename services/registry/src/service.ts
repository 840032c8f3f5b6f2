import { Events, Topics } from '@lienket/contracts';
import {
  createEventConsumer,
  createEventPublisher,
  createKafka,
  createOutboxRelay,
  ensureTopics,
  on,
} from '@lienket/eventbus';
import {
  type Logger,
  monitorStoreCommands,
  startGrpcServer,
  startMetricsServer,
  startPeriodicJob,
  uuidv7,
} from '@lienket/platform';
import { regionOf } from '@lienket/reference';
import mongoose from 'mongoose';
import { makeRegistryGrpc } from './adapters/grpc/registry-grpc';
import {
  createMongoRegistryStore,
  ensureRegistryIndexes,
  grantContacts,
  outboxCollections,
} from './adapters/mongo/store';
import { makeRegistry } from './app/registry';
import type { RegistryConfig } from './config';
import { defaultPostingRules } from './domain/postings';

export const REGISTRY_SOURCE = '/lienket/registry';

/** Wires the registry from its config; main.ts runs it, integration tests start it in-process. */
export interface StartOptions {
  clock?: () => Date;
  /** False starts no outbox relay (tests of a crash between write and publish). */
  relay?: boolean;
}

export async function startRegistry(config: RegistryConfig, log: Logger, options: StartOptions = {}) {
  const connection = await mongoose
    // monitorCommands: the outbox relay learns which documents this process left pending from its own
    // writes, and store command metrics (lienket_store_commands_total).
    .createConnection(config.MONGO_URL, {
      dbName: config.MONGO_DB,
      serverSelectionTimeoutMS: 10_000,
      monitorCommands: true,
    })
    .asPromise();
  monitorStoreCommands(connection.getClient());
  const db = connection.db as mongoose.mongo.Db;
  await ensureRegistryIndexes(connection);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lienket-registry', log });
  // The proposal topic is created here too so the registry can subscribe before matchmaking runs.
  const topics = [
    Topics.registryEnterprise,
    Topics.registryCapability,
    Topics.registryNeed,
    Topics.registryCluster,
    Topics.matchmakingProposal,
  ];
  await ensureTopics(
    kafka,
    topics.map((t) => config.KAFKA_TOPIC_PREFIX + t),
    { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
  );
  const publisher = await createEventPublisher({
    kafka,
    source: REGISTRY_SOURCE,
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
  if (options.relay !== false) relay.start();

  const registry = makeRegistry({
    store: createMongoRegistryStore(connection, (code) => regionOf(code) ?? ''),
    clock: options.clock ?? (() => new Date()),
    newId: () => uuidv7(),
    rules: { ...defaultPostingRules, maxOpenPostings: config.MAX_OPEN_POSTINGS },
    source: REGISTRY_SOURCE,
    afterWrite: () => relay.notify(),
  });

  // Established matches release each party's contact to the other (and to nobody else).
  const linkages = createEventConsumer({
    kafka,
    db,
    publisher,
    log,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    groupId: `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}`,
    subscriptions: [on(Events.linkageEstablished, (payload) => grantContacts(connection, payload))],
  });
  await linkages.start();

  const metrics = await startMetricsServer(config.METRICS_PORT);
  const server = await startGrpcServer({
    services: [makeRegistryGrpc({ registry, log: log.child({ component: 'grpc' }) })],
    port: config.GRPC_PORT,
    log,
  });

  const expiryLog = log.child({ component: 'expiry' });
  const expiry = startPeriodicJob(
    'expiry',
    config.EXPIRY_INTERVAL_MS,
    async () => {
      const result = await registry.runExpiry();
      if (result.expired + result.warned > 0) expiryLog.info(result, 'expiry pass');
    },
    expiryLog,
  );

  const reconcileLog = log.child({ component: 'counters' });
  const reconcile = startPeriodicJob(
    'open-postings counters',
    config.RECONCILE_INTERVAL_MS,
    async () => {
      const result = await registry.reconcileOpenPostings();
      for (const drift of result.corrected)
        reconcileLog.warn(drift, 'open-postings counter corrected to the open postings');
    },
    reconcileLog,
  );

  return {
    grpcPort: server.port,
    metricsPort: metrics.port,
    registry,
    relay,
    db,
    parts: [
      { name: 'mongo', stop: () => connection.close() },
      { name: 'publisher', stop: () => publisher.disconnect() },
      { name: 'relay', stop: () => relay.stop() },
      { name: 'linkages', stop: () => linkages.stop() },
      expiry,
      reconcile,
      { name: 'metrics', stop: () => metrics.stop() },
      { name: 'grpc', stop: () => server.stop() },
    ],
    async stop() {
      for (const part of [...this.parts].reverse()) await part.stop();
    },
  };
}
