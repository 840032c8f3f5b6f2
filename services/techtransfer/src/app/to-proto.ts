import {
  type commonV1,
  enumCodec,
  type techtransferEventsV1 as ev,
  techtransferV1 as tt,
} from '@lienket/contracts';
import type {
  AgreementType,
  CoFundingApplication,
  CoFundingStatus,
  FunderKind,
  Interest,
  InterestStatus,
  IpStatus,
  MoneyRange,
  Offer,
  OfferStatus,
  Programme,
  RequestStatus,
  SponsorKind,
  TechRequest,
  TransferMode,
  Visibility,
} from '../domain/model';

export const offerStatus = enumCodec<OfferStatus>(tt.OfferStatus, 'OFFER_STATUS');
export const ipStatus = enumCodec<IpStatus>(tt.IpStatus, 'IP_STATUS');
export const transferMode = enumCodec<TransferMode>(tt.TransferMode, 'TRANSFER_MODE');
export const visibility = enumCodec<Visibility>(tt.Visibility, 'VISIBILITY');
export const requestStatus = enumCodec<RequestStatus>(tt.RequestStatus, 'REQUEST_STATUS');
export const requestSource = enumCodec<'direct' | 'registry_need'>(tt.RequestSource, 'REQUEST_SOURCE');
export const interestStatus = enumCodec<InterestStatus>(tt.InterestStatus, 'INTEREST_STATUS');
export const agreementType = enumCodec<AgreementType>(tt.AgreementType, 'AGREEMENT_TYPE');
export const agreementStatus = enumCodec<'proposed' | 'signed'>(tt.AgreementStatus, 'AGREEMENT_STATUS');
export const funderKind = enumCodec<FunderKind>(tt.FunderKind, 'FUNDER_KIND');
export const sponsorKind = enumCodec<SponsorKind>(tt.SponsorKind, 'SPONSOR_KIND');
export const programmeStatus = enumCodec<'open' | 'closed'>(tt.ProgrammeStatus, 'PROGRAMME_STATUS');
export const coFundingStatus = enumCodec<CoFundingStatus>(tt.CoFundingStatus, 'CO_FUNDING_STATUS');

const money = (vnd: number): commonV1.Money => ({ vnd });
const moneyRange = (range: MoneyRange | null): commonV1.MoneyRange | undefined =>
  range ? { min: money(range.minVnd), max: money(range.maxVnd) } : undefined;
export const moneyRangeFromProto = (range: commonV1.MoneyRange | undefined): MoneyRange | null =>
  range ? { minVnd: range.min?.vnd ?? 0, maxVnd: range.max?.vnd ?? 0 } : null;

/** `showOwner` false hides who owns an anonymous offer. */
export function offerToProto(o: Offer, showOwner: boolean): tt.Offer {
  return {
    id: o.id,
    ownerEnterpriseId: showOwner ? o.ownerId : '',
    ownerProvince: o.ownerProvince,
    ownerRegion: o.ownerRegion,
    ownerKind: o.ownerKind,
    anonymous: o.anonymous,
    title: o.title,
    summary: o.summary,
    hsCodes: o.hsCodes,
    vsicCodes: o.vsicCodes,
    keywords: o.keywords,
    readinessLevel: o.readinessLevel,
    ipStatus: ipStatus.toProto(o.ipStatus),
    ipNumbers: o.ipNumbers,
    transferModes: o.transferModes.map(transferMode.toProto),
    priceBand: moneyRange(o.priceBand),
    cleanerProduction: o.cleanerProduction,
    pollutionTreatment: o.pollutionTreatment,
    languages: o.languages,
    visibility: visibility.toProto(o.visibility),
    visibleProvinces: o.visibleProvinces,
    validUntil: o.validUntil ?? undefined,
    status: offerStatus.toProto(o.status),
    publishedAt: o.publishedAt ?? undefined,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    version: o.version,
  };
}

export function requestToProto(r: TechRequest): tt.TechnologyRequest {
  return {
    id: r.id,
    requesterEnterpriseId: r.requesterId,
    province: r.province,
    title: r.title,
    description: r.description,
    hsCodes: r.hsCodes,
    vsicCodes: r.vsicCodes,
    keywords: r.keywords,
    minReadinessLevel: r.minReadinessLevel,
    transferModes: r.transferModes.map(transferMode.toProto),
    budget: moneyRange(r.budget),
    cleanerProduction: r.cleanerProduction,
    pollutionTreatment: r.pollutionTreatment,
    source: requestSource.toProto(r.source),
    registryNeedId: r.registryNeedId,
    validUntil: r.validUntil,
    status: requestStatus.toProto(r.status),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export function interestToProto(i: Interest, showOwner: boolean): tt.Interest {
  const a = i.agreement;
  return {
    id: i.id,
    offerId: i.offerId,
    offerTitle: i.offerTitle,
    ownerEnterpriseId: showOwner ? i.ownerId : '',
    ownerProvince: i.ownerProvince,
    interestedEnterpriseId: i.interestedId,
    interestedProvince: i.interestedProvince,
    requestId: i.requestId,
    message: i.message,
    status: interestStatus.toProto(i.status),
    respondBy: i.respondBy,
    messages: i.messages.map((m) => ({
      id: m.id,
      authorEnterpriseId: showOwner || m.authorId !== i.ownerId ? m.authorId : '',
      text: m.text,
      attachments: m.attachments,
      sentAt: m.sentAt,
    })),
    agreement: a
      ? {
          id: a.id,
          type: agreementType.toProto(a.type),
          value: money(a.valueVnd),
          startDate: a.startDate,
          termsSummary: a.termsSummary,
          status: agreementStatus.toProto(a.status),
          proposedBy: showOwner || a.proposedBy !== i.ownerId ? a.proposedBy : '',
          proposedAt: a.proposedAt,
          signedAt: a.signedAt ?? undefined,
        }
      : undefined,
    declineReason: i.declineReason,
    abandonReason: i.abandonReason,
    abandonedBy: i.abandonedBy,
    lastActivityAt: i.lastActivityAt,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    version: i.version,
    anonymousOwner: i.anonymousOwner,
  };
}

/** The facts every interest event carries; never the identity of an anonymous owner. */
export function interestFacts(i: Interest): ev.InterestFacts {
  return {
    interestId: i.id,
    offerId: i.offerId,
    ownerEnterpriseId: i.anonymousOwner ? '' : i.ownerId,
    ownerProvince: i.ownerProvince,
    interestedEnterpriseId: i.interestedId,
    interestedProvince: i.interestedProvince,
    vsicCodes: i.vsicCodes,
    hsCodes: i.hsCodes,
    cleanerProduction: i.cleanerProduction,
    pollutionTreatment: i.pollutionTreatment,
    requestId: i.requestId,
  };
}

export function programmeToProto(p: Programme): tt.Programme {
  return {
    id: p.id,
    name: p.name,
    funderKind: funderKind.toProto(p.funderKind),
    sponsor: p.sponsor
      ? { name: p.sponsor.name, kind: sponsorKind.toProto(p.sponsor.kind), country: p.sponsor.country }
      : undefined,
    province: p.province,
    budget: money(p.budgetVnd),
    available: money(p.availableVnd),
    committed: money(p.committedVnd),
    disbursed: money(p.disbursedVnd),
    maxCofundingPercent: p.maxCofundingPercent,
    perProjectCap: money(p.perProjectCapVnd),
    eligibility: p.eligibility,
    status: programmeStatus.toProto(p.status),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
  };
}

export function budgetChanged(
  p: Programme,
  change: string,
  deltaVnd: number,
  applicationId = '',
): ev.ProgrammeBudgetChanged {
  return {
    programmeId: p.id,
    name: p.name,
    funderKind: funderKind.toProto(p.funderKind),
    province: p.province,
    change,
    budgetDelta: money(deltaVnd),
    budget: money(p.budgetVnd),
    available: money(p.availableVnd),
    committed: money(p.committedVnd),
    disbursed: money(p.disbursedVnd),
    applicationId,
  };
}

export function applicationToProto(a: CoFundingApplication): tt.CoFundingApplication {
  return {
    id: a.id,
    programmeId: a.programmeId,
    agreementId: a.agreementId,
    interestId: a.interestId,
    applicantEnterpriseId: a.applicantId,
    applicantProvince: a.applicantProvince,
    amount: money(a.amountVnd),
    agreementValue: money(a.agreementValueVnd),
    // An approval in progress is still a request from the outside.
    status: coFundingStatus.toProto(a.status === 'approving' ? 'requested' : a.status),
    decidedBy: a.status === 'approving' ? '' : a.decidedBy,
    decisionReason: a.decisionReason,
    decidedAt: a.status === 'approving' ? undefined : (a.decidedAt ?? undefined),
    disbursements: a.disbursements.map((d) => ({
      id: d.id,
      amount: money(d.amountVnd),
      reference: d.reference,
      recordedBy: d.recordedBy,
      recordedAt: d.recordedAt,
    })),
    disbursed: money(a.disbursedVnd),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
    vsicCodes: a.vsicCodes,
    cleanerProduction: a.cleanerProduction,
  };
}

export function coFundingFacts(a: CoFundingApplication): ev.CoFundingFacts {
  return {
    applicationId: a.id,
    programmeId: a.programmeId,
    agreementId: a.agreementId,
    applicantEnterpriseId: a.applicantId,
    applicantProvince: a.applicantProvince,
    amount: money(a.amountVnd),
    vsicCodes: a.vsicCodes,
    cleanerProduction: a.cleanerProduction,
  };
}

export { money };
