import { createEventConsumer, type EventConsumer, type EventPublisher, on } from '@lienket/eventbus';
import type { Logger } from '@lienket/platform';
import type { Kafka } from 'kafkajs';
import type mongoose from 'mongoose';
import type { FactStore } from '../../app/ports';
import { factRules } from '../../domain/rules';

interface ConsumerDeps {
  kafka: Kafka;
  db: mongoose.mongo.Db;
  /** For dead letters only: insights announces nothing. */
  publisher: EventPublisher;
  store: FactStore;
  log: Logger;
  topicPrefix: string;
  groupId: string;
  concurrency: number;
}

/**
 * One consumer group over every public topic. The event bus applies each CloudEvents id once per
 * group; the merges are idempotent on their own as well, so a redelivery under a new id, or a
 * replay into a fresh store, adds nothing.
 */
export function createFactConsumer(deps: ConsumerDeps): EventConsumer {
  return createEventConsumer({
    kafka: deps.kafka,
    db: deps.db,
    publisher: deps.publisher,
    log: deps.log,
    topicPrefix: deps.topicPrefix,
    groupId: `${deps.topicPrefix}${deps.groupId}`,
    partitionsConsumedConcurrently: deps.concurrency,
    fromBeginning: true,
    subscriptions: factRules.map((rule) =>
      on(rule.definition, async (payload, { event }) => {
        // One aggregate's facts, in order; a failure retries the whole event (merges are idempotent).
        for (const update of rule.updates(payload, event.time)) await deps.store.apply(update);
      }),
    ),
  });
}
