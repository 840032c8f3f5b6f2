import { type Logger, uuidv7 } from '@lienket/platform';
import type { Consumer, Kafka } from 'kafkajs';
import { matches, type PublicEvent, renderEvent } from '../events/public-events';
import { type DeliveryDocument, enqueueDeliveries, type WebhookCollections } from './store';
import type { SubscriptionCache } from './subscription-cache';

/** Deliveries written per insert (and offsets resolved after each). */
const CHUNK = 500;

export interface WebhookConsumerOptions {
  kafka: Kafka;
  collections: WebhookCollections;
  /** The active subscriptions, fresh for each batch received (see createSubscriptionCache). */
  subscriptions: SubscriptionCache;
  /** Prefixed topic names. */
  topics: string[];
  groupId: string;
  log: Logger;
  /** Called after new deliveries were stored (wakes the sender). */
  onEnqueued?: () => void;
}

export interface WebhookConsumer {
  stop(): Promise<void>;
  readonly stats: { events: number; enqueued: number };
}

export const newDelivery = (
  subscriptionId: string,
  event: PublicEvent,
  body: string,
  at: Date,
): DeliveryDocument => ({
  _id: uuidv7(at.getTime()),
  subscription_id: subscriptionId,
  event_id: event.id,
  event_type: event.type,
  body,
  status: 'pending',
  attempts: 0,
  next_attempt_at: at,
  lease_token: null,
  lease_until: null,
  last_status_code: null,
  last_error: null,
  last_attempt_at: null,
  delivered_at: null,
  history: [],
  created_at: at,
  updated_at: at,
});

/**
 * "From the latest on first start": a partition of the group with no committed offset yet is sought
 * to its current end right after the first join. kafkajs commits a seek before fetching from it, so
 * the group has an offset for it from then on: every event published after the gateway started is
 * delivered, also after a restart before anything was consumed, and nothing older is.
 */
async function startAtLatestWhereNew(
  kafka: Kafka,
  consumer: Consumer,
  groupId: string,
  assignment: Record<string, number[]>,
) {
  const topics = Object.keys(assignment).filter((topic) => (assignment[topic] ?? []).length > 0);
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const mine = new Set(assignment[topic] ?? []);
      const missing = partitions.filter((p) => mine.has(p.partition) && Number(p.offset) < 0);
      if (missing.length === 0) continue;
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
      for (const { partition } of missing)
        consumer.seek({ topic, partition, offset: ends.get(partition) ?? '0' });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads every public topic in one consumer group shared by all gateway instances, renders each
 * event and stores one delivery per matching active subscription before the message's offset is
 * resolved (so committed); a redelivered message finds its deliveries already there. The
 * subscriptions come from the instance's cache, checked against the version counter once for all
 * the batches received meanwhile, not read per batch.
 */
export async function startWebhookConsumer(options: WebhookConsumerOptions): Promise<WebhookConsumer> {
  const { kafka, collections, topics, groupId, onEnqueued, subscriptions } = options;
  const log = options.log.child({ component: 'webhook-consumer', groupId });
  const stats = { events: 0, enqueued: 0 };
  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
  });
  let assignment: Record<string, number[]> = {};
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assignment = payload.memberAssignment;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) =>
    log.error({ err: payload.error, restart: payload.restart }, 'webhook consumer crashed'),
  );
  await consumer.connect();
  for (let attempt = 1; ; attempt += 1) {
    try {
      await consumer.subscribe({ topics, fromBeginning: false });
      break;
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  await consumer.run({
    // Batches of several partitions wait for one subscriptions check together.
    partitionsConsumedConcurrently: 8,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (batch.messages.length === 0) return;
      // Every subscription written before these events were published, by any instance.
      const active = await subscriptions.fresh();
      let pending: DeliveryDocument[] = [];
      let lastOffset: string | undefined;
      const flush = async () => {
        const added = await enqueueDeliveries(collections.deliveries, pending);
        stats.enqueued += added;
        if (added > 0) onEnqueued?.();
        if (lastOffset !== undefined) resolveOffset(lastOffset);
        pending = [];
        lastOffset = undefined;
        await heartbeat();
      };
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const rendered = renderEvent(message);
        if (rendered) {
          stats.events += 1;
          const { event, facts } = rendered;
          const body = JSON.stringify(event);
          const at = new Date();
          for (const subscription of active)
            if (matches(subscription.filter, event.type, facts))
              pending.push(newDelivery(subscription._id, event, body, at));
        }
        lastOffset = message.offset;
        if (pending.length >= CHUNK) await flush();
      }
      await flush();
    },
  });
  // run() returns once the consumer has joined the group for the first time.
  try {
    await startAtLatestWhereNew(kafka, consumer, groupId, assignment);
  } catch (error) {
    log.warn({ err: error }, 'could not pin new partitions to their end; kafkajs starts them at the latest');
  }
  log.info({ topics: topics.length }, 'webhook consumer started');

  return {
    stats,
    // kafkajs finishes the batch in hand and commits resolved offsets before leaving the group.
    stop: () => consumer.disconnect(),
  };
}
