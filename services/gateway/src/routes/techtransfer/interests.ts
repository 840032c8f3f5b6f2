import { techtransferServiceV1 as api, enumCodec, techtransferV1 as tt } from '@lienket/contracts';
import { list, message, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { id, parties, T, tag } from './shared';

const interestStatus = enumCodec<string>(tt.InterestStatus, 'INTEREST_STATUS');

/** Expressions of interest and the negotiation that follows: messages, agreement terms, signature. */
export function interestRoutes({ techtransfer: t }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/tech/interests',
      operationId: 'expressInterest',
      creates: { id: '/interest/id', params: ['interestId'] },
      unprocessable:
        "The offer is not published or is past its date, it is the caller's own, or the enterprise is not known (yet) to technology transfer",
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
        unprocessable: 'The expression of interest is no longer pending',
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
      unprocessable: 'The expression of interest is no longer pending',
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
      unprocessable: 'The negotiation is not open',
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
      unprocessable: 'The negotiation is not open, or startDate is more than a year ago',
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
      unprocessable:
        'The negotiation is not open, no terms are proposed, they changed since agreementId was read, or the caller proposed them',
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
      unprocessable: 'The negotiation is not open',
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
      unprocessable:
        'An officer or an enterprise names neither enterprise_id nor offer_id (only admins list every interest)',
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
  ];
}
