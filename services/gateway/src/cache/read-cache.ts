/**
 * A read-through cache of rendered GET answers (the JSON body and its ETag), for read routes whose
 * answer is the same for every caller (an enterprise's public profile). Entries are dropped when
 * the owning service says the entity changed (its events, read by {@link startCacheInvalidator}),
 * when this gateway itself changes the entity (read-your-writes), after `ttlMs` at the latest, and
 * the oldest first beyond `maxEntries`.
 *
 * It serves only while invalidation is live: until the invalidating consumer has joined, and again
 * whenever it stops, `get` misses and `set` keeps nothing, so a cached answer is never older than
 * the event lag while that lag is known to be small.
 */
export interface CachedAnswer {
  json: string;
  etag: string;
}

export interface ReadCacheOptions {
  /** Longest life of an entry; 0 turns the cache off. */
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  live: boolean;
}

interface Entry extends CachedAnswer {
  expiresAt: number;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  /** Invalidations seen per key while a fill may be in flight (a fill started before one is dropped). */
  private readonly generations = new Map<string, number>();
  /** Moves on when generations are forgotten, so every fill in flight then stores nothing. */
  private epoch = 0;
  private isLive = false;
  private readonly now: () => number;
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(private readonly options: ReadCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0 && this.options.maxEntries > 0;
  }

  /** Whether invalidation is running; entries are served only while it is. */
  get live(): boolean {
    return this.isLive;
  }

  /** Invalidation started (true) or stopped (false); stopping forgets every entry. */
  setLive(live: boolean): void {
    if (!live) this.clear();
    this.isLive = live;
  }

  get(key: string): CachedAnswer | undefined {
    if (!this.enabled || !this.isLive) return undefined;
    const entry = this.entries.get(key);
    if (!entry) {
      this.stats.misses += 1;
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      this.stats.misses += 1;
      return undefined;
    }
    this.stats.hits += 1;
    return entry;
  }

  /** A token to hand back to `set`: a fill started before an invalidation of its key stores nothing. */
  ticket(key: string): string {
    return `${this.epoch}/${this.generations.get(key) ?? 0}`;
  }

  set(key: string, answer: CachedAnswer, ticket: string): void {
    if (!this.enabled || !this.isLive) return;
    if (this.ticket(key) !== ticket) return;
    this.entries.delete(key);
    this.entries.set(key, { ...answer, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.stats.evictions += 1;
    }
  }

  /** The entity behind `key` changed: drop its entry and any fill in flight. */
  invalidate(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.entries.delete(key);
    // Generations only matter for fills in flight; forget them when the map grows large (every
    // fill in flight then stores nothing: one extra miss each, never a stale entry).
    if (this.generations.size > this.options.maxEntries + 10_000) this.forgetGenerations();
  }

  clear(): void {
    this.entries.clear();
    this.forgetGenerations();
  }

  snapshot(): ReadCacheStats {
    return { ...this.stats, entries: this.entries.size, live: this.isLive };
  }

  private forgetGenerations() {
    this.epoch += 1;
    this.generations.clear();
  }
}
