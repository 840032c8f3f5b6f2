import { randomUUID } from 'node:crypto';
import { sampleOutboxBacklog } from '@lienket/platform';
import type mongoose from 'mongoose';
import type { Logger } from 'pino';
import type { EncodedEvent } from './cloudevents';
import type { OutboxDocument, OutboxEntry } from './outbox';
import type { EventPublisher } from './publisher';
import {
  acquireLease,
  markPublished,
  type PendingDocument,
  type Published,
  parkRefused,
  readByIds,
  readPending,
  releaseLease,
} from './relay-store';
import { monitorsCommands, type OwnWrite, type OwnWrites, trackOwnWrites } from './relay-writes';

export interface OutboxRelay {
  start(): void;
  stop(): Promise<void>;
  /** Wakes the relay now (after a local write) instead of at the next poll. */
  notify(): void;
  /**
   * Publishes one batch per collection, reading each through (with the lease or without: a
   * manual drain, for tests and tools) along with this process's own writes; waits for the marks.
   */
  drainOnce(): Promise<number>;
  /** Pending events right now, for metrics and tests. */
  backlog(): Promise<number>;
  /**
   * `published`: events acknowledged by Kafka (twice for an event published again); `parked`:
   * events the broker refused for good, kept in the document's `outboxParked`; `scans`: reads of
   * a collection through for pending documents; `reads`: reads by id of documents this process
   * updated without the events before its own in hand; `marks`: mark commands sent.
   */
  readonly stats: {
    published: number;
    failures: number;
    parked: number;
    scans: number;
    reads: number;
    marks: number;
  };
  /** Whether the relay, once started, learns pending documents from this client's own writes. */
  readonly tracking: boolean;
  /** This relay instance, as named in the lease documents (`outbox_leases`). */
  readonly id: string;
}

export interface OutboxRelayOptions {
  db: mongoose.mongo.Db;
  /** Collections whose documents carry an outbox. */
  collections: string[];
  publisher: EventPublisher;
  log: Logger;
  pollIntervalMs?: number;
  /** Documents per batch (one Kafka send, one mark command). */
  batchSize?: number;
  /** The longest pause between polls of an idle relay (it doubles from pollIntervalMs). */
  maxIdlePollMs?: number;
  /**
   * With a client that monitors commands (`monitorCommands: true`), the relay publishes its own
   * process's writes as it saw them, and reads a collection through only this often (for what a
   * crashed process or another instance left), when it holds the collection's lease.
   */
  scanIntervalMs?: number;
  /** How long a lease on reading a collection through lasts unless renewed (renewed at each scan). */
  leaseMs?: number;
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

const toBuffer = (data: OutboxEntry['data']): Buffer =>
  Buffer.isBuffer(data)
    ? data
    : Buffer.from(data.buffer.buffer, data.buffer.byteOffset, data.buffer.byteLength);

const decoded = (entry: OutboxEntry): EncodedEvent => ({
  ...entry,
  time: new Date(entry.time),
  data: toBuffer(entry.data),
});

/** A document's events in one batch, in the order the store holds them. */
interface BatchDocument extends Published {
  /** Its version once these are acknowledged, when known. */
  version?: number;
}

interface Batch {
  collection: string;
  documents: BatchDocument[];
  /** Own writes it covers, put back when the batch fails. */
  writes: OwnWrite[];
}

/** At most this many documents' last acknowledged versions are remembered. */
const KNOWN_VERSIONS = 50_000;

/**
 * The outbox relay (ADR 0015): publishes this process's writes from what it saw them write,
 * reads through what others left under a lease per collection, marks each batch with one command
 * while the next batch is published.
 */
export function createOutboxRelay({
  db,
  collections,
  publisher,
  log: parentLog,
  pollIntervalMs = 250,
  batchSize = 200,
  maxIdlePollMs = 2_000,
  scanIntervalMs = 10_000,
  leaseMs = 30_000,
}: OutboxRelayOptions): OutboxRelay {
  const id = randomUUID();
  const log = parentLog.child({ component: 'outbox-relay', relay: id });
  const stats = { published: 0, failures: 0, parked: 0, scans: 0, reads: 0, marks: 0 };
  let running = false;
  let loop: Promise<void> | undefined;
  let stopSampling: (() => void) | undefined;
  let wake: (() => void) | undefined;
  let woken = false;
  // Learns this process's pending writes while the relay runs (a relay that only drains reads through).
  let tracker: OwnWrites | undefined;
  /** When each collection was last read through, or its lease found held by another (0: never, so first). */
  const scannedAt = new Map<string, number>();
  /** Collections whose last read-through found a full batch: more may wait behind it. */
  const moreBehind = new Set<string>();
  /** Until when this relay holds each collection's lease. */
  const leases = new Map<string, number>();
  /**
   * Per document (`collection/id`), the version whose events, and all before, this relay has seen
   * acknowledged: a versioned update from that version is published as written, unread.
   */
  const known = new Map<string, number>();
  /** Documents whose mark is in flight, per collection: left out of the next batch. */
  const marking = new Map<string, Set<string>>();
  /** The mark in flight; the next batch is published meanwhile, its mark starts after this one. */
  let markInFlight: Promise<void> = Promise.resolve();
  /** Batches published whose mark failed: marked again with the next. */
  let unmarked: Batch[] = [];

  const knownKey = (collection: string, documentId: unknown) => `${collection}/${String(documentId)}`;
  const remember = (collection: string, document: BatchDocument) => {
    if (document.version === undefined) return;
    const key = knownKey(collection, document.id);
    known.delete(key);
    known.set(key, document.version);
    if (known.size > KNOWN_VERSIONS) known.delete(known.keys().next().value as string);
  };
  const busyIn = (collection: string) => marking.get(collection) ?? new Set<string>();

  /**
   * This process's writes, published as written where nothing can precede them (a created
   * document, or an update from a version whose events this relay saw acknowledged); any other
   * document is read by id, once per batch, and published as stored (in store order, with events
   * of other writers ahead of ours).
   */
  async function ownBatch(collection: mongoose.mongo.Collection<PendingDocument>, name: string) {
    const writes = tracker?.take(name, batchSize, busyIn(name)) ?? [];
    const documents = new Map<string, BatchDocument & { read?: boolean }>();
    for (const write of writes) {
      const key = String(write.id);
      const document = documents.get(key) ?? { id: write.id, entries: [] };
      documents.set(key, document);
      if (document.read) continue;
      const before = document.version ?? known.get(knownKey(name, write.id));
      const asWritten =
        write.entries &&
        (write.kind === 'created' || (write.kind === 'versioned' && before === write.fromVersion));
      if (asWritten && write.entries) {
        document.entries.push(...write.entries);
        if (write.toVersion !== undefined) document.version = write.toVersion;
        else delete document.version;
      } else {
        document.read = true;
        document.entries = [];
      }
    }
    const toRead = [...documents.values()].filter((d) => d.read).map((d) => d.id);
    if (toRead.length > 0) {
      stats.reads += 1;
      for (const document of toRead) documents.delete(String(document));
      for (const stored of await readByIds(collection, toRead))
        documents.set(String(stored._id), fromStore(stored));
    }
    return { writes, documents };
  }

  const fromStore = (stored: PendingDocument): BatchDocument => ({
    id: stored._id,
    entries: stored.outbox ?? [],
    ...(typeof stored.version === 'number' ? { version: stored.version } : {}),
  });

  /** Whether this pass reads `name` through: due by time (or always without tracking) and leased. */
  async function scanDue(name: string, manual: boolean): Promise<boolean> {
    if (manual) return true;
    const now = Date.now();
    const due = !tracker || now - (scannedAt.get(name) ?? 0) >= scanIntervalMs || moreBehind.has(name);
    if (!due) return false;
    if ((leases.get(name) ?? 0) - now > leaseMs / 2) return true;
    if (await acquireLease(db, name, id, leaseMs)) {
      leases.set(name, now + leaseMs);
      return true;
    }
    leases.delete(name);
    moreBehind.delete(name);
    // Another relay reads it through; ask again on the next interval.
    scannedAt.set(name, now);
    return false;
  }

  async function nextBatch(name: string, manual: boolean): Promise<Batch> {
    const collection = db.collection<PendingDocument>(name);
    const { writes, documents } = await ownBatch(collection, name);
    try {
      if (documents.size < batchSize && (await scanDue(name, manual))) {
        const exclude = [...busyIn(name)];
        const writesBefore = tracker?.count() ?? 0;
        const found = await readPending(collection, batchSize - documents.size, exclude);
        // What we wrote before the read is in what it found: not published a second time later.
        tracker?.discard(
          name,
          found.map((d) => d._id),
          writesBefore,
        );
        stats.scans += 1;
        scannedAt.set(name, Date.now());
        if (found.length >= batchSize - documents.size) moreBehind.add(name);
        else moreBehind.delete(name);
        // The store's copy holds everything pending, ours included, in store order.
        for (const stored of found) documents.set(String(stored._id), fromStore(stored));
      }
    } catch (error) {
      tracker?.putBack(writes);
      throw error;
    }
    const batched = [...documents.values()].filter((d) => d.entries.length > 0);
    return { collection: name, documents: batched, writes };
  }

  /**
   * Publishes a batch in one send (per-key order kept); returns how many events, and whether the
   * batch still needs its mark (not when it went out document by document, each marked itself).
   */
  async function publish(batch: Batch): Promise<{ count: number; toMark: boolean }> {
    const events = batch.documents.flatMap((d) => d.entries.map(decoded));
    if (events.length === 0) return { count: 0, toMark: false };
    try {
      await publisher.publishEncoded(events);
    } catch (error) {
      if (isRetriable(error)) {
        tracker?.putBack(batch.writes);
        throw error;
      }
      // One bad entry must not hold back the others: publish document by document, park the refused.
      return { count: await publishOneByOne(batch), toMark: false };
    }
    stats.published += events.length;
    for (const document of batch.documents) remember(batch.collection, document);
    return { count: events.length, toMark: true };
  }

  async function publishOneByOne(batch: Batch): Promise<number> {
    const collection = db.collection<PendingDocument>(batch.collection);
    let published = 0;
    for (const document of batch.documents) {
      try {
        await publisher.publishEncoded(document.entries.map(decoded));
        await markPublished(collection, [document]);
        published += document.entries.length;
        remember(batch.collection, document);
      } catch (error) {
        if (isRetriable(error)) throw error;
        stats.parked += document.entries.length;
        log.error(
          { err: error, documentId: String(document.id), eventIds: document.entries.map((e) => e.id) },
          'broker refused events for good; parked in outboxParked',
        );
        await parkRefused(collection, document, error);
      }
    }
    stats.published += published;
    return published;
  }

  /** Starts marking `batch` once the mark in flight is done; a failed mark is retried with the next. */
  function startMark(batch: Batch | undefined): Promise<void> {
    const previous = markInFlight;
    const batches = [...unmarked, ...(batch && batch.documents.length > 0 ? [batch] : [])];
    unmarked = [];
    for (const b of batches) {
      const busy = busyIn(b.collection);
      for (const d of b.documents) busy.add(String(d.id));
      marking.set(b.collection, busy);
    }
    markInFlight = (async () => {
      await previous;
      for (const name of new Set(batches.map((b) => b.collection))) {
        const ofCollection = batches.filter((b) => b.collection === name);
        const documents = ofCollection.flatMap((b) => b.documents);
        try {
          stats.marks += await markPublished(db.collection<PendingDocument>(name), documents);
        } catch (error) {
          stats.failures += 1;
          log.warn({ err: error, collection: name }, 'mark failed; retried with the next batch');
          unmarked.push(...ofCollection);
        } finally {
          const busy = busyIn(name);
          for (const d of documents) busy.delete(String(d.id));
        }
      }
    })();
    return markInFlight;
  }

  /** One batch of `name`: published now, its mark left in flight while the next is published. */
  async function pass(name: string, manual: boolean): Promise<number> {
    const batch = await nextBatch(name, manual);
    if (batch.documents.length === 0) return 0;
    const { count, toMark } = await publish(batch);
    // Not awaited: the next batch is read and published while this one is marked.
    void startMark(toMark ? batch : undefined);
    return count;
  }

  async function drainOnce(): Promise<number> {
    let total = 0;
    for (const name of collections) total += await pass(name, !running);
    await startMark(undefined);
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
    // An idle relay polls less and less often, back to pollIntervalMs as soon as it finds work; a
    // write in this process wakes it at once (command monitoring or notify).
    let idleDelay = pollIntervalMs;
    while (running) {
      try {
        let count = 0;
        for (const name of collections) count += await pass(name, false);
        failureDelay = pollIntervalMs;
        if (count > 0) {
          idleDelay = pollIntervalMs;
          continue;
        }
        await startMark(undefined);
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
    await startMark(undefined);
  }

  return {
    id,
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
      running = false;
      wake?.();
      await loop;
      tracker?.close();
      tracker = undefined;
      for (const name of leases.keys())
        await releaseLease(db, name, id).catch((error) => log.warn({ err: error }, 'lease not released'));
      leases.clear();
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
