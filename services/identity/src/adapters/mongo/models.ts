import mongoose from 'mongoose';

/**
 * The identity service's collections as mongoose models. Options follow the platform's: unknown
 * fields fail the write, no `__v`, indexes built once at start (never TTL: the store may be
 * FerretDB, which has none; periodic jobs expire documents instead).
 */
const options = {
  strict: 'throw',
  strictQuery: false,
  versionKey: false,
  minimize: false,
  autoIndex: false,
  autoCreate: false,
  id: false,
} as const satisfies mongoose.SchemaOptions;
const sub = { _id: false, strict: 'throw', id: false } as const;

const outboxEntry = new mongoose.Schema(
  {
    id: { type: String, required: true },
    type: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, required: true },
    subject: String,
    source: { type: String, required: true },
    time: { type: Date, required: true },
    data: { type: Buffer, required: true },
    traceparent: String,
    tracestate: String,
  },
  sub,
);
/** The transactional outbox's fields (ADR 0004) in documents whose changes announce events. */
const outboxFields = {
  outbox: { type: [outboxEntry], default: undefined },
  outboxPending: { type: Boolean, index: true },
  outboxClaim: String,
  outboxClaimUntil: Date,
  outboxParked: { type: [mongoose.Schema.Types.Mixed], default: undefined },
};

const login = new mongoose.Schema(
  { kind: { type: String, required: true }, value: { type: String, required: true } },
  sub,
);

export const accountSchema = new mongoose.Schema(
  {
    _id: String,
    // `kind:value`: one account per login (unique index).
    loginKey: { type: String, required: true, unique: true },
    login: { type: login, required: true },
    displayName: { type: String, required: true },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    sessionsRevokedAt: Date,
    disabled: { type: Boolean, default: false },
    ...outboxFields,
  },
  options,
);

export const organisationSchema = new mongoose.Schema(
  {
    // An enterprise's is `enterprise:<registry id>`, so one registry enterprise has one organisation.
    _id: String,
    kind: { type: String, required: true },
    name: { type: String, required: true },
    provinceCode: { type: String, default: '' },
    enterpriseId: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  options,
);

export const membershipSchema = new mongoose.Schema(
  {
    // `<account>:<organisation>`: one membership per account and organisation.
    _id: String,
    accountId: { type: String, required: true, index: true },
    organisationId: { type: String, required: true, index: true },
    role: { type: String, required: true },
    createdAt: { type: Date, required: true },
    grantedBy: { type: String, default: '' },
    ...outboxFields,
  },
  options,
);

export const invitationSchema = new mongoose.Schema(
  {
    _id: String,
    organisationId: { type: String, required: true, index: true },
    role: { type: String, required: true },
    invitedLogin: { type: login, required: true },
    issuedBy: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    tokenHash: { type: String, required: true, unique: true },
    status: { type: String, required: true },
    acceptedBy: { type: String, default: '' },
    acceptedAt: Date,
  },
  options,
);

export const delegationSchema = new mongoose.Schema(
  {
    _id: String,
    organisationId: { type: String, required: true, index: true },
    enterpriseId: { type: String, required: true },
    enterpriseProvinceCode: { type: String, required: true },
    grantedBy: { type: String, required: true },
    delegateAccountId: { type: String, required: true, index: true },
    delegateMembershipId: { type: String, required: true },
    grantedAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    revokedAt: Date,
    revokedBy: { type: String, default: '' },
    ...outboxFields,
  },
  options,
);

export const auditEntrySchema = new mongoose.Schema(
  {
    // uuidv7: ordered by time, so `_id` pages newest first.
    _id: String,
    at: { type: Date, required: true },
    kind: { type: String, required: true },
    actorAccountId: { type: String, default: '', index: true },
    subjectAccountId: { type: String, default: '' },
    organisationId: { type: String, default: '', index: true },
    address: { type: String, default: '' },
    detail: { type: String, default: '' },
    onBehalfOf: { type: String, default: '' },
  },
  options,
);

export const attemptCounterSchema = new mongoose.Schema(
  {
    // `login:<kind:value>` or `address:<ip>`.
    _id: String,
    failures: { type: Number, required: true },
    windowStartedAt: { type: Date, required: true },
    lockedUntil: Date,
  },
  options,
);

export const collections = {
  accounts: 'accounts',
  organisations: 'organisations',
  memberships: 'memberships',
  invitations: 'invitations',
  delegations: 'delegations',
  audit: 'audit_log',
  attempts: 'sign_in_attempts',
} as const;

/** Collections whose documents carry an outbox, for the relay. */
export const outboxCollections = [collections.accounts, collections.memberships, collections.delegations];

export function identityModels(connection: mongoose.Connection) {
  const model = <S extends mongoose.Schema>(name: string, schema: S, collection: string) =>
    (connection.models[name] as mongoose.Model<mongoose.InferSchemaType<S>> | undefined) ??
    connection.model(name, schema, collection);
  return {
    accounts: model('Account', accountSchema, collections.accounts),
    organisations: model('Organisation', organisationSchema, collections.organisations),
    memberships: model('Membership', membershipSchema, collections.memberships),
    invitations: model('Invitation', invitationSchema, collections.invitations),
    delegations: model('Delegation', delegationSchema, collections.delegations),
    audit: model('AuditEntry', auditEntrySchema, collections.audit),
    attempts: model('SignInAttempts', attemptCounterSchema, collections.attempts),
  };
}
export type IdentityModels = ReturnType<typeof identityModels>;
