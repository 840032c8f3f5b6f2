import { canonicalJson, type Indexable, NO_CAPS, PostingStore } from './index-core';
import type { Party } from './types';
import { defaultWeights } from './weights';

interface Posting {
  id: string;
  enterpriseId: string;
}

function posting(id: string, hs: string[], vsic: string[] = [], tokens: string[] = []): [Posting, Indexable] {
  return [
    { id, enterpriseId: `E-${id}` },
    { hs, vsic, tokens: new Set(tokens) },
  ];
}

/** Partitioned by the party's province; postings without a party sit in province '01'. */
function storeOf(...postings: [Posting, Indexable][]) {
  const store = new PostingStore<Posting, Indexable>((_prepared, party) => party.province);
  for (const [p, prepared] of postings) store.upsert(p.id, p.enterpriseId, '01', p, prepared);
  return store;
}

const query = (hs: string[], vsic: string[] = [], tokens: string[] = []): Indexable => ({
  hs,
  vsic,
  tokens: new Set(tokens),
});

type Store = ReturnType<typeof storeOf>;

/** Searches with every cap at 1 and geography from `geography` (1 everywhere by default). */
function search(
  store: Store,
  q: Indexable,
  k: number,
  threshold: number,
  score: (id: string, productCap: number) => number,
  geography: (partition: string) => number = () => 1,
) {
  return store.search(q, k, threshold, defaultWeights, NO_CAPS, geography, (entry, cap) =>
    score(entry.id, cap),
  );
}

describe('PostingStore.search', () => {
  it('visits tiers by product value and stops once the k-th score beats what is left', () => {
    const store = storeOf(
      ...Array.from({ length: 20 }, (_, i) => posting(`same-${i}`, ['481910'])),
      ...Array.from({ length: 500 }, (_, i) => posting(`chapter-${i}`, ['480100'])),
      ...Array.from({ length: 500 }, (_, i) => posting(`words-${i}`, [], [], ['hop'])),
    );
    const visited: number[] = [];
    // Every candidate scores its tier's product value × 0.35 + 0.62, just under each tier's ceiling (+ 0.65).
    const hits = search(store, query(['481910'], [], ['hop']), 10, 0, (_id, cap) => {
      visited.push(cap);
      return Math.round((cap * 0.35 + 0.62) * 10_000) / 10_000;
    });
    // Ties go to the lower id, compared as strings.
    const ids = Array.from({ length: 20 }, (_, i) => `same-${i}`).sort();
    expect(hits.map((h) => h.entry.id)).toEqual(ids.slice(0, 10));
    expect(hits.every((h) => h.score === 0.97)).toBe(true);
    // 0.97 beats the VSIC class ceiling (0.965) at once, so only the subheading list is visited.
    expect(visited).toEqual(Array.from({ length: 20 }, () => 1));
  });

  it('descends to the keyword tier only while it could still change the top k', () => {
    const store = storeOf(posting('chapter', ['480100']), posting('word', [], [], ['hop']));
    const caps: number[] = [];
    const scorer = (score: number) => (_id: string, cap: number) => {
      caps.push(cap);
      return score;
    };
    search(store, query(['481910'], [], ['hop']), 1, 0, scorer(0.7));
    // 0.7 is above the keyword tier's ceiling (0.65): the token list is never read.
    expect(caps).toEqual([0.4]);
    caps.length = 0;
    search(store, query(['481910'], [], ['hop']), 1, 0, scorer(0.6));
    expect(caps).toEqual([0.4, 0]);
  });

  it('skips any scan whose ceiling is under the threshold', () => {
    const store = storeOf(posting('chapter', ['480100']), posting('word', [], [], ['hop']));
    const caps: number[] = [];
    search(store, query(['481910'], [], ['hop']), 10, 0.8, (_id, cap) => {
      caps.push(cap);
      return 0.9;
    });
    // The chapter tier's ceiling is 0.65 + 0.4 × 0.35 = 0.79.
    expect(caps).toEqual([]);
  });

  it('lowers ceilings by the caps it is given', () => {
    const store = storeOf(posting('same', ['481910']));
    const visits = (policy: number) => {
      let n = 0;
      store.search(
        query(['481910']),
        10,
        0.99,
        defaultWeights,
        { ...NO_CAPS, policy },
        () => 1,
        () => {
          n++;
          return 1;
        },
      );
      return n;
    };
    expect(visits(1)).toBe(1);
    // Without policy the most anyone can score is 0.95.
    expect(visits(0)).toBe(0);
  });

  it('scores each candidate once even when several lists and tiers hold it', () => {
    const store = storeOf(posting('p', ['481910', '481920'], ['17021'], ['hop', 'carton']));
    let calls = 0;
    search(store, query(['481910', '481920'], ['17021', '1702'], ['hop', 'carton']), 10, 0, () => {
      calls++;
      return 0.5;
    });
    expect(calls).toBe(1);
  });

  it('skips removed and replaced postings, and compacts lists that are mostly dead', () => {
    const store = storeOf(...Array.from({ length: 100 }, (_, i) => posting(`p${i}`, ['481910'])));
    for (let i = 0; i < 90; i++) store.remove(`p${i}`);
    store.upsert('p95', 'E-p95', '01', { id: 'p95', enterpriseId: 'E-p95' }, query(['940360']));
    const seen: string[] = [];
    const hits = search(store, query(['481910']), 100, 0, (id) => {
      seen.push(id);
      return 0.5;
    });
    expect(hits.map((h) => h.entry.id)).toEqual([
      'p90',
      'p91',
      'p92',
      'p93',
      'p94',
      'p96',
      'p97',
      'p98',
      'p99',
    ]);
    expect(seen).toHaveLength(9);
    expect(store.size).toBe(10);
  });

  it('returns nothing for k below 1 and floors fractional k', () => {
    const store = storeOf(posting('a', ['481910']), posting('b', ['481910']));
    expect(search(store, query(['481910']), 0, 0, () => 0.5)).toEqual([]);
    expect(search(store, query(['481910']), 1.7, 0, () => 0.5).map((h) => h.entry.id)).toEqual(['a']);
  });
});

describe('PostingStore partitions', () => {
  const party = (enterpriseId: string, province: string): Party => ({
    enterpriseId,
    province,
    kind: 'enterprise',
    supportingIndustry: false,
    leadFirm: false,
    verified: true,
    recognitions: [],
  });
  // Hà Nội's view: same province 1, Bắc Ninh neighbour 0.75, Cần Thơ far 0.2.
  const geography = (province: string) => ({ '01': 1, '24': 0.75, '92': 0.2 })[province] ?? 0.2;

  function setUp() {
    const store = storeOf(
      posting('near', ['480100']),
      posting('next', ['480100']),
      posting('far', ['481910']),
    );
    store.setParty(party('E-next', '24'));
    store.setParty(party('E-far', '92'));
    return store;
  }

  it('searches partitions with a closer geography first and skips those that cannot compete', () => {
    const store = setUp();
    const order: string[] = [];
    const score = (id: string) => {
      order.push(id);
      return id === 'near' ? 0.9 : 0.5;
    };
    // Ceilings: far subheading 0.65 - 0.12 + 0.35 = 0.88, near chapter 0.79, next chapter 0.7525.
    expect(search(store, query(['481910']), 1, 0, score, geography).map((h) => h.entry.id)).toEqual(['near']);
    expect(order).toEqual(['far', 'near']);
  });

  it('moves postings when setParty changes the province that partitions them', () => {
    const store = setUp();
    store.setParty(party('E-next', '01'));
    store.setParty(party('E-next', '01'));
    const order: string[] = [];
    search(
      store,
      query(['4801']),
      10,
      0,
      (id) => {
        order.push(id);
        return 0.5;
      },
      geography,
    );
    // Both now in Hà Nội's partition, scanned together before the far chapter match.
    expect(order).toEqual(['near', 'next', 'far']);
    expect(store.size).toBe(3);
    expect(store.get('next')?.partition).toBe('01');
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined fields and writes dates as ISO strings', () => {
    expect(canonicalJson({ b: 1, a: [new Date(0), { d: undefined, c: null }] })).toBe(
      '{"a":["1970-01-01T00:00:00.000Z",{"c":null}],"b":1}',
    );
  });
});

describe('PostingStore group split and tags', () => {
  interface Tagged extends Indexable {
    unit: string | null;
    certs: string[];
  }
  const party = (enterpriseId: string, recognitions: string[] = []): Party => ({
    enterpriseId,
    province: '01',
    kind: 'enterprise',
    supportingIndustry: false,
    leadFirm: false,
    verified: true,
    recognitions,
  });

  /** Every posting lists under HS 481910; grouped by unit, tagged with its certs and its party's recognitions. */
  function tagged(...postings: [id: string, unit: string | null, certs?: string[]][]) {
    const store = new PostingStore<Posting, Tagged>((_prepared, p) => p.province, {
      groupOf: (prepared) => prepared.unit,
      tags: { posting: (prepared) => prepared.certs, party: (p) => p.recognitions },
    });
    for (const [id, unit, certs = []] of postings) {
      const prepared = { hs: ['481910'], vsic: [], tokens: new Set<string>(), unit, certs };
      store.upsert(id, `E-${id}`, '01', { id, enterpriseId: `E-${id}` }, prepared);
    }
    return store;
  }
  type TaggedStore = ReturnType<typeof tagged>;

  // Capacity 0.5 on the other side: its ceilings are 0.075 under the need's unit's (1 with every cap at 1).
  const split = (group: string) => ({ group, others: { ...NO_CAPS, capacity: 0.5 } });
  function run(store: TaggedStore, k: number, scores: Record<string, number>, options = {}) {
    const visited: string[] = [];
    const hits = store.search(
      query(['481910']),
      k,
      0,
      defaultWeights,
      NO_CAPS,
      () => 1,
      (entry) => {
        visited.push(entry.id);
        return scores[entry.id] ?? 0.5;
      },
      options,
    );
    return { visited, ids: hits.map((h) => h.entry.id) };
  }

  it('scores the group first and the others only while they could still change the top k', () => {
    const store = tagged(['kg-1', 'kg'], ['t-1', 't'], ['none-1', null]);
    // 0.95 beats the other side's ceiling (0.925): the others are never scored.
    expect(run(store, 1, { 'kg-1': 0.95 }, { split: split('kg') })).toEqual({
      visited: ['kg-1'],
      ids: ['kg-1'],
    });
    // At 0.9 they could still win, and one does.
    expect(run(store, 1, { 'kg-1': 0.9, 't-1': 0.91 }, { split: split('kg') })).toEqual({
      visited: ['kg-1', 't-1', 'none-1'],
      ids: ['t-1'],
    });
    // Without a split every posting is one side, read in list order.
    expect(run(store, 1, { 'kg-1': 0.95 }).visited).toEqual(['kg-1', 't-1', 'none-1']);
  });

  it('reads the other side when the k-th score equals its ceiling, since a tie may win on id', () => {
    const store = tagged(['b-kg', 'kg'], ['a-t', 't']);
    expect(run(store, 1, { 'b-kg': 0.925, 'a-t': 0.925 }, { split: split('kg') }).ids).toEqual(['a-t']);
  });

  it('puts every posting on the other side for a group none has', () => {
    const store = tagged(['kg-1', 'kg'], ['t-1', 't']);
    expect(run(store, 10, {}, { split: split('m3') })).toEqual({
      visited: ['kg-1', 't-1'],
      ids: ['kg-1', 't-1'],
    });
  });

  it('never scores a posting missing a needed tag, from the posting or its party', () => {
    const store = tagged(['iso', 'kg', ['ISO_9001']], ['both', 'kg', ['ISO_9001', 'HACCP']], ['bare', 'kg']);
    expect(run(store, 10, {}, { needs: ['ISO_9001'] }).visited).toEqual(['iso', 'both']);
    expect(run(store, 10, {}, { needs: ['ISO_9001', 'HACCP'] }).visited).toEqual(['both']);
    // A tag no posting or party has: nothing is scored.
    expect(run(store, 10, {}, { needs: ['VIETGAP'] }).visited).toEqual([]);
    // A recognition of the party counts, and stops counting when the party loses it.
    store.setParty(party('E-bare', ['HACCP', 'VIETGAP']));
    expect(run(store, 10, {}, { needs: ['VIETGAP'] }).visited).toEqual(['bare']);
    expect(run(store, 10, {}, { needs: ['HACCP'] }).visited).toEqual(['both', 'bare']);
    store.setParty(party('E-bare'));
    expect(run(store, 10, {}, { needs: ['HACCP'] }).visited).toEqual(['both']);
  });

  it('filters only on the tags it has bits for, scoring every posting for a later one', () => {
    const kinds = Array.from({ length: 40 }, (_, i) => `K${i}`);
    const store = tagged(...kinds.map((kind): [string, string, string[]] => [`p-${kind}`, 'kg', [kind]]));
    expect(run(store, 50, {}, { needs: ['K3'] }).visited).toEqual(['p-K3']);
    // K35 came after the bits ran out: every posting is scored (the scorer does the exact check).
    expect(run(store, 50, {}, { needs: ['K35'] }).visited).toHaveLength(40);
  });

  it('skips a partition whose geography is null', () => {
    const store = tagged(['a', 'kg'], ['b', 'kg']);
    store.setParty({ ...party('E-b'), province: '79' });
    const visited: string[] = [];
    store.search(
      query(['481910']),
      10,
      0,
      defaultWeights,
      NO_CAPS,
      (province) => (province === '79' ? null : 1),
      (entry) => {
        visited.push(entry.id);
        return 0.5;
      },
    );
    expect(visited).toEqual(['a']);
  });
});
