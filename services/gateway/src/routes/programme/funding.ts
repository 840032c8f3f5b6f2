import { programmeServiceV1 as api } from '@lienket/contracts';
import { message, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { fundingSource, id, managers, P, provinceQuery, signedIn, tag, yearQuery } from './shared';

/** The money around schemes: support-line rules, budgets, sponsors' pledges, plans and their progress. */
export function fundingRoutes({ programme: p }: ServiceClients) {
  return [
    route({
      method: 'get',
      path: '/v1/programme/support-lines',
      operationId: 'listSupportLineRules',
      summary:
        'The support lines’ rules of a year and funding source: what each funds, cap, counterpart share, who may apply',
      tag,
      callers: signedIn,
      query: {
        year: yearQuery('The plan year', true),
        source: { type: 'string', enum: fundingSource.values, required: true, description: 'Funding source' },
      },
      response: message(`${P}.ListSupportLineRulesResponse`, api.ListSupportLineRulesResponse),
      handler: ({ actor, query, request }) =>
        p.listSupportLineRules(
          { year: Number(query.year), source: fundingSource.toProto(String(query.source)) },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'put',
      path: '/v1/programme/budgets',
      operationId: 'setProgrammeBudget',
      unprocessable: 'The total is below what is already committed',
      summary: 'Set a year’s budget: national (the ministry) or a province’s (its centre)',
      tag,
      callers: managers,
      body: message(`${P}.SetBudgetRequest`, api.SetBudgetRequest),
      response: message(`${P}.SetBudgetResponse`, api.SetBudgetResponse),
      handler: ({ actor, body, request }) => p.setBudget(body, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/programme/budgets',
      operationId: 'getProgrammeBudget',
      summary: 'A year’s budget with what is committed and available',
      tag,
      callers: managers,
      query: {
        year: yearQuery('The plan year', true),
        source: { type: 'string', enum: fundingSource.values, required: true, description: 'Funding source' },
        province: provinceQuery('The province (empty for the national budget)'),
      },
      response: message(`${P}.GetBudgetResponse`, api.GetBudgetResponse),
      handler: ({ actor, query, request }) =>
        p.getBudget(
          {
            year: Number(query.year),
            source: fundingSource.toProto(String(query.source)),
            province: String(query.province ?? ''),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/programme/pledges',
      operationId: 'makePledge',
      creates: { id: '/pledge/pledgeId', params: ['pledgeId'] },
      unprocessable:
        'The pledge names not exactly one target (a scheme, a support line or a province), or the scheme is closed or outside the officer’s province',
      summary: 'Record a sponsor’s pledge to a scheme, a support line or a province',
      tag,
      callers: managers,
      body: message(`${P}.MakePledgeRequest`, api.MakePledgeRequest),
      response: message(`${P}.MakePledgeResponse`, api.MakePledgeResponse),
      status: 201,
      handler: ({ actor, body, request }) => p.makePledge(body, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/programme/pledges',
      operationId: 'listPledges',
      summary: 'Pledges, by sponsor, province or scheme',
      tag,
      callers: managers,
      query: {
        sponsor_id: id('One sponsor'),
        province: provinceQuery('One province'),
        scheme_id: id('One scheme'),
        ...pagingQuery,
      },
      response: message(`${P}.ListPledgesResponse`, api.ListPledgesResponse),
      handler: ({ actor, query, request }) =>
        p.listPledges(
          {
            sponsorId: String(query.sponsor_id ?? ''),
            province: String(query.province ?? ''),
            schemeId: String(query.scheme_id ?? ''),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'post',
      path: '/v1/programme/pledges/:pledgeId/match',
      operationId: 'matchPledge',
      unprocessable:
        'The pledge is already matched or withdrawn, the scheme is outside its target or closed, or the amount is above the scheme’s sponsor share still open',
      summary: 'Match a pledge to a scheme in its target',
      tag,
      callers: managers,
      params: { pledgeId: id('Pledge id') },
      body: message(`${P}.MatchPledgeRequest`, api.MatchPledgeRequest),
      response: message(`${P}.MatchPledgeResponse`, api.MatchPledgeResponse),
      handler: ({ actor, params, body, request }) =>
        p.matchPledge({ ...body, pledgeId: params.pledgeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/programme/pledges/:pledgeId/receipt',
      operationId: 'receivePledge',
      unprocessable: 'The pledge is withdrawn',
      summary: 'Record that a pledge’s money was received',
      tag,
      callers: managers,
      params: { pledgeId: id('Pledge id') },
      response: message(`${P}.ReceivePledgeResponse`, api.ReceivePledgeResponse),
      handler: ({ actor, params, request }) =>
        p.receivePledge({ pledgeId: params.pledgeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'put',
      path: '/v1/programme/plans',
      operationId: 'setProgrammePlan',
      unprocessable: 'A support line is named twice',
      summary:
        'Set a year’s plan by support line, with targets (a province’s centre; the ministry the national plan)',
      tag,
      callers: managers,
      body: message(`${P}.SetPlanRequest`, api.SetPlanRequest),
      response: message(`${P}.SetPlanResponse`, api.SetPlanResponse),
      handler: ({ actor, body, request }) => p.setPlan(body, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/programme/plans',
      operationId: 'getPlanProgress',
      summary: 'A year’s plan (a province’s, or the national one) with the progress by support line',
      tag,
      callers: signedIn,
      query: {
        year: yearQuery('The plan year', true),
        province: provinceQuery('The province (empty for the national plan)'),
      },
      response: message(`${P}.GetPlanProgressResponse`, api.GetPlanProgressResponse),
      handler: ({ actor, query, request }) =>
        p.getPlanProgress(
          { year: Number(query.year), province: String(query.province ?? '') },
          callAs(actor, request),
        ),
    }),
  ];
}
