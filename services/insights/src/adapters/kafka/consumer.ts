import { onBatch, type Subscription } from '@lienket/eventbus';
import { mergeFactsOf } from '../../app/merge-facts';
import type { FactStore } from '../../app/ports';
import { factRules } from '../../domain/rules';

/**
 * Every public event, merged into the facts a batch at a time: one read of the facts the batch
 * touches, one write of those it changed (at most one find, one insert and one update per kind of
 * fact). One subscription for every type, so a batch is never cut into runs. The merges ignore order
 * and repetition and the writes are guarded by revision, so a redelivered batch changes nothing:
 * the consumer keeps no record of processed ids (`idempotent`).
 */
export function factSubscriptions(store: FactStore): Subscription[] {
  return [
    onBatch(
      factRules.map((rule) => rule.definition),
      async (events) => {
        await mergeFactsOf(store, events);
      },
      { idempotent: true },
    ),
  ];
}
