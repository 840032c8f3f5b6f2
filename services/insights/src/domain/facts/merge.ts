/**
 * Facts: one document per entity (enterprise, posting, proposal, interest, application...) keyed by
 * its id, holding what the events told about it. Every reducer (one module per kind of fact) is a merge that does not
 * depend on the order or number of deliveries:
 *
 * - "when" fields keep the earliest time seen (a repeat of the same happening, even under a new
 *   event id and a later time, changes nothing; a re-ordered delivery converges to the same value);
 * - sets (accepted sides, renewals, reasons) are sorted and deduplicated;
 * - amounts that only grow keep the maximum;
 * - values that change back and forth (lead-firm designation, verification, cluster membership) are
 *   registers decided by (time, source rank, value), so the same set of events always picks the
 *   same winner;
 * - derived fields (outcome, end reason, 0/1 counters, region flags) are recomputed from the above
 *   on every merge, so the read side counts them with a plain $match/$group.
 *
 * Counts are therefore never incremented: they are derived at read time from these documents.
 */

/** A copy without undefined fields, so a fact compares equal to what the store gives back. */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = canonical(field);
  return out as T;
}

/** Keeps the earlier of two times. */
export function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

export function largest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

export function union(a: readonly string[] | undefined, b: readonly string[]): string[] {
  return [...new Set([...(a ?? []), ...b])].filter(Boolean).sort();
}

/** A last-writer-wins register whose winner does not depend on delivery order. */
export interface Register<T extends string | boolean> {
  value: T;
  at: Date;
  /** Breaks ties on `at`: a dedicated event (1) outranks a profile snapshot (0). */
  rank: number;
}

export function newer<T extends string | boolean>(
  current: Register<T> | undefined,
  candidate: Register<T>,
): Register<T> {
  if (!current) return candidate;
  const byTime = candidate.at.getTime() - current.at.getTime();
  if (byTime !== 0) return byTime > 0 ? candidate : current;
  if (candidate.rank !== current.rank) return candidate.rank > current.rank ? candidate : current;
  return String(candidate.value) > String(current.value) ? candidate : current;
}
