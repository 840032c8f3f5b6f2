import { isDeepStrictEqual } from 'node:util';
import { createModelIndexes } from '@lienket/eventbus';
import type mongoose from 'mongoose';
import type { Condition, FactStore, StoredFact, SumQuery, SumRow } from '../../app/ports';
import { canonical } from '../../domain/facts';
import { type FactKind, type FactUpdate, factKinds } from '../../domain/rules';

import { factCollection, factModels } from './models';

type FactDocument = { _id: string; rev: number } & Record<string, unknown>;

export { factCollection } from './models';

/** Merges that lost a compare-and-set this many times in a row give up (the consumer retries the event). */
const MAX_ATTEMPTS = 25;

/** Builds the indexes the fact models' schemas declare. */
export async function ensureFactIndexes(connection: mongoose.Connection): Promise<void> {
  await createModelIndexes(Object.values(factModels(connection)));
}

/**
 * Facts in one collection per kind. A merge reads the document, reduces, and writes it back only
 * if its revision is unchanged (insert for a new one: the unique _id decides between two racing
 * inserts); a lost race reads again. No transaction, no counter: FerretDB serves all of it.
 */
export function createMongoFactStore(connection: mongoose.Connection): FactStore {
  const models = factModels(connection);
  // The merge runs for every consumed event: through the model's collection (ADR 0010).
  const collection = (kind: FactKind) =>
    models[kind].collection as unknown as mongoose.mongo.Collection<FactDocument>;

  return {
    async apply(update: FactUpdate): Promise<boolean> {
      const facts = collection(update.kind);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const stored = await facts.findOne({ _id: update.id });
        const { _id, rev, ...current } = stored ?? { _id: update.id, rev: 0 };
        const next = canonical(update.reduce(stored ? (current as never) : undefined)) as Record<
          string,
          unknown
        >;
        if (stored && isDeepStrictEqual(canonical(current), next)) return false;
        if (!stored) {
          try {
            await facts.insertOne({ ...next, _id, rev: 1 });
            return true;
          } catch (error) {
            if ((error as { code?: number }).code === 11000) continue;
            throw error;
          }
        }
        const result = await facts.replaceOne({ _id, rev }, { ...next, rev: rev + 1 });
        if (result.matchedCount === 1) return true;
      }
      throw new Error(`fact ${update.kind}/${update.id}: too much contention`);
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
