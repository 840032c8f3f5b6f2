import type mongoose from 'mongoose';
import type { OutboxEntry } from './outbox';

/** What the relay reads of a pending document: its events in store order and its version. */
export interface PendingDocument {
  _id: unknown;
  outbox?: OutboxEntry[];
  outboxPending?: boolean;
  version?: unknown;
}

/** A document's published entries, to be pulled from it. */
export interface Published {
  id: unknown;
  entries: OutboxEntry[];
}

type Collection = mongoose.mongo.Collection<PendingDocument>;

const readProjection = { projection: { outbox: 1, version: 1 } } as const;

/**
 * Pending documents read through (what a crashed process or another instance left, or writes the
 * relay could not see), skipping `exclude` (documents whose mark is still in flight). On the local
 * store this reads the whole collection (FerretDB pushes no such filter down; ADR 0004).
 */
export function readPending(collection: Collection, limit: number, exclude: unknown[]) {
  const filter =
    exclude.length > 0 ? { outboxPending: true, _id: { $nin: exclude } } : { outboxPending: true };
  return collection
    .find(filter as never, readProjection)
    .limit(limit)
    .toArray();
}

/** These documents, if still pending (one `find` by `_id`, served by the `_id` index; ADR 0003). */
export function readByIds(collection: Collection, ids: unknown[]) {
  return collection.find({ _id: { $in: ids }, outboxPending: true } as never, readProjection).toArray();
}

/**
 * Marks a batch published, usually with one update command of one statement, whatever the batch's
 * size. A document whose one published event is still its whole outbox (the usual case: one event
 * per write, nothing appended since) is emptied and its flag cleared by one `updateMany` on
 * `outbox: { $size: 1 }` and that entry's id among the batch's (ids are unique, so the entry is this
 * document's own published one). Any other document (several events, or one appended meanwhile)
 * goes in a second command of two statements: pull exactly the published entries (`$pullAll` of the
 * entries as stored: FerretDB serves neither `$pull` with a condition nor `arrayFilters`), then clear
 * the flag of those left empty; an event appended meanwhile keeps the flag set. Entries published
 * twice (by two relays) are pulled by whichever marks first, the other's pull matches nothing. A
 * statement per command, not per document: FerretDB holds a connection per statement until the
 * command ends (ADR 0003).
 */
export async function markPublished(collection: Collection, published: Published[]): Promise<number> {
  if (published.length === 0) return 0;
  let commands = 0;
  const single = published.filter((p) => p.entries.length === 1);
  let rest = published.filter((p) => p.entries.length !== 1);
  if (single.length > 0) {
    commands += 1;
    const cleared = await collection.updateMany(
      {
        _id: { $in: single.map((p) => p.id) },
        outbox: { $size: 1 },
        'outbox.id': { $in: single.map((p) => p.entries[0]?.id) },
      } as never,
      { $set: { outbox: [], outboxPending: false } },
    );
    // Which ones had an event appended is not told: pull exactly from all of them (the cleared match nothing).
    if (cleared.matchedCount < single.length) rest = [...rest, ...single];
  }
  if (rest.length === 0) return commands;
  const ids = rest.map((p) => p.id);
  await collection.bulkWrite(
    [
      {
        updateMany: {
          filter: { _id: { $in: ids } },
          update: { $pullAll: { outbox: rest.flatMap((p) => p.entries) } },
        },
      },
      {
        updateMany: {
          filter: { _id: { $in: ids }, outboxPending: true, outbox: { $size: 0 } },
          update: { $set: { outboxPending: false } },
        },
      },
    ] as never,
    { ordered: true },
  );
  return commands + 1;
}

/** Moves entries the broker refused for good out of the outbox into `outboxParked`, with the error. */
export async function parkRefused(collection: Collection, document: Published, error: unknown) {
  await collection.updateOne(
    { _id: document.id } as never,
    {
      $pullAll: { outbox: document.entries },
      $push: {
        outboxParked: {
          $each: document.entries.map((entry) => ({
            ...entry,
            error: String((error as Error).message),
            parkedAt: new Date(),
          })),
        },
      },
    } as never,
  );
  await collection.updateOne(
    { _id: document.id, outbox: { $size: 0 } } as never,
    { $set: { outboxPending: false } } as never,
  );
}

/** Where relays record who reads a collection through: one document per outbox collection. */
export const OUTBOX_LEASES = 'outbox_leases';

interface Lease {
  _id: string;
  holder: string;
  until: Date;
}

/**
 * Takes or renews the lease on reading `collection` through for `holder`, for `leaseMs`; false
 * while another relay's lease runs. A relay that dies stops renewing, and another takes over once
 * its lease has lapsed. A conditional update, else an insert (a duplicate key means another relay
 * holds it): no upsert, no transaction.
 */
export async function acquireLease(
  db: mongoose.mongo.Db,
  collection: string,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const leases = db.collection<Lease>(OUTBOX_LEASES);
  const now = new Date();
  const until = new Date(now.getTime() + leaseMs);
  const renewed = await leases.updateOne(
    { _id: collection, $or: [{ holder }, { until: { $lt: now } }] },
    { $set: { holder, until } },
  );
  if (renewed.matchedCount === 1) return true;
  try {
    await leases.insertOne({ _id: collection, holder, until });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

/** Gives the lease up (a clean stop), so another relay reads the collection through at once. */
export async function releaseLease(db: mongoose.mongo.Db, collection: string, holder: string) {
  await db.collection<Lease>(OUTBOX_LEASES).deleteOne({ _id: collection, holder });
}
