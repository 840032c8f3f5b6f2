import { Events } from '@lienket/contracts';
import type { Demand, Scored, Supply } from '@lienket/matching';
import { isOpen, type Proposal, retractProposal } from '../domain/proposal';
import type { MatchmakingContext } from './context';
import { proposalToProto } from './to-proto';

const DAY = 86_400_000;

type PostingAction =
  | { kind: 'needPosted'; needId: string }
  | { kind: 'capabilityPosted'; capabilityId: string };

/** What a registry event asks of the action consumer. */
export type RegistryAction =
  | PostingAction
  | { kind: 'capabilityClosed'; capabilityId: string; reason: string }
  | { kind: 'needClosed'; needId: string; reason: string }
  | { kind: 'needExpired'; needId: string };

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

  /** Proposes each pair not proposed before, in one write; how many. */
  async function propose(
    pairs: { demand: Demand; supply: Supply; match: Scored; triggeredBy: 'need' | 'capability' }[],
    now: Date,
  ): Promise<number> {
    const inserted = await store.insertProposals(
      pairs.map(({ demand, supply, match, triggeredBy }) => {
        const proposal = newProposal(demand, supply, match, triggeredBy, now);
        return {
          proposal,
          events: [event(Events.matchProposed, { proposal: proposalToProto(proposal) }, proposal.id, now)],
        };
      }),
    );
    return inserted.length;
  }

  /** Unmet demand recorded once per need and reason, in one write; how many were new. */
  async function demandUnmet(
    unmet: readonly Demand[],
    reason: 'no_match_above_threshold' | 'expired_unmatched',
    now: Date,
  ) {
    const recorded = await store.recordDemandOutcomes(
      unmet.map((demand) => ({
        id: `${demand.id}:${reason}`,
        state: { needId: demand.id, reason, at: now },
        events: [
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
      })),
    );
    if (recorded > 0) afterWrite();
    return recorded;
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

  /**
   * New postings, proposed together: each to its best counterparts from the in-memory index, all
   * their proposals in one insert and every need without a match in one insert of unmet demand.
   */
  async function postingsPosted(postings: readonly PostingAction[]) {
    const now = clock();
    const pairs: Parameters<typeof propose>[0] = [];
    const unmatched: Demand[] = [];
    for (const posting of postings) {
      if (posting.kind === 'needPosted') {
        const demand = demands.get(posting.needId);
        if (!demand) continue; // closed again before we got to it
        const buyer = party(demand.enterpriseId, demand.province);
        const ranked = supplies.topK(demand, buyer, settings.k, settings.threshold, now);
        for (const { supply, match } of ranked) pairs.push({ demand, supply, match, triggeredBy: 'need' });
        if (ranked.length === 0) unmatched.push(demand);
      } else {
        const supply = supplies.get(posting.capabilityId);
        if (!supply) continue;
        const supplier = party(supply.enterpriseId, supply.province);
        for (const { demand, match } of demands.topK(supply, supplier, settings.k, settings.threshold, now))
          pairs.push({ demand, supply, match, triggeredBy: 'capability' });
      }
    }
    const created = pairs.length > 0 ? await propose(pairs, now) : 0;
    if (created > 0) afterWrite();
    if (unmatched.length > 0) await demandUnmet(unmatched, 'no_match_above_threshold', now);
    return created;
  }

  async function needExpired(needId: string) {
    await retractOpen('needId', needId, 'need_expired');
    const established = await store.countProposals({ needId, status: 'established' });
    const projected = await store.findDemand(needId);
    if (established === 0 && projected) await demandUnmet([projected.demand], 'expired_unmatched', clock());
  }

  return {
    needPosted: (needId: string) => postingsPosted([{ kind: 'needPosted', needId }]),
    capabilityPosted: (capabilityId: string) => postingsPosted([{ kind: 'capabilityPosted', capabilityId }]),
    retractForCapability: (id: string, reason: string) => retractOpen('capabilityId', id, reason),
    retractForNeed: (id: string, reason: string) => retractOpen('needId', id, reason),
    needExpired,

    /**
     * A batch of registry actions, in order: consecutive new postings are proposed together (one
     * insert of proposals, one of unmet demand); a closed posting retracts its open proposals.
     * Returns the proposals created.
     */
    async act(actions: readonly RegistryAction[]): Promise<number> {
      let created = 0;
      let run: PostingAction[] = [];
      const flush = async () => {
        if (run.length > 0) created += await postingsPosted(run);
        run = [];
      };
      for (const action of actions) {
        if (action.kind === 'needPosted' || action.kind === 'capabilityPosted') {
          run.push(action);
          continue;
        }
        await flush();
        if (action.kind === 'capabilityClosed')
          await retractOpen('capabilityId', action.capabilityId, action.reason);
        else if (action.kind === 'needClosed') await retractOpen('needId', action.needId, action.reason);
        else await needExpired(action.needId);
      }
      await flush();
      return created;
    },
  };
}
