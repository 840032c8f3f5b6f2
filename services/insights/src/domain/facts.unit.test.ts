import {
  type EventDefinition,
  Events,
  eventCatalogue,
  matchmakingEventsV1 as mm,
  programmeEventsV1 as pe,
  programmeV1 as pv,
  registryEventsV1 as re,
  registryV1,
  techtransferEventsV1 as te,
} from '@lienket/contracts';
import { type ClusterFact, canonical, type EnterpriseFact, type ProposalFact } from './facts';
import { sectorsOf } from './places';
import { type FactKind, factRules, publicTopics, updatesFor } from './rules';

/** One delivery: a catalogued type, its payload as it comes off the wire, the CloudEvents time. */
interface Delivery {
  type: string;
  payload: unknown;
  at: Date;
}

function delivery<T>(definition: EventDefinition<T>, payload: T, at: string): Delivery {
  // Through the wire format, as the consumer sees it (defaults filled, unknowns dropped).
  const decoded = definition.codec.decode(definition.codec.encode(payload).finish());
  return { type: definition.type, payload: decoded, at: new Date(at) };
}

/** Applies deliveries to an in-memory fact store with the same merge the Mongo store runs. */
function replay(deliveries: readonly Delivery[]): Map<string, unknown> {
  const facts = new Map<string, unknown>();
  for (const d of deliveries) {
    for (const u of updatesFor(d.type, d.payload, d.at)) {
      const key = `${u.kind}/${u.id}`;
      facts.set(key, canonical(u.reduce(facts.get(key) as never)));
    }
  }
  return facts;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Every order, and every order with each delivery repeated, gives the same facts. */
function expectOrderAndRepeatFree(deliveries: readonly Delivery[]) {
  const reference = replay(deliveries);
  for (const order of permutations(deliveries)) {
    expect(replay(order)).toEqual(reference);
    expect(replay([...order, ...order])).toEqual(reference);
    expect(replay(order.flatMap((d) => [d, d]))).toEqual(reference);
  }
  return reference;
}

const fact = <T>(facts: Map<string, unknown>, kind: FactKind, id: string) => facts.get(`${kind}/${id}`) as T;

describe('fact rules', () => {
  it('covers every catalogued event of every public topic, and nothing else', () => {
    const expected = eventCatalogue
      // The programme is read through its scheme events only (they carry each scheme's funding mix).
      .filter((d) => !/^lienket\.(testing|identity)\./.test(d.topic))
      .filter((d) => !d.topic.startsWith('lienket.programme.') || d.topic === 'lienket.programme.scheme.v1')
      .map((d) => d.type)
      .sort();
    expect(factRules.map((r) => r.definition.type).sort()).toEqual(expected);
    expect(publicTopics).toEqual([
      'lienket.matchmaking.demand.v1',
      'lienket.matchmaking.proposal.v1',
      'lienket.programme.scheme.v1',
      'lienket.registry.capability.v1',
      'lienket.registry.cluster.v1',
      'lienket.registry.enterprise.v1',
      'lienket.registry.need.v1',
      'lienket.techtransfer.cofunding.v1',
      'lienket.techtransfer.interest.v1',
      'lienket.techtransfer.offer.v1',
      'lienket.techtransfer.programme.v1',
      'lienket.techtransfer.request.v1',
    ]);
  });

  it('ignores an event without the id of its aggregate', () => {
    expect(
      replay([delivery(Events.matchAccepted, mm.MatchAccepted.fromPartial({}), '2025-08-01T00:00:00Z')]),
    ).toEqual(new Map());
  });
});

describe('sectors and places', () => {
  it('keeps every prefix of each code, the VSIC section, divisions and chapters', () => {
    expect(sectorsOf(['2592', '1702'], ['481910', '4819'])).toEqual({
      vsicCodes: ['1702', '2592'],
      hsCodes: ['4819', '481910'],
      vsicDivisions: ['17', '25'],
      hsChapters: ['48'],
      vsicPrefixes: ['17', '170', '1702', '25', '259', '2592', 'C'],
      hsPrefixes: ['48', '481', '4819', '48191', '481910'],
    });
  });

  it('maps a pre-2025 province to its current unit and region', () => {
    const facts = replay([
      delivery(
        Events.needPosted,
        re.NeedPosted.fromPartial({
          need: { id: 'n1', enterpriseId: 'e1', province: '27', vsicCodes: ['1702'] },
        }),
        '2025-08-01T00:00:00Z',
      ),
    ]);
    expect(fact(facts, 'need', 'n1')).toMatchObject({ province: '24', region: 'RRD' });
  });
});

describe('proposal facts', () => {
  const proposal = mm.MatchProposed.fromPartial({
    proposal: {
      id: 'p1',
      needId: 'n1',
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
  const linkage = mm.LinkageEstablished.fromPartial({
    proposalId: 'p1',
    needId: 'n1',
    capabilityId: 'c1',
    buyerEnterpriseId: 'buyer',
    supplierEnterpriseId: 'supplier',
    buyerProvince: '19',
    supplierProvince: '24',
    vsicCodes: ['1702'],
    hsCodes: ['4819'],
    category: 'material',
  });

  it('reaches the same fact from any order and any repetition of a proposal’s events', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(Events.matchProposed, proposal, '2025-08-10T00:00:00Z'),
      delivery(
        Events.matchAccepted,
        { proposalId: 'p1', enterpriseId: 'buyer', side: 'buyer' },
        '2025-08-11T00:00:00Z',
      ),
      delivery(
        Events.matchAccepted,
        { proposalId: 'p1', enterpriseId: 'supplier', side: 'supplier' },
        '2025-08-12T00:00:00Z',
      ),
      delivery(Events.linkageEstablished, linkage, '2025-08-12T00:00:00Z'),
    ]);
    expect(fact<ProposalFact>(facts, 'proposal', 'p1')).toMatchObject({
      outcome: 'established',
      accepted: 1,
      established: 1,
      proposedAt: new Date('2025-08-10T00:00:00Z'),
      establishedAt: new Date('2025-08-12T00:00:00Z'),
      acceptedSides: ['buyer', 'supplier'],
      provinces: ['19', '24'],
      regions: ['NMM', 'RRD'],
      intraProvince: 0,
      intraRegion: 0,
      crossRegion: 1,
      parties: [
        { id: 'buyer', province: '19', region: 'NMM', role: 'buyer' },
        { id: 'supplier', province: '24', region: 'RRD', role: 'supplier' },
      ],
    });
  });

  it('does not move a time when the same happening comes again under a new id and a later time', () => {
    const once = replay([
      delivery(Events.matchProposed, proposal, '2025-08-10T00:00:00Z'),
      delivery(Events.linkageEstablished, linkage, '2025-08-12T00:00:00Z'),
    ]);
    const again = replay([
      delivery(Events.matchProposed, proposal, '2025-08-10T00:00:00Z'),
      delivery(Events.linkageEstablished, linkage, '2025-08-12T00:00:00Z'),
      delivery(Events.linkageEstablished, linkage, '2025-09-30T00:00:00Z'),
      delivery(Events.matchProposed, proposal, '2025-09-30T00:00:00Z'),
    ]);
    expect(again).toEqual(once);
  });

  it('counts a proposal accepted by one side, then declined, as accepted and declined', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(Events.matchProposed, proposal, '2025-08-10T00:00:00Z'),
      delivery(
        Events.matchAccepted,
        { proposalId: 'p1', enterpriseId: 'buyer', side: 'buyer' },
        '2025-08-11T00:00:00Z',
      ),
      delivery(
        Events.matchDeclined,
        { proposalId: 'p1', enterpriseId: 'supplier', side: 'supplier', reason: 'capacity' },
        '2025-08-12T00:00:00Z',
      ),
    ]);
    expect(fact<ProposalFact>(facts, 'proposal', 'p1')).toMatchObject({
      outcome: 'declined',
      accepted: 1,
      established: 0,
    });
  });

  it('marks a linkage within one region as intra-region, within one province as intra-province', () => {
    const facts = replay([
      delivery(
        Events.linkageEstablished,
        { ...linkage, buyerProvince: '01', supplierProvince: '01' },
        '2025-08-12T00:00:00Z',
      ),
    ]);
    expect(fact<ProposalFact>(facts, 'proposal', 'p1')).toMatchObject({
      described: true,
      intraProvince: 1,
      intraRegion: 1,
      crossRegion: 0,
      provinces: ['01'],
      regions: ['RRD'],
    });
  });

  it('keeps MatchProposed’s description over a linkage’s, whichever came first', () => {
    const other = { ...linkage, category: 'component' };
    const a = replay([
      delivery(Events.linkageEstablished, other, '2025-08-12T00:00:00Z'),
      delivery(Events.matchProposed, proposal, '2025-08-10T00:00:00Z'),
    ]);
    const b = replay([
      delivery(Events.matchProposed, proposal, '2025-08-10T00:00:00Z'),
      delivery(Events.linkageEstablished, other, '2025-08-12T00:00:00Z'),
    ]);
    expect(a).toEqual(b);
    expect(fact<ProposalFact>(a, 'proposal', 'p1').category).toBe('material');
  });
});

describe('posting facts', () => {
  const capability = re.CapabilityPosted.fromPartial({
    capability: { id: 'c1', enterpriseId: 'e1', province: '24', vsicCodes: ['1702'] },
  });

  it('counts one renewal per new end of validity, however often it is announced', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(Events.capabilityPosted, capability, '2025-08-01T00:00:00Z'),
      delivery(
        Events.capabilityRenewed,
        { capabilityId: 'c1', enterpriseId: 'e1', validUntil: new Date('2026-03-01T00:00:00Z') },
        '2025-09-01T00:00:00Z',
      ),
      delivery(
        Events.capabilityRenewed,
        { capabilityId: 'c1', enterpriseId: 'e1', validUntil: new Date('2026-03-01T00:00:00Z') },
        '2025-09-02T00:00:00Z',
      ),
      delivery(
        Events.capabilityRenewed,
        { capabilityId: 'c1', enterpriseId: 'e1', validUntil: new Date('2026-09-01T00:00:00Z') },
        '2025-10-01T00:00:00Z',
      ),
    ]);
    expect(fact(facts, 'capability', 'c1')).toMatchObject({
      postedAt: new Date('2025-08-01T00:00:00Z'),
      renewals: [
        { validUntil: '2026-03-01T00:00:00.000Z', at: new Date('2025-09-01T00:00:00Z') },
        { validUntil: '2026-09-01T00:00:00.000Z', at: new Date('2025-10-01T00:00:00Z') },
      ],
    });
  });

  it('ends a posting at its earliest end, with that end’s reason', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(Events.capabilityPosted, capability, '2025-08-01T00:00:00Z'),
      delivery(
        Events.capabilityWithdrawn,
        { capabilityId: 'c1', enterpriseId: 'e1', reason: 'stop' },
        '2025-09-01T00:00:00Z',
      ),
      delivery(Events.capabilityExpired, { capabilityId: 'c1', enterpriseId: 'e1' }, '2025-10-01T00:00:00Z'),
    ]);
    expect(fact(facts, 'capability', 'c1')).toMatchObject({
      endedAt: new Date('2025-09-01T00:00:00Z'),
      endReason: 'withdrawn',
    });
    const needs = expectOrderAndRepeatFree([
      delivery(
        Events.needPosted,
        re.NeedPosted.fromPartial({
          need: {
            id: 'n1',
            enterpriseId: 'e1',
            province: '19',
            category: registryV1.NeedCategory.NEED_CATEGORY_MATERIAL,
          },
        }),
        '2025-08-01T00:00:00Z',
      ),
      delivery(Events.needFulfilled, { needId: 'n1', enterpriseId: 'e1' }, '2025-08-20T00:00:00Z'),
      delivery(
        Events.needExpiring,
        { needId: 'n1', enterpriseId: 'e1', validUntil: undefined },
        '2025-08-25T00:00:00Z',
      ),
    ]);
    expect(fact(needs, 'need', 'n1')).toMatchObject({
      category: 'material',
      endedAt: new Date('2025-08-20T00:00:00Z'),
      endReason: 'fulfilled',
    });
  });

  it('counts a need reported unmet twice for two reasons once, with both reasons', () => {
    const unmet = (reason: string) =>
      mm.DemandUnmet.fromPartial({
        needId: 'n1',
        enterpriseId: 'e1',
        province: '19',
        reason,
        category: 'material',
      });
    const facts = expectOrderAndRepeatFree([
      delivery(Events.demandUnmet, unmet('no_match_above_threshold'), '2025-08-01T00:00:00Z'),
      delivery(Events.demandUnmet, unmet('expired_unmatched'), '2025-10-01T00:00:00Z'),
    ]);
    expect(fact(facts, 'demand', 'n1')).toMatchObject({
      unmetAt: new Date('2025-08-01T00:00:00Z'),
      noMatchAt: new Date('2025-08-01T00:00:00Z'),
      expiredUnmatchedAt: new Date('2025-10-01T00:00:00Z'),
      reasons: ['expired_unmatched', 'no_match_above_threshold'],
    });
  });
});

describe('enterprise facts', () => {
  const enterprise = (
    version: number,
    leadFirm: boolean,
    updatedAt: string,
    name = 'Công ty Giấy Bắc Ninh',
  ) =>
    registryV1.Enterprise.fromPartial({
      id: 'e1',
      name,
      province: { code: '24' },
      version,
      leadFirm,
      createdAt: new Date('2025-07-01T00:00:00Z'),
      updatedAt: new Date(updatedAt),
      verification: { status: registryV1.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED },
    });

  it('takes the newest profile and the latest lead-firm decision in any order', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(
        Events.enterpriseRegistered,
        { enterprise: enterprise(1, false, '2025-07-01T00:00:00Z'), legacyProvinceCode: '' },
        '2025-07-01T00:00:00Z',
      ),
      delivery(
        Events.enterpriseUpdated,
        {
          enterprise: enterprise(2, false, '2025-07-05T00:00:00Z', 'Công ty CP Giấy Bắc Ninh'),
          changedFields: ['name'],
        },
        '2025-07-05T00:00:00Z',
      ),
      delivery(
        Events.enterpriseVerified,
        { enterpriseId: 'e1', province: '24', decidedBy: 'o' },
        '2025-07-06T00:00:00Z',
      ),
      delivery(
        Events.leadFirmDesignated,
        { enterpriseId: 'e1', province: '24', leadFirm: true, decidedBy: 'o' },
        '2025-07-10T00:00:00Z',
      ),
    ]);
    expect(fact<EnterpriseFact>(facts, 'enterprise', 'e1')).toMatchObject({
      name: 'Công ty CP Giấy Bắc Ninh',
      province: '24',
      region: 'RRD',
      profileVersion: 2,
      registeredAt: new Date('2025-07-01T00:00:00Z'),
      isLeadFirm: true,
      isVerified: true,
    });
  });

  it('withdraws the designation when a later decision says so', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(
        Events.leadFirmDesignated,
        { enterpriseId: 'e1', province: '24', leadFirm: true, decidedBy: 'o' },
        '2025-07-10T00:00:00Z',
      ),
      delivery(
        Events.leadFirmDesignated,
        { enterpriseId: 'e1', province: '24', leadFirm: false, decidedBy: 'o' },
        '2025-08-10T00:00:00Z',
      ),
    ]);
    expect(fact<EnterpriseFact>(facts, 'enterprise', 'e1').isLeadFirm).toBe(false);
  });
});

describe('cluster facts', () => {
  it('keeps each member’s latest membership in any order', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(
        Events.clusterFormed,
        re.ClusterFormed.fromPartial({
          cluster: {
            id: 'k1',
            name: 'Chuỗi giấy',
            chain: '17',
            anchorEnterpriseId: 'e1',
            members: [{ enterpriseId: 'e1', province: '24', joinedAt: new Date('2025-08-01T00:00:00Z') }],
            createdAt: new Date('2025-08-01T00:00:00Z'),
          },
        }),
        '2025-08-01T00:00:00Z',
      ),
      delivery(
        Events.clusterMemberJoined,
        { clusterId: 'k1', enterpriseId: 'e2', province: '19' },
        '2025-08-05T00:00:00Z',
      ),
      delivery(
        Events.clusterMemberLeft,
        { clusterId: 'k1', enterpriseId: 'e2', province: '19' },
        '2025-09-05T00:00:00Z',
      ),
      delivery(
        Events.clusterMemberJoined,
        { clusterId: 'k1', enterpriseId: 'e3', province: '01' },
        '2025-09-06T00:00:00Z',
      ),
    ]);
    expect(fact<ClusterFact>(facts, 'cluster', 'k1').members.map((m) => [m.enterpriseId, m.active])).toEqual([
      ['e1', true],
      ['e2', false],
      ['e3', true],
    ]);
  });
});

describe('technology-transfer facts', () => {
  const interestFacts = te.InterestFacts.fromPartial({
    interestId: 'i1',
    offerId: 'o1',
    ownerProvince: '01',
    interestedProvince: '92',
    vsicCodes: ['3700'],
    pollutionTreatment: true,
  });
  const coFacts = te.CoFundingFacts.fromPartial({
    applicationId: 'a1',
    programmeId: 'g1',
    agreementId: 'ag1',
    applicantProvince: '92',
    amount: { vnd: 200_000_000 },
    vsicCodes: ['3700'],
    cleanerProduction: true,
  });

  it('reduces an interest to an agreement with its value, in any order', () => {
    const facts = expectOrderAndRepeatFree([
      delivery(
        Events.interestExpressed,
        { facts: interestFacts, respondBy: undefined },
        '2025-08-01T00:00:00Z',
      ),
      delivery(Events.interestAccepted, { facts: interestFacts }, '2025-08-02T00:00:00Z'),
      delivery(
        Events.agreementSigned,
        te.AgreementSigned.fromPartial({
          facts: interestFacts,
          agreementId: 'ag1',
          value: { vnd: 600_000_000 },
        }),
        '2025-08-20T00:00:00Z',
      ),
    ]);
    expect(fact(facts, 'interest', 'i1')).toMatchObject({
      ownerProvince: '01',
      interestedProvince: '92',
      interestedRegion: 'MD',
      cleaner: true,
      expressedAt: new Date('2025-08-01T00:00:00Z'),
      agreementSignedAt: new Date('2025-08-20T00:00:00Z'),
      agreementValueVnd: 600_000_000,
    });
  });

  it('keeps one fact per disbursement id, and the application’s running total', () => {
    const disbursed = (id: string, amount: number, total: number) =>
      te.CoFundingDisbursed.fromPartial({
        facts: coFacts,
        disbursementId: id,
        disbursed: { vnd: amount },
        disbursedTotal: { vnd: total },
      });
    const facts = expectOrderAndRepeatFree([
      delivery(
        Events.coFundingRequested,
        { facts: coFacts, agreementValue: { vnd: 600_000_000 } },
        '2025-08-21T00:00:00Z',
      ),
      delivery(Events.coFundingApproved, { facts: coFacts, decidedBy: 'o' }, '2025-08-22T00:00:00Z'),
      delivery(Events.coFundingDisbursed, disbursed('d1', 120_000_000, 120_000_000), '2025-09-01T00:00:00Z'),
      delivery(Events.coFundingDisbursed, disbursed('d2', 80_000_000, 200_000_000), '2025-10-01T00:00:00Z'),
    ]);
    expect(fact(facts, 'cofunding', 'a1')).toMatchObject({
      requestedVnd: 200_000_000,
      approvedVnd: 200_000_000,
      disbursedTotalVnd: 200_000_000,
      cleaner: true,
      hsPrefixes: [],
    });
    expect(fact(facts, 'disbursement', 'd1')).toMatchObject({ amountVnd: 120_000_000, applicationId: 'a1' });
    expect(fact(facts, 'disbursement', 'd2')).toMatchObject({ amountVnd: 80_000_000 });
  });

  it('holds the latest programme snapshot whatever the order', () => {
    const change = (change: string, committed: number) =>
      te.ProgrammeBudgetChanged.fromPartial({
        programmeId: 'g1',
        name: 'Khuyến công Cần Thơ',
        province: '92',
        change,
        budget: { vnd: 1_000_000_000 },
        committed: { vnd: committed },
      });
    const facts = expectOrderAndRepeatFree([
      delivery(Events.programmeBudgetChanged, change('opened', 0), '2025-08-01T00:00:00Z'),
      delivery(Events.programmeBudgetChanged, change('committed', 200_000_000), '2025-08-22T00:00:00Z'),
      delivery(Events.programmeBudgetChanged, change('committed', 300_000_000), '2025-08-22T00:00:00Z'),
    ]);
    expect(fact(facts, 'programme', 'g1')).toMatchObject({
      committedVnd: 300_000_000,
      changes: ['committed', 'opened'],
    });
  });

  it('counts an offer on pollution treatment as cleaner', () => {
    const facts = replay([
      delivery(
        Events.offerPublished,
        te.OfferPublished.fromPartial({ offer: { id: 'o1', ownerProvince: '01', pollutionTreatment: true } }),
        '2025-08-01T00:00:00Z',
      ),
    ]);
    expect(fact(facts, 'offer', 'o1')).toMatchObject({ cleaner: true, ownerRegion: 'RRD' });
  });
});

describe('slices (what survives a FerretDB $unwind)', () => {
  it('carry, per province, region and sector key, every figure a proposal is added up by', () => {
    const facts = replay([
      delivery(
        Events.linkageEstablished,
        mm.LinkageEstablished.fromPartial({
          proposalId: 'p1',
          buyerEnterpriseId: 'b',
          supplierEnterpriseId: 's',
          buyerProvince: '19',
          supplierProvince: '24',
          vsicCodes: ['1702'],
          hsCodes: ['4819'],
          category: 'material',
        }),
        '2025-08-12T00:00:00Z',
      ),
    ]);
    const carried = {
      outcome: 'established',
      accepted: 1,
      established: 1,
      intraRegion: 0,
      crossRegion: 1,
      intraProvince: 0,
    };
    expect(fact<{ slices: unknown[] }>(facts, 'proposal', 'p1').slices).toEqual([
      { d: 'province', k: '19', ...carried },
      { d: 'province', k: '24', ...carried },
      { d: 'region', k: 'NMM', ...carried },
      { d: 'region', k: 'RRD', ...carried },
      { d: 'vsic', k: '17', ...carried },
      { d: 'hs', k: '48', ...carried },
    ]);
  });

  it('keep one slice per renewal and key, with the renewal’s time', () => {
    const facts = replay([
      delivery(
        Events.capabilityPosted,
        re.CapabilityPosted.fromPartial({
          capability: { id: 'c1', enterpriseId: 'e1', province: '24', vsicCodes: ['1702', '2592'] },
        }),
        '2025-08-01T00:00:00Z',
      ),
      delivery(
        Events.capabilityRenewed,
        { capabilityId: 'c1', enterpriseId: 'e1', validUntil: new Date('2026-03-01T00:00:00Z') },
        '2025-09-01T00:00:00Z',
      ),
    ]);
    const at = new Date('2025-09-01T00:00:00Z');
    expect(fact<{ renewalSlices: unknown[] }>(facts, 'capability', 'c1').renewalSlices).toEqual([
      { d: 'all', k: '', at },
      { d: 'province', k: '24', at },
      { d: 'region', k: 'RRD', at },
      { d: 'vsic', k: '17', at },
      { d: 'vsic', k: '25', at },
    ]);
  });

  it('carry the amounts of agreements, applications and disbursements', () => {
    const facts = replay([
      delivery(
        Events.agreementSigned,
        te.AgreementSigned.fromPartial({
          facts: { interestId: 'i1', ownerProvince: '01', interestedProvince: '92', vsicCodes: ['3700'] },
          agreementId: 'ag1',
          value: { vnd: 600_000_000 },
        }),
        '2025-08-20T00:00:00Z',
      ),
    ]);
    expect(fact<{ slices: unknown[] }>(facts, 'interest', 'i1').slices).toEqual([
      { d: 'vsic', k: '37', agreementValueVnd: 600_000_000 },
    ]);
  });
});

describe('scheme facts (the programme’s money by source)', () => {
  const facts = (status: pv.SchemeStatus) =>
    pe.SchemeFacts.fromPartial({
      schemeId: 's1',
      line: pv.SupportLine.SUPPORT_LINE_CLEANER_PRODUCTION,
      year: 2026,
      province: '24',
      status,
      funding: {
        cost: { vnd: 1_000_000_000 },
        state: { vnd: 400_000_000 },
        stateSource: pv.FundingSource.FUNDING_SOURCE_PROVINCIAL,
        counterpart: { vnd: 450_000_000 },
        sponsor: { vnd: 150_000_000 },
      },
    });
  const S = pv.SchemeStatus;
  const life = [
    delivery(
      Events.schemeProposed,
      { facts: facts(S.SCHEME_STATUS_PROPOSED), title: 't' },
      '2026-06-10T00:00:00Z',
    ),
    delivery(
      Events.schemeAppraised,
      { facts: facts(S.SCHEME_STATUS_APPRAISED), score: 80, passed: true },
      '2026-06-20T00:00:00Z',
    ),
    // 30 June 18:00 UTC is 1 July in Vietnam: the second half.
    delivery(
      Events.schemeApproved,
      { facts: facts(S.SCHEME_STATUS_APPROVED), budgetId: 'b' },
      '2026-06-30T18:00:00Z',
    ),
    delivery(
      Events.schemeContracted,
      { facts: facts(S.SCHEME_STATUS_CONTRACTED), contractNumber: 'c' },
      '2026-07-05T00:00:00Z',
    ),
  ];

  it('keeps the funding mix and the approval, whatever the order and repetition', () => {
    const merged = expectOrderAndRepeatFree(life);
    expect(fact(merged, 'scheme', 's1')).toEqual({
      province: '24',
      region: 'RRD',
      line: 'cleaner_production',
      year: 2026,
      costVnd: 1_000_000_000,
      stateVnd: 400_000_000,
      counterpartVnd: 450_000_000,
      sponsorVnd: 150_000_000,
      nonStateVnd: 600_000_000,
      approvedAt: new Date('2026-06-30T18:00:00Z'),
      committed: 1,
      half: '2026-H2',
    });
  });

  it('does not count a proposal nor a cancelled scheme', () => {
    const proposed = replay(life.slice(0, 2));
    expect(fact(proposed, 'scheme', 's1')).toMatchObject({ committed: 0 });
    const cancelled = expectOrderAndRepeatFree([
      ...life.slice(2),
      delivery(
        Events.schemeCancelled,
        { facts: facts(S.SCHEME_STATUS_CANCELLED), reason: 'r', released: { vnd: 400_000_000 } },
        '2026-08-01T00:00:00Z',
      ),
    ]);
    expect(fact(cancelled, 'scheme', 's1')).toMatchObject({ committed: 0, half: '2026-H2' });
  });
});
