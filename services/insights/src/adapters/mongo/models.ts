import { documentSchemaOptions } from '@lienket/eventbus';
import mongoose, { type InferSchemaType } from 'mongoose';
import { type FactKind, factKinds } from '../../domain/rules';

export const factCollection = (kind: FactKind) => `${kind}_facts`;

/** Figures look these times up; every other read is a scan of one kind's (small) documents. */
const indexes: Partial<Record<FactKind, Record<string, 1>[]>> = {
  proposal: [{ proposedAt: 1 }, { establishedAt: 1 }],
  need: [{ postedAt: 1 }],
  capability: [{ postedAt: 1 }],
  demand: [{ unmetAt: 1 }],
  offer: [{ publishedAt: 1 }],
  interest: [{ expressedAt: 1 }],
  cofunding: [{ requestedAt: 1 }],
  disbursement: [{ at: 1 }],
  enterprise: [{ province: 1 }],
};

/**
 * One fact per document, in one collection per kind. The schema declares the key and the revision
 * the compare-and-set merge relies on; the rest of a fact is what its reducer in `domain/facts`
 * returns (canonical form), so the schema lets it through (`strict: false`) rather than repeat each
 * reducer's shape. The batch merge reads and writes through the model's collection (ADR 0010).
 */
export const factSchema = (kind: FactKind) => {
  const schema = new mongoose.Schema(
    { _id: String, rev: { type: Number, required: true, min: 1 } },
    { ...documentSchemaOptions, strict: false },
  );
  for (const keys of indexes[kind] ?? []) schema.index(keys);
  return schema;
};

export type FactDocument = InferSchemaType<ReturnType<typeof factSchema>> & Record<string, unknown>;

/** A model per fact kind, compiled on the service's own connection (never the global mongoose). */
export function factModels(connection: mongoose.Connection) {
  return Object.fromEntries(
    factKinds.map((kind) => {
      const name = `Fact:${kind}`;
      const model =
        (connection.models[name] as mongoose.Model<FactDocument> | undefined) ??
        connection.model<FactDocument>(name, factSchema(kind), factCollection(kind));
      return [kind, model];
    }),
  ) as Record<FactKind, mongoose.Model<FactDocument>>;
}
