// Matching benchmark: SupplyIndex (@lienket/matching) against the way a team would write the same question
// first, one store query per need with each candidate scored by the library. Synthetic, seeded data; figures go
// to bench/results/matching.json and a Markdown table to stdout, progress to stderr. A speed-up is reported only
// where both answered every need the same (same top k, same scores).
//
//   npm run bench:matching -- [--sizes 100000,1000000] [--queries 1000] [--baseline-queries 100]
//                             [--baseline-max-size 100000] [--seed 20250701] [--out bench/results/matching.json]
//
// The store is MONGO_URL when set, else the local one (`node infra/local/cli.mjs up --json`), which is stopped
// again only when this run started it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { MongoClient } from 'mongodb';
import { type BaselineResult, benchBaseline, STORE_CAVEAT, type Store } from './matching-baseline';
import { Catalogue } from './matching-catalogue';
import { benchIndex, type IndexResult } from './matching-index';
import { bar, heapMb, log } from './matching-measure';
import {
  K,
  NOW,
  options,
  ROOT,
  TARGET_P99_MS,
  TARGET_P99_SIZE,
  TARGET_SPEEDUP,
  THRESHOLD,
  WARMUP,
} from './matching-options';
import { Rng } from './matching-random';
import { generateQueries, generateWorld } from './matching-world';
import { round } from './perf-stats';

// ---------------------------------------------------------------- the store's lifecycle

interface Provisioned {
  url: string;
  source: string;
  started: string[];
}

function provisionStore(): Provisioned {
  const url = process.env.MONGO_URL;
  if (url) return { url, source: 'MONGO_URL', started: [] };
  log('store: node infra/local/cli.mjs up --json');
  const out = spawnSync(process.execPath, [join(ROOT, 'infra/local/cli.mjs'), 'up', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !last.startsWith('{'))
    throw new Error(`infra/local up failed (exit ${out.status})`);
  const result = JSON.parse(last) as { mongoUrl: string; started: string[] };
  if (result.started.length > 0) log(`store: this run started ${result.started.join(', ')}`);
  return { url: result.mongoUrl, source: 'infra/local', started: result.started };
}

/** Stops what this run started and nothing else (the CLI's down stops both components). */
function releaseStore(p: Provisioned): void {
  if (p.started.length === 0) return;
  if (p.started.includes('store') && p.started.includes('kafka')) {
    log('store: node infra/local/cli.mjs down');
    spawnSync(process.execPath, [join(ROOT, 'infra/local/cli.mjs'), 'down'], { cwd: ROOT, stdio: 'inherit' });
    return;
  }
  log(`store: stopping ${p.started.join(', ')}`);
  const infra = pathToFileURL(join(ROOT, 'infra/local/infra.mjs')).href;
  const script = `const { down } = await import(${JSON.stringify(infra)}); await down({ only: ${JSON.stringify(p.started)} });`;
  spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: 'inherit' });
}

// ---------------------------------------------------------------- report

interface SizeResult {
  size: number;
  index: IndexResult;
  baseline: BaselineResult | string;
  speedup: { p50: number; p99: number } | null;
  /** Why there is no speed-up although the baseline ran: the two answered different questions. */
  speedupWithheld: string | null;
}

/** A speed-up compares one question answered two ways: only when every need got the same answer from both. */
function speedupOf(
  index: IndexResult,
  baseline: BaselineResult | string,
): Pick<SizeResult, 'speedup' | 'speedupWithheld'> {
  if (typeof baseline === 'string') return { speedup: null, speedupWithheld: null };
  if (baseline.identicalAnswers !== baseline.needs) {
    return {
      speedup: null,
      speedupWithheld:
        `the baseline and the index answered ${baseline.needs - baseline.identicalAnswers} of ${baseline.needs} needs ` +
        `differently (top-${K} overlap ${baseline.overlapWithIndex}): they no longer ask the same question; ` +
        `see disagreements (needs ${baseline.disagreements.map((d) => d.demandId).join(', ')})`,
    };
  }
  return {
    speedup: {
      p50: round(baseline.latency.p50 / index.latency.p50, 1),
      p99: round(baseline.latency.p99 / index.latency.p99, 1),
    },
    speedupWithheld: null,
  };
}

function fmt(x: number | undefined, digits = 2): string {
  return x === undefined || Number.isNaN(x) ? '–' : x.toLocaleString('en', { maximumFractionDigits: digits });
}

function table(results: readonly SizeResult[]): string {
  const head = [
    'size',
    'build ms',
    'MB per 100k',
    'p50 ms',
    'p99 ms',
    'baseline p50 ms',
    'baseline p99 ms',
    'same top 10',
    'speed-up p50',
    'speed-up p99',
  ];
  const rows = results.map((r) => {
    const b = typeof r.baseline === 'string' ? undefined : r.baseline;
    return [
      r.size.toLocaleString('en'),
      fmt(r.index.build.ms, 0),
      fmt(r.index.memory.indexMbPer100k, 1),
      fmt(r.index.latency.p50, 3),
      fmt(r.index.latency.p99, 3),
      b ? fmt(b.latency.p50, 1) : 'skipped',
      b ? fmt(b.latency.p99, 1) : 'skipped',
      b ? `${b.identicalAnswers}/${b.needs}` : '–',
      r.speedup ? `${fmt(r.speedup.p50, 0)}×` : b ? 'withheld' : '–',
      r.speedup ? `${fmt(r.speedup.p99, 0)}×` : b ? 'withheld' : '–',
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

interface Targets {
  p99At1M: { targetMs: number; size: number; measuredMs: number | null; met: boolean | null };
  speedup: {
    target: number;
    measured: { size: number; p50: number; p99: number }[];
    /** Sizes where the baseline ran but answered differently, so no speed-up was computed. */
    withheld: number[];
    met: boolean | null;
  };
}

function targets(results: readonly SizeResult[]): Targets {
  const at1M = results.find((r) => r.size === TARGET_P99_SIZE);
  const measured = results.flatMap((r) => (r.speedup ? [{ size: r.size, ...r.speedup }] : []));
  return {
    p99At1M: {
      targetMs: TARGET_P99_MS,
      size: TARGET_P99_SIZE,
      measuredMs: at1M ? at1M.index.latency.p99 : null,
      met: at1M ? at1M.index.latency.p99 < TARGET_P99_MS : null,
    },
    speedup: {
      target: TARGET_SPEEDUP,
      measured,
      withheld: results.filter((r) => r.speedupWithheld !== null).map((r) => r.size),
      met:
        measured.length === 0 || results.some((r) => r.speedupWithheld !== null)
          ? null
          : measured.every((m) => m.p50 >= TARGET_SPEEDUP && m.p99 >= TARGET_SPEEDUP),
    },
  };
}

function verdict(met: boolean | null): string {
  return met === null ? 'not measured in this run' : met ? 'met' : 'NOT met';
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date();
  const catalogue = new Catalogue(new Rng(opts.seed));
  const needsStore = opts.baselineQueries > 0 && opts.sizes.some((s) => s <= opts.baselineMaxSize);
  let provisioned: Provisioned | null = null;
  let store: Store | null = null;
  const results: SizeResult[] = [];
  let server: string | null = null;

  const cleanup = async () => {
    if (store) {
      const s = store;
      store = null;
      await s.client
        .db(s.dbName)
        .dropDatabase()
        .catch(() => undefined);
      await s.client.close().catch(() => undefined);
    }
    if (provisioned) {
      const p = provisioned;
      provisioned = null;
      releaseStore(p);
    }
  };
  const interrupted = () => {
    log('\ninterrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    if (needsStore) {
      provisioned = provisionStore();
      const client = new MongoClient(provisioned.url, { serverSelectionTimeoutMS: 10_000 });
      await client.connect();
      const info = await client.db('admin').command({ buildInfo: 1 });
      server = `${'ferretdbVersion' in info ? 'FerretDB' : 'MongoDB'} (reports ${String(info.version)})`;
      store = { client, dbName: `bench_matching_${Date.now()}`, server };
      log(`store: ${provisioned.url} (${server}), database ${store.dbName}`);
    }

    for (const size of opts.sizes) {
      log(`\n== ${size.toLocaleString('en')} supplies`);
      heapMb();
      const base = heapMb();
      const gen = bar(`generate ${size.toLocaleString('en')}`, size);
      const world = generateWorld(catalogue, opts.seed + 1, size, (done) => gen.update(done));
      gen.stop();
      const postingsMb = heapMb() - base;
      const queries = generateQueries(catalogue, opts.seed + 2, world.parties, WARMUP + opts.queries);
      const runBaseline = store !== null && size <= opts.baselineMaxSize && opts.baselineQueries > 0;
      const keep = runBaseline ? Math.min(opts.baselineQueries, opts.queries) : 0;

      const index = await benchIndex(world, queries, postingsMb, keep);
      log(
        `  index: build ${index.build.ms} ms, ${index.memory.indexMbPer100k} MB per 100k, ` +
          `p50 ${index.latency.p50} ms, p99 ${index.latency.p99} ms, max ${index.latency.max} ms`,
      );
      let baseline: BaselineResult | string;
      if (!runBaseline || store === null) {
        baseline =
          opts.baselineQueries === 0
            ? 'skipped (--baseline-queries 0)'
            : 'skipped (size above --baseline-max-size)';
      } else {
        baseline = await benchBaseline(store, world, queries, keep, index.top);
        log(
          `  baseline: p50 ${baseline.latency.p50} ms, p99 ${baseline.latency.p99} ms; ` +
            `${baseline.identicalAnswers} of ${baseline.needs} needs answered as the index does`,
        );
      }
      const ratio = speedupOf(index, baseline);
      if (ratio.speedupWithheld !== null) log(`  speed-up withheld: ${ratio.speedupWithheld}`);
      results.push({ size, index, baseline, ...ratio });
    }
  } finally {
    await cleanup();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }

  const cpus = os.cpus();
  const goals = targets(results);
  const baselineRan = results.some((r) => typeof r.baseline !== 'string');
  const report = {
    benchmark: 'matching: SupplyIndex.topK against one store query per need scored by the same library',
    date: startedAt.toISOString(),
    machine: {
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cpus: cpus.length,
      totalMemoryGb: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    },
    node: process.version,
    heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    seed: opts.seed,
    now: NOW.toISOString(),
    sizes: opts.sizes,
    queries: opts.queries,
    warmupQueries: WARMUP,
    k: K,
    threshold: THRESHOLD,
    baselineQueries: opts.baselineQueries,
    baselineMaxSize: opts.baselineMaxSize,
    store: server,
    notes: [
      'memory: heap used after the build minus before it (gc() before both), per 100,000 postings; the supply objects themselves are counted apart (postingsMbPer100k)',
      'latency: process.hrtime.bigint() around each topK (k = 10, threshold 0.3), after 50 warm-up queries; percentiles by nearest rank',
      "baseline: one find per need in the store with the hard filters (open, not expired, not the buyer's, served where the buyer is, supplier's province not excluded, required certification kinds held) and candidate admission at least as broad as the index's (a shared HS chapter, VSIC division or keyword); every candidate is scored in the driver by @lienket/matching scorePair (all nine components, the same weights), then threshold, sort by score and id, top k; latency is the find and the scoring together (storeMs and scoringMs split it); the baseline queries are the first of the measured queries",
      'speedup: only where every baseline need got the same top k (ids, scores, order) as the index; otherwise null, with speedupWithheld and the disagreements',
      ...(baselineRan ? [STORE_CAVEAT] : []),
    ],
    results: results.map((r) => ({
      size: r.size,
      index: { ...r.index, top: undefined },
      baseline: r.baseline,
      speedup: r.speedup,
      speedupWithheld: r.speedupWithheld,
    })),
    targets: goals,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${opts.out}.tmp`, opts.out);

  const out: string[] = [
    '',
    `Matching benchmark, ${report.date}: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.totalMemoryGb} GB, node ${report.node}`,
    `top-${K}, threshold ${THRESHOLD}, ${opts.queries} queries after ${WARMUP} warm-up, seed ${opts.seed}; baseline: ${opts.baselineQueries} queries, sizes up to ${opts.baselineMaxSize.toLocaleString('en')}${server ? ` on ${server}` : ''}`,
    '',
    table(results),
    '',
  ];
  for (const r of results) {
    const l = r.index.latency;
    out.push(
      `- ${r.size.toLocaleString('en')}: p90 ${fmt(l.p90, 3)} ms, max ${fmt(l.max, 3)} ms; ` +
        `${r.index.meanHits} hits per need (${Math.round(r.index.fullTopK * 100)}% full); ` +
        `${r.index.gcDuringQueries.count} GCs during queries (max pause ${r.index.gcDuringQueries.maxMs} ms); ` +
        `supply objects ${fmt(r.index.memory.postingsMbPer100k, 1)} MB per 100k on top of the index`,
      `  slowest: ${r.index.slowest
        .map(
          (s) =>
            `${s.id} ${fmt(s.ms, 1)} ms (again ${fmt(s.againBestOf5Ms, 1)}; ${[...s.hsCodes, ...s.vsicCodes.map((c) => `VSIC ${c}`)].join(' ')}` +
            `${s.requiredCertifications.length ? `, needs ${s.requiredCertifications.join(' ')}` : ''}` +
            `${s.excludedProvinces.length ? `, excludes ${s.excludedProvinces.length}` : ''}, k-th ${s.kthScore ?? '–'})`,
        )
        .join('; ')}`,
    );
    if (typeof r.baseline !== 'string') {
      const b = r.baseline;
      out.push(
        `  baseline: ${b.mode}; insert ${fmt(b.insert.ms / 1000, 1)} s (${fmt(b.insert.docsPerSecond, 0)} docs/s), ` +
          `${fmt(b.meanCandidates, 0)} candidates per need; per need the find p50 ${fmt(b.storeMs.p50, 1)} ms, ` +
          `scoring p50 ${fmt(b.scoringMs.p50, 1)} ms; ${b.identicalAnswers} of ${b.needs} needs with the same top ${K} ` +
          `as the index (overlap ${b.overlapWithIndex})`,
      );
      if (r.speedupWithheld !== null) out.push(`  speed-up withheld: ${r.speedupWithheld}`);
      for (const d of b.disagreements) {
        out.push(
          `    ${d.demandId}: ${d.postings.map((p) => `${p.id} ${p.in}${p.admittedByStore ? '' : ' (not admitted by the store)'}, library ${p.library}`).join('; ')}`,
        );
      }
    } else {
      out.push(`  baseline: ${r.baseline}`);
    }
  }
  const p99 = goals.p99At1M;
  out.push(
    '',
    `Target: top-${K} p99 under ${TARGET_P99_MS} ms at ${TARGET_P99_SIZE.toLocaleString('en')} supplies: ` +
      `${p99.measuredMs === null ? '' : `${fmt(p99.measuredMs, 3)} ms, `}${verdict(p99.met)}`,
    `Target: at least ${TARGET_SPEEDUP}× faster than the baseline: ` +
      `${goals.speedup.measured.map((m) => `${m.size.toLocaleString('en')}: p50 ${fmt(m.p50, 0)}×, p99 ${fmt(m.p99, 0)}×`).join('; ')}${goals.speedup.measured.length ? ', ' : ''}` +
      `${goals.speedup.withheld.length ? `withheld at ${goals.speedup.withheld.map((s) => s.toLocaleString('en')).join(', ')} (different answers), ` : ''}${verdict(goals.speedup.met)}`,
    ...(baselineRan ? ['', `Caveat: ${STORE_CAVEAT}`] : []),
    '',
    `Written to ${relative(ROOT, opts.out)}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
