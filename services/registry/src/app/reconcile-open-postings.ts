import { type CounterDrift, confirmedDrifts } from '../domain/postings';
import type { RegistryContext } from './context';

/** The periodic check of each enterprise's open-postings counter against its open postings. */
export function makeReconcileOpenPostings(ctx: RegistryContext) {
  const { store } = ctx;
  let suspectedDrifts: CounterDrift[] = [];

  return {
    /**
     * One pass of the counter check: an open-postings counter that disagrees with the enterprise's
     * open postings in two passes in a row (a process killed between reserving and writing a
     * posting, or between closing one and releasing it) is set to the count, if it has not moved.
     */
    async reconcileOpenPostings(): Promise<{ corrected: CounterDrift[]; suspect: number }> {
      const [counters, open] = await Promise.all([store.openPostingCounters(), store.countOpenPostings()]);
      const { correct, suspect } = confirmedDrifts(counters, open, suspectedDrifts);
      const corrected: CounterDrift[] = [];
      for (const drift of correct)
        if (await store.correctOpenPostings(drift.enterpriseId, drift.counter, drift.open))
          corrected.push(drift);
      suspectedDrifts = suspect;
      return { corrected, suspect: suspect.length };
    },
  };
}
