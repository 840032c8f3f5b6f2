import type { FactStore, SumQuery, SumRow } from './ports';

/**
 * Figures are counted when asked (one $group per figure: FerretDB answers one accumulator per
 * $group), so a province's page cost some forty store scans, about 2 s on the seeded data. The
 * answers only change when facts do: this keeps each sum's rows under the facts' version and counts
 * again only after a write moved it. A read costs one small find of the version, shared by every sum
 * asked while it is pending (a page's figures are asked together). Bounded: past `maxEntries` the
 * oldest half goes.
 */
export function withSumCache(
  store: FactStore,
  { maxEntries = 5_000 } = {},
): FactStore & {
  stats: { hits: number; misses: number };
} {
  let version: number | undefined;
  const rows = new Map<string, Promise<SumRow[]>>();
  const stats = { hits: 0, misses: 0 };
  let reading: Promise<number> | undefined;

  const currentVersion = () => {
    reading ??= store.factsVersion().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  return {
    ...store,
    stats,
    async writeFacts(changes) {
      const lost = await store.writeFacts(changes);
      // This process's own writes are seen at once, without waiting for the next version read.
      if (changes.length > 0) version = undefined;
      return lost;
    },
    async sum(query: SumQuery) {
      const now = await currentVersion();
      if (now !== version) {
        rows.clear();
        version = now;
      }
      const key = JSON.stringify(query);
      const cached = rows.get(key);
      if (cached) {
        stats.hits += 1;
        return cached;
      }
      stats.misses += 1;
      if (rows.size >= maxEntries)
        for (const old of [...rows.keys()].slice(0, maxEntries / 2)) rows.delete(old);
      const counting = store.sum(query);
      rows.set(key, counting);
      // A failed count is not kept.
      counting.catch(() => {
        if (rows.get(key) === counting) rows.delete(key);
      });
      return counting;
    },
  };
}
