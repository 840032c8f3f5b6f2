import {
  createModelIndexes,
  insertOptions,
  type OutboxEntry,
  outboxFields,
  withOutbox,
  withoutOutboxFields,
} from '@lienket/eventbus';
import type { Demand, Party, Supply } from '@lienket/matching';
import type mongoose from 'mongoose';
import { openStatuses, type Proposal, type ProposalStatus } from '../../domain/proposal';

import { collections, matchmakingModels } from './models';

// biome-ignore lint/suspicious/noExplicitAny: documents of several shapes share the helpers below
type Doc = { _id: string; [key: string]: any };

export { collections } from './models';

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

export function createMatchmakingStore(connection: mongoose.Connection) {
  const models = matchmakingModels(connection);
  // Projection updates and received-proposal counts run for every consumed event: they write through
  // the model's collection, which the schema still declares but does not validate per write (ADR 0010).
  const perEvent = (model: { collection: unknown }) => model.collection as mongoose.mongo.Collection<Doc>;
  const supplies = perEvent(models.supplies);
  const demands = perEvent(models.demands);
  const parties = perEvent(models.parties);
  const stats = perEvent(models.partyStats);
  const proposals = models.proposals;
  const outcomes = models.demandOutcomes;
  const hideOutbox = { outbox: 0 } as const;

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
        models.supplies.find({ 'supply.open': true }).lean<Doc[]>().exec(),
        models.demands.find({ 'demand.open': true }).lean<Doc[]>().exec(),
        models.parties.find({}).lean<Doc[]>().exec(),
      ]);
      return {
        supplies: s.map((doc) => ({ supply: doc.supply as Supply, title: doc.title as string })),
        demands: d.map((doc) => ({ demand: doc.demand as Demand, title: doc.title as string })),
        parties: p.map((doc) => doc.party as Party),
      };
    },
    async findSupply(id: string): Promise<ProjectedSupply | undefined> {
      const doc = await models.supplies.findOne({ _id: id }).lean<Doc>().exec();
      return doc ? { supply: doc.supply as Supply, title: doc.title as string } : undefined;
    },
    async findDemand(id: string): Promise<ProjectedDemand | undefined> {
      const doc = await models.demands.findOne({ _id: id }).lean<Doc>().exec();
      return doc ? { demand: doc.demand as Demand, title: doc.title as string } : undefined;
    },
    async findParty(id: string): Promise<Party | undefined> {
      return (await models.parties.findOne({ _id: id }).lean<Doc>().exec())?.party as Party | undefined;
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
        await proposals.insertMany(documents, { ordered: false, ...insertOptions });
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
      fromProposalDocument(await proposals.findOne({ _id: id }, hideOutbox).lean<Doc>().exec()),
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
        .find({ [field]: postingId, status: { $in: [...openStatuses] } }, hideOutbox)
        .lean<Doc[]>()
        .exec();
      return docs.map((d) => fromProposalDocument(d) as Proposal);
    },
    async countProposals(filter: Record<string, unknown>): Promise<number> {
      return proposals.countDocuments(filter);
    },
    async dueProposals(now: Date, limit: number): Promise<Proposal[]> {
      const docs = await proposals
        .find({ status: { $in: [...openStatuses] }, expiresAt: { $lte: now } }, hideOutbox)
        .limit(limit)
        .lean<Doc[]>()
        .exec();
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
          .find(paged, hideOutbox)
          .sort({ _id: -1 })
          .limit(size + 1)
          .lean<Doc[]>()
          .exec(),
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
        await outcomes.insertMany([{ _id: id, ...state, ...outboxFields(events) }], insertOptions);
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
      await models.partyStats.updateOne({ _id: enterpriseId }, { $inc: { answered: 1 } }, { upsert: true });
    },
    async responsiveness(): Promise<Map<string, number>> {
      const docs = await models.partyStats
        .find({ received: { $gte: 3 } })
        .lean<Doc[]>()
        .exec();
      return new Map(docs.map((d) => [d._id, Math.min(1, (d.answered ?? 0) / d.received)]));
    },
  };
}

export type MatchmakingStore = ReturnType<typeof createMatchmakingStore>;

/** Builds the indexes the models' schemas declare (outboxPending included). */
export async function ensureMatchmakingIndexes(connection: mongoose.Connection): Promise<void> {
  await createModelIndexes(Object.values(matchmakingModels(connection)));
}
