import { hostname } from 'node:os';
import { env, loadConfig, relayEnv, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

const weight = (fallback: number) => z.coerce.number().min(0).max(10).default(fallback);

export const matchmakingConfigSchema = z.object({
  /** CONSUMER_GROUP is shared by all instances (actions); each instance adds its own index group. */
  ...serviceEnv({ name: 'matchmaking', grpcPort: 50052, metricsPort: 9402 }),
  ...relayEnv,
  /** Partitions each consumer (index, actions) handles at once; order is kept within a partition. */
  CONSUMER_CONCURRENCY: env.positiveInt(3),
  /** Stable per instance so a restart resumes its index consumer instead of replaying. */
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default(hostname().replace(/[^A-Za-z0-9_.-]/g, '-')),
  MATCH_TOP_K: env.positiveInt(10),
  MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.45),
  PROPOSAL_TTL_DAYS: env.positiveInt(21),
  PROPOSAL_EXPIRY_INTERVAL_MS: env.positiveInt(60_000),
  WEIGHT_PRODUCT: weight(0.35),
  WEIGHT_KEYWORDS: weight(0.05),
  WEIGHT_CAPACITY: weight(0.15),
  WEIGHT_LEAD_TIME: weight(0.1),
  WEIGHT_GEOGRAPHY: weight(0.15),
  WEIGHT_POLICY: weight(0.05),
  WEIGHT_TRUST: weight(0.05),
  WEIGHT_FRESHNESS: weight(0.05),
  WEIGHT_RESPONSIVENESS: weight(0.05),
});

export type MatchmakingConfig = z.infer<typeof matchmakingConfigSchema>;

export const loadMatchmakingConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(matchmakingConfigSchema, source);
