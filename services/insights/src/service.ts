import type { Logger } from '@lienket/platform';
import { startServiceRuntime } from '@lienket/runtime';
import { makeInsightsGrpc } from './adapters/grpc/insights-grpc';
import { factSubscriptions } from './adapters/kafka/consumer';
import { createMongoFactStore, ensureFactIndexes } from './adapters/mongo/store';
import { makeInsights } from './app/insights';
import { withSumCache } from './app/sum-cache';
import type { InsightsConfig } from './config';
import { publicTopics } from './domain/rules';

/** Wires the service from its config; main.ts runs it, integration tests start it in-process. */
export async function startInsights(config: InsightsConfig, log: Logger) {
  // Every public topic is created here too, so insights can subscribe before its producers run.
  const runtime = await startServiceRuntime({ name: 'insights', config, log, topics: publicTopics });
  const { connection } = runtime;
  await ensureFactIndexes(connection);

  const store = createMongoFactStore(connection);
  // One group over every public topic, from the beginning: a rebuild into a fresh database takes a new group.
  const consumer = await runtime.consume({
    name: 'fact-consumer',
    subscriptions: factSubscriptions(store),
    concurrency: config.CONSUMER_CONCURRENCY,
    fromBeginning: true,
  });

  // The figures read through a cache keyed by the facts' version; the consumer writes to the store.
  const insights = makeInsights({ store: withSumCache(store) });
  await runtime.serveGrpc([makeInsightsGrpc({ insights, log: log.child({ component: 'grpc' }) })]);
  return runtime.started({ insights, store, consumer });
}
