import { type OutboxEntry, outboxEvent } from '@lienket/eventbus';
import {
  type Demand,
  DemandIndex,
  type Party,
  type Supply,
  SupplyIndex,
  type Weights,
} from '@lienket/matching';
import { changeVersioned } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';
import type { Proposal } from '../domain/proposal';
import type { MatchmakingStore } from './ports';

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

const unknownParty = (enterpriseId: string, province: string): Party => ({
  enterpriseId,
  province,
  kind: 'enterprise',
  supportingIndustry: false,
  leadFirm: false,
  verified: false,
  recognitions: [],
});

/**
 * What the matchmaking use cases share: the in-memory indexes of every open capability and need
 * with the party facts and titles, loading and changing a proposal under optimistic concurrency,
 * and an outbox event stamped with this service as its source.
 */
export function makeMatchmakingContext(deps: MatchmakingDeps) {
  const { store, clock, settings, source, afterWrite } = deps;
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
    deps,
    store,
    clock,
    settings,
    afterWrite,
    supplies,
    demands,
    titles,
    event,
    party,
    indexSupply,
    indexDemand,
    indexParty,
    loadProposal,
    changeProposal,
    requireDemand,
    requireSupply,
  };
}

export type MatchmakingContext = ReturnType<typeof makeMatchmakingContext>;
