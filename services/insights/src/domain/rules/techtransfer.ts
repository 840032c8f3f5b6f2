import { Events, enumCodec, type techtransferEventsV1, techtransferV1 } from '@lienket/contracts/messages';
import {
  type CoFundingAttributes,
  type CoFundingChange,
  type InterestAttributes,
  type InterestChange,
  mergeCoFundingChange,
  mergeDisbursement,
  mergeInterestChange,
  mergeOfferChange,
  mergeProgrammeSnapshot,
  mergeRequestChange,
} from '../facts';
import { placeOf, sectorsOf } from '../places';
import { type FactRule, iso, rule, update } from './fact-update';

const requestSource = enumCodec(techtransferV1.RequestSource, 'REQUEST_SOURCE');
const funderKind = enumCodec(techtransferV1.FunderKind, 'FUNDER_KIND');

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
  return update('interest', facts.interestId, (f) => mergeInterestChange(f, attributes, change));
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
  return update('cofunding', facts.applicationId, (f) => mergeCoFundingChange(f, attributes, change));
}

/** How techtransfer's offer, request, interest, programme and co-funding events merge into facts. */
export const techtransferRules: readonly FactRule[] = [
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
    return update('offer', o.id, (f) => mergeOfferChange(f, { kind: 'published', attributes, at }));
  }),
  rule(Events.offerWithdrawn, (p, at) =>
    update('offer', p.offerId, (f) => mergeOfferChange(f, { kind: 'withdrawn', at })),
  ),
  rule(Events.offerExpired, (p, at) =>
    update('offer', p.offerId, (f) => mergeOfferChange(f, { kind: 'expired', at })),
  ),
  rule(Events.offerRenewed, (p, at) =>
    p.validUntil
      ? update('offer', p.offerId, (f) =>
          mergeOfferChange(f, { kind: 'renewed', validUntil: iso(p.validUntil), at }),
        )
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
    return update('request', r.id, (f) => mergeRequestChange(f, { kind: 'posted', attributes, at }));
  }),
  rule(Events.requestClosed, (p, at) =>
    update('request', p.requestId, (f) => mergeRequestChange(f, { kind: 'closed', at })),
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
      mergeProgrammeSnapshot(f, {
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
        mergeDisbursement(f, facts.applicationId, attributes, amount, at),
      ),
    ];
  }),
];
