import { env, loadConfig, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

export const insightsConfigSchema = z.object({
  /**
   * CONSUMER_GROUP is one group for every topic. Its committed offsets belong to the database in
   * MONGO_DB: a rebuild into a fresh database takes a new group, which replays every topic from the
   * beginning.
   */
  ...serviceEnv({ name: 'insights', grpcPort: 50054, metricsPort: 9404 }),
  /** Partitions handled at once (one aggregate always stays on one partition, so in order). */
  CONSUMER_CONCURRENCY: env.positiveInt(4),
});

export type InsightsConfig = z.infer<typeof insightsConfigSchema>;

export const loadInsightsConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(insightsConfigSchema, source);
