import { on, type Subscription } from '@lienket/eventbus';
import type { FactStore } from '../../app/ports';
import { factRules } from '../../domain/rules';

/**
 * Every public event, merged into the facts. The event bus applies each CloudEvents id once per
 * group; the merges are idempotent on their own as well, so a redelivery under a new id, or a
 * replay into a fresh store, adds nothing.
 */
export function factSubscriptions(store: FactStore): Subscription[] {
  return factRules.map((rule) =>
    on(rule.definition, async (payload, { event }) => {
      // One aggregate's facts, in order; a failure retries the whole event (merges are idempotent).
      for (const update of rule.updates(payload, event.time)) await store.apply(update);
    }),
  );
}
