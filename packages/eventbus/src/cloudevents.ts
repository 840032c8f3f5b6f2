import { type EventDefinition, findEventDefinition } from '@lienket/contracts';
import { CloudEvent, Kafka as KafkaBinding, type KafkaMessage } from 'cloudevents';
import type { IHeaders, Message } from 'kafkajs';

export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

/** Everything about one event except its payload. */
export interface EventMetadata {
  /** CloudEvents id: unique per event; consumers dedupe on it. */
  id: string;
  type: string;
  /** The producing service, e.g. `/lienket/registry`. */
  source: string;
  /** Aggregate id the event is about; also the Kafka key, so one aggregate stays in order. */
  key: string;
  subject?: string;
  time: Date;
  /** W3C trace context of the operation that caused the event. */
  traceparent?: string;
  tracestate?: string;
}

/** An event as it is stored in an outbox and put on Kafka: metadata plus encoded payload. */
export interface EncodedEvent extends EventMetadata {
  topic: string;
  data: Buffer;
}

export function encodeEvent<T>(
  definition: EventDefinition<T>,
  payload: T,
  metadata: Omit<EventMetadata, 'type'>,
) {
  return {
    ...metadata,
    type: definition.type,
    topic: definition.topic,
    data: Buffer.from(definition.codec.encode(payload).finish()),
  } satisfies EncodedEvent;
}

/** CloudEvents 1.0 binary mode: attributes in `ce_*` headers, payload as the value, key = aggregate id. */
export function toKafkaMessage(event: EncodedEvent): Message {
  const cloudEvent = new CloudEvent<Buffer>({
    id: event.id,
    type: event.type,
    source: event.source,
    time: event.time.toISOString(),
    datacontenttype: PROTOBUF_CONTENT_TYPE,
    data: event.data,
    ...(event.subject ? { subject: event.subject } : {}),
  });
  const binary = KafkaBinding.binary(cloudEvent);
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(binary.headers)) {
    if (value !== undefined && name !== 'ce_data_base64') headers[name] = String(value);
  }
  if (event.traceparent) headers.traceparent = event.traceparent;
  if (event.tracestate) headers.tracestate = event.tracestate;
  // No Kafka timestamp: the broker's append time rules retention; the event's own time is ce_time.
  return { key: event.key, value: event.data, headers };
}

export class EventFormatError extends Error {
  constructor(
    readonly reason: 'not_a_cloudevent' | 'unknown_type' | 'malformed_payload' | 'oversize',
    message: string,
  ) {
    super(message);
    this.name = 'EventFormatError';
  }
}

export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export interface ReceivedEvent<T = unknown> extends EventMetadata {
  definition: EventDefinition<T>;
  payload: T;
}

/** Parses a Kafka message as a CloudEvent of a catalogued type; throws EventFormatError otherwise. */
export function fromKafkaMessage(
  message: { key: Buffer | null; value: Buffer | null; headers?: IHeaders },
  maxBytes = 1_048_576,
): ReceivedEvent {
  if (message.value && message.value.length > maxBytes) {
    throw new EventFormatError('oversize', `payload of ${message.value.length} bytes exceeds ${maxBytes}`);
  }
  const headers: Record<string, string> = {};
  for (const name of Object.keys(message.headers ?? {})) {
    const text = headerText(message.headers, name);
    if (text !== undefined) headers[name] = text;
  }
  // The SDK fills in a missing source and spec version; a producer that leaves out required
  // attributes is broken, and its event goes to the dead-letter topic rather than being guessed at.
  const missing = ['ce_specversion', 'ce_id', 'ce_source', 'ce_type'].filter((name) => !headers[name]);
  if (missing.length > 0) {
    throw new EventFormatError('not_a_cloudevent', `not a CloudEvent: missing ${missing.join(', ')}`);
  }
  if (headers.ce_specversion !== '1.0') {
    throw new EventFormatError(
      'not_a_cloudevent',
      `not a CloudEvent 1.0: ce_specversion is ${headers.ce_specversion}`,
    );
  }
  let cloudEvent: CloudEvent<unknown>;
  try {
    const kafkaMessage: KafkaMessage<Buffer> = {
      headers,
      key: message.key?.toString() ?? '',
      value: message.value ?? Buffer.alloc(0),
      body: message.value,
    };
    cloudEvent = KafkaBinding.toEvent(kafkaMessage as KafkaMessage<never>) as CloudEvent<unknown>;
  } catch (error) {
    throw new EventFormatError('not_a_cloudevent', `not a CloudEvent: ${(error as Error).message}`);
  }
  const definition = findEventDefinition(cloudEvent.type);
  if (!definition) throw new EventFormatError('unknown_type', `unknown event type ${cloudEvent.type}`);
  if (cloudEvent.datacontenttype !== PROTOBUF_CONTENT_TYPE) {
    throw new EventFormatError('malformed_payload', `unexpected content type ${cloudEvent.datacontenttype}`);
  }
  let payload: unknown;
  try {
    payload = definition.codec.decode(message.value ?? Buffer.alloc(0));
  } catch (error) {
    throw new EventFormatError('malformed_payload', `payload does not decode: ${(error as Error).message}`);
  }
  return {
    definition,
    payload,
    id: cloudEvent.id,
    type: cloudEvent.type,
    source: cloudEvent.source,
    key: message.key?.toString() ?? '',
    time: new Date(cloudEvent.time ?? Date.now()),
    ...(cloudEvent.subject ? { subject: cloudEvent.subject } : {}),
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
    ...(headers.tracestate ? { tracestate: headers.tracestate } : {}),
  };
}
