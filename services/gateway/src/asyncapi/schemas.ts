import type { JsonSchema } from '@lienket/contracts';

export const PROTOBUF = 'application/protobuf';

/** The schemas the AsyncAPI document declares beside the payloads: Kafka headers, dead-letter headers, the CloudEvents envelope, the stream's query. */
export const KAFKA_HEADERS_SCHEMA = 'CloudEventsKafkaHeaders';
export const DLQ_HEADERS_SCHEMA = 'DeadLetterKafkaHeaders';
export const ENVELOPE_SCHEMA = 'CloudEvent';

/** CloudEvents 1.0 Kafka protocol binding, binary mode, as packages/eventbus puts events on Kafka. */
export const kafkaHeadersSchema: JsonSchema = {
  type: 'object',
  title: 'CloudEvents Kafka headers (binary mode)',
  description:
    'CloudEvents 1.0 attributes as `ce_*` Kafka headers (binary content mode); the value is the protobuf payload.',
  required: ['ce_id', 'ce_type', 'ce_source', 'ce_specversion', 'ce_time', 'content-type'],
  properties: {
    ce_id: { type: 'string', description: 'CloudEvents id: unique per event; consumers apply each id once' },
    ce_type: { type: 'string', description: 'CloudEvents type, e.g. vn.lienket.registry.need.posted.v1' },
    ce_source: { type: 'string', description: 'The producing service, e.g. /lienket/registry' },
    ce_specversion: { type: 'string', const: '1.0' },
    ce_time: { type: 'string', format: 'date-time', description: 'When the event happened (RFC 3339)' },
    ce_subject: { type: 'string', description: 'What the event is about, when set' },
    ce_datacontenttype: { type: 'string', const: PROTOBUF },
    'content-type': { type: 'string', const: PROTOBUF },
    traceparent: {
      type: 'string',
      pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
      description: 'W3C trace context of the operation that caused the event',
    },
    tracestate: { type: 'string', description: 'W3C trace state, when set' },
  },
};

/** The reasons packages/eventbus dead-letters a message for. */
export const deadLetterReasons = [
  'not_a_cloudevent',
  'unknown_type',
  'malformed_payload',
  'oversize',
  'handler_failed',
] as const;

export const deadLetterHeadersSchema: JsonSchema = {
  type: 'object',
  title: 'Dead-letter headers',
  description:
    'The original message headers (the CloudEvents `ce_*` headers when it was one) plus why and where it failed.',
  required: [
    'dlq_reason',
    'dlq_error',
    'dlq_original_topic',
    'dlq_original_partition',
    'dlq_original_offset',
    'dlq_consumer_group',
    'dlq_attempts',
    'dlq_failed_at',
  ],
  properties: {
    dlq_reason: { type: 'string', enum: [...deadLetterReasons] },
    dlq_error: { type: 'string', maxLength: 1000, description: 'The error, cut to 1,000 characters' },
    dlq_original_topic: { type: 'string', description: 'The topic it was read from (with the prefix)' },
    dlq_original_partition: { type: 'string', pattern: '^[0-9]+$' },
    dlq_original_offset: { type: 'string', pattern: '^[0-9]+$' },
    dlq_consumer_group: { type: 'string', description: 'The consumer group that gave up on it' },
    dlq_attempts: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Handler attempts (0 when it could not be read)',
    },
    dlq_failed_at: { type: 'string', format: 'date-time' },
    dlq_body_omitted: {
      type: 'string',
      const: 'true',
      description:
        'Present when the body was too large to dead-letter: the message has no value, and the original stays at dlq_original_topic/partition/offset',
    },
    dlq_body_bytes: { type: 'string', pattern: '^[0-9]+$', description: 'The size of the omitted body' },
  },
};

/** CloudEvents 1.0 JSON (structured mode), as the event stream and webhooks deliver every event. */
export const envelopeSchema: JsonSchema = {
  type: 'object',
  title: 'CloudEvent (JSON)',
  description:
    'CloudEvents 1.0 structured mode: the attributes and, in `data`, the protobuf payload in its proto3 JSON mapping.',
  required: ['specversion', 'id', 'type', 'source', 'time', 'datacontenttype', 'data'],
  properties: {
    specversion: { type: 'string', const: '1.0' },
    id: { type: 'string', description: 'CloudEvents id: unique per event; dedupe on it' },
    type: { type: 'string', description: 'CloudEvents type, e.g. vn.lienket.registry.need.posted.v1' },
    source: { type: 'string', format: 'uri-reference', description: 'The producing service' },
    subject: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { type: 'string', const: 'application/json' },
    data: { description: 'The payload (proto3 JSON mapping)' },
  },
};

export const streamQuerySchema: JsonSchema = {
  type: 'object',
  description:
    'Filters (comma-separated or repeated; an event passes when it matches every given filter) and the resume point.',
  properties: {
    type: { type: 'string', description: 'CloudEvents type prefixes, e.g. vn.lienket.matchmaking.' },
    province: { type: 'string', description: 'Two-digit province codes' },
    region: { type: 'string', description: 'Region codes' },
    sector: { type: 'string', description: 'VSIC or HS code prefixes' },
    since: { type: 'string', format: 'date-time', description: 'Replay events from this time (RFC 3339)' },
    last_event_id: {
      type: 'string',
      description:
        'Resume after this cursor (the `id:` of the last event seen); same as the Last-Event-ID header',
    },
  },
};
