import { programmeServiceV1 as api } from '@lienket/contracts';
import { list, message, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import {
  id,
  managers,
  P,
  provinceQuery,
  schemeReaders,
  schemeStatus,
  supportLine,
  tag,
  yearQuery,
} from './shared';

const schemeId = { schemeId: id('Scheme id') };
const GetSchemeResponse = message(`${P}.GetSchemeResponse`, api.GetSchemeResponse);

/**
 * A scheme's life (đề án khuyến công): proposed by an establishment or a centre, appraised and
 * approved or rejected by its province's centre (the ministry for national money), contracted,
 * implemented with milestones and disbursements, accepted with outcomes, settled; or withdrawn or
 * cancelled. The service enforces who may do each step and answers every refusal with field errors.
 */
export function schemeRoutes({ programme: p }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/programme/schemes',
      operationId: 'proposeScheme',
      creates: { id: '/scheme/schemeId', params: ['schemeId'] },
      unprocessable:
        "The money does not add up (cost = state + counterpart + sponsors), the state share is above the support line's cap or the counterpart below its share, the beneficiary's kind may not apply, the province or site is not the proposer's, or the line has no rule for the year and source",
      summary: 'Propose a scheme (an establishment for itself, a centre for its province)',
      tag,
      callers: ['enterprise', 'province'],
      body: message(`${P}.ProposeSchemeRequest`, api.ProposeSchemeRequest),
      response: message(`${P}.ProposeSchemeResponse`, api.ProposeSchemeResponse),
      status: 201,
      handler: ({ actor, body, request }) => p.proposeScheme(body, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/programme/schemes',
      operationId: 'listSchemes',
      summary: 'Schemes (an establishment: its own; an officer: its province’s; the ministry: all)',
      tag,
      callers: schemeReaders,
      query: {
        province: provinceQuery('One province'),
        year: yearQuery('One plan year'),
        line: { type: 'string', enum: supportLine.values, description: 'One support line' },
        status: {
          type: 'string',
          array: true,
          enum: schemeStatus.values,
          description: 'Statuses to include',
        },
        beneficiary_id: id('One beneficiary enterprise'),
        ...pagingQuery,
      },
      response: message(`${P}.ListSchemesResponse`, api.ListSchemesResponse),
      handler: ({ actor, query, request }) =>
        p.listSchemes(
          {
            province: String(query.province ?? ''),
            year: Number(query.year ?? 0),
            line: query.line === undefined ? 0 : supportLine.toProto(String(query.line)),
            statuses: list(query.status).map(schemeStatus.toProto),
            beneficiaryEnterpriseId: String(query.beneficiary_id ?? ''),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/programme/schemes/:schemeId',
      operationId: 'getScheme',
      summary: 'A scheme with its funding mix, appraisal, milestones, disbursements and pledges',
      tag,
      callers: schemeReaders,
      params: schemeId,
      response: GetSchemeResponse,
      handler: ({ actor, params, request }) =>
        p.getScheme({ schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/appraisal',
      operationId: 'appraiseScheme',
      unprocessable:
        'The scheme is not awaiting appraisal, or it is marked passed while an item of its checklist failed',
      summary: 'Appraise (the province’s centre): checklist, score and reasons; a failed appraisal rejects',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.AppraiseSchemeRequest`, api.AppraiseSchemeRequest),
      response: message(`${P}.AppraiseSchemeResponse`, api.AppraiseSchemeResponse),
      handler: ({ actor, params, body, request }) =>
        p.appraiseScheme({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/approval',
      operationId: 'approveScheme',
      unprocessable:
        'The scheme is not appraised, or its state share does not fit what is left of the budget (INSUFFICIENT_BUDGET)',
      summary: 'Approve into the year’s plan, reserving the state share on its budget (never below zero)',
      tag,
      callers: managers,
      params: schemeId,
      response: message(`${P}.ApproveSchemeResponse`, api.ApproveSchemeResponse),
      handler: ({ actor, params, request }) =>
        p.approveScheme({ schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/rejection',
      operationId: 'rejectScheme',
      unprocessable: 'The scheme is no longer awaiting a decision',
      summary: 'Reject, with a reason',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.RejectSchemeRequest`, api.RejectSchemeRequest),
      response: message(`${P}.RejectSchemeResponse`, api.RejectSchemeResponse),
      handler: ({ actor, params, body, request }) =>
        p.rejectScheme({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/withdrawal',
      operationId: 'withdrawScheme',
      unprocessable: 'The scheme is already approved or closed',
      summary: 'Withdraw a proposal (its proposer) before approval',
      tag,
      callers: ['enterprise', 'province'],
      params: schemeId,
      response: message(`${P}.WithdrawSchemeResponse`, api.WithdrawSchemeResponse),
      handler: ({ actor, params, request }) =>
        p.withdrawScheme({ schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/contract',
      operationId: 'contractScheme',
      unprocessable: 'The scheme is not approved',
      summary: 'Record the signed contract',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.ContractSchemeRequest`, api.ContractSchemeRequest),
      response: message(`${P}.ContractSchemeResponse`, api.ContractSchemeResponse),
      handler: ({ actor, params, body, request }) =>
        p.contractScheme({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/milestones',
      operationId: 'recordSchemeMilestone',
      unprocessable: 'The scheme is not contracted or implementing',
      summary: 'Record a milestone with its evidence (the same milestone id again changes nothing)',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.RecordMilestoneRequest`, api.RecordMilestoneRequest),
      response: message(`${P}.RecordMilestoneResponse`, api.RecordMilestoneResponse),
      handler: ({ actor, params, body, request }) =>
        p.recordMilestone({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/disbursements',
      operationId: 'recordSchemeDisbursement',
      unprocessable:
        'The scheme is not contracted or implementing, or the amount is above what remains of that source’s share',
      summary:
        'Record a payment of the state or the counterpart share (the same reference twice counts once)',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.RecordDisbursementRequest`, api.RecordDisbursementRequest),
      response: message(`${P}.RecordDisbursementResponse`, api.RecordDisbursementResponse),
      handler: ({ actor, params, body, request }) =>
        p.recordDisbursement({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/acceptance',
      operationId: 'acceptScheme',
      unprocessable: 'The scheme is not implementing, or it has no milestone yet',
      summary: 'Accept (nghiệm thu) with measured outcomes; a treatment scheme changes its site’s state',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.AcceptSchemeRequest`, api.AcceptSchemeRequest),
      response: message(`${P}.AcceptSchemeResponse`, api.AcceptSchemeResponse),
      handler: ({ actor, params, body, request }) =>
        p.acceptScheme({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/settlement',
      operationId: 'settleScheme',
      unprocessable:
        'The scheme is not accepted, or what was disbursed and received does not add up to its funding mix',
      summary: 'Settle (quyết toán) an accepted scheme',
      tag,
      callers: managers,
      params: schemeId,
      response: message(`${P}.SettleSchemeResponse`, api.SettleSchemeResponse),
      handler: ({ actor, params, request }) =>
        p.settleScheme({ schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/schemes/:schemeId/cancellation',
      operationId: 'cancelScheme',
      unprocessable: 'The scheme is not approved, contracted or implementing',
      summary: 'Cancel an approved scheme, with a reason (its reserved state share returns to the budget)',
      tag,
      callers: managers,
      params: schemeId,
      body: message(`${P}.CancelSchemeRequest`, api.CancelSchemeRequest),
      response: message(`${P}.CancelSchemeResponse`, api.CancelSchemeResponse),
      handler: ({ actor, params, body, request }) =>
        p.cancelScheme({ ...body, schemeId: params.schemeId ?? '' }, callAs(actor, request)),
    }),
  ];
}
