import type { FactKind, FactTypes, FactUpdate } from '../domain/rules';

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
  /** Merges one event into one fact (compare-and-set on the document); false when nothing changed. */
  apply(update: FactUpdate): Promise<boolean>;
  sum(query: SumQuery): Promise<SumRow[]>;
  find<K extends FactKind>(kind: K, match: Condition): Promise<StoredFact<K>[]>;
}
