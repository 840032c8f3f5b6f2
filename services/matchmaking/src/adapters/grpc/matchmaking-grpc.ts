import { matchmakingServiceV1 as api, matchmakingV1 } from '@lienket/contracts';
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
import { type Matchmaking, proposalToProto } from '../../app/matchmaking';
import type { ProposalStatus } from '../../domain/proposal';

export const MATCHMAKING_SERVICE_NAME = 'lienket.matchmaking.v1.MatchmakingService';

const statusFromProto: Record<number, ProposalStatus> = {
  [matchmakingV1.ProposalStatus.PROPOSAL_STATUS_PROPOSED]: 'proposed',
  [matchmakingV1.ProposalStatus.PROPOSAL_STATUS_ACCEPTED_BY_ONE]: 'accepted_by_one',
  [matchmakingV1.ProposalStatus.PROPOSAL_STATUS_ESTABLISHED]: 'established',
  [matchmakingV1.ProposalStatus.PROPOSAL_STATUS_DECLINED]: 'declined',
  [matchmakingV1.ProposalStatus.PROPOSAL_STATUS_EXPIRED]: 'expired',
  [matchmakingV1.ProposalStatus.PROPOSAL_STATUS_RETRACTED]: 'retracted',
};

function checkLimits(limit: number, minScore: number) {
  if (limit < 0 || limit > 100 || minScore < 0 || minScore > 1) {
    throw new AppError('INVALID_ARGUMENT', 'limit must be 0..100 and min_score 0..1', {
      messageVi: 'limit phải từ 0 đến 100 và min_score từ 0 đến 1',
      violations: [
        {
          field: 'limit',
          reason: 'out_of_range',
          description: 'limit must be 0..100',
          descriptionVi: 'limit từ 0 đến 100',
        },
      ],
    });
  }
}

export function makeMatchmakingGrpc({
  matchmaking,
  log,
}: {
  matchmaking: Matchmaking;
  log: Logger;
}): ServiceBinding {
  const handlers: AsyncHandlers<typeof api.MatchmakingServiceService> = {
    async findMatchesForNeed(request) {
      checkLimits(request.limit, request.minScore);
      return { candidates: matchmaking.findMatchesForNeed(request.needId, request.limit, request.minScore) };
    },
    async findNeedsForCapability(request) {
      checkLimits(request.limit, request.minScore);
      return {
        candidates: matchmaking.findNeedsForCapability(request.capabilityId, request.limit, request.minScore),
      };
    },
    async explainMatch(request) {
      return matchmaking.explain(request.needId, request.capabilityId);
    },
    async listProposals(request, { metadata }) {
      const result = await matchmaking.listProposals(actorFrom(metadata), {
        enterpriseId: request.enterpriseId,
        provinceCode: request.provinceCode,
        statuses: request.statuses.flatMap((s) => statusFromProto[s] ?? []),
        cursor: decodePageToken(request.page?.pageToken ?? ''),
        size: request.page?.pageSize ?? 0,
      });
      return {
        proposals: result.items.map(proposalToProto),
        page: { nextPageToken: encodePageToken(result.nextCursor), totalSize: result.total },
      };
    },
    async getProposal(request, { metadata }) {
      return {
        proposal: proposalToProto(await matchmaking.getProposal(actorFrom(metadata), request.proposalId)),
      };
    },
    async acceptProposal(request, { metadata }) {
      return { proposal: proposalToProto(await matchmaking.accept(actorFrom(metadata), request.proposalId)) };
    },
    async declineProposal(request, { metadata }) {
      return {
        proposal: proposalToProto(
          await matchmaking.decline(actorFrom(metadata), request.proposalId, request.reason),
        ),
      };
    },
  };
  return bindService(MATCHMAKING_SERVICE_NAME, api.MatchmakingServiceService, handlers, log);
}
