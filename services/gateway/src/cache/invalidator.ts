import { randomUUID } from 'node:crypto';
import type { Logger } from '@lienket/platform';
import type { Consumer, Kafka } from 'kafkajs';
import type { ReadCache } from './read-cache';

export interface InvalidatorOptions {
  kafka: Kafka;
  cache: ReadCache;
  /** Topic (prefix included) → cache key of the entity a message is about (its Kafka key is the entity id). */
  topics: Record<string, (entityId: string) => string>;
  /** Consumer group prefix; each gateway instance reads with a fresh group that never commits. */
  groupPrefix: string;
  log: Logger;
  /** Wait before starting again after the consumer stopped on an error. */
  restartMs?: number;
}

export interface CacheInvalidator {
  /** Resolves once the consumer has joined and fetched (the cache serves from then on). */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly groupId: string;
}

/**
 * Drops cache entries when the owning service publishes a change. Every instance reads every
 * partition from the end (a fresh group, no commits): it needs only what happens while it runs,
 * because the cache serves only while this consumer is in its group (see {@link ReadCache.setLive}).
 */
export function startCacheInvalidator(options: InvalidatorOptions): CacheInvalidator {
  const { kafka, cache, log } = options;
  const groupId = `${options.groupPrefix}.cache.${randomUUID()}`;
  const topics = Object.keys(options.topics);
  let consumer: Consumer | undefined;
  let stopping = false;
  let restart: NodeJS.Timeout | undefined;
  let joined: (() => void) | undefined;
  const firstJoin = new Promise<void>((resolve) => {
    joined = resolve;
  });

  const launch = async () => {
    const current = kafka.consumer({
      groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 1_000,
    });
    consumer = current;
    // Live from the first fetch after joining: by then the start offsets are resolved, so no change
    // published after that moment can be missed.
    let inGroup = false;
    current.on(current.events.GROUP_JOIN, () => {
      inGroup = true;
    });
    current.on(current.events.FETCH, () => {
      if (!inGroup || cache.live) return;
      cache.setLive(true);
      joined?.();
    });
    for (const event of [current.events.STOP, current.events.DISCONNECT, current.events.REBALANCING])
      current.on(event, () => {
        inGroup = false;
        cache.setLive(false);
      });
    current.on(current.events.CRASH, ({ payload }) => {
      inGroup = false;
      cache.setLive(false);
      if (stopping || payload.restart) return;
      log.warn(
        { err: payload.error, groupId },
        'cache invalidation stopped; the cache is off until it starts again',
      );
      restart = setTimeout(() => {
        void relaunch();
      }, options.restartMs ?? 5_000);
      restart.unref();
    });
    await current.connect();
    await current.subscribe({ topics, fromBeginning: false });
    await current.run({
      autoCommit: false,
      eachMessage: async ({ topic, message }) => {
        const keyOf = options.topics[topic];
        const id = message.key?.toString();
        if (keyOf && id) cache.invalidate(keyOf(id));
      },
    });
  };

  const relaunch = async () => {
    if (stopping) return;
    await consumer?.disconnect().catch(() => undefined);
    await launch().catch((error: unknown) => {
      log.warn({ err: error, groupId }, 'cache invalidation could not start; trying again');
      restart = setTimeout(() => {
        void relaunch();
      }, options.restartMs ?? 5_000);
      restart.unref();
    });
  };

  return {
    groupId,
    async start() {
      await launch();
      await firstJoin;
    },
    async stop() {
      stopping = true;
      if (restart) clearTimeout(restart);
      cache.setLive(false);
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
