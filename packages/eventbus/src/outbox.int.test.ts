import { Events, Topics, testingV1 } from '@lienket/contracts';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { KafkaMessage } from 'kafkajs';
import mongoose from 'mongoose';
import { headerText } from './cloudevents';
import { createEventConsumer, on } from './consumer';
import { ensureOutboxIndexes, type OutboxDocument, outboxEvent, outboxFields, withOutbox } from './outbox';
import { createEventPublisher, type EventPublisher } from './publisher';
import { createOutboxRelay } from './relay';
import { ensureTopics } from './topics';

let infra: TestInfra;
let publisher: EventPublisher;
const source = '/lienket/test';
type Probe = OutboxDocument & { _id: string; sequence: number };

beforeAll(async () => {
  infra = await openTestInfra('outbox');
  await ensureTopics(infra.kafka, [infra.topicPrefix + Topics.testingProbe], {
    partitions: 3,
    replicationFactor: 1,
  });
  await ensureOutboxIndexes(infra.db, ['probes']);
  publisher = await createEventPublisher({
    kafka: infra.kafka,
    source,
    topicPrefix: infra.topicPrefix,
    log: infra.log,
  });
});

afterAll(async () => {
  await publisher.disconnect();
  await infra.close();
});

const probes = () => infra.db.collection<Probe>('probes');
const pinged = (probeId: string, sequence: number) =>
  outboxEvent(Events.probePinged, { probeId, sequence, note: '' }, { key: probeId, source });
const idsOf = (messages: KafkaMessage[]) => messages.map((m) => headerText(m.headers, 'ce_id'));

/** Reads the probe topic until the marker event for `probeId` shows up; returns everything before it. */
async function readUntilMarker(probeId: string): Promise<KafkaMessage[]> {
  const marker = pinged(probeId, -1);
  await probes().updateOne({ _id: `${probeId}-marker` }, withOutbox({ $set: { sequence: -1 } }, [marker]), {
    upsert: true,
  });
  const relay = createOutboxRelay({ db: infra.db, collections: ['probes'], publisher, log: infra.log });
  await relay.drainOnce();
  const all = await infra
    .collect(Topics.testingProbe, 1, {
      filter: (m) => headerText(m.headers, 'ce_id') === marker.id,
    })
    .then(async () => {
      // The marker is last on its partition only; read the whole topic again to count precisely.
      const everything: KafkaMessage[] = [];
      await infra.collect(Topics.testingProbe, 1, {
        filter: (m) => {
          everything.push(m);
          return headerText(m.headers, 'ce_id') === marker.id;
        },
      });
      return everything;
    });
  return all.filter((m) => m.key?.toString() === probeId);
}

describe('outbox relay on the real store and Kafka', () => {
  it('publishes an event written before a crash exactly once after restart', async () => {
    // The service wrote state and event in one document, then died before its relay ran.
    const event = pinged('crash-before-publish', 1);
    await probes().insertOne({ _id: 'crash-before-publish', sequence: 1, ...outboxFields([event]) });

    // After restart a relay drains it; a second relay (another instance, or another restart) finds nothing.
    const first = createOutboxRelay({ db: infra.db, collections: ['probes'], publisher, log: infra.log });
    expect(await first.drainOnce()).toBe(1);
    const second = createOutboxRelay({ db: infra.db, collections: ['probes'], publisher, log: infra.log });
    expect(await second.drainOnce()).toBe(0);

    const stored = await probes().findOne({ _id: 'crash-before-publish' });
    expect(stored?.outbox).toEqual([]);
    expect(stored?.outboxPending).toBe(false);
    const messages = await readUntilMarker('crash-before-publish');
    expect(idsOf(messages).filter((id) => id === event.id)).toHaveLength(1);
  });

  it('republishes after a crash between publish and mark, and the consumer applies it once', async () => {
    const event = pinged('crash-after-publish', 1);
    await probes().insertOne({ _id: 'crash-after-publish', sequence: 1, ...outboxFields([event]) });
    const crashing: EventPublisher = {
      ...publisher,
      async publishEncoded(events) {
        await publisher.publishEncoded(events);
        throw new Error('process died before marking the events sent');
      },
    };
    const doomed = createOutboxRelay({
      db: infra.db,
      collections: ['probes'],
      publisher: crashing,
      log: infra.log,
    });
    await expect(doomed.drainOnce()).rejects.toThrow('process died');
    expect((await probes().findOne({ _id: 'crash-after-publish' }))?.outboxPending).toBe(true);

    const restarted = createOutboxRelay({ db: infra.db, collections: ['probes'], publisher, log: infra.log });
    expect(await restarted.drainOnce()).toBe(1);

    const messages = await readUntilMarker('crash-after-publish');
    expect(idsOf(messages).filter((id) => id === event.id)).toHaveLength(2); // at least once...

    const applied: number[] = [];
    const consumer = createEventConsumer({
      kafka: infra.kafka,
      groupId: infra.groupId('once'),
      subscriptions: [
        on(Events.probePinged, async (payload: testingV1.ProbePinged) => {
          if (payload.probeId === 'crash-after-publish') applied.push(payload.sequence);
        }),
      ],
      db: infra.db,
      publisher,
      log: infra.log,
      topicPrefix: infra.topicPrefix,
    });
    await consumer.start();
    await waitFor(() => applied.includes(-1), { what: 'the marker to be consumed' });
    await consumer.stop();
    expect(applied).toEqual([1, -1]); // ...applied once
  });

  it.each([
    ['reading the collection through', false],
    ['learning its own writes', true],
  ])('loses no event when writes race the running relay (%s)', async (_mode, monitor) => {
    const connection = await mongoose
      .createConnection(infra.mongoUrl, { dbName: infra.db.databaseName, monitorCommands: monitor })
      .asPromise();
    const db = connection.db as mongoose.mongo.Db;
    const probes = () => db.collection<Probe>('probes');
    const relay = createOutboxRelay({
      db,
      collections: ['probes'],
      publisher,
      log: infra.log,
      pollIntervalMs: 20,
    });
    expect(relay.tracking).toBe(monitor);
    relay.start();
    const written: string[] = [];
    const prefix = monitor ? 'race-own' : 'race';
    await probes().insertMany(
      Array.from({ length: 10 }, (_, i) => ({ _id: `${prefix}-${i}`, sequence: 0, ...outboxFields([]) })),
    );
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        for (let sequence = 1; sequence <= 10; sequence += 1) {
          const event = pinged(`${prefix}-${i}`, sequence);
          written.push(event.id);
          await probes().updateOne({ _id: `${prefix}-${i}` }, withOutbox({ $set: { sequence } }, [event]));
          relay.notify();
        }
      }),
    );
    await waitFor(async () => (await relay.backlog()) === 0, { what: 'the relay to drain' });
    await relay.stop();
    await connection.close();
    const wanted = new Set(written);
    const seen = new Set<string>();
    const sequencesByProbe = new Map<string, number[]>();
    await infra.collect(Topics.testingProbe, wanted.size, {
      filter: (m) => {
        const id = headerText(m.headers, 'ce_id') ?? '';
        if (!wanted.has(id) || seen.has(id)) return false;
        seen.add(id);
        const key = m.key?.toString() ?? '';
        const sequences = sequencesByProbe.get(key) ?? [];
        sequences.push(testingV1.ProbePinged.decode(m.value as Buffer).sequence);
        sequencesByProbe.set(key, sequences);
        return true;
      },
    });
    expect(seen.size).toBe(100);
    // Per-aggregate order survives: each probe's events arrive in sequence order.
    expect(sequencesByProbe.size).toBe(10);
    for (const sequences of sequencesByProbe.values())
      expect(sequences).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('publishes its own process’s writes by id, reading the collection through only on its scan interval', async () => {
    // A client that monitors commands, as the services open theirs.
    const connection = await mongoose
      .createConnection(infra.mongoUrl, { dbName: infra.db.databaseName, monitorCommands: true })
      .asPromise();
    const db = connection.db as mongoose.mongo.Db;
    const tracked = db.collection<Probe>('tracked');
    await ensureOutboxIndexes(db, ['tracked']);
    await tracked.insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({ _id: `filler-${i}`, sequence: 0, ...outboxFields([]) })),
    );
    const options = { db, collections: ['tracked'], publisher, log: infra.log, pollIntervalMs: 20 };
    const relay = createOutboxRelay({ ...options, scanIntervalMs: 600_000 });
    expect(relay.tracking).toBe(true);
    relay.start();
    const written: string[] = [];
    try {
      await waitFor(() => relay.stats.scans >= 1, { what: 'the first read-through' });
      for (let i = 0; i < 40; i += 1) {
        const inserted = pinged(`own-${i}`, 1);
        written.push(inserted.id);
        await tracked.insertOne({ _id: `own-${i}`, sequence: 1, ...outboxFields([inserted]) });
        const updated = pinged(`filler-${i * 37}`, 2);
        written.push(updated.id);
        await tracked.updateOne(
          { _id: `filler-${i * 37}` },
          withOutbox({ $set: { sequence: 2 } }, [updated]),
        );
      }
      await waitFor(() => relay.stats.published >= written.length, {
        what: 'the relay to publish 80 events',
      });
      // Every one found by id: the collection was read through once, at start.
      expect(relay.stats.scans).toBe(1);
      const wanted = new Set(written);
      const seen = new Set<string>();
      await infra.collect(Topics.testingProbe, wanted.size, {
        filter: (m) => {
          const id = headerText(m.headers, 'ce_id') ?? '';
          if (!wanted.has(id) || seen.has(id)) return false;
          seen.add(id);
          return true;
        },
      });
      expect(seen.size).toBe(80);
    } finally {
      await relay.stop();
    }

    // What another process left pending (written through another client) goes out on the next scan.
    const scanning = createOutboxRelay({ ...options, scanIntervalMs: 500 });
    scanning.start();
    try {
      await waitFor(() => scanning.stats.scans >= 1, { what: 'the first read-through' });
      const leftover = pinged('leftover', 1);
      await infra.db
        .collection<Probe>('tracked')
        .insertOne({ _id: 'leftover', sequence: 1, ...outboxFields([leftover]) });
      await waitFor(
        async () => (await tracked.countDocuments({ _id: 'leftover', outboxPending: false })) === 1,
        {
          timeoutMs: 10_000,
          what: 'the leftover to be published',
        },
      );
      expect(scanning.stats.scans).toBeGreaterThanOrEqual(2);
    } finally {
      await scanning.stop();
      await connection.close();
    }
  }, 120_000);

  it('keeps an event appended while its document is being published, and publishes it on the next pass', async () => {
    const first = pinged('mid-pass', 1);
    const second = pinged('mid-pass', 2);
    await probes().insertOne({ _id: 'mid-pass', sequence: 1, ...outboxFields([first]) });
    let appended = false;
    // A write lands between the relay's read and its mark.
    const writesMeanwhile: EventPublisher = {
      ...publisher,
      async publishEncoded(events) {
        await publisher.publishEncoded(events);
        if (appended) return;
        appended = true;
        await probes().updateOne({ _id: 'mid-pass' }, withOutbox({ $set: { sequence: 2 } }, [second]));
      },
    };
    const relay = createOutboxRelay({
      db: infra.db,
      collections: ['probes'],
      publisher: writesMeanwhile,
      log: infra.log,
    });
    expect(await relay.drainOnce()).toBeGreaterThanOrEqual(1);
    const between = await probes().findOne({ _id: 'mid-pass' });
    expect(between?.outbox?.map((e) => e.id)).toEqual([second.id]);
    expect(between?.outboxPending).toBe(true);
    expect(between).not.toHaveProperty('outboxClaim');
    await relay.drainOnce();
    const after = await probes().findOne({ _id: 'mid-pass' });
    expect(after?.outbox).toEqual([]);
    expect(after?.outboxPending).toBe(false);
    // Each once, in order (the marker that ends the read follows them).
    const ids = idsOf(await readUntilMarker('mid-pass'));
    expect(ids.filter((id) => id === first.id || id === second.id)).toEqual([first.id, second.id]);
  });

  it('marks a large batch published without stalling other writes to the store', async () => {
    // Two update statements per document: one command for the whole batch once exhausted the
    // store's connection pool (FerretDB keeps a connection per statement until the command ends).
    const count = 250;
    const events = Array.from({ length: count }, (_, i) => pinged(`bulk-${i}`, 1));
    await probes().insertMany(
      events.map((event, i) => ({ _id: `bulk-${i}`, sequence: 1, ...outboxFields([event]) })),
    );
    const relay = createOutboxRelay({
      db: infra.db,
      collections: ['probes'],
      publisher,
      log: infra.log,
      batchSize: count,
    });
    const draining = relay.drainOnce();
    // A write from elsewhere while the relay marks its batch still completes.
    await infra.db.collection('bystanders').insertOne({ at: new Date() });
    expect(await draining).toBeGreaterThanOrEqual(count);
    expect(await probes().countDocuments({ _id: { $regex: '^bulk-' }, outboxPending: true } as never)).toBe(
      0,
    );
    expect(
      await probes().countDocuments({ _id: { $regex: '^bulk-' }, 'outbox.0': { $exists: true } } as never),
    ).toBe(0);
  }, 60_000);

  it('parks an event the broker refuses for good and keeps publishing the others', async () => {
    const tooLarge = { ...pinged('too-large', 1), data: Buffer.alloc(2 * 1024 * 1024, 7) }; // over max.message.bytes
    const fine = pinged('fine-after-too-large', 1);
    await probes().insertOne({ _id: 'too-large', sequence: 1, ...outboxFields([tooLarge]) });
    await probes().insertOne({ _id: 'fine-after-too-large', sequence: 1, ...outboxFields([fine]) });
    const relay = createOutboxRelay({ db: infra.db, collections: ['probes'], publisher, log: infra.log });
    await relay.drainOnce();
    expect(relay.stats.parked).toBe(1);
    const parked = await probes().findOne({ _id: 'too-large' });
    expect(parked).toMatchObject({ outbox: [], outboxPending: false });
    expect((parked as unknown as { outboxParked: { id: string; error: string }[] }).outboxParked).toEqual([
      expect.objectContaining({ id: tooLarge.id, error: expect.stringMatching(/too large|size/i) }),
    ]);
    const [message] = await infra.collect(Topics.testingProbe, 1, {
      filter: (m) => headerText(m.headers, 'ce_id') === fine.id,
    });
    expect(message).toBeDefined();
  });
});
