import { hsValue, vsicValue } from './components';

// The inverted lists of the matching indexes: per partition, one map per code system (HS and VSIC
// prefixes, folded tokens) from a key to the entries that carry it, and the tiers a search walks.

/** What the lists are built from; both prepared shapes have it. */
export interface Indexable {
  hs: readonly string[];
  vsic: readonly string[];
  tokens: ReadonlySet<string>;
}

export interface PostingList<E> {
  key: string;
  owner: Map<string, PostingList<E>>;
  items: E[];
  /** Entries in items that were removed or replaced; the list is compacted when they are the majority. */
  dead: number;
}

export type System = 'hs' | 'vsic' | 'tokens';

/** The postings of one partition (by counterpart province), with their inverted lists. */
export interface Partition<E> {
  key: string;
  lists: Record<System, Map<string, PostingList<E>>>;
}

export interface Tier {
  system: System;
  /** Prefix length looked up; 0 for tokens. */
  length: number;
  /** The product value of a pair first found in this tier. */
  product: number;
}

// Prefix lengths the lists are keyed on. HS 8 and VSIC 5 are not kept: a pair sharing 8 (5) digits also
// shares 6 (4) and scores the same, so the shorter list already finds it.
export const HS_PREFIXES = [2, 4, 6] as const;
export const VSIC_PREFIXES = [2, 3, 4] as const;

// Ordered by product value, not by code system: a candidate first met in a tier then has exactly that tier's
// product value (anything higher would have been met earlier). The token tier finds pairs with no shared code.
export const TIERS: readonly Tier[] = [
  { system: 'hs' as const, length: 6, product: hsValue(6) },
  { system: 'vsic' as const, length: 4, product: vsicValue(4) },
  { system: 'hs' as const, length: 4, product: hsValue(4) },
  { system: 'vsic' as const, length: 3, product: vsicValue(3) },
  { system: 'vsic' as const, length: 2, product: vsicValue(2) },
  { system: 'hs' as const, length: 2, product: hsValue(2) },
  { system: 'tokens' as const, length: 0, product: 0 },
].sort((a, b) => b.product - a.product);

export function addTo<E extends { lists: PostingList<E>[] }>(
  entry: E,
  map: Map<string, PostingList<E>>,
  keys: Iterable<string>,
): void {
  for (const key of keys) {
    let list = map.get(key);
    if (list === undefined) {
      list = { key, owner: map, items: [], dead: 0 };
      map.set(key, list);
    }
    list.items.push(entry);
    entry.lists.push(list);
  }
}

export function listsFor<E>(partition: Partition<E>, tier: Tier, query: Indexable): PostingList<E>[] {
  const map = partition.lists[tier.system];
  const out: PostingList<E>[] = [];
  const add = (key: string) => {
    const list = map.get(key);
    if (list !== undefined && !out.includes(list)) out.push(list);
  };
  if (tier.system === 'tokens') {
    for (const token of query.tokens) add(token);
  } else {
    for (const code of tier.system === 'hs' ? query.hs : query.vsic) {
      if (code.length >= tier.length) add(code.slice(0, tier.length));
    }
  }
  return out;
}

export function prefixes(codes: readonly string[], lengths: readonly number[]): Set<string> {
  const out = new Set<string>();
  for (const code of codes) {
    for (const length of lengths) if (code.length >= length) out.add(code.slice(0, length));
  }
  return out;
}
