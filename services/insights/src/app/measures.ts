import type { Measure } from './figures';

/** The measures every figure is built from: which facts, which time, what is added up. */
const placed = { province: 'province', region: 'region', scalar: { province: 'province', region: 'region' } };

export const proposals: Measure = {
  kind: 'proposal',
  time: 'proposedAt',
  // A proposal has two provinces: filters match either, rows come from its province slices.
  province: 'provinces',
  region: 'regions',
  category: true,
  where: { described: true },
};
export const linkages: Measure = { ...proposals, time: 'establishedAt' };

export const needs: Measure = { kind: 'need', time: 'postedAt', ...placed, category: true };
const needEnds = (reason: string): Measure => ({
  ...needs,
  time: 'endedAt',
  where: { endReason: reason, postedAt: { $exists: true } },
});
export const capabilities: Measure = { kind: 'capability', time: 'postedAt', ...placed };
const capabilityEnds = (reason: string): Measure => ({
  ...capabilities,
  time: 'endedAt',
  where: { endReason: reason, postedAt: { $exists: true } },
});

export const postingColumns = {
  openNeeds: { ...needs, stock: true },
  openCapabilities: { ...capabilities, stock: true },
  needsPosted: needs,
  needsFulfilled: needEnds('fulfilled'),
  needsClosed: needEnds('closed'),
  needsExpired: needEnds('expired'),
  capabilitiesPosted: capabilities,
  capabilitiesWithdrawn: capabilityEnds('withdrawn'),
  capabilitiesExpired: capabilityEnds('expired'),
  capabilityRenewals: {
    kind: 'capability',
    time: 'at',
    province: 'province',
    region: 'region',
    slices: 'renewalSlices',
    sliceTime: true,
    where: { postedAt: { $exists: true } },
  },
} satisfies Record<string, Measure>;

export const demand: Measure = { kind: 'demand', time: 'unmetAt', ...placed, category: true };
export const demandColumns = {
  unmetNeeds: demand,
  noMatchAboveThreshold: { ...demand, time: 'noMatchAt' },
  expiredUnmatched: { ...demand, time: 'expiredUnmatchedAt' },
} satisfies Record<string, Measure>;

const by = (province: string, region: string) => ({
  province,
  region,
  scalar: { province, region },
  cleaner: true,
});
const byOwner = by('ownerProvince', 'ownerRegion');
const byAdopter = by('interestedProvince', 'interestedRegion');
const byApplicant = by('applicantProvince', 'applicantRegion');
export const uptakeColumns = {
  offersPublished: { kind: 'offer', time: 'publishedAt', ...byOwner },
  requestsPosted: { kind: 'request', time: 'postedAt', ...by('province', 'region') },
  interestsExpressed: { kind: 'interest', time: 'expressedAt', ...byAdopter },
  interestsReceived: { kind: 'interest', time: 'expressedAt', ...byOwner },
  agreementsSigned: { kind: 'interest', time: 'agreementSignedAt', ...byAdopter },
  agreementValueVnd: { kind: 'interest', time: 'agreementSignedAt', sum: 'agreementValueVnd', ...byAdopter },
  cofundingRequested: { kind: 'cofunding', time: 'requestedAt', ...byApplicant },
  cofundingRequestedVnd: { kind: 'cofunding', time: 'requestedAt', sum: 'requestedVnd', ...byApplicant },
  cofundingApproved: { kind: 'cofunding', time: 'approvedAt', ...byApplicant },
  cofundingApprovedVnd: { kind: 'cofunding', time: 'approvedAt', sum: 'approvedVnd', ...byApplicant },
  cofundingRejected: { kind: 'cofunding', time: 'rejectedAt', ...byApplicant },
  cofundingDisbursedVnd: { kind: 'disbursement', time: 'at', sum: 'amountVnd', ...byApplicant },
} satisfies Record<string, Measure>;

export const enterprises: Measure = {
  kind: 'enterprise',
  time: 'registeredAt',
  cumulative: true,
  ...placed,
  sectors: false,
};
export const enterpriseColumns = {
  registered: enterprises,
  verified: { ...enterprises, where: { isVerified: true } },
  leadFirms: { ...enterprises, where: { isLeadFirm: true } },
  supportingIndustry: { ...enterprises, where: { supportingIndustry: true } },
} satisfies Record<string, Measure>;
