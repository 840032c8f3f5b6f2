import { eventsProcessed } from '@lienket/platform';
import { type Link, context as otelContext, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type mongoose from 'mongoose';
import type { Logger } from 'pino';
import { onlyDuplicateKeys } from './aggregates';
import { EventFormatError, fromKafkaMessage, headerText, type ReceivedEvent } from './cloudevents';
import type { DeadLetter } from './dead-letters';
import type {
  BatchContext,
  BatchEvent,
  BatchSubscription,
  EventSubscription,
  HandlerContext,
  Subscription,
} from './subscriptions';
import { endSpan, messagingAttributes, startEventSpan, withEventSpan } from './tracing';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Computes the wait before retry `attempt` (1-based): exponential, capped, with ±20 % jitter. */
export function backoffDelay(
  attempt: number,
  { initialDelayMs, maxDelayMs }: RetryPolicy,
  random = Math.random,
) {
  const base = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface ConsumerStats {
  /** Events applied (a batch handler's events count one each). */
  processed: number;
  /** Events skipped: their id was applied before (processed-ids record) or came twice in one batch. */
  duplicates: number;
  deadLettered: number;
  /** Handler calls retried (a batch, or one event). */
  retried: number;
  ignored: number;
  /** Slices of Kafka batches applied (each one: at most one dedupe read and one dedupe write). */
  batches: number;
  /** Times the consumer was started over (after a fatal kafkajs error, or no progress for stallMs). */
  restarts: number;
}

type ProcessedIds = mongoose.mongo.Collection<{ _id: string; at: Date; topic: string }>;

export interface BatchCoreOptions {
  groupId: string;
  subscriptions: Subscription[];
  processed: ProcessedIds;
  retry: RetryPolicy;
  maxMessageBytes: number;
  /** Events applied per slice of a Kafka batch: offsets are committed after each slice. */
  maxBatchEvents: number;
  stats: ConsumerStats;
  log: Logger;
  sleep: (ms: number) => Promise<void>;
  deadLetter: (topic: string, partition: number, letters: DeadLetter[]) => Promise<void>;
  /** Called after the slice's effects, before its offsets are resolved. */
  onProgress?: (topic: string, partition: number, offset: string) => void;
  /** Called whenever work moves on (the watchdog's sign of life). */
  touch: () => void;
}

interface Routed {
  message: KafkaMessage;
  event: ReceivedEvent;
  subscription: Subscription;
}

/** Where a slice was read: handed to batch handlers with their context. */
type Where = Pick<BatchContext, 'topic' | 'partition' | 'highWatermark' | 'lastOffset'>;

/** A run of consecutive events one subscription applies (a batch handler) or one handler per event. */
interface Unit {
  subscription: BatchSubscription | 'per-event';
  items: Routed[];
}

const tracer = trace.getTracer('@lienket/eventbus');

/**
 * The consumer's batch core: decodes a Kafka batch (one topic-partition), routes events to their
 * subscriptions, skips ids already applied (one read per slice), applies runs of events in offset
 * order, isolates a failing event by bisection, records applied ids (one write per slice), sends
 * dead letters (one produce per slice), then resolves and commits the slice's offsets.
 */
export function createBatchCore(options: BatchCoreOptions) {
  const { groupId, processed, retry, stats, sleep, touch } = options;
  const log = options.log;
  const byType = new Map<string, Subscription>();
  for (const subscription of options.subscriptions) {
    const types =
      subscription.kind === 'event'
        ? [subscription.definition.type]
        : subscription.definitions.map((d) => d.type);
    for (const type of types) {
      if (byType.has(type)) throw new Error(`${type} has two subscriptions in consumer group ${groupId}`);
      byType.set(type, subscription);
    }
  }
  const counts = new Map<string, number>();
  const count = (type: string, outcome: string, n = 1) => {
    const key = `${type}\u0000${outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + n);
  };
  const flushCounts = () => {
    for (const [key, n] of counts) {
      const [type = 'unknown', outcome = 'unknown'] = key.split('\u0000');
      eventsProcessed.inc({ group: groupId, type, outcome }, n);
    }
    counts.clear();
  };

  async function applySlice(payload: EachBatchPayload, messages: KafkaMessage[]): Promise<void> {
    const { batch, heartbeat } = payload;
    const { topic, partition } = batch;
    const letters: DeadLetter[] = [];
    const routed: Routed[] = [];
    const seen = new Set<string>();
    for (const message of messages) {
      let event: ReceivedEvent;
      try {
        event = fromKafkaMessage(message, options.maxMessageBytes);
      } catch (error) {
        if (!(error instanceof EventFormatError)) throw error;
        letters.push({
          message,
          reason: error.reason,
          error: error.message,
          attempts: 0,
          type: headerText(message.headers, 'ce_type') ?? 'unknown',
        });
        continue;
      }
      const subscription = byType.get(event.type);
      if (!subscription) {
        stats.ignored += 1; // a catalogued type this group does not care about
        count(event.type, 'ignored');
        continue;
      }
      if (seen.has(event.id)) {
        stats.duplicates += 1; // the same event twice in one batch (a producer retry)
        count(event.type, 'duplicate');
        continue;
      }
      seen.add(event.id);
      routed.push({ message, event, subscription });
    }

    // Dedupe: one read of the ids this group applied before, for subscriptions that need it.
    const recorded = routed.filter((r) => !r.subscription.idempotent);
    let fresh = routed;
    if (recorded.length > 0) {
      const found = await processed
        .find({ _id: { $in: recorded.map((r) => r.event.id) } }, { projection: { _id: 1 } })
        .toArray();
      const done = new Set(found.map((d) => d._id));
      if (done.size > 0) {
        fresh = routed.filter((r) => r.subscription.idempotent || !done.has(r.event.id));
        for (const r of routed) {
          if (r.subscription.idempotent || !done.has(r.event.id)) continue;
          stats.duplicates += 1;
          count(r.event.type, 'duplicate');
          log.debug({ id: r.event.id, type: r.event.type }, 'duplicate delivery skipped');
        }
      }
    }

    const where: Where = {
      topic,
      partition,
      highWatermark: batch.highWatermark,
      lastOffset: messages[messages.length - 1]?.offset ?? batch.highWatermark,
    };
    const applied: Routed[] = [];
    for (const unit of unitsOf(fresh)) {
      const outcome =
        unit.subscription === 'per-event'
          ? await applyEach(unit.items, topic, partition, heartbeat)
          : await applyBatch(unit.subscription, unit.items, where, heartbeat);
      applied.push(...outcome.applied);
      letters.push(...outcome.failed);
      touch();
    }

    // Record what was applied (one write), then the dead letters (one produce), then the offsets.
    const record = applied.filter((r) => !r.subscription.idempotent);
    if (record.length > 0) {
      const at = new Date();
      try {
        await processed.insertMany(
          record.map((r) => ({ _id: r.event.id, at, topic })),
          { ordered: false },
        );
      } catch (error) {
        if (!onlyDuplicateKeys(error)) throw error;
      }
    }
    if (letters.length > 0) {
      letters.sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
      await options.deadLetter(topic, partition, letters);
      stats.deadLettered += letters.length;
      for (const letter of letters) count(letter.type ?? 'unknown', 'dead_lettered');
    }
    stats.processed += applied.length;
    for (const r of applied) count(r.event.type, 'applied');
    stats.batches += 1;
    flushCounts();
    for (const message of messages) options.onProgress?.(topic, partition, message.offset);
    const last = messages[messages.length - 1];
    if (last) payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary();
    await heartbeat();
  }

  /** Per-event handlers, one event at a time, each retried and then dead-lettered on its own. */
  async function applyEach(
    items: Routed[],
    topic: string,
    partition: number,
    heartbeat: () => Promise<void>,
  ) {
    const applied: Routed[] = [];
    const failed: DeadLetter[] = [];
    for (const item of items) {
      const { event, message } = item;
      const subscription = item.subscription as EventSubscription;
      const { payload: body, definition: _definition, ...metadata } = event;
      const context: HandlerContext = {
        event: metadata,
        topic,
        partition,
        offset: message.offset,
        log: log.child({ eventId: event.id, type: event.type }),
      };
      const delivery = { group: groupId, partition, offset: message.offset };
      const error = await withRetries(
        () => withEventSpan('process', topic, event, () => subscription.handler(body, context), delivery),
        heartbeat,
        (attempt, delay, err) => context.log.warn({ attempt, delay, err }, 'handler failed, retrying'),
        event.type,
      );
      if (error === undefined) applied.push(item);
      else failed.push(handlerFailed(item, error));
      touch();
      // kafkajs throttles heartbeats (heartbeatInterval): calling it per event costs nothing.
      await heartbeat();
    }
    return { applied, failed };
  }

  /**
   * A batch handler over a run: retried as a whole with backoff; if it still fails, the run is
   * bisected (halves in offset order, each tried once) down to single events, which get the full
   * retries before they are dead-lettered. The handler's writes are idempotent, so applying part
   * of a run again while isolating the poison event changes nothing.
   */
  async function applyBatch(
    subscription: BatchSubscription,
    items: Routed[],
    where: Where,
    heartbeat: () => Promise<void>,
  ) {
    const { topic, partition } = where;
    const applied: Routed[] = [];
    const failed: DeadLetter[] = [];
    const context: BatchContext = {
      ...where,
      log: log.child({ subscription: subscription.name }),
      heartbeat,
    };
    const eventSpans = new Map(
      items.map((item) => [
        item,
        startEventSpan('process', topic, item.event, {
          group: groupId,
          partition,
          offset: item.message.offset,
        }),
      ]),
    );
    const call = (run: Routed[]) => runBatchHandler(subscription, run, context, eventSpans);
    const settle = (run: Routed[], error?: unknown) => {
      for (const item of run) {
        const span = eventSpans.get(item);
        if (span) endSpan(span, error);
        if (error === undefined) applied.push(item);
        else failed.push(handlerFailed(item, error));
      }
    };
    const leaf = async (run: Routed[]) => {
      const error = await withRetries(
        () => call(run),
        heartbeat,
        (attempt, delay, err) =>
          context.log.warn({ attempt, delay, err, events: run.length }, 'batch handler failed, retrying'),
        subscription.name,
      );
      return error;
    };
    const bisect = async (run: Routed[]): Promise<void> => {
      if (run.length === 1) {
        settle(run, await leaf(run));
        return;
      }
      const middle = Math.ceil(run.length / 2);
      for (const half of [run.slice(0, middle), run.slice(middle)]) {
        try {
          await call(half);
          settle(half);
        } catch {
          await bisect(half);
        }
        touch();
        await heartbeat();
      }
    };
    const error = await leaf(items);
    if (error === undefined || items.length === 1) settle(items, error);
    else {
      context.log.warn(
        { err: error, events: items.length },
        'batch handler failed; isolating the failing events',
      );
      await bisect(items);
    }
    return { applied, failed };
  }

  /** Runs a batch handler in one `process <topic>` span linked to each event's producer. */
  async function runBatchHandler(
    subscription: BatchSubscription,
    run: Routed[],
    context: BatchContext,
    eventSpans: Map<Routed, Span>,
  ) {
    const links: Link[] = [];
    for (const item of run) {
      const span = eventSpans.get(item);
      if (span) links.push({ context: span.spanContext() });
    }
    const first = run[0] as Routed;
    const span = tracer.startSpan(
      `process ${context.topic}`,
      {
        kind: SpanKind.CONSUMER,
        links,
        attributes: {
          ...messagingAttributes('process', context.topic, first.event, {
            group: groupId,
            partition: context.partition,
            offset: first.message.offset,
          }),
          'messaging.batch.message_count': run.length,
        },
      },
      otelContext.active(),
    );
    const events = run.map((item) => {
      const eventSpan = eventSpans.get(item);
      const event = batchEventOf(context.topic, context.partition)(item);
      // Work done for one event (the events a handler writes to its outbox for it) joins that
      // event's trace, not the batch's.
      event.within = (work) =>
        eventSpan ? otelContext.with(trace.setSpan(otelContext.active(), eventSpan), work) : work();
      return event;
    });
    try {
      await otelContext.with(trace.setSpan(otelContext.active(), span), () =>
        subscription.handler(events, context),
      );
      endSpan(span);
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  /** Runs `work` up to retry.attempts times with backoff; returns the last error, or undefined. */
  async function withRetries(
    work: () => Promise<void>,
    heartbeat: () => Promise<void>,
    warn: (attempt: number, delay: number, error: unknown) => void,
    type: string,
  ): Promise<unknown> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      try {
        await work();
        return undefined;
      } catch (error) {
        lastError = error ?? new Error('handler failed');
        if (attempt < retry.attempts) {
          stats.retried += 1;
          count(type, 'retried');
          const delay = backoffDelay(attempt, retry);
          warn(attempt, delay, error);
          await sleep(delay);
          await heartbeat();
          touch();
        }
      }
    }
    return lastError;
  }

  const handlerFailed = (item: Routed, error: unknown): DeadLetter => ({
    message: item.message,
    reason: 'handler_failed',
    error: String((error as Error)?.message ?? error),
    attempts: retry.attempts,
    type: item.event.type,
  });

  /** Applies a Kafka batch in slices of at most maxBatchEvents, committing after each slice. */
  return async function applyKafkaBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale } = payload;
    for (let start = 0; start < batch.messages.length; start += options.maxBatchEvents) {
      // After a rebalance the partition may be someone else's: leave the rest to them.
      if (!isRunning() || isStale()) return;
      await applySlice(payload, batch.messages.slice(start, start + options.maxBatchEvents));
      touch();
    }
  };
}

/** Consecutive events of one batch subscription form a run; per-event handlers form their own runs. */
function unitsOf(routed: Routed[]): Unit[] {
  const units: Unit[] = [];
  for (const item of routed) {
    const key = item.subscription.kind === 'event' ? 'per-event' : item.subscription;
    const last = units[units.length - 1];
    if (last && last.subscription === key) last.items.push(item);
    else units.push({ subscription: key, items: [item] });
  }
  return units;
}

const batchEventOf =
  (topic: string, partition: number) =>
  ({ event, message }: Routed): BatchEvent => ({
    payload: event.payload,
    definition: event.definition,
    id: event.id,
    type: event.type,
    key: event.key,
    source: event.source,
    ...(event.subject ? { subject: event.subject } : {}),
    time: event.time,
    topic,
    partition,
    offset: message.offset,
    within: (work) => work(),
  });
