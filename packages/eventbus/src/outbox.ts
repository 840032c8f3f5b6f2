import { randomUUID } from 'node:crypto';
import type { EventDefinition } from '@lienket/contracts';
import { sampleOutboxBacklog } from '@lienket/platform';
import type mongoose from 'mongoose';
import type { Logger } from 'pino';
import { type EncodedEvent, encodeEvent } from './cloudevents';
import type { EventPublisher } from './publisher';
import { currentTraceContext } from './tracing';

/**
 * The transactional outbox, in the aggregate's own document. The embedded store has no
 * multi-document transactions, so a state change and the events announcing it are written in one
 * single-document update: `{ $set: state, $push: { outbox: events }, $set: { outboxPending: true } }`.
 * The relay publishes pending events and pulls them out; a crash before the pull publishes them
 * again (same CloudEvents id, consumers dedupe), a crash before the publish publishes them once.
 */
export interface OutboxEntry extends Omit<EncodedEvent, 'data'> {
  data: Buffer | mongoose.mongo.Binary;
}

/** Fields the outbox owns in a document; state read back for a domain object must leave them out. */
export const outboxFieldNames = [
  'outbox',
  'outboxPending',
  'outboxClaim',
  'outboxClaimUntil',
  'outboxParked',
] as const;

/** A copy of a stored document without the outbox's fields (so a later `$set` of state never rewrites them). */
export function withoutOutboxFields<T extends Record<string, unknown>>(document: T): T {
  const copy: Record<string, unknown> = { ...document };
  for (const name of outboxFieldNames) delete copy[name];
  return copy as T;
}

export interface OutboxDocument {
  outbox?: OutboxEntry[];
  outboxPending?: boolean;
}

export interface OutboxEventOptions {
  key: string;
  source: string;
  subject?: string;
  time?: Date;
}

/** Encodes an event for the outbox, stamping a fresh id and the active trace context. */
export function outboxEvent<T>(
  definition: EventDefinition<T>,
  payload: T,
  options: OutboxEventOptions,
): OutboxEntry {
  return encodeEvent(definition, payload, {
    id: randomUUID(),
    source: options.source,
    key: options.key,
    time: options.time ?? new Date(),
    ...(options.subject ? { subject: options.subject } : {}),
    ...currentTraceContext(),
  });
}

/** Fields for a new document that carries its first events. */
export function outboxFields(events: OutboxEntry[]): Required<OutboxDocument> {
  return { outbox: events, outboxPending: events.length > 0 };
}

type Update = Record<string, Record<string, unknown> | undefined>;

/** Adds events to an update so they are written with it, atomically. */
export function withOutbox<U extends Update>(update: U, events: OutboxEntry[]): U {
  if (events.length === 0) return update;
  return {
    ...update,
    $set: { ...(update.$set ?? {}), outboxPending: true },
    $push: { ...(update.$push ?? {}), outbox: { $each: events } },
  } as U;
}

type Pending = OutboxDocument & { _id: unknown };

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /** Wakes the relay now (after a local write) instead of at the next poll. */
  notify(): void;
  /** Publishes one batch of pending events from every collection; returns how many. */
  drainOnce(): Promise<number>;
  /** Pending events right now, for metrics and tests. */
  backlog(): Promise<number>;
  /**
   * `parked`: events the broker refused for good, kept in the document's `outboxParked`; `scans`:
   * completed reads of a collection for pending documents (rather than by id).
   */
  readonly stats: { published: number; failures: number; parked: number; scans: number };
  /** Whether the relay, once started, learns pending documents from this client's own writes. */
  readonly tracking: boolean;
}

export interface OutboxRelayOptions {
  db: mongoose.mongo.Db;
  /** Collections whose documents carry an outbox. */
  collections: string[];
  publisher: EventPublisher;
  log: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  /** The longest pause between polls of an idle relay (it doubles from pollIntervalMs). */
  maxIdlePollMs?: number;
  /** How long a relay's claim on a batch keeps other relays off it. */
  claimMs?: number;
  /**
   * With a client that monitors commands (`monitorCommands: true`), the relay reads pending
   * documents by the ids its own process wrote, and looks through whole collections only this
   * often (for what another process left: a crash, another instance's claim that lapsed).
   */
  scanIntervalMs?: number;
}

/**
 * Only a broker's non-retriable protocol answer about the records (too large, bad timestamp,
 * invalid record) refuses them for good. Everything else, including kafkajs giving up after its
 * retries while the broker is away, is worth retrying later with the events kept in place.
 */
const isRetriable = (error: unknown) => {
  const { name, retriable } = error as { name?: string; retriable?: boolean };
  return !(name === 'KafkaJSProtocolError' && retriable === false);
};

const decoded = (entry: OutboxEntry): EncodedEvent => ({
  ...entry,
  time: new Date(entry.time),
  data: toBuffer(entry.data),
});

const toBuffer = (data: OutboxEntry['data']): Buffer =>
  Buffer.isBuffer(data)
    ? data
    : Buffer.from(data.buffer.buffer, data.buffer.byteOffset, data.buffer.byteLength);

export async function ensureOutboxIndexes(db: mongoose.mongo.Db, collections: string[]): Promise<void> {
  for (const name of collections) await db.collection(name).createIndex({ outboxPending: 1 });
}

/** Documents marked published per update command (one or two statements each); see markPublished. */
export const MARK_DOCUMENTS_PER_COMMAND = 20;

export function createOutboxRelay({
  db,
  collections,
  publisher,
  log: parentLog,
  pollIntervalMs = 250,
  batchSize = 200,
  claimMs = 30_000,
  maxIdlePollMs = 2_000,
  scanIntervalMs = 10_000,
}: OutboxRelayOptions): OutboxRelay {
  const log = parentLog.child({ component: 'outbox-relay' });
  const stats = { published: 0, failures: 0, parked: 0, scans: 0 };
  let running = false;
  let loop: Promise<void> | undefined;
  let stopSampling: (() => void) | undefined;
  let wake: (() => void) | undefined;
  let woken = false;
  // Learns this process's pending writes while the relay runs (a relay that only drains once reads through).
  let tracker: OwnWrites | undefined;
  /** When each collection was last read through for pending documents (0: never, so first). */
  const scannedAt = new Map<string, number>();
  /** Collections whose last read-through found a full batch: more may wait behind it. */
  const moreBehind = new Set<string>();

  /**
   * The next batch's ids: this process's own pending writes; a read of the collection when one is
   * due (every scanIntervalMs), or when there are none of those and the last read found a full batch
   * (a backlog left by another process is drained batch by batch, but never ahead of our own writes).
   */
  async function nextBatch(collection: mongoose.mongo.Collection<Pending>, name: string) {
    if (tracker && Date.now() - (scannedAt.get(name) ?? 0) < scanIntervalMs) {
      const ids = tracker.take(name, batchSize);
      if (ids.length > 0 || !moreBehind.has(name)) return { ids, scanned: false };
    }
    const candidates = await collection
      .find({ outboxPending: true }, { projection: { _id: 1 } })
      .limit(batchSize)
      .toArray();
    stats.scans += 1;
    scannedAt.set(name, Date.now());
    if (candidates.length >= batchSize) moreBehind.add(name);
    else moreBehind.delete(name);
    return { ids: candidates.map((d) => d._id), scanned: true };
  }

  async function drainCollection(name: string): Promise<number> {
    const collection = db.collection<Pending>(name);
    const { ids: batch, scanned } = await nextBatch(collection, name);
    if (batch.length === 0) return 0;
    try {
      return await drainBatch(collection, batch);
    } catch (error) {
      // Kept for the next pass, whatever went wrong.
      if (!scanned) tracker?.add(name, batch);
      throw error;
    }
  }

  async function drainBatch(
    collection: mongoose.mongo.Collection<Pending>,
    batch: unknown[],
  ): Promise<number> {
    // Claim the batch so that another relay (a second instance) leaves it alone while we publish;
    // a claim left by a crashed relay lapses after claimMs and its events go out again.
    const now = Date.now();
    const token = randomUUID();
    await collection.updateMany(
      {
        _id: { $in: batch },
        outboxPending: true,
        $or: [{ outboxClaimUntil: { $exists: false } }, { outboxClaimUntil: { $lt: new Date(now) } }],
      } as never,
      { $set: { outboxClaim: token, outboxClaimUntil: new Date(now + claimMs) } } as never,
    );
    const ids = batch;
    try {
      return await publishClaimed(collection, token, ids);
    } finally {
      // By id as well: a store that serves only _id lookups from an index need not scan for it.
      await collection.updateMany(
        { _id: { $in: ids }, outboxClaim: token } as never,
        { $unset: { outboxClaim: '', outboxClaimUntil: '' } } as never,
      );
    }
  }

  async function publishClaimed(
    collection: mongoose.mongo.Collection<Pending>,
    token: string,
    ids: unknown[],
  ): Promise<number> {
    const documents = await collection
      .find({ _id: { $in: ids }, outboxClaim: token, outboxPending: true } as never, {
        projection: { outbox: 1 },
      })
      .toArray();
    const pending = documents.filter((document) => (document.outbox?.length ?? 0) > 0);
    if (pending.length === 0) {
      if (documents.length > 0) {
        await collection.updateMany(
          { _id: { $in: documents.map((d) => d._id) }, outbox: { $size: 0 } },
          { $set: { outboxPending: false } },
        );
      }
      return 0;
    }
    const events: EncodedEvent[] = pending.flatMap((document) =>
      (document.outbox ?? []).map((entry) => ({
        ...entry,
        time: new Date(entry.time),
        data: toBuffer(entry.data),
      })),
    );
    try {
      await publisher.publishEncoded(events);
    } catch (error) {
      if (isRetriable(error)) throw error;
      // One bad entry must not hold back the others: publish document by document and park
      // what the broker refuses for good.
      return publishOneByOne(collection, pending);
    }
    await markPublished(collection, pending, token);
    stats.published += events.length;
    return events.length;
  }

  async function markPublished(
    collection: mongoose.mongo.Collection<Pending>,
    documents: Pending[],
    token: string,
  ) {
    // A few statements per command: FerretDB 1.24 holds one SQLite connection per statement of an
    // update command until the command ends, so one command for a whole batch (two statements per
    // document) exhausts its pool under load and every write in the store stalls (ADR 0003).
    for (let start = 0; start < documents.length; start += MARK_DOCUMENTS_PER_COMMAND) {
      await markChunk(collection, documents.slice(start, start + MARK_DOCUMENTS_PER_COMMAND), token);
    }
  }

  async function markChunk(
    collection: mongoose.mongo.Collection<Pending>,
    documents: Pending[],
    token: string,
  ) {
    // Usually nothing was appended since the read: one statement per document empties the outbox,
    // clears the flag and releases the claim (the claim holder is the only one that removes entries,
    // so an outbox of the size read holds exactly the entries read).
    const cleared = await collection.bulkWrite(
      documents.map((document) => ({
        updateOne: {
          filter: { _id: document._id, outboxClaim: token, outbox: { $size: document.outbox?.length ?? 0 } },
          update: {
            $set: { outbox: [], outboxPending: false },
            $unset: { outboxClaim: '', outboxClaimUntil: '' },
          },
        },
      })) as never,
      { ordered: false },
    );
    if (cleared.matchedCount === documents.length) return;
    // Events were appended to some meanwhile: remove exactly the published entries and keep the flag.
    const appended = new Set(
      (
        await collection
          .find({ _id: { $in: documents.map((d) => d._id) }, outboxClaim: token } as never, {
            projection: { _id: 1 },
          })
          .toArray()
      ).map((d) => String(d._id)),
    );
    await pullPublished(
      collection,
      documents.filter((d) => appended.has(String(d._id))),
    );
  }

  async function pullPublished(collection: mongoose.mongo.Collection<Pending>, documents: Pending[]) {
    if (documents.length === 0) return;
    await collection.bulkWrite(
      documents.flatMap((document) => [
        {
          updateOne: {
            filter: { _id: document._id },
            // Exactly the entries read, as stored ($pull with a condition is not served by FerretDB).
            update: { $pullAll: { outbox: document.outbox ?? [] } },
          },
        },
        // Cleared only if nothing was pushed meanwhile; a concurrent write keeps the flag set.
        {
          updateOne: {
            filter: { _id: document._id, outbox: { $size: 0 } },
            update: { $set: { outboxPending: false } },
          },
        },
      ]) as never,
      { ordered: true },
    );
  }

  async function publishOneByOne(
    collection: mongoose.mongo.Collection<Pending>,
    documents: Pending[],
  ): Promise<number> {
    let published = 0;
    for (const document of documents) {
      const entries = document.outbox ?? [];
      try {
        await publisher.publishEncoded(entries.map(decoded));
        await pullPublished(collection, [document]);
        published += entries.length;
      } catch (error) {
        if (isRetriable(error)) throw error;
        stats.parked += entries.length;
        log.error(
          { err: error, documentId: String(document._id), eventIds: entries.map((e) => e.id) },
          'broker refused events for good; parked in outboxParked',
        );
        await collection.updateOne(
          { _id: document._id } as never,
          {
            $pullAll: { outbox: entries },
            $push: {
              outboxParked: {
                $each: entries.map((entry) => ({
                  ...entry,
                  error: String((error as Error).message),
                  parkedAt: new Date(),
                })),
              },
            },
          } as never,
        );
        await collection.updateOne(
          { _id: document._id, outbox: { $size: 0 } } as never,
          { $set: { outboxPending: false } } as never,
        );
      }
    }
    stats.published += published;
    return published;
  }

  async function drainOnce(): Promise<number> {
    let total = 0;
    for (const name of collections) total += await drainCollection(name);
    return total;
  }

  /** Waits for a notify or delayMs; true when notified. */
  async function waitForWork(delayMs: number): Promise<boolean> {
    if (woken) {
      woken = false;
      return true;
    }
    const notified = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), delayMs);
      wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    wake = undefined;
    woken = false;
    return notified;
  }

  async function run(): Promise<void> {
    let failureDelay = pollIntervalMs;
    // An idle relay polls less and less often (each poll reads the store), back to pollIntervalMs as
    // soon as it finds work; a write in this process wakes it at once (notify).
    let idleDelay = pollIntervalMs;
    while (running) {
      try {
        const count = await drainOnce();
        failureDelay = pollIntervalMs;
        if (count > 0) {
          idleDelay = pollIntervalMs;
          continue;
        }
        const notified = await waitForWork(idleDelay);
        idleDelay = notified
          ? pollIntervalMs
          : Math.min(idleDelay * 2, Math.max(maxIdlePollMs, pollIntervalMs));
      } catch (error) {
        stats.failures += 1;
        log.error({ err: error, retryInMs: failureDelay }, 'relay failed; events stay pending');
        await new Promise((resolve) => setTimeout(resolve, failureDelay));
        failureDelay = Math.min(failureDelay * 2, 10_000);
      }
    }
  }

  return {
    stats,
    tracking: monitorsCommands(db),
    start() {
      if (running) return;
      running = true;
      tracker = trackOwnWrites(db, collections, () => {
        woken = true;
        wake?.();
      });
      stopSampling = sampleOutboxBacklog(async () =>
        Promise.all(
          collections.map(async (name) => ({
            labels: { collection: name },
            value: await db.collection(name).countDocuments({ outboxPending: true }),
          })),
        ),
      );
      loop = run();
    },
    async stop() {
      stopSampling?.();
      tracker?.close();
      tracker = undefined;
      running = false;
      wake?.();
      await loop;
    },
    notify() {
      woken = true;
      wake?.();
    },
    drainOnce,
    async backlog() {
      let total = 0;
      for (const name of collections) {
        const documents = await db
          .collection<OutboxDocument>(name)
          .find({ outboxPending: true }, { projection: { outbox: 1 } })
          .toArray();
        total += documents.reduce((sum, d) => sum + (d.outbox?.length ?? 0), 0);
      }
      return total;
    },
  };
}

/** A set of ids per collection, in insertion order. */
interface OwnWrites {
  take(collection: string, limit: number): unknown[];
  add(collection: string, ids: unknown[]): void;
  close(): void;
}

/**
 * Pending documents this process wrote, learned from the driver's command monitoring: an insert of
 * a document with `outboxPending: true`, or an update by `_id` that sets it. An id counts once the
 * command succeeded (before, the claim could miss it). Undefined when the client does not monitor
 * commands; the relay then reads the collections through on every pass.
 */
const monitorsCommands = (db: mongoose.mongo.Db) =>
  (db.client as mongoose.mongo.MongoClient | undefined)?.options?.monitorCommands === true;

function trackOwnWrites(
  db: mongoose.mongo.Db,
  collections: string[],
  onWrite: () => void,
): OwnWrites | undefined {
  if (!monitorsCommands(db)) return undefined;
  const client = db.client;
  const watched = new Set(collections);
  const pending = new Map<string, Set<unknown>>();
  const inFlight = new Map<number, { collection: string; ids: unknown[] }>();
  const add = (collection: string, ids: unknown[]) => {
    let set = pending.get(collection);
    if (!set) {
      set = new Set();
      pending.set(collection, set);
    }
    for (const id of ids) set.add(id);
  };
  const idOf = (filter: unknown): unknown => {
    const id = (filter as { _id?: unknown } | undefined)?._id;
    return id !== undefined && (typeof id !== 'object' || id === null || !('$in' in id)) ? id : undefined;
  };
  const started = (event: mongoose.mongo.CommandStartedEvent) => {
    if (event.databaseName !== db.databaseName) return;
    const command = event.command as Record<string, unknown>;
    const ids: unknown[] = [];
    let collection: string | undefined;
    if (typeof command.insert === 'string' && watched.has(command.insert)) {
      collection = command.insert;
      for (const document of (command.documents as Record<string, unknown>[] | undefined) ?? [])
        if (document.outboxPending === true) ids.push(document._id);
    } else if (typeof command.update === 'string' && watched.has(command.update)) {
      collection = command.update;
      for (const statement of (command.updates as
        | { q?: unknown; u?: Record<string, unknown> }[]
        | undefined) ?? []) {
        const set = statement.u?.$set as Record<string, unknown> | undefined;
        const id = idOf(statement.q);
        if (set?.outboxPending === true && id !== undefined) ids.push(id);
      }
    }
    if (collection && ids.length > 0) inFlight.set(event.requestId, { collection, ids });
  };
  const succeeded = (event: mongoose.mongo.CommandSucceededEvent) => {
    const write = inFlight.get(event.requestId);
    if (!write) return;
    inFlight.delete(event.requestId);
    add(write.collection, write.ids);
    onWrite();
  };
  const failed = (event: mongoose.mongo.CommandFailedEvent) => {
    // A failed insert of many may still have written some: keep them all (a claim of an absent or
    // published document matches nothing).
    const write = inFlight.get(event.requestId);
    if (!write) return;
    inFlight.delete(event.requestId);
    add(write.collection, write.ids);
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', succeeded);
  client.on('commandFailed', failed);
  return {
    take(collection, limit) {
      const set = pending.get(collection);
      if (!set || set.size === 0) return [];
      const ids: unknown[] = [];
      for (const id of set) {
        if (ids.length >= limit) break;
        ids.push(id);
      }
      for (const id of ids) set.delete(id);
      return ids;
    },
    add,
    close() {
      client.off('commandStarted', started);
      client.off('commandSucceeded', succeeded);
      client.off('commandFailed', failed);
    },
  };
}
