import mongoose from 'mongoose';

/**
 * Schema options every collection of the platform uses. Each says no to a mongoose default that
 * would surprise here:
 * - `strict: 'throw'`: a field the schema does not declare fails the write instead of vanishing;
 *   `strictQuery: false`: filters pass through as written (search fields, `$or`, dotted paths).
 * - `versionKey: false`: no `__v`; aggregates carry their own `version` (optimistic concurrency).
 * - `minimize: false`: an empty object stays an object (state read back equals state written).
 * - `autoIndex`/`autoCreate: false`: indexes are declared on the schema and built once, at start,
 *   by `createModelIndexes`; collections are created by their first write (as the driver did).
 * - `_id: false` on sub-schemas (see `subSchemaOptions`): no `_id` in nested documents; documents
 *   declare `_id: String` (uuidv7 or a composite key) themselves.
 */
export const documentSchemaOptions = {
  strict: 'throw',
  strictQuery: false,
  versionKey: false,
  minimize: false,
  autoIndex: false,
  autoCreate: false,
  timestamps: false,
  id: false,
} as const satisfies mongoose.SchemaOptions;

export const subSchemaOptions = { _id: false, strict: 'throw', minimize: false, id: false } as const;

/** One stored outbox event (see `OutboxEntry`). */
export const outboxEntrySchema = new mongoose.Schema(
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
  subSchemaOptions,
);

const parkedEntrySchema = outboxEntrySchema.clone().add({ error: String, parkedAt: Date });

/**
 * The outbox's fields, for the schema of every collection whose documents carry one (ADR 0004).
 * `default: undefined` keeps mongoose from writing empty arrays into documents that never had them.
 */
export const outboxSchemaFields = {
  outbox: { type: [outboxEntrySchema], default: undefined },
  outboxPending: { type: Boolean, index: true },
  outboxClaim: String,
  outboxClaimUntil: Date,
  outboxParked: { type: [parkedEntrySchema], default: undefined },
} as const;

/** A lean document's fields without the outbox's: what a store turns back into a domain object. */
export type WithoutOutbox<T> = Omit<T, keyof typeof outboxSchemaFields>;

/**
 * Builds the indexes each model's schema declares (createIndexes: served by FerretDB, and never
 * drops an index the way syncIndexes would). The one place indexes are created.
 */
export async function createModelIndexes(
  models: Iterable<{ createIndexes(): Promise<unknown> }>,
): Promise<void> {
  for (const model of models) await model.createIndexes();
}

/** Insert options for every model insert: validation errors throw (an unordered insertMany would otherwise drop the invalid documents silently). */
export const insertOptions = { throwOnValidationError: true } as const;

/**
 * A mongoose connection on the client and database of `db`, for code that is handed a driver `Db`
 * (the consumers' processed-events ids). It shares the client (so command monitoring, metrics and
 * the pool are the same) and is never closed itself: the owner of the client closes it.
 */
const connections = new WeakMap<mongoose.mongo.Db, mongoose.Connection>();
export function connectionOf(db: mongoose.mongo.Db): mongoose.Connection {
  let connection = connections.get(db);
  if (!connection) {
    connection = mongoose
      .createConnection()
      .setClient(db.client as unknown as mongoose.mongo.MongoClient)
      .useDb(db.databaseName, { useCache: true });
    connections.set(db, connection);
  }
  return connection;
}

/** The model `name` on the connection, compiled once per connection. */
export function modelOn<S extends mongoose.Schema>(
  connection: mongoose.Connection,
  name: string,
  schema: S,
  collection: string,
) {
  type Model = mongoose.Model<mongoose.InferSchemaType<S>, object, object, object, never, S>;
  return (
    (connection.models[name] as Model | undefined) ?? (connection.model(name, schema, collection) as Model)
  );
}
