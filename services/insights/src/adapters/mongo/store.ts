import { createModelIndexes } from '@lienket/eventbus';
import type mongoose from 'mongoose';
import type { Condition, FactStore, StoredFact, SumQuery, SumRow } from '../../app/ports';
import { type FactKind, factKinds } from '../../domain/rules';
import { type FactChange, factKey, type StoredFactState } from '../../domain/rules/fold';

import { factCollection, factModels } from './models';

type FactDocument = { _id: string; rev: number } & Record<string, unknown>;

export { factCollection } from './models';

/** The facts' version counter (FactStore.factsVersion). */
export const VERSION_COLLECTION = 'fact_versions';

/** Builds the indexes the fact models' schemas declare. */
export async function ensureFactIndexes(connection: mongoose.Connection): Promise<void> {
  await createModelIndexes(Object.values(factModels(connection)));
}

/** Write errors of an unordered insert, when every one of them is a duplicate key (else undefined). */
function duplicateKeyIndexes(error: unknown): number[] | undefined {
  const e = error as {
    code?: number;
    writeErrors?: { index: number; code: number }[] | { index: number; code: number };
  };
  const list =
    e.writeErrors === undefined ? [] : Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
  if (list.length === 0 || list.some((w) => w.code !== 11000)) return undefined;
  return list.map((w) => w.index);
}

/**
 * Facts in one collection per kind. A batch reads the facts it touches (one find per kind), folds
 * its events over them in memory, and writes back only the changed ones, each only if its revision
 * is unchanged (one unordered insert of new facts, whose unique _id decides between two racing
 * inserts, and one unordered update of the others per kind); the caller reads and folds again what
 * lost. No transaction, no counter: FerretDB serves all of it.
 */
export function createMongoFactStore(connection: mongoose.Connection): FactStore {
  const models = factModels(connection);
  // Reads and writes run for every consumed batch: through the model's collection (ADR 0010).
  const collection = (kind: FactKind) =>
    models[kind].collection as unknown as mongoose.mongo.Collection<FactDocument>;
  // One counter document, moved after each write that changed facts: the figures' cache key.
  const versions = connection.collection(VERSION_COLLECTION) as unknown as mongoose.mongo.Collection<{
    _id: string;
    v: number;
  }>;

  return {
    async readFacts(ids) {
      const stored = new Map<string, StoredFactState>();
      await Promise.all(
        [...ids].map(async ([kind, keys]) => {
          if (keys.length === 0) return;
          for (const { _id, rev, ...fact } of await collection(kind)
            .find({ _id: { $in: [...keys] } })
            .toArray())
            stored.set(factKey(kind, _id), { fact, rev });
        }),
      );
      return stored;
    },

    async writeFacts(changes) {
      const byKind = new Map<FactKind, FactChange[]>();
      for (const change of changes) byKind.set(change.kind, [...(byKind.get(change.kind) ?? []), change]);
      const lost: string[] = [];
      await Promise.all(
        [...byKind].map(async ([kind, list]) => {
          const facts = collection(kind);
          const created = list.filter((c) => c.rev === 0);
          const changed = list.filter((c) => c.rev > 0);
          const inserting = async () => {
            if (created.length === 0) return;
            try {
              await facts.insertMany(
                created.map((c) => ({ ...(c.fact as object), _id: c.id, rev: 1 })),
                { ordered: false },
              );
            } catch (error) {
              const refused = duplicateKeyIndexes(error);
              if (!refused) throw error;
              for (const index of refused) {
                const c = created[index];
                if (c) lost.push(factKey(kind, c.id));
              }
            }
          };
          const replacing = async () => {
            if (changed.length === 0) return;
            const result = await facts.bulkWrite(
              changed.map((c) => ({
                replaceOne: {
                  filter: { _id: c.id, rev: c.rev },
                  replacement: { ...(c.fact as object), rev: c.rev + 1 },
                },
              })),
              { ordered: false },
            );
            // The result does not say which one missed: all of them are read and folded again, and
            // those that were written fold to no change.
            if (result.matchedCount < changed.length) lost.push(...changed.map((c) => factKey(kind, c.id)));
          };
          await Promise.all([inserting(), replacing()]);
        }),
      );
      // Moved after the writes (even those that lost: moving it once too often costs one recount), so
      // a reader that still sees the old number never keeps figures counted before them past it.
      if (changes.length > 0)
        await versions.updateOne({ _id: 'facts' }, { $inc: { v: 1 } }, { upsert: true });
      return lost;
    },

    async factsVersion() {
      return (await versions.findOne({ _id: 'facts' }))?.v ?? 0;
    },

    async sum(q: SumQuery): Promise<SumRow[]> {
      const pipeline: mongoose.mongo.Document[] = [{ $match: q.match }];
      for (const stage of q.stages ?? [])
        pipeline.push('unwind' in stage ? { $unwind: `$${stage.unwind}` } : { $match: stage.match });
      const id = q.by.length === 0 ? null : Object.fromEntries(q.by.map((path, i) => [`k${i}`, `$${path}`]));
      // One accumulator per $group: FerretDB 1.24 returns 0 for every accumulator after the first.
      pipeline.push({ $group: { _id: id, v: { $sum: q.sum ? `$${q.sum}` : 1 } } });
      if (q.top !== undefined) {
        pipeline.push(
          { $sort: { v: -1, ...Object.fromEntries(q.by.map((_, i) => [`_id.k${i}`, 1])) } },
          { $limit: q.top },
        );
      }
      const docs = await models[q.kind].aggregate<{ _id: unknown; v: unknown }>(pipeline as never).exec();
      return docs.map((doc) => ({
        key: q.by.map((_, i) => {
          const value = (doc._id as Record<string, unknown> | null)?.[`k${i}`];
          return value === undefined || value === null ? '' : String(value);
        }),
        value: Number(doc.v) || 0,
      }));
    },

    async find<K extends FactKind>(kind: K, match: Condition): Promise<StoredFact<K>[]> {
      return (await models[kind].find(match).lean().exec()) as unknown as StoredFact<K>[];
    },
  };
}

/** Every fact collection, e.g. for a test that compares two stores. */
export const factCollections = factKinds.map(factCollection);
