import { Events } from '@lienket/contracts/messages';
import { mergeDemandReport, mergeProposalChange, type ProposalAttributes } from '../facts';
import { placeOf, sectorsOf } from '../places';
import { type FactRule, rule, update } from './fact-update';
import { postingOf } from './registry';

function proposalAttributes(p: {
  needId: string;
  capabilityId: string;
  buyerEnterpriseId: string;
  supplierEnterpriseId: string;
  buyerProvince: string;
  supplierProvince: string;
  vsicCodes: string[];
  hsCodes: string[];
  category: string;
}): ProposalAttributes {
  const buyer = placeOf(p.buyerProvince);
  const supplier = placeOf(p.supplierProvince);
  return {
    needId: p.needId,
    capabilityId: p.capabilityId,
    buyerEnterpriseId: p.buyerEnterpriseId,
    supplierEnterpriseId: p.supplierEnterpriseId,
    buyerProvince: buyer.province,
    buyerRegion: buyer.region,
    supplierProvince: supplier.province,
    supplierRegion: supplier.region,
    category: p.category,
    ...sectorsOf(p.vsicCodes, p.hsCodes),
  };
}

/** How matchmaking's proposal and demand events merge into facts. */
export const matchmakingRules: readonly FactRule[] = [
  // matchmaking: proposals
  rule(Events.matchProposed, (p, at) => {
    const pr = p.proposal;
    if (!pr) return [];
    const attributes = proposalAttributes(pr);
    return update('proposal', pr.id, (f) => mergeProposalChange(f, { kind: 'proposed', attributes, at }));
  }),
  rule(Events.matchAccepted, (p, at) =>
    update('proposal', p.proposalId, (f) => mergeProposalChange(f, { kind: 'accepted', side: p.side, at })),
  ),
  rule(Events.matchDeclined, (p, at) =>
    update('proposal', p.proposalId, (f) => mergeProposalChange(f, { kind: 'declined', at })),
  ),
  rule(Events.matchExpired, (p, at) =>
    update('proposal', p.proposalId, (f) => mergeProposalChange(f, { kind: 'expired', at })),
  ),
  rule(Events.matchRetracted, (p, at) =>
    update('proposal', p.proposalId, (f) => mergeProposalChange(f, { kind: 'retracted', at })),
  ),
  rule(Events.linkageEstablished, (p, at) => {
    const attributes = proposalAttributes(p);
    return update('proposal', p.proposalId, (f) =>
      mergeProposalChange(f, { kind: 'established', attributes, at }),
    );
  }),

  // matchmaking: demand
  rule(Events.demandUnmet, (p, at) => {
    const attributes = postingOf(p.enterpriseId, p.province, p.vsicCodes, p.hsCodes);
    return update('demand', p.needId, (f) =>
      mergeDemandReport(f, { attributes, category: p.category, reason: p.reason || 'unspecified', at }),
    );
  }),
];
