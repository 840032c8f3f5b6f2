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
import type {
  MatchmakingStore,
  ProjectedDemand,
  ProjectedSupply,
  ProjectionWrite,
  ProposalQuery,
} from '../../app/ports';
import { openStatuses, type Proposal } from '../../domain/proposal';

import { collections, matchmakingModels } from './models';

// biome-ignore lint/suspicious/noExplicitAny: documents of several shapes share the helpers below
type Doc = { _id: string; [key: string]: any };

export { collections } from './models';

export const outboxCollections = [collections.proposals, collections.demandOutcomes];

/** Write errors of an unordered write, when every one of them is a duplicate key (else undefined). */
function duplicateKeyIndexes(error: unknown): number[] | undefined {
  type WriteError = { index: number; code?: number; err?: { code?: number } };
  const writeErrors = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
  const errors = writeErrors === undefined ? [] : Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  // mongoose's insertMany gives the code on `err` only (its write errors' `code` is undefined on FerretDB):
  // reading `code` alone took a repeated posting's existing proposals for a failure and dead-lettered it.
  if (errors.length === 0 || errors.some((e) => (e.code ?? e.err?.code) !== 11000)) return undefined;
  return errors.map((e) => e.index);
}

const pairKey = (needId: string, capabilityId: string) => `${needId}:${capabilityId}`;

function fromProposalDocument(document: Doc | null): Proposal | undefined {
  if (!document) return undefined;
  const { _id, pairKey: _pair, ...rest } = withoutOutboxFields(document);
  return { id: _id, ...rest } as Proposal;
}

export function createMatchmakingStore(connection: mongoose.Connection): MatchmakingStore {
  const models = matchmakingModels(connection);
  // Projection writes run for every consumed batch: they write through the model's collection, which
  // the schema still declares but does not validate per write (ADR 0010).
  const perEvent = (model: { collection: unknown }) => model.collection as mongoose.mongo.Collection<Doc>;
  const supplies = perEvent(models.supplies);
  const demands = perEvent(models.demands);
  const parties = perEvent(models.parties);
  const proposals = models.proposals;
  const outcomes = models.demandOutcomes;
  const hideOutbox = { outbox: 0 } as const;

  const projected = { supply: supplies, demand: demands, party: parties } as const;

  /**
   * One update per document, guarded by the time of the newest event applied (`at`): the whole
   * value, or fields, set only where no newer change is stored. Never an upsert: FerretDB 1.24 stops
   * an update command at its first error even when unordered, and a guarded upsert meeting a newer
   * document fails with a duplicate key (ADR 0016).
   */
  function projectionUpdate(write: ProjectionWrite) {
    const filter = { _id: write.id, at: { $lte: write.at } };
    const set = write.state
      ? write.state
      : Object.fromEntries(Object.entries(write.patch ?? {}).map(([k, v]) => [`${write.kind}.${k}`, v]));
    return { updateOne: { filter, update: { $set: { ...set, at: write.at } } } };
  }

  return {
    /**
     * Per collection the batch touches: one unordered insert of the documents it gives whole (an
     * insert command goes on past the ids stored already), then one unordered update, guarded by
     * event time, of the documents that insert did not create (patches, ids stored already): none
     * for a batch of new postings. Whatever the interleaving with another instance writing the
     * same documents, each ends with the newest change either of them wrote.
     */
    async projectMany(writes: readonly ProjectionWrite[]) {
      const byKind = new Map<ProjectionWrite['kind'], ProjectionWrite[]>();
      for (const write of writes) byKind.set(write.kind, [...(byKind.get(write.kind) ?? []), write]);
      await Promise.all(
        [...byKind].map(async ([kind, list]) => {
          const created = list.flatMap((w) => (w.state ? [{ _id: w.id, ...w.state, at: w.at }] : []));
          const stored = new Set<string>();
          if (created.length > 0) {
            try {
              await projected[kind].insertMany(created, { ordered: false });
            } catch (error) {
              const refused = duplicateKeyIndexes(error);
              if (refused === undefined) throw error;
              for (const index of refused) stored.add(String(created[index]?._id));
            }
          }
          // A document this insert created holds the batch's whole value already.
          const updates = list.filter((w) => !w.state || stored.has(w.id));
          if (updates.length > 0)
            await projected[kind].bulkWrite(updates.map(projectionUpdate), { ordered: false });
        }),
      );
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
    async findDemands(ids: readonly string[]): Promise<ProjectedDemand[]> {
      if (ids.length === 0) return [];
      const docs = await models.demands
        .find({ _id: { $in: [...ids] } })
        .lean<Doc[]>()
        .exec();
      return docs.map((doc) => ({ demand: doc.demand as Demand, title: doc.title as string }));
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
        const duplicates = duplicateKeyIndexes(error);
        if (duplicates === undefined) throw error;
        const refused = new Set(duplicates);
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
    async saveProposals(
      items: readonly { proposal: Proposal; expectedVersion: number; events: OutboxEntry[] }[],
    ): Promise<number> {
      if (items.length === 0) return 0;
      // Cast and versioned like saveProposal: one command, one statement per proposal.
      const operations = items.map(({ proposal, expectedVersion, events }) => {
        const { id, version: _v, ...state } = proposal;
        return {
          updateOne: {
            filter: { _id: id, version: expectedVersion },
            update: withOutbox({ $set: { ...state, version: expectedVersion + 1 } }, events),
          },
        };
      });
      const result = await proposals.bulkWrite(operations as Parameters<typeof proposals.bulkWrite>[0], {
        ordered: false,
      });
      return result.matchedCount;
    },
    async openProposalsForPostings(
      needIds: readonly string[],
      capabilityIds: readonly string[],
    ): Promise<Proposal[]> {
      const or = [
        ...(needIds.length > 0 ? [{ needId: { $in: [...needIds] } }] : []),
        ...(capabilityIds.length > 0 ? [{ capabilityId: { $in: [...capabilityIds] } }] : []),
      ];
      if (or.length === 0) return [];
      const docs = await proposals
        .find({ $or: or, status: { $in: [...openStatuses] } }, hideOutbox)
        .lean<Doc[]>()
        .exec();
      return docs.map((d) => fromProposalDocument(d) as Proposal);
    },
    async needsWithEstablished(needIds: readonly string[]): Promise<Set<string>> {
      if (needIds.length === 0) return new Set();
      const docs = await proposals
        .find({ needId: { $in: [...needIds] }, status: 'established' }, { needId: 1 })
        .lean<Doc[]>()
        .exec();
      return new Set(docs.map((d) => String(d.needId)));
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

    /** Records outcomes for needs once each (e.g. DemandUnmet), in one insert; how many were new. */
    async recordDemandOutcomes(
      items: readonly { id: string; state: Record<string, unknown>; events: OutboxEntry[] }[],
    ): Promise<number> {
      if (items.length === 0) return 0;
      try {
        await outcomes.insertMany(
          items.map(({ id, state, events }) => ({ _id: id, ...state, ...outboxFields(events) })),
          { ordered: false, ...insertOptions },
        );
        return items.length;
      } catch (error) {
        const refused = duplicateKeyIndexes(error);
        if (refused === undefined) throw error;
        return items.length - refused.length;
      }
    },

    /**
     * Received and answered proposals per enterprise, counted from the proposals (a periodic job,
     * not a write per event): received as buyer or supplier; answered where its side accepted or
     * it declined. One $sum per $group (FerretDB 1.24 answers 0 for any further accumulator).
     */
    async responsiveness(): Promise<Map<string, number>> {
      const countBy = async (field: string, match: Record<string, unknown> = {}) => {
        const rows = await proposals
          .aggregate<{ _id: string | null; n: number }>([
            { $match: match },
            { $group: { _id: `$${field}`, n: { $sum: 1 } } },
          ])
          .exec();
        return rows.filter((r) => r._id).map((r) => [String(r._id), Number(r.n) || 0] as const);
      };
      const [asBuyer, asSupplier, answeredDocs] = await Promise.all([
        countBy('buyerEnterpriseId'),
        countBy('supplierEnterpriseId'),
        proposals
          .find(
            {
              $or: [
                { buyerAcceptedAt: { $ne: null } },
                { supplierAcceptedAt: { $ne: null } },
                { status: 'declined' },
              ],
            },
            {
              buyerEnterpriseId: 1,
              supplierEnterpriseId: 1,
              buyerAcceptedAt: 1,
              supplierAcceptedAt: 1,
              declinedBy: 1,
              status: 1,
            },
          )
          .lean<Doc[]>()
          .exec(),
      ]);
      const received = new Map<string, number>();
      for (const [id, n] of [...asBuyer, ...asSupplier]) received.set(id, (received.get(id) ?? 0) + n);
      const answered = new Map<string, number>();
      for (const d of answeredDocs) {
        const declined = d.status === 'declined' ? d.declinedBy : '';
        const sides = [
          [d.buyerEnterpriseId, d.buyerAcceptedAt],
          [d.supplierEnterpriseId, d.supplierAcceptedAt],
        ] as const;
        for (const [id, acceptedAt] of sides) {
          if (id && (acceptedAt || declined === id)) answered.set(id, (answered.get(id) ?? 0) + 1);
        }
      }
      return new Map(
        [...received]
          .filter(([, n]) => n >= 3)
          .map(([id, n]) => [id, Math.min(1, (answered.get(id) ?? 0) / n)]),
      );
    },
  };
}

/** Builds the indexes the models' schemas declare (outboxPending included). */
export async function ensureMatchmakingIndexes(connection: mongoose.Connection): Promise<void> {
  await createModelIndexes(Object.values(matchmakingModels(connection)));
}
