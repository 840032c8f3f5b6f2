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

export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every token must start some word in `path` (an array of folded words); at most 8 tokens count. */
export function prefixTextFilter(path: string, tokens: readonly string[]): Filter[] {
  return tokens.slice(0, 8).map((token) => ({ [path]: { $regex: `^${escapeRegex(token)}` } }));
}

export const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;
