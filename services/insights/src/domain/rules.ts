import {
  type EventDefinition,
  Events,
  enumCodec,
  registryV1,
  type techtransferEventsV1,
  techtransferV1,
} from '@lienket/contracts/messages';
import {
  type CapabilityFact,
  type ClusterFact,
  type CoFundingAttributes,
  type CoFundingChange,
  type CoFundingFact,
  capability,
  cluster,
  coFunding,
  type DemandFact,
  type DisbursementFact,
  demand,
  disbursement,
  type EnterpriseFact,
  type EnterpriseProfile,
  enterpriseLeadFirm,
  enterpriseProfile,
  enterpriseVerification,
  type InterestAttributes,
  type InterestChange,
  type InterestFact,
  interest,
  type NeedFact,
  need,
  type OfferFact,
  offer,
  type PostingAttributes,
  type ProgrammeFact,
  type ProposalAttributes,
  type ProposalFact,
  programme,
  proposal,
  type RequestFact,
  request,
} from './facts';
import { placeOf, sectorsOf } from './places';
import { withSlices } from './slices';

/** The fact collections, one per kind of entity. */
export const factKinds = [
  'enterprise',
  'capability',
  'need',
  'cluster',
  'proposal',
  'demand',
  'offer',
  'request',
  'interest',
  'cofunding',
  'disbursement',
  'programme',
] as const;
export type FactKind = (typeof factKinds)[number];

/** The document type of each fact kind. */
export interface FactTypes {
  enterprise: EnterpriseFact;
  capability: CapabilityFact;
  need: NeedFact;
  cluster: ClusterFact;
  proposal: ProposalFact;
  demand: DemandFact;
  offer: OfferFact;
  request: RequestFact;
  interest: InterestFact;
  cofunding: CoFundingFact;
  disbursement: DisbursementFact;
  programme: ProgrammeFact;
}

/** A merge of one event into one fact document. */
export interface FactUpdate<K extends FactKind = FactKind> {
  kind: K;
  id: string;
  reduce: (fact: FactTypes[K] | undefined) => FactTypes[K];
}

function update<K extends FactKind>(
  kind: K,
  id: string,
  reduce: (fact: FactTypes[K] | undefined) => FactTypes[K],
): FactUpdate[] {
  // Slices are derived on every merge, like the fact's other derived fields.
  const sliced = (fact: FactTypes[K] | undefined) => withSlices(kind, reduce(fact));
  return id ? [{ kind, id, reduce: sliced } as unknown as FactUpdate] : [];
}

export interface FactRule {
  definition: EventDefinition;
  updates: (payload: unknown, at: Date) => FactUpdate[];
}

const rule = <T>(definition: EventDefinition<T>, updates: (payload: T, at: Date) => FactUpdate[]): FactRule =>
  ({ definition, updates }) as FactRule;

const enterpriseKind = enumCodec(registryV1.EnterpriseKind, 'ENTERPRISE_KIND');
const needCategory = enumCodec(registryV1.NeedCategory, 'NEED_CATEGORY');
const verificationStatus = enumCodec(registryV1.VerificationStatus, 'VERIFICATION_STATUS');
const requestSource = enumCodec(techtransferV1.RequestSource, 'REQUEST_SOURCE');
const funderKind = enumCodec(techtransferV1.FunderKind, 'FUNDER_KIND');

function profileOf(e: registryV1.Enterprise, at: Date): EnterpriseProfile {
  return {
    name: e.name,
    kind: enterpriseKind.fromProto(e.kind) ?? 'unspecified',
    place: placeOf(e.province?.code),
    supportingIndustry: e.supportingIndustry,
    leadFirm: e.leadFirm,
    verification: verificationStatus.fromProto(e.verification?.status ?? 0) ?? 'unverified',
    version: e.version,
    stateAt: e.updatedAt ?? at,
    createdAt: e.createdAt ?? at,
  };
}

function profileUpdate(e: registryV1.Enterprise | undefined, at: Date): FactUpdate[] {
  if (!e) return [];
  const profile = profileOf(e, at);
  return update('enterprise', e.id, (f) => enterpriseProfile(f, profile));
}

function postingOf(
  enterpriseId: string,
  province: string,
  vsic: readonly string[],
  hs: readonly string[],
): PostingAttributes {
  const place = placeOf(province);
  return { enterpriseId, province: place.province, region: place.region, ...sectorsOf(vsic, hs) };
}

function proposalAttributes(p: {
  needId: string;
  capabilityId: string;
  buyerEnterpriseId: string;
  supplierEnterpriseId: string;
  buyerProvince: string;
  supplierProvince: string;
  vsicCodes: string[];
  hsCodes: string[];
  category: string;
}): ProposalAttributes {
  const buyer = placeOf(p.buyerProvince);
  const supplier = placeOf(p.supplierProvince);
  return {
    needId: p.needId,
    capabilityId: p.capabilityId,
    buyerEnterpriseId: p.buyerEnterpriseId,
    supplierEnterpriseId: p.supplierEnterpriseId,
    buyerProvince: buyer.province,
    buyerRegion: buyer.region,
    supplierProvince: supplier.province,
    supplierRegion: supplier.region,
    category: p.category,
    ...sectorsOf(p.vsicCodes, p.hsCodes),
  };
}

function interestAttributes(f: techtransferEventsV1.InterestFacts): InterestAttributes {
  const owner = placeOf(f.ownerProvince);
  const interested = placeOf(f.interestedProvince);
  return {
    offerId: f.offerId,
    requestId: f.requestId,
    ownerProvince: owner.province,
    ownerRegion: owner.region,
    interestedProvince: interested.province,
    interestedRegion: interested.region,
    cleaner: f.cleanerProduction || f.pollutionTreatment,
    ...sectorsOf(f.vsicCodes, f.hsCodes),
  };
}

function interestUpdate(facts: techtransferEventsV1.InterestFacts | undefined, change: InterestChange) {
  if (!facts) return [];
  const attributes = interestAttributes(facts);
  return update('interest', facts.interestId, (f) => interest(f, attributes, change));
}

function coFundingAttributes(f: techtransferEventsV1.CoFundingFacts): CoFundingAttributes {
  const place = placeOf(f.applicantProvince);
  const sectors = sectorsOf(f.vsicCodes, []);
  return {
    programmeId: f.programmeId,
    agreementId: f.agreementId,
    applicantProvince: place.province,
    applicantRegion: place.region,
    // Techtransfer sets it for cleaner production or pollution treatment.
    cleaner: f.cleanerProduction,
    vsicCodes: sectors.vsicCodes,
    vsicDivisions: sectors.vsicDivisions,
    vsicPrefixes: sectors.vsicPrefixes,
    hsPrefixes: [],
    hsChapters: [],
  };
}

function coFundingUpdate(facts: techtransferEventsV1.CoFundingFacts | undefined, change: CoFundingChange) {
  if (!facts) return [];
  const attributes = coFundingAttributes(facts);
  return update('cofunding', facts.applicationId, (f) => coFunding(f, attributes, change));
}

const iso = (date: Date | undefined) => date?.toISOString() ?? '';

/** How each public event merges into facts: every catalogued event of every public topic has one. */
export const factRules: readonly FactRule[] = [
  // registry: enterprises
  rule(Events.enterpriseRegistered, (p, at) => profileUpdate(p.enterprise, at)),
  rule(Events.enterpriseUpdated, (p, at) => profileUpdate(p.enterprise, at)),
  rule(Events.enterpriseVerified, (p, at) =>
    update('enterprise', p.enterpriseId, (f) => enterpriseVerification(f, 'verified', at)),
  ),
  rule(Events.enterpriseRejected, (p, at) =>
    update('enterprise', p.enterpriseId, (f) => enterpriseVerification(f, 'rejected', at)),
  ),
  rule(Events.leadFirmDesignated, (p, at) =>
    update('enterprise', p.enterpriseId, (f) => enterpriseLeadFirm(f, p.leadFirm, at)),
  ),

  // registry: capabilities
  rule(Events.capabilityPosted, (p, at) => {
    const c = p.capability;
    if (!c) return [];
    const attributes = postingOf(c.enterpriseId, c.province, c.vsicCodes, c.hsCodes);
    return update('capability', c.id, (f) => capability(f, { kind: 'posted', attributes, at }));
  }),
  rule(Events.capabilityWithdrawn, (p, at) =>
    update('capability', p.capabilityId, (f) => capability(f, { kind: 'withdrawn', at })),
  ),
  rule(Events.capabilityExpired, (p, at) =>
    update('capability', p.capabilityId, (f) => capability(f, { kind: 'expired', at })),
  ),
  rule(Events.capabilityRenewed, (p, at) =>
    p.validUntil
      ? update('capability', p.capabilityId, (f) =>
          capability(f, { kind: 'renewed', validUntil: iso(p.validUntil), at }),
        )
      : [],
  ),
  rule(Events.capabilityExpiring, (p) =>
    update('capability', p.capabilityId, (f) =>
      capability(f, { kind: 'noticed', enterpriseId: p.enterpriseId }),
    ),
  ),

  // registry: needs
  rule(Events.needPosted, (p, at) => {
    const n = p.need;
    if (!n) return [];
    const attributes = postingOf(n.enterpriseId, n.province, n.vsicCodes, n.hsCodes);
    const category = needCategory.fromProto(n.category) ?? 'unspecified';
    return update('need', n.id, (f) => need(f, { kind: 'posted', attributes, category, at }));
  }),
  rule(Events.needClosed, (p, at) => update('need', p.needId, (f) => need(f, { kind: 'closed', at }))),
  rule(Events.needFulfilled, (p, at) => update('need', p.needId, (f) => need(f, { kind: 'fulfilled', at }))),
  rule(Events.needExpired, (p, at) => update('need', p.needId, (f) => need(f, { kind: 'expired', at }))),
  rule(Events.needExpiring, (p) =>
    update('need', p.needId, (f) => need(f, { kind: 'noticed', enterpriseId: p.enterpriseId })),
  ),

  // registry: clusters
  rule(Events.clusterFormed, (p, at) => {
    const c = p.cluster;
    if (!c) return [];
    const members = c.members.map((m) => ({
      enterpriseId: m.enterpriseId,
      ...placeOf(m.province),
      at: m.joinedAt ?? at,
    }));
    return update('cluster', c.id, (f) =>
      cluster(f, {
        kind: 'formed',
        name: c.name,
        chain: c.chain,
        anchorEnterpriseId: c.anchorEnterpriseId,
        at: c.createdAt ?? at,
        members,
      }),
    );
  }),
  rule(Events.clusterMemberJoined, (p, at) =>
    update('cluster', p.clusterId, (f) =>
      cluster(f, { kind: 'joined', member: { enterpriseId: p.enterpriseId, ...placeOf(p.province), at } }),
    ),
  ),
  rule(Events.clusterMemberLeft, (p, at) =>
    update('cluster', p.clusterId, (f) =>
      cluster(f, { kind: 'left', member: { enterpriseId: p.enterpriseId, ...placeOf(p.province), at } }),
    ),
  ),

  // matchmaking: proposals
  rule(Events.matchProposed, (p, at) => {
    const pr = p.proposal;
    if (!pr) return [];
    const attributes = proposalAttributes(pr);
    return update('proposal', pr.id, (f) => proposal(f, { kind: 'proposed', attributes, at }));
  }),
  rule(Events.matchAccepted, (p, at) =>
    update('proposal', p.proposalId, (f) => proposal(f, { kind: 'accepted', side: p.side, at })),
  ),
  rule(Events.matchDeclined, (p, at) =>
    update('proposal', p.proposalId, (f) => proposal(f, { kind: 'declined', at })),
  ),
  rule(Events.matchExpired, (p, at) =>
    update('proposal', p.proposalId, (f) => proposal(f, { kind: 'expired', at })),
  ),
  rule(Events.matchRetracted, (p, at) =>
    update('proposal', p.proposalId, (f) => proposal(f, { kind: 'retracted', at })),
  ),
  rule(Events.linkageEstablished, (p, at) => {
    const attributes = proposalAttributes(p);
    return update('proposal', p.proposalId, (f) => proposal(f, { kind: 'established', attributes, at }));
  }),

  // matchmaking: demand
  rule(Events.demandUnmet, (p, at) => {
    const attributes = postingOf(p.enterpriseId, p.province, p.vsicCodes, p.hsCodes);
    return update('demand', p.needId, (f) =>
      demand(f, { attributes, category: p.category, reason: p.reason || 'unspecified', at }),
    );
  }),

  // techtransfer: offers and requests
  rule(Events.offerPublished, (p, at) => {
    const o = p.offer;
    if (!o) return [];
    const owner = placeOf(o.ownerProvince);
    const attributes = {
      ownerProvince: owner.province,
      ownerRegion: owner.region,
      ownerKind: o.ownerKind,
      cleanerProduction: o.cleanerProduction,
      pollutionTreatment: o.pollutionTreatment,
      ...sectorsOf(o.vsicCodes, o.hsCodes),
    };
    return update('offer', o.id, (f) => offer(f, { kind: 'published', attributes, at }));
  }),
  rule(Events.offerWithdrawn, (p, at) =>
    update('offer', p.offerId, (f) => offer(f, { kind: 'withdrawn', at })),
  ),
  rule(Events.offerExpired, (p, at) => update('offer', p.offerId, (f) => offer(f, { kind: 'expired', at }))),
  rule(Events.offerRenewed, (p, at) =>
    p.validUntil
      ? update('offer', p.offerId, (f) => offer(f, { kind: 'renewed', validUntil: iso(p.validUntil), at }))
      : [],
  ),
  rule(Events.requestPosted, (p, at) => {
    const r = p.request;
    if (!r) return [];
    const place = placeOf(r.province);
    const attributes = {
      province: place.province,
      region: place.region,
      source: requestSource.fromProto(r.source) ?? 'unspecified',
      cleaner: r.cleanerProduction || r.pollutionTreatment,
      ...sectorsOf(r.vsicCodes, r.hsCodes),
    };
    return update('request', r.id, (f) => request(f, { kind: 'posted', attributes, at }));
  }),
  rule(Events.requestClosed, (p, at) =>
    update('request', p.requestId, (f) => request(f, { kind: 'closed', at })),
  ),

  // techtransfer: interests and agreements
  rule(Events.interestExpressed, (p, at) => interestUpdate(p.facts, { kind: 'expressed', at })),
  rule(Events.interestReminder, (p, at) => interestUpdate(p.facts, { kind: 'reminded', at })),
  rule(Events.interestAccepted, (p, at) => interestUpdate(p.facts, { kind: 'accepted', at })),
  rule(Events.interestDeclined, (p, at) => interestUpdate(p.facts, { kind: 'declined', at })),
  rule(Events.interestWithdrawn, (p, at) => interestUpdate(p.facts, { kind: 'withdrawn', at })),
  rule(Events.interestExpired, (p, at) => interestUpdate(p.facts, { kind: 'expired', at })),
  rule(Events.negotiationAbandoned, (p, at) => interestUpdate(p.facts, { kind: 'abandoned', at })),
  rule(Events.agreementSigned, (p, at) =>
    interestUpdate(p.facts, {
      kind: 'agreement_signed',
      agreementId: p.agreementId,
      valueVnd: p.value?.vnd ?? 0,
      at,
    }),
  ),

  // techtransfer: programmes and co-funding
  rule(Events.programmeBudgetChanged, (p, at) =>
    update('programme', p.programmeId, (f) =>
      programme(f, {
        name: p.name,
        funderKind: funderKind.fromProto(p.funderKind) ?? 'unspecified',
        province: placeOf(p.province).province,
        change: p.change,
        budgetVnd: p.budget?.vnd ?? 0,
        availableVnd: p.available?.vnd ?? 0,
        committedVnd: p.committed?.vnd ?? 0,
        disbursedVnd: p.disbursed?.vnd ?? 0,
        at,
      }),
    ),
  ),
  rule(Events.coFundingRequested, (p, at) =>
    coFundingUpdate(p.facts, { kind: 'requested', amountVnd: p.facts?.amount?.vnd ?? 0, at }),
  ),
  rule(Events.coFundingApproved, (p, at) =>
    coFundingUpdate(p.facts, { kind: 'approved', amountVnd: p.facts?.amount?.vnd ?? 0, at }),
  ),
  rule(Events.coFundingRejected, (p, at) => coFundingUpdate(p.facts, { kind: 'rejected', at })),
  rule(Events.coFundingDisbursed, (p, at) => {
    const facts = p.facts;
    if (!facts) return [];
    const attributes = coFundingAttributes(facts);
    const total = p.disbursedTotal?.vnd ?? 0;
    const amount = p.disbursed?.vnd ?? 0;
    // A disbursement without an id is identified by the running total it brought the application to.
    const disbursementId = p.disbursementId || `${facts.applicationId}:${total}`;
    return [
      ...coFundingUpdate(facts, { kind: 'disbursed', totalVnd: total, at }),
      ...update('disbursement', disbursementId, (f) =>
        disbursement(f, facts.applicationId, attributes, amount, at),
      ),
    ];
  }),
];

const byType = new Map(factRules.map((r) => [r.definition.type, r]));

/** The fact merges one event brings; none for a type insights does not read. */
export function updatesFor(type: string, payload: unknown, at: Date): FactUpdate[] {
  return byType.get(type)?.updates(payload, at) ?? [];
}

/** The public topics insights reads: every catalogued topic but the testing probe. */
export const publicTopics = [...new Set(factRules.map((r) => r.definition.topic))].sort();
