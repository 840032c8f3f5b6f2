import { Events } from '@lienket/contracts';
import type { Demand, Scored, Supply } from '@lienket/matching';
import { isOpen, type Proposal, retractProposal } from '../domain/proposal';
import type { MatchmakingContext } from './context';
import { proposalToProto } from './to-proto';

const DAY = 86_400_000;

/**
 * The actions on registry events, run by one instance per event (the consumer group member that
 * owns the partition): a new posting is proposed to its best counterparts, a closed one retracts
 * its open proposals, an expired need nobody answered is recorded as unmet demand.
 */
export function makeProposeMatches(ctx: MatchmakingContext) {
  const { store, clock, settings, afterWrite, supplies, demands, event, party, changeProposal } = ctx;
  const { newId } = ctx.deps;

  function newProposal(
    demand: Demand,
    supply: Supply,
    match: Scored,
    triggeredBy: 'need' | 'capability',
    now: Date,
  ): Proposal {
    return {
      id: newId(),
      needId: demand.id,
      capabilityId: supply.id,
      buyerEnterpriseId: demand.enterpriseId,
      supplierEnterpriseId: supply.enterpriseId,
      buyerProvince: demand.province,
      supplierProvince: supply.province,
      score: match.score,
      components: match.components,
      reason: match.reason,
      reasonVi: match.reasonVi,
      status: 'proposed',
      buyerAcceptedAt: null,
      supplierAcceptedAt: null,
      declinedBy: '',
      declineReason: '',
      createdAt: now,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + settings.proposalTtlDays * DAY),
      hsCodes: [...new Set([...demand.hsCodes, ...supply.hsCodes])],
      vsicCodes: [...new Set([...demand.vsicCodes, ...supply.vsicCodes])],
      category: demand.category,
      triggeredBy,
      version: 1,
    };
  }

  /** Proposes each pair not proposed before, in one write (and one write of the parties' counts); how many. */
  async function propose(
    pairs: { demand: Demand; supply: Supply; match: Scored }[],
    triggeredBy: 'need' | 'capability',
    now: Date,
  ): Promise<number> {
    const inserted = await store.insertProposals(
      pairs.map(({ demand, supply, match }) => {
        const proposal = newProposal(demand, supply, match, triggeredBy, now);
        return {
          proposal,
          events: [event(Events.matchProposed, { proposal: proposalToProto(proposal) }, proposal.id, now)],
        };
      }),
    );
    await store.countReceived(inserted.flatMap((p) => [p.buyerEnterpriseId, p.supplierEnterpriseId]));
    return inserted.length;
  }

  async function demandUnmet(
    demand: Demand,
    reason: 'no_match_above_threshold' | 'expired_unmatched',
    now: Date,
  ) {
    const recorded = await store.recordDemandOutcome(
      `${demand.id}:${reason}`,
      { needId: demand.id, reason, at: now },
      [
        event(
          Events.demandUnmet,
          {
            needId: demand.id,
            enterpriseId: demand.enterpriseId,
            province: demand.province,
            hsCodes: demand.hsCodes,
            vsicCodes: demand.vsicCodes,
            category: demand.category,
            reason,
          },
          demand.id,
          now,
        ),
      ],
    );
    if (recorded) afterWrite();
  }

  async function retractOpen(field: 'needId' | 'capabilityId', postingId: string, reason: string) {
    for (const proposal of await store.openProposalsFor(field, postingId)) {
      await changeProposal(proposal.id, (current, now) =>
        isOpen(current)
          ? {
              next: retractProposal(current, now),
              events: [event(Events.matchRetracted, { proposalId: current.id, reason }, current.id, now)],
            }
          : undefined,
      );
    }
  }

  return {
    async needPosted(needId: string) {
      const demand = demands.get(needId);
      if (!demand) return 0; // closed again before we got to it
      const now = clock();
      const buyer = party(demand.enterpriseId, demand.province);
      const ranked = supplies.topK(demand, buyer, settings.k, settings.threshold, now);
      const created = await propose(
        ranked.map(({ supply, match }) => ({ demand, supply, match })),
        'need',
        now,
      );
      if (ranked.length === 0) await demandUnmet(demand, 'no_match_above_threshold', now);
      if (created > 0) afterWrite();
      return created;
    },
    async capabilityPosted(capabilityId: string) {
      const supply = supplies.get(capabilityId);
      if (!supply) return 0;
      const now = clock();
      const supplier = party(supply.enterpriseId, supply.province);
      const created = await propose(
        demands
          .topK(supply, supplier, settings.k, settings.threshold, now)
          .map(({ demand, match }) => ({ demand, supply, match })),
        'capability',
        now,
      );
      if (created > 0) afterWrite();
      return created;
    },
    retractForCapability: (id: string, reason: string) => retractOpen('capabilityId', id, reason),
    retractForNeed: (id: string, reason: string) => retractOpen('needId', id, reason),
    async needExpired(needId: string) {
      await retractOpen('needId', needId, 'need_expired');
      const established = await store.countProposals({ needId, status: 'established' });
      const projected = await store.findDemand(needId);
      if (established === 0 && projected) await demandUnmet(projected.demand, 'expired_unmatched', clock());
    },
  };
}
