import { ReadCache } from './read-cache';

const answer = (n: number) => ({ json: `{"n":${n}}`, etag: `W/"${n}"` });

function cacheAt(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000;
  const cache = new ReadCache({
    ttlMs: options.ttlMs ?? 10_000,
    maxEntries: options.maxEntries ?? 100,
    now: () => now,
  });
  cache.setLive(true);
  return {
    cache,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('the gateway read cache', () => {
  it('serves what was stored until its time to live runs out', () => {
    const { cache, advance } = cacheAt({ ttlMs: 5_000 });
    cache.set('enterprise:a', answer(1), cache.ticket('enterprise:a'));
    expect(cache.get('enterprise:a')).toMatchObject(answer(1));
    advance(4_999);
    expect(cache.get('enterprise:a')?.json).toBe('{"n":1}');
    advance(1);
    expect(cache.get('enterprise:a')).toBeUndefined();
    expect(cache.snapshot()).toMatchObject({ hits: 2, misses: 1, entries: 0 });
  });

  it('drops an entry when its entity changes', () => {
    const { cache } = cacheAt();
    cache.set('enterprise:a', answer(1), cache.ticket('enterprise:a'));
    cache.set('enterprise:b', answer(2), cache.ticket('enterprise:b'));
    cache.invalidate('enterprise:a');
    expect(cache.get('enterprise:a')).toBeUndefined();
    expect(cache.get('enterprise:b')).toMatchObject(answer(2));
  });

  it('keeps nothing from a read that started before a change to the same entity', () => {
    const { cache } = cacheAt();
    const ticket = cache.ticket('enterprise:a');
    // The read is in flight; the registry publishes a change to the same enterprise.
    cache.invalidate('enterprise:a');
    cache.set('enterprise:a', answer(1), ticket);
    expect(cache.get('enterprise:a')).toBeUndefined();
    // A read started after the change is kept.
    cache.set('enterprise:a', answer(2), cache.ticket('enterprise:a'));
    expect(cache.get('enterprise:a')).toMatchObject(answer(2));
  });

  it('is not disturbed by changes to other entities while a read is in flight', () => {
    const { cache } = cacheAt();
    const ticket = cache.ticket('enterprise:a');
    cache.invalidate('enterprise:b');
    cache.invalidate('enterprise:c');
    cache.set('enterprise:a', answer(1), ticket);
    expect(cache.get('enterprise:a')).toMatchObject(answer(1));
  });

  it('serves and keeps nothing while its invalidation is not running, and forgets everything when it stops', () => {
    const cache = new ReadCache({ ttlMs: 10_000, maxEntries: 10 });
    cache.set('enterprise:a', answer(1), cache.ticket('enterprise:a'));
    expect(cache.get('enterprise:a')).toBeUndefined();
    cache.setLive(true);
    const ticket = cache.ticket('enterprise:a');
    cache.set('enterprise:a', answer(1), ticket);
    expect(cache.get('enterprise:a')).toMatchObject(answer(1));
    cache.setLive(false);
    cache.setLive(true);
    expect(cache.get('enterprise:a')).toBeUndefined();
    // A read that began before the stop stores nothing either.
    cache.set('enterprise:a', answer(1), ticket);
    expect(cache.get('enterprise:a')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const { cache } = cacheAt({ maxEntries: 3 });
    for (const n of [1, 2, 3, 4]) cache.set(`k${n}`, answer(n), cache.ticket(`k${n}`));
    expect(cache.get('k1')).toBeUndefined();
    expect(['k2', 'k3', 'k4'].map((k) => cache.get(k)?.json)).toEqual(['{"n":2}', '{"n":3}', '{"n":4}']);
    expect(cache.snapshot()).toMatchObject({ entries: 3, evictions: 1 });
  });

  it('is off with a time to live of 0', () => {
    const { cache } = cacheAt({ ttlMs: 0 });
    expect(cache.enabled).toBe(false);
    cache.set('k', answer(1), cache.ticket('k'));
    expect(cache.get('k')).toBeUndefined();
  });
});
