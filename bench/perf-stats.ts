// Pure helpers of the performance benchmark (bench/performance.ts): percentiles, latency summaries, ratios,
// formatting. No I/O, so they are the same in every section and easy to check by hand.

/** Nearest rank, as bench/matching.ts: the smallest sample with at least p % of the samples at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export interface Latency {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Percentiles of `samples` (ms). A sample may be Infinity (a need whose proposal never came): it sorts last, so the
 * percentiles it reaches say so (JSON writes Infinity as null) instead of being silently left out.
 */
export function latency(samples: readonly number[], digits = 2): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const finite = sorted.filter(Number.isFinite);
  return {
    count: sorted.length,
    mean: round(finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length), digits),
    p50: round(percentile(sorted, 50), digits),
    p90: round(percentile(sorted, 90), digits),
    p99: round(percentile(sorted, 99), digits),
    max: round(sorted[sorted.length - 1] ?? Number.NaN, digits),
  };
}

/** `value / baseline` to `significant` digits (small ratios keep theirs); null when either is missing or the baseline is 0. */
export function ratio(
  value: number | null | undefined,
  baseline: number | null | undefined,
  significant = 3,
) {
  if (value === null || value === undefined || baseline === null || baseline === undefined) return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return Number((value / baseline).toPrecision(significant));
}

/** A ratio for a table: two decimals from 0.1 up, else two significant digits (0.00046). */
export function fmtRatio(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return x >= 0.1 ? fmt(x, 2) : String(Number(x.toPrecision(2)));
}

/** Whether a measured figure meets a target: null when it was not measured. */
export function meets(measured: number | null | undefined, target: number, direction: 'atLeast' | 'below') {
  if (measured === null || measured === undefined || Number.isNaN(measured)) return null;
  return direction === 'atLeast' ? measured >= target : measured < target;
}

/** Per-second buckets of (time, value) samples, each with its count and percentiles; for the chart. */
export function buckets(
  samples: readonly { atMs: number; value: number }[],
  widthMs: number,
): { fromS: number; count: number; p50: number; p99: number }[] {
  const byBucket = new Map<number, number[]>();
  for (const { atMs, value } of samples) {
    const index = Math.floor(atMs / widthMs);
    const list = byBucket.get(index) ?? [];
    list.push(value);
    byBucket.set(index, list);
  }
  return [...byBucket.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return {
        fromS: round((index * widthMs) / 1000, 3),
        count: sorted.length,
        p50: round(percentile(sorted, 50), 2),
        p99: round(percentile(sorted, 99), 2),
      };
    });
}

/** A number for a table: thousands separators, `–` when missing, `∞`-like text for unanswered. */
export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (x === Number.POSITIVE_INFINITY) return 'none';
  return x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Milliseconds for a table, with the unit: `> N s` for a percentile that fell on a need with no answer in the window. */
export function fmtMs(x: number | null | undefined, windowMs?: number): string {
  if (x === Number.POSITIVE_INFINITY) return windowMs ? `> ${fmt(windowMs / 1000, 0)} s` : 'none';
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return `${fmt(x, Math.abs(x) < 10 ? 2 : 0)} ms`;
}

/** JSON with Infinity kept readable (JSON.stringify would write null): `"Infinity"`. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) => (typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v) ? String(v) : v),
    2,
  );
}
