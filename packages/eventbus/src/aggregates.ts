import type mongoose from 'mongoose';
import { insertOptions } from './models';
import { type OutboxEntry, outboxFields, withOutbox, withoutOutboxFields } from './outbox';

type Filter = Record<string, unknown>;
type Document = Record<string, unknown> & { _id: string };

/** Field holding what a document is searched by (derived from the state, never read back as state). */
export const SEARCH_FIELD = 'search';

export interface AggregatePage<T> {
  items: T[];
  /** The last id of the page when more follow, else empty. */
  nextCursor: string;
  total: number;
}

/**
 * One collection of versioned aggregates whose documents carry their own outbox: insert and save
 * write the state and its events in one single-document operation through the collection's model
 * (cast and validated by its schema); save applies only on the version read (optimistic
 * concurrency). Reads are lean. Derived search fields live under `search.*`.
 */
export interface AggregateCollection<T extends { id: string; version: number }> {
  readonly name: string;
  /** The collection's model (its schema declares the state, the `search` fields and the outbox's). */
  // biome-ignore lint/suspicious/noExplicitAny: one helper serves models of every aggregate
  readonly model: mongoose.Model<any>;
  /** Rejects with the driver's duplicate-key error (code 11000) when a unique index refuses it. */
  insert(value: T, events: OutboxEntry[]): Promise<void>;
  find(id: string): Promise<T | undefined>;
  findMany(filter: Filter, options?: { sort?: Record<string, 1 | -1>; limit?: number }): Promise<T[]>;
  /** False when the stored version is not `expectedVersion`. */
  save(value: T, expectedVersion: number, events: OutboxEntry[]): Promise<boolean>;
  /**
   * For batch consumers: inserts the aggregates in one unordered insert and returns the ids it
   * inserted; an id stored already (a replayed event) is skipped, any other error throws.
   */
  insertNew(items: readonly { value: T; events: OutboxEntry[] }[]): Promise<string[]>;
  /** For batch consumers: the aggregates with these ids, in one read. */
  findByIds(ids: readonly string[]): Promise<T[]>;
  /**
   * For batch consumers: saves each aggregate at its expected version in one unordered bulk write;
   * resolves with how many matched (fewer than given: another writer changed some meanwhile).
   */
  saveMany(items: readonly { value: T; expectedVersion: number; events: OutboxEntry[] }[]): Promise<number>;
  /** Newest first (ids are time-ordered), `size` capped at `maxSize`, after the cursor's id. */
  page(filter: Filter, page: { size: number; cursor: string }, maxSize?: number): Promise<AggregatePage<T>>;
}

export function aggregateCollection<T extends { id: string; version: number }>(
  // biome-ignore lint/suspicious/noExplicitAny: one helper serves models of every aggregate
  model: mongoose.Model<any>,
  search: (value: T) => Record<string, unknown> = () => ({}),
): AggregateCollection<T> {
  const toDocument = (value: T) => {
    const { id, ...state } = value;
    return { _id: id, ...state, [SEARCH_FIELD]: search(value) };
  };
  const fromDocument = (document: Document | null): T | undefined => {
    if (!document) return undefined;
    const { _id, [SEARCH_FIELD]: _search, ...state } = withoutOutboxFields(document);
    return { id: _id, ...state } as unknown as T;
  };
  const hideOutbox = { outbox: 0 } as const;
  const lean = (query: mongoose.Query<unknown, unknown>) => query.lean<Document[]>().exec();
  return {
    name: model.collection.collectionName,
    model,
    async insert(value, events) {
      await model.insertMany([{ ...toDocument(value), ...outboxFields(events) }], insertOptions);
    },
    find: async (id) => fromDocument(await model.findOne({ _id: id }, hideOutbox).lean<Document>().exec()),
    async findMany(filter, options = {}) {
      let query = model.find(filter, hideOutbox);
      if (options.sort) query = query.sort(options.sort);
      if (options.limit) query = query.limit(options.limit);
      return (await lean(query)).map((d) => fromDocument(d) as T);
    },
    async save(value, expectedVersion, events) {
      const { _id, version: _version, ...state } = toDocument(value);
      const result = await model.updateOne(
        { _id, version: expectedVersion },
        withOutbox({ $set: { ...state, version: expectedVersion + 1 } }, events),
      );
      return result.matchedCount === 1;
    },
    async insertNew(items) {
      if (items.length === 0) return [];
      const documents = items.map(({ value, events }) => ({ ...toDocument(value), ...outboxFields(events) }));
      try {
        await model.insertMany(documents, { ...insertOptions, ordered: false });
        return documents.map((d) => d._id);
      } catch (error) {
        const failed = duplicateKeyIndexes(error);
        if (!failed) throw error;
        return documents.filter((_, index) => !failed.has(index)).map((d) => d._id);
      }
    },
    async findByIds(ids) {
      if (ids.length === 0) return [];
      return (await lean(model.find({ _id: { $in: [...new Set(ids)] } }, hideOutbox))).map(
        (d) => fromDocument(d) as T,
      );
    },
    async saveMany(items) {
      if (items.length === 0) return 0;
      const result = await model.bulkWrite(
        items.map(({ value, expectedVersion, events }) => {
          const { _id, version: _version, ...state } = toDocument(value);
          return {
            updateOne: {
              filter: { _id, version: expectedVersion },
              update: withOutbox({ $set: { ...state, version: expectedVersion + 1 } }, events),
            },
          };
        }),
        { ordered: false },
      );
      return result.matchedCount;
    },
    async page(filter, page, maxSize = 100) {
      const size = Math.min(Math.max(page.size || 20, 1), maxSize);
      const paged = page.cursor ? { $and: [filter, { _id: { $lt: page.cursor } }] } : filter;
      const [documents, total] = await Promise.all([
        lean(
          model
            .find(paged, hideOutbox)
            .sort({ _id: -1 })
            .limit(size + 1),
        ),
        model.countDocuments(filter),
      ]);
      const items = documents.slice(0, size).map((d) => fromDocument(d) as T);
      const last = documents.length > size ? documents[size - 1] : undefined;
      return { items, total, nextCursor: last ? String(last._id) : '' };
    },
  };
}

/** The indexes of an unordered insert's failed documents when every failure is a duplicate key, else undefined. */
function duplicateKeyIndexes(error: unknown): Set<number> | undefined {
  type WriteError = { index: number; code?: number; err?: { code?: number } };
  // The driver gives one write error as an object, several as an array.
  const found = (error as { writeErrors?: WriteError | WriteError[] }).writeErrors;
  const writeErrors = found === undefined ? [] : Array.isArray(found) ? found : [found];
  if (writeErrors.length === 0) return undefined;
  if (!writeErrors.every((w) => (w.code ?? w.err?.code) === 11000)) return undefined;
  return new Set(writeErrors.map((w) => w.index));
}

export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every token must start some word in `path` (an array of folded words); at most 8 tokens count. */
export function prefixTextFilter(path: string, tokens: readonly string[]): Filter[] {
  return tokens.slice(0, 8).map((token) => ({ [path]: { $regex: `^${escapeRegex(token)}` } }));
}

export const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/**
 * Whether an unordered bulk write failed only on duplicate keys (ids stored already: a replay),
 * so a batch consumer can ignore it. A single write's duplicate key counts too.
 */
export const onlyDuplicateKeys = (error: unknown) =>
  duplicateKeyIndexes(error) !== undefined ||
  (isDuplicateKey(error) && !(error as { writeErrors?: unknown }).writeErrors);
