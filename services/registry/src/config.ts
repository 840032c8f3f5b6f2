import { env, loadConfig, relayEnv, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

export const registryConfigSchema = z.object({
  ...serviceEnv({ name: 'registry', grpcPort: 50051, metricsPort: 9401 }),
  ...relayEnv,
  MAX_OPEN_POSTINGS: env.positiveInt(50),
  EXPIRY_INTERVAL_MS: env.positiveInt(60_000),
});

export type RegistryConfig = z.infer<typeof registryConfigSchema>;

export const loadRegistryConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(registryConfigSchema, source);
