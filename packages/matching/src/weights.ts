import type { ComponentName, Weights } from './types';

/** Component order: scores are summed in this order everywhere, so every path gives bit-identical totals. */
export const componentNames: readonly ComponentName[] = Object.freeze([
  'product',
  'keywords',
  'capacity',
  'lead_time',
  'geography',
  'policy',
  'trust',
  'freshness',
  'responsiveness',
] as const);

export const defaultWeights: Weights = Object.freeze({
  product: 0.35,
  keywords: 0.05,
  capacity: 0.15,
  lead_time: 0.1,
  geography: 0.15,
  policy: 0.05,
  trust: 0.05,
  freshness: 0.05,
  responsiveness: 0.05,
});

/** Fills missing components from defaultWeights and scales to sum 1; throws RangeError on a negative or non-finite weight. */
export function normaliseWeights(w: Partial<Weights>): Weights {
  const filled = { ...defaultWeights };
  for (const name of componentNames) {
    const value = w[name];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`weight ${name} must be a finite number >= 0, got ${value}`);
    }
    filled[name] = value;
  }
  let sum = 0;
  for (const name of componentNames) sum += filled[name];
  if (sum <= 0) throw new RangeError('weights sum to 0');
  const scaled = {} as Weights;
  for (const name of componentNames) scaled[name] = filled[name] / sum;
  return scaled;
}
