import { createEventPublisher, createKafka, ensureTopics } from '@lienket/eventbus';
import { type Logger, monitorStoreCommands, startGrpcServer, startMetricsServer } from '@lienket/platform';
import mongoose from 'mongoose';
import { makeInsightsGrpc } from './adapters/grpc/insights-grpc';
import { createFactConsumer } from './adapters/kafka/consumer';
import { createMongoFactStore, ensureFactIndexes } from './adapters/mongo/store';
import { makeInsights } from './app/insights';
import type { InsightsConfig } from './config';
import { publicTopics } from './domain/rules';

export const INSIGHTS_SOURCE = '/lienket/insights';

/** Wires the service from its config; main.ts runs it, integration tests start it in-process. */
export async function startInsights(config: InsightsConfig, log: Logger) {
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
  await ensureFactIndexes(connection);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lienket-insights', log });
  // Every public topic is created here too, so insights can subscribe before its producers run.
  await ensureTopics(
    kafka,
    publicTopics.map((t) => config.KAFKA_TOPIC_PREFIX + t),
    { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
  );
  const publisher = await createEventPublisher({
    kafka,
    source: INSIGHTS_SOURCE,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    log,
  });

  const store = createMongoFactStore(connection);
  const consumer = createFactConsumer({
    kafka,
    db,
    publisher,
    store,
    log: log.child({ component: 'fact-consumer' }),
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    groupId: config.CONSUMER_GROUP,
    concurrency: config.CONSUMER_CONCURRENCY,
  });
  await consumer.start();

  const insights = makeInsights({ store });
  const metrics = await startMetricsServer(config.METRICS_PORT);
  const server = await startGrpcServer({
    services: [makeInsightsGrpc({ insights, log: log.child({ component: 'grpc' }) })],
    port: config.GRPC_PORT,
    log,
  });

  return {
    grpcPort: server.port,
    metricsPort: metrics.port,
    insights,
    store,
    consumer,
    db,
    parts: [
      { name: 'mongo', stop: () => connection.close() },
      { name: 'publisher', stop: () => publisher.disconnect() },
      { name: 'fact-consumer', stop: () => consumer.stop() },
      { name: 'metrics', stop: () => metrics.stop() },
      { name: 'grpc', stop: () => server.stop() },
    ],
    async stop() {
      for (const part of [...this.parts].reverse()) await part.stop();
    },
  };
}
