import { deadLetterTopic, type EventDefinition } from '@lienket/contracts';
import { consumerLag, eventsProcessed, sampleDeadLetters } from '@lienket/platform';
import type { Consumer, EachMessagePayload, IHeaders, Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { EventFormatError, fromKafkaMessage, headerText, type ReceivedEvent } from './cloudevents';
import { connectionOf, documentSchemaOptions, modelOn } from './models';
import type { EventPublisher } from './publisher';
import { withEventSpan } from './tracing';

export interface HandlerContext {
  event: Omit<ReceivedEvent, 'payload' | 'definition'>;
  topic: string;
  partition: number;
  offset: string;
  log: Logger;
}

export type EventHandler<T> = (payload: T, context: HandlerContext) => Promise<void>;

export interface Subscription<T = unknown> {
  definition: EventDefinition<T>;
  handler: EventHandler<T>;
}

/** Pairs a definition with its handler, keeping the payload type. */
export const on = <T>(definition: EventDefinition<T>, handler: EventHandler<T>): Subscription =>
  ({ definition, handler }) as Subscription;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  subscriptions: Subscription[];
  /** Database holding the processed-events collection used to apply each event once. */
  db: mongoose.mongo.Db;
  /** Publishes dead letters. */
  publisher: EventPublisher;
  log: Logger;
  topicPrefix?: string;
  retry?: Partial<RetryPolicy>;
  /** Messages larger than this go to the dead-letter topic unread. */
  maxMessageBytes?: number;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  /** Waits between retries; tests may pass a faster one. */
  sleep?: (ms: number) => Promise<void>;
  /** Called after each message is done with (applied, skipped, ignored or dead-lettered). */
  onProgress?: (topic: string, partition: number, offset: string) => void;
  /**
   * With no fetch and no message handled for this long, the consumer is started again (default
   * 60 s; an idle consumer still fetches every few seconds). kafkajs can stop fetching for good
   * after a broker restart without an error.
   */
  stallMs?: number;
}

export interface EventConsumer {
  start(): Promise<void>;
  /** Resolves once the consumer has joined its group and been assigned partitions. */
  joined(): Promise<void>;
  stop(): Promise<void>;
  readonly stats: ConsumerStats;
}

export interface ConsumerStats {
  processed: number;
  duplicates: number;
  deadLettered: number;
  retried: number;
  ignored: number;
  /** Times the consumer was started over (after a fatal kafkajs error, or no progress for stallMs). */
  restarts: number;
}

const defaultRetry: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 3_000 };

export const processedEventsCollection = (groupId: string) =>
  `processed_events_${groupId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** One applied event per document: `_id` is its CloudEvents id (the unique key that dedupes). */
export const processedEventSchema = new mongoose.Schema(
  { _id: String, at: { type: Date, required: true }, topic: { type: String, required: true } },
  documentSchemaOptions,
);

/** The processed-events model of a consumer group, on the connection of `db`. */
export const processedEventsModel = (db: mongoose.mongo.Db, groupId: string) =>
  modelOn(
    connectionOf(db),
    `ProcessedEvent:${groupId}`,
    processedEventSchema,
    processedEventsCollection(groupId),
  );

/** Computes the wait before retry `attempt` (1-based): exponential, capped, with ±20 % jitter. */
export function backoffDelay(
  attempt: number,
  { initialDelayMs, maxDelayMs }: RetryPolicy,
  random = Math.random,
) {
  const base = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * A consumer-group member that decodes CloudEvents, applies each event id at most once per group
 * (processed-events collection with a unique _id), retries a failing handler with backoff and then
 * moves the message to `<topic>.dlq` with the error in headers. A bad message never stops it.
 */
export function createEventConsumer(options: ConsumerOptions): EventConsumer {
  const {
    kafka,
    groupId,
    subscriptions,
    db,
    publisher,
    topicPrefix = '',
    maxMessageBytes = 1_048_576,
    partitionsConsumedConcurrently = 1,
    fromBeginning = true,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    stallMs = 60_000,
  } = options;
  const retry: RetryPolicy = { ...defaultRetry, ...options.retry };
  const log = options.log.child({ component: 'consumer', groupId });
  const handlers = new Map(subscriptions.map((s) => [s.definition.type, s.handler]));
  const topics = [...new Set(subscriptions.map((s) => topicPrefix + s.definition.topic))];
  // The check and the mark run for every event: through the model's collection, not the model, since
  // the model doubles their cost in this process (ADR 0010, bench/store-models.ts).
  const processed = processedEventsModel(db, groupId).collection as unknown as mongoose.mongo.Collection<{
    _id: string;
    at: Date;
    topic: string;
  }>;
  const stats: ConsumerStats = {
    processed: 0,
    duplicates: 0,
    deadLettered: 0,
    retried: 0,
    ignored: 0,
    restarts: 0,
  };

  let consumer: Consumer | undefined;
  let stopSampling: (() => void) | undefined;
  let resolveJoined!: () => void;
  const joinedPromise = new Promise<void>((resolve) => {
    resolveJoined = resolve;
  });

  async function deadLetter(payload: EachMessagePayload, reason: string, error: string, attempts: number) {
    const { topic, partition, message } = payload;
    const headers: IHeaders = { ...(message.headers ?? {}) };
    headers.dlq_reason = reason;
    headers.dlq_error = error.slice(0, 1_000);
    headers.dlq_original_topic = topic;
    headers.dlq_original_partition = String(partition);
    headers.dlq_original_offset = message.offset;
    headers.dlq_consumer_group = groupId;
    headers.dlq_attempts = String(attempts);
    headers.dlq_failed_at = new Date().toISOString();
    const unprefixed = topic.startsWith(topicPrefix) ? topic.slice(topicPrefix.length) : topic;
    // If this send fails the message is not committed: kafkajs redelivers it, nothing is lost.
    // A body too large for the dead-letter topic stays where it is (the headers say where): a dead
    // letter the broker refuses would stop this consumer on it for good.
    const tooLarge = (message.value?.length ?? 0) > maxMessageBytes / 2;
    try {
      await publisher.sendRaw(deadLetterTopic(unprefixed), [
        tooLarge
          ? { key: message.key, value: null, headers: withoutBody(headers, message.value) }
          : { key: message.key, value: message.value, headers },
      ]);
    } catch (error) {
      if (tooLarge || (error as { type?: string }).type !== 'MESSAGE_TOO_LARGE') throw error;
      await publisher.sendRaw(deadLetterTopic(unprefixed), [
        { key: message.key, value: null, headers: withoutBody(headers, message.value) },
      ]);
    }
    stats.deadLettered += 1;
    eventsProcessed.inc({
      group: groupId,
      type: headerText(message.headers, 'ce_type') ?? 'unknown',
      outcome: 'dead_lettered',
    });
    log.warn({ topic, partition, offset: message.offset, reason, error }, 'message dead-lettered');
  }

  async function handle(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message, heartbeat } = payload;
    let event: ReceivedEvent;
    try {
      event = fromKafkaMessage(message, maxMessageBytes);
    } catch (error) {
      if (error instanceof EventFormatError) {
        await deadLetter(payload, error.reason, error.message, 0);
        return;
      }
      throw error;
    }
    const handler = handlers.get(event.type);
    if (!handler) {
      stats.ignored += 1; // a catalogued type this group does not care about
      eventsProcessed.inc({ group: groupId, type: event.type, outcome: 'ignored' });
      return;
    }
    if (await processed.findOne({ _id: event.id }, { projection: { _id: 1 } })) {
      stats.duplicates += 1;
      eventsProcessed.inc({ group: groupId, type: event.type, outcome: 'duplicate' });
      log.debug({ id: event.id, type: event.type }, 'duplicate delivery skipped');
      return;
    }
    const { payload: body, definition: _definition, ...metadata } = event;
    const context: HandlerContext = {
      event: metadata,
      topic,
      partition,
      offset: message.offset,
      log: log.child({ eventId: event.id, type: event.type }),
    };
    let lastError: unknown;
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      try {
        await withEventSpan('process', topic, event, () => handler(body, context), {
          group: groupId,
          partition,
          offset: message.offset,
        });
        try {
          await processed.insertOne({ _id: event.id, at: new Date(), topic });
        } catch (error) {
          if ((error as { code?: number }).code !== 11000) throw error;
        }
        stats.processed += 1;
        eventsProcessed.inc({ group: groupId, type: event.type, outcome: 'applied' });
        return;
      } catch (error) {
        lastError = error;
        if (attempt < retry.attempts) {
          stats.retried += 1;
          eventsProcessed.inc({ group: groupId, type: event.type, outcome: 'retried' });
          const delay = backoffDelay(attempt, retry);
          context.log.warn({ attempt, delay, err: error }, 'handler failed, retrying');
          await sleep(delay);
          await heartbeat();
        }
      }
    }
    await deadLetter(
      payload,
      'handler_failed',
      String((lastError as Error)?.message ?? lastError),
      retry.attempts,
    );
  }

  let stopping = false;
  let relaunch: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let lastActivity = Date.now();
  const touch = () => {
    lastActivity = Date.now();
  };

  let restarting = false;
  let joining = false;

  /** Starts a consumer that has made no progress for stallMs over again. */
  async function checkProgress(): Promise<void> {
    const idleMs = Date.now() - lastActivity;
    // Joining a group waits for the other members; give it longer before calling it stalled.
    const limit = joining ? stallMs * 5 : stallMs;
    if (stopping || restarting || relaunch || idleMs < limit) return;
    restarting = true;
    stats.restarts += 1;
    log.warn({ idleMs }, 'consumer made no progress; starting it again');
    try {
      const stalled = consumer;
      // kafkajs waits for a running handler before it leaves the group: do not wait for ever.
      await Promise.race([stalled?.disconnect(), sleep(10_000)]).catch(() => undefined);
      if (!stopping) await launch();
    } catch (error) {
      log.error({ err: error }, 'consumer did not start again');
    } finally {
      touch();
      restarting = false;
    }
  }

  /** A kafkajs consumer in the group, subscribed and running. */
  async function launch(): Promise<void> {
    joining = true;
    const current = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      // An idle consumer fetches (and so shows it is alive) well within stallMs.
      maxWaitTimeInMs: Math.min(5_000, Math.floor(stallMs / 4)),
    });
    consumer = current;
    current.on(current.events.END_BATCH_PROCESS, ({ payload }) => {
      consumerLag.set(
        { group: groupId, topic: payload.topic, partition: String(payload.partition) },
        Math.max(0, Number(payload.offsetLag)),
      );
    });
    current.on(current.events.FETCH, touch);
    current.on(current.events.START_BATCH_PROCESS, touch);
    current.on(current.events.REBALANCING, () => {
      joining = true;
      touch();
    });
    current.on(current.events.GROUP_JOIN, ({ payload }) => {
      joining = false;
      touch();
      log.info({ memberAssignment: payload.memberAssignment }, 'joined consumer group');
      resolveJoined();
    });
    // kafkajs restarts itself after a retriable failure but stops for good after any other one (a
    // bug, a refused dead letter), while the service around it looks healthy. Start over instead:
    // the offsets of handled messages are committed, so nothing is skipped and nothing applied twice.
    current.on(current.events.CRASH, ({ payload }) => {
      if (payload.restart || stopping) return;
      stats.restarts += 1;
      log.error({ err: payload.error }, 'consumer stopped after an error; starting it again in 5 s');
      relaunch = setTimeout(() => {
        relaunch = undefined;
        if (stopping) return;
        launch().catch((error) => log.error({ err: error }, 'consumer did not start again'));
      }, 5_000);
    });
    await current.connect();
    // A topic created a moment ago may not be in every broker's metadata yet: retry briefly.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await current.subscribe({ topics, fromBeginning });
        break;
      } catch (error) {
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 20) {
          throw new Error(`cannot subscribe to ${topics.join(', ')}: ${(error as Error).message}`, {
            cause: error,
          });
        }
        await sleep(250);
      }
    }
    await current.run({
      partitionsConsumedConcurrently,
      eachMessage: async (payload) => {
        touch();
        await handle(payload);
        touch();
        options.onProgress?.(payload.topic, payload.partition, payload.message.offset);
      },
    });
  }

  return {
    stats,
    async start() {
      await processed.createIndex({ at: 1 });
      stopSampling = sampleDeadLetters(() => deadLetterSizes(kafka, topics));
      await launch();
      touch();
      watchdog = setInterval(() => void checkProgress(), Math.max(250, stallMs / 4));
      watchdog.unref();
      log.info({ topics }, 'consuming');
    },
    joined: () => joinedPromise,
    async stop() {
      // kafkajs waits for in-flight handlers and commits their offsets before leaving the group.
      stopping = true;
      clearTimeout(relaunch);
      clearInterval(watchdog);
      stopSampling?.();
      await consumer?.disconnect();
    },
  };
}

/** Dead-letter headers for a message whose body is left out: its size, and where to find it. */
function withoutBody(headers: IHeaders, value: Buffer | null): IHeaders {
  return { ...headers, dlq_body_omitted: 'true', dlq_body_bytes: String(value?.length ?? 0) };
}

const dlqCache = new Map<
  string,
  { at: number; sizes: { labels: Record<string, string>; value: number }[] }
>();

/** Messages held in the dead-letter topics of `topics` (high minus low watermarks), cached 10 s. */
async function deadLetterSizes(kafka: Kafka, topics: readonly string[]) {
  const key = topics.join(',');
  const cached = dlqCache.get(key);
  if (cached && Date.now() - cached.at < 10_000) return cached.sizes;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const sizes = await Promise.all(
      topics.map(async (topic) => {
        const dlq = deadLetterTopic(topic);
        try {
          const offsets = await admin.fetchTopicOffsets(dlq);
          const value = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
          return { labels: { topic: dlq }, value };
        } catch {
          return { labels: { topic: dlq }, value: 0 };
        }
      }),
    );
    dlqCache.set(key, { at: Date.now(), sizes });
    return sizes;
  } finally {
    await admin.disconnect();
  }
}
