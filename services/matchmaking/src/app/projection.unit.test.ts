import { registryV1 } from '@lienket/contracts';
import { normaliseWeights } from '@lienket/matching';
import { makeMatchmaking } from './matchmaking';
import type { MatchmakingStore, ProjectionWrite } from './ports';

/** A store that keeps the projection writes it is given, one list per call. */
function recordingStore() {
  const calls: ProjectionWrite[][] = [];
  const store = {
    projectMany: async (writes: readonly ProjectionWrite[]) => {
      calls.push([...writes]);
    },
    loadProjection: async () => ({ supplies: [], demands: [], parties: [] }),
    responsiveness: async () => new Map<string, number>(),
  } as unknown as MatchmakingStore;
  return { store, calls };
}

function matchmakingOn(store: MatchmakingStore) {
  return makeMatchmaking({
    store,
    clock: () => new Date('2025-09-01T00:00:00Z'),
    newId: () => 'id',
    settings: {
      k: 10,
      threshold: 0.4,
      proposalTtlDays: 21,
      weights: normaliseWeights({
        product: 1,
        keywords: 1,
        capacity: 1,
        lead_time: 1,
        geography: 1,
        policy: 1,
        trust: 1,
        freshness: 1,
        responsiveness: 1,
      }),
    },
    source: '/test',
    afterWrite: () => undefined,
  });
}

const at = (day: number) => new Date(Date.UTC(2025, 7, day));
const capability = registryV1.Capability.fromPartial({
  id: 'c1',
  enterpriseId: 'e1',
  province: '19',
  title: 'Thùng carton',
  hsCodes: ['481910'],
  validUntil: at(28),
  status: registryV1.CapabilityStatus.CAPABILITY_STATUS_OPEN,
});
const need = registryV1.Need.fromPartial({
  id: 'n1',
  enterpriseId: 'e2',
  province: '19',
  hsCodes: ['4819'],
  status: registryV1.NeedStatus.NEED_STATUS_OPEN,
});
const enterprise = registryV1.Enterprise.fromPartial({ id: 'e1', province: { code: '19' } });

describe('the registry projection, a batch at a time', () => {
  it('writes each document once per batch: the last whole value with the fields set after it', async () => {
    const { store, calls } = recordingStore();
    const mm = matchmakingOn(store);
    await mm.applyRegistryChanges([
      { kind: 'enterprise', enterprise, at: at(1) },
      { kind: 'capability', capability, at: at(2) },
      { kind: 'need', need, at: at(2) },
      { kind: 'capabilityPatch', id: 'c1', patch: { validUntil: at(30) }, at: at(3) },
      { kind: 'partyPatch', id: 'e1', patch: { verified: true }, at: at(4) },
      { kind: 'needPatch', id: 'n1', patch: { open: false }, at: at(5) },
    ]);
    expect(calls).toHaveLength(1);
    const writes = new Map(calls[0]?.map((w) => [`${w.kind}:${w.id}`, w]));
    expect(writes.size).toBe(3);
    expect(writes.get('supply:c1')).toMatchObject({
      state: { supply: { id: 'c1', validUntil: at(30), open: true }, title: 'Thùng carton' },
      at: at(3),
    });
    expect(writes.get('party:e1')).toMatchObject({ state: { party: { verified: true } }, at: at(4) });
    expect(writes.get('demand:n1')).toMatchObject({ state: { demand: { open: false } }, at: at(5) });
    // The indexes hold what was written: the capability open, the need closed.
    expect(mm.supplies.get('c1')?.validUntil).toEqual(at(30));
    expect(mm.demands.get('n1')).toBeUndefined();
  });

  it('merges the fields of a document the batch does not post, and skips a change older than one applied', async () => {
    const { store, calls } = recordingStore();
    const mm = matchmakingOn(store);
    await mm.applyRegistryChanges([{ kind: 'capability', capability, at: at(2) }]);
    await mm.applyRegistryChanges([
      { kind: 'capabilityPatch', id: 'c1', patch: { validUntil: at(30) }, at: at(3) },
      { kind: 'capabilityPatch', id: 'c1', patch: { open: false }, at: at(4) },
      // A redelivered older posting does not open it again, in memory or in the store.
      { kind: 'capability', capability, at: at(2) },
    ]);
    expect(calls[1]).toEqual([
      { kind: 'supply', id: 'c1', patch: { validUntil: at(30), open: false }, at: at(4) },
    ]);
    expect(mm.supplies.get('c1')).toBeUndefined();
  });

  it('writes nothing for a batch of changes it has applied already', async () => {
    const { store, calls } = recordingStore();
    const mm = matchmakingOn(store);
    await mm.applyRegistryChanges([{ kind: 'capability', capability, at: at(2) }]);
    await mm.applyRegistryChanges([{ kind: 'capabilityPatch', id: 'c1', patch: { open: false }, at: at(1) }]);
    expect(calls).toHaveLength(1);
    expect(mm.supplies.get('c1')).toBeDefined();
  });
});
