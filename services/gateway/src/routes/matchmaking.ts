import { enumCodec, matchmakingV1, matchmakingServiceV1 as mm } from '@lienket/contracts';
import { list, message, type ParamSpec, pageOf, pagingQuery, route } from '../http/api';
import { callAs, type ServiceClients } from './clients';

const M = 'lienket.matchmaking.v1';
const status = enumCodec<string>(matchmakingV1.ProposalStatus, 'PROPOSAL_STATUS');
const id = (description: string): ParamSpec => ({
  type: 'string',
  description,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});
const ranking: Record<string, ParamSpec> = {
  limit: { type: 'integer', minimum: 1, maximum: 100, description: 'At most this many (default 10)' },
  min_score: { type: 'number', minimum: 0, maximum: 1, description: 'Leave out candidates scoring below' },
};

export function matchmakingRoutes({ matchmaking }: ServiceClients) {
  return [
    route({
      method: 'get',
      path: '/v1/needs/:needId/matches',
      operationId: 'findMatchesForNeed',
      summary: 'Capabilities that fit an open need, ranked and explained (nothing is proposed)',
      tag: 'matchmaking',
      callers: ['enterprise', 'province', 'admin'],
      params: { needId: id('Need id') },
      query: ranking,
      response: message(`${M}.FindMatchesForNeedResponse`, mm.FindMatchesForNeedResponse),
      handler: ({ actor, params, query, request }) =>
        matchmaking.findMatchesForNeed(
          {
            needId: params.needId ?? '',
            limit: Number(query.limit ?? 10),
            minScore: Number(query.min_score ?? 0),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/capabilities/:capabilityId/matches',
      operationId: 'findNeedsForCapability',
      summary: 'Open needs a capability fits, ranked and explained',
      tag: 'matchmaking',
      callers: ['enterprise', 'province', 'admin'],
      params: { capabilityId: id('Capability id') },
      query: ranking,
      response: message(`${M}.FindNeedsForCapabilityResponse`, mm.FindNeedsForCapabilityResponse),
      handler: ({ actor, params, query, request }) =>
        matchmaking.findNeedsForCapability(
          {
            capabilityId: params.capabilityId ?? '',
            limit: Number(query.limit ?? 10),
            minScore: Number(query.min_score ?? 0),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/matches/explanation',
      operationId: 'explainMatch',
      summary: 'Why a need and a capability match, or which hard filters say why not',
      tag: 'matchmaking',
      callers: ['enterprise', 'province', 'admin'],
      query: {
        need_id: { ...id('Need id'), required: true },
        capability_id: { ...id('Capability id'), required: true },
      },
      response: message(`${M}.ExplainMatchResponse`, mm.ExplainMatchResponse),
      handler: ({ actor, query, request }) =>
        matchmaking.explainMatch(
          { needId: String(query.need_id), capabilityId: String(query.capability_id) },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/proposals',
      operationId: 'listProposals',
      summary: 'An enterprise’s proposals (its own), or a province’s (its officers)',
      tag: 'matchmaking',
      callers: ['enterprise', 'province', 'admin'],
      query: {
        enterprise_id: id('The enterprise (an enterprise caller: itself)'),
        province_code: {
          type: 'string',
          maxLength: 3,
          pattern: '^[0-9]*$',
          description: 'The province (an officer: its own)',
        },
        status: { type: 'string', array: true, enum: status.values, description: 'Statuses to include' },
        ...pagingQuery,
      },
      response: message(`${M}.ListProposalsResponse`, mm.ListProposalsResponse),
      handler: ({ actor, query, request }) =>
        matchmaking.listProposals(
          {
            enterpriseId: String(
              query.enterprise_id ?? (actor.role === 'enterprise' ? actor.enterpriseId : ''),
            ),
            provinceCode: String(
              query.province_code ?? (actor.role === 'province' ? actor.provinceCode : ''),
            ),
            statuses: list(query.status).map(status.toProto),
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
    route({
      method: 'get',
      path: '/v1/proposals/:proposalId',
      operationId: 'getProposal',
      summary: 'A proposal with its score components and reason',
      tag: 'matchmaking',
      callers: ['enterprise', 'province', 'admin'],
      params: { proposalId: id('Proposal id') },
      response: message(`${M}.GetProposalResponse`, mm.GetProposalResponse),
      handler: ({ actor, params, request }) =>
        matchmaking.getProposal({ proposalId: params.proposalId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/proposals/:proposalId/acceptance',
      operationId: 'acceptProposal',
      unprocessable: 'The proposal is no longer open',
      summary: 'Accept for one side; when both have, the linkage is established and contacts released',
      tag: 'matchmaking',
      callers: ['enterprise'],
      params: { proposalId: id('Proposal id') },
      response: message(`${M}.AcceptProposalResponse`, mm.AcceptProposalResponse),
      handler: ({ actor, params, request }) =>
        matchmaking.acceptProposal({ proposalId: params.proposalId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/proposals/:proposalId/decline',
      operationId: 'declineProposal',
      unprocessable: 'The proposal is no longer open',
      summary: 'Decline a proposal, with a reason',
      tag: 'matchmaking',
      callers: ['enterprise'],
      params: { proposalId: id('Proposal id') },
      body: message(`${M}.DeclineProposalRequest`, mm.DeclineProposalRequest),
      response: message(`${M}.DeclineProposalResponse`, mm.DeclineProposalResponse),
      handler: ({ actor, params, body, request }) =>
        matchmaking.declineProposal({ ...body, proposalId: params.proposalId ?? '' }, callAs(actor, request)),
    }),
  ];
}
