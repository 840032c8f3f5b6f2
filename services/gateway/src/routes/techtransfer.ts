import { techtransferServiceV1 as api, enumCodec, techtransferV1 as tt } from '@lienket/contracts';
import { list, message, optionalBool, type ParamSpec, pageOf, pagingQuery, route } from '../http/api';
import { callAs, type ServiceClients } from './clients';

const T = 'lienket.techtransfer.v1';
const mode = enumCodec<string>(tt.TransferMode, 'TRANSFER_MODE');
const interestStatus = enumCodec<string>(tt.InterestStatus, 'INTEREST_STATUS');
const funderKind = enumCodec<string>(tt.FunderKind, 'FUNDER_KIND');
const coFundingStatus = enumCodec<string>(tt.CoFundingStatus, 'CO_FUNDING_STATUS');
const id = (description: string): ParamSpec => ({
  type: 'string',
  description,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});
const everyone = ['anonymous', 'enterprise', 'province', 'analyst', 'admin'] as const;
const signedIn = ['enterprise', 'province', 'analyst', 'admin'] as const;
const parties = ['enterprise', 'admin'] as const;
const tag = 'techtransfer';

export function techTransferRoutes({ techtransfer: t }: ServiceClients) {
  return [
    // ---- offers
    route({
      method: 'post',
      path: '/v1/tech/offers',
      operationId: 'createOffer',
      summary: 'Create a draft technology offer',
      tag,
      callers: parties,
      body: message(`${T}.OfferInput`, api.OfferInput),
      bodyField: 'offer',
      response: message(`${T}.CreateOfferResponse`, api.CreateOfferResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.createOffer({ offer: body }, callAs(actor, request)),
    }),
    route({
      method: 'patch',
      path: '/v1/tech/offers/:offerId',
      operationId: 'updateOffer',
      summary: 'Change the fields named in updateMask of a draft or published offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      body: message(`${T}.UpdateOfferRequest`, api.UpdateOfferRequest),
      response: message(`${T}.UpdateOfferResponse`, api.UpdateOfferResponse),
      handler: ({ actor, params, body, request }) =>
        t.updateOffer({ ...body, offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/offers/:offerId/publication',
      operationId: 'publishOffer',
      summary: 'Publish a draft offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      response: message(`${T}.PublishOfferResponse`, api.PublishOfferResponse),
      handler: ({ actor, params, request }) =>
        t.publishOffer({ offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/offers/:offerId/withdrawal',
      operationId: 'withdrawOffer',
      summary: 'Withdraw an offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      body: message(`${T}.WithdrawOfferRequest`, api.WithdrawOfferRequest),
      response: message(`${T}.WithdrawOfferResponse`, api.WithdrawOfferResponse),
      handler: ({ actor, params, body, request }) =>
        t.withdrawOffer({ ...body, offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/offers/:offerId/renewal',
      operationId: 'renewOffer',
      summary: 'Extend a published offer',
      tag,
      callers: parties,
      params: { offerId: id('Offer id') },
      body: message(`${T}.RenewOfferRequest`, api.RenewOfferRequest),
      response: message(`${T}.RenewOfferResponse`, api.RenewOfferResponse),
      handler: ({ actor, params, body, request }) =>
        t.renewOffer({ ...body, offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/offers/:offerId',
      operationId: 'getOffer',
      summary: 'An offer, as the caller may see it (an anonymous owner stays hidden)',
      tag,
      callers: everyone,
      params: { offerId: id('Offer id') },
      response: message(`${T}.GetOfferResponse`, api.GetOfferResponse),
      handler: ({ actor, params, request }) =>
        t.getOffer({ offerId: params.offerId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/offers',
      operationId: 'searchOffers',
      summary: 'The technology marketplace: published offers the caller may see',
      tag,
      callers: everyone,
      query: {
        hs_prefix: { type: 'string', maxLength: 8, pattern: '^[0-9]*$', description: 'HS code prefix' },
        vsic_prefix: { type: 'string', maxLength: 5, pattern: '^[0-9]*$', description: 'VSIC code prefix' },
        min_trl: { type: 'integer', minimum: 1, maximum: 9, description: 'Lowest readiness level' },
        max_trl: { type: 'integer', minimum: 1, maximum: 9, description: 'Highest readiness level' },
        mode: { type: 'string', array: true, enum: mode.values, description: 'Any of these transfer modes' },
        cleaner_production: { type: 'boolean', description: 'Cleaner-production technology' },
        pollution_treatment: { type: 'boolean', description: 'Pollution-treatment technology' },
        owner_province: { type: 'string', array: true, description: 'Owners’ provinces' },
        owner_region: { type: 'string', array: true, description: 'Owners’ regions' },
        text: { type: 'string', maxLength: 200, description: 'Words of title, summary and keywords' },
        mine: { type: 'boolean', description: 'The caller’s own offers in any status (enterprises)' },
        ...pagingQuery,
      },
      response: message(`${T}.SearchOffersResponse`, api.SearchOffersResponse),
      handler: ({ actor, query, request }) =>
        t.searchOffers(
          {
            filter: api.OfferFilter.fromPartial({
              hsPrefix: String(query.hs_prefix ?? ''),
              vsicPrefix: String(query.vsic_prefix ?? ''),
              minReadinessLevel: Number(query.min_trl ?? 0),
              maxReadinessLevel: Number(query.max_trl ?? 0),
              transferModes: list(query.mode).map(mode.toProto),
              cleanerProduction: optionalBool(query.cleaner_production),
              pollutionTreatment: optionalBool(query.pollution_treatment),
              ownerProvinces: list(query.owner_province),
              ownerRegions: list(query.owner_region),
              text: String(query.text ?? ''),
              mine: query.mine === true,
            }),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),

    // ---- requests
    route({
      method: 'post',
      path: '/v1/tech/requests',
      operationId: 'postTechRequest',
      summary: 'Ask for a technology',
      tag,
      callers: parties,
      body: message(`${T}.RequestInput`, api.RequestInput),
      bodyField: 'request',
      response: message(`${T}.PostRequestResponse`, api.PostRequestResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.postRequest({ request: body }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/requests/:requestId/closure',
      operationId: 'closeTechRequest',
      summary: 'Close a technology request',
      tag,
      callers: parties,
      params: { requestId: id('Request id') },
      response: message(`${T}.CloseRequestResponse`, api.CloseRequestResponse),
      handler: ({ actor, params, request }) =>
        t.closeRequest({ requestId: params.requestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/requests/:requestId',
      operationId: 'getTechRequest',
      summary: 'A technology request',
      tag,
      callers: signedIn,
      params: { requestId: id('Request id') },
      response: message(`${T}.GetRequestResponse`, api.GetRequestResponse),
      handler: ({ actor, params, request }) =>
        t.getRequest({ requestId: params.requestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/requests',
      operationId: 'searchTechRequests',
      summary: 'Open technology requests',
      tag,
      callers: signedIn,
      query: {
        hs_prefix: { type: 'string', maxLength: 8, pattern: '^[0-9]*$', description: 'HS code prefix' },
        vsic_prefix: { type: 'string', maxLength: 5, pattern: '^[0-9]*$', description: 'VSIC code prefix' },
        province: { type: 'string', array: true, description: 'Requesters’ provinces' },
        region: { type: 'string', array: true, description: 'Requesters’ regions' },
        cleaner_production: { type: 'boolean', description: 'Asking for cleaner production' },
        pollution_treatment: { type: 'boolean', description: 'Asking for pollution treatment' },
        requester_id: id('Only this requester'),
        include_closed: { type: 'boolean', description: 'Closed and expired ones too' },
        text: { type: 'string', maxLength: 200, description: 'Words of title, description and keywords' },
        ...pagingQuery,
      },
      response: message(`${T}.SearchRequestsResponse`, api.SearchRequestsResponse),
      handler: ({ actor, query, request }) =>
        t.searchRequests(
          {
            filter: api.RequestFilter.fromPartial({
              hsPrefix: String(query.hs_prefix ?? ''),
              vsicPrefix: String(query.vsic_prefix ?? ''),
              provinces: list(query.province),
              regions: list(query.region),
              cleanerProduction: optionalBool(query.cleaner_production),
              pollutionTreatment: optionalBool(query.pollution_treatment),
              requesterEnterpriseId: String(query.requester_id ?? ''),
              includeClosed: query.include_closed === true,
              text: String(query.text ?? ''),
            }),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/tech/requests/:requestId/ranked-offers',
      operationId: 'rankOffers',
      summary: 'Offers ranked for a request by the platform’s matching score, explained',
      tag,
      callers: signedIn,
      params: { requestId: id('Request id') },
      query: {
        limit: { type: 'integer', minimum: 1, maximum: 50, description: 'At most this many (default 10)' },
        min_score: { type: 'number', minimum: 0, maximum: 1, description: 'Leave out offers scoring below' },
      },
      response: message(`${T}.RankOffersResponse`, api.RankOffersResponse),
      handler: ({ actor, params, query, request }) =>
        t.rankOffers(
          {
            requestId: params.requestId ?? '',
            limit: Number(query.limit ?? 10),
            minScore: Number(query.min_score ?? 0),
          },
          callAs(actor, request),
        ),
    }),

    // ---- interest and negotiation
    route({
      method: 'post',
      path: '/v1/tech/interests',
      operationId: 'expressInterest',
      summary: 'Express interest in an offer, with a message',
      tag,
      callers: parties,
      body: message(`${T}.ExpressInterestRequest`, api.ExpressInterestRequest),
      response: message(`${T}.ExpressInterestResponse`, api.ExpressInterestResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.expressInterest(body, callAs(actor, request)),
    }),
    ...(
      [
        [
          'acceptance',
          'acceptInterest',
          'The owner accepts (an anonymous owner becomes known to the counterpart)',
        ],
        ['withdrawal', 'withdrawInterest', 'The interested enterprise withdraws before an answer'],
      ] as const
    ).map(([step, operationId, summary]) =>
      route({
        method: 'post',
        path: `/v1/tech/interests/:interestId/${step}`,
        operationId,
        summary,
        tag,
        callers: ['enterprise'],
        params: { interestId: id('Interest id') },
        response: message(
          `${T}.${operationId === 'acceptInterest' ? 'AcceptInterestResponse' : 'WithdrawInterestResponse'}`,
          operationId === 'acceptInterest' ? api.AcceptInterestResponse : api.WithdrawInterestResponse,
        ),
        handler: ({ actor, params, request }) =>
          operationId === 'acceptInterest'
            ? t.acceptInterest({ interestId: params.interestId ?? '' }, callAs(actor, request))
            : t.withdrawInterest({ interestId: params.interestId ?? '' }, callAs(actor, request)),
      }),
    ),
    route({
      method: 'post',
      path: '/v1/tech/interests/:interestId/decline',
      operationId: 'declineInterest',
      summary: 'The owner declines, with a reason',
      tag,
      callers: ['enterprise'],
      params: { interestId: id('Interest id') },
      body: message(`${T}.DeclineInterestRequest`, api.DeclineInterestRequest),
      response: message(`${T}.DeclineInterestResponse`, api.DeclineInterestResponse),
      handler: ({ actor, params, body, request }) =>
        t.declineInterest({ ...body, interestId: params.interestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/interests/:interestId/messages',
      operationId: 'sendNegotiationMessage',
      summary: 'Send a message in a negotiation (attachment metadata only)',
      tag,
      callers: ['enterprise'],
      params: { interestId: id('Interest id') },
      body: message(`${T}.SendMessageRequest`, api.SendMessageRequest),
      response: message(`${T}.SendMessageResponse`, api.SendMessageResponse),
      handler: ({ actor, params, body, request }) =>
        t.sendMessage({ ...body, interestId: params.interestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/interests/:interestId/agreement',
      operationId: 'proposeAgreement',
      summary: 'Propose agreement terms; the other party signs them',
      tag,
      callers: ['enterprise'],
      params: { interestId: id('Interest id') },
      body: message(`${T}.ProposeAgreementRequest`, api.ProposeAgreementRequest),
      response: message(`${T}.ProposeAgreementResponse`, api.ProposeAgreementResponse),
      handler: ({ actor, params, body, request }) =>
        t.proposeAgreement({ ...body, interestId: params.interestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/interests/:interestId/agreement/signature',
      operationId: 'signAgreement',
      summary: 'Sign the proposed terms (the party that did not propose them)',
      tag,
      callers: ['enterprise'],
      params: { interestId: id('Interest id') },
      body: message(`${T}.SignAgreementRequest`, api.SignAgreementRequest),
      response: message(`${T}.SignAgreementResponse`, api.SignAgreementResponse),
      handler: ({ actor, params, body, request }) =>
        t.signAgreement({ ...body, interestId: params.interestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/interests/:interestId/abandonment',
      operationId: 'abandonNegotiation',
      summary: 'Abandon a negotiation, with a reason',
      tag,
      callers: ['enterprise'],
      params: { interestId: id('Interest id') },
      body: message(`${T}.AbandonNegotiationRequest`, api.AbandonNegotiationRequest),
      response: message(`${T}.AbandonNegotiationResponse`, api.AbandonNegotiationResponse),
      handler: ({ actor, params, body, request }) =>
        t.abandonNegotiation({ ...body, interestId: params.interestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/interests/:interestId',
      operationId: 'getInterest',
      summary: 'An expression of interest and its negotiation (its parties and their provinces)',
      tag,
      callers: ['enterprise', 'province', 'admin'],
      params: { interestId: id('Interest id') },
      response: message(`${T}.GetInterestResponse`, api.GetInterestResponse),
      handler: ({ actor, params, request }) =>
        t.getInterest({ interestId: params.interestId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/interests',
      operationId: 'listInterests',
      summary: 'An enterprise’s interests (expressed and received), or one offer’s',
      tag,
      callers: ['enterprise', 'province', 'admin'],
      query: {
        enterprise_id: id('The enterprise (an enterprise caller: itself)'),
        offer_id: id('One offer (its owner)'),
        status: {
          type: 'string',
          array: true,
          enum: interestStatus.values,
          description: 'Statuses to include',
        },
        ...pagingQuery,
      },
      response: message(`${T}.ListInterestsResponse`, api.ListInterestsResponse),
      handler: ({ actor, query, request }) =>
        t.listInterests(
          {
            enterpriseId: String(
              query.enterprise_id ??
                (actor.role === 'enterprise' && !query.offer_id ? actor.enterpriseId : ''),
            ),
            offerId: String(query.offer_id ?? ''),
            statuses: list(query.status).map(interestStatus.toProto),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),

    // ---- programmes and co-funding
    route({
      method: 'post',
      path: '/v1/tech/programmes',
      operationId: 'createProgramme',
      summary: 'Open a co-funding programme (admins; officers: their province’s fund)',
      tag,
      callers: ['province', 'admin'],
      body: message(`${T}.ProgrammeInput`, api.ProgrammeInput),
      bodyField: 'programme',
      response: message(`${T}.CreateProgrammeResponse`, api.CreateProgrammeResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.createProgramme({ programme: body }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/programmes/:programmeId/budget-changes',
      operationId: 'changeProgrammeBudget',
      summary: 'Top a budget up or reduce it (never below what is committed)',
      tag,
      callers: ['province', 'admin'],
      params: { programmeId: id('Programme id') },
      body: message(`${T}.ChangeProgrammeBudgetRequest`, api.ChangeProgrammeBudgetRequest),
      response: message(`${T}.ChangeProgrammeBudgetResponse`, api.ChangeProgrammeBudgetResponse),
      handler: ({ actor, params, body, request }) =>
        t.changeProgrammeBudget({ ...body, programmeId: params.programmeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/programmes/:programmeId/closure',
      operationId: 'closeProgramme',
      summary: 'Close a programme to new applications and approvals',
      tag,
      callers: ['province', 'admin'],
      params: { programmeId: id('Programme id') },
      response: message(`${T}.CloseProgrammeResponse`, api.CloseProgrammeResponse),
      handler: ({ actor, params, request }) =>
        t.closeProgramme({ programmeId: params.programmeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/programmes/:programmeId',
      operationId: 'getProgramme',
      summary: 'A programme with its budget, committed and disbursed amounts',
      tag,
      callers: signedIn,
      params: { programmeId: id('Programme id') },
      response: message(`${T}.GetProgrammeResponse`, api.GetProgrammeResponse),
      handler: ({ actor, params, request }) =>
        t.getProgramme({ programmeId: params.programmeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/programmes',
      operationId: 'listProgrammes',
      summary: 'Programmes, e.g. those an applicant of a province may apply to',
      tag,
      callers: signedIn,
      query: {
        eligible_province: {
          type: 'string',
          maxLength: 3,
          pattern: '^[0-9]*$',
          description: 'Applicants’ province',
        },
        funder_kind: { type: 'string', array: true, enum: funderKind.values, description: 'Kinds of funder' },
        include_closed: { type: 'boolean', description: 'Closed programmes too' },
        ...pagingQuery,
      },
      response: message(`${T}.ListProgrammesResponse`, api.ListProgrammesResponse),
      handler: ({ actor, query, request }) =>
        t.listProgrammes(
          {
            eligibleProvince: String(query.eligible_province ?? ''),
            funderKinds: list(query.funder_kind).map(funderKind.toProto),
            includeClosed: query.include_closed === true,
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/tech/cofunding-applications',
      operationId: 'applyForCoFunding',
      summary: 'Apply a signed agreement for co-funding',
      tag,
      callers: parties,
      body: message(`${T}.ApplyForCoFundingRequest`, api.ApplyForCoFundingRequest),
      response: message(`${T}.ApplyForCoFundingResponse`, api.ApplyForCoFundingResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.applyForCoFunding(body, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/cofunding-applications/:applicationId/approval',
      operationId: 'approveCoFunding',
      summary: 'Approve (an officer of the applicant’s province); the budget never goes negative',
      tag,
      callers: ['province'],
      params: { applicationId: id('Application id') },
      response: message(`${T}.ApproveCoFundingResponse`, api.ApproveCoFundingResponse),
      handler: ({ actor, params, request }) =>
        t.approveCoFunding({ applicationId: params.applicationId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/cofunding-applications/:applicationId/rejection',
      operationId: 'rejectCoFunding',
      summary: 'Reject, with a reason',
      tag,
      callers: ['province'],
      params: { applicationId: id('Application id') },
      body: message(`${T}.RejectCoFundingRequest`, api.RejectCoFundingRequest),
      response: message(`${T}.RejectCoFundingResponse`, api.RejectCoFundingResponse),
      handler: ({ actor, params, body, request }) =>
        t.rejectCoFunding({ ...body, applicationId: params.applicationId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/cofunding-applications/:applicationId/disbursements',
      operationId: 'recordDisbursement',
      summary: 'Record a payment (the same reference twice counts once)',
      tag,
      callers: ['province', 'admin'],
      params: { applicationId: id('Application id') },
      body: message(`${T}.RecordDisbursementRequest`, api.RecordDisbursementRequest),
      response: message(`${T}.RecordDisbursementResponse`, api.RecordDisbursementResponse),
      handler: ({ actor, params, body, request }) =>
        t.recordDisbursement({ ...body, applicationId: params.applicationId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/cofunding-applications/:applicationId',
      operationId: 'getCoFundingApplication',
      summary: 'A co-funding application',
      tag,
      callers: ['enterprise', 'province', 'admin'],
      params: { applicationId: id('Application id') },
      response: message(`${T}.GetCoFundingApplicationResponse`, api.GetCoFundingApplicationResponse),
      handler: ({ actor, params, request }) =>
        t.getCoFundingApplication({ applicationId: params.applicationId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/cofunding-applications',
      operationId: 'listCoFundingApplications',
      summary: 'Applications (an enterprise: its own; an officer: its province’s)',
      tag,
      callers: ['enterprise', 'province', 'admin'],
      query: {
        programme_id: id('One programme'),
        applicant_province: {
          type: 'string',
          maxLength: 3,
          pattern: '^[0-9]*$',
          description: 'Applicants’ province',
        },
        applicant_id: id('One applicant'),
        status: {
          type: 'string',
          array: true,
          enum: coFundingStatus.values,
          description: 'Statuses to include',
        },
        ...pagingQuery,
      },
      response: message(`${T}.ListCoFundingApplicationsResponse`, api.ListCoFundingApplicationsResponse),
      handler: ({ actor, query, request }) =>
        t.listCoFundingApplications(
          {
            programmeId: String(query.programme_id ?? ''),
            applicantProvince: String(query.applicant_province ?? ''),
            applicantEnterpriseId: String(query.applicant_id ?? ''),
            statuses: list(query.status).map(coFundingStatus.toProto),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
  ];
}
