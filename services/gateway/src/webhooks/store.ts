import type mongoose from 'mongoose';
import type { EventFilter } from '../events/public-events';

/** A webhook subscription as stored (collection `webhook_subscriptions`). */
export interface SubscriptionDocument {
  /** UUIDv7. */
  _id: string;
  /** The token subject that made it; only it (and admins) may see or change it. */
  owner: string;
  target_url: string;
  /** `whsec_<base64>`; returned once, on creation. */
  secret: string;
  filter: EventFilter;
  description: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/**
 * `pending` (due at next_attempt_at, maybe leased), `delivered` (a 2xx), `failed` (a final answer:
 * a 4xx other than 408/429, a redirect, a refused target), `dead` (retries exhausted),
 * `cancelled` (the subscription was paused before it went out).
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead' | 'cancelled';
export const finishedStatuses: readonly DeliveryStatus[] = ['delivered', 'failed', 'dead', 'cancelled'];
export const deliveryStatuses: readonly DeliveryStatus[] = ['pending', ...finishedStatuses];

export interface AttemptRecord {
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** One event for one subscription (collection `webhook_deliveries`), unique per (subscription, event). */
export interface DeliveryDocument {
  /** UUIDv7: sent as `webhook-id`, the same on every attempt. */
  _id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  /** The CloudEvent JSON exactly as sent (and signed). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  /** A sender's claim: who holds it and until when (a crashed sender's claim lapses). */
  lease_token?: string | null;
  lease_until?: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  history: AttemptRecord[];
  created_at: Date;
  updated_at: Date;
}

export const SUBSCRIPTIONS = 'webhook_subscriptions';
export const DELIVERIES = 'webhook_deliveries';

export interface WebhookCollections {
  subscriptions: mongoose.mongo.Collection<SubscriptionDocument>;
  deliveries: mongoose.mongo.Collection<DeliveryDocument>;
}

export async function openWebhookCollections(db: mongoose.mongo.Db): Promise<WebhookCollections> {
  const subscriptions = db.collection<SubscriptionDocument>(SUBSCRIPTIONS);
  const deliveries = db.collection<DeliveryDocument>(DELIVERIES);
  await subscriptions.createIndex({ owner: 1, _id: -1 });
  await subscriptions.createIndex({ active: 1 });
  // One delivery per (subscription, event): a redelivered Kafka message enqueues nothing twice.
  await deliveries.createIndex({ subscription_id: 1, event_id: 1 }, { unique: true });
  await deliveries.createIndex({ subscription_id: 1, _id: -1 });
  await deliveries.createIndex({ status: 1, next_attempt_at: 1 });
  await deliveries.createIndex({ status: 1, updated_at: 1 });
  return { subscriptions, deliveries };
}

const isDuplicateKey = (error: unknown) => {
  const e = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  return writeErrors.length > 0 ? writeErrors.every((w) => w.code === 11000) : e.code === 11000;
};

/** Inserts deliveries, skipping those already there (same subscription and event); returns how many are new. */
export async function enqueueDeliveries(
  deliveries: WebhookCollections['deliveries'],
  documents: DeliveryDocument[],
): Promise<number> {
  if (documents.length === 0) return 0;
  try {
    const result = await deliveries.insertMany(documents, { ordered: false });
    return result.insertedCount;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (error as { insertedCount?: number; result?: { insertedCount?: number } }).insertedCount ?? 0;
  }
}
