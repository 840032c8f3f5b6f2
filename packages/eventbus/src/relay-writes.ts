import type mongoose from 'mongoose';
import type { OutboxEntry } from './outbox';

/**
 * A write of this process that left events pending in a document, learned from the driver's
 * command monitoring once the store acknowledged it (ADR 0015).
 * - `created`: the write created the document (an insert, or an upsert that inserted), so no event
 *   can precede its own: the relay publishes `entries` as they were sent, without reading them back.
 * - `versioned`: an update by `_id` and `version: fromVersion` that sets `version: toVersion`; the
 *   relay publishes `entries` unread when it has itself seen every event up to `fromVersion`
 *   acknowledged, else reads the document.
 * - `unknown`: any other update, or a write whose outcome is not known exactly: read by id.
 */
export interface OwnWrite {
  collection: string;
  id: unknown;
  kind: 'created' | 'versioned' | 'unknown';
  /** The events the write pushed, as sent; undefined when the command does not show them. */
  entries?: OutboxEntry[];
  fromVersion?: number;
  /** The document's version after the write (a created document's `version` field, if any). */
  toVersion?: number;
}

/** This process's pending writes per collection, in the order the store acknowledged them. */
export interface OwnWrites {
  /**
   * Takes up to `limit` writes of `collection`, oldest first, leaving in place the writes of the
   * documents in `busy` (and every later write of those documents, so their order holds).
   */
  take(collection: string, limit: number, busy?: ReadonlySet<string>): OwnWrite[];
  /** Puts writes back in front of the queue (their batch failed). */
  putBack(writes: OwnWrite[]): void;
  /** How many writes were acknowledged so far (a point in the stream of writes). */
  count(): number;
  /**
   * Drops the queued writes of these documents among the first `upTo` acknowledged: a read of the
   * documents sent after them already holds their events.
   */
  discard(collection: string, ids: unknown[], upTo: number): void;
  close(): void;
}

/** Whether the driver client emits command events (`monitorCommands: true`). */
export const monitorsCommands = (db: mongoose.mongo.Db) =>
  (db.client as mongoose.mongo.MongoClient | undefined)?.options?.monitorCommands === true;

type Command = Record<string, unknown>;
interface UpdateStatement {
  q?: Record<string, unknown>;
  u?: Record<string, unknown> | unknown[];
  upsert?: boolean;
  multi?: boolean;
}
interface WriteReply {
  n?: number;
  writeErrors?: { index: number }[];
  upserted?: { index: number }[];
}
interface Candidate {
  index: number;
  write: OwnWrite;
}
interface InFlight {
  statements: number;
  ordered: boolean;
  insert: boolean;
  candidates: Candidate[];
}

/** The `_id` a filter names as a single value (not `{ $in: [...] }` or another operator). */
const idOf = (filter: Record<string, unknown> | undefined): unknown => {
  const id = filter?._id;
  if (id === undefined) return undefined;
  if (typeof id === 'object' && id !== null && Object.keys(id).some((key) => key.startsWith('$')))
    return undefined;
  return id;
};

/**
 * An entry as a plain object. An update sent through a mongoose model is cast before the driver sees
 * it: its pushed entries are mongoose subdocuments, whose fields are not own properties (spreading one
 * gives no `source`, `id`…), so the relay could not encode them and backed off until a read-through
 * found the stored copy.
 */
const plainEntry = (entry: unknown): OutboxEntry => {
  const cast = entry as { toObject?: (options?: object) => unknown } | null;
  return (typeof cast?.toObject === 'function' ? cast.toObject({ depopulate: true }) : entry) as OutboxEntry;
};

/** The entries an update pushes onto `outbox` (`$push: { outbox: { $each: [...] } }`, as withOutbox writes). */
const pushedEntries = (update: Record<string, unknown>): OutboxEntry[] | undefined => {
  const push = (update.$push as Record<string, unknown> | undefined)?.outbox as
    | { $each?: unknown }
    | undefined;
  return push && Array.isArray(push.$each) ? push.$each.map(plainEntry) : undefined;
};

function insertCandidates(collection: string, documents: Command[]): Candidate[] {
  const candidates: Candidate[] = [];
  documents.forEach((document, index) => {
    if (document.outboxPending !== true) return;
    const version = document.version;
    candidates.push({
      index,
      write: {
        collection,
        id: document._id,
        kind: Array.isArray(document.outbox) ? 'created' : 'unknown',
        ...(Array.isArray(document.outbox) ? { entries: document.outbox.map(plainEntry) } : {}),
        ...(typeof version === 'number' ? { toVersion: version } : {}),
      },
    });
  });
  return candidates;
}

function updateCandidates(collection: string, statements: UpdateStatement[]): Candidate[] {
  const candidates: Candidate[] = [];
  statements.forEach((statement, index) => {
    const update = statement.u;
    if (!update || Array.isArray(update)) return;
    const set = update.$set as Record<string, unknown> | undefined;
    const id = idOf(statement.q);
    if (set?.outboxPending !== true || id === undefined) return;
    const entries = pushedEntries(update);
    const from = statement.q?.version;
    const versioned =
      statement.multi !== true && typeof from === 'number' && set.version === from + 1 && !!entries;
    candidates.push({
      index,
      write: versioned
        ? { collection, id, kind: 'versioned', entries, fromVersion: from, toVersion: from + 1 }
        : { collection, id, kind: 'unknown', ...(entries ? { entries } : {}) },
    });
  });
  return candidates;
}

/**
 * What each write of a command did, from its reply. An insert's documents before its first error
 * (all but the failed ones when unordered) were created. An update command's statements all
 * matched only when `n` counts each of them; else which did is unknown, so each is read back.
 */
function acknowledged(flight: InFlight, reply: WriteReply): OwnWrite[] {
  const failed = new Set((reply.writeErrors ?? []).map((error) => error.index));
  const firstFailed = failed.size > 0 ? Math.min(...failed) : Number.POSITIVE_INFINITY;
  const applied = flight.candidates.filter(
    ({ index }) => !failed.has(index) && (!flight.ordered || index < firstFailed),
  );
  if (flight.insert) return applied.map(({ write }) => write);
  const upserted = new Set((reply.upserted ?? []).map((u) => u.index));
  const allMatched = failed.size === 0 && reply.n === flight.statements;
  return applied.map(({ index, write }) => {
    if (upserted.has(index) && write.entries)
      return { collection: write.collection, id: write.id, kind: 'created', entries: write.entries };
    return allMatched ? write : unknownOf(write);
  });
}

const unknownOf = (write: OwnWrite): OwnWrite => ({
  collection: write.collection,
  id: write.id,
  kind: 'unknown',
});

/**
 * Learns this process's pending writes to `collections` from the client's command events: an
 * insert of documents with `outboxPending: true`, an update by `_id` that sets it. A write counts
 * once its command succeeded, with what its reply says it did; a failed command may still have
 * written some documents, so its writes are read back (an absent or clean document yields nothing).
 * Undefined when the client does not monitor commands.
 */
export function trackOwnWrites(
  db: mongoose.mongo.Db,
  collections: string[],
  onWrite: () => void,
): OwnWrites | undefined {
  if (!monitorsCommands(db)) return undefined;
  const client = db.client;
  const watched = new Set(collections);
  const queues = new Map<string, (OwnWrite & { seq?: number })[]>();
  let acknowledgedCount = 0;
  const inFlight = new Map<number, InFlight>();
  const queueOf = (collection: string) => {
    let queue = queues.get(collection);
    if (!queue) {
      queue = [];
      queues.set(collection, queue);
    }
    return queue;
  };

  const started = (event: mongoose.mongo.CommandStartedEvent) => {
    if (event.databaseName !== db.databaseName) return;
    const command = event.command as Command;
    const ordered = command.ordered !== false;
    if (typeof command.insert === 'string' && watched.has(command.insert)) {
      const documents = (command.documents as Command[] | undefined) ?? [];
      const candidates = insertCandidates(command.insert, documents);
      if (candidates.length > 0)
        inFlight.set(event.requestId, { statements: documents.length, ordered, insert: true, candidates });
    } else if (typeof command.update === 'string' && watched.has(command.update)) {
      const statements = (command.updates as UpdateStatement[] | undefined) ?? [];
      const candidates = updateCandidates(command.update, statements);
      if (candidates.length > 0)
        inFlight.set(event.requestId, { statements: statements.length, ordered, insert: false, candidates });
    }
  };
  const succeeded = (event: mongoose.mongo.CommandSucceededEvent) => {
    const flight = inFlight.get(event.requestId);
    if (!flight) return;
    inFlight.delete(event.requestId);
    const writes = acknowledged(flight, event.reply as WriteReply);
    if (writes.length === 0) return;
    for (const write of writes) queueOf(write.collection).push({ ...write, seq: ++acknowledgedCount });
    onWrite();
  };
  const failed = (event: mongoose.mongo.CommandFailedEvent) => {
    const flight = inFlight.get(event.requestId);
    if (!flight) return;
    inFlight.delete(event.requestId);
    for (const { write } of flight.candidates)
      queueOf(write.collection).push({ ...unknownOf(write), seq: ++acknowledgedCount });
    onWrite();
  };
  client.on('commandStarted', started);
  client.on('commandSucceeded', succeeded);
  client.on('commandFailed', failed);
  return {
    take(collection, limit, busy) {
      const queue = queues.get(collection);
      if (!queue || queue.length === 0) return [];
      const taken: OwnWrite[] = [];
      const kept: OwnWrite[] = [];
      const held = new Set(busy);
      for (const write of queue) {
        const id = String(write.id);
        if (taken.length >= limit || held.has(id)) {
          held.add(id);
          kept.push(write);
        } else taken.push(write);
      }
      queues.set(collection, kept);
      return taken;
    },
    putBack(writes) {
      const byCollection = new Map<string, OwnWrite[]>();
      for (const write of writes) {
        const list = byCollection.get(write.collection) ?? [];
        list.push(write);
        byCollection.set(write.collection, list);
      }
      for (const [collection, list] of byCollection)
        queues.set(collection, [...list, ...queueOf(collection)]);
    },
    count: () => acknowledgedCount,
    discard(collection, ids, upTo) {
      const queue = queues.get(collection);
      if (!queue || queue.length === 0) return;
      const read = new Set(ids.map(String));
      queues.set(
        collection,
        queue.filter((write) => !(read.has(String(write.id)) && (write.seq ?? 0) <= upTo)),
      );
    },
    close() {
      client.off('commandStarted', started);
      client.off('commandSucceeded', succeeded);
      client.off('commandFailed', failed);
    },
  };
}
