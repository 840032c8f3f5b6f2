// Seeded randomness for the matching benchmark: every run with the same seed draws the same data.

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: a tiny seeded PRNG, so every run draws the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** 0..n-1 */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** lo..hi inclusive */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Log-uniform between lo and hi, rounded to two significant digits like figures people type. */
  amount(lo: number, hi: number): number {
    const x = Math.exp(Math.log(lo) + this.next() * (Math.log(hi) - Math.log(lo)));
    const unit = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
    return Math.round(x / unit) * unit;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** Draws items in proportion to their weights: a cumulative table and a binary search. */
export class Weighted<T> {
  private readonly cumulative: Float64Array;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    for (let i = 0; i < items.length; i++) {
      sum += weights[i] ?? 0;
      this.cumulative[i] = sum;
    }
  }

  draw(rng: Rng): T {
    const total = this.cumulative[this.cumulative.length - 1] ?? 0;
    const x = rng.float() * total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

/** Zipf-like popularity: the item at rank r (from 0) weighs 1 / (r + 1)^s. */
export function zipf(n: number, s = 1): number[] {
  return Array.from({ length: n }, (_, r) => 1 / (r + 1) ** s);
}
