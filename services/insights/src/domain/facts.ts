import type { Place, Sectors } from './places';

/**
 * Facts: one document per entity (enterprise, posting, proposal, interest, application...) keyed by
 * its id, holding what the events told about it. Every reducer below is a merge that does not
 * depend on the order or number of deliveries:
 *
 * - "when" fields keep the earliest time seen (a repeat of the same happening, even under a new
 *   event id and a later time, changes nothing; a re-ordered delivery converges to the same value);
 * - sets (accepted sides, renewals, reasons) are sorted and deduplicated;
 * - amounts that only grow keep the maximum;
 * - values that change back and forth (lead-firm designation, verification, cluster membership) are
 *   registers decided by (time, source rank, value), so the same set of events always picks the
 *   same winner;
 * - derived fields (outcome, end reason, 0/1 counters, region flags) are recomputed from the above
 *   on every merge, so the read side counts them with a plain $match/$group.
 *
 * Counts are therefore never incremented: they are derived at read time from these documents.
 */

/** A copy without undefined fields, so a fact compares equal to what the store gives back. */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = canonical(field);
  return out as T;
}

/** Keeps the earlier of two times. */
export function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

export function largest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

export function union(a: readonly string[] | undefined, b: readonly string[]): string[] {
  return [...new Set([...(a ?? []), ...b])].filter(Boolean).sort();
}

/** A last-writer-wins register whose winner does not depend on delivery order. */
export interface Register<T extends string | boolean> {
  value: T;
  at: Date;
  /** Breaks ties on `at`: a dedicated event (1) outranks a profile snapshot (0). */
  rank: number;
}

export function newer<T extends string | boolean>(
  current: Register<T> | undefined,
  candidate: Register<T>,
): Register<T> {
  if (!current) return candidate;
  const byTime = candidate.at.getTime() - current.at.getTime();
  if (byTime !== 0) return byTime > 0 ? candidate : current;
  if (candidate.rank !== current.rank) return candidate.rank > current.rank ? candidate : current;
  return String(candidate.value) > String(current.value) ? candidate : current;
}

// ---- registry ------------------------------------------------------------------------------------

export interface EnterpriseFact {
  name?: string;
  kind?: string;
  province?: string;
  region?: string;
  supportingIndustry?: boolean;
  /** The profile version the name, kind and place come from (the highest seen). */
  profileVersion?: number;
  registeredAt?: Date;
  leadFirm?: Register<boolean>;
  /** verified | rejected | unverified */
  verification?: Register<string>;
  /** Derived from the registers, for $match. */
  isLeadFirm: boolean;
  isVerified: boolean;
}

export interface EnterpriseProfile {
  name: string;
  kind: string;
  place: Place;
  supportingIndustry: boolean;
  leadFirm: boolean;
  verification: string;
  version: number;
  /** When this state came to be (the profile's own updatedAt, else the event time). */
  stateAt: Date;
  createdAt: Date;
}

function deriveEnterprise(f: Omit<EnterpriseFact, 'isLeadFirm' | 'isVerified'>): EnterpriseFact {
  return {
    ...f,
    isLeadFirm: f.leadFirm?.value === true,
    isVerified: f.verification?.value === 'verified',
  };
}

export function enterpriseProfile(fact: EnterpriseFact | undefined, p: EnterpriseProfile): EnterpriseFact {
  const f = fact ?? { isLeadFirm: false, isVerified: false };
  const take = f.profileVersion === undefined || p.version >= f.profileVersion;
  return deriveEnterprise({
    ...f,
    ...(take
      ? {
          name: p.name,
          kind: p.kind,
          province: p.place.province,
          region: p.place.region,
          supportingIndustry: p.supportingIndustry,
          profileVersion: p.version,
        }
      : {}),
    registeredAt: earliest(f.registeredAt, p.createdAt),
    leadFirm: newer(f.leadFirm, { value: p.leadFirm, at: p.stateAt, rank: 0 }),
    verification: newer(f.verification, { value: p.verification, at: p.stateAt, rank: 0 }),
  });
}

export function enterpriseLeadFirm(
  fact: EnterpriseFact | undefined,
  leadFirm: boolean,
  at: Date,
): EnterpriseFact {
  const f = fact ?? { isLeadFirm: false, isVerified: false };
  return deriveEnterprise({ ...f, leadFirm: newer(f.leadFirm, { value: leadFirm, at, rank: 1 }) });
}

export function enterpriseVerification(
  fact: EnterpriseFact | undefined,
  verification: 'verified' | 'rejected',
  at: Date,
): EnterpriseFact {
  const f = fact ?? { isLeadFirm: false, isVerified: false };
  return deriveEnterprise({
    ...f,
    verification: newer(f.verification, { value: verification, at, rank: 1 }),
  });
}

/** A posting (need or capability) as posted. */
export interface PostingAttributes extends Sectors {
  enterpriseId: string;
  province: string;
  region: string;
}

export interface Renewal {
  /** The new end of validity, ISO: one renewal per distinct value. */
  validUntil: string;
  at: Date;
}

export interface CapabilityFact extends Partial<PostingAttributes> {
  postedAt?: Date;
  withdrawnAt?: Date;
  expiredAt?: Date;
  /** The earliest end and why: withdrawn | expired. */
  endedAt?: Date;
  endReason?: string;
  renewals: Renewal[];
}

export type CapabilityChange =
  | { kind: 'posted'; attributes: PostingAttributes; at: Date }
  | { kind: 'withdrawn'; at: Date }
  | { kind: 'expired'; at: Date }
  | { kind: 'renewed'; validUntil: string; at: Date }
  | { kind: 'noticed'; enterpriseId: string };

function firstEnd(ends: [string, Date | undefined][]): { endedAt?: Date; endReason?: string } {
  let best: { endedAt?: Date; endReason?: string } = {};
  for (const [reason, at] of ends) {
    if (at && (!best.endedAt || at.getTime() < best.endedAt.getTime()))
      best = { endedAt: at, endReason: reason };
  }
  return best;
}

export function capability(fact: CapabilityFact | undefined, change: CapabilityChange): CapabilityFact {
  const f: CapabilityFact = { ...(fact ?? { renewals: [] }) };
  switch (change.kind) {
    case 'posted':
      Object.assign(f, change.attributes);
      f.postedAt = earliest(f.postedAt, change.at);
      break;
    case 'withdrawn':
      f.withdrawnAt = earliest(f.withdrawnAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'renewed': {
      const others = f.renewals.filter((r) => r.validUntil !== change.validUntil);
      const same = f.renewals.find((r) => r.validUntil === change.validUntil);
      f.renewals = [
        ...others,
        { validUntil: change.validUntil, at: earliest(same?.at, change.at) as Date },
      ].sort((a, b) => a.validUntil.localeCompare(b.validUntil));
      break;
    }
    case 'noticed':
      f.enterpriseId ??= change.enterpriseId;
      break;
  }
  const { endedAt, endReason } = firstEnd([
    ['withdrawn', f.withdrawnAt],
    ['expired', f.expiredAt],
  ]);
  return { ...f, endedAt, endReason };
}

export interface NeedFact extends Partial<PostingAttributes> {
  category?: string;
  postedAt?: Date;
  fulfilledAt?: Date;
  closedAt?: Date;
  expiredAt?: Date;
  /** The earliest end and why: fulfilled | closed | expired. */
  endedAt?: Date;
  endReason?: string;
}

export type NeedChange =
  | { kind: 'posted'; attributes: PostingAttributes; category: string; at: Date }
  | { kind: 'fulfilled' | 'closed' | 'expired'; at: Date }
  | { kind: 'noticed'; enterpriseId: string };

export function need(fact: NeedFact | undefined, change: NeedChange): NeedFact {
  const f: NeedFact = { ...(fact ?? {}) };
  switch (change.kind) {
    case 'posted':
      Object.assign(f, change.attributes, { category: change.category });
      f.postedAt = earliest(f.postedAt, change.at);
      break;
    case 'fulfilled':
      f.fulfilledAt = earliest(f.fulfilledAt, change.at);
      break;
    case 'closed':
      f.closedAt = earliest(f.closedAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'noticed':
      f.enterpriseId ??= change.enterpriseId;
      break;
  }
  const { endedAt, endReason } = firstEnd([
    ['fulfilled', f.fulfilledAt],
    ['closed', f.closedAt],
    ['expired', f.expiredAt],
  ]);
  return { ...f, endedAt, endReason };
}

export interface ClusterMemberState {
  enterpriseId: string;
  province: string;
  region: string;
  active: boolean;
  at: Date;
}

export interface ClusterFact {
  name?: string;
  chain?: string;
  anchorEnterpriseId?: string;
  formedAt?: Date;
  /** One entry per enterprise, by id: its latest membership. */
  members: ClusterMemberState[];
}

export type ClusterChange =
  | {
      kind: 'formed';
      name: string;
      chain: string;
      anchorEnterpriseId: string;
      at: Date;
      members: Omit<ClusterMemberState, 'active'>[];
    }
  | { kind: 'joined' | 'left'; member: Omit<ClusterMemberState, 'active'> };

/**
 * The later of two states of one member: by time; on a tie leaving wins (the conservative reading),
 * then the greater province code, so that the same events always give the same member list.
 */
function laterMember(a: ClusterMemberState, b: ClusterMemberState): ClusterMemberState {
  const key = (m: ClusterMemberState) => [m.at.getTime(), m.active ? 0 : 1] as const;
  const [ta, la] = key(a);
  const [tb, lb] = key(b);
  if (ta !== tb) return ta > tb ? a : b;
  if (la !== lb) return la > lb ? a : b;
  return a.province >= b.province ? a : b;
}

function withMember(members: ClusterMemberState[], candidate: ClusterMemberState): ClusterMemberState[] {
  const current = members.find((m) => m.enterpriseId === candidate.enterpriseId);
  const kept = current ? laterMember(current, candidate) : candidate;
  return [...members.filter((m) => m.enterpriseId !== candidate.enterpriseId), kept].sort((a, b) =>
    a.enterpriseId.localeCompare(b.enterpriseId),
  );
}

export function cluster(fact: ClusterFact | undefined, change: ClusterChange): ClusterFact {
  const f: ClusterFact = { ...(fact ?? { members: [] }) };
  if (change.kind === 'formed') {
    f.name = change.name;
    f.chain = change.chain;
    f.anchorEnterpriseId = change.anchorEnterpriseId;
    f.formedAt = earliest(f.formedAt, change.at);
    for (const m of change.members) f.members = withMember(f.members, { ...m, active: true });
  } else {
    f.members = withMember(f.members, { ...change.member, active: change.kind === 'joined' });
  }
  return f;
}

// ---- matchmaking ---------------------------------------------------------------------------------

export type ProposalOutcome =
  | 'open'
  | 'accepted_by_one'
  | 'established'
  | 'declined'
  | 'expired'
  | 'retracted';

export interface ProposalAttributes extends Sectors {
  needId: string;
  capabilityId: string;
  buyerEnterpriseId: string;
  supplierEnterpriseId: string;
  buyerProvince: string;
  buyerRegion: string;
  supplierProvince: string;
  supplierRegion: string;
  category: string;
}

export interface LinkageParty {
  id: string;
  province: string;
  region: string;
  role: 'buyer' | 'supplier';
}

export interface ProposalFact extends Partial<ProposalAttributes> {
  /** True once MatchProposed or LinkageEstablished described the pair. */
  described: boolean;
  /** Attributes came from MatchProposed (they win over a linkage's copy). */
  fromProposal: boolean;
  /** The earliest event of the proposal. */
  proposedAt?: Date;
  acceptedSides: string[];
  acceptedAt?: Date;
  establishedAt?: Date;
  declinedAt?: Date;
  expiredAt?: Date;
  retractedAt?: Date;
  // Derived.
  outcome: ProposalOutcome;
  /** 1 when accepted by at least one side (or established), for $sum. */
  accepted: number;
  established: number;
  provinces: string[];
  regions: string[];
  parties: LinkageParty[];
  intraProvince: number;
  intraRegion: number;
  crossRegion: number;
}

export type ProposalChange =
  | { kind: 'proposed'; attributes: ProposalAttributes; at: Date }
  | { kind: 'accepted'; side: string; at: Date }
  | { kind: 'established'; attributes: ProposalAttributes; at: Date }
  | { kind: 'declined' | 'expired' | 'retracted'; at: Date };

function outcomeOf(f: ProposalFact): ProposalOutcome {
  if (f.establishedAt) return 'established';
  if (f.declinedAt) return 'declined';
  if (f.expiredAt) return 'expired';
  if (f.retractedAt) return 'retracted';
  if (f.acceptedSides.length > 0) return 'accepted_by_one';
  return 'open';
}

function deriveProposal(f: ProposalFact): ProposalFact {
  const outcome = outcomeOf(f);
  const described = f.described;
  const parties: LinkageParty[] = described
    ? [
        {
          id: f.buyerEnterpriseId ?? '',
          province: f.buyerProvince ?? '',
          region: f.buyerRegion ?? '',
          role: 'buyer' as const,
        },
        {
          id: f.supplierEnterpriseId ?? '',
          province: f.supplierProvince ?? '',
          region: f.supplierRegion ?? '',
          role: 'supplier' as const,
        },
      ].filter((p) => p.id !== '')
    : [];
  const known = (a?: string, b?: string) => a !== undefined && a !== '' && a === b;
  const intraRegion = known(f.buyerRegion, f.supplierRegion) ? 1 : 0;
  return {
    ...f,
    outcome,
    accepted: outcome === 'established' || f.acceptedSides.length > 0 ? 1 : 0,
    established: outcome === 'established' ? 1 : 0,
    provinces: union([], [f.buyerProvince ?? '', f.supplierProvince ?? '']),
    regions: union([], [f.buyerRegion ?? '', f.supplierRegion ?? '']),
    parties,
    intraProvince: known(f.buyerProvince, f.supplierProvince) ? 1 : 0,
    intraRegion,
    crossRegion: described && !intraRegion ? 1 : 0,
  };
}

export function proposal(fact: ProposalFact | undefined, change: ProposalChange): ProposalFact {
  const f: ProposalFact = {
    ...(fact ?? {
      described: false,
      fromProposal: false,
      acceptedSides: [],
      outcome: 'open',
      accepted: 0,
      established: 0,
      provinces: [],
      regions: [],
      parties: [],
      intraProvince: 0,
      intraRegion: 0,
      crossRegion: 0,
    }),
  };
  f.proposedAt = earliest(f.proposedAt, change.at);
  switch (change.kind) {
    case 'proposed':
      Object.assign(f, change.attributes, { described: true, fromProposal: true });
      break;
    case 'established':
      if (!f.fromProposal) Object.assign(f, change.attributes, { described: true });
      f.establishedAt = earliest(f.establishedAt, change.at);
      break;
    case 'accepted':
      f.acceptedSides = union(f.acceptedSides, [change.side || 'unknown']);
      f.acceptedAt = earliest(f.acceptedAt, change.at);
      break;
    case 'declined':
      f.declinedAt = earliest(f.declinedAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'retracted':
      f.retractedAt = earliest(f.retractedAt, change.at);
      break;
  }
  return deriveProposal(f);
}

export interface DemandFact extends Partial<PostingAttributes> {
  category?: string;
  /** The first report of any reason. */
  unmetAt?: Date;
  noMatchAt?: Date;
  expiredUnmatchedAt?: Date;
  reasons: string[];
}

export interface DemandReport {
  attributes: PostingAttributes;
  category: string;
  reason: string;
  at: Date;
}

export function demand(fact: DemandFact | undefined, report: DemandReport): DemandFact {
  const f: DemandFact = { ...(fact ?? { reasons: [] }) };
  Object.assign(f, report.attributes, { category: report.category });
  f.unmetAt = earliest(f.unmetAt, report.at);
  if (report.reason === 'no_match_above_threshold') f.noMatchAt = earliest(f.noMatchAt, report.at);
  if (report.reason === 'expired_unmatched') f.expiredUnmatchedAt = earliest(f.expiredUnmatchedAt, report.at);
  f.reasons = union(f.reasons, [report.reason]);
  return f;
}

// ---- technology transfer -------------------------------------------------------------------------

export interface OfferFact extends Partial<Sectors> {
  ownerProvince?: string;
  ownerRegion?: string;
  ownerKind?: string;
  cleanerProduction?: boolean;
  pollutionTreatment?: boolean;
  /** Cleaner production or pollution treatment. */
  cleaner?: boolean;
  publishedAt?: Date;
  withdrawnAt?: Date;
  expiredAt?: Date;
  renewals: Renewal[];
}

export type OfferChange =
  | {
      kind: 'published';
      attributes: Sectors & {
        ownerProvince: string;
        ownerRegion: string;
        ownerKind: string;
        cleanerProduction: boolean;
        pollutionTreatment: boolean;
      };
      at: Date;
    }
  | { kind: 'withdrawn' | 'expired'; at: Date }
  | { kind: 'renewed'; validUntil: string; at: Date };

export function offer(fact: OfferFact | undefined, change: OfferChange): OfferFact {
  const f: OfferFact = { ...(fact ?? { renewals: [] }) };
  switch (change.kind) {
    case 'published':
      Object.assign(f, change.attributes, {
        cleaner: change.attributes.cleanerProduction || change.attributes.pollutionTreatment,
      });
      f.publishedAt = earliest(f.publishedAt, change.at);
      break;
    case 'withdrawn':
      f.withdrawnAt = earliest(f.withdrawnAt, change.at);
      break;
    case 'expired':
      f.expiredAt = earliest(f.expiredAt, change.at);
      break;
    case 'renewed': {
      const same = f.renewals.find((r) => r.validUntil === change.validUntil);
      f.renewals = [
        ...f.renewals.filter((r) => r.validUntil !== change.validUntil),
        { validUntil: change.validUntil, at: earliest(same?.at, change.at) as Date },
      ].sort((a, b) => a.validUntil.localeCompare(b.validUntil));
      break;
    }
  }
  return f;
}

export interface RequestFact extends Partial<Sectors> {
  province?: string;
  region?: string;
  source?: string;
  cleaner?: boolean;
  postedAt?: Date;
  closedAt?: Date;
}

export type RequestChange =
  | {
      kind: 'posted';
      attributes: Sectors & { province: string; region: string; source: string; cleaner: boolean };
      at: Date;
    }
  | { kind: 'closed'; at: Date };

export function request(fact: RequestFact | undefined, change: RequestChange): RequestFact {
  const f: RequestFact = { ...(fact ?? {}) };
  if (change.kind === 'posted') {
    Object.assign(f, change.attributes);
    f.postedAt = earliest(f.postedAt, change.at);
  } else {
    f.closedAt = earliest(f.closedAt, change.at);
  }
  return f;
}

/** What every interest event carries (InterestFacts), without enterprise ids: insights counts by place. */
export interface InterestAttributes extends Sectors {
  offerId: string;
  requestId: string;
  ownerProvince: string;
  ownerRegion: string;
  interestedProvince: string;
  interestedRegion: string;
  cleaner: boolean;
}

export interface InterestFact extends Partial<InterestAttributes> {
  /** The earliest event of the interest. */
  expressedAt?: Date;
  acceptedAt?: Date;
  declinedAt?: Date;
  withdrawnAt?: Date;
  expiredAt?: Date;
  abandonedAt?: Date;
  agreementId?: string;
  agreementSignedAt?: Date;
  agreementValueVnd?: number;
}

export type InterestChange =
  | { kind: 'expressed' | 'reminded'; at: Date }
  | { kind: 'accepted' | 'declined' | 'withdrawn' | 'expired' | 'abandoned'; at: Date }
  | { kind: 'agreement_signed'; agreementId: string; valueVnd: number; at: Date };

const interestTimes = {
  accepted: 'acceptedAt',
  declined: 'declinedAt',
  withdrawn: 'withdrawnAt',
  expired: 'expiredAt',
  abandoned: 'abandonedAt',
} as const;

export function interest(
  fact: InterestFact | undefined,
  attributes: InterestAttributes,
  change: InterestChange,
): InterestFact {
  const f: InterestFact = { ...(fact ?? {}) };
  // Owner province and flags are the same in every event of an interest; the ids never hide here.
  Object.assign(f, attributes);
  f.expressedAt = earliest(f.expressedAt, change.at);
  switch (change.kind) {
    case 'expressed':
    case 'reminded':
      break;
    case 'agreement_signed':
      f.agreementId = change.agreementId;
      f.agreementSignedAt = earliest(f.agreementSignedAt, change.at);
      f.agreementValueVnd = largest(f.agreementValueVnd, change.valueVnd);
      break;
    default: {
      const field = interestTimes[change.kind];
      f[field] = earliest(f[field], change.at);
    }
  }
  return f;
}

export interface CoFundingAttributes {
  programmeId: string;
  agreementId: string;
  applicantProvince: string;
  applicantRegion: string;
  cleaner: boolean;
  vsicCodes: string[];
  vsicDivisions: string[];
  vsicPrefixes: string[];
  /** Applications carry no HS code: always empty, so an HS filter leaves them out. */
  hsPrefixes: string[];
  hsChapters: string[];
}

export interface CoFundingFact extends Partial<CoFundingAttributes> {
  requestedAt?: Date;
  requestedVnd?: number;
  approvedAt?: Date;
  approvedVnd?: number;
  rejectedAt?: Date;
  disbursedTotalVnd?: number;
}

export type CoFundingChange =
  | { kind: 'requested'; amountVnd: number; at: Date }
  | { kind: 'approved'; amountVnd: number; at: Date }
  | { kind: 'rejected'; at: Date }
  | { kind: 'disbursed'; totalVnd: number; at: Date };

export function coFunding(
  fact: CoFundingFact | undefined,
  attributes: CoFundingAttributes,
  change: CoFundingChange,
): CoFundingFact {
  const f: CoFundingFact = { ...(fact ?? {}), ...attributes };
  switch (change.kind) {
    case 'requested':
      f.requestedAt = earliest(f.requestedAt, change.at);
      f.requestedVnd = largest(f.requestedVnd, change.amountVnd);
      break;
    case 'approved':
      f.approvedAt = earliest(f.approvedAt, change.at);
      f.approvedVnd = largest(f.approvedVnd, change.amountVnd);
      break;
    case 'rejected':
      f.rejectedAt = earliest(f.rejectedAt, change.at);
      break;
    case 'disbursed':
      f.disbursedTotalVnd = largest(f.disbursedTotalVnd, change.totalVnd);
      break;
  }
  return f;
}

/** One payment against an application, keyed by its disbursement id. */
export interface DisbursementFact extends Partial<CoFundingAttributes> {
  applicationId?: string;
  amountVnd?: number;
  at?: Date;
}

export function disbursement(
  fact: DisbursementFact | undefined,
  applicationId: string,
  attributes: CoFundingAttributes,
  amountVnd: number,
  at: Date,
): DisbursementFact {
  const f: DisbursementFact = { ...(fact ?? {}), ...attributes, applicationId };
  f.amountVnd = largest(f.amountVnd, amountVnd);
  f.at = earliest(f.at, at);
  return f;
}

/** A co-funding programme's latest announced budget (kept for figures to come; no RPC reads it yet). */
export interface ProgrammeFact {
  name?: string;
  funderKind?: string;
  province?: string;
  budgetVnd?: number;
  availableVnd?: number;
  committedVnd?: number;
  disbursedVnd?: number;
  /** Time of the snapshot held. */
  at?: Date;
  changes: string[];
}

export interface ProgrammeSnapshot {
  name: string;
  funderKind: string;
  province: string;
  change: string;
  budgetVnd: number;
  availableVnd: number;
  committedVnd: number;
  disbursedVnd: number;
  at: Date;
}

export function programme(fact: ProgrammeFact | undefined, s: ProgrammeSnapshot): ProgrammeFact {
  const f: ProgrammeFact = { ...(fact ?? { changes: [] }) };
  // The latest snapshot wins; within the same instant, the one further along (more disbursed, then
  // committed, then budget), so that the choice does not depend on delivery order.
  const rank = (x: { at?: Date; disbursedVnd?: number; committedVnd?: number; budgetVnd?: number }) => [
    x.at?.getTime() ?? -1,
    x.disbursedVnd ?? -1,
    x.committedVnd ?? -1,
    x.budgetVnd ?? -1,
  ];
  const a = rank(f);
  const b = rank(s);
  const index = a.findIndex((value, i) => value !== b[i]);
  if (index >= 0 && (b[index] as number) > (a[index] as number)) {
    Object.assign(f, {
      name: s.name,
      funderKind: s.funderKind,
      province: s.province,
      budgetVnd: s.budgetVnd,
      availableVnd: s.availableVnd,
      committedVnd: s.committedVnd,
      disbursedVnd: s.disbursedVnd,
      at: s.at,
    });
  }
  f.changes = union(f.changes, [s.change]);
  return f;
}
