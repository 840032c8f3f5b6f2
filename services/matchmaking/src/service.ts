import { randomUUID } from 'node:crypto';
import { Topics } from '@lienket/contracts';
import { createEventPublisher, createKafka, createOutboxRelay, ensureTopics } from '@lienket/eventbus';
import { normaliseWeights } from '@lienket/matching';
import {
  type Logger,
  monitorStoreCommands,
  startGrpcServer,
  startMetricsServer,
  startPeriodicJob,
} from '@lienket/platform';
import mongoose from 'mongoose';
import { makeMatchmakingGrpc } from './adapters/grpc/matchmaking-grpc';
import {
  createActionConsumer,
  createIndexConsumer,
  createIndexProgress,
  indexGroupId,
} from './adapters/kafka/consumers';
import { createMatchmakingStore, ensureMatchmakingIndexes, outboxCollections } from './adapters/mongo/store';
import { makeMatchmaking } from './app/matchmaking';
import type { MatchmakingConfig } from './config';

export const MATCHMAKING_SOURCE = '/lienket/matchmaking';

export interface StartOptions {
  clock?: () => Date;
}

/** Wires matchmaking; main.ts runs it, integration tests start it in-process. */
export async function startMatchmaking(config: MatchmakingConfig, log: Logger, options: StartOptions = {}) {
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
  await ensureMatchmakingIndexes(connection);

  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: `lienket-matchmaking-${config.INSTANCE_ID}`,
    log,
  });
  const prefix = config.KAFKA_TOPIC_PREFIX;
  await ensureTopics(
    kafka,
    [
      Topics.registryEnterprise,
      Topics.registryCapability,
      Topics.registryNeed,
      Topics.matchmakingProposal,
      Topics.matchmakingDemand,
    ].map((t) => prefix + t),
    { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
  );
  const publisher = await createEventPublisher({
    kafka,
    source: MATCHMAKING_SOURCE,
    topicPrefix: prefix,
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

  const matchmaking = makeMatchmaking({
    store: createMatchmakingStore(connection),
    clock: options.clock ?? (() => new Date()),
    newId: () => randomUUID(),
    settings: {
      k: config.MATCH_TOP_K,
      threshold: config.MATCH_THRESHOLD,
      proposalTtlDays: config.PROPOSAL_TTL_DAYS,
      weights: normaliseWeights({
        product: config.WEIGHT_PRODUCT,
        keywords: config.WEIGHT_KEYWORDS,
        capacity: config.WEIGHT_CAPACITY,
        lead_time: config.WEIGHT_LEAD_TIME,
        geography: config.WEIGHT_GEOGRAPHY,
        policy: config.WEIGHT_POLICY,
        trust: config.WEIGHT_TRUST,
        freshness: config.WEIGHT_FRESHNESS,
        responsiveness: config.WEIGHT_RESPONSIVENESS,
      }),
    },
    source: MATCHMAKING_SOURCE,
    afterWrite: () => relay.notify(),
  });
  const loaded = await matchmaking.loadIndexes();
  log.info(loaded, 'index loaded from the stored projection');

  const progress = createIndexProgress(kafka, prefix, log);
  const deps = {
    kafka,
    db,
    publisher,
    matchmaking,
    log,
    topicPrefix: prefix,
    groupId: config.CONSUMER_GROUP,
    instanceId: config.INSTANCE_ID,
    concurrency: config.CONSUMER_CONCURRENCY,
    progress,
  };
  await progress.resume(indexGroupId(deps));
  const indexConsumer = createIndexConsumer(deps);
  const actionConsumer = createActionConsumer(deps);
  await indexConsumer.start();
  await actionConsumer.start();

  const metrics = await startMetricsServer(config.METRICS_PORT);
  const server = await startGrpcServer({
    services: [makeMatchmakingGrpc({ matchmaking, log: log.child({ component: 'grpc' }) })],
    port: config.GRPC_PORT,
    log,
  });

  const jobLog = log.child({ component: 'jobs' });
  const jobs = startPeriodicJob(
    'proposal-expiry',
    config.PROPOSAL_EXPIRY_INTERVAL_MS,
    async () => {
      const expired = await matchmaking.expireProposals();
      if (expired > 0) jobLog.info({ expired }, 'proposals expired');
      await matchmaking.refreshResponsiveness();
    },
    jobLog,
  );

  const parts = [
    { name: 'mongo', stop: () => connection.close() },
    { name: 'publisher', stop: () => publisher.disconnect() },
    { name: 'relay', stop: () => relay.stop() },
    { name: 'progress', stop: () => progress.stop() },
    { name: 'index-consumer', stop: () => indexConsumer.stop() },
    { name: 'action-consumer', stop: () => actionConsumer.stop() },
    jobs,
    { name: 'metrics', stop: () => metrics.stop() },
    { name: 'grpc', stop: () => server.stop() },
  ];
  return {
    grpcPort: server.port,
    metricsPort: metrics.port,
    matchmaking,
    relay,
    db,
    indexConsumer,
    actionConsumer,
    parts,
    async stop() {
      for (const part of [...parts].reverse()) await part.stop();
    },
  };
}
