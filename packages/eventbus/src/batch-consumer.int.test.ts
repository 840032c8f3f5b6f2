import { Events, Topics, testingV1 } from '@lienket/contracts';
import { installTestTracing, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { KafkaMessage } from 'kafkajs';
import mongoose from 'mongoose';
import { type EncodedEvent, headerText, toKafkaMessage } from './cloudevents';
import { type ConsumerOptions, createEventConsumer, type EventConsumer } from './consumer';
import { createEventPublisher, type EventPublisher } from './publisher';
import { type BatchEvent, onBatch } from './subscriptions';
import { ensureTopics } from './topics';

type Pinged = testingV1.ProbePinged;

const spans = installTestTracing();
let infra: TestInfra;
let publisher: EventPublisher;
let topic: string;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  infra = await openTestInfra('batchconsumer');
  topic = infra.topicPrefix + Topics.testingProbe;
  await ensureTopics(infra.kafka, [topic], { partitions: 3, replicationFactor: 1 });
  publisher = await createEventPublisher({
    kafka: infra.kafka,
    source: '/lienket/test',
    topicPrefix: infra.topicPrefix,
    log: infra.log,
  });
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await publisher.disconnect();
  await infra.close();
});

/** A probe event with a known id, for the run `probeId` (every test reads the whole topic). */
const probe = (probeId: string, sequence: number, { key = probeId, note = '' } = {}): EncodedEvent => ({
  id: `${probeId}-${sequence}`,
  type: Events.probePinged.type,
  topic: Topics.testingProbe,
  source: '/lienket/test',
  key,
  time: new Date(),
  data: Buffer.from(testingV1.ProbePinged.encode({ probeId, sequence, note }).finish()),
});

async function startConsumer(
  name: string,
  options: Pick<ConsumerOptions, 'subscriptions'> & Partial<ConsumerOptions>,
) {
  const groupId = infra.groupId(name);
  const consumer = createEventConsumer({
    kafka: infra.kafka,
    groupId,
    db: infra.db,
    publisher,
    log: infra.log,
    topicPrefix: infra.topicPrefix,
    retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
    ...options,
  });
  consumers.push(consumer);
  await consumer.start();
  await consumer.joined();
  return Object.assign(consumer, { groupId });
}

const mine = (probeId: string) => (events: BatchEvent<Pinged>[]) =>
  events.filter((e) => e.payload.probeId === probeId);

async function committedOffset(groupId: string, partition: number): Promise<number> {
  const admin = infra.kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Number(offsets?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
  } finally {
    await admin.disconnect();
  }
}

async function highWatermark(partition: number): Promise<number> {
  const admin = infra.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Number(offsets.find((o) => o.partition === partition)?.high ?? -1);
  } finally {
    await admin.disconnect();
  }
}

const deadLettersOf = (groupId: string, count: number) =>
  infra.collect(`${Topics.testingProbe}.dlq`, count, {
    filter: (m) => headerText(m.headers, 'dlq_consumer_group') === groupId,
  });

describe('a batch consumer', () => {
  it('dead-letters a poison event in the middle of a batch, applies the others and commits past it', async () => {
    const applied = infra.db.collection<{ _id: string }>('poison_applied');
    const events = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) =>
      probe('poison', n, { note: n === 5 ? 'poison' : '' }),
    );
    const undecodable: { key: string; value: Buffer; headers: KafkaMessage['headers'] } = {
      ...(toKafkaMessage(probe('poison', 100)) as {
        key: string;
        value: Buffer;
        headers: KafkaMessage['headers'];
      }),
      value: Buffer.from([0xff, 0xff, 0xff, 0xff]),
    };
    // All in one produce before the group starts, so they arrive as one batch.
    await publisher.sendRaw(Topics.testingProbe, [
      ...events.slice(0, 3).map(toKafkaMessage),
      undecodable,
      ...events.slice(3).map(toKafkaMessage),
    ]);
    const calls: number[][] = [];
    const { groupId } = await startConsumer('poison', {
      subscriptions: [
        onBatch([Events.probePinged], async (batch) => {
          const run = mine('poison')(batch);
          calls.push(run.map((e) => e.payload.sequence));
          if (run.some((e) => e.payload.note === 'poison')) throw new Error('cannot apply sequence 5');
          if (run.length === 0) return;
          await applied.bulkWrite(
            run.map((e) => ({
              updateOne: { filter: { _id: e.id }, update: { $setOnInsert: { _id: e.id } }, upsert: true },
            })),
            { ordered: false },
          );
        }),
      ],
    });

    const dead = await deadLettersOf(groupId, 2);
    expect(dead.map((m) => headerText(m.headers, 'dlq_reason')).sort()).toEqual([
      'handler_failed',
      'malformed_payload',
    ]);
    const failed = dead.find((m) => headerText(m.headers, 'dlq_reason') === 'handler_failed');
    expect(headerText(failed?.headers, 'ce_id')).toBe('poison-5');
    expect(headerText(failed?.headers, 'dlq_error')).toBe('cannot apply sequence 5');
    expect(headerText(failed?.headers, 'dlq_attempts')).toBe('3');
    await waitFor(async () => (await applied.countDocuments()) === 8, { what: 'the eight good events' });
    expect((await applied.find().toArray()).map((d) => d._id).sort()).toEqual(
      [1, 2, 3, 4, 6, 7, 8, 9].map((n) => `poison-${n}`).sort(),
    );
    // The batch was tried whole (with retries), then isolated; the poison event never reached the store.
    expect(calls[0]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const partition = Number(headerText(failed?.headers, 'dlq_original_partition'));
    const end = await highWatermark(partition);
    await waitFor(async () => (await committedOffset(groupId, partition)) === end, {
      what: 'the committed offset past the poison event',
    });
  });

  it('applies a redelivered batch once: through the processed ids, or by its own idempotent writes', async () => {
    const counters = infra.db.collection<{ _id: string; applied: number }>('redelivery_counters');
    const changes = { idempotent: 0 };
    const calls = { recorded: 0, idempotent: 0 };
    await publisher.publishEncoded([1, 2, 3, 4, 5, 6].map((n) => probe('redelivery', n)));
    const crashOnce = (run: keyof typeof calls) => {
      let crashed = false;
      // After the batch's effects, before its offsets are committed: a crash kafkajs does not retry.
      return () => {
        if (calls[run] > 0 && !crashed) {
          crashed = true;
          throw Object.assign(new Error('crash after the effects'), { retriable: false });
        }
      };
    };
    // Not idempotent by itself ($inc): the consumer's record of processed ids keeps it once.
    const recorded = await startConsumer('redelivery-recorded', {
      onProgress: crashOnce('recorded'),
      subscriptions: [
        onBatch([Events.probePinged], async (batch) => {
          const run = mine('redelivery')(batch);
          if (run.length === 0) return;
          calls.recorded += 1;
          await counters.bulkWrite(
            run.map((e) => ({
              updateOne: { filter: { _id: e.id }, update: { $inc: { applied: 1 } }, upsert: true },
            })),
          );
        }),
      ],
    });
    // Idempotent by the event id: no record of processed ids at all, and the replay changes nothing.
    const idempotent = await startConsumer('redelivery-idempotent', {
      onProgress: crashOnce('idempotent'),
      subscriptions: [
        onBatch(
          [Events.probePinged],
          async (batch) => {
            const run = mine('redelivery')(batch);
            if (run.length === 0) return;
            calls.idempotent += 1;
            const result = await infra.db.collection<{ _id: string }>('redelivery_idempotent').bulkWrite(
              run.map((e) => ({
                updateOne: { filter: { _id: e.id }, update: { $setOnInsert: { _id: e.id } }, upsert: true },
              })),
              { ordered: false },
            );
            changes.idempotent += result.upsertedCount;
          },
          { idempotent: true },
        ),
      ],
    });
    await waitFor(() => recorded.stats.restarts > 0 && idempotent.stats.restarts > 0, {
      what: 'both consumers to crash after their effects',
      timeoutMs: 30_000,
    });
    await waitFor(() => recorded.stats.duplicates >= 6, {
      what: 'the redelivered batch skipped by its processed ids',
      timeoutMs: 60_000,
    });
    await waitFor(() => calls.idempotent >= 2, {
      what: 'the idempotent handler to see the batch again',
      timeoutMs: 60_000,
    });
    const counted = await counters.find({ _id: { $regex: /^redelivery-/ } }).toArray();
    expect(counted.map((c) => c.applied)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(changes.idempotent).toBe(6);
    expect(
      await infra.db
        .collection(`processed_events_${idempotent.groupId.replace(/[^A-Za-z0-9_-]/g, '_')}`)
        .countDocuments(),
    ).toBe(0);
  }, 120_000);

  it('costs a bounded number of store commands per batch, counted by the driver', async () => {
    const client = await new mongoose.mongo.MongoClient(infra.mongoUrl, { monitorCommands: true }).connect();
    try {
      const db = client.db(infra.dbName);
      const totals = db.collection<{ _id: string; total: number; events: string[] }>('command_totals');
      const events = Array.from({ length: 200 }, (_, i) => probe('commands', i + 1, { key: `k${i % 20}` }));
      await publisher.publishEncoded(events);
      const commands: string[] = [];
      // Only this client's commands: the consumer's dedupe (processed ids) and the handler's.
      client.on('commandStarted', (event) => {
        const target = event.command[event.commandName];
        if (
          typeof target === 'string' &&
          (target === 'command_totals' || target.startsWith('processed_events_'))
        )
          commands.push(`${event.commandName} ${target}`);
      });
      let handlerCalls = 0;
      const consumer = await startConsumer('commands', {
        db,
        subscriptions: [
          onBatch([Events.probePinged], async (batch) => {
            const run = mine('commands')(batch);
            if (run.length === 0) return;
            handlerCalls += 1;
            // One read of what it needs, one bulk write.
            const keys = [...new Set(run.map((e) => e.key))];
            const known = await totals.find({ _id: { $in: keys } }).toArray();
            const seen = new Set(known.flatMap((t) => t.events));
            await totals.bulkWrite(
              run
                .filter((e) => !seen.has(e.id))
                .map((e) => ({
                  updateOne: {
                    filter: { _id: e.key },
                    update: { $inc: { total: e.payload.sequence }, $push: { events: e.id } },
                    upsert: true,
                  },
                })),
              { ordered: true },
            );
          }),
        ],
      });
      await waitFor(() => consumer.stats.processed >= 200, {
        what: 'the 200 events applied',
        timeoutMs: 60_000,
      });
      // The batches' commands (the processed-ids index built once at start is not a batch's).
      const perBatches = commands.filter((c) => !c.startsWith('createIndexes'));
      expect(await totals.countDocuments()).toBe(20);
      // Per slice: at most one dedupe read, the handler's two commands, one dedupe write.
      expect(perBatches.length).toBeLessThanOrEqual(4 * consumer.stats.batches);
      expect(perBatches.filter((c) => c.startsWith('find processed_events_')).length).toBeLessThanOrEqual(
        consumer.stats.batches,
      );
      expect(perBatches.filter((c) => c.startsWith('insert processed_events_')).length).toBeLessThanOrEqual(
        consumer.stats.batches,
      );
      expect(perBatches.filter((c) => c.endsWith('command_totals')).length).toBe(2 * handlerCalls);
      // Published in one produce before the group started: a handful of batches, not one per event.
      expect(handlerCalls).toBeLessThanOrEqual(6);
    } finally {
      await client.close();
    }
  }, 90_000);

  it('traces each event under its send span, and each handler call in a batch span linked to them', async () => {
    const events = [1, 2, 3].map((n) => probe('traced', n));
    await publisher.publishEncoded(events);
    const seen: string[] = [];
    const { groupId } = await startConsumer('traced', {
      subscriptions: [
        onBatch([Events.probePinged], async (batch) => {
          seen.push(...mine('traced')(batch).map((e) => e.id));
        }),
      ],
    });
    await waitFor(() => seen.length === 3, { what: 'the traced events' });
    const finished = () => spans.getFinishedSpans();
    const named = (name: string, id: string) =>
      finished().filter((s) => s.name === `${name} ${topic}` && s.attributes['messaging.message.id'] === id);
    for (const { id } of events) {
      const [send] = named('send', id);
      const process = await waitFor(
        () =>
          // Every group still running in this file reads the topic: look at this group's span.
          named('process', id).find((s) => s.attributes['messaging.consumer.group.name'] === groupId),
        { what: `the process span of ${id}` },
      );
      expect(process.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
      expect(process.spanContext().traceId).toBe(send?.spanContext().traceId);
      // The handler's call ran in a batch span linked to this event's process span.
      const batch = finished().find(
        (s) =>
          s.attributes['messaging.batch.message_count'] !== undefined &&
          s.links.some((l) => l.context.spanId === process.spanContext().spanId),
      );
      expect(batch?.name).toBe(`process ${topic}`);
    }
  });

  it("hands each batch its partition's high watermark and the offset its slice ends at", async () => {
    const events = [1, 2, 3, 4].map((n) => probe('watermark', n));
    await publisher.publishEncoded(events);
    const batches: { partition: number; highWatermark: number; lastOffset: number; mine: number[] }[] = [];
    await startConsumer('watermark', {
      subscriptions: [
        onBatch([Events.probePinged], async (batch, { partition, highWatermark, lastOffset }) => {
          for (const e of batch) {
            // Every event handed lies below the watermark and at or before the slice's end.
            expect(Number(e.offset)).toBeLessThanOrEqual(Number(lastOffset));
          }
          expect(Number(lastOffset)).toBeLessThan(Number(highWatermark));
          batches.push({
            partition,
            highWatermark: Number(highWatermark),
            lastOffset: Number(lastOffset),
            mine: mine('watermark')(batch).map((e) => e.payload.sequence),
          });
        }),
      ],
    });
    // The four share a key, so a partition, and were appended last there: the batch that holds the
    // fourth saw that partition's end as the broker has it.
    const last = await waitFor(() => batches.find((b) => b.mine.includes(4)), {
      what: 'the batch of the last watermark event',
    });
    const high = await highWatermark(last.partition);
    expect([last.highWatermark, last.lastOffset]).toEqual([high, high - 1]);
  });

  it('keeps the order of each key, and later events of a key still apply after its poison event', async () => {
    const order: string[] = [];
    const events = [1, 2, 3, 4, 5].flatMap((n) =>
      ['A', 'B', 'C'].map((key) =>
        probe(`order${key}`, n, { key: `order-${key}`, note: key === 'A' && n === 3 ? 'poison' : '' }),
      ),
    );
    await publisher.publishEncoded(events);
    const { groupId } = await startConsumer('order', {
      subscriptions: [
        onBatch([Events.probePinged], async (batch) => {
          const run = batch.filter((e) => e.payload.probeId.startsWith('order'));
          if (run.some((e) => e.payload.note === 'poison')) throw new Error('poison');
          for (const e of run) order.push(`${e.key.slice(-1)}${e.payload.sequence}`);
        }),
      ],
    });
    await deadLettersOf(groupId, 1);
    await waitFor(() => ['A5', 'B5', 'C5'].every((x) => order.includes(x)), {
      what: 'the last event of each key',
    });
    for (const key of ['A', 'B', 'C']) {
      const sequences = order.filter((x) => x.startsWith(key)).map((x) => Number(x.slice(1)));
      expect(sequences).toEqual(key === 'A' ? [1, 2, 4, 5] : [1, 2, 3, 4, 5]);
    }
  });
});
