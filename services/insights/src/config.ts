import { env, loadConfig } from '@lienket/platform';
import { z } from 'zod';

export const insightsConfigSchema = z.object({
  GRPC_PORT: env.port(50054),
  /** Prometheus `/metrics`, apart from the public port. */
  METRICS_PORT: env.port(9404),
  MONGO_URL: env.mongoUrl(),
  MONGO_DB: z.string().min(1).default('lienket_insights'),
  KAFKA_BROKERS: env.kafkaBrokers(),
  /** Prepended to every topic (shared clusters, test isolation). */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  KAFKA_PARTITIONS: env.positiveInt(6),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  /**
   * One group for every topic. Its committed offsets belong to the database in MONGO_DB: a rebuild
   * into a fresh database takes a new group, which replays every topic from the beginning.
   */
  CONSUMER_GROUP: z.string().min(1).default('lienket-insights'),
  /** Partitions handled at once (one aggregate always stays on one partition, so in order). */
  CONSUMER_CONCURRENCY: env.positiveInt(4),
  LOG_LEVEL: env.logLevel(),
});

export type InsightsConfig = z.infer<typeof insightsConfigSchema>;

export const loadInsightsConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(insightsConfigSchema, source);
