import { documentSchemaOptions, outboxSchemaFields, subSchemaOptions } from '@lienket/eventbus';
import mongoose, { type InferSchemaType } from 'mongoose';

const { Schema } = mongoose;

export const collections = {
  parties: 'projection_parties',
  offers: 'offers',
  requests: 'requests',
  interests: 'interests',
  programmes: 'programmes',
  applications: 'cofunding_applications',
} as const;

const moneyRange = new Schema({ minVnd: Number, maxVnd: Number }, subSchemaOptions);
const nullable = <T>(type: T) => ({ type, default: null });
const codeSearch = {
  hsPrefixes: [String],
  vsicPrefixes: [String],
  hsChapters: [String],
  vsicDivisions: [String],
};

/** What techtransfer knows of an enterprise, from the registry's events (`at`: the newest event applied). */
export const partySchema = new Schema(
  {
    _id: String,
    province: String,
    region: String,
    kind: String,
    verified: Boolean,
    supportingIndustry: Boolean,
    leadFirm: Boolean,
    recognitions: [String],
    rejected: Boolean,
    at: { type: Date, required: true },
  },
  documentSchemaOptions,
);

export const offerSchema = new Schema(
  {
    _id: String,
    ownerId: { type: String, required: true },
    ownerProvince: String,
    ownerRegion: String,
    ownerKind: String,
    anonymous: Boolean,
    title: String,
    summary: String,
    hsCodes: [String],
    vsicCodes: [String],
    keywords: [String],
    readinessLevel: Number,
    ipStatus: { type: String, enum: ['patent', 'utility_solution', 'know_how', 'none'] },
    ipNumbers: [String],
    transferModes: [String],
    priceBand: nullable(moneyRange),
    cleanerProduction: Boolean,
    pollutionTreatment: Boolean,
    languages: [String],
    visibility: { type: String, enum: ['public', 'verified_enterprises', 'named_provinces'] },
    visibleProvinces: [String],
    validUntil: nullable(Date),
    status: { type: String, required: true, enum: ['draft', 'published', 'withdrawn', 'expired'] },
    publishedAt: nullable(Date),
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    search: { ...codeSearch, tokens: [String] },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
offerSchema.index({ status: 1, validUntil: 1 });
offerSchema.index({ ownerId: 1 });
offerSchema.index({ 'search.vsicPrefixes': 1 });
offerSchema.index({ 'search.hsPrefixes': 1 });
offerSchema.index({ 'search.tokens': 1 });

export const requestSchema = new Schema(
  {
    _id: String,
    requesterId: { type: String, required: true },
    province: String,
    region: String,
    title: String,
    description: String,
    hsCodes: [String],
    vsicCodes: [String],
    keywords: [String],
    minReadinessLevel: Number,
    transferModes: [String],
    budget: nullable(moneyRange),
    cleanerProduction: Boolean,
    pollutionTreatment: Boolean,
    source: { type: String, enum: ['direct', 'registry_need'] },
    registryNeedId: String,
    validUntil: Date,
    status: { type: String, required: true, enum: ['open', 'closed', 'expired'] },
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    search: { ...codeSearch, tokens: [String] },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
requestSchema.index({ status: 1, validUntil: 1 });
requestSchema.index({ requesterId: 1 });

const attachment = new Schema(
  { fileName: String, mediaType: String, sizeBytes: Number, sha256: String },
  subSchemaOptions,
);
const negotiationMessage = new Schema(
  { id: String, authorId: String, text: String, attachments: [attachment], sentAt: Date },
  subSchemaOptions,
);
const agreement = new Schema(
  {
    id: String,
    type: { type: String, enum: ['licence', 'sale', 'joint_venture', 'training', 'subcontracting'] },
    valueVnd: Number,
    startDate: Date,
    termsSummary: String,
    status: { type: String, enum: ['proposed', 'signed'] },
    proposedBy: String,
    proposedAt: Date,
    signedAt: nullable(Date),
  },
  subSchemaOptions,
);

export const interestSchema = new Schema(
  {
    _id: String,
    offerId: { type: String, required: true },
    offerTitle: String,
    ownerId: String,
    ownerProvince: String,
    anonymousOwner: Boolean,
    hsCodes: [String],
    vsicCodes: [String],
    cleanerProduction: Boolean,
    pollutionTreatment: Boolean,
    interestedId: { type: String, required: true },
    interestedProvince: String,
    requestId: String,
    message: String,
    status: {
      type: String,
      required: true,
      enum: ['pending', 'negotiating', 'declined', 'agreed', 'abandoned', 'expired', 'withdrawn'],
    },
    respondBy: Date,
    reminded: { type: String, enum: ['', 'respond', 'negotiate'] },
    messages: [negotiationMessage],
    agreement: nullable(agreement),
    declineReason: String,
    abandonReason: String,
    abandonedBy: { type: String, enum: ['', 'owner', 'interested', 'timeout'] },
    lastActivityAt: Date,
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    /** `key`: offer + enterprise while open (unique), the interest's id once closed. */
    search: { key: String, agreementId: String },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
interestSchema.index({ 'search.key': 1 }, { unique: true });
interestSchema.index({ 'search.agreementId': 1 });
interestSchema.index({ status: 1, respondBy: 1 });
interestSchema.index({ offerId: 1 });

export const programmeSchema = new Schema(
  {
    _id: String,
    name: String,
    funderKind: { type: String, enum: ['national_fund', 'provincial_fund', 'sponsor'] },
    sponsor: nullable(
      new Schema(
        {
          name: String,
          kind: { type: String, enum: ['domestic_organisation', 'foreign_organisation', 'person'] },
          country: String,
        },
        subSchemaOptions,
      ),
    ),
    province: String,
    budgetVnd: Number,
    availableVnd: Number,
    committedVnd: Number,
    disbursedVnd: Number,
    maxCofundingPercent: Number,
    perProjectCapVnd: Number,
    eligibility: new Schema(
      { provinces: [String], vsicPrefixes: [String], cleanerProductionOnly: Boolean },
      subSchemaOptions,
    ),
    status: { type: String, required: true, enum: ['open', 'closed'] },
    reservations: [new Schema({ applicationId: String, amountVnd: Number }, subSchemaOptions)],
    draws: [new Schema({ disbursementId: String, amountVnd: Number }, subSchemaOptions)],
    createdBy: String,
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    search: { reserved: Boolean },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);

export const applicationSchema = new Schema(
  {
    _id: String,
    programmeId: { type: String, required: true },
    agreementId: String,
    interestId: String,
    applicantId: String,
    applicantProvince: String,
    amountVnd: Number,
    agreementValueVnd: Number,
    vsicCodes: [String],
    cleanerProduction: Boolean,
    status: {
      type: String,
      required: true,
      enum: ['requested', 'approving', 'approved', 'rejected', 'disbursed'],
    },
    decidedBy: String,
    decisionReason: String,
    decidedAt: nullable(Date),
    disbursements: [
      new Schema(
        { id: String, amountVnd: Number, reference: String, recordedBy: String, recordedAt: Date },
        subSchemaOptions,
      ),
    ],
    disbursedVnd: Number,
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    /** One open application per agreement and programme; a rejected one frees the key. */
    search: { key: String },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
applicationSchema.index({ 'search.key': 1 }, { unique: true });
applicationSchema.index({ programmeId: 1, status: 1 });

export type PartyDocument = InferSchemaType<typeof partySchema>;
export type OfferDocument = InferSchemaType<typeof offerSchema>;
export type RequestDocument = InferSchemaType<typeof requestSchema>;
export type InterestDocument = InferSchemaType<typeof interestSchema>;
export type ProgrammeDocument = InferSchemaType<typeof programmeSchema>;
export type ApplicationDocument = InferSchemaType<typeof applicationSchema>;

/** The service's models, compiled on its own connection (never the global mongoose). */
export function techTransferModels(connection: mongoose.Connection) {
  const model = <S extends mongoose.Schema>(name: string, schema: S, collection: string) =>
    (connection.models[name] as mongoose.Model<InferSchemaType<S>> | undefined) ??
    connection.model<InferSchemaType<S>>(name, schema, collection);
  return {
    parties: model('Party', partySchema, collections.parties),
    offers: model('Offer', offerSchema, collections.offers),
    requests: model('TechRequest', requestSchema, collections.requests),
    interests: model('Interest', interestSchema, collections.interests),
    programmes: model('Programme', programmeSchema, collections.programmes),
    applications: model('CoFundingApplication', applicationSchema, collections.applications),
  };
}

export type TechTransferModels = ReturnType<typeof techTransferModels>;
