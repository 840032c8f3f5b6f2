import { ensureTopics } from '@lienket/eventbus';
import type { GatewayContext } from '../context';
import { publicTopics } from '../events/public-events';
import { startWebhookConsumer } from './consumer';
import { createDeliveryLoop } from './delivery';
import { webhookPaths, webhookSchemas } from './openapi';
import { subscriptionRouter } from './routes';
import { openWebhookCollections } from './store';
import { createSubscriptionCache } from './subscription-cache';

export { verifyWebhookSignature } from './signature';

/**
 * Webhooks: `/v1/subscriptions` (CRUD and delivery logs), a consumer that turns every public event
 * into one stored delivery per matching active subscription, and a loop that POSTs due deliveries
 * as signed CloudEvents with retries. Every gateway instance runs all three; the consumer group is
 * shared and deliveries are leased, so each event goes out once per subscription.
 */
export async function install(context: GatewayContext): Promise<void> {
  const { config, connection, kafka, log } = context;
  const collections = await openWebhookCollections(connection);
  const subscriptions = createSubscriptionCache({
    collections,
    checkEveryMs: config.WEBHOOK_SUBSCRIPTIONS_CHECK_MS,
  });
  Object.assign(context.documentation.paths, webhookPaths);
  Object.assign(context.documentation.schemas, webhookSchemas);
  context.extensions.push((app) => {
    app.use(
      subscriptionRouter({
        collections,
        allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
        onChange: () => subscriptions.invalidate(),
        // The loop exists before the first request arrives.
        onEnqueued: () => loop.notify(),
      }),
    );
  });

  const loop = createDeliveryLoop({
    collections,
    log,
    retry: {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      initialBackoffMs: config.WEBHOOK_INITIAL_BACKOFF_MS,
      maxBackoffMs: config.WEBHOOK_MAX_BACKOFF_MS,
    },
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    pollMs: config.WEBHOOK_POLL_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    concurrency: config.WEBHOOK_CONCURRENCY,
    retentionMs: config.WEBHOOK_RETENTION_DAYS * 86_400_000,
  });
  const topics = publicTopics.map((topic) => config.KAFKA_TOPIC_PREFIX + topic);
  await ensureTopics(kafka, topics, {
    partitions: config.KAFKA_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  const consumer = await startWebhookConsumer({
    kafka,
    collections,
    subscriptions,
    topics,
    groupId: `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}-webhooks`,
    log,
    onEnqueued: () => loop.notify(),
  });
  loop.start();
  // Parts stop in reverse order: the consumer first, then the loop (its sends in flight finish).
  context.parts.push({ name: 'webhooks-delivery', stop: () => loop.stop() });
  context.parts.push({ name: 'webhooks-consumer', stop: () => consumer.stop() });
}
