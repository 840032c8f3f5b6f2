import {
  buyer,
  daysFromNow,
  demand,
  NOW,
  partyIn,
  randomWorld,
  supplier,
  supply,
  type World,
} from './fixtures.test';
import { unknownParty } from './index-core';
import { type Ranked, SupplyIndex } from './index-supply';
import { scorePair } from './score';
import type { Demand, Party, Supply, Weights } from './types';
import { defaultWeights, normaliseWeights } from './weights';

/** Every match of a demand by scorePair over all supplies, sorted by score then id: what topK must cut from. */
function allMatches(
  supplies: Iterable<Supply>,
  d: Demand,
  b: Party,
  partyOf: (enterpriseId: string) => Party,
  weights: Weights = defaultWeights,
): Ranked[] {
  const out: Ranked[] = [];
  for (const s of supplies) {
    const verdict = scorePair(d, s, b, partyOf(s.enterpriseId), NOW, weights);
    if (verdict.ok) out.push({ supply: s, match: verdict.match });
  }
  return out.sort((x, y) => y.match.score - x.match.score || (x.supply.id < y.supply.id ? -1 : 1));
}

function cut(all: Ranked[], k: number, threshold: number): Ranked[] {
  return all.filter((r) => r.match.score >= threshold).slice(0, k);
}

function indexOf(world: World, supplies: Supply[] = world.supplies, weights?: Weights): SupplyIndex {
  const index = new SupplyIndex(weights === undefined ? {} : { weights });
  for (const party of world.parties.values()) index.setParty(party);
  for (const s of supplies) index.upsert(s);
  return index;
}

describe('SupplyIndex.topK against a brute-force scan', () => {
  const world = randomWorld(20250901, 2000, 50);
  const index = indexOf(world);
  const partyOf = (id: string) => partyIn(world, id);
  // Scored once per demand: the brute force is the slow part of this suite.
  const brute = new Map(
    world.demands.map((d) => [d.id, allMatches(world.supplies, d, partyIn(world, d.enterpriseId), partyOf)]),
  );
  const bruteForce = (d: Demand, k: number, threshold: number) => cut(brute.get(d.id) ?? [], k, threshold);

  it('has a data set where pairs meet, tie and are excluded', () => {
    const scores = [...brute.values()].flat().map((r) => r.match.score);
    expect(scores.length).toBeGreaterThan(5000);
    expect(scores.length).toBeLessThan(2000 * 50 * 0.9);
    expect(new Set(scores).size).toBeLessThan(scores.length / 2);
    expect(scores.some((s) => s >= 0.8)).toBe(true);
  });

  it.each([0, 0.3, 0.5, 0.6, 0.7, 0.8])('k = 10, threshold %p: same ids, order and scores', (threshold) => {
    let found = 0;
    for (const d of world.demands) {
      const b = partyIn(world, d.enterpriseId);
      const expected = bruteForce(d, 10, threshold);
      expect(index.topK(d, b, 10, threshold, NOW)).toEqual(expected);
      found += expected.length;
    }
    // Guards against a vacuous pass on a data set where nothing matches.
    if (threshold <= 0.6) expect(found).toBeGreaterThan(100);
  });

  it.each([1, 3, 50])('k = %p, threshold 0.4', (k) => {
    for (const d of world.demands) {
      const b = partyIn(world, d.enterpriseId);
      expect(index.topK(d, b, k, 0.4, NOW)).toEqual(bruteForce(d, k, 0.4));
    }
  });

  it('k = 500, threshold 0.4: same ids and scores', () => {
    const brief = (ranked: Ranked[]) => ranked.map((r) => `${r.supply.id} ${r.match.score}`);
    for (const d of world.demands) {
      const b = partyIn(world, d.enterpriseId);
      expect(brief(index.topK(d, b, 500, 0.4, NOW))).toEqual(brief(bruteForce(d, 500, 0.4)));
    }
  });

  it('k = 0 gives nothing, and a closed or expired demand gives nothing', () => {
    const d = world.demands.find((x) => x.open) as Demand;
    const b = partyIn(world, d.enterpriseId);
    expect(index.topK(d, b, 0, 0, NOW)).toEqual([]);
    expect(index.topK({ ...d, open: false }, b, 10, 0, NOW)).toEqual([]);
    expect(index.topK({ ...d, validUntil: NOW }, b, 10, 0, NOW)).toEqual([]);
  });

  it('matches the brute force with other weights', () => {
    const weights = normaliseWeights({ product: 0.1, keywords: 0.3, geography: 0.3 });
    const weighted = indexOf(world, world.supplies, weights);
    for (const d of world.demands.slice(0, 20)) {
      const b = partyIn(world, d.enterpriseId);
      const all = allMatches(world.supplies, d, b, partyOf, weights);
      for (const threshold of [0, 0.5])
        expect(weighted.topK(d, b, 10, threshold, NOW)).toEqual(cut(all, 10, threshold));
    }
  });

  it('never returns the demand’s own enterprise', () => {
    const d = world.demands[0] as Demand;
    const b = partyIn(world, d.enterpriseId);
    const own = world.supplies.map((s) => ({ ...s, id: `OWN-${s.id}`, enterpriseId: d.enterpriseId }));
    const withOwn = indexOf(world, [...world.supplies, ...own]);
    const ranked = withOwn.topK(d, b, 50, 0, NOW);
    expect(ranked.length).toBeGreaterThan(0);
    for (const r of ranked) expect(r.supply.enterpriseId).not.toBe(d.enterpriseId);
  });

  it('stays exact after most postings are removed or replaced', () => {
    const churned = indexOf(world);
    const live = new Map(world.supplies.map((s) => [s.id, s]));
    world.supplies.forEach((s, i) => {
      if (i % 4 === 0) {
        churned.remove(s.id);
        live.delete(s.id);
      } else if (i % 4 === 1) {
        // Codes shifted to another chapter, so the old version must leave its lists.
        const moved = {
          ...s,
          hsCodes: s.hsCodes.map((c) => `73${c.slice(2)}`),
          tokens: [...s.tokens, 'moi'],
        };
        churned.upsert(moved);
        live.set(s.id, moved);
      } else if (i % 4 === 2) {
        churned.remove(s.id);
        churned.upsert(s);
      }
    });
    for (const s of world.supplies.slice(0, 1500)) {
      if (Number(s.id.slice(1)) % 3 === 0) {
        churned.remove(s.id);
        live.delete(s.id);
      }
    }
    expect(churned.size).toBe(live.size);
    for (const d of world.demands) {
      const b = partyIn(world, d.enterpriseId);
      expect(churned.topK(d, b, 10, 0.3, NOW)).toEqual(
        cut(allMatches(live.values(), d, b, partyOf), 10, 0.3),
      );
    }
  });
  it('stays exact after units, certifications and recognitions change', () => {
    const changed = indexOf(world);
    const live = new Map(world.supplies.map((s) => [s.id, s]));
    world.supplies.forEach((s, i) => {
      if (i % 3 !== 0) return;
      // To another unit (spelt differently from the need's), or to no capacity; certifications swapped.
      const next: Supply = {
        ...s,
        monthlyCapacity: i % 2 === 0 ? null : { value: 800, unit: ' Tonne' },
        certifications: i % 5 === 0 ? [] : ['VIETGAP', 'OCOP:5'],
      };
      changed.upsert(next);
      live.set(s.id, next);
    });
    const parties = new Map(world.parties);
    let i = 0;
    for (const party of world.parties.values()) {
      if (i++ % 4 !== 0) continue;
      const next = { ...party, recognitions: party.recognitions.length > 0 ? [] : ['HACCP', 'OCOP:4'] };
      changed.setParty(next);
      parties.set(party.enterpriseId, next);
    }
    const current = (id: string) => parties.get(id) ?? partyIn(world, id);
    let found = 0;
    for (const d of world.demands) {
      const b = current(d.enterpriseId);
      const expected = cut(allMatches(live.values(), d, b, current), 10, 0.3);
      expect(changed.topK(d, b, 10, 0.3, NOW)).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(100);
  });

  it('stays exact after setParty moves suppliers to other provinces', () => {
    const moved = indexOf(world);
    const parties = new Map(world.parties);
    let i = 0;
    for (const party of world.parties.values()) {
      // Every third party moves to Hà Nội (from Hà Nội to Cần Thơ) and its trust flips.
      if (i++ % 3 !== 0) continue;
      const next = { ...party, province: party.province === '01' ? '92' : '01', verified: !party.verified };
      moved.setParty(next);
      parties.set(party.enterpriseId, next);
    }
    const current = (id: string) => parties.get(id) ?? partyIn(world, id);
    for (const d of world.demands.slice(0, 25)) {
      const b = current(d.enterpriseId);
      expect(moved.topK(d, b, 10, 0.3, NOW)).toEqual(cut(allMatches(world.supplies, d, b, current), 10, 0.3));
    }
  });
});

describe('SupplyIndex maintenance', () => {
  const setUp = (...supplies: Supply[]) => {
    const index = new SupplyIndex();
    index.setParty(supplier());
    index.setParty(buyer());
    for (const s of supplies) index.upsert(s);
    return index;
  };
  const ids = (ranked: Ranked[]) => ranked.map((r) => r.supply.id);

  it('upsert replaces the older version with the same id', () => {
    const index = setUp(supply({ id: 'S1' }), supply({ id: 'S2', hsCodes: ['481920'] }));
    expect(ids(index.topK(demand(), buyer(), 10, 0, NOW))).toEqual(['S1', 'S2']);
    const replaced = supply({ id: 'S1', hsCodes: ['940360'], vsicCodes: [], tokens: ['ban', 'ghe'] });
    index.upsert(replaced);
    expect(index.size).toBe(2);
    expect(index.get('S1')).toBe(replaced);
    expect(ids(index.topK(demand(), buyer(), 10, 0, NOW))).toEqual(['S2']);
    expect(ids(index.topK(demand({ hsCodes: ['9403'], tokens: ['ban'] }), buyer(), 10, 0, NOW))).toEqual([
      'S1',
    ]);
  });

  it('remove drops a posting; removing an unknown id does nothing', () => {
    const index = setUp(supply({ id: 'S1' }), supply({ id: 'S2' }));
    index.remove('S1');
    index.remove('nope');
    expect(index.size).toBe(1);
    expect(index.get('S1')).toBeUndefined();
    expect(ids(index.topK(demand(), buyer(), 10, 0, NOW))).toEqual(['S2']);
    index.remove('S2');
    expect(index.size).toBe(0);
    expect(index.topK(demand(), buyer(), 10, 0, NOW)).toEqual([]);
  });

  it('setParty changes the scores of later queries', () => {
    const index = setUp(supply());
    const before = index.topK(demand(), buyer(), 1, 0, NOW)[0]?.match.score;
    expect(before).toBe(0.8025);
    const promoted = supplier({ verified: false, responsiveness: 0.2 });
    index.setParty(promoted);
    expect(index.party('E-SUP')).toBe(promoted);
    const after = index.topK(demand(), buyer(), 1, 0, NOW)[0]?.match;
    // trust 1 → 0.3 and responsiveness 0.8 → 0.2: 0.05 × 0.7 + 0.05 × 0.6 less
    expect(after?.score).toBe(0.7375);
    expect(after?.components.find((c) => c.name === 'trust')?.detail).toBe('unverified supplier');
  });

  it('setParty can exclude and re-admit a supply', () => {
    const index = setUp(supply());
    const d = demand({ excludedProvinces: ['92'] });
    index.setParty(supplier({ province: '92' }));
    expect(index.topK(d, buyer(), 10, 0, NOW)).toEqual([]);
    index.setParty(supplier({ province: '24' }));
    expect(ids(index.topK(d, buyer(), 10, 0, NOW))).toEqual(['S1']);
  });

  it('scores a supply whose party is unknown as an unverified party in the supply province', () => {
    const index = new SupplyIndex();
    const s = supply({ enterpriseId: 'E-NEW' });
    index.upsert(s);
    expect(index.party('E-NEW')).toBeUndefined();
    const expected = scorePair(demand(), s, buyer(), unknownParty('E-NEW', '24'), NOW);
    if (!expected.ok) throw new Error('expected a match');
    expect(index.topK(demand(), buyer(), 10, 0, NOW)).toEqual([{ supply: s, match: expected.match }]);
  });

  it('finds supplies by keywords alone and ranks ties by id', () => {
    const noCodes = { hsCodes: [], vsicCodes: [] };
    const index = setUp(
      supply({ ...noCodes, id: 'S-b', tokens: ['hop', 'carton'] }),
      supply({ ...noCodes, id: 'S-a', tokens: ['hop', 'carton'] }),
      supply({ ...noCodes, id: 'S-c', tokens: ['ban', 'ghe'] }),
    );
    const ranked = index.topK(demand({ ...noCodes }), buyer(), 10, 0, NOW);
    expect(ids(ranked)).toEqual(['S-a', 'S-b']);
    expect(ranked[0]?.match.score).toBe(ranked[1]?.match.score);
  });

  it('rejects negative weights', () => {
    expect(() => new SupplyIndex({ weights: { ...defaultWeights, trust: -1 } })).toThrow(RangeError);
  });
});

describe('SupplyIndex pruning by unit and certification', () => {
  function setUp(...pairs: [Partial<Supply>, Partial<Party>][]) {
    const index = new SupplyIndex();
    index.setParty(buyer());
    const all: [Supply, Party][] = [];
    for (const [s, p] of pairs) {
      const id = s.id ?? 'S';
      const party = supplier({ enterpriseId: `E-${id}`, ...p });
      const posting = supply({ enterpriseId: `E-${id}`, ...s });
      index.setParty(party);
      index.upsert(posting);
      all.push([posting, party]);
    }
    return { index, all };
  }
  /** The brute force over `all`: what topK must return. */
  function expected(all: [Supply, Party][], d: Demand, k = 10): Ranked[] {
    const parties = new Map(all.map(([s, p]) => [s.enterpriseId, p]));
    const partyOf = (id: string) => parties.get(id) ?? buyer();
    return cut(
      allMatches(
        all.map(([s]) => s),
        d,
        buyer(),
        partyOf,
      ),
      k,
      0,
    );
  }
  const ids = (ranked: Ranked[]) => ranked.map((r) => r.supply.id);

  it('ranks a supply in another unit, or without a capacity, above one in the need’s unit when it scores higher', () => {
    const { index, all } = setUp(
      // The need's unit, but a tenth of the quantity, unverified and never answering: 0.5925.
      [
        { id: 'S-a', monthlyCapacity: { value: 500, unit: 'carton' } },
        { verified: false, responsiveness: 0 },
      ],
      // Capacity 0.5 for another unit or none, everything else better: 0.7375 each, tied, so by id.
      [{ id: 'S-c', monthlyCapacity: { value: 5000, unit: 'kg' } }, { responsiveness: 1 }],
      [{ id: 'S-b', monthlyCapacity: null }, { responsiveness: 1 }],
    );
    const ranked = index.topK(demand(), buyer(), 10, 0, NOW);
    expect(ranked.map((r) => [r.supply.id, r.match.score])).toEqual([
      ['S-b', 0.7375],
      ['S-c', 0.7375],
      ['S-a', 0.5925],
    ]);
    expect(ranked).toEqual(expected(all, demand()));
    expect(ids(index.topK(demand(), buyer(), 1, 0, NOW))).toEqual(['S-b']);
    // Units are compared after normalisation: ' Carton' is the need's unit, so capacity 1 and 0.7275.
    const [a, aParty] = all[0] as [Supply, Party];
    const full = { ...a, monthlyCapacity: { value: 5000, unit: ' Carton' } };
    index.upsert(full);
    const again = index.topK(demand(), buyer(), 10, 0, NOW);
    expect(again.map((r) => [r.supply.id, r.match.score])).toEqual([
      ['S-b', 0.7375],
      ['S-c', 0.7375],
      ['S-a', 0.7275],
    ]);
    expect(again).toEqual(expected([[full, aParty], ...all.slice(1)], demand()));
  });

  it('finds a required certification on the capability, among the recognitions, or at a higher level', () => {
    const { index, all } = setUp(
      [{ id: 'S-cap', certifications: ['OCOP:4'] }, {}],
      [{ id: 'S-rec' }, { recognitions: ['OCOP:5'] }],
      [{ id: 'S-low', certifications: ['OCOP:3'] }, {}],
      [{ id: 'S-none' }, {}],
    );
    const ocop4 = demand({ requiredCertifications: ['OCOP:4'] });
    expect(ids(index.topK(ocop4, buyer(), 10, 0, NOW))).toEqual(['S-cap', 'S-rec']);
    expect(index.topK(ocop4, buyer(), 10, 0, NOW)).toEqual(expected(all, ocop4));
    // A kind no one holds gives nothing, until a supplier is recognised for it.
    const vietgap = demand({ requiredCertifications: ['VIETGAP'] });
    expect(index.topK(vietgap, buyer(), 10, 0, NOW)).toEqual([]);
    index.setParty(supplier({ enterpriseId: 'E-S-none', recognitions: ['VIETGAP'] }));
    expect(ids(index.topK(vietgap, buyer(), 10, 0, NOW))).toEqual(['S-none']);
    // And a supplier that loses its recognition drops out.
    index.setParty(supplier({ enterpriseId: 'E-S-rec', recognitions: [] }));
    expect(ids(index.topK(ocop4, buyer(), 10, 0, NOW))).toEqual(['S-cap']);
  });

  it('stays exact with more certification kinds than it filters on', () => {
    const kinds = Array.from({ length: 40 }, (_, i) => `KIND_${i}`);
    const { index, all } = setUp(
      ...kinds.map((kind, i): [Partial<Supply>, Partial<Party>] => [
        { id: `S-${String(i).padStart(2, '0')}`, certifications: i % 2 === 0 ? [kind] : [] },
        { recognitions: i % 2 === 1 ? [`${kind}:2`] : [] },
      ]),
    );
    for (const kind of ['KIND_3', 'KIND_8', 'KIND_35', 'KIND_38', 'NEVER']) {
      const d = demand({ requiredCertifications: [kind] });
      const ranked = index.topK(d, buyer(), 10, 0, NOW);
      expect(ranked).toEqual(expected(all, d));
      expect(ranked).toHaveLength(kind === 'NEVER' ? 0 : 1);
    }
  });
});

describe('SupplyIndex.fingerprint', () => {
  const world = randomWorld(99, 300, 0);
  const shuffled = [...world.supplies].reverse();

  it('is equal for the same postings fed in different orders, and changes with them', () => {
    const a = indexOf(world);
    const b = indexOf(world, shuffled);
    expect(a.fingerprint()).toBe(b.fingerprint());
    expect(a.fingerprint()).toMatch(/^supplies:300:[0-9a-f]{64}$/);

    const first = world.supplies[0] as Supply;
    b.upsert({ ...first, leadTimeDays: first.leadTimeDays + 1 });
    expect(b.fingerprint()).not.toBe(a.fingerprint());
    b.upsert(first);
    expect(b.fingerprint()).toBe(a.fingerprint());

    b.remove(first.id);
    expect(b.fingerprint()).not.toBe(a.fingerprint());
    b.upsert(first);
    expect(b.fingerprint()).toBe(a.fingerprint());
  });

  it('sees equal dates as equal and a moved date as a change', () => {
    const a = indexOf(world);
    const b = indexOf(world);
    const first = world.supplies[0] as Supply;
    b.upsert({ ...first, postedAt: new Date(first.postedAt.getTime()) });
    expect(b.fingerprint()).toBe(a.fingerprint());
    b.upsert({ ...first, postedAt: daysFromNow(-1000) });
    expect(b.fingerprint()).not.toBe(a.fingerprint());
  });

  it('covers the parties', () => {
    const a = indexOf(world);
    const b = indexOf(world);
    const party = world.parties.values().next().value as Party;
    b.setParty({ ...party, verified: !party.verified });
    expect(b.fingerprint()).not.toBe(a.fingerprint());
  });
});

describe('SupplyIndex search order', () => {
  // A demand for HS 481910 / VSIC 17021 from a cooperative in Hà Nội.
  const d = demand({
    hsCodes: ['481910'],
    vsicCodes: ['17021'],
    tokens: ['hop', 'carton', 'in'],
    quantityPerMonth: { value: 100, unit: 'carton' },
  });
  const coop = buyer({ kind: 'cooperative' });
  const best: Partial<Party> = {
    province: '01',
    supportingIndustry: true,
    verified: true,
    responsiveness: 1,
  };
  const perfect: Partial<Supply> = {
    tokens: ['hop', 'carton', 'in'],
    monthlyCapacity: { value: 100, unit: 'carton' },
    leadTimeDays: 1,
    postedAt: NOW,
  };

  function index(...pairs: [Supply, Party][]): SupplyIndex {
    const out = new SupplyIndex();
    for (const [s, p] of pairs) {
      out.setParty(p);
      out.upsert(s);
    }
    return out;
  }

  it('bounds a candidate by its best product level, whichever code system meets it first', () => {
    // B: same HS subheading, a third of the keywords, no answers to proposals: 1 - 0.05 × 2/3 - 0.05 ≈ 0.9167.
    const b = supply({ ...perfect, id: 'S-b', enterpriseId: 'E-b', hsCodes: ['481910'], tokens: ['hop'] });
    const bParty = supplier({ ...best, enterpriseId: 'E-b', responsiveness: 0 });
    // A: only a sibling HS heading, but the same VSIC class and everything else perfect.
    const a = supply({
      ...perfect,
      id: 'S-a',
      enterpriseId: 'E-a',
      hsCodes: ['481920'],
      vsicCodes: ['17021'],
    });
    const aParty = supplier({ ...best, enterpriseId: 'E-a' });
    const scoreOf = (s: Supply, p: Party) => {
      const v = scorePair(d, s, coop, p, NOW);
      return v.ok ? v.match.score : -1;
    };
    expect(scoreOf(a, aParty)).toBe(0.965);
    // Between A's score and what A would be bounded by at the HS heading's product value (0.9125).
    expect(scoreOf(b, bParty)).toBe(0.9167);
    expect(
      index([b, bParty], [a, aParty])
        .topK(d, coop, 1, 0, NOW)
        .map((r) => r.supply.id),
    ).toEqual(['S-a']);
  });

  it('keeps searching a tier whose ceiling equals the k-th score, since a tie may win on id', () => {
    // B: same HS subheading, keywords 3 of 10: 0.35 + 0.05 × 0.3 + 0.6 = 0.965.
    const b = supply({
      ...perfect,
      id: 'S-b',
      enterpriseId: 'E-b',
      hsCodes: ['481910'],
      tokens: ['hop', 'carton', 'in', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7'],
    });
    const bParty = supplier({ ...best, enterpriseId: 'E-b' });
    // A: VSIC class only, everything else perfect: 0.9 × 0.35 + 0.65 = 0.965, the VSIC tier's ceiling.
    const a = supply({ ...perfect, id: 'S-a', enterpriseId: 'E-a', hsCodes: [], vsicCodes: ['17021'] });
    const aParty = supplier({ ...best, enterpriseId: 'E-a' });
    const bScore = scorePair(d, b, coop, bParty, NOW);
    expect(bScore.ok && bScore.match.score).toBe(0.965);
    const ranked = index([b, bParty], [a, aParty]).topK(d, coop, 1, 0, NOW);
    expect(ranked.map((r) => [r.supply.id, r.match.score])).toEqual([['S-a', 0.965]]);
  });
});
