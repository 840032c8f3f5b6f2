import { randomUUID } from 'node:crypto';
import type { EventDefinition } from '@lienket/contracts';
import type mongoose from 'mongoose';
import { type EncodedEvent, encodeEvent } from './cloudevents';
import { currentTraceContext } from './tracing';

/**
 * The transactional outbox, in the aggregate's own document. The embedded store has no
 * multi-document transactions, so a state change and the events announcing it are written in one
 * single-document update: `{ $set: state, $push: { outbox: events }, $set: { outboxPending: true } }`.
 * The relay (relay.ts) publishes pending events and pulls them out; a crash before the pull publishes
 * them again (same CloudEvents id, consumers dedupe), a crash before the publish publishes them once.
 */
export interface OutboxEntry extends Omit<EncodedEvent, 'data'> {
  data: Buffer | mongoose.mongo.Binary;
}

/** Fields the outbox owns in a document; state read back for a domain object must leave them out. */
export const outboxFieldNames = [
  'outbox',
  'outboxPending',
  // Claims of the relay before ADR 0015; no longer written, still left out of state read back.
  'outboxClaim',
  'outboxClaimUntil',
  'outboxParked',
] as const;

/** A copy of a stored document without the outbox's fields (so a later `$set` of state never rewrites them). */
export function withoutOutboxFields<T extends Record<string, unknown>>(document: T): T {
  const copy: Record<string, unknown> = { ...document };
  for (const name of outboxFieldNames) delete copy[name];
  return copy as T;
}

export interface OutboxDocument {
  outbox?: OutboxEntry[];
  outboxPending?: boolean;
}

export interface OutboxEventOptions {
  key: string;
  source: string;
  subject?: string;
  time?: Date;
}

/** Encodes an event for the outbox, stamping a fresh id and the active trace context. */
export function outboxEvent<T>(
  definition: EventDefinition<T>,
  payload: T,
  options: OutboxEventOptions,
): OutboxEntry {
  return encodeEvent(definition, payload, {
    id: randomUUID(),
    source: options.source,
    key: options.key,
    time: options.time ?? new Date(),
    ...(options.subject ? { subject: options.subject } : {}),
    ...currentTraceContext(),
  });
}

/** Fields for a new document that carries its first events. */
export function outboxFields(events: OutboxEntry[]): Required<OutboxDocument> {
  return { outbox: events, outboxPending: events.length > 0 };
}

type Update = Record<string, Record<string, unknown> | undefined>;

/** Adds events to an update so they are written with it, atomically. */
export function withOutbox<U extends Update>(update: U, events: OutboxEntry[]): U {
  if (events.length === 0) return update;
  return {
    ...update,
    $set: { ...(update.$set ?? {}), outboxPending: true },
    $push: { ...(update.$push ?? {}), outbox: { $each: events } },
  } as U;
}

export async function ensureOutboxIndexes(db: mongoose.mongo.Db, collections: string[]): Promise<void> {
  for (const name of collections) await db.collection(name).createIndex({ outboxPending: 1 });
}
