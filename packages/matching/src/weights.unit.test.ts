import { componentNames, defaultWeights, normaliseWeights } from './weights';

const sum = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

describe('weights', () => {
  it('defaults to the published table, summing to 1', () => {
    expect(defaultWeights).toEqual({
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
    expect(sum(defaultWeights)).toBeCloseTo(1, 12);
    expect(Object.isFrozen(defaultWeights)).toBe(true);
    expect(Object.keys(defaultWeights)).toEqual(componentNames);
  });

  it('fills missing components with the defaults and scales to sum 1', () => {
    const w = normaliseWeights({ product: 0.7 });
    expect(sum(w)).toBeCloseTo(1, 12);
    expect(w.product).toBeCloseTo(0.7 / 1.35, 12);
    expect(w.keywords).toBeCloseTo(0.05 / 1.35, 12);
    expect(w.product / w.capacity).toBeCloseTo(0.7 / 0.15, 12);
  });

  it('keeps the defaults as they are', () => {
    const w = normaliseWeights({});
    for (const name of componentNames) expect(w[name]).toBeCloseTo(defaultWeights[name], 12);
  });

  it('scales a full set given in any unit', () => {
    const w = normaliseWeights({
      product: 35,
      keywords: 5,
      capacity: 15,
      lead_time: 10,
      geography: 15,
      policy: 5,
      trust: 5,
      freshness: 5,
      responsiveness: 5,
    });
    for (const name of componentNames) expect(w[name]).toBeCloseTo(defaultWeights[name], 12);
  });

  it('allows zero weights', () => {
    const w = normaliseWeights({ policy: 0, trust: 0 });
    expect(w.policy).toBe(0);
    expect(w.trust).toBe(0);
    expect(sum(w)).toBeCloseTo(1, 12);
  });

  it('rejects negative, non-finite and all-zero weights with RangeError', () => {
    expect(() => normaliseWeights({ product: -0.1 })).toThrow(RangeError);
    expect(() => normaliseWeights({ trust: Number.NaN })).toThrow(RangeError);
    expect(() => normaliseWeights({ trust: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    const zero = Object.fromEntries(componentNames.map((name) => [name, 0]));
    expect(() => normaliseWeights(zero)).toThrow(RangeError);
  });

  it('does not change its argument', () => {
    const given = { product: 2 };
    normaliseWeights(given);
    expect(given).toEqual({ product: 2 });
  });
});
