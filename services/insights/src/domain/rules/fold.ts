import { isDeepStrictEqual } from 'node:util';
import { canonical } from '../facts';
import type { FactKind, FactUpdate } from './fact-update';
import { updatesFor } from './index';

/** One consumed event as the rules read it: its CloudEvents type, its decoded payload, its time. */
export interface FactEvent {
  type: string;
  payload: unknown;
  time: Date;
}

/** A fact as stored: its merged value and the revision it was read at (0: none stored yet). */
export interface StoredFactState {
  fact: unknown;
  rev: number;
}

/** A fact a batch changed: its new value and the revision it must still have when written. */
export interface FactChange {
  kind: FactKind;
  id: string;
  fact: unknown;
  /** The stored revision the change was folded over; 0 for a fact that was not stored. */
  rev: number;
}

export const factKey = (kind: FactKind, id: string) => `${kind}/${id}`;

/** The merges a batch of events brings, in the batch's order. */
export const updatesOf = (events: readonly FactEvent[]): FactUpdate[] =>
  events.flatMap((e) => updatesFor(e.type, e.payload, e.time));

/** The ids each kind of fact the updates touch (what to read before folding them). */
export function touchedFacts(updates: readonly FactUpdate[]): Map<FactKind, string[]> {
  const touched = new Map<FactKind, Set<string>>();
  for (const u of updates) {
    const ids = touched.get(u.kind) ?? new Set<string>();
    ids.add(u.id);
    touched.set(u.kind, ids);
  }
  return new Map([...touched].map(([kind, ids]) => [kind, [...ids]]));
}

/**
 * Folds a batch's merges, in order, over the stored facts (keyed by `factKey`), in memory, and
 * returns only the facts whose value changed. The merges ignore order and repetition, so folding a
 * batch that was already applied (a redelivery) returns nothing, and folding it again over a fact
 * another writer changed meanwhile gives what applying both would have.
 */
export function foldFacts(
  updates: readonly FactUpdate[],
  stored: ReadonlyMap<string, StoredFactState>,
): FactChange[] {
  const folded = new Map<string, { kind: FactKind; id: string; fact: unknown }>();
  for (const u of updates) {
    const key = factKey(u.kind, u.id);
    const current = folded.get(key)?.fact ?? stored.get(key)?.fact;
    folded.set(key, { kind: u.kind, id: u.id, fact: canonical(u.reduce(current as never)) });
  }
  const changes: FactChange[] = [];
  for (const [key, { kind, id, fact }] of folded) {
    const before = stored.get(key);
    if (before && isDeepStrictEqual(canonical(before.fact), fact)) continue;
    changes.push({ kind, id, fact, rev: before?.rev ?? 0 });
  }
  return changes;
}
