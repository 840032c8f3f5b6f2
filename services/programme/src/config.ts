import { env, loadConfig, relayEnv, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

export const programmeConfigSchema = z.object({
  ...serviceEnv({ name: 'programme', grpcPort: 50056, metricsPort: 9406 }),
  ...relayEnv,
  /** How often approvals left claimed by a crash are reconciled. */
  RECONCILE_INTERVAL_MS: env.positiveInt(60_000),
  /** An approval claimed longer ago than this without completing is reconciled. */
  APPROVAL_CLAIM_TIMEOUT_MS: env.positiveInt(60_000),
});

export type ProgrammeConfig = z.infer<typeof programmeConfigSchema>;

export const loadProgrammeConfig = (source: Record<string, string | undefined> = process.env) =>
  loadConfig(programmeConfigSchema, source);
