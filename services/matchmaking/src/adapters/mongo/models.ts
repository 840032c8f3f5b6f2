import { documentSchemaOptions, outboxSchemaFields, subSchemaOptions } from '@lienket/eventbus';
import mongoose, { type InferSchemaType } from 'mongoose';

const { Schema } = mongoose;

export const collections = {
  supplies: 'projection_supplies',
  demands: 'projection_demands',
  parties: 'projection_parties',
  proposals: 'proposals',
  demandOutcomes: 'demand_outcomes',
} as const;

/**
 * The projections keep the matching package's own types (`Supply`, `Demand`, `Party` of
 * @lienket/matching) as one value each, written and patched by path per event; `at` is the time of
 * the newest event applied (an older, replayed one never wins). Rebuildable from the events.
 */
const projection = (field: 'supply' | 'demand' | 'party', indexed: boolean) => {
  const schema = new Schema(
    {
      _id: String,
      [field]: { type: Schema.Types.Mixed, required: true },
      ...(field === 'party' ? {} : { title: String }),
      at: { type: Date, required: true },
    },
    documentSchemaOptions,
  );
  if (indexed) schema.index({ [`${field}.open`]: 1 });
  return schema;
};

export const supplySchema = projection('supply', true);
export const demandSchema = projection('demand', true);
export const partySchema = projection('party', false);

export const proposalSchema = new Schema(
  {
    _id: String,
    /** need:capability, unique: one proposal per pair, whichever instance proposes it. */
    pairKey: { type: String, required: true },
    needId: { type: String, required: true },
    capabilityId: { type: String, required: true },
    buyerEnterpriseId: { type: String, required: true },
    supplierEnterpriseId: { type: String, required: true },
    buyerProvince: String,
    supplierProvince: String,
    score: { type: Number, min: 0, max: 1 },
    components: [
      new Schema(
        {
          name: String,
          value: Number,
          weight: Number,
          contribution: Number,
          detail: String,
          detailVi: String,
        },
        subSchemaOptions,
      ),
    ],
    reason: String,
    reasonVi: String,
    status: {
      type: String,
      required: true,
      enum: ['proposed', 'accepted_by_one', 'established', 'declined', 'expired', 'retracted'],
    },
    buyerAcceptedAt: Date,
    supplierAcceptedAt: Date,
    declinedBy: String,
    declineReason: String,
    createdAt: Date,
    updatedAt: Date,
    expiresAt: Date,
    hsCodes: [String],
    vsicCodes: [String],
    category: String,
    triggeredBy: { type: String, enum: ['need', 'capability'] },
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
proposalSchema.index({ pairKey: 1 }, { unique: true });
proposalSchema.index({ buyerEnterpriseId: 1 });
proposalSchema.index({ supplierEnterpriseId: 1 });
proposalSchema.index({ buyerProvince: 1 });
proposalSchema.index({ supplierProvince: 1 });
proposalSchema.index({ needId: 1 });
proposalSchema.index({ capabilityId: 1 });
proposalSchema.index({ status: 1, expiresAt: 1 });

/** An outcome recorded once per need and reason (`_id`: need:reason), e.g. DemandUnmet. */
export const demandOutcomeSchema = new Schema(
  {
    _id: String,
    needId: { type: String, required: true },
    reason: { type: String, required: true },
    at: { type: Date, required: true },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);

export type ProjectedSupplyDocument = InferSchemaType<typeof supplySchema>;
export type ProposalDocument = InferSchemaType<typeof proposalSchema>;
export type DemandOutcomeDocument = InferSchemaType<typeof demandOutcomeSchema>;

/** Matchmaking's models, compiled on its own connection (never the global mongoose). */
export function matchmakingModels(connection: mongoose.Connection) {
  const model = <S extends mongoose.Schema>(name: string, schema: S, collection: string) =>
    (connection.models[name] as mongoose.Model<InferSchemaType<S>> | undefined) ??
    connection.model<InferSchemaType<S>>(name, schema, collection);
  return {
    supplies: model('ProjectedSupply', supplySchema, collections.supplies),
    demands: model('ProjectedDemand', demandSchema, collections.demands),
    parties: model('ProjectedParty', partySchema, collections.parties),
    proposals: model('Proposal', proposalSchema, collections.proposals),
    demandOutcomes: model('DemandOutcome', demandOutcomeSchema, collections.demandOutcomes),
  };
}

export type MatchmakingModels = ReturnType<typeof matchmakingModels>;
