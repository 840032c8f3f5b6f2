import { env, loadConfig } from '@lienket/platform';
import { z } from 'zod';

export const techTransferConfigSchema = z.object({
  GRPC_PORT: env.port(50053),
  /** Prometheus `/metrics`, apart from the public port. */
  METRICS_PORT: env.port(9403),
  MONGO_URL: env.mongoUrl(),
  MONGO_DB: z.string().min(1).default('lienket_techtransfer'),
  KAFKA_BROKERS: env.kafkaBrokers(),
  /** Prepended to every topic (shared clusters, test isolation). */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  KAFKA_PARTITIONS: env.positiveInt(6),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  CONSUMER_GROUP: z.string().default('lienket-techtransfer'),
  LOG_LEVEL: env.logLevel(),
  RELAY_POLL_MS: env.positiveInt(250),
  DEADLINE_INTERVAL_MS: env.positiveInt(60_000),
  OFFER_VALIDITY_DAYS: env.positiveInt(180),
  OFFER_MAX_VALIDITY_DAYS: env.positiveInt(730),
  /** Days the owner has to answer an expression of interest. */
  INTEREST_RESPONSE_DAYS: env.positiveInt(14),
  /** Days without activity after which a negotiation is abandoned. */
  NEGOTIATION_IDLE_DAYS: env.positiveInt(60),
  /** Reminders go out this many days before either deadline. */
  REMINDER_DAYS: env.positiveInt(3),
  /** Offers scoring below are left out of a ranking (0..1). */
  RANK_THRESHOLD: z.coerce.number().min(0).max(1).default(0.3),
  /** Offers scored per ranking at most (those sharing a code or word with the request, newest first). */
  RANK_CANDIDATES: env.positiveInt(2_000),
  APPROVAL_CLAIM_TIMEOUT_MS: env.positiveInt(60_000),
});

export type TechTransferConfig = z.infer<typeof techTransferConfigSchema>;

export const loadTechTransferConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(techTransferConfigSchema, source);
