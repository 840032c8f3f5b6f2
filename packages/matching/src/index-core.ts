import { createHash } from 'node:crypto';
import { total } from './components';
import { MinHeap } from './heap';
import {
  addTo,
  HS_PREFIXES,
  type Indexable,
  listsFor,
  type Partition,
  type PostingList,
  prefixes,
  TIERS,
  VSIC_PREFIXES,
} from './index-lists';
import type { ComponentName, Party, Scored, Verdict, Weights } from './types';
import { componentNames } from './weights';

export type { Indexable } from './index-lists';

// Shared machinery of SupplyIndex and DemandIndex: postings partitioned by the province that decides geography,
// inverted lists from code prefixes and tokens, lazy deletion, parties, the branch-and-bound search, fingerprint.

/** One per enterprise, shared by all its postings. */
interface PartyHolder<E> {
  party: Party | undefined;
  /** Bits of the tags its party holds (see Tags). */
  tags: number;
  /** Its live entries, to re-file when a new party moves them to another partition. */
  entries: Set<E>;
}

export interface Entry<T, P> {
  readonly id: string;
  readonly posting: T;
  readonly prepared: P;
  readonly enterpriseId: string;
  readonly province: string;
  readonly holder: PartyHolder<Entry<T, P>>;
  readonly partition: string;
  /** The enterprise's party, or unknownParty until one is set; setParty updates every live entry. */
  party: Party;
  /** The number of its group (see StoreOptions.groupOf), -1 without one. */
  readonly group: number;
  /** Bits of the tags it holds, its own and its party's (see Tags); setParty updates them. */
  tags: number;
  alive: boolean;
  /** The search that last visited this entry; marks "already scored" without a per-query set. */
  seen: number;
  lists: PostingList<Entry<T, P>>[];
}

export interface Hit<T, P> {
  entry: Entry<T, P>;
  score: number;
}

/** The party assumed for a posting whose enterprise has not been set: unverified, no recognitions, no history. */
export function unknownParty(enterpriseId: string, province: string): Party {
  return {
    enterpriseId,
    province,
    kind: 'enterprise',
    supportingIndustry: false,
    leadFirm: false,
    verified: false,
    recognitions: [],
  };
}

export function validateWeights(w: Weights): Weights {
  for (const name of componentNames) {
    const value = w[name];
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`weight ${name} must be a finite number >= 0, got ${value}`);
    }
  }
  return w;
}

/** The most each component other than product and geography can reach for any candidate of one query. */
export type Caps = Omit<Record<ComponentName, number>, 'product' | 'geography'>;

export const NO_CAPS: Readonly<Caps> = Object.freeze({
  keywords: 1,
  capacity: 1,
  lead_time: 1,
  policy: 1,
  trust: 1,
  freshness: 1,
  responsiveness: 1,
});

/**
 * Names a posting holds, from the posting itself and from its party (say, certification kinds): a search can
 * require some, and skips a posting missing one before scoring it.
 */
export interface Tags<P> {
  posting: (prepared: P) => readonly string[];
  party: (party: Party) => readonly string[];
}

export interface StoreOptions<P> {
  /** Names a posting's group, for searches with a GroupSplit. */
  groupOf?: (prepared: P) => string | null;
  tags?: Tags<P>;
}

export interface SearchOptions {
  split?: GroupSplit;
  /** Tags every candidate must hold. */
  needs?: readonly string[];
}

// Tags get bits in the order met, up to this many; a search needing a tag met later than that doesn't filter
// on it (it may be held), one needing a tag never met needs NO_ONE_HAS.
const MAX_TAGS = 29;
const NO_ONE_HAS = 1 << MAX_TAGS;

/**
 * Postings of one group (say, supplies in the need's unit) can reach `caps`, all the others only `others`. Every
 * (partition, tier) scan is then made once per side, each with its own ceiling, so a side that can't compete
 * is never scored.
 */
export interface GroupSplit {
  group: string;
  others: Caps;
}

/** Which entries of its lists a step scores. */
enum Side {
  All,
  InGroup,
  Others,
}

/**
 * Scores a candidate of a query: the pair's score, or a negative number when it is excluded or can't reach
 * `bar`. `productCap` and `geographyCap` are at least the pair's product and geography values.
 */
export type CandidateScorer<T, P> = (
  entry: Entry<T, P>,
  productCap: number,
  geographyCap: number,
  bar: number,
) => number;

/** One list scan of the search plan: a tier within a partition, with the most any of its candidates can score. */
interface Step<E> {
  ceiling: number;
  product: number;
  geography: number;
  lists: PostingList<E>[];
  side: Side;
}

/**
 * Postings partitioned by the province that decides their geography value (see partitionOf), each partition
 * with inverted lists from code prefixes and tokens to entries.
 */
export class PostingStore<T extends object, P extends Indexable> {
  private readonly byId = new Map<string, Entry<T, P>>();
  private readonly partitions = new Map<string, Partition<Entry<T, P>>>();
  private readonly holders = new Map<string, PartyHolder<Entry<T, P>>>();
  /** Group names met so far, numbered so scans compare small integers. */
  private readonly groups = new Map<string | null, number>();
  private readonly tagBits = new Map<string, number>();
  private searches = 0;

  /** `partitionOf` names the partition of a posting given its party; setParty re-files when it changes. */
  constructor(
    private readonly partitionOf: (prepared: P, party: Party) => string,
    private readonly options: StoreOptions<P> = {},
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Entry<T, P> | undefined {
    return this.byId.get(id);
  }

  upsert(id: string, enterpriseId: string, province: string, posting: T, prepared: P): void {
    const old = this.byId.get(id);
    if (old !== undefined) this.kill(old);
    const holder = this.holder(enterpriseId);
    const party = holder.party ?? unknownParty(enterpriseId, province);
    const { groupOf } = this.options;
    this.file({
      id,
      posting,
      prepared,
      enterpriseId,
      province,
      holder,
      partition: this.partitionOf(prepared, party),
      party,
      group: groupOf === undefined ? -1 : this.groupNumber(groupOf(prepared)),
      tags: this.postingTags(prepared) | holder.tags,
      alive: true,
      seen: 0,
      lists: [],
    });
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (entry === undefined) return;
    this.byId.delete(id);
    this.kill(entry);
  }

  setParty(party: Party): void {
    const holder = this.holder(party.enterpriseId);
    holder.party = party;
    holder.tags = this.options.tags === undefined ? 0 : this.tagMask(this.options.tags.party(party));
    for (const entry of [...holder.entries]) {
      const partition = this.partitionOf(entry.prepared, party);
      const tags = this.postingTags(entry.prepared) | holder.tags;
      if (partition === entry.partition) {
        entry.party = party;
        entry.tags = tags;
        continue;
      }
      // A fresh entry in the new partition; the old one dies in its lists like a replaced posting.
      this.kill(entry);
      this.file({ ...entry, partition, party, tags, alive: true, seen: 0, lists: [] });
    }
  }

  party(enterpriseId: string): Party | undefined {
    return this.holders.get(enterpriseId)?.party;
  }

  /**
   * Top k entries by score (ties by id), each with score >= threshold. Branch and bound: every (partition, tier)
   * list scan gets a ceiling from the tier's product value, the partition's geography value and `caps` (with a
   * split, one scan per side, each with that side's caps); scans run from the highest ceiling down and stop once
   * the k-th score beats the next ceiling. `geographyOf` gives null for a partition the query excludes outright.
   */
  search(
    query: Indexable,
    k: number,
    threshold: number,
    w: Weights,
    caps: Caps,
    geographyOf: (partition: string) => number | null,
    score: CandidateScorer<T, P>,
    { split, needs = [] }: SearchOptions = {},
  ): Hit<T, P>[] {
    if (!(k >= 1)) return [];
    const limit = Math.floor(k);
    const searchId = ++this.searches;
    const needed = this.neededBits(needs);
    // -2 for a group no posting has met: every entry is then on the other side.
    const group = split === undefined ? -1 : (this.groups.get(split.group) ?? -2);
    // Root is the weakest of the current top k: lower score, or equal score and the later id.
    const heap = new MinHeap<Hit<T, P>>(
      (a, b) => a.score < b.score || (a.score === b.score && a.entry.id > b.entry.id),
    );
    for (const step of this.plan(query, threshold, w, caps, geographyOf, split)) {
      const weakest = heap.size >= limit ? heap.peek() : undefined;
      // Strictly greater: an equal score further down could still win the tie on id.
      if (weakest !== undefined && weakest.score > step.ceiling) break;
      const oneSide = step.side !== Side.All;
      const inGroup = step.side === Side.InGroup;
      for (const list of step.lists) {
        const items = list.items;
        for (let i = 0; i < items.length; i++) {
          const entry = items[i] as Entry<T, P>;
          if (entry.seen === searchId || !entry.alive) continue;
          // The other side's entries are left unseen, for that side's own step.
          if (oneSide && (entry.group === group) !== inGroup) continue;
          // A hard filter from the entry alone: a tag it lacks can't be made up by a higher score.
          if ((entry.tags & needed) !== needed) continue;
          entry.seen = searchId;
          const top = heap.size >= limit ? heap.peek() : undefined;
          // Heap scores are all >= threshold, so the weakest one is the bar once the heap is full.
          const bar = top === undefined ? threshold : top.score;
          const s = score(entry, step.product, step.geography, bar);
          if (s < threshold) continue;
          if (top === undefined) heap.push({ entry, score: s });
          else if (s > top.score || (s === top.score && entry.id < top.entry.id)) {
            heap.replaceTop({ entry, score: s });
          }
        }
      }
    }
    return heap.drain().reverse();
  }

  /** Sorted ids and a digest of the postings and the parties set: equal for equal content, whatever the order fed. */
  fingerprint(label: string): string {
    const hash = createHash('sha256');
    const ids = [...this.byId.keys()].sort();
    for (const id of ids) {
      const entry = this.byId.get(id) as Entry<T, P>;
      hash.update(`${canonicalJson(id)}:${canonicalJson(entry.posting)}\n`);
    }
    hash.update('parties\n');
    for (const enterpriseId of [...this.holders.keys()].sort()) {
      const party = this.holders.get(enterpriseId)?.party;
      if (party !== undefined) hash.update(`${canonicalJson(enterpriseId)}:${canonicalJson(party)}\n`);
    }
    return `${label}:${ids.length}:${hash.digest('hex')}`;
  }

  // Within a partition the steps of one side keep tier order (product value descending), which is what makes a
  // tier's product value a valid cap for the candidates first met there: an entry is on one side only, a side's
  // ceilings fall with the product value, and the sort is stable, so equal ceilings keep tier order.
  private plan(
    query: Indexable,
    threshold: number,
    w: Weights,
    caps: Caps,
    geographyOf: (partition: string) => number | null,
    split: GroupSplit | undefined,
  ): Step<Entry<T, P>>[] {
    const steps: Step<Entry<T, P>>[] = [];
    for (const partition of this.partitions.values()) {
      const geography = geographyOf(partition.key);
      if (geography === null) continue;
      for (const tier of TIERS) {
        const ceiling = ceilingOf(w, tier.product, geography, caps);
        const others = split === undefined ? ceiling : ceilingOf(w, tier.product, geography, split.others);
        if (ceiling < threshold && others < threshold) continue;
        const lists = listsFor(partition, tier, query);
        if (lists.length === 0) continue;
        const product = tier.product;
        if (split === undefined) {
          steps.push({ ceiling, product, geography, lists, side: Side.All });
          continue;
        }
        if (ceiling >= threshold) steps.push({ ceiling, product, geography, lists, side: Side.InGroup });
        if (others >= threshold)
          steps.push({ ceiling: others, product, geography, lists, side: Side.Others });
      }
    }
    return steps.sort((a, b) => b.ceiling - a.ceiling);
  }

  private postingTags(prepared: P): number {
    return this.options.tags === undefined ? 0 : this.tagMask(this.options.tags.posting(prepared));
  }

  /** Bits of these tags, giving new ones bits while there are bits left. */
  private tagMask(tags: readonly string[]): number {
    let mask = 0;
    for (const tag of tags) {
      let bit = this.tagBits.get(tag);
      if (bit === undefined && this.tagBits.size < MAX_TAGS) {
        bit = 1 << this.tagBits.size;
        this.tagBits.set(tag, bit);
      }
      if (bit !== undefined) mask |= bit;
    }
    return mask;
  }

  private neededBits(needs: readonly string[]): number {
    let mask = 0;
    for (const tag of needs) {
      const bit = this.tagBits.get(tag);
      if (bit !== undefined) mask |= bit;
      // Never met while bits were left: no posting holds it.
      else if (this.tagBits.size < MAX_TAGS) mask |= NO_ONE_HAS;
    }
    return mask;
  }

  private groupNumber(name: string | null): number {
    let n = this.groups.get(name);
    if (n === undefined) {
      n = this.groups.size;
      this.groups.set(name, n);
    }
    return n;
  }

  private holder(enterpriseId: string): PartyHolder<Entry<T, P>> {
    let holder = this.holders.get(enterpriseId);
    if (holder === undefined) {
      holder = { party: undefined, tags: 0, entries: new Set() };
      this.holders.set(enterpriseId, holder);
    }
    return holder;
  }

  private file(entry: Entry<T, P>): void {
    this.byId.set(entry.id, entry);
    entry.holder.entries.add(entry);
    let partition = this.partitions.get(entry.partition);
    if (partition === undefined) {
      partition = { key: entry.partition, lists: { hs: new Map(), vsic: new Map(), tokens: new Map() } };
      this.partitions.set(entry.partition, partition);
    }
    addTo(entry, partition.lists.hs, prefixes(entry.prepared.hs, HS_PREFIXES));
    addTo(entry, partition.lists.vsic, prefixes(entry.prepared.vsic, VSIC_PREFIXES));
    addTo(entry, partition.lists.tokens, entry.prepared.tokens);
  }

  // Removal marks the entry dead and leaves it in its lists; a list is rewritten once most of it is dead, so
  // removal stays O(1) amortised per list without tracking positions.
  private kill(entry: Entry<T, P>): void {
    entry.alive = false;
    entry.holder.entries.delete(entry);
    for (const list of entry.lists) {
      list.dead++;
      if (list.dead * 2 > list.items.length) {
        list.items = list.items.filter((e) => e.alive);
        list.dead = 0;
        if (list.items.length === 0) list.owner.delete(list.key);
      }
    }
    entry.lists = [];
  }
}

/** The most a candidate of a (partition, tier) scan can score under `caps`. */
function ceilingOf(w: Weights, product: number, geography: number, caps: Caps): number {
  return total(
    w,
    product,
    caps.keywords,
    caps.capacity,
    caps.lead_time,
    geography,
    caps.policy,
    caps.trust,
    caps.freshness,
    caps.responsiveness,
  );
}

/** JSON with object keys sorted and undefined fields left out, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object' || value instanceof Date) {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${fields.join(',')}}`;
}

export function matchOf<T, P>(verdict: Verdict, rankedScore: number, entry: Entry<T, P>): Scored {
  // Ranking and explaining share every number, so a mismatch here is a bug, not data.
  if (!verdict.ok || verdict.match.score !== rankedScore) {
    throw new Error(`ranked ${entry.id} at ${rankedScore} but scoring disagrees`);
  }
  return verdict.match;
}
