import { Events, type matchmakingV1, type registryV1 } from '@lienket/contracts';
import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import {
  type Component,
  type Demand,
  DemandIndex,
  demandFromNeed,
  explainPair,
  type Party,
  partyFromEnterprise,
  type Scored,
  type Supply,
  SupplyIndex,
  supplyFromCapability,
  type Weights,
} from '@lienket/matching';
import { type Actor, changeVersioned } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { MatchmakingStore, ProposalQuery } from '../adapters/mongo/store';
import {
  acceptProposal,
  declineProposal,
  expireProposal,
  isOpen,
  type Proposal,
  type ProposalStatus,
  retractProposal,
  sideOf,
} from '../domain/proposal';

export interface MatchmakingSettings {
  /** Proposals created per new posting, at most. */
  k: number;
  /** Minimum score for a proposal. */
  threshold: number;
  proposalTtlDays: number;
  weights: Weights;
}

export interface MatchmakingDeps {
  store: MatchmakingStore;
  clock: () => Date;
  newId: () => string;
  settings: MatchmakingSettings;
  source: string;
  afterWrite: () => void;
}

const DAY = 86_400_000;
const unknownParty = (enterpriseId: string, province: string): Party => ({
  enterpriseId,
  province,
  kind: 'enterprise',
  supportingIndustry: false,
  leadFirm: false,
  verified: false,
  recognitions: [],
});

const componentsToProto = (components: Component[]): matchmakingV1.ScoreComponent[] =>
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

/**
 * The matchmaking use cases. The in-memory indexes hold every open capability and need and the
 * party facts; the projection handlers keep them and the stored projection current, the action
 * handlers turn new postings into proposals.
 */
export function makeMatchmaking({ store, clock, newId, settings, source, afterWrite }: MatchmakingDeps) {
  const supplies = new SupplyIndex({ weights: settings.weights });
  const demands = new DemandIndex({ weights: settings.weights });
  const titles = new Map<string, string>();

  const event = <T>(
    definition: Parameters<typeof outboxEvent<T>>[0],
    payload: T,
    key: string,
    time: Date,
  ): OutboxEntry => outboxEvent(definition, payload, { key, source, subject: key, time });

  const party = (enterpriseId: string, province: string) =>
    supplies.party(enterpriseId) ?? unknownParty(enterpriseId, province);

  function indexSupply(supply: Supply, title?: string) {
    if (title !== undefined) titles.set(supply.id, title);
    if (supply.open) supplies.upsert(supply);
    else supplies.remove(supply.id);
  }
  function indexDemand(demand: Demand, title?: string) {
    if (title !== undefined) titles.set(demand.id, title);
    if (demand.open) demands.upsert(demand);
    else demands.remove(demand.id);
  }
  function indexParty(p: Party) {
    const responsiveness = supplies.party(p.enterpriseId)?.responsiveness;
    const merged = responsiveness === undefined ? p : { ...p, responsiveness };
    supplies.setParty(merged);
    demands.setParty(merged);
  }

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

  async function loadProposal(id: string): Promise<Proposal> {
    const proposal = id ? await store.findProposal(id) : undefined;
    if (!proposal) {
      throw new AppError('NOT_FOUND', `No proposal ${id}`, {
        code: 'PROPOSAL_NOT_FOUND',
        messageVi: `Không tìm thấy đề xuất ${id}`,
      });
    }
    return proposal;
  }

  async function changeProposal(
    id: string,
    decide: (current: Proposal, now: Date) => { next: Proposal; events: OutboxEntry[] } | undefined,
  ) {
    const { value, changed } = await changeVersioned(
      () => loadProposal(id),
      (current) => decide(current, clock()),
      store.saveProposal,
    );
    if (changed) afterWrite();
    return value;
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

  const requireDemand = (id: string) => {
    const demand = demands.get(id);
    if (!demand) {
      throw new AppError('NOT_FOUND', `No open need ${id}`, {
        code: 'NEED_NOT_FOUND',
        messageVi: `Không có nhu cầu đang mở ${id}`,
      });
    }
    return demand;
  };
  const requireSupply = (id: string) => {
    const supply = supplies.get(id);
    if (!supply) {
      throw new AppError('NOT_FOUND', `No open capability ${id}`, {
        code: 'CAPABILITY_NOT_FOUND',
        messageVi: `Không có năng lực đang mở ${id}`,
      });
    }
    return supply;
  };

  return {
    supplies,
    demands,

    /** Fills the indexes from the stored projection (start-up). */
    async loadIndexes() {
      const projection = await store.loadProjection();
      for (const p of projection.parties) indexParty(p);
      for (const { supply, title } of projection.supplies) indexSupply(supply, title);
      for (const { demand, title } of projection.demands) indexDemand(demand, title);
      await this.refreshResponsiveness();
      return { supplies: supplies.size, demands: demands.size, parties: projection.parties.length };
    },

    async refreshResponsiveness() {
      for (const [enterpriseId, responsiveness] of await store.responsiveness()) {
        const p = supplies.party(enterpriseId);
        if (p) {
          supplies.setParty({ ...p, responsiveness });
          demands.setParty({ ...p, responsiveness });
        }
      }
    },

    // ---- projection: every instance applies every registry event -------------------------------
    projection: {
      async enterprise(e: registryV1.Enterprise, at: Date) {
        const p = partyFromEnterprise(e);
        indexParty(p);
        await store.projectParty(p, at);
      },
      async partyPatch(enterpriseId: string, patch: Partial<Party>, at: Date) {
        const current = supplies.party(enterpriseId) ?? (await store.findParty(enterpriseId));
        if (current) indexParty({ ...current, ...patch });
        await store.patchParty(enterpriseId, patch, at);
      },
      async capabilityPosted(c: registryV1.Capability, at: Date) {
        const supply = supplyFromCapability(c);
        indexSupply(supply, c.title);
        await store.projectSupply(supply, c.title, at);
      },
      async capabilityPatch(id: string, patch: Partial<Supply>, at: Date) {
        const current = supplies.get(id) ?? (await store.findSupply(id))?.supply;
        if (current) indexSupply({ ...current, ...patch });
        await store.patchSupply(id, patch, at);
      },
      async needPosted(n: registryV1.Need, at: Date) {
        const demand = demandFromNeed(n);
        indexDemand(demand, n.title);
        await store.projectDemand(demand, n.title, at);
      },
      async needPatch(id: string, patch: Partial<Demand>, at: Date) {
        const current = demands.get(id) ?? (await store.findDemand(id))?.demand;
        if (current) indexDemand({ ...current, ...patch });
        await store.patchDemand(id, patch, at);
      },
    },

    // ---- actions: one instance (the consumer group member owning the partition) per event ------
    actions: {
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
    },

    // ---- queries -------------------------------------------------------------------------------
    findMatchesForNeed(needId: string, limit: number, minScore: number) {
      const demand = requireDemand(needId);
      const ranked = supplies.topK(
        demand,
        party(demand.enterpriseId, demand.province),
        limit || settings.k,
        minScore || settings.threshold,
        clock(),
      );
      return ranked.map(({ supply, match }) => ({
        postingId: supply.id,
        enterpriseId: supply.enterpriseId,
        province: supply.province,
        title: titles.get(supply.id) ?? '',
        score: match.score,
        components: componentsToProto(match.components),
        reason: match.reason,
        reasonVi: match.reasonVi,
      }));
    },
    findNeedsForCapability(capabilityId: string, limit: number, minScore: number) {
      const supply = requireSupply(capabilityId);
      const ranked = demands.topK(
        supply,
        party(supply.enterpriseId, supply.province),
        limit || settings.k,
        minScore || settings.threshold,
        clock(),
      );
      return ranked.map(({ demand, match }) => ({
        postingId: demand.id,
        enterpriseId: demand.enterpriseId,
        province: demand.province,
        title: titles.get(demand.id) ?? '',
        score: match.score,
        components: componentsToProto(match.components),
        reason: match.reason,
        reasonVi: match.reasonVi,
      }));
    },
    /** Why, or why not, for any pair: closed postings are explained from the stored projection. */
    async explain(needId: string, capabilityId: string) {
      const demand = demands.get(needId) ?? (await store.findDemand(needId))?.demand;
      const supply = supplies.get(capabilityId) ?? (await store.findSupply(capabilityId))?.supply;
      if (!demand)
        throw new AppError('NOT_FOUND', `No need ${needId}`, {
          code: 'NEED_NOT_FOUND',
          messageVi: `Không tìm thấy nhu cầu ${needId}`,
        });
      if (!supply) {
        throw new AppError('NOT_FOUND', `No capability ${capabilityId}`, {
          code: 'CAPABILITY_NOT_FOUND',
          messageVi: `Không tìm thấy năng lực ${capabilityId}`,
        });
      }
      const { verdict, components } = explainPair(
        demand,
        supply,
        party(demand.enterpriseId, demand.province),
        party(supply.enterpriseId, supply.province),
        clock(),
        settings.weights,
      );
      return verdict.ok
        ? {
            matched: true,
            score: verdict.match.score,
            components: componentsToProto(components),
            exclusions: [],
            reason: verdict.match.reason,
            reasonVi: verdict.match.reasonVi,
          }
        : {
            matched: false,
            score: 0,
            components: componentsToProto(components),
            exclusions: verdict.exclusions,
            reason: verdict.exclusions.map((e) => e.detail).join('; '),
            reasonVi: verdict.exclusions.map((e) => e.detailVi).join('; '),
          };
    },
    /** An enterprise lists its own proposals, an officer its province's, an admin any; analysts none. */
    listProposals(actor: Actor, query: ProposalQuery) {
      if (actor.role === 'enterprise' && query.enterpriseId !== actor.enterpriseId)
        throw readDenied(
          'An enterprise lists its own proposals',
          'Doanh nghiệp chỉ xem được đề xuất của mình',
        );
      if (actor.role === 'province' && query.provinceCode !== actor.provinceCode)
        throw readDenied(
          'Officers list their own province’s proposals',
          'Cán bộ chỉ xem được đề xuất của tỉnh mình',
        );
      if (actor.role === 'analyst' || actor.role === 'anonymous')
        throw readDenied(
          'Proposals are for their parties and provinces',
          'Đề xuất chỉ dành cho các bên và tỉnh liên quan',
        );
      return store.listProposals(query);
    },

    /** Its two parties, officers of either province and admins read a proposal; to anyone else it does not exist. */
    async getProposal(actor: Actor, id: string): Promise<Proposal> {
      const proposal = await loadProposal(id);
      const allowed =
        actor.role === 'admin' ||
        actor.role === 'service' ||
        (actor.role === 'enterprise' &&
          (actor.enterpriseId === proposal.buyerEnterpriseId ||
            actor.enterpriseId === proposal.supplierEnterpriseId)) ||
        (actor.role === 'province' &&
          (actor.provinceCode === proposal.buyerProvince ||
            actor.provinceCode === proposal.supplierProvince));
      if (!allowed)
        throw new AppError('NOT_FOUND', `No proposal ${id}`, {
          code: 'PROPOSAL_NOT_FOUND',
          messageVi: `Không tìm thấy đề xuất ${id}`,
        });
      return proposal;
    },

    // ---- commands ------------------------------------------------------------------------------
    async accept(actor: Actor, id: string): Promise<Proposal> {
      const side = sideOf(await loadProposal(id), actor);
      let answered = false;
      const result = await changeProposal(id, (current, now) => {
        const { next, established, changed } = acceptProposal(current, side, now);
        if (!changed) return undefined;
        answered = true;
        const events = [
          event(Events.matchAccepted, { proposalId: id, enterpriseId: actor.enterpriseId, side }, id, now),
        ];
        if (established) {
          events.push(
            event(
              Events.linkageEstablished,
              {
                proposalId: id,
                needId: next.needId,
                capabilityId: next.capabilityId,
                buyerEnterpriseId: next.buyerEnterpriseId,
                supplierEnterpriseId: next.supplierEnterpriseId,
                buyerProvince: next.buyerProvince,
                supplierProvince: next.supplierProvince,
                hsCodes: next.hsCodes,
                vsicCodes: next.vsicCodes,
                category: next.category,
                score: next.score,
              },
              id,
              now,
            ),
          );
        }
        return { next, events };
      });
      if (answered) await store.countAnswered(actor.enterpriseId);
      return result;
    },
    async decline(actor: Actor, id: string, reason: string): Promise<Proposal> {
      const side = sideOf(await loadProposal(id), actor);
      const result = await changeProposal(id, (current, now) => ({
        next: declineProposal(current, actor.enterpriseId, reason, now),
        events: [
          event(
            Events.matchDeclined,
            { proposalId: id, enterpriseId: actor.enterpriseId, side, reason: reason.trim() },
            id,
            now,
          ),
        ],
      }));
      await store.countAnswered(actor.enterpriseId);
      return result;
    },

    /** Expires proposals past their TTL; conditional writes make two instances safe. */
    async expireProposals(limit = 500): Promise<number> {
      let expired = 0;
      const now = clock();
      for (const proposal of await store.dueProposals(now, limit)) {
        const next = { ...expireProposal(proposal, now), version: proposal.version + 1 };
        if (
          await store.saveProposal(next, proposal.version, [
            event(Events.matchExpired, { proposalId: proposal.id }, proposal.id, now),
          ])
        ) {
          expired += 1;
        }
      }
      if (expired > 0) afterWrite();
      return expired;
    },
  };
}

export type Matchmaking = ReturnType<typeof makeMatchmaking>;

const readDenied = (message: string, messageVi: string) =>
  new AppError('PERMISSION_DENIED', message, { code: 'NOT_ALLOWED', messageVi });
