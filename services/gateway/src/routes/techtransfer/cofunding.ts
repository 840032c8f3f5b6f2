import { techtransferServiceV1 as api, enumCodec, techtransferV1 as tt } from '@lienket/contracts';
import { list, message, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { id, parties, T, tag } from './shared';

const coFundingStatus = enumCodec<string>(tt.CoFundingStatus, 'CO_FUNDING_STATUS');

/** Co-funding applications against a programme: apply, approve or reject, disbursements. */
export function coFundingRoutes({ techtransfer: t }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/tech/cofunding-applications',
      operationId: 'applyForCoFunding',
      creates: { id: '/application/id', params: ['applicationId'] },
      unprocessable:
        "The agreement is not signed, the programme is closed, the applicant or the technology is not eligible, the amount is above the programme's share, cap or what is available, or the enterprise is not known (yet) to technology transfer",
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
      unprocessable:
        "The application is no longer awaiting a decision, or the programme's budget does not cover it",
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
      unprocessable: 'The application is no longer awaiting a decision',
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
      unprocessable: 'The application is not approved, or the amount exceeds what remains to pay',
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
