import { insightsServiceV1 as api, enumCodec, insightsV1, responseToCsv } from '@lienket/contracts';
import { message, type ParamSpec, route } from '../http/api';
import { province } from '../http/constraints/shapes';
import { callAs, type ServiceClients } from './clients';

/** A current or pre-2025 province code (the insights resolve the latter). */
const provincePattern = province.pattern as string;

const I = 'lienket.insights.v1';
const dimension = enumCodec<string>(insightsV1.Dimension, 'DIMENSION');
const tag = 'insights';
/** Aggregates carry no contact data: everyone may read them. */
const everyone = ['anonymous', 'enterprise', 'province', 'analyst', 'admin'] as const;
const month = (description: string): ParamSpec => ({
  type: 'string',
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
  maxLength: 7,
  description,
});
const filterQuery: Record<string, ParamSpec> = {
  from: month('First month counted, YYYY-MM (Vietnam time)'),
  to: month('Last month counted, YYYY-MM; stock figures are taken at its end'),
  vsic_prefix: {
    type: 'string',
    maxLength: 5,
    pattern: '^([A-U]|[0-9]{2,5})$',
    description: 'VSIC section letter or code prefix',
  },
  hs_prefix: { type: 'string', maxLength: 8, pattern: '^[0-9]{2,8}$', description: 'HS code prefix' },
  province: { type: 'string', maxLength: 2, pattern: provincePattern, description: 'Province code' },
  region: { type: 'string', enum: ['NMM', 'RRD', 'NCC', 'CH', 'SE', 'MD'], description: 'Region code' },
  category: {
    type: 'string',
    enum: ['material', 'component', 'outsourcing', 'equipment', 'technology', 'service'],
    description: 'Need category (needs, proposals, linkages, unmet demand)',
  },
  format: { type: 'string', enum: ['json', 'csv'], description: 'csv: the rows as RFC 4180 CSV' },
};
const withDimension: Record<string, ParamSpec> = {
  ...filterQuery,
  dimension: { type: 'string', enum: dimension.values, description: 'How rows are keyed (default province)' },
};
const filterOf = (query: Record<string, unknown>): insightsV1.Filter => ({
  fromMonth: String(query.from ?? ''),
  toMonth: String(query.to ?? ''),
  vsicPrefix: String(query.vsic_prefix ?? ''),
  hsPrefix: String(query.hs_prefix ?? ''),
  province: String(query.province ?? ''),
  region: String(query.region ?? ''),
  category: String(query.category ?? ''),
});
const dimensionOf = (query: Record<string, unknown>) =>
  dimension.toProto(String(query.dimension ?? 'province'));

export function insightsRoutes({ insights }: ServiceClients) {
  return [
    route({
      method: 'get',
      path: '/v1/insights/linkage-matrix',
      operationId: 'getLinkageMatrix',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Buyer province × supplier province: linkages established in the period',
      tag,
      callers: everyone,
      query: filterQuery,
      response: message(`${I}.GetLinkageMatrixResponse`, api.GetLinkageMatrixResponse),
      csv: (r) => responseToCsv(r, insightsV1.LinkageCell),
      handler: ({ actor, query, request }) =>
        insights.getLinkageMatrix({ filter: filterOf(query) }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/insights/proposal-matrix',
      operationId: 'getProposalMatrix',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Buyer province × supplier province: proposals, outcomes and acceptance rates',
      tag,
      callers: everyone,
      query: filterQuery,
      response: message(`${I}.GetProposalMatrixResponse`, api.GetProposalMatrixResponse),
      csv: (r) => responseToCsv(r, insightsV1.ProposalCell),
      handler: ({ actor, query, request }) =>
        insights.getProposalMatrix({ filter: filterOf(query) }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/insights/open-postings',
      operationId: 'getOpenPostings',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Open needs and capabilities by province, region or sector, with the period’s flows',
      tag,
      callers: everyone,
      query: withDimension,
      response: message(`${I}.GetOpenPostingsResponse`, api.GetOpenPostingsResponse),
      csv: (r) => responseToCsv(r, insightsV1.PostingsRow),
      handler: ({ actor, query, request }) =>
        insights.getOpenPostings(
          { filter: filterOf(query), dimension: dimensionOf(query) },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/insights/funnel',
      operationId: 'getFunnel',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Proposed → accepted by one side → established',
      tag,
      callers: everyone,
      query: withDimension,
      response: message(`${I}.GetFunnelResponse`, api.GetFunnelResponse),
      csv: (r) => responseToCsv(r, insightsV1.FunnelRow),
      handler: ({ actor, query, request }) =>
        insights.getFunnel(
          { filter: filterOf(query), dimension: dimensionOf(query) },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/insights/unmet-demand',
      operationId: 'getUnmetDemand',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Needs nothing fitted: the programme’s planning signal',
      tag,
      callers: everyone,
      query: withDimension,
      response: message(`${I}.GetUnmetDemandResponse`, api.GetUnmetDemandResponse),
      csv: (r) => responseToCsv(r, insightsV1.UnmetDemandRow),
      handler: ({ actor, query, request }) =>
        insights.getUnmetDemand(
          { filter: filterOf(query), dimension: dimensionOf(query) },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/insights/tech-transfer-uptake',
      operationId: 'getTechTransferUptake',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Offers, requests, interests, agreements and co-funding by province or sector',
      tag,
      callers: everyone,
      query: {
        ...withDimension,
        cleaner_only: {
          type: 'boolean',
          description: 'Only cleaner-production and pollution-treatment technology',
        },
      },
      response: message(`${I}.GetTechTransferUptakeResponse`, api.GetTechTransferUptakeResponse),
      csv: (r) => responseToCsv(r, insightsV1.UptakeRow),
      handler: ({ actor, query, request }) =>
        insights.getTechTransferUptake(
          {
            filter: filterOf(query),
            dimension: dimensionOf(query),
            cleanerOnly: query.cleaner_only === true,
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/insights/lead-firms',
      operationId: 'getLeadFirms',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Enterprises with the most established linkages',
      tag,
      callers: everyone,
      query: {
        ...filterQuery,
        limit: { type: 'integer', minimum: 1, maximum: 200, description: 'At most (default 20)' },
      },
      response: message(`${I}.GetLeadFirmsResponse`, api.GetLeadFirmsResponse),
      csv: (r) => responseToCsv(r, insightsV1.LeadFirmRow),
      handler: ({ actor, query, request }) =>
        insights.getLeadFirms(
          { filter: filterOf(query), limit: Number(query.limit ?? 20) },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/insights/regional-share',
      operationId: 'getRegionalShare',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary: 'Intra-region and cross-region shares of established linkages',
      tag,
      callers: everyone,
      query: filterQuery,
      response: message(`${I}.GetRegionalShareResponse`, api.GetRegionalShareResponse),
      csv: (r) => responseToCsv(r, insightsV1.RegionalShareRow),
      handler: ({ actor, query, request }) =>
        insights.getRegionalShare({ filter: filterOf(query) }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/insights/provinces/:province',
      operationId: 'getProvinceSummary',
      unprocessable: 'The period is reversed: to is before from (a rule across two parameters)',
      summary:
        'Everything about one province: postings, linkages and partners, unmet demand, uptake, lead firms',
      tag,
      callers: everyone,
      params: {
        province: { type: 'string', maxLength: 2, pattern: provincePattern, description: 'Province code' },
      },
      query: {
        ...filterQuery,
        lead_firms: {
          type: 'integer',
          minimum: 1,
          maximum: 200,
          description: 'Lead firms listed (default 10)',
        },
      },
      response: message(`${I}.GetProvinceSummaryResponse`, api.GetProvinceSummaryResponse),
      csv: (r) => responseToCsv(r, insightsV1.SummaryRow),
      handler: ({ actor, params, query, request }) =>
        insights.getProvinceSummary(
          {
            province: params.province ?? '',
            filter: { ...filterOf(query), province: '' },
            leadFirmsLimit: Number(query.lead_firms ?? 10),
          },
          callAs(actor, request),
        ),
    }),
  ];
}
