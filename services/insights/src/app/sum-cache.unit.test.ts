import { makeInsights } from './insights';
import type { FactStore, SumQuery } from './ports';
import { withSumCache } from './sum-cache';

/** A store whose sums are counted and whose version the test moves. */
function countingStore() {
  const counts = { sums: 0, versionReads: 0 };
  let version = 0;
  const store: FactStore = {
    readFacts: async () => new Map(),
    writeFacts: async () => [],
    find: async () => [],
    factsVersion: async () => {
      counts.versionReads += 1;
      return version;
    },
    sum: async (query: SumQuery) => {
      counts.sums += 1;
      return [{ key: query.by.map(() => '19'), value: counts.sums }];
    },
  };
  return { store, counts, move: () => (version += 1) };
}

describe('withSumCache', () => {
  it('counts a province page once while the facts stay the same, and again after they change', async () => {
    const { store, counts, move } = countingStore();
    const insights = makeInsights({ store: withSumCache(store) });
    const first = await insights.getProvinceSummary('19', undefined, 0);
    const perPage = counts.sums;
    if (process.env.LIENKET_TEST_LOG) process.stdout.write(`store sums per province page: ${perPage}\n`);
    // The page's figures are many store scans (this is what cost the province page ~2 s) ...
    expect(perPage).toBeGreaterThan(20);
    // ... asked together (two rounds: lead firms' names follow their counts), they share a read of the version.
    expect(counts.versionReads).toBe(2);
    const again = await insights.getProvinceSummary('19', undefined, 0);
    expect(counts.sums).toBe(perPage);
    expect(again).toEqual(first);
    move();
    const after = await insights.getProvinceSummary('19', undefined, 0);
    expect(counts.sums).toBe(2 * perPage);
    expect(after).not.toEqual(first);
  });

  it('keeps no failed count, and stays within its bound', async () => {
    const { store, counts } = countingStore();
    let fail = true;
    const failing: FactStore = {
      ...store,
      sum: async (q) => {
        if (fail) throw new Error('store down');
        return store.sum(q);
      },
    };
    const cached = withSumCache(failing, { maxEntries: 4 });
    const query = (n: number): SumQuery => ({ kind: 'need', match: { n }, by: [] });
    await expect(cached.sum(query(1))).rejects.toThrow('store down');
    fail = false;
    await cached.sum(query(1));
    expect(counts.sums).toBe(1);
    for (let n = 2; n <= 10; n += 1) await cached.sum(query(n));
    await cached.sum(query(10));
    expect(cached.stats.hits).toBe(1);
    expect(counts.sums).toBe(10);
  });
});
