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
import mongoose from 'mongoose';
import { makeTechTransferGrpc } from './adapters/grpc/techtransfer-grpc';
import { createRegistryConsumer } from './adapters/kafka/consumers';
import {
  createMongoTechTransferStore,
  ensureTechTransferIndexes,
  outboxCollections,
} from './adapters/mongo/store';
import { makeTechTransfer } from './app/techtransfer';
import type { TechTransferConfig } from './config';

export const TECHTRANSFER_SOURCE = '/lienket/techtransfer';

export interface StartOptions {
  clock?: () => Date;
  /** False starts no outbox relay. */
  relay?: boolean;
}

/** Wires the service from its config; main.ts runs it, integration tests start it in-process. */
export async function startTechTransfer(config: TechTransferConfig, log: Logger, options: StartOptions = {}) {
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
  await ensureTechTransferIndexes(connection);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lienket-techtransfer', log });
  // The registry topics are created here too so this service can subscribe before the registry runs.
  const topics = [
    Topics.techtransferOffer,
    Topics.techtransferRequest,
    Topics.techtransferInterest,
    Topics.techtransferProgramme,
    Topics.techtransferCoFunding,
    Topics.registryEnterprise,
    Topics.registryNeed,
  ];
  await ensureTopics(
    kafka,
    topics.map((t) => config.KAFKA_TOPIC_PREFIX + t),
    { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
  );
  const publisher = await createEventPublisher({
    kafka,
    source: TECHTRANSFER_SOURCE,
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

  const store = createMongoTechTransferStore(connection);
  const techtransfer = makeTechTransfer({
    store,
    clock: options.clock ?? (() => new Date()),
    newId: () => uuidv7(),
    source: TECHTRANSFER_SOURCE,
    afterWrite: () => relay.notify(),
    offerRules: {
      defaultValidityDays: config.OFFER_VALIDITY_DAYS,
      maxValidityDays: config.OFFER_MAX_VALIDITY_DAYS,
    },
    interestRules: {
      responseDays: config.INTEREST_RESPONSE_DAYS,
      negotiationIdleDays: config.NEGOTIATION_IDLE_DAYS,
      reminderDays: config.REMINDER_DAYS,
    },
    ranking: { threshold: config.RANK_THRESHOLD, candidates: config.RANK_CANDIDATES },
    approvalClaimTimeoutMs: config.APPROVAL_CLAIM_TIMEOUT_MS,
  });

  const registryConsumer = createRegistryConsumer({
    kafka,
    db,
    publisher,
    store,
    techtransfer,
    log: log.child({ component: 'registry-consumer' }),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    groupId: config.CONSUMER_GROUP,
  });
  await registryConsumer.start();

  const metrics = await startMetricsServer(config.METRICS_PORT);
  const server = await startGrpcServer({
    services: [makeTechTransferGrpc({ techtransfer, log: log.child({ component: 'grpc' }) })],
    port: config.GRPC_PORT,
    log,
  });

  const deadlineLog = log.child({ component: 'deadlines' });
  const deadlines = startPeriodicJob(
    'deadlines',
    config.DEADLINE_INTERVAL_MS,
    async () => {
      const counts = await techtransfer.runDeadlines();
      if (Object.values(counts).some((n) => n > 0)) deadlineLog.info(counts, 'deadline pass');
    },
    deadlineLog,
  );

  return {
    grpcPort: server.port,
    metricsPort: metrics.port,
    techtransfer,
    store,
    relay,
    db,
    parts: [
      { name: 'mongo', stop: () => connection.close() },
      { name: 'publisher', stop: () => publisher.disconnect() },
      { name: 'relay', stop: () => relay.stop() },
      { name: 'registry-consumer', stop: () => registryConsumer.stop() },
      deadlines,
      { name: 'metrics', stop: () => metrics.stop() },
      { name: 'grpc', stop: () => server.stop() },
    ],
    async stop() {
      for (const part of [...this.parts].reverse()) await part.stop();
    },
  };
}
