import { documentSchemaOptions, outboxSchemaFields, subSchemaOptions } from '@lienket/eventbus';
import mongoose, { type InferSchemaType } from 'mongoose';

const { Schema } = mongoose;

export const collections = {
  enterprises: 'enterprises',
  postings: 'postings',
  clusters: 'clusters',
  contactGrants: 'contact_grants',
} as const;

/** An array only some documents have (mongoose would otherwise write `[]` into every other one). */
const optionalStrings = { type: [String], default: undefined };

export const enterpriseSchema = new Schema(
  {
    _id: String,
    taxCode: { type: String, required: true },
    name: { type: String, required: true },
    kind: {
      type: String,
      required: true,
      enum: [
        'enterprise',
        'cooperative',
        'household_business',
        'rural_industrial_establishment',
        'research_institute',
        'promotion_centre',
      ],
    },
    supportingIndustry: Boolean,
    leadFirm: Boolean,
    province: { type: String, required: true },
    legacyProvince: String,
    region: String,
    address: String,
    primaryVsic: String,
    vsicCodes: [String],
    sizeBand: { type: String, enum: ['micro', 'small', 'medium', 'large', 'unspecified'] },
    recognitions: [
      new Schema({ kind: String, level: String, year: Number, product: String }, subSchemaOptions),
    ],
    trademarks: [new Schema({ name: String, registrationNumber: String }, subSchemaOptions)],
    contact: new Schema({ person: String, phone: String, email: String }, subSchemaOptions),
    verification: new Schema(
      {
        status: { type: String, enum: ['unverified', 'verified', 'rejected'] },
        reason: String,
        decidedBy: String,
        decidedAt: Date,
      },
      subSchemaOptions,
    ),
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    // Derived from the state for search; never read back as state.
    searchTokens: [String],
    vsicPrefixes: [String],
    vsicDivisions: [String],
    recognitionKinds: [String],
    verified: Boolean,
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
enterpriseSchema.index({ taxCode: 1 }, { unique: true });
enterpriseSchema.index({ province: 1 });
enterpriseSchema.index({ region: 1 });
enterpriseSchema.index({ vsicPrefixes: 1 });
enterpriseSchema.index({ searchTokens: 1 });

const quantity = new Schema({ value: Number, unit: String }, subSchemaOptions);
const moneyRange = new Schema({ minVnd: Number, maxVnd: Number }, subSchemaOptions);

/** Capabilities and needs share one collection (`kind`); the fields of the other kind stay absent. */
export const postingSchema = new Schema(
  {
    _id: String,
    kind: { type: String, required: true, enum: ['capability', 'need'] },
    enterpriseId: { type: String, required: true },
    title: String,
    description: String,
    hsCodes: [String],
    vsicCodes: [String],
    province: { type: String, required: true },
    validUntil: Date,
    expiringNoticeFor: Date,
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    status: { type: String, required: true, enum: ['open', 'withdrawn', 'expired', 'fulfilled', 'closed'] },
    // capability
    monthlyCapacity: quantity,
    minimumOrder: quantity,
    leadTimeDays: Number,
    servedProvinces: optionalStrings,
    servedRegions: optionalStrings,
    certifications: optionalStrings,
    priceBand: moneyRange,
    // need
    category: {
      type: String,
      enum: ['material', 'component', 'outsourcing', 'equipment', 'technology', 'service'],
    },
    quantityPerMonth: quantity,
    deadline: Date,
    requiredCertifications: optionalStrings,
    preferredProvinces: optionalStrings,
    excludedProvinces: optionalStrings,
    budget: moneyRange,
    // Derived from the state for search; never read back as state.
    searchTokens: [String],
    vsicPrefixes: [String],
    hsPrefixes: [String],
    vsicDivisions: [String],
    hsChapters: [String],
    certificationKinds: [String],
    region: String,
    // The enterprise's open-posting slot `<enterpriseId>#<n>` while open, the posting's id once
    // closed: unique, so an enterprise never holds more open postings than slots (ADR 0019).
    slot: String,
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);
postingSchema.index({ slot: 1 }, { unique: true });
postingSchema.index({ kind: 1, status: 1, province: 1 });
postingSchema.index({ enterpriseId: 1 });
postingSchema.index({ vsicPrefixes: 1 });
postingSchema.index({ hsPrefixes: 1 });
postingSchema.index({ searchTokens: 1 });
postingSchema.index({ status: 1, validUntil: 1 });

export const clusterSchema = new Schema(
  {
    _id: String,
    name: { type: String, required: true },
    chain: String,
    anchorEnterpriseId: String,
    members: [new Schema({ enterpriseId: String, province: String, joinedAt: Date }, subSchemaOptions)],
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, required: true },
    ...outboxSchemaFields,
  },
  documentSchemaOptions,
);

/** Each side of an established match may read the other's contact for that match (`_id`: match:grantee:enterprise). */
export const contactGrantSchema = new Schema(
  {
    _id: String,
    enterpriseId: { type: String, required: true },
    granteeId: { type: String, required: true },
    matchId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  documentSchemaOptions,
);

export type EnterpriseDocument = InferSchemaType<typeof enterpriseSchema>;
export type PostingDocument = InferSchemaType<typeof postingSchema>;
export type ClusterDocument = InferSchemaType<typeof clusterSchema>;
export type ContactGrantDocument = InferSchemaType<typeof contactGrantSchema>;

/** The registry's models, compiled on its own connection (never the global mongoose). */
export function registryModels(connection: mongoose.Connection) {
  const model = <S extends mongoose.Schema>(name: string, schema: S, collection: string) =>
    (connection.models[name] as mongoose.Model<InferSchemaType<S>> | undefined) ??
    connection.model<InferSchemaType<S>>(name, schema, collection);
  return {
    enterprises: model('Enterprise', enterpriseSchema, collections.enterprises),
    postings: model('Posting', postingSchema, collections.postings),
    clusters: model('Cluster', clusterSchema, collections.clusters),
    contactGrants: model('ContactGrant', contactGrantSchema, collections.contactGrants),
  };
}

export type RegistryModels = ReturnType<typeof registryModels>;
