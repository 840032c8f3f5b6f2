import type { OutboxEntry } from '@lienket/eventbus';
import type { Demand, Party, Supply } from '@lienket/matching';
import type { Proposal, ProposalStatus } from '../domain/proposal';

/**
 * What matchmaking needs from its store, in its own terms: the projection of the registry's open
 * postings and parties, the proposals with their events in the same write, and the answer counts
 * behind responsiveness. The mongo adapter implements it (adapters/mongo/store.ts).
 */
export interface ProjectedSupply {
  supply: Supply;
  title: string;
}
export interface ProjectedDemand {
  demand: Demand;
  title: string;
}

export interface ProposalQuery {
  enterpriseId: string;
  provinceCode: string;
  statuses: ProposalStatus[];
  cursor: string;
  size: number;
}

export interface MatchmakingStore {
  // ---- projection (written by every instance, keyed by the event's time: replays change nothing)
  projectSupply(supply: Supply, title: string, at: Date): Promise<void>;
  projectDemand(demand: Demand, title: string, at: Date): Promise<void>;
  projectParty(party: Party, at: Date): Promise<void>;
  patchSupply(id: string, patch: Partial<Supply>, at: Date): Promise<void>;
  patchDemand(id: string, patch: Partial<Demand>, at: Date): Promise<void>;
  patchParty(id: string, patch: Partial<Party>, at: Date): Promise<void>;
  /** Every open supply and demand and every party (start-up). */
  loadProjection(): Promise<{ supplies: ProjectedSupply[]; demands: ProjectedDemand[]; parties: Party[] }>;
  findSupply(id: string): Promise<ProjectedSupply | undefined>;
  findDemand(id: string): Promise<ProjectedDemand | undefined>;
  findParty(id: string): Promise<Party | undefined>;

  // ---- proposals
  /** Inserts each proposal unless its pair already has one; returns those inserted. */
  insertProposals(items: { proposal: Proposal; events: OutboxEntry[] }[]): Promise<Proposal[]>;
  findProposal(id: string): Promise<Proposal | undefined>;
  /** Saves when the stored version is still `expectedVersion`; false when another writer got there first. */
  saveProposal(proposal: Proposal, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  openProposalsFor(field: 'needId' | 'capabilityId', postingId: string): Promise<Proposal[]>;
  countProposals(filter: { needId: string; status: ProposalStatus }): Promise<number>;
  dueProposals(now: Date, limit: number): Promise<Proposal[]>;
  listProposals(query: ProposalQuery): Promise<{ items: Proposal[]; total: number; nextCursor: string }>;

  // ---- outcomes and responsiveness
  /** Records an outcome for a need once (e.g. DemandUnmet); false when it was already recorded. */
  recordDemandOutcome(id: string, state: Record<string, unknown>, events: OutboxEntry[]): Promise<boolean>;
  /** One proposal received per id given (an id may repeat). */
  countReceived(enterpriseIds: string[]): Promise<void>;
  countAnswered(enterpriseId: string): Promise<void>;
  /** Share of proposals answered, per enterprise with enough received to tell. */
  responsiveness(): Promise<Map<string, number>>;
}
