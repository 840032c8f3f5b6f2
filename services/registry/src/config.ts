import { env, loadConfig } from '@lienket/platform';
import { z } from 'zod';

export const registryConfigSchema = z.object({
  GRPC_PORT: env.port(50051),
  /** Prometheus `/metrics`, apart from the public port. */
  METRICS_PORT: env.port(9401),
  MONGO_URL: env.mongoUrl(),
  MONGO_DB: z.string().min(1).default('lienket_registry'),
  KAFKA_BROKERS: env.kafkaBrokers(),
  /** Prepended to every topic (shared clusters, test isolation). */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  KAFKA_PARTITIONS: env.positiveInt(6),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  CONSUMER_GROUP: z.string().default('lienket-registry'),
  LOG_LEVEL: env.logLevel(),
  MAX_OPEN_POSTINGS: env.positiveInt(50),
  EXPIRY_INTERVAL_MS: env.positiveInt(60_000),
  /** How often open-postings counters are checked against the postings (a drift is corrected on its second sighting). */
  RECONCILE_INTERVAL_MS: env.positiveInt(300_000),
  RELAY_POLL_MS: env.positiveInt(250),
});

export type RegistryConfig = z.infer<typeof registryConfigSchema>;

export const loadRegistryConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(registryConfigSchema, source);
