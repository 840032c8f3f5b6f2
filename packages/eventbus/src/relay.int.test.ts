import { Events, Topics, testingV1 } from '@lienket/contracts';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import mongoose from 'mongoose';
import { headerText } from './cloudevents';
import { documentSchemaOptions, outboxSchemaFields } from './models';
import { ensureOutboxIndexes, type OutboxDocument, outboxEvent, outboxFields, withOutbox } from './outbox';
import { createEventPublisher, type EventPublisher } from './publisher';
import { createOutboxRelay, type OutboxRelay } from './relay';
import { OUTBOX_LEASES } from './relay-store';
import { ensureTopics } from './topics';

// The relay of ADR 0015: two instances on one collection, the lease, a crash between publish and mark.
let infra: TestInfra;
let publisher: EventPublisher;
const source = '/lienket/test';
type Probe = OutboxDocument & { _id: string; version: number };
const connections: mongoose.Connection[] = [];

beforeAll(async () => {
  infra = await openTestInfra('relay');
  await ensureTopics(infra.kafka, [infra.topicPrefix + Topics.testingProbe], {
    partitions: 3,
    replicationFactor: 1,
  });
  publisher = await createEventPublisher({
    kafka: infra.kafka,
    source,
    topicPrefix: infra.topicPrefix,
    log: infra.log,
  });
});

afterAll(async () => {
  for (const connection of connections) await connection.close();
  await publisher.disconnect();
  await infra.close();
});

/** A client of its own that monitors commands, as a service process opens it. */
async function processDb(): Promise<mongoose.mongo.Db> {
  const connection = await mongoose
    .createConnection(infra.mongoUrl, { dbName: infra.db.databaseName, monitorCommands: true })
    .asPromise();
  connections.push(connection);
  return connection.db as mongoose.mongo.Db;
}

const pinged = (probeId: string, sequence: number) =>
  outboxEvent(Events.probePinged, { probeId, sequence, note: '' }, { key: probeId, source });

/** Reads the probe topic until every id in `wanted` was seen; each key's sequences in first-seen order, and counts per id. */
async function firstSeen(wanted: Set<string>) {
  const seen = new Map<string, number>();
  const sequences = new Map<string, number[]>();
  await infra.collect(Topics.testingProbe, wanted.size, {
    filter: (m) => {
      const id = headerText(m.headers, 'ce_id') ?? '';
      if (!wanted.has(id)) return false;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      if ((seen.get(id) ?? 0) > 1) return false;
      const key = m.key?.toString() ?? '';
      sequences.set(key, [
        ...(sequences.get(key) ?? []),
        testingV1.ProbePinged.decode(m.value as Buffer).sequence,
      ]);
      return true;
    },
  });
  return { seen, sequences };
}

describe('outbox relay instances on one collection', () => {
  it('publishes every event of two processes writing the same aggregates, in per-aggregate order', async () => {
    const [a, b] = [await processDb(), await processDb()];
    await ensureOutboxIndexes(a, ['pairs']);
    // Left pending by a process that is gone: read through by whichever relay holds the lease.
    const leftovers = Array.from({ length: 5 }, (_, i) => pinged(`leftover-${i}`, 0));
    await infra.db
      .collection<Probe>('pairs')
      .insertMany(leftovers.map((e, i) => ({ _id: `leftover-${i}`, version: 0, ...outboxFields([e]) })));
    const options = { collections: ['pairs'], publisher, log: infra.log, pollIntervalMs: 20 };
    const relays: OutboxRelay[] = [a, b].map((db) => createOutboxRelay({ db, ...options }));
    for (const relay of relays) relay.start();
    const written = leftovers.map((e) => e.id);
    try {
      const aggregates = Array.from({ length: 8 }, (_, i) => `pair-${i}`);
      // Each aggregate is created by one process and then updated by both at once, each update on
      // the version it read (optimistic concurrency), as the services' saves do.
      await Promise.all(
        aggregates.map(async (id, i) => {
          const created = pinged(id, 0);
          written.push(created.id);
          await (i % 2 ? a : b)
            .collection<Probe>('pairs')
            .insertOne({ _id: id, version: 0, ...outboxFields([created]) });
        }),
      );
      const bump = async (db: mongoose.mongo.Db, id: string) => {
        for (;;) {
          const current = await db
            .collection<Probe>('pairs')
            .findOne({ _id: id }, { projection: { version: 1 } });
          const version = current?.version ?? 0;
          const event = pinged(id, version + 1);
          const saved = await db
            .collection<Probe>('pairs')
            .updateOne({ _id: id, version }, withOutbox({ $set: { version: version + 1 } }, [event]));
          if (saved.matchedCount === 1) {
            written.push(event.id);
            return;
          }
        }
      };
      await Promise.all(
        aggregates.flatMap((id) =>
          [a, b].map(async (db) => {
            for (let k = 0; k < 6; k += 1) await bump(db, id);
          }),
        ),
      );
      await waitFor(async () => (await relays[0]?.backlog()) === 0, { what: 'both relays to drain' });
      const { sequences } = await firstSeen(new Set(written));
      for (const id of aggregates)
        expect(sequences.get(id)).toEqual(Array.from({ length: 13 }, (_, version) => version));
      for (let i = 0; i < leftovers.length; i += 1) expect(sequences.get(`leftover-${i}`)).toEqual([0]);
      // One relay read the collection through; the other, without the lease, never did.
      const scanners = relays.filter((relay) => relay.stats.scans > 0);
      expect(scanners).toHaveLength(1);
      const lease = await infra.db.collection(OUTBOX_LEASES).findOne({ _id: 'pairs' as never });
      expect(lease?.holder).toBe(scanners[0]?.id);
    } finally {
      for (const relay of relays) await relay.stop();
    }
    // A clean stop gives the lease up.
    expect(await infra.db.collection(OUTBOX_LEASES).countDocuments({ _id: 'pairs' as never })).toBe(0);
  }, 120_000);

  it('takes over the lease of a relay that died, then publishes what it left', async () => {
    const db = await processDb();
    await ensureOutboxIndexes(db, ['leased']);
    const until = new Date(Date.now() + 1_500);
    await infra.db
      .collection(OUTBOX_LEASES)
      .insertOne({ _id: 'leased' as never, holder: 'a-relay-that-died', until });
    const left = pinged('left-by-the-dead', 1);
    await infra.db
      .collection<Probe>('leased')
      .insertOne({ _id: 'left-by-the-dead', version: 1, ...outboxFields([left]) });
    const relay = createOutboxRelay({
      db,
      collections: ['leased'],
      publisher,
      log: infra.log,
      pollIntervalMs: 20,
      scanIntervalMs: 100,
      leaseMs: 1_000,
    });
    relay.start();
    try {
      await waitFor(
        async () => (await db.collection<Probe>('leased').countDocuments({ outboxPending: true })) === 0,
        { timeoutMs: 20_000, what: 'the leftover to be published' },
      );
      const lease = await infra.db.collection(OUTBOX_LEASES).findOne({ _id: 'leased' as never });
      expect(lease?.holder).toBe(relay.id);
    } finally {
      await relay.stop();
    }
    const [message] = await infra.collect(Topics.testingProbe, 1, {
      filter: (m) => headerText(m.headers, 'ce_id') === left.id,
    });
    // Not read through while the dead relay's lease ran.
    expect(Number(message?.timestamp)).toBeGreaterThanOrEqual(until.getTime());
  }, 60_000);

  it('publishes its own writes unread, and again after a crash between publish and mark', async () => {
    const db = await processDb();
    await ensureOutboxIndexes(db, ['crashing']);
    const created = pinged('crash-before-mark', 1);
    const updated = pinged('crash-before-mark', 2);
    let relay: OutboxRelay | undefined;
    let stopped: Promise<void> | undefined;
    let published = 0;
    const dying: EventPublisher = {
      ...publisher,
      async publishEncoded(events) {
        await publisher.publishEncoded(events);
        published += events.length;
        if (published < 2) return;
        // Kafka has both events; the process dies before the mark.
        stopped = relay?.stop();
        throw new Error('process died before marking the events sent');
      },
    };
    relay = createOutboxRelay({
      db,
      collections: ['crashing'],
      publisher: dying,
      log: infra.log,
      pollIntervalMs: 20,
    });
    relay.start();
    // After its first read-through, so the document is learned from the write alone.
    await waitFor(() => (relay?.stats.scans ?? 0) >= 1, { what: 'the first read-through' });
    const crashing = db.collection<Probe>('crashing');
    await crashing.insertOne({ _id: 'crash-before-mark', version: 1, ...outboxFields([created]) });
    await waitFor(() => published >= 1, { what: 'the created document to be published' });
    await crashing.updateOne(
      { _id: 'crash-before-mark', version: 1 },
      withOutbox({ $set: { version: 2 } }, [updated]),
    );
    await waitFor(() => stopped !== undefined, { what: 'the relay to die' });
    await stopped;
    // Created, then updated from a version it saw acknowledged: neither was read back.
    expect(relay.stats.reads).toBe(0);
    const left = await crashing.findOne({ _id: 'crash-before-mark' });
    expect(left?.outboxPending).toBe(true);
    expect(left?.outbox?.map((e) => e.id)).toEqual([updated.id]);

    const restarted = createOutboxRelay({ db, collections: ['crashing'], publisher, log: infra.log });
    expect(await restarted.drainOnce()).toBe(1);
    expect(await crashing.findOne({ _id: 'crash-before-mark' })).toMatchObject({
      outbox: [],
      outboxPending: false,
    });
    const { seen, sequences } = await firstSeen(new Set([created.id, updated.id]));
    expect(sequences.get('crash-before-mark')).toEqual([1, 2]);
    expect(seen.get(created.id)).toBe(1);
    expect(seen.get(updated.id)).toBeGreaterThanOrEqual(1);
    // ...and the updated event went out twice: before the crash and after the restart.
    const again = await infra.collect(Topics.testingProbe, 2, {
      filter: (m) => headerText(m.headers, 'ce_id') === updated.id,
    });
    expect(again).toHaveLength(2);
  }, 60_000);

  it('publishes an update made through a mongoose model as it saw it written, with every field', async () => {
    // mongoose casts an update before the driver sees it: the entries pushed are subdocuments, not
    // plain objects. The relay used to lose their fields, fail to encode them and back off until a
    // read-through found the stored copy.
    const connection = await mongoose
      .createConnection(infra.mongoUrl, { dbName: infra.db.databaseName, monitorCommands: true })
      .asPromise();
    connections.push(connection);
    const db = connection.db as mongoose.mongo.Db;
    await ensureOutboxIndexes(db, ['modelled']);
    const Model = connection.model(
      'Modelled',
      new mongoose.Schema({ _id: String, version: Number, ...outboxSchemaFields }, documentSchemaOptions),
      'modelled',
    );
    const relay = createOutboxRelay({
      db,
      collections: ['modelled'],
      publisher,
      log: infra.log,
      pollIntervalMs: 20,
    });
    relay.start();
    try {
      await waitFor(() => relay.stats.scans >= 1, { what: 'the first read-through' });
      const created = pinged('through-model', 1);
      const updated = pinged('through-model', 2);
      await Model.collection.insertOne({
        _id: 'through-model',
        version: 1,
        ...outboxFields([created]),
      } as never);
      await waitFor(() => relay.stats.published >= 1, { what: 'the created document to be published' });
      await Model.updateOne(
        { _id: 'through-model', version: 1 },
        withOutbox({ $set: { version: 2 } }, [updated]),
      );
      await waitFor(() => relay.stats.published >= 2, { what: 'the update to be published' });
      expect(relay.stats.failures).toBe(0);
      // Learned from the write it saw, not read back.
      expect(relay.stats.reads).toBe(0);
      const { sequences } = await firstSeen(new Set([created.id, updated.id]));
      expect(sequences.get('through-model')).toEqual([1, 2]);
    } finally {
      await relay.stop();
    }
  }, 60_000);
});
