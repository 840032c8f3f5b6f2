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
import { DemandIndex, type RankedDemand } from './index-demand';
import { scorePair } from './score';
import type { Demand, Party, Supply } from './types';

/** Every match of a supply by scorePair over all demands, sorted by score then id. */
function allMatches(demands: Iterable<Demand>, s: Supply, p: Party, world: World): RankedDemand[] {
  const out: RankedDemand[] = [];
  for (const d of demands) {
    const verdict = scorePair(d, s, partyIn(world, d.enterpriseId), p, NOW);
    if (verdict.ok) out.push({ demand: d, match: verdict.match });
  }
  return out.sort((x, y) => y.match.score - x.match.score || (x.demand.id < y.demand.id ? -1 : 1));
}

const cut = (all: RankedDemand[], k: number, threshold: number) =>
  all.filter((r) => r.match.score >= threshold).slice(0, k);

function indexOf(world: World, demands: Demand[] = world.demands): DemandIndex {
  const index = new DemandIndex();
  for (const party of world.parties.values()) index.setParty(party);
  for (const d of demands) index.upsert(d);
  return index;
}

describe('DemandIndex.topK against a brute-force scan', () => {
  // Here the needs are the many: 2,000 demands, 50 supplies asking for them.
  const world = randomWorld(7_654_321, 50, 2000);
  const index = indexOf(world);
  const brute = new Map(
    world.supplies.map((s) => [s.id, allMatches(world.demands, s, partyIn(world, s.enterpriseId), world)]),
  );

  it('has a data set where pairs meet, tie and are excluded', () => {
    const scores = [...brute.values()].flat().map((r) => r.match.score);
    expect(scores.length).toBeGreaterThan(5000);
    expect(scores.length).toBeLessThan(2000 * 50 * 0.9);
    expect(new Set(scores).size).toBeLessThan(scores.length / 2);
  });

  it.each([0, 0.3, 0.5, 0.6, 0.7, 0.8])('k = 10, threshold %p: same ids, order and scores', (threshold) => {
    let found = 0;
    for (const s of world.supplies) {
      const expected = cut(brute.get(s.id) ?? [], 10, threshold);
      expect(index.topK(s, partyIn(world, s.enterpriseId), 10, threshold, NOW)).toEqual(expected);
      found += expected.length;
    }
    if (threshold <= 0.6) expect(found).toBeGreaterThan(100);
  });

  it.each([1, 50])('k = %p, threshold 0.4', (k) => {
    for (const s of world.supplies) {
      const expected = cut(brute.get(s.id) ?? [], k, 0.4);
      expect(index.topK(s, partyIn(world, s.enterpriseId), k, 0.4, NOW)).toEqual(expected);
    }
  });

  it('gives nothing for a closed or expired supply', () => {
    const s = world.supplies.find((x) => x.open) as Supply;
    const p = partyIn(world, s.enterpriseId);
    expect(index.topK({ ...s, open: false }, p, 10, 0, NOW)).toEqual([]);
    expect(index.topK({ ...s, validUntil: daysFromNow(-1) }, p, 10, 0, NOW)).toEqual([]);
  });

  it('stays exact after postings are removed and replaced', () => {
    const churned = indexOf(world);
    const live = new Map(world.demands.map((d) => [d.id, d]));
    world.demands.forEach((d, i) => {
      if (i % 3 === 0) {
        churned.remove(d.id);
        live.delete(d.id);
      } else if (i % 3 === 1) {
        const moved = {
          ...d,
          vsicCodes: d.vsicCodes.map((c) => `25${c.slice(2)}`),
          preferredProvinces: ['01'],
        };
        churned.upsert(moved);
        live.set(d.id, moved);
      }
    });
    expect(churned.size).toBe(live.size);
    for (const s of world.supplies) {
      const p = partyIn(world, s.enterpriseId);
      expect(churned.topK(s, p, 10, 0.3, NOW)).toEqual(cut(allMatches(live.values(), s, p, world), 10, 0.3));
    }
  });
});

describe('DemandIndex maintenance', () => {
  const setUp = (...demands: Demand[]) => {
    const index = new DemandIndex();
    index.setParty(buyer());
    for (const d of demands) index.upsert(d);
    return index;
  };
  const ids = (ranked: RankedDemand[]) => ranked.map((r) => r.demand.id);

  it('upsert replaces, remove drops, get and size follow', () => {
    const index = setUp(demand({ id: 'D1' }), demand({ id: 'D2' }));
    expect(ids(index.topK(supply(), supplier(), 10, 0, NOW))).toEqual(['D1', 'D2']);
    const replaced = demand({ id: 'D1', hsCodes: ['9403'], tokens: ['ban'] });
    index.upsert(replaced);
    expect(index.get('D1')).toBe(replaced);
    expect(index.size).toBe(2);
    expect(ids(index.topK(supply(), supplier(), 10, 0, NOW))).toEqual(['D2']);
    index.remove('D2');
    expect(index.size).toBe(1);
    expect(index.get('D2')).toBeUndefined();
    expect(index.topK(supply(), supplier(), 10, 0, NOW)).toEqual([]);
  });

  it('setParty on a buyer changes later scores', () => {
    const index = setUp(demand());
    expect(index.topK(supply(), supplier({ supportingIndustry: true }), 1, 0, NOW)[0]?.match.score).toBe(
      0.8025,
    );
    const coop = buyer({ kind: 'cooperative' });
    index.setParty(coop);
    expect(index.party('E-BUY')).toBe(coop);
    // A supporting-industry supplier meeting a cooperative: policy 0 → 1, + 0.05.
    expect(index.topK(supply(), supplier({ supportingIndustry: true }), 1, 0, NOW)[0]?.match.score).toBe(
      0.8525,
    );
  });

  it('scores a demand whose party is unknown with an unverified buyer in the demand province', () => {
    const index = new DemandIndex();
    const d = demand({ enterpriseId: 'E-NEW', province: '92' });
    index.upsert(d);
    const expected = scorePair(d, supply(), unknownParty('E-NEW', '92'), supplier(), NOW);
    if (!expected.ok) throw new Error('expected a match');
    expect(index.topK(supply(), supplier(), 10, 0, NOW)).toEqual([{ demand: d, match: expected.match }]);
  });

  it('fingerprint is equal for the same postings in any order and changes with them', () => {
    const world = randomWorld(5, 0, 300);
    const a = indexOf(world);
    const b = indexOf(world, [...world.demands].reverse());
    expect(a.fingerprint()).toBe(b.fingerprint());
    expect(a.fingerprint()).toMatch(/^demands:300:[0-9a-f]{64}$/);
    const first = world.demands[0] as Demand;
    b.upsert({ ...first, excludedProvinces: [...first.excludedProvinces, '96'] });
    expect(b.fingerprint()).not.toBe(a.fingerprint());
    b.upsert(first);
    expect(b.fingerprint()).toBe(a.fingerprint());
  });
});
