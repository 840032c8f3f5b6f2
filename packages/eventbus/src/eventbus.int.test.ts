import { Events, Topics, testingV1 } from '@lienket/contracts';
import { installTestTracing, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { context, trace } from '@opentelemetry/api';
import { headerText, toKafkaMessage } from './cloudevents';
import { createEventConsumer, type EventConsumer, on } from './consumer';
import { createEventPublisher, type EventPublisher } from './publisher';
import { ensureTopics } from './topics';

const spans = installTestTracing();
let infra: TestInfra;
let publisher: EventPublisher;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  infra = await openTestInfra('eventbus');
  await ensureTopics(infra.kafka, [infra.topicPrefix + Topics.testingProbe], {
    partitions: 3,
    replicationFactor: 1,
  });
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

type Pinged = testingV1.ProbePinged;

async function startConsumer(
  name: string,
  handler: (payload: Pinged) => Promise<void>,
  retry = { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
) {
  const groupId = infra.groupId(name);
  const consumer = createEventConsumer({
    kafka: infra.kafka,
    groupId,
    subscriptions: [on(Events.probePinged, handler)],
    db: infra.db,
    publisher,
    log: infra.log,
    topicPrefix: infra.topicPrefix,
    retry,
    maxMessageBytes: 10_000,
  });
  consumers.push(consumer);
  await consumer.start();
  await consumer.joined();
  return Object.assign(consumer, { groupId });
}

describe('event bus on real Kafka', () => {
  it('round-trips a CloudEvent: headers, key, protobuf payload and trace context', async () => {
    const tracer = trace.getTracer('test');
    const root = tracer.startSpan('http request');
    const published = await context.with(trace.setSpan(context.active(), root), () =>
      publisher.publish(
        Events.probePinged,
        { probeId: 'probe-rt', sequence: 1, note: 'Thái Nguyên' },
        {
          key: 'probe-rt',
          subject: 'probe/probe-rt',
        },
      ),
    );
    root.end();

    const [message] = await infra.collect(Topics.testingProbe, 1);
    expect(message?.key?.toString()).toBe('probe-rt');
    const header = (name: string) => headerText(message?.headers, name);
    expect(header('ce_id')).toBe(published.id);
    expect(header('ce_type')).toBe('vn.lienket.testing.probe.pinged.v1');
    expect(header('ce_source')).toBe('/lienket/test');
    expect(header('ce_specversion')).toBe('1.0');
    expect(header('ce_subject')).toBe('probe/probe-rt');
    expect(header('content-type')).toBe('application/protobuf');
    expect(new Date(header('ce_time') ?? '').getTime()).toBe(published.time.getTime());
    expect(testingV1.ProbePinged.decode(message?.value as Buffer)).toEqual({
      probeId: 'probe-rt',
      sequence: 1,
      note: 'Thái Nguyên',
    });
    // traceparent continues the caller's trace through the publish span
    const traceparent = header('traceparent') ?? '';
    expect(traceparent.split('-')[1]).toBe(root.spanContext().traceId);

    const seen: Pinged[] = [];
    await startConsumer('roundtrip', async (payload) => {
      seen.push(payload);
    });
    await waitFor(() => seen.length === 1, { what: 'the consumer to handle the event' });
    const finished = spans.getFinishedSpans();
    const publishSpan = finished.find((s) => s.name === `send ${infra.topicPrefix}${Topics.testingProbe}`);
    const processSpan = await waitFor(
      () =>
        spans.getFinishedSpans().find((s) => s.name === `process ${infra.topicPrefix}${Topics.testingProbe}`),
      { what: 'the process span' },
    );
    expect(publishSpan?.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(processSpan.spanContext().traceId).toBe(root.spanContext().traceId);
    expect(processSpan.parentSpanContext?.spanId).toBe(publishSpan?.spanContext().spanId);
  });
});

describe('a consumer that meets bad messages', () => {
  it('dead-letters poison messages with the reason in headers and keeps consuming', async () => {
    const topic = infra.topicPrefix + Topics.testingProbe;
    const good = (sequence: number) =>
      toKafkaMessage({
        id: `poison-good-${sequence}`,
        type: Events.probePinged.type,
        topic: Topics.testingProbe,
        source: '/lienket/test',
        key: 'poison',
        time: new Date(),
        data: Buffer.from(testingV1.ProbePinged.encode({ probeId: 'poison', sequence, note: '' }).finish()),
      });
    const template = good(0);
    const handled: number[] = [];
    const { groupId } = await startConsumer('poison', async (payload) => {
      if (payload.probeId === 'poison') handled.push(payload.sequence);
    });
    await publisher.sendRaw(Topics.testingProbe, [
      good(1),
      { key: 'poison', value: Buffer.from('not a cloud event'), headers: {} },
      { ...template, headers: { ...template.headers, ce_id: 'bad-type', ce_type: 'vn.lienket.unknown.v1' } },
      {
        ...template,
        headers: { ...template.headers, ce_id: 'bad-bytes' },
        value: Buffer.from([0xff, 0xff, 0xff, 0xff]),
      },
      { ...template, headers: { ...template.headers, ce_id: 'too-big' }, value: Buffer.alloc(20_000, 1) },
      { ...template, headers: { ce_id: 'no-source', ce_type: Events.probePinged.type } },
      good(2),
    ]);
    // Every group that reads the topic dead-letters for itself; look at this group's letters.
    const dead = await infra.collect(`${Topics.testingProbe}.dlq`, 5, {
      filter: (m) => headerText(m.headers, 'dlq_consumer_group') === groupId,
    });
    expect(dead.map((m) => headerText(m.headers, 'dlq_reason')).sort()).toEqual([
      'malformed_payload',
      'not_a_cloudevent',
      'not_a_cloudevent',
      'oversize',
      'unknown_type',
    ]);
    // An oversize body is left out of its dead letter (the broker could refuse it and stall the
    // consumer); the headers give its size and where it is.
    const oversize = dead.find((m) => headerText(m.headers, 'dlq_reason') === 'oversize');
    expect(oversize?.value?.length ?? 0).toBe(0);
    expect(headerText(oversize?.headers, 'dlq_body_omitted')).toBe('true');
    expect(headerText(oversize?.headers, 'dlq_body_bytes')).toBe('20000');
    const small = dead.find((m) => headerText(m.headers, 'ce_id') === 'bad-bytes');
    expect(small?.value).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    for (const message of dead) {
      expect(headerText(message.headers, 'dlq_original_topic')).toBe(topic);
      expect(headerText(message.headers, 'dlq_error')).toBeTruthy();
      expect(headerText(message.headers, 'dlq_original_offset')).toMatch(/^\d+$/);
    }
    await waitFor(() => handled.includes(2), { what: 'the good message after the poison ones' });
    expect(handled.filter((s) => s === 1 || s === 2)).toEqual([1, 2]);
  });

  it('retries a failing handler with backoff, then dead-letters it with the error', async () => {
    let calls = 0;
    const consumer = await startConsumer('failing', async (payload) => {
      if (payload.probeId !== 'always-fails') return;
      calls += 1;
      throw new Error('downstream unavailable');
    });
    await publisher.publish(
      Events.probePinged,
      { probeId: 'always-fails', sequence: 1, note: '' },
      { key: 'af' },
    );
    const [dead] = await infra.collect(`${Topics.testingProbe}.dlq`, 1, {
      filter: (m) =>
        headerText(m.headers, 'dlq_reason') === 'handler_failed' &&
        headerText(m.headers, 'dlq_consumer_group') === consumer.groupId,
    });
    expect(calls).toBe(3);
    expect(headerText(dead?.headers, 'dlq_attempts')).toBe('3');
    expect(headerText(dead?.headers, 'dlq_error')).toBe('downstream unavailable');
    expect(consumer.stats.retried).toBeGreaterThanOrEqual(2);
  });

  it('starts again after an error kafkajs would stop for good on, skipping nothing', async () => {
    const handled: number[] = [];
    let failures = 0;
    const consumer = createEventConsumer({
      kafka: infra.kafka,
      groupId: infra.groupId('relaunch'),
      subscriptions: [
        on(Events.probePinged, async (payload) => {
          if (payload.probeId === 'relaunch') handled.push(payload.sequence);
        }),
      ],
      db: infra.db,
      publisher,
      log: infra.log,
      topicPrefix: infra.topicPrefix,
      // Fails once after the first event is applied, as a bug would: not retriable for kafkajs.
      onProgress: () => {
        if (handled.includes(1) && failures === 0) {
          failures += 1;
          throw Object.assign(new Error('unexpected'), { retriable: false });
        }
      },
    });
    consumers.push(consumer);
    await consumer.start();
    await consumer.joined();
    await publisher.publish(
      Events.probePinged,
      { probeId: 'relaunch', sequence: 1, note: '' },
      { key: 'rl' },
    );
    await waitFor(() => failures === 1, { what: 'the failure' });
    await publisher.publish(
      Events.probePinged,
      { probeId: 'relaunch', sequence: 2, note: '' },
      { key: 'rl' },
    );
    await waitFor(() => handled.includes(2), { what: 'the event after the failure', timeoutMs: 60_000 });
    // The first event was redelivered (its offset was not committed) and skipped as a duplicate.
    expect(handled).toEqual([1, 2]);
    expect(consumer.stats.duplicates).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('starts again when it makes no progress, and applies what was pending once', async () => {
    const handled: number[] = [];
    let stuck = 0;
    const consumer = createEventConsumer({
      kafka: infra.kafka,
      groupId: infra.groupId('watchdog'),
      subscriptions: [
        on(Events.probePinged, async (payload) => {
          if (payload.probeId !== 'watchdog') return;
          // The first delivery hangs well past stallMs, as a stalled client would, then fails.
          if (stuck === 0) {
            stuck += 1;
            await new Promise((resolve) => setTimeout(resolve, 15_000));
            throw new Error('stalled');
          }
          handled.push(payload.sequence);
        }),
      ],
      db: infra.db,
      publisher,
      log: infra.log,
      topicPrefix: infra.topicPrefix,
      stallMs: 2_000,
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
    });
    consumers.push(consumer);
    await consumer.start();
    await consumer.joined();
    await publisher.publish(
      Events.probePinged,
      { probeId: 'watchdog', sequence: 1, note: '' },
      { key: 'wd' },
    );
    await waitFor(() => consumer.stats.restarts > 0, { what: 'a restart', timeoutMs: 20_000 });
    await waitFor(() => handled.includes(1), { what: 'the stalled event', timeoutMs: 60_000 });
    // The consumer started over consumes what comes next; the stalled event was applied once.
    await publisher.publish(
      Events.probePinged,
      { probeId: 'watchdog', sequence: 2, note: '' },
      { key: 'wd' },
    );
    await waitFor(() => handled.includes(2), { what: 'the next event', timeoutMs: 60_000 });
    expect(handled).toEqual([1, 2]);
  }, 150_000);

  it('applies a duplicate delivery once', async () => {
    const applied: number[] = [];
    const consumer = await startConsumer('dedupe', async (payload) => {
      if (payload.probeId === 'dup') applied.push(payload.sequence);
    });
    const event = {
      id: 'dup-event-1',
      type: Events.probePinged.type,
      topic: Topics.testingProbe,
      source: '/lienket/test',
      key: 'dup',
      time: new Date(),
      data: Buffer.from(testingV1.ProbePinged.encode({ probeId: 'dup', sequence: 1, note: '' }).finish()),
    };
    const marker = {
      ...event,
      id: 'dup-marker',
      data: Buffer.from(testingV1.ProbePinged.encode({ probeId: 'dup', sequence: 2, note: '' }).finish()),
    };
    // The same event three times (a producer retry, a relay re-run, a replay), then a marker.
    await publisher.publishEncoded([event, event, event, marker]);
    await waitFor(() => applied.includes(2), { what: 'the marker event' });
    expect(applied).toEqual([1, 2]);
    expect(consumer.stats.duplicates).toBeGreaterThanOrEqual(2);
  });
});

describe('topics', () => {
  it('are created with their dead-letter topic and kept forever by default', async () => {
    const admin = infra.kafka.admin();
    await admin.connect();
    try {
      const topic = infra.topicPrefix + Topics.testingProbe;
      expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
      });
      expect(described.resources[0]?.configEntries[0]).toMatchObject({
        configName: 'retention.ms',
        configValue: '-1',
      });
    } finally {
      await admin.disconnect();
    }
  });
});
