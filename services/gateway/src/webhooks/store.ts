import { documentSchemaOptions, subSchemaOptions } from '@lienket/eventbus';
import mongoose from 'mongoose';
import type { EventFilter } from '../events/public-events';

const { Schema } = mongoose;

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
/** One document (`_id: 'subscriptions'`) whose `version` every subscription write increments. */
export const VERSIONS = 'webhook_versions';

const filterSchema = new Schema(
  { types: [String], provinces: [String], regions: [String], sectors: [String] },
  subSchemaOptions,
);

export const subscriptionSchema = new Schema<SubscriptionDocument>(
  {
    _id: String,
    owner: { type: String, required: true },
    target_url: { type: String, required: true, maxlength: 2000 },
    secret: { type: String, required: true, match: /^whsec_[A-Za-z0-9+/=]+$/ },
    filter: { type: filterSchema, required: true },
    description: { type: String, default: '' },
    active: { type: Boolean, required: true },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  documentSchemaOptions,
);
subscriptionSchema.index({ owner: 1, _id: -1 });
subscriptionSchema.index({ active: 1 });

const attemptSchema = new Schema<AttemptRecord>(
  { at: Date, status_code: Number, error: String, duration_ms: Number },
  subSchemaOptions,
);

export const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: String,
    subscription_id: { type: String, required: true },
    event_id: { type: String, required: true },
    event_type: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true, enum: deliveryStatuses },
    attempts: { type: Number, required: true, min: 0 },
    next_attempt_at: { type: Date, required: true },
    lease_token: String,
    lease_until: Date,
    last_status_code: Number,
    last_error: String,
    last_attempt_at: Date,
    delivered_at: Date,
    history: { type: [attemptSchema], default: [] },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  documentSchemaOptions,
);
// One delivery per (subscription, event): a redelivered Kafka message enqueues nothing twice.
deliverySchema.index({ subscription_id: 1, event_id: 1 }, { unique: true });
deliverySchema.index({ subscription_id: 1, _id: -1 });
deliverySchema.index({ status: 1, next_attempt_at: 1 });
deliverySchema.index({ status: 1, updated_at: 1 });

export interface VersionDocument {
  _id: string;
  version: number;
}
export const versionSchema = new Schema<VersionDocument>(
  { _id: String, version: { type: Number, required: true } },
  documentSchemaOptions,
);

export interface WebhookCollections {
  subscriptions: mongoose.Model<SubscriptionDocument>;
  deliveries: mongoose.Model<DeliveryDocument>;
  versions: mongoose.Model<VersionDocument>;
}

/** The webhook models on the gateway's connection, their indexes built. */
export async function openWebhookCollections(connection: mongoose.Connection): Promise<WebhookCollections> {
  const model = <T>(name: string, schema: mongoose.Schema<T>, collection: string) =>
    (connection.models[name] as mongoose.Model<T> | undefined) ??
    connection.model<T>(name, schema, collection);
  const collections = {
    subscriptions: model('WebhookSubscription', subscriptionSchema, SUBSCRIPTIONS),
    deliveries: model('WebhookDelivery', deliverySchema, DELIVERIES),
    versions: model('WebhookVersion', versionSchema, VERSIONS),
  };
  for (const m of Object.values(collections)) await m.createIndexes();
  return collections;
}

const SUBSCRIPTIONS_VERSION = 'subscriptions';

/** After any subscription write: moves the version every instance's cache compares with. */
export async function bumpSubscriptionsVersion(versions: WebhookCollections['versions']): Promise<void> {
  await versions.updateOne({ _id: SUBSCRIPTIONS_VERSION }, { $inc: { version: 1 } }, { upsert: true });
}

/** The current subscriptions version (0 before the first write). */
export async function readSubscriptionsVersion(versions: WebhookCollections['versions']): Promise<number> {
  const found = await versions.findById(SUBSCRIPTIONS_VERSION, { version: 1 }).lean();
  return found?.version ?? 0;
}

const isDuplicateKey = (error: unknown) => {
  const e = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  return writeErrors.length > 0 ? writeErrors.every((w) => w.code === 11000) : e.code === 11000;
};

/**
 * Inserts deliveries, skipping those already there (same subscription and event); returns how many
 * are new. Runs per consumed event batch: through the model's collection (ADR 0010), the documents
 * built by `newDelivery` alone.
 */
export async function enqueueDeliveries(
  deliveries: WebhookCollections['deliveries'],
  documents: DeliveryDocument[],
): Promise<number> {
  if (documents.length === 0) return 0;
  try {
    const result = await deliveries.collection.insertMany(
      documents as unknown as mongoose.mongo.OptionalId<mongoose.mongo.Document>[],
      {
        ordered: false,
      },
    );
    return result.insertedCount;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (error as { insertedCount?: number; result?: { insertedCount?: number } }).insertedCount ?? 0;
  }
}
