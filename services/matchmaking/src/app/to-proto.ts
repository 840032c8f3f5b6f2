import type { matchmakingV1 } from '@lienket/contracts';
import type { Component } from '@lienket/matching';
import type { Proposal, ProposalStatus } from '../domain/proposal';

export const componentsToProto = (components: Component[]): matchmakingV1.ScoreComponent[] =>
  components.map((c) => ({ ...c }));

export function proposalToProto(p: Proposal): matchmakingV1.Proposal {
  const status: Record<ProposalStatus, matchmakingV1.ProposalStatus> = {
    proposed: 1,
    accepted_by_one: 2,
    established: 3,
    declined: 4,
    expired: 5,
    retracted: 6,
  };
  return {
    id: p.id,
    needId: p.needId,
    capabilityId: p.capabilityId,
    buyerEnterpriseId: p.buyerEnterpriseId,
    supplierEnterpriseId: p.supplierEnterpriseId,
    buyerProvince: p.buyerProvince,
    supplierProvince: p.supplierProvince,
    score: p.score,
    components: p.components,
    reason: p.reason,
    reasonVi: p.reasonVi,
    status: status[p.status],
    buyerAcceptedAt: p.buyerAcceptedAt ?? undefined,
    supplierAcceptedAt: p.supplierAcceptedAt ?? undefined,
    declinedBy: p.declinedBy,
    declineReason: p.declineReason,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    expiresAt: p.expiresAt,
    hsCodes: p.hsCodes,
    vsicCodes: p.vsicCodes,
    category: p.category,
    triggeredBy: p.triggeredBy,
  };
}
