import type { FactKind, FactTypes } from '../domain/rules';
import type { FactChange, StoredFactState } from '../domain/rules/fold';

/** A query condition in the store's language (the MongoDB subset FerretDB 1.24 serves). */
export type Condition = Record<string, unknown>;

/**
 * One sum over fact documents: $match, then per stage $unwind or $match, then one $group with one
 * accumulator (FerretDB 1.24 answers 0 for every accumulator after the first in a $group, so each
 * figure is its own query).
 */
export interface SumQuery {
  kind: FactKind;
  match: Condition;
  stages?: readonly ({ unwind: string } | { match: Condition })[];
  /** Field paths to group by; empty: one total. */
  by: readonly string[];
  /** Numeric field to add up; absent: count documents. */
  sum?: string;
  /** Largest sums first (ties by the keys), at most this many. */
  top?: number;
}

export interface SumRow {
  /** The values of `by`, '' where missing. */
  key: string[];
  value: number;
}

export type StoredFact<K extends FactKind> = FactTypes[K] & { _id: string };

export interface FactStore {
  /** The stored facts of these ids, by `factKey`: one read per kind of fact. */
  readFacts(ids: ReadonlyMap<FactKind, readonly string[]>): Promise<Map<string, StoredFactState>>;
  /**
   * Writes changed facts, each only if its stored revision is still the one it was folded over (an
   * insert where it was 0): at most one insert and one update command per kind of fact. Returns the
   * `factKey`s whose write may have lost to another writer (to read and fold again).
   */
  writeFacts(changes: readonly FactChange[]): Promise<string[]>;
  sum(query: SumQuery): Promise<SumRow[]>;
  /**
   * A number that changes whenever a write changed a fact (any instance's): equal numbers mean the
   * facts, and so every figure, are the same (sum-cache.ts).
   */
  factsVersion(): Promise<number>;
  find<K extends FactKind>(kind: K, match: Condition): Promise<StoredFact<K>[]>;
}
