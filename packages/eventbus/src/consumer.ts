import { deadLetterTopic } from '@lienket/contracts';
import { consumerLag, sampleDeadLetters } from '@lienket/platform';
import type { Consumer, Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { backoffDelay, type ConsumerStats, createBatchCore, type RetryPolicy } from './batch';
import { createDeadLetterSender } from './dead-letters';
import { connectionOf, documentSchemaOptions, modelOn } from './models';
import type { EventPublisher } from './publisher';
import type { Subscription } from './subscriptions';

// The subscription API (`on`, `onBatch`, ...) is the consumer's: import it from here or the package.
export * from './subscriptions';
export { backoffDelay, type ConsumerStats, type RetryPolicy };

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  subscriptions: Subscription[];
  /** Database holding the processed-ids collection of subscriptions that are not idempotent. */
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
  /**
   * Called for each message once it is done with (applied, skipped, ignored or dead-lettered), after
   * the effects of its batch and before the batch's offsets are committed: a throw redelivers it.
   */
  onProgress?: (topic: string, partition: number, offset: string) => void;
  /**
   * With no fetch and no message handled for this long, the consumer is started again (default
   * 60 s; an idle consumer still fetches every few seconds). kafkajs can stop fetching for good
   * after a broker restart without an error.
   */
  stallMs?: number;
  /**
   * Events applied at most per slice of a Kafka batch (default 500): each slice costs at most one
   * dedupe read and one dedupe write, and its offsets are committed after it, so a crash replays at
   * most one slice.
   */
  maxBatchEvents?: number;
}

export interface EventConsumer {
  start(): Promise<void>;
  /** Resolves once the consumer has joined its group and been assigned partitions. */
  joined(): Promise<void>;
  stop(): Promise<void>;
  readonly stats: ConsumerStats;
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

/**
 * A consumer-group member on kafkajs `eachBatch`: decodes CloudEvents, hands them to batch handlers
 * (`onBatch`) or per-event handlers (`on`) in offset order, applies each event id at most once per
 * group (idempotent handlers by their own keys, the others through a processed-ids collection read
 * and written once per batch), retries a failing handler with backoff, isolates a failing event in a
 * batch and moves it to `<topic>.dlq` with the error in headers. A bad message never stops it.
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
    maxBatchEvents = 500,
  } = options;
  const retry: RetryPolicy = { ...defaultRetry, ...options.retry };
  const log = options.log.child({ component: 'consumer', groupId });
  const definitions = subscriptions.flatMap((s) => (s.kind === 'event' ? [s.definition] : s.definitions));
  const topics = [...new Set(definitions.map((d) => topicPrefix + d.topic))];
  // The check and the mark run per batch on the hot path: through the model's collection, not the
  // model, since the model doubles their cost in this process (ADR 0010, bench/store-models.ts).
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
    batches: 0,
    restarts: 0,
  };

  let consumer: Consumer | undefined;
  let stopSampling: (() => void) | undefined;
  let resolveJoined!: () => void;
  const joinedPromise = new Promise<void>((resolve) => {
    resolveJoined = resolve;
  });

  let stopping = false;
  let relaunch: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let lastActivity = Date.now();
  const touch = () => {
    lastActivity = Date.now();
  };

  const applyKafkaBatch = createBatchCore({
    groupId,
    subscriptions,
    processed,
    retry,
    maxMessageBytes,
    maxBatchEvents,
    stats,
    log,
    sleep,
    deadLetter: createDeadLetterSender({ publisher, groupId, topicPrefix, maxMessageBytes, log }),
    onProgress: options.onProgress,
    touch,
  });

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
      // Offsets are resolved and committed by the batch core after each slice's effects.
      eachBatchAutoResolve: false,
      autoCommit: true,
      eachBatch: async (payload) => {
        touch();
        await applyKafkaBatch(payload);
        touch();
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
