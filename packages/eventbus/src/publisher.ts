import { randomUUID } from 'node:crypto';
import type { EventDefinition } from '@lienket/contracts';
import type { Span } from '@opentelemetry/api';
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { type EncodedEvent, encodeEvent, toKafkaMessage } from './cloudevents';
import { currentTraceContext, endSpan, startEventSpan, traceContextOf } from './tracing';

export interface PublishOptions {
  key: string;
  subject?: string;
  id?: string;
  time?: Date;
}

export interface EventPublisher {
  /** Publishes one typed event now (no outbox): for events that announce no stored state change. */
  publish<T>(definition: EventDefinition<T>, payload: T, options: PublishOptions): Promise<EncodedEvent>;
  /** Publishes already-encoded events in one batch, in order per key; each gets a `send` span. */
  publishEncoded(events: readonly EncodedEvent[]): Promise<void>;
  /** Sends raw messages (dead letters, tests). */
  sendRaw(topic: string, messages: Message[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface PublisherOptions {
  kafka: Kafka;
  /** CloudEvents `source` of this service, e.g. `/lienket/registry`. */
  source: string;
  /** Prepended to every topic name (test isolation, multi-tenant clusters). */
  topicPrefix?: string;
  log: Logger;
  /** Codec of each send; none by default (ADR 0015: GZIP measured no consistent gain on 600 B events). */
  compression?: CompressionTypes;
}

/** An idempotent kafkajs producer that writes CloudEvents in binary mode. */
export async function createEventPublisher({
  kafka,
  source,
  topicPrefix = '',
  log,
  compression = CompressionTypes.None,
}: PublisherOptions): Promise<EventPublisher> {
  // One request in flight: kafkajs's idempotent producer numbers a batch's sequences when it sends
  // it, and the relay sends its next batch only after the last one is acknowledged anyway (per-key order).
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const publishLog = log.child({ component: 'publisher' });

  async function publishEncoded(events: readonly EncodedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const spans = events.map((event) => startEventSpan('send', topicPrefix + event.topic, event));
    const byTopic = new Map<string, Message[]>();
    events.forEach((event, index) => {
      const topic = topicPrefix + event.topic;
      const messages = byTopic.get(topic) ?? [];
      // The consumer's span becomes a child of this publish span.
      messages.push(toKafkaMessage({ ...event, ...traceContextOf(spans[index] as Span) }));
      byTopic.set(topic, messages);
    });
    try {
      await producer.sendBatch({
        acks: -1,
        compression,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const span of spans) endSpan(span, error);
      throw error;
    }
    for (const span of spans) endSpan(span);
    publishLog.debug({ count: events.length }, 'events published');
  }

  return {
    async publish(definition, payload, options) {
      const event = encodeEvent(definition, payload, {
        id: options.id ?? randomUUID(),
        source,
        key: options.key,
        time: options.time ?? new Date(),
        ...(options.subject ? { subject: options.subject } : {}),
        ...currentTraceContext(),
      });
      await publishEncoded([event]);
      return event;
    },
    publishEncoded,
    async sendRaw(topic, messages) {
      await producer.send({ topic: topicPrefix + topic, messages, acks: -1 });
    },
    async disconnect() {
      await producer.disconnect();
    },
  };
}
