// The event pipeline: how many events a second the outbox relay (@lienket/eventbus createOutboxRelay, as every
// service runs it) takes from documents written with outboxFields to acknowledged on Kafka (acks = all, the
// services' idempotent kafkajs producer), against the ceilings under it on the same broker in the same run:
//   - relay: the process writes the documents (insertMany of relayBatch) while its relay runs, as a service does;
//     the relay publishes them as written (ADR 0015) and marks each batch; timed from the first write to the last
//     acknowledged event. recovery: a backlog written before the relay exists, read through (after a restart).
//   - the same producer (createEventPublisher) sending the same CloudEvents in batches of the relay's size, no store,
//     without compression (as the services) and with GZIP;
//   - Kafka's own ProducerPerformance (the Java client from the jars infra/local runs Kafka from), records of the
//     same size on the wire (key + value + headers), acks = all, idempotent, its defaults otherwise.
import { spawn } from 'node:child_process';
import { Events, Topics } from '@lienket/contracts';
import {
  createEventPublisher,
  createOutboxRelay,
  type EncodedEvent,
  ensureOutboxIndexes,
  ensureTopics,
  type OutboxEntry,
  outboxEvent,
  outboxFields,
  toKafkaMessage,
} from '@lienket/eventbus';
import { createLogger } from '@lienket/platform';
import type { SingleBar } from 'cli-progress';
import { CompressionTypes, type Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { type Infra, kafkaClient, log, sleep } from './perf-platform';
import { ratio, round } from './perf-stats';

const SOURCE = '/lienket/bench';
const PARTITIONS = 6;
/** A relay that publishes nothing for this long is stuck (see relayBatch). */
const STALL_MS = 30_000;
const INSERT_BATCH = 1_000;

export interface PipelineOptions {
  infra: Infra;
  prefix: string;
  database: string;
  /** Events the relay drains (a backlog written before it starts). */
  events: number;
  /** Records ProducerPerformance sends. */
  rawRecords: number;
  /** Protobuf payload bytes per event (a real NeedPosted is a few hundred). */
  payloadBytes: number;
  /** Documents per relay pass (createOutboxRelay batchSize; the services run its default, 200). */
  relayBatch: number;
  bar: (label: string, total: number) => SingleBar;
}

interface Throughput {
  events: number;
  ms: number;
  eventsPerSecond: number;
}

export interface PipelineResult {
  partitions: number;
  payloadBytes: number;
  /** Mean bytes of one message on the wire: key + value + header names and values. */
  recordBytes: number;
  /** Own writes: written by this process while its relay runs (the services' steady state). */
  relay: Throughput & {
    acknowledgedOnTopic: number;
    writesMs: number;
    batchSize: number;
    failures: number;
    reads: number;
    marks: number;
  };
  /** A backlog read through by a relay started after it was written (a restart). */
  recovery: Throughput & {
    acknowledgedOnTopic: number;
    insertMs: number;
    batchSize: number;
    failures: number;
  };
  /** Writer (8 concurrent inserts, each waking the relay as a service does) and relay together. */
  writeAndRelay: Throughput & { writesPerSecond: number };
  kafkajs: Throughput & { batchSize: number };
  kafkajsGzip: Throughput & { batchSize: number };
  producerPerformance:
    | (Throughput & {
        recordSize: number;
        mbPerSecond: number;
        avgLatencyMs: number;
        p99LatencyMs: number;
        command: string;
      })
    | { error: string };
  ratios: {
    relayToProducerPerformance: number | null;
    relayToKafkajs: number | null;
    recoveryToKafkajs: number | null;
    kafkajsToProducerPerformance: number | null;
  };
}

interface ProbeDocument {
  _id: string;
  sequence: number;
  outbox: OutboxEntry[];
  outboxPending: boolean;
}

function probeEvent(i: number, note: string, run: string): OutboxEntry {
  const probeId = `${run}-${i}`;
  return outboxEvent(Events.probePinged, { probeId, sequence: i, note }, { key: probeId, source: SOURCE });
}

function messageBytes(event: EncodedEvent): number {
  const message = toKafkaMessage(event);
  let bytes = Buffer.byteLength(String(message.key ?? '')) + (message.value as Buffer).length;
  for (const [name, value] of Object.entries(message.headers ?? {}))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(value));
  return bytes;
}

async function topicTotal(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, o) => sum + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Resolves once `relay` has published `count` events; throws when it makes no progress for STALL_MS. */
async function untilPublished(
  relay: { stats: { published: number; failures: number } },
  count: number,
  onProgress: (published: number) => void,
): Promise<void> {
  let last = relay.stats.published;
  let lastAt = Date.now();
  while (relay.stats.published < count) {
    await sleep(10);
    onProgress(relay.stats.published);
    if (relay.stats.published !== last) {
      last = relay.stats.published;
      lastAt = Date.now();
    } else if (Date.now() - lastAt > STALL_MS) {
      throw new Error(
        `the outbox relay published nothing for ${STALL_MS / 1000} s (${last} of ${count}, ${relay.stats.failures} failures): the store stopped answering its writes?`,
      );
    }
  }
}

const throughput = (events: number, ms: number): Throughput => ({
  events,
  ms: Math.round(ms),
  eventsPerSecond: round((events * 1000) / ms, 1),
});

export async function benchPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { infra, prefix, events } = options;
  const kafka = kafkaClient(infra, 'bench-pipeline');
  const silent = createLogger({ service: 'bench', level: 'silent' });
  const probeTopic = prefix + Topics.testingProbe;
  const perfTopic = `${prefix}bench.producer-performance`;
  await ensureTopics(kafka, [probeTopic, perfTopic], { partitions: PARTITIONS, replicationFactor: 1 });
  const connection = await mongoose
    // As the services open theirs: the relay learns its own process's pending writes (the backlog below is
    // written before the relay exists, so it is found by reading the collection through, as after a restart).
    .createConnection(infra.mongoUrl, {
      dbName: options.database,
      serverSelectionTimeoutMS: 10_000,
      monitorCommands: true,
    })
    .asPromise();
  const db = connection.db as mongoose.mongo.Db;
  await ensureOutboxIndexes(db, ['probes', 'probes_own', 'probes_live']);
  const publisher = await createEventPublisher({ kafka, source: SOURCE, topicPrefix: prefix, log: silent });
  const note = 'n'.repeat(Math.max(0, options.payloadBytes - 40));
  const sample = probeEvent(0, note, 'size');
  const decoded = { ...sample, time: new Date(sample.time), data: sample.data as Buffer };
  const recordBytes = messageBytes(decoded);
  log(`  one event: ${decoded.data.length} B payload, ${recordBytes} B on the wire with key and headers`);

  try {
    // --- the relay publishing what its own process writes (the steady state of a service)
    const own = db.collection<ProbeDocument>('probes_own');
    const ownBefore = await topicTotal(kafka, probeTopic);
    const ownRelay = createOutboxRelay({
      db,
      collections: ['probes_own'],
      publisher,
      log: silent,
      batchSize: options.relayBatch,
    });
    ownRelay.start();
    // Its first pass reads the (empty) collection through; the writes start after it.
    while (ownRelay.stats.scans < 1) await sleep(5);
    const ownBar = options.bar('write → relay → Kafka', events);
    const o0 = process.hrtime.bigint();
    let writesMs = 0;
    const writing = (async () => {
      for (let from = 0; from < events; from += options.relayBatch) {
        const docs = Array.from({ length: Math.min(options.relayBatch, events - from) }, (_, k) => {
          const i = from + k;
          return { _id: `own-${i}`, sequence: i, ...outboxFields([probeEvent(i, note, 'own')]) };
        });
        await own.insertMany(docs, { ordered: false });
      }
      writesMs = Number(process.hrtime.bigint() - o0) / 1e6;
    })();
    await untilPublished(ownRelay, events, (n) => ownBar.update(n));
    const ownMs = Number(process.hrtime.bigint() - o0) / 1e6;
    await writing;
    ownBar.update(events);
    ownBar.stop();
    await ownRelay.stop();
    const relayResult = {
      ...throughput(events, ownMs),
      acknowledgedOnTopic: (await topicTotal(kafka, probeTopic)) - ownBefore,
      writesMs: Math.round(writesMs),
      batchSize: options.relayBatch,
      failures: ownRelay.stats.failures,
      reads: ownRelay.stats.reads,
      marks: ownRelay.stats.marks,
    };
    log(
      `  relay, own writes: ${relayResult.eventsPerSecond.toLocaleString('en')} events/s (${events.toLocaleString('en')} in ${(ownMs / 1000).toFixed(1)} s, the writes alone ${(writesMs / 1000).toFixed(1)} s; ${relayResult.marks} marks, ${relayResult.reads} reads back; failures ${relayResult.failures})`,
    );

    // --- the relay draining a backlog
    const probes = db.collection<ProbeDocument>('probes');
    const insert = options.bar('write backlog', events);
    const i0 = process.hrtime.bigint();
    for (let from = 0; from < events; from += INSERT_BATCH) {
      const docs = Array.from({ length: Math.min(INSERT_BATCH, events - from) }, (_, k) => {
        const i = from + k;
        return { _id: `probe-${i}`, sequence: i, ...outboxFields([probeEvent(i, note, 'relay')]) };
      });
      await probes.insertMany(docs, { ordered: false });
      insert.update(Math.min(events, from + INSERT_BATCH));
    }
    insert.stop();
    const insertMs = Number(process.hrtime.bigint() - i0) / 1e6;
    const before = await topicTotal(kafka, probeTopic);
    const relay = createOutboxRelay({
      db,
      collections: ['probes'],
      publisher,
      log: silent,
      batchSize: options.relayBatch,
    });
    const drain = options.bar('recovery → Kafka', events);
    const r0 = process.hrtime.bigint();
    relay.start();
    await untilPublished(relay, events, (n) => drain.update(n));
    const relayMs = Number(process.hrtime.bigint() - r0) / 1e6;
    drain.update(events);
    drain.stop();
    await relay.stop();
    const acknowledged = (await topicTotal(kafka, probeTopic)) - before;
    const recovery = {
      ...throughput(events, relayMs),
      acknowledgedOnTopic: acknowledged,
      insertMs: Math.round(insertMs),
      batchSize: options.relayBatch,
      failures: relay.stats.failures,
    };
    log(
      `  relay, recovery (read through): ${recovery.eventsPerSecond.toLocaleString('en')} events/s (${events.toLocaleString('en')} in ${(relayMs / 1000).toFixed(1)} s; ${acknowledged} on the topic; failures ${relay.stats.failures})`,
    );

    // --- writer and relay together, as in a service: each write wakes the relay
    const live = db.collection<ProbeDocument>('probes_live');
    const liveEvents = Math.max(1, Math.floor(events / 2));
    const liveRelay = createOutboxRelay({
      db,
      collections: ['probes_live'],
      publisher,
      log: silent,
      batchSize: options.relayBatch,
    });
    liveRelay.start();
    const liveBar = options.bar('write + relay', liveEvents);
    const w0 = process.hrtime.bigint();
    let written = 0;
    let writesDoneMs = 0;
    const writers = Array.from({ length: 8 }, async () => {
      for (;;) {
        const i = written++;
        if (i >= liveEvents) return;
        await live.insertOne({
          _id: `live-${i}`,
          sequence: i,
          ...outboxFields([probeEvent(i, note, 'live')]),
        });
        liveRelay.notify();
      }
    });
    const allWritten = Promise.all(writers).then(() => {
      writesDoneMs = Number(process.hrtime.bigint() - w0) / 1e6;
    });
    await untilPublished(liveRelay, liveEvents, (n) => liveBar.update(n));
    await allWritten;
    const liveMs = Number(process.hrtime.bigint() - w0) / 1e6;
    liveBar.update(liveEvents);
    liveBar.stop();
    await liveRelay.stop();
    const writeAndRelay = {
      ...throughput(liveEvents, liveMs),
      writesPerSecond: round((liveEvents * 1000) / writesDoneMs, 1),
    };
    log(
      `  write + relay: ${writeAndRelay.eventsPerSecond.toLocaleString('en')} events/s (writes alone ${writeAndRelay.writesPerSecond.toLocaleString('en')}/s)`,
    );

    // --- the same producer without the store
    const raw = options.bar('kafkajs publisher', events);
    const k0 = process.hrtime.bigint();
    for (let from = 0; from < events; from += options.relayBatch) {
      const batch: EncodedEvent[] = Array.from(
        { length: Math.min(options.relayBatch, events - from) },
        (_, k) => {
          const entry = probeEvent(from + k, note, 'kafkajs');
          return { ...entry, time: new Date(entry.time), data: entry.data as Buffer };
        },
      );
      await publisher.publishEncoded(batch);
      raw.update(Math.min(events, from + options.relayBatch));
    }
    const kafkajsMs = Number(process.hrtime.bigint() - k0) / 1e6;
    raw.stop();
    const kafkajs = { ...throughput(events, kafkajsMs), batchSize: options.relayBatch };
    log(`  kafkajs publisher: ${kafkajs.eventsPerSecond.toLocaleString('en')} events/s`);

    // --- the same with GZIP (kafkajs's built-in codec)
    const gzipPublisher = await createEventPublisher({
      kafka,
      source: SOURCE,
      topicPrefix: prefix,
      log: silent,
      compression: CompressionTypes.GZIP,
    });
    const g0 = process.hrtime.bigint();
    try {
      for (let from = 0; from < events; from += options.relayBatch) {
        const batch: EncodedEvent[] = Array.from(
          { length: Math.min(options.relayBatch, events - from) },
          (_, k) => {
            const entry = probeEvent(from + k, note, 'gzip');
            return { ...entry, time: new Date(entry.time), data: entry.data as Buffer };
          },
        );
        await gzipPublisher.publishEncoded(batch);
      }
    } finally {
      await gzipPublisher.disconnect();
    }
    const kafkajsGzip = {
      ...throughput(events, Number(process.hrtime.bigint() - g0) / 1e6),
      batchSize: options.relayBatch,
    };
    log(`  kafkajs publisher, GZIP: ${kafkajsGzip.eventsPerSecond.toLocaleString('en')} events/s`);

    // --- Kafka's own producer
    const perf = await producerPerformance(options, perfTopic, recordBytes);
    if ('error' in perf) log(`  ProducerPerformance failed: ${perf.error}`);
    else
      log(
        `  ProducerPerformance: ${perf.eventsPerSecond.toLocaleString('en')} records/s (${perf.mbPerSecond} MB/s, ${perf.recordSize} B records)`,
      );
    const javaRate = 'error' in perf ? null : perf.eventsPerSecond;
    return {
      partitions: PARTITIONS,
      payloadBytes: decoded.data.length,
      recordBytes,
      relay: relayResult,
      recovery,
      writeAndRelay,
      kafkajs,
      kafkajsGzip,
      producerPerformance: perf,
      ratios: {
        relayToProducerPerformance: ratio(relayResult.eventsPerSecond, javaRate),
        relayToKafkajs: ratio(relayResult.eventsPerSecond, kafkajs.eventsPerSecond),
        recoveryToKafkajs: ratio(recovery.eventsPerSecond, kafkajs.eventsPerSecond),
        kafkajsToProducerPerformance: ratio(kafkajs.eventsPerSecond, javaRate),
      },
    };
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

async function producerPerformance(
  options: PipelineOptions,
  topic: string,
  recordSize: number,
): Promise<PipelineResult['producerPerformance']> {
  const libs = options.infra.kafkaLibs;
  if (!libs) return { error: 'no Kafka jars found under the LienKet cache (run npm run infra:up once)' };
  const args = [
    '-Xmx512m',
    '-cp',
    `${libs}/*`,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    topic,
    '--num-records',
    String(options.rawRecords),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.infra.kafkaBrokers.join(',')}`,
    'acks=all',
    'enable.idempotence=true',
  ];
  const command = `java ${args.map((a) => (a.includes('*') ? `'${a}'` : a)).join(' ')}`;
  const bar = options.bar('ProducerPerformance', options.rawRecords);
  let output = '';
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // Progress lines every 5 s: "N records sent, R records/sec ..."; the sum of N is how far it got.
      const sent = [...output.matchAll(/^(\d+) records sent, [\d.]+ records\/sec/gm)].map((m) =>
        Number(m[1]),
      );
      const last = sent.length > 0 ? sent.reduce((a, b) => a + b, 0) : 0;
      bar.update(Math.min(options.rawRecords, last));
    });
    child.stderr.on('data', () => undefined);
    child.once('error', () => resolve(null));
    child.once('exit', (c) => resolve(c));
  });
  bar.update(options.rawRecords);
  bar.stop();
  // The summary: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, ..."
  const summary = [
    ...output.matchAll(
      /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/gm,
    ),
  ].pop();
  if (code !== 0 || !summary)
    return { error: `exit ${code}; ${output.trim().split('\n').slice(-3).join(' | ') || 'no output'}` };
  const records = Number(summary[1]);
  const perSecond = Number(summary[2]);
  return {
    events: records,
    ms: Math.round((records / perSecond) * 1000),
    eventsPerSecond: round(perSecond, 1),
    recordSize,
    mbPerSecond: Number(summary[3]),
    avgLatencyMs: Number(summary[4]),
    p99LatencyMs: Number(summary[8]),
    command,
  };
}
