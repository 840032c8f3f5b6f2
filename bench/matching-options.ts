// Settings of the matching benchmark (bench/matching.ts): fixed constants and the command-line options.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const ROOT = resolve(__dirname, '../..');

export const K = 10;
export const THRESHOLD = 0.3;
export const WARMUP = 50;
export const BASELINE_WARMUP = 2;
export const INSERT_BATCH = 5_000;
export const DAY = 86_400_000;
/** The clock every posting and query is scored against, fixed so runs compare. */
export const NOW = new Date('2025-10-01T00:00:00Z');

export const TARGET_P99_MS = 10;
export const TARGET_P99_SIZE = 1_000_000;
export const TARGET_SPEEDUP = 50;

// ---------------------------------------------------------------- options

interface Options {
  sizes: number[];
  queries: number;
  baselineQueries: number;
  baselineMaxSize: number;
  seed: number;
  /** Where the JSON goes. */
  out: string;
}

function positiveInt(name: string, text: string, allowZero = false): number {
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(
      `--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${text}`,
    );
  }
  return value;
}

export function options(): Options {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      queries: { type: 'string', default: '1000' },
      'baseline-queries': { type: 'string', default: '100' },
      'baseline-max-size': { type: 'string', default: '100000' },
      seed: { type: 'string', default: '20250701' },
      out: { type: 'string', default: 'bench/results/matching.json' },
    },
  });
  return {
    sizes: (values.sizes ?? '').split(',').map((s) => positiveInt('sizes', s.trim())),
    queries: positiveInt('queries', values.queries ?? ''),
    baselineQueries: positiveInt('baseline-queries', values['baseline-queries'] ?? '', true),
    baselineMaxSize: positiveInt('baseline-max-size', values['baseline-max-size'] ?? '', true),
    seed: positiveInt('seed', values.seed ?? '', true),
    out: resolve(ROOT, values.out ?? 'bench/results/matching.json'),
  };
}
