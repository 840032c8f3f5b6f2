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

/** The projected value of one document: the whole of it, or fields of it. */
export type ProjectionWrite = { at: Date } & (
  | { kind: 'supply'; id: string; state?: { supply: Supply; title: string }; patch?: Partial<Supply> }
  | { kind: 'demand'; id: string; state?: { demand: Demand; title: string }; patch?: Partial<Demand> }
  | { kind: 'party'; id: string; state?: { party: Party }; patch?: Partial<Party> }
);

export interface ProposalQuery {
  enterpriseId: string;
  provinceCode: string;
  statuses: ProposalStatus[];
  cursor: string;
  size: number;
}

export interface MatchmakingStore {
  // ---- projection (written by every instance, keyed by the event's time: replays change nothing)
  /**
   * Writes a batch of projection changes, at most one per document: per collection, one insert of
   * the documents given whole and one update of all, each applying only where no newer event's
   * change is stored.
   */
  projectMany(writes: readonly ProjectionWrite[]): Promise<void>;
  /** Every open supply and demand and every party (start-up). */
  loadProjection(): Promise<{ supplies: ProjectedSupply[]; demands: ProjectedDemand[]; parties: Party[] }>;
  findSupply(id: string): Promise<ProjectedSupply | undefined>;
  findDemand(id: string): Promise<ProjectedDemand | undefined>;
  findDemands(ids: readonly string[]): Promise<ProjectedDemand[]>;

  // ---- proposals
  /** Inserts each proposal unless its pair already has one; returns those inserted. */
  insertProposals(items: { proposal: Proposal; events: OutboxEntry[] }[]): Promise<Proposal[]>;
  findProposal(id: string): Promise<Proposal | undefined>;
  /** Saves when the stored version is still `expectedVersion`; false when another writer got there first. */
  saveProposal(proposal: Proposal, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  /**
   * Saves each proposal at its expected version, in one write; how many were saved (fewer: another
   * writer changed some meanwhile).
   */
  saveProposals(
    items: readonly { proposal: Proposal; expectedVersion: number; events: OutboxEntry[] }[],
  ): Promise<number>;
  /** The open proposals of these needs and capabilities, in one read. */
  openProposalsForPostings(needIds: readonly string[], capabilityIds: readonly string[]): Promise<Proposal[]>;
  /** Which of these needs have an established proposal, in one read. */
  needsWithEstablished(needIds: readonly string[]): Promise<Set<string>>;
  dueProposals(now: Date, limit: number): Promise<Proposal[]>;
  listProposals(query: ProposalQuery): Promise<{ items: Proposal[]; total: number; nextCursor: string }>;

  // ---- outcomes and responsiveness
  /** Records outcomes for needs once each (e.g. DemandUnmet), in one write; how many were new. */
  recordDemandOutcomes(
    items: readonly { id: string; state: Record<string, unknown>; events: OutboxEntry[] }[],
  ): Promise<number>;
  /**
   * Share of the proposals it received that an enterprise answered (accepted or declined), per
   * enterprise with enough received to tell; derived from the proposals themselves.
   */
  responsiveness(): Promise<Map<string, number>>;
}
