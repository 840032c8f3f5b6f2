import type { EventDefinition } from '@lienket/contracts';
import type { Logger } from 'pino';
import type { ReceivedEvent } from './cloudevents';

/** What a per-event handler is told besides the payload. */
export interface HandlerContext {
  event: Omit<ReceivedEvent, 'payload' | 'definition'>;
  topic: string;
  partition: number;
  offset: string;
  log: Logger;
}

export type EventHandler<T> = (payload: T, context: HandlerContext) => Promise<void>;

/** One decoded event of a batch: its payload, its CloudEvents attributes and where it was read. */
export interface BatchEvent<T = unknown> {
  payload: T;
  definition: EventDefinition<T>;
  /** CloudEvents id: unique per event. */
  id: string;
  type: string;
  /** The Kafka key: the aggregate id (events of one key arrive in order). */
  key: string;
  source: string;
  subject?: string;
  time: Date;
  topic: string;
  partition: number;
  offset: string;
  /**
   * Runs `work` (synchronously) as part of this event's trace: an outbox entry made inside it
   * carries the event's trace context, so its consumers continue the trace the event began.
   */
  within<R>(work: () => R): R;
}

/** The batch events of any of the definitions `D` (a union, narrowed with `isEvent`). */
export type BatchEventOf<D> = D extends EventDefinition<infer T> ? BatchEvent<T> : never;

export interface BatchContext {
  topic: string;
  partition: number;
  /**
   * The partition's high watermark when the broker answered the fetch this batch came from: the
   * offset the next event appended there gets. Everything below it was appended before the fetch.
   */
  highWatermark: string;
  /** Offset of the last message of the slice being applied (this run's events end at or before it). */
  lastOffset: string;
  log: Logger;
  /** Tells the group this member is alive; call it inside a loop over many store commands. */
  heartbeat(): Promise<void>;
}

export type BatchHandler<E> = (events: E[], context: BatchContext) => Promise<void>;

export interface SubscriptionOptions {
  /**
   * The handler's writes are idempotent by their own keys (event id, aggregate version): applying
   * an event twice changes nothing the second time. The consumer then keeps no record of processed
   * event ids for it (no store command for dedupe at all). Default false: the consumer records
   * the ids it applied (one read and one write per batch) and skips them when they come again.
   */
  idempotent?: boolean;
}

/** A per-event subscription (`on`): the handler is called once per event, in offset order. */
export interface EventSubscription<T = unknown> {
  kind: 'event';
  definition: EventDefinition<T>;
  handler: EventHandler<T>;
  idempotent: boolean;
}

/** A batch subscription (`onBatch`): the handler is called with the batch's events of its definitions. */
export interface BatchSubscription {
  kind: 'batch';
  definitions: readonly EventDefinition<unknown>[];
  handler: BatchHandler<BatchEvent>;
  idempotent: boolean;
  /** Names it in logs and spans: the types it handles. */
  name: string;
}

export type Subscription = EventSubscription | BatchSubscription;

/** Pairs a definition with a handler called once per event (dedupe, retries and dead letters per event). */
export const on = <T>(
  definition: EventDefinition<T>,
  handler: EventHandler<T>,
  { idempotent = false }: SubscriptionOptions = {},
): Subscription => ({ kind: 'event', definition, handler, idempotent }) as EventSubscription as Subscription;

/**
 * Subscribes one handler to the events of several definitions, delivered as batches in offset order
 * (one Kafka partition at a time). The handler does a bounded number of bulk store commands per
 * call: one read of what it needs, one bulk write. See the README, "Writing a batch consumer".
 */
// biome-ignore lint/suspicious/noExplicitAny: any definition; the payload types come back through BatchEventOf
export const onBatch = <const D extends readonly EventDefinition<any>[]>(
  definitions: D,
  handler: BatchHandler<BatchEventOf<D[number]>>,
  { idempotent = false }: SubscriptionOptions = {},
): Subscription => {
  if (definitions.length === 0) throw new Error('onBatch needs at least one event definition');
  return {
    kind: 'batch',
    definitions: definitions as unknown as readonly EventDefinition<unknown>[],
    handler: handler as unknown as BatchHandler<BatchEvent>,
    idempotent,
    name: definitions.map((d) => d.type).join(','),
  };
};

/**
 * Narrows a batch event to the payload of `definition`: `if (isEvent(e, Events.needClosed)) e.payload.needId`.
 * Its else branch also excludes every other type whose payload has the same shape; use `payloadOf`
 * to tell such types apart.
 */
export const isEvent = <T>(
  event: BatchEvent<unknown>,
  definition: EventDefinition<T>,
): event is BatchEvent<T> => event.type === definition.type;

/**
 * The payload of `event` if it is of `definition`, else undefined. Unlike `isEvent` it narrows
 * nothing, so it also tells apart types whose payloads have the same shape (verified, rejected):
 * `const verified = payloadOf(e, Events.enterpriseVerified); if (verified) ...`.
 */
export const payloadOf = <T>(event: BatchEvent<unknown>, definition: EventDefinition<T>): T | undefined =>
  event.type === definition.type ? (event.payload as T) : undefined;

/** The events of `definition` in a batch, in offset order, typed. */
export const eventsOf = <T>(events: readonly BatchEvent<unknown>[], definition: EventDefinition<T>) =>
  events.filter((event): event is BatchEvent<T> => isEvent(event, definition));

/** The last event per key (the aggregate's latest state when each event carries the whole of it). */
export function lastPerKey<E extends { key: string }>(events: readonly E[]): E[] {
  const last = new Map<string, E>();
  for (const event of events) {
    last.delete(event.key);
    last.set(event.key, event);
  }
  return [...last.values()];
}
