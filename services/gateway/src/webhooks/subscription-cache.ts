import type { EventFilter } from '../events/public-events';
import { readSubscriptionsVersion, type WebhookCollections } from './store';

/** What the consumer needs of an active subscription. */
export interface ActiveSubscription {
  _id: string;
  filter: EventFilter;
}

export interface SubscriptionCacheOptions {
  collections: Pick<WebhookCollections, 'subscriptions' | 'versions'>;
  /** Shortest time between two version reads (reads are shared by everything waiting meanwhile). */
  checkEveryMs: number;
  now?: () => number;
}

export interface SubscriptionCache {
  /**
   * The active subscriptions as of a moment after this call began: every subscription write that
   * completed before it (on any instance) is in the answer.
   */
  fresh(): Promise<readonly ActiveSubscription[]>;
  /** This instance changed a subscription: the next `fresh()` reloads the list. */
  invalidate(): void;
  readonly stats: { versionReads: number; loads: number };
}

/**
 * The active webhook subscriptions, cached per gateway instance behind one version counter
 * (ADR 0016). Every subscription write increments the counter after its own write; `fresh()` waits
 * for a version read that *started after it was called* and reloads the list only when the version
 * moved (or this instance wrote). A consumer calls it after receiving a batch: any event in the batch
 * was published after the writes it must see completed, so a read started after receipt sees them.
 * Version reads are shared by every caller waiting for one and run at most every `checkEveryMs`, so
 * the store sees a few tiny reads a second while events flow and none while idle, whatever the rate.
 */
export function createSubscriptionCache(options: SubscriptionCacheOptions): SubscriptionCache {
  const { subscriptions, versions } = options.collections;
  const now = options.now ?? Date.now;
  const stats = { versionReads: 0, loads: 0 };
  let list: readonly ActiveSubscription[] = [];
  /** The version `list` was loaded at; undefined: never loaded. */
  let loadedVersion: number | undefined;
  /** Moves on each write here: a load that began before one is not trusted after it. */
  let ownWrites = 0;
  let loadedAtOwnWrites = -1;
  /** The latest check, and the one whose read has not begun yet (callers now may share that one). */
  let latest: Promise<readonly ActiveSubscription[]> | undefined;
  let waiting: Promise<readonly ActiveSubscription[]> | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;

  async function read(): Promise<readonly ActiveSubscription[]> {
    lastStart = now();
    stats.versionReads += 1;
    const writes = ownWrites;
    const version = await readSubscriptionsVersion(versions);
    if (version !== loadedVersion || writes !== loadedAtOwnWrites) {
      stats.loads += 1;
      list = await subscriptions.find({ active: true }, { _id: 1, filter: 1 }).lean<ActiveSubscription[]>();
      loadedVersion = version;
      loadedAtOwnWrites = writes;
    }
    return list;
  }

  function fresh(): Promise<readonly ActiveSubscription[]> {
    if (waiting) return waiting;
    const previous = latest;
    const self: { check?: Promise<readonly ActiveSubscription[]> } = {};
    const check: Promise<readonly ActiveSubscription[]> = (async () => {
      // One check at a time (this await also lets `waiting` be set below before anything runs).
      await previous?.catch(() => undefined);
      const wait = lastStart + options.checkEveryMs - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // From here the read begins: a caller arriving now needs the next check.
      if (waiting === self.check) waiting = undefined;
      return read();
    })();
    self.check = check;
    latest = check;
    waiting = check;
    return check;
  }

  return {
    stats,
    fresh,
    invalidate() {
      ownWrites += 1;
    },
  };
}
