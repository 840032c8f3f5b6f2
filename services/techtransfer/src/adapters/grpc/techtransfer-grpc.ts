import { techtransferServiceV1 as api } from '@lienket/contracts';
import type { AggregatePage } from '@lienket/eventbus';
import {
  AppError,
  type AsyncHandlers,
  actorFrom,
  bindService,
  decodePageToken,
  encodePageToken,
  type Logger,
  type ServiceBinding,
} from '@lienket/platform';
import type { TechTransfer } from '../../app/techtransfer';
import {
  agreementType,
  applicationToProto,
  coFundingStatus,
  funderKind,
  interestStatus,
  interestToProto,
  ipStatus,
  moneyRangeFromProto,
  offerToProto,
  programmeToProto,
  requestToProto,
  sponsorKind,
  transferMode,
  visibility,
} from '../../app/to-proto';
import type { TransferMode } from '../../domain/model';
import type { OfferInput } from '../../domain/offer';
import type { RequestInput } from '../../domain/request';

export const TECHTRANSFER_SERVICE_NAME = 'lienket.techtransfer.v1.TechTransferService';

const modes = (values: number[]): TransferMode[] =>
  values.flatMap((v) => {
    const mode = transferMode.fromProto(v);
    return mode ? [mode] : [];
  });

function offerInput(o: api.OfferInput | undefined): OfferInput {
  const input = o ?? api.OfferInput.fromPartial({});
  return {
    title: input.title,
    summary: input.summary,
    hsCodes: input.hsCodes,
    vsicCodes: input.vsicCodes,
    keywords: input.keywords,
    readinessLevel: input.readinessLevel,
    ipStatus: ipStatus.fromProto(input.ipStatus),
    ipNumbers: input.ipNumbers,
    transferModes: modes(input.transferModes),
    priceBand: moneyRangeFromProto(input.priceBand),
    cleanerProduction: input.cleanerProduction,
    pollutionTreatment: input.pollutionTreatment,
    languages: input.languages,
    visibility: visibility.fromProto(input.visibility),
    visibleProvinces: input.visibleProvinces,
    anonymous: input.anonymous,
    validUntil: input.validUntil ?? null,
  };
}

function requestInput(r: api.RequestInput | undefined): RequestInput {
  const input = r ?? api.RequestInput.fromPartial({});
  return {
    title: input.title,
    description: input.description,
    hsCodes: input.hsCodes,
    vsicCodes: input.vsicCodes,
    keywords: input.keywords,
    minReadinessLevel: input.minReadinessLevel,
    transferModes: modes(input.transferModes),
    budget: moneyRangeFromProto(input.budget),
    cleanerProduction: input.cleanerProduction,
    pollutionTreatment: input.pollutionTreatment,
    validUntil: input.validUntil ?? null,
  };
}

const camel = (path: string) => path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const pageOf = (page: { pageSize: number; pageToken: string } | undefined) => ({
  size: page?.pageSize ?? 0,
  cursor: decodePageToken(page?.pageToken ?? ''),
});
const pageResponse = (result: AggregatePage<unknown>) => ({
  nextPageToken: encodePageToken(result.nextCursor),
  totalSize: result.total,
});

function checkLimits(limit: number, minScore: number) {
  if (limit < 0 || limit > 50 || !(minScore >= 0 && minScore <= 1)) {
    throw new AppError('INVALID_ARGUMENT', 'limit must be 0..50 and min_score 0..1', {
      messageVi: 'limit phải từ 0 đến 50 và min_score từ 0 đến 1',
      violations: [
        {
          field: limit < 0 || limit > 50 ? 'limit' : 'min_score',
          reason: 'out_of_range',
          description: 'limit must be 0..50, min_score 0..1',
          descriptionVi: 'limit từ 0 đến 50, min_score từ 0 đến 1',
        },
      ],
    });
  }
}

/** gRPC edge of technology transfer: proto in, use case, proto out. Errors map to status codes in bindService. */
export function makeTechTransferGrpc({
  techtransfer: t,
  log,
}: {
  techtransfer: TechTransfer;
  log: Logger;
}): ServiceBinding {
  const handlers: AsyncHandlers<typeof api.TechTransferServiceService> = {
    async createOffer(request, { metadata }) {
      const offer = await t.createOffer(
        actorFrom(metadata),
        request.offer?.ownerEnterpriseId ?? '',
        offerInput(request.offer),
      );
      return { offer: offerToProto(offer, true) };
    },
    async updateOffer(request, { metadata }) {
      const offer = await t.updateOffer(
        actorFrom(metadata),
        request.offerId,
        offerInput(request.offer),
        (request.updateMask ?? []).map(camel),
        request.expectedVersion,
      );
      return { offer: offerToProto(offer, true) };
    },
    async publishOffer(request, { metadata }) {
      return { offer: offerToProto(await t.publishOffer(actorFrom(metadata), request.offerId), true) };
    },
    async withdrawOffer(request, { metadata }) {
      return {
        offer: offerToProto(
          await t.withdrawOffer(actorFrom(metadata), request.offerId, request.reason),
          true,
        ),
      };
    },
    async renewOffer(request, { metadata }) {
      return {
        offer: offerToProto(
          await t.renewOffer(actorFrom(metadata), request.offerId, request.validUntil ?? null),
          true,
        ),
      };
    },
    async getOffer(request, { metadata }) {
      const { offer, showOwner } = await t.getOffer(actorFrom(metadata), request.offerId);
      return { offer: offerToProto(offer, showOwner) };
    },
    async searchOffers(request, { metadata }) {
      const f = request.filter ?? api.OfferFilter.fromPartial({});
      const result = await t.searchOffers(
        actorFrom(metadata),
        {
          hsPrefix: f.hsPrefix,
          vsicPrefix: f.vsicPrefix,
          minReadinessLevel: f.minReadinessLevel,
          maxReadinessLevel: f.maxReadinessLevel,
          transferModes: modes(f.transferModes),
          ...(f.cleanerProduction !== undefined ? { cleanerProduction: f.cleanerProduction } : {}),
          ...(f.pollutionTreatment !== undefined ? { pollutionTreatment: f.pollutionTreatment } : {}),
          ownerProvinces: f.ownerProvinces,
          ownerRegions: f.ownerRegions,
          text: f.text,
          mine: f.mine,
        },
        pageOf(request.page),
      );
      return {
        offers: result.items.map(({ offer, showOwner }) => offerToProto(offer, showOwner)),
        page: pageResponse(result),
      };
    },

    async postRequest(request, { metadata }) {
      const posted = await t.postRequest(
        actorFrom(metadata),
        request.request?.requesterEnterpriseId ?? '',
        requestInput(request.request),
      );
      return { request: requestToProto(posted) };
    },
    async closeRequest(request, { metadata }) {
      return { request: requestToProto(await t.closeRequest(actorFrom(metadata), request.requestId)) };
    },
    async getRequest(request, { metadata }) {
      return { request: requestToProto(await t.getRequest(actorFrom(metadata), request.requestId)) };
    },
    async searchRequests(request, { metadata }) {
      const f = request.filter ?? api.RequestFilter.fromPartial({});
      const result = await t.searchRequests(
        actorFrom(metadata),
        {
          hsPrefix: f.hsPrefix,
          vsicPrefix: f.vsicPrefix,
          provinces: f.provinces,
          regions: f.regions,
          ...(f.cleanerProduction !== undefined ? { cleanerProduction: f.cleanerProduction } : {}),
          ...(f.pollutionTreatment !== undefined ? { pollutionTreatment: f.pollutionTreatment } : {}),
          requesterId: f.requesterEnterpriseId,
          includeClosed: f.includeClosed,
          text: f.text,
        },
        pageOf(request.page),
      );
      return { requests: result.items.map(requestToProto), page: pageResponse(result) };
    },
    async rankOffers(request, { metadata }) {
      checkLimits(request.limit, request.minScore);
      const ranked = await t.rankOffers(
        actorFrom(metadata),
        request.requestId,
        request.limit,
        request.minScore,
      );
      return {
        offers: ranked.map(({ ranked: r, showOwner }) => ({
          offer: offerToProto(r.offer, showOwner),
          score: r.score,
          components: r.components.map((c) => ({
            name: c.name,
            value: c.value,
            weight: c.weight,
            contribution: c.contribution,
            detail: c.detail,
            detailVi: c.detailVi,
          })),
          reason: r.reason,
          reasonVi: r.reasonVi,
        })),
      };
    },

    async expressInterest(request, { metadata }) {
      const actor = actorFrom(metadata);
      const interest = await t.expressInterest(
        actor,
        request.offerId,
        request.enterpriseId,
        request.message,
        request.requestId,
      );
      return { interest: interestToProto(interest, !interest.anonymousOwner) };
    },
    async acceptInterest(request, { metadata }) {
      return {
        interest: interestToProto(await t.acceptInterest(actorFrom(metadata), request.interestId), true),
      };
    },
    async declineInterest(request, { metadata }) {
      return {
        interest: interestToProto(
          await t.declineInterest(actorFrom(metadata), request.interestId, request.reason),
          true,
        ),
      };
    },
    async withdrawInterest(request, { metadata }) {
      const interest = await t.withdrawInterest(actorFrom(metadata), request.interestId);
      return { interest: interestToProto(interest, !interest.anonymousOwner) };
    },
    async sendMessage(request, { metadata }) {
      const interest = await t.sendMessage(
        actorFrom(metadata),
        request.interestId,
        request.text,
        request.attachments,
      );
      return { interest: interestToProto(interest, true) };
    },
    async proposeAgreement(request, { metadata }) {
      const interest = await t.proposeAgreement(actorFrom(metadata), request.interestId, {
        type: agreementType.fromProto(request.type),
        valueVnd: request.value?.vnd ?? 0,
        startDate: request.startDate ?? null,
        termsSummary: request.termsSummary,
      });
      return { interest: interestToProto(interest, true) };
    },
    async signAgreement(request, { metadata }) {
      const interest = await t.signAgreement(actorFrom(metadata), request.interestId, request.agreementId);
      return { interest: interestToProto(interest, true) };
    },
    async abandonNegotiation(request, { metadata }) {
      const interest = await t.abandonNegotiation(actorFrom(metadata), request.interestId, request.reason);
      return { interest: interestToProto(interest, true) };
    },
    async getInterest(request, { metadata }) {
      const { interest, showOwner } = await t.getInterest(actorFrom(metadata), request.interestId);
      return { interest: interestToProto(interest, showOwner) };
    },
    async listInterests(request, { metadata }) {
      const result = await t.listInterests(
        actorFrom(metadata),
        {
          enterpriseId: request.enterpriseId,
          offerId: request.offerId,
          statuses: request.statuses.flatMap((s) => interestStatus.fromProto(s) ?? []),
        },
        pageOf(request.page),
      );
      return {
        interests: result.items.map(({ interest, showOwner }) => interestToProto(interest, showOwner)),
        page: pageResponse(result),
      };
    },

    async createProgramme(request, { metadata }) {
      const p = request.programme ?? api.ProgrammeInput.fromPartial({});
      const programme = await t.createProgramme(actorFrom(metadata), {
        name: p.name,
        funderKind: funderKind.fromProto(p.funderKind),
        sponsor: p.sponsor
          ? { name: p.sponsor.name, kind: sponsorKind.fromProto(p.sponsor.kind), country: p.sponsor.country }
          : null,
        province: p.province,
        budgetVnd: p.budget?.vnd ?? 0,
        maxCofundingPercent: p.maxCofundingPercent,
        perProjectCapVnd: p.perProjectCap?.vnd ?? 0,
        eligibility: {
          provinces: p.eligibility?.provinces ?? [],
          vsicPrefixes: p.eligibility?.vsicPrefixes ?? [],
          cleanerProductionOnly: p.eligibility?.cleanerProductionOnly ?? false,
        },
      });
      return { programme: programmeToProto(programme) };
    },
    async changeProgrammeBudget(request, { metadata }) {
      const programme = await t.changeProgrammeBudget(
        actorFrom(metadata),
        request.programmeId,
        request.deltaVnd,
      );
      return { programme: programmeToProto(programme) };
    },
    async closeProgramme(request, { metadata }) {
      return {
        programme: programmeToProto(await t.closeProgramme(actorFrom(metadata), request.programmeId)),
      };
    },
    async getProgramme(request, { metadata }) {
      return { programme: programmeToProto(await t.getProgramme(actorFrom(metadata), request.programmeId)) };
    },
    async listProgrammes(request, { metadata }) {
      const result = await t.listProgrammes(
        actorFrom(metadata),
        {
          eligibleProvince: request.eligibleProvince,
          funderKinds: request.funderKinds.flatMap((k) => funderKind.fromProto(k) ?? []),
          includeClosed: request.includeClosed,
        },
        pageOf(request.page),
      );
      return { programmes: result.items.map(programmeToProto), page: pageResponse(result) };
    },

    async applyForCoFunding(request, { metadata }) {
      const application = await t.applyForCoFunding(
        actorFrom(metadata),
        request.programmeId,
        request.agreementId,
        request.enterpriseId,
        request.amount?.vnd ?? 0,
      );
      return { application: applicationToProto(application) };
    },
    async approveCoFunding(request, { metadata }) {
      return {
        application: applicationToProto(await t.approveCoFunding(actorFrom(metadata), request.applicationId)),
      };
    },
    async rejectCoFunding(request, { metadata }) {
      return {
        application: applicationToProto(
          await t.rejectCoFunding(actorFrom(metadata), request.applicationId, request.reason),
        ),
      };
    },
    async recordDisbursement(request, { metadata }) {
      const application = await t.recordDisbursement(
        actorFrom(metadata),
        request.applicationId,
        request.amount?.vnd ?? 0,
        request.reference,
      );
      return { application: applicationToProto(application) };
    },
    async getCoFundingApplication(request, { metadata }) {
      return {
        application: applicationToProto(
          await t.getCoFundingApplication(actorFrom(metadata), request.applicationId),
        ),
      };
    },
    async listCoFundingApplications(request, { metadata }) {
      const result = await t.listCoFundingApplications(
        actorFrom(metadata),
        {
          programmeId: request.programmeId,
          applicantProvince: request.applicantProvince,
          applicantId: request.applicantEnterpriseId,
          statuses: request.statuses.flatMap((s) => coFundingStatus.fromProto(s) ?? []),
        },
        pageOf(request.page),
      );
      return { applications: result.items.map(applicationToProto), page: pageResponse(result) };
    },
  };
  return bindService(TECHTRANSFER_SERVICE_NAME, api.TechTransferServiceService, handlers, log);
}
