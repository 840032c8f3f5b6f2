import mongoose from 'mongoose';

/**
 * oidc-provider's storage (sessions, interactions, codes, refresh tokens, grants…) in this
 * service's database, one collection per model (`oidc_<model>`). The payload is stored as JSON
 * text: its keys are oidc-provider's (resource indicators, claim names) and the store refuses keys
 * with `.` or `$`. No TTL index (FerretDB has none): `expiresAt` is indexed and a periodic job
 * deletes what has expired (`pruneExpired`); reads also ignore expired documents.
 */
const schema = new mongoose.Schema(
  {
    _id: String,
    payload: { type: String, required: true },
    expiresAt: { type: Date, index: true },
    // Lookups oidc-provider makes besides the id, and the account (sign out everywhere).
    uid: { type: String, index: true },
    grantId: { type: String, index: true },
    userCode: { type: String, index: true },
    accountId: { type: String, index: true },
  },
  { strict: 'throw', versionKey: false, autoIndex: false, autoCreate: false, id: false },
);

/** The models oidc-provider stores (see its adapter interface). */
export const oidcModelNames = [
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'ClientCredentials',
  'Client',
  'InitialAccessToken',
  'RegistrationAccessToken',
  'DeviceCode',
  'Interaction',
  'ReplayDetection',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
  'Grant',
] as const;

type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  accountId?: string;
};

const collectionOf = (name: string) =>
  `oidc_${name.replace(/[A-Z]/g, (c, i) => (i ? '_' : '') + c.toLowerCase())}`;

export function oidcModel(connection: mongoose.Connection, name: string) {
  const modelName = `Oidc${name}`;
  return (
    (connection.models[modelName] as mongoose.Model<mongoose.InferSchemaType<typeof schema>> | undefined) ??
    connection.model(modelName, schema, collectionOf(name))
  );
}

/** An oidc-provider adapter class bound to a connection. */
export function mongoOidcAdapter(connection: mongoose.Connection, clock: () => Date = () => new Date()) {
  return class MongoOidcAdapter {
    readonly model: ReturnType<typeof oidcModel>;

    constructor(name: string) {
      this.model = oidcModel(connection, name);
    }

    async upsert(id: string, payload: Payload, expiresIn?: number) {
      const expiresAt = expiresIn ? new Date(clock().getTime() + expiresIn * 1000) : undefined;
      const set: Record<string, unknown> = {
        payload: JSON.stringify(payload),
        ...(expiresAt ? { expiresAt } : {}),
        ...(payload.grantId ? { grantId: payload.grantId } : {}),
        ...(payload.uid ? { uid: payload.uid } : {}),
        ...(payload.userCode ? { userCode: payload.userCode } : {}),
        ...(payload.accountId ? { accountId: payload.accountId } : {}),
      };
      await this.model.updateOne({ _id: id }, { $set: set }, { upsert: true });
    }

    async findBy(filter: Record<string, unknown>) {
      const found = await this.model.findOne(filter).lean();
      if (!found || (found.expiresAt && found.expiresAt.getTime() <= clock().getTime())) return undefined;
      return JSON.parse(found.payload) as Payload;
    }

    find(id: string) {
      return this.findBy({ _id: id });
    }
    findByUid(uid: string) {
      return this.findBy({ uid });
    }
    findByUserCode(userCode: string) {
      return this.findBy({ userCode });
    }

    async consume(id: string) {
      const found = await this.model.findById(id).lean();
      if (!found) return;
      const payload = {
        ...(JSON.parse(found.payload) as Payload),
        consumed: Math.floor(clock().getTime() / 1000),
      };
      await this.model.updateOne({ _id: id }, { $set: { payload: JSON.stringify(payload) } });
    }

    async destroy(id: string) {
      await this.model.deleteOne({ _id: id });
    }

    async revokeByGrantId(grantId: string) {
      await this.model.deleteMany({ grantId });
    }
  };
}

/** Deletes every stored session, grant and token of an account ("sign out everywhere"). */
export async function revokeAccountArtifacts(
  connection: mongoose.Connection,
  accountId: string,
): Promise<number> {
  let deleted = 0;
  for (const name of oidcModelNames) {
    const result = await oidcModel(connection, name).deleteMany({ accountId });
    deleted += result.deletedCount;
  }
  return deleted;
}

/** The periodic job's work: deletes expired documents of every model. */
export async function pruneExpired(connection: mongoose.Connection, now: Date): Promise<number> {
  let deleted = 0;
  for (const name of oidcModelNames) {
    const result = await oidcModel(connection, name).deleteMany({ expiresAt: { $lte: now } });
    deleted += result.deletedCount;
  }
  return deleted;
}

export async function ensureOidcIndexes(connection: mongoose.Connection): Promise<void> {
  for (const name of oidcModelNames) await oidcModel(connection, name).createIndexes();
}

/**
 * What a grant speaks for, decided at sign-in: one of the account's organisations, or an
 * establishment through a delegation. Read when each access token is issued (also on refresh, so
 * a delegation that ended or was revoked stops the refreshes).
 */
const grantContextSchema = new mongoose.Schema(
  {
    _id: String,
    organisationId: { type: String, default: '' },
    delegationId: { type: String, default: '' },
    expiresAt: { type: Date, index: true },
  },
  { strict: 'throw', versionKey: false, autoIndex: false, autoCreate: false, id: false },
);

export function grantContexts(connection: mongoose.Connection) {
  const model =
    (connection.models.OidcGrantContext as
      | mongoose.Model<mongoose.InferSchemaType<typeof grantContextSchema>>
      | undefined) ?? connection.model('OidcGrantContext', grantContextSchema, 'oidc_grant_context');
  return {
    model,
    async get(grantId: string) {
      return (await model.findById(grantId).lean()) ?? undefined;
    },
    async set(grantId: string, context: { organisationId: string; delegationId: string }, expiresAt: Date) {
      await model.updateOne({ _id: grantId }, { $set: { ...context, expiresAt } }, { upsert: true });
    },
  };
}
