import { documentSchemaOptions, outboxSchemaFields, subSchemaOptions } from '@lienket/eventbus';
import mongoose, { type InferSchemaType } from 'mongoose';
import {
  enterpriseKinds,
  fundingSources,
  paymentSources,
  pledgeStatuses,
  schemeStatuses,
  sponsorKinds,
  supportLines,
  treatmentStates,
} from '../../domain/model';

const { Schema } = mongoose;

export const collections = {
  rules: 'support_line_rules',
  schemes: 'schemes',
  budgets: 'budgets',
  pledges: 'pledges',
  plans: 'plans',
  sites: 'cluster_sites',
} as const;

const nullable = <T>(type: T) => ({ type, default: null });
const line = { type: String, enum: supportLines };
const source = { type: String, enum: fundingSources };

export const ruleSchema = new Schema(
  {
    _id: String,
    line,
    year: Number,
    source,
    funds: [String],
    capVnd: Number,
    minCounterpartPercent: Number,
    eligibleKinds: [{ type: String, enum: enterpriseKinds }],
    updatedBy: String,
    updatedAt: Date,
    version: { type: Number, required: true },
    search: {},
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
ruleSchema.index({ year: 1, source: 1 });

const funding = new Schema(
  { costVnd: Number, stateVnd: Number, stateSource: source, counterpartVnd: Number, sponsorVnd: Number },
  subSchemaOptions,
);

export const schemeSchema = new Schema(
  {
    _id: String,
    title: String,
    line,
    year: Number,
    province: String,
    proposedBy: { type: String, enum: ['enterprise', 'centre'] },
    beneficiaryId: String,
    beneficiaryKind: { type: String, enum: enterpriseKinds },
    siteId: String,
    pollutionTreatment: Boolean,
    funding,
    status: { type: String, required: true, enum: schemeStatuses },
    appraisal: nullable(
      new Schema(
        {
          checklist: [new Schema({ item: String, passed: Boolean }, subSchemaOptions)],
          score: Number,
          reasons: String,
          passed: Boolean,
          by: String,
          at: Date,
        },
        subSchemaOptions,
      ),
    ),
    budgetId: String,
    decidedBy: String,
    decisionReason: String,
    contractNumber: String,
    milestones: [
      new Schema(
        { id: String, title: String, evidence: [String], recordedBy: String, recordedAt: Date },
        subSchemaOptions,
      ),
    ],
    disbursements: [
      new Schema(
        {
          id: String,
          source: { type: String, enum: paymentSources },
          amountVnd: Number,
          reference: String,
          recordedBy: String,
          recordedAt: Date,
        },
        subSchemaOptions,
      ),
    ],
    pledges: [
      new Schema(
        {
          pledgeId: String,
          sponsorId: String,
          sponsorKind: { type: String, enum: sponsorKinds },
          amountVnd: Number,
          status: { type: String, enum: ['pledged', 'received'] },
          receivedAt: nullable(Date),
        },
        subSchemaOptions,
      ),
    ],
    outcomes: nullable(
      new Schema(
        {
          jobs: Number,
          outputVnd: Number,
          energySavedKwh: Number,
          emissionsCutTonnesCo2e: Number,
          firmsReached: Number,
        },
        subSchemaOptions,
      ),
    ),
    history: [new Schema({ status: String, by: String, at: Date }, subSchemaOptions)],
    createdBy: String,
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    /** The sponsors whose pledges are matched to it (a sponsor reads where its money went). */
    search: { sponsorIds: [String] },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
schemeSchema.index({ province: 1, year: 1, status: 1 });
schemeSchema.index({ beneficiaryId: 1 });
schemeSchema.index({ status: 1, updatedAt: 1 });
schemeSchema.index({ 'search.sponsorIds': 1 });

/**
 * Budgets change by conditional increments (never below zero available; each scheme reserved and
 * released once, ADR 0018), besides versioned saves of the total.
 */
export const budgetSchema = new Schema(
  {
    _id: String,
    year: Number,
    source,
    province: String,
    totalVnd: Number,
    availableVnd: Number,
    committedVnd: Number,
    reservedSchemeIds: [String],
    releasedSchemeIds: [String],
    updatedAt: Date,
    version: { type: Number, required: true },
    search: {},
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);

export const pledgeSchema = new Schema(
  {
    _id: String,
    sponsorId: { type: String, required: true },
    sponsorName: String,
    sponsorKind: { type: String, enum: sponsorKinds },
    target: new Schema(
      { schemeId: String, line: { type: String, enum: ['', ...supportLines] }, province: String },
      subSchemaOptions,
    ),
    amountVnd: Number,
    status: { type: String, required: true, enum: pledgeStatuses },
    schemeId: String,
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    /** The province it serves: its target's, or its scheme's once matched. */
    search: { province: String },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
pledgeSchema.index({ sponsorId: 1 });
pledgeSchema.index({ 'search.province': 1 });
pledgeSchema.index({ schemeId: 1 });

export const planSchema = new Schema(
  {
    _id: String,
    year: Number,
    province: String,
    targets: [
      new Schema({ line, schemes: Number, stateVnd: Number, beneficiaries: Number }, subSchemaOptions),
    ],
    updatedBy: String,
    updatedAt: Date,
    version: { type: Number, required: true },
    search: {},
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);

export const siteSchema = new Schema(
  {
    _id: String,
    name: String,
    province: { type: String, required: true },
    operator: String,
    areaHectares: Number,
    occupancyPercent: Number,
    tenantIds: [String],
    treatment: { type: String, enum: treatmentStates },
    treatmentHistory: [
      new Schema(
        {
          state: { type: String, enum: treatmentStates },
          at: Date,
          by: String,
          schemeId: String,
          note: String,
        },
        subSchemaOptions,
      ),
    ],
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    search: {},
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
siteSchema.index({ province: 1, treatment: 1 });

export type BudgetDocument = InferSchemaType<typeof budgetSchema>;

/** The service's models, compiled on its own connection (never the global mongoose). */
export function programmeModels(connection: mongoose.Connection) {
  const model = <S extends mongoose.Schema>(name: string, schema: S, collection: string) =>
    (connection.models[name] as mongoose.Model<InferSchemaType<S>> | undefined) ??
    connection.model<InferSchemaType<S>>(name, schema, collection);
  return {
    rules: model('SupportLineRule', ruleSchema, collections.rules),
    schemes: model('Scheme', schemeSchema, collections.schemes),
    budgets: model('Budget', budgetSchema, collections.budgets),
    pledges: model('Pledge', pledgeSchema, collections.pledges),
    plans: model('Plan', planSchema, collections.plans),
    sites: model('ClusterSite', siteSchema, collections.sites),
  };
}

export type ProgrammeModels = ReturnType<typeof programmeModels>;
