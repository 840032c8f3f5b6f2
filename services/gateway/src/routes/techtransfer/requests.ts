import { techtransferServiceV1 as api } from '@lienket/contracts';
import { list, message, optionalBool, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { id, parties, signedIn, T, tag } from './shared';

/** Technology requests and the offers ranked for them. */
export function requestRoutes({ techtransfer: t }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/tech/requests',
      operationId: 'postTechRequest',
      creates: { id: '/request/id', params: ['requestId'] },
      unprocessable:
        "validUntil is not in the future or is more than 730 days ahead, a budget's minimum exceeds its maximum, or the requester is not known (yet) to technology transfer",
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
      unprocessable: 'The request is not open, or it follows a registry need (close the need instead)',
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
  ];
}
