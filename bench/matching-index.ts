// The matching index under test: build time, memory, top-k latency per need.
import { type Party, type Supply, SupplyIndex } from '@lienket/matching';
import { bar, elapsedMs, GcWatch, heapMb } from './matching-measure';
import { K, NOW, THRESHOLD, WARMUP } from './matching-options';
import type { Query, World } from './matching-world';
import { type Latency, latency, round } from './perf-stats';

// ---------------------------------------------------------------- the index

export interface IndexResult {
  parties: number;
  build: { ms: number; partiesMs: number; suppliesMs: number };
  memory: { indexMbPer100k: number; postingsMbPer100k: number; heapAfterBuildMb: number };
  latency: Latency;
  warmup: number;
  meanHits: number;
  fullTopK: number;
  gcDuringQueries: { count: number; totalMs: number; maxMs: number };
  /** The slowest needs, each timed again (best of five) to tell a costly need from a pause or a busy machine. */
  slowest: Slow[];
  /** Top k of the first queries, ids and scores, to compare with the baseline's answers. */
  top: { id: string; score: number }[][];
}

interface Slow {
  id: string;
  ms: number;
  againBestOf5Ms: number;
  hits: number;
  /** Score of the k-th hit: the lower it is, the more lists the search must read. */
  kthScore: number | null;
  province: string;
  hsCodes: string[];
  vsicCodes: string[];
  requiredCertifications: string[];
  excludedProvinces: string[];
  preferredProvinces: string[];
}

const SLOWEST = 5;

export async function benchIndex(
  world: World,
  queries: readonly Query[],
  postingsMb: number,
  keep: number,
): Promise<IndexResult> {
  const size = world.supplies.length;
  const before = heapMb();
  const index = new SupplyIndex();
  const build = bar(`build ${size.toLocaleString('en')}`, size + world.parties.length);
  const t0 = process.hrtime.bigint();
  // Parties first, as a replay of the registry would bring enterprises before their postings.
  for (let i = 0; i < world.parties.length; i++) {
    index.setParty(world.parties[i] as Party);
    if (i % 10_000 === 9_999) build.update(i + 1);
  }
  const partiesMs = elapsedMs(t0);
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < size; i++) {
    index.upsert(world.supplies[i] as Supply);
    if (i % 10_000 === 9_999) build.update(world.parties.length + i + 1);
  }
  const suppliesMs = elapsedMs(t1);
  build.update(size + world.parties.length);
  build.stop();
  const after = heapMb();

  for (const { demand, buyer } of queries.slice(0, WARMUP)) index.topK(demand, buyer, K, THRESHOLD, NOW);
  const measured = queries.slice(WARMUP);
  const samples: number[] = [];
  const top: { id: string; score: number }[][] = [];
  const kth: (number | null)[] = [];
  let hits = 0;
  let full = 0;
  const progress = bar(`queries ${size.toLocaleString('en')}`, measured.length);
  const watch = new GcWatch();
  watch.start();
  for (let i = 0; i < measured.length; i++) {
    const { demand, buyer } = measured[i] as Query;
    const start = process.hrtime.bigint();
    const ranked = index.topK(demand, buyer, K, THRESHOLD, NOW);
    samples.push(elapsedMs(start));
    hits += ranked.length;
    kth.push(ranked[K - 1]?.match.score ?? null);
    if (ranked.length === K) full++;
    if (i < keep) top.push(ranked.map((r) => ({ id: r.supply.id, score: r.match.score })));
    if (i % 25 === 24) progress.update(i + 1);
  }
  const gcs = await watch.stop();
  progress.update(measured.length);
  progress.stop();
  const slowest = samples
    .map((ms, i) => ({ ms, i }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SLOWEST)
    .map(({ ms, i }): Slow => {
      const { demand, buyer } = measured[i] as Query;
      let again = Number.POSITIVE_INFINITY;
      let count = 0;
      for (let r = 0; r < 5; r++) {
        const start = process.hrtime.bigint();
        count = index.topK(demand, buyer, K, THRESHOLD, NOW).length;
        again = Math.min(again, elapsedMs(start));
      }
      return {
        id: demand.id,
        ms: round(ms, 3),
        againBestOf5Ms: round(again, 3),
        hits: count,
        kthScore: kth[i] ?? null,
        province: buyer.province,
        hsCodes: demand.hsCodes,
        vsicCodes: demand.vsicCodes,
        requiredCertifications: demand.requiredCertifications,
        excludedProvinces: demand.excludedProvinces,
        preferredProvinces: demand.preferredProvinces,
      };
    });
  return {
    parties: world.parties.length,
    build: {
      ms: Math.round(partiesMs + suppliesMs),
      partiesMs: Math.round(partiesMs),
      suppliesMs: Math.round(suppliesMs),
    },
    memory: {
      indexMbPer100k: round(((after - before) * 100_000) / size, 1),
      postingsMbPer100k: round((postingsMb * 100_000) / size, 1),
      heapAfterBuildMb: Math.round(after),
    },
    latency: latency(samples, 3),
    warmup: WARMUP,
    meanHits: round(hits / Math.max(1, measured.length), 2),
    fullTopK: round(full / Math.max(1, measured.length), 3),
    gcDuringQueries: gcs,
    slowest,
    top,
  };
}
