import { Events } from '@lienket/contracts';
import type { Demand, Scored, Supply } from '@lienket/matching';
import { isOpen, type Proposal, retractProposal } from '../domain/proposal';
import type { MatchmakingContext } from './context';
import { proposalToProto } from './to-proto';

const DAY = 86_400_000;

/** Runs work as part of the trace of the event that asked for it (the events it writes continue it). */
export type WithinTrace = <R>(work: () => R) => R;
const untraced: WithinTrace = (work) => work();

type PostingAction =
  | { kind: 'needPosted'; needId: string; within?: WithinTrace }
  | { kind: 'capabilityPosted'; capabilityId: string; within?: WithinTrace };

type ClosingAction =
  | { kind: 'capabilityClosed'; capabilityId: string; reason: string }
  | { kind: 'needClosed'; needId: string; reason: string }
  | { kind: 'needExpired'; needId: string };

/** What a registry event asks of the action consumer. */
export type RegistryAction = PostingAction | ClosingAction;

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
    pairs: {
      demand: Demand;
      supply: Supply;
      match: Scored;
      triggeredBy: 'need' | 'capability';
      within?: WithinTrace;
    }[],
    now: Date,
  ): Promise<number> {
    const inserted = await store.insertProposals(
      pairs.map(({ demand, supply, match, triggeredBy, within = untraced }) => {
        const proposal = newProposal(demand, supply, match, triggeredBy, now);
        return {
          proposal,
          events: [
            within(() =>
              event(Events.matchProposed, { proposal: proposalToProto(proposal) }, proposal.id, now),
            ),
          ],
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

  /**
   * Retracts the open proposals of closed postings: one read of them all, one versioned write of
   * their retractions; those another writer changed meanwhile are decided again one by one.
   */
  async function retractOpen(closed: readonly ClosingAction[]) {
    const reasons = new Map<string, string>();
    for (const c of closed) {
      const key = c.kind === 'capabilityClosed' ? `c:${c.capabilityId}` : `n:${c.needId}`;
      if (!reasons.has(key)) reasons.set(key, c.kind === 'needExpired' ? 'need_expired' : c.reason);
    }
    const ids = (prefix: string) =>
      [...reasons.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(2));
    const open = await store.openProposalsForPostings(ids('n:'), ids('c:'));
    if (open.length === 0) return;
    const now = clock();
    const retractions = open.filter(isOpen).map((proposal) => {
      // The first closing in the batch that concerns it gives the reason.
      const reason =
        reasons.get(`n:${proposal.needId}`) ?? reasons.get(`c:${proposal.capabilityId}`) ?? 'posting_closed';
      const events = [event(Events.matchRetracted, { proposalId: proposal.id, reason }, proposal.id, now)];
      return { proposal: retractProposal(proposal, now), expectedVersion: proposal.version, events, reason };
    });
    const saved = await store.saveProposals(retractions);
    if (saved > 0) afterWrite();
    if (saved === retractions.length) return;
    // Some were changed meanwhile (accepted, declined, expired): decide each again on what is stored.
    for (const { proposal, reason } of retractions) {
      await changeProposal(proposal.id, (current, at) =>
        isOpen(current)
          ? {
              next: retractProposal(current, at),
              events: [event(Events.matchRetracted, { proposalId: current.id, reason }, current.id, at)],
            }
          : undefined,
      );
    }
  }

  /**
   * Needs that expired without an established linkage are unmet demand: one read of established
   * proposals, one of the projection, one insert.
   */
  async function needsExpired(needIds: readonly string[]) {
    if (needIds.length === 0) return;
    const established = await store.needsWithEstablished(needIds);
    const unlinked = needIds.filter((id) => !established.has(id));
    if (unlinked.length === 0) return;
    const projected = await store.findDemands(unlinked);
    if (projected.length > 0)
      await demandUnmet(
        projected.map((p) => p.demand),
        'expired_unmatched',
        clock(),
      );
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
        for (const { supply, match } of ranked)
          pairs.push({ demand, supply, match, triggeredBy: 'need', within: posting.within });
        if (ranked.length === 0) unmatched.push(demand);
      } else {
        const supply = supplies.get(posting.capabilityId);
        if (!supply) continue;
        const supplier = party(supply.enterpriseId, supply.province);
        for (const { demand, match } of demands.topK(supply, supplier, settings.k, settings.threshold, now))
          pairs.push({ demand, supply, match, triggeredBy: 'capability', within: posting.within });
      }
    }
    const created = pairs.length > 0 ? await propose(pairs, now) : 0;
    if (created > 0) afterWrite();
    if (unmatched.length > 0) await demandUnmet(unmatched, 'no_match_above_threshold', now);
    return created;
  }

  return {
    /**
     * A batch of registry actions, in order: consecutive new postings are proposed together (one
     * insert of proposals, one of unmet demand); consecutive closings retract their open proposals
     * together (one read, one versioned write) and record expired needs nobody linked with as
     * unmet demand. Returns the proposals created.
     */
    async act(actions: readonly RegistryAction[]): Promise<number> {
      let created = 0;
      let postings: PostingAction[] = [];
      let closings: ClosingAction[] = [];
      const flush = async () => {
        if (postings.length > 0) created += await postingsPosted(postings);
        if (closings.length > 0) {
          await retractOpen(closings);
          await needsExpired(closings.flatMap((c) => (c.kind === 'needExpired' ? [c.needId] : [])));
        }
        postings = [];
        closings = [];
      };
      for (const action of actions) {
        const posting = action.kind === 'needPosted' || action.kind === 'capabilityPosted';
        // A run is of one sort: a posting after closings (or the reverse) waits for them.
        if (posting ? closings.length > 0 : postings.length > 0) await flush();
        if (posting) postings.push(action);
        else closings.push(action);
      }
      await flush();
      return created;
    },
  };
}
