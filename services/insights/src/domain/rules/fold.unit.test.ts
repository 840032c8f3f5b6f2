import {
  type EventDefinition,
  Events,
  matchmakingEventsV1 as mm,
  registryEventsV1 as re,
} from '@lienket/contracts';
import { canonical } from '../facts';
import { type FactChange, type FactEvent, factKey, foldFacts, type StoredFactState, updatesOf } from './fold';
import { updatesFor } from './index';

function event<T>(definition: EventDefinition<T>, payload: T, at: string): FactEvent {
  // Through the wire format, as the consumer sees it (defaults filled, unknowns dropped).
  const decoded = definition.codec.decode(definition.codec.encode(payload).finish());
  return { type: definition.type, payload: decoded, time: new Date(at) };
}

/** The reference: every merge applied one event at a time, as the per-event consumer did. */
function oneByOne(events: readonly FactEvent[]): Map<string, unknown> {
  const facts = new Map<string, unknown>();
  for (const e of events) {
    for (const u of updatesFor(e.type, e.payload, e.time)) {
      const key = factKey(u.kind, u.id);
      facts.set(key, canonical(u.reduce(facts.get(key) as never)));
    }
  }
  return facts;
}

/** What the store holds after writing a batch's changes: each changed fact one revision on. */
function written(stored: ReadonlyMap<string, StoredFactState>, changes: readonly FactChange[]) {
  const next = new Map(stored);
  for (const c of changes) next.set(factKey(c.kind, c.id), { fact: c.fact, rev: c.rev + 1 });
  return next;
}

const factsOf = (stored: ReadonlyMap<string, StoredFactState>) =>
  new Map([...stored].map(([key, { fact }]) => [key, fact]));

const proposal = (id: string, needId: string) =>
  mm.MatchProposed.fromPartial({
    proposal: {
      id,
      needId,
      capabilityId: 'c1',
      buyerEnterpriseId: 'buyer',
      supplierEnterpriseId: 'supplier',
      buyerProvince: '19',
      supplierProvince: '24',
      vsicCodes: ['1702'],
      hsCodes: ['4819'],
      category: 'material',
    },
  });

const batch: FactEvent[] = [
  event(
    Events.needPosted,
    re.NeedPosted.fromPartial({
      need: { id: 'n1', enterpriseId: 'buyer', province: '19', vsicCodes: ['1702'] },
    }),
    '2025-08-01T00:00:00Z',
  ),
  event(Events.matchProposed, proposal('p1', 'n1'), '2025-08-02T00:00:00Z'),
  event(Events.matchProposed, proposal('p2', 'n1'), '2025-08-02T00:00:01Z'),
  event(
    Events.matchAccepted,
    mm.MatchAccepted.fromPartial({ proposalId: 'p1', enterpriseId: 'buyer', side: 'buyer' }),
    '2025-08-03T00:00:00Z',
  ),
  event(
    Events.matchAccepted,
    mm.MatchAccepted.fromPartial({ proposalId: 'p1', enterpriseId: 'supplier', side: 'supplier' }),
    '2025-08-04T00:00:00Z',
  ),
  event(
    Events.matchDeclined,
    mm.MatchDeclined.fromPartial({
      proposalId: 'p2',
      enterpriseId: 'supplier',
      side: 'supplier',
      reason: 'busy',
    }),
    '2025-08-05T00:00:00Z',
  ),
  event(Events.needFulfilled, re.NeedFulfilled.fromPartial({ needId: 'n1' }), '2025-08-06T00:00:00Z'),
];

describe('folding a batch of events into facts', () => {
  it('reaches the facts that applying each event in turn reaches, one change per fact', () => {
    const changes = foldFacts(updatesOf(batch), new Map());
    expect(changes.map((c) => factKey(c.kind, c.id)).sort()).toEqual([
      'need/n1',
      'proposal/p1',
      'proposal/p2',
    ]);
    expect(changes.every((c) => c.rev === 0)).toBe(true);
    expect(factsOf(written(new Map(), changes))).toEqual(oneByOne(batch));
  });

  it('changes nothing when the same batch comes again, whole or in part', () => {
    const stored = written(new Map(), foldFacts(updatesOf(batch), new Map()));
    expect(foldFacts(updatesOf(batch), stored)).toEqual([]);
    expect(foldFacts(updatesOf(batch.slice(2, 5)), stored)).toEqual([]);
    expect(foldFacts(updatesOf([...batch, ...batch]), stored)).toEqual([]);
  });

  it('gives the same facts however the events are cut into batches', () => {
    const whole = factsOf(written(new Map(), foldFacts(updatesOf(batch), new Map())));
    for (let cut = 1; cut < batch.length; cut += 1) {
      const first = written(new Map(), foldFacts(updatesOf(batch.slice(0, cut)), new Map()));
      const second = written(first, foldFacts(updatesOf(batch.slice(cut)), first));
      expect([cut, factsOf(second)]).toEqual([cut, whole]);
    }
  });

  it('writes only what changed, each at the revision it was read at', () => {
    const stored = written(new Map(), foldFacts(updatesOf(batch.slice(0, 3)), new Map()));
    const changes = foldFacts(updatesOf(batch.slice(2)), stored);
    // p2's MatchProposed is already stored; its decline changes it, p1's acceptances change p1.
    expect(changes.map((c) => [factKey(c.kind, c.id), c.rev]).sort()).toEqual([
      ['need/n1', 1],
      ['proposal/p1', 1],
      ['proposal/p2', 1],
    ]);
    expect(factsOf(written(stored, changes))).toEqual(oneByOne(batch));
  });

  it('folded again over a fact another writer changed meanwhile, keeps both writers’ events', () => {
    const read = written(new Map(), foldFacts(updatesOf(batch.slice(0, 2)), new Map()));
    const ours = updatesOf(batch.slice(3, 4)); // the buyer accepts p1
    const theirs = foldFacts(updatesOf(batch.slice(4, 5)), read); // meanwhile: the supplier accepts p1
    const now = written(read, theirs);
    // Our change was folded at revision 1; the store is at 2: the write loses, we read and fold again.
    expect(foldFacts(ours, read)[0]?.rev).toBe(1);
    const retried = foldFacts(ours, now);
    expect(retried.map((c) => c.rev)).toEqual([2]);
    expect(factsOf(written(now, retried)).get('proposal/p1')).toEqual(
      oneByOne(batch.slice(0, 5)).get('proposal/p1'),
    );
  });
});
