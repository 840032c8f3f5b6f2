import {
  ensureOutboxIndexes,
  type OutboxEntry,
  outboxFields,
  withOutbox,
  withoutOutboxFields,
} from '@lienket/eventbus';
import type { Demand, Party, Supply } from '@lienket/matching';
import type mongoose from 'mongoose';
import { openStatuses, type Proposal, type ProposalStatus } from '../../domain/proposal';

type Db = mongoose.mongo.Db;
// biome-ignore lint/suspicious/noExplicitAny: documents of several shapes share the helpers below
type Doc = { _id: string; [key: string]: any };

export const collections = {
  supplies: 'projection_supplies',
  demands: 'projection_demands',
  parties: 'projection_parties',
  proposals: 'proposals',
  demandOutcomes: 'demand_outcomes',
  partyStats: 'party_stats',
} as const;

export const outboxCollections = [collections.proposals, collections.demandOutcomes];

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

const pairKey = (needId: string, capabilityId: string) => `${needId}:${capabilityId}`;

function fromProposalDocument(document: Doc | null): Proposal | undefined {
  if (!document) return undefined;
  const { _id, pairKey: _pair, ...rest } = withoutOutboxFields(document);
  return { id: _id, ...rest } as Proposal;
}

export function createMatchmakingStore(db: Db) {
  const supplies = db.collection<Doc>(collections.supplies);
  const demands = db.collection<Doc>(collections.demands);
  const parties = db.collection<Doc>(collections.parties);
  const proposals = db.collection<Doc>(collections.proposals);
  const outcomes = db.collection<Doc>(collections.demandOutcomes);
  const stats = db.collection<Doc>(collections.partyStats);

  /** Upserts projection state unless a newer event already wrote it (events of one key arrive in order; replays repeat them). */
  async function project(collection: typeof supplies, id: string, state: Record<string, unknown>, at: Date) {
    try {
      await collection.updateOne({ _id: id, at: { $lte: at } }, { $set: { ...state, at } }, { upsert: true });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error; // a newer version is stored
    }
  }

  return {
    projectSupply: (supply: Supply, title: string, at: Date) =>
      project(supplies, supply.id, { supply, title }, at),
    projectDemand: (demand: Demand, title: string, at: Date) =>
      project(demands, demand.id, { demand, title }, at),
    projectParty: (party: Party, at: Date) => project(parties, party.enterpriseId, { party }, at),
    async patchSupply(id: string, patch: Partial<Supply>, at: Date) {
      const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`supply.${k}`, v]));
      await supplies.updateOne({ _id: id, at: { $lte: at } }, { $set: { ...set, at } });
    },
    async patchDemand(id: string, patch: Partial<Demand>, at: Date) {
      const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`demand.${k}`, v]));
      await demands.updateOne({ _id: id, at: { $lte: at } }, { $set: { ...set, at } });
    },
    async patchParty(id: string, patch: Partial<Party>, at: Date) {
      const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`party.${k}`, v]));
      await parties.updateOne({ _id: id, at: { $lte: at } }, { $set: { ...set, at } });
    },
    async loadProjection() {
      const [s, d, p] = await Promise.all([
        supplies.find({ 'supply.open': true }).toArray(),
        demands.find({ 'demand.open': true }).toArray(),
        parties.find({}).toArray(),
      ]);
      return {
        supplies: s.map((doc) => ({ supply: doc.supply as Supply, title: doc.title as string })),
        demands: d.map((doc) => ({ demand: doc.demand as Demand, title: doc.title as string })),
        parties: p.map((doc) => doc.party as Party),
      };
    },
    async findSupply(id: string): Promise<ProjectedSupply | undefined> {
      const doc = await supplies.findOne({ _id: id });
      return doc ? { supply: doc.supply as Supply, title: doc.title as string } : undefined;
    },
    async findDemand(id: string): Promise<ProjectedDemand | undefined> {
      const doc = await demands.findOne({ _id: id });
      return doc ? { demand: doc.demand as Demand, title: doc.title as string } : undefined;
    },
    async findParty(id: string): Promise<Party | undefined> {
      return (await parties.findOne({ _id: id }))?.party as Party | undefined;
    },

    /**
     * Inserts proposals in one command, each unless its pair already has one; returns those inserted
     * (a pair proposed before, or by another instance meanwhile, is left out).
     */
    async insertProposals(items: { proposal: Proposal; events: OutboxEntry[] }[]): Promise<Proposal[]> {
      if (items.length === 0) return [];
      const documents = items.map(({ proposal, events }) => {
        const { id, ...state } = proposal;
        return {
          _id: id,
          pairKey: pairKey(proposal.needId, proposal.capabilityId),
          ...state,
          ...outboxFields(events),
        };
      });
      try {
        await proposals.insertMany(documents, { ordered: false });
        return items.map((i) => i.proposal);
      } catch (error) {
        const writeErrors = (
          error as { writeErrors?: { index: number; code: number }[] | { index: number; code: number } }
        ).writeErrors;
        const errors =
          writeErrors === undefined ? [] : Array.isArray(writeErrors) ? writeErrors : [writeErrors];
        if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
        const refused = new Set(errors.map((e) => e.index));
        return items.filter((_, index) => !refused.has(index)).map((i) => i.proposal);
      }
    },
    findProposal: async (id: string) =>
      fromProposalDocument(await proposals.findOne({ _id: id }, { projection: { outbox: 0 } })),
    async saveProposal(proposal: Proposal, expectedVersion: number, events: OutboxEntry[]): Promise<boolean> {
      const { id, version: _v, ...state } = proposal;
      const result = await proposals.updateOne(
        { _id: id, version: expectedVersion },
        withOutbox({ $set: { ...state, version: expectedVersion + 1 } }, events),
      );
      return result.matchedCount === 1;
    },
    async openProposalsFor(field: 'needId' | 'capabilityId', postingId: string): Promise<Proposal[]> {
      const docs = await proposals
        .find({ [field]: postingId, status: { $in: [...openStatuses] } }, { projection: { outbox: 0 } })
        .toArray();
      return docs.map((d) => fromProposalDocument(d) as Proposal);
    },
    async countProposals(filter: Record<string, unknown>): Promise<number> {
      return proposals.countDocuments(filter);
    },
    async dueProposals(now: Date, limit: number): Promise<Proposal[]> {
      const docs = await proposals
        .find({ status: { $in: [...openStatuses] }, expiresAt: { $lte: now } }, { projection: { outbox: 0 } })
        .limit(limit)
        .toArray();
      return docs.map((d) => fromProposalDocument(d) as Proposal);
    },
    async listProposals(
      query: ProposalQuery,
    ): Promise<{ items: Proposal[]; total: number; nextCursor: string }> {
      const filter: Record<string, unknown> = {};
      const or: Record<string, unknown>[] = [];
      if (query.enterpriseId)
        or.push({ buyerEnterpriseId: query.enterpriseId }, { supplierEnterpriseId: query.enterpriseId });
      if (query.provinceCode)
        or.push({ buyerProvince: query.provinceCode }, { supplierProvince: query.provinceCode });
      if (or.length > 0) filter.$or = or;
      if (query.statuses.length > 0) filter.status = { $in: query.statuses };
      const size = Math.min(Math.max(query.size || 20, 1), 100);
      const paged = query.cursor ? { ...filter, _id: { $lt: query.cursor } } : filter;
      const [docs, total] = await Promise.all([
        proposals
          .find(paged, { projection: { outbox: 0 } })
          .sort({ _id: -1 })
          .limit(size + 1)
          .toArray(),
        proposals.countDocuments(filter),
      ]);
      const items = docs.slice(0, size).map((d) => fromProposalDocument(d) as Proposal);
      return { items, total, nextCursor: docs.length > size ? String(docs[size - 1]?._id) : '' };
    },

    /** Records an outcome for a need once (e.g. DemandUnmet); false when it was already recorded. */
    async recordDemandOutcome(
      id: string,
      state: Record<string, unknown>,
      events: OutboxEntry[],
    ): Promise<boolean> {
      try {
        await outcomes.insertOne({ _id: id, ...state, ...outboxFields(events) });
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) return false;
        throw error;
      }
    },

    /** One proposal received per id given (an id may repeat). */
    async countReceived(enterpriseIds: string[]) {
      if (enterpriseIds.length === 0) return;
      const counts = new Map<string, number>();
      for (const id of enterpriseIds) counts.set(id, (counts.get(id) ?? 0) + 1);
      await stats.bulkWrite(
        [...counts].map(([id, n]) => ({
          updateOne: { filter: { _id: id }, update: { $inc: { received: n } }, upsert: true },
        })),
      );
    },
    async countAnswered(enterpriseId: string) {
      await stats.updateOne({ _id: enterpriseId }, { $inc: { answered: 1 } }, { upsert: true });
    },
    async responsiveness(): Promise<Map<string, number>> {
      const docs = await stats.find({ received: { $gte: 3 } }).toArray();
      return new Map(docs.map((d) => [d._id, Math.min(1, (d.answered ?? 0) / d.received)]));
    },
  };
}

export type MatchmakingStore = ReturnType<typeof createMatchmakingStore>;

export async function ensureMatchmakingIndexes(db: Db): Promise<void> {
  const proposals = db.collection(collections.proposals);
  await proposals.createIndex({ pairKey: 1 }, { unique: true });
  await proposals.createIndex({ buyerEnterpriseId: 1 });
  await proposals.createIndex({ supplierEnterpriseId: 1 });
  await proposals.createIndex({ buyerProvince: 1 });
  await proposals.createIndex({ supplierProvince: 1 });
  await proposals.createIndex({ needId: 1 });
  await proposals.createIndex({ capabilityId: 1 });
  await proposals.createIndex({ status: 1, expiresAt: 1 });
  await db.collection(collections.supplies).createIndex({ 'supply.open': 1 });
  await db.collection(collections.demands).createIndex({ 'demand.open': 1 });
  await ensureOutboxIndexes(db, outboxCollections);
}
