import { env, loadConfig, relayEnv, serviceEnv } from '@lienket/platform';
import { z } from 'zod';

export const techTransferConfigSchema = z.object({
  ...serviceEnv({ name: 'techtransfer', grpcPort: 50053, metricsPort: 9403 }),
  ...relayEnv,
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
