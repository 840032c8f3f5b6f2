import { type FactEvent, factKey, foldFacts, touchedFacts, updatesOf } from '../domain/rules/fold';
import type { FactStore } from './ports';

/** Folds that lost a compare-and-set this many times in a row give up (the consumer retries the batch). */
const MAX_ATTEMPTS = 25;

/**
 * Merges a batch of events into the facts: one read of the facts it touches, the events folded over
 * them in memory in order, one write of those that changed, each guarded by the revision it was
 * read at. A fact another writer changed meanwhile is read and folded again (the merges ignore order
 * and repetition, so nothing counts twice). A redelivered batch folds to no change and writes
 * nothing: no record of processed event ids is needed.
 */
export async function mergeFactsOf(store: FactStore, events: readonly FactEvent[]): Promise<void> {
  let pending = updatesOf(events);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    if (pending.length === 0) return;
    const stored = await store.readFacts(touchedFacts(pending));
    const changes = foldFacts(pending, stored);
    if (changes.length === 0) return;
    const lost = new Set(await store.writeFacts(changes));
    pending = pending.filter((u) => lost.has(factKey(u.kind, u.id)));
  }
  throw new Error(`${pending.length} fact merges lost to other writers ${MAX_ATTEMPTS} times in a row`);
}
