import { deadLetterTopic, type JsonSchema, jsonSchemas } from '@lienket/contracts';
import { publicTopics } from '../events/public-events';
import {
  type CatalogueEntry,
  catalogueEntries,
  consumerGroups,
  type EventKey,
  isTestTopic,
  knownConsumers,
  producerOf,
  type ServiceName,
  sourceOf,
  type TopicKey,
  topicEntries,
  topicNotes,
} from './catalogue';
import {
  DLQ_HEADERS_SCHEMA,
  deadLetterHeadersSchema,
  ENVELOPE_SCHEMA,
  envelopeSchema,
  KAFKA_HEADERS_SCHEMA,
  kafkaHeadersSchema,
  PROTOBUF,
  streamQuerySchema,
} from './schemas';

export {
  DLQ_HEADERS_SCHEMA,
  deadLetterReasons,
  ENVELOPE_SCHEMA,
  KAFKA_HEADERS_SCHEMA,
  PROTOBUF,
} from './schemas';

export type AsyncApiDocument = { [key: string]: unknown };

export interface AsyncApiOptions {
  /** Kafka bootstrap brokers (`KAFKA_BROKERS`). */
  brokers: readonly string[];
  /** Deployment prefix of every topic and consumer group (`KAFKA_TOPIC_PREFIX`). */
  topicPrefix: string;
  /** Where the gateway is reached (`PUBLIC_URL`), for the event stream and webhooks. */
  publicUrl: string;
  /** Partitions and replicas new topics are created with (`KAFKA_PARTITIONS`, `KAFKA_REPLICATION_FACTOR`). */
  partitions?: number;
  replicas?: number;
  /** Also describe the test suite's probe topic (`lienket.testing.*`), for tests; never served. */
  withTestTopics?: boolean;
}

export const ASYNCAPI_VERSION = '3.0.0';
export const KAFKA_BINDING_VERSION = '0.5.0';
export const HTTP_BINDING_VERSION = '0.3.0';
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
export const STREAM_PATH = '/v1/events/stream';

const SCHEMAS = '#/components/schemas/';
const schemaRef = (name: string) => ({ $ref: `${SCHEMAS}${name}` });
const ref = (path: string) => ({ $ref: path });

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** `needPosted` → `Need posted`. */
const humanise = (key: string) =>
  upperFirst(key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()).replace(/\bco funding\b/i, (m) =>
    m.replace(' ', '-'),
  );
/** Component and channel ids: `registryNeed` → `registryNeedDlq`. */
export const dlqChannelId = (topicKey: string) => `${topicKey}Dlq`;
/** The message id of an event's JSON (CloudEvents structured) form on the stream and webhooks. */
export const jsonMessageId = (eventKey: string) => `${eventKey}Json`;
export const envelopeSchemaId = (eventKey: string) => `CloudEvent.${eventKey}`;

/** The document's view of one topic: its id, the events on it, the comment from the protos. */
interface TopicView {
  key: TopicKey;
  topic: string;
  producer: string;
  events: CatalogueEntry[];
  keyName: string;
  note?: string;
  public: boolean;
}

function describeTopics(): TopicView[] {
  const notes = topicNotes();
  return topicEntries.map(({ key, topic }) => {
    const note = notes.get(topic);
    return {
      key,
      topic,
      producer: producerOf(topic),
      events: catalogueEntries.filter((e) => e.definition.topic === topic),
      keyName: note?.key ?? topic.split('.')[2] ?? 'aggregate',
      ...(note ? { note: note.text } : {}),
      public: publicTopics.includes(topic),
    };
  });
}

/**
 * The AsyncAPI 3.0 document of LienKet's events, generated from the event catalogue
 * (packages/contracts) and the proto descriptors: every Kafka topic and its dead-letter topic, every
 * event type with its CloudEvents headers and payload schema, who sends and who receives, and the
 * gateway's event stream and webhooks that deliver the public events as CloudEvents JSON.
 */
export function asyncApiDocument(options: AsyncApiOptions): AsyncApiDocument {
  const prefix = options.topicPrefix;
  const described = (topic: string) => options.withTestTopics === true || !isTestTopic(topic);
  const topics = describeTopics().filter((t) => described(t.topic));
  const entries = catalogueEntries.filter((e) => described(e.definition.topic));
  const topicOfEvent = new Map(topics.flatMap((t) => t.events.map((e) => [e.key, t] as const))) as Map<
    EventKey,
    TopicView
  >;

  const payloadSchemas = jsonSchemas(
    entries.map((e) => e.definition.messageName),
    { refPrefix: SCHEMAS },
  );
  const schemas: Record<string, JsonSchema> = {
    [KAFKA_HEADERS_SCHEMA]: kafkaHeadersSchema,
    [DLQ_HEADERS_SCHEMA]: deadLetterHeadersSchema,
    [ENVELOPE_SCHEMA]: envelopeSchema,
    ...payloadSchemas,
  };
  const messages: Record<string, unknown> = {};

  // One Kafka message per event type: CloudEvents headers, protobuf value, aggregate id as key.
  for (const { key, definition } of entries) {
    const topic = topicOfEvent.get(key);
    const source = sourceOf(producerOf(definition.topic));
    const comment = payloadSchemas[definition.messageName]?.description as string | undefined;
    const shortName = definition.messageName.split('.').pop() ?? definition.messageName;
    messages[key] = {
      name: shortName,
      title: humanise(key),
      summary: definition.type,
      description: [
        comment,
        `CloudEvents type \`${definition.type}\` on topic \`${prefix}${definition.topic}\`, payload \`${definition.messageName}\`.`,
        'On Kafka the value is the protobuf binary encoding (`application/protobuf`); the payload schema ' +
          'describes its proto3 JSON mapping, the form the event stream and webhooks deliver in `data`.',
      ]
        .filter(Boolean)
        .join('\n\n'),
      contentType: PROTOBUF,
      headers: {
        allOf: [
          schemaRef(KAFKA_HEADERS_SCHEMA),
          {
            type: 'object',
            properties: {
              ce_type: { type: 'string', const: definition.type },
              ...(source ? { ce_source: { type: 'string', const: source } } : {}),
            },
          },
        ],
      },
      payload: schemaRef(definition.messageName),
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description: `${upperFirst(topic?.keyName ?? 'aggregate')} id: the aggregate the event is about; one aggregate's events stay in order on one partition`,
          },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      tags: [{ name: producerOf(definition.topic) }],
      'x-cloudevents-type': definition.type,
      'x-protobuf-message': definition.messageName,
    };
  }

  // The same events as CloudEvents JSON, for the public topics (stream and webhooks).
  const publicEvents = catalogueEntries.filter((e) => publicTopics.includes(e.definition.topic));
  for (const { key, definition } of publicEvents) {
    const source = sourceOf(producerOf(definition.topic));
    schemas[envelopeSchemaId(key)] = {
      allOf: [
        schemaRef(ENVELOPE_SCHEMA),
        {
          type: 'object',
          properties: {
            type: { type: 'string', const: definition.type },
            ...(source ? { source: { type: 'string', const: source } } : {}),
            data: schemaRef(definition.messageName),
          },
        },
      ],
    };
    messages[jsonMessageId(key)] = {
      name: `${definition.messageName.split('.').pop()}Json`,
      title: `${humanise(key)} (JSON)`,
      summary: definition.type,
      description:
        `\`${definition.type}\` as CloudEvents 1.0 JSON (structured mode): \`data\` is \`${definition.messageName}\` ` +
        'in its proto3 JSON mapping. On the event stream each arrives as one server-sent event: `id:` a resume ' +
        'cursor, `event:` the CloudEvents type, `data:` this JSON.',
      contentType: CLOUDEVENTS_JSON,
      payload: schemaRef(envelopeSchemaId(key)),
      tags: [{ name: producerOf(definition.topic) }],
      'x-cloudevents-type': definition.type,
    };
  }

  messages.deadLetter = {
    name: 'DeadLetter',
    title: 'Dead letter',
    summary: 'A message a consumer could not read or apply',
    description:
      'The original key and value, byte for byte (usually one of the topic’s events as protobuf), with the ' +
      'original headers and `dlq_*` headers saying why, where and by which consumer group it failed. ' +
      'Consumers retry a failing handler with backoff before they give up; a bad message never stops them.',
    contentType: PROTOBUF,
    headers: schemaRef(DLQ_HEADERS_SCHEMA),
    payload: { description: 'The original message value, unchanged' },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'The original key (the aggregate id)' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };

  const kafkaServers = [ref('#/servers/kafka')];
  const gatewayServers = [ref('#/servers/gateway')];
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const channelBinding = (partitions: number | undefined) => ({
    kafka: {
      ...(partitions ? { partitions } : {}),
      ...(options.replicas ? { replicas: options.replicas } : {}),
      topicConfiguration: { 'retention.ms': -1 },
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  });
  const groupBinding = (service: ServiceName) => ({
    kafka: {
      groupId: {
        type: 'string',
        enum: [`${prefix}${consumerGroups[service]}`],
        description: 'The service’s CONSUMER_GROUP with the deployment prefix (the default shown)',
      },
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  });

  for (const t of topics) {
    const dlq = dlqChannelId(t.key);
    channels[t.key] = {
      address: `${prefix}${t.topic}`,
      title: t.topic,
      description: [
        t.note ?? `Topic ${t.topic}, key = ${t.keyName} id.`,
        `Produced by the ${t.producer} service. The address is the topic name with this deployment's ` +
          `KAFKA_TOPIC_PREFIX (${prefix ? `\`${prefix}\`` : 'none'}) in front; failures go to \`${prefix}${deadLetterTopic(t.topic)}\`.`,
        t.public ? '' : 'Not public: never on the event stream or webhooks.',
      ]
        .filter(Boolean)
        .join(' '),
      servers: kafkaServers,
      messages: Object.fromEntries(t.events.map((e) => [e.key, ref(`#/components/messages/${e.key}`)])),
      bindings: channelBinding(options.partitions),
      tags: [{ name: t.producer }],
    };
    channels[dlq] = {
      address: `${prefix}${deadLetterTopic(t.topic)}`,
      title: deadLetterTopic(t.topic),
      description:
        `Dead letters of ${t.topic}: messages its consumers could not read or apply, with the reason in ` +
        'headers. One partition; read in order by people, replayed by hand.',
      servers: kafkaServers,
      messages: { deadLetter: ref('#/components/messages/deadLetter') },
      bindings: channelBinding(1),
      tags: [{ name: t.producer }, { name: 'dead-letter' }],
    };
    if (t.events.length > 0) {
      operations[`${t.producer}Sends${upperFirst(t.key)}`] = {
        action: 'send',
        channel: ref(`#/channels/${t.key}`),
        title: `${upperFirst(t.producer)} publishes on ${t.topic}`,
        summary: `The ${t.producer} service publishes these events (through its transactional outbox)`,
        messages: t.events.map((e) => ref(`#/channels/${t.key}/messages/${e.key}`)),
        tags: [{ name: t.producer }],
      };
    }
    operations[`deadLetter${upperFirst(t.key)}`] = {
      action: 'send',
      channel: ref(`#/channels/${dlq}`),
      title: `Consumers of ${t.topic} dead-letter what they cannot apply`,
      messages: [ref(`#/channels/${dlq}/messages/deadLetter`)],
      tags: [{ name: 'dead-letter' }],
    };
  }

  // Known consumers: the services' subscriptions, and the gateway for every public topic.
  const receivers: [ServiceName, EventKey[]][] = [
    ...Object.entries(knownConsumers).map(
      ([s, keys]) => [s as ServiceName, [...keys]] as [ServiceName, EventKey[]],
    ),
    ['gateway', publicEvents.map((e) => e.key)],
  ];
  for (const [service, keys] of receivers) {
    for (const t of topics) {
      const handled = t.events.filter((e) => keys.includes(e.key));
      if (handled.length === 0) continue;
      operations[`${service}Receives${upperFirst(t.key)}`] = {
        action: 'receive',
        channel: ref(`#/channels/${t.key}`),
        title: `${upperFirst(service)} consumes ${t.topic}`,
        summary:
          service === 'gateway'
            ? 'The gateway relays every public event to its event stream and webhook subscribers'
            : `The ${service} service applies these events (each event id once per consumer group)`,
        messages: handled.map((e) => ref(`#/channels/${t.key}/messages/${e.key}`)),
        bindings: groupBinding(service),
        tags: [{ name: service }],
      };
    }
  }

  // The gateway: server-sent events and webhooks, both carrying the public events as JSON.
  const jsonMessages = Object.fromEntries(
    publicEvents.map((e) => [jsonMessageId(e.key), ref(`#/components/messages/${jsonMessageId(e.key)}`)]),
  );
  channels.eventStream = {
    address: STREAM_PATH,
    title: 'Event stream (server-sent events)',
    description:
      '`GET /v1/events/stream` answers `text/event-stream`: one event per public CloudEvent (`id:` cursor, ' +
      '`event:` CloudEvents type, `data:` CloudEvents JSON) and `: heartbeat` comments while quiet. Filter with ' +
      '`type`, `province`, `region`, `sector`; start at `since`; resume after a disconnect with the ' +
      '`Last-Event-ID` header (or `last_event_id`). A client that lags too far behind is cut off and resumes.',
    servers: gatewayServers,
    messages: jsonMessages,
    tags: [{ name: 'gateway' }],
  };
  channels.webhooks = {
    address: null,
    title: 'Webhook deliveries',
    description:
      'Each webhook subscription receives the public events that pass its filter as HTTP POSTs of ' +
      'CloudEvents JSON (`application/cloudevents+json`) to its own target URL (so the address is per ' +
      'subscription), retried with backoff. Each attempt is signed in the Standard Webhooks scheme: ' +
      '`webhook-id` (the delivery id, the same on every retry: dedupe on it), `webhook-timestamp` (unix ' +
      'seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` over `<id>.<timestamp>.<raw body>`).',
    servers: gatewayServers,
    messages: jsonMessages,
    tags: [{ name: 'gateway' }],
  };
  const allJson = (channel: string) =>
    publicEvents.map((e) => ref(`#/channels/${channel}/messages/${jsonMessageId(e.key)}`));
  operations.streamEvents = {
    action: 'send',
    channel: ref('#/channels/eventStream'),
    title: 'Stream public events',
    summary: 'The gateway sends matching public events to a connected client as server-sent events',
    security: [ref('#/components/securitySchemes/bearer')],
    messages: allJson('eventStream'),
    bindings: { http: { method: 'GET', query: streamQuerySchema, bindingVersion: HTTP_BINDING_VERSION } },
    tags: [{ name: 'gateway' }],
  };
  operations.deliverWebhooks = {
    action: 'send',
    channel: ref('#/channels/webhooks'),
    title: 'Deliver webhooks',
    summary: 'The gateway POSTs each matching public event to a subscription’s target URL',
    messages: allJson('webhooks'),
    bindings: { http: { method: 'POST', bindingVersion: HTTP_BINDING_VERSION } },
    tags: [{ name: 'gateway' }],
  };

  const [firstBroker, ...otherBrokers] = options.brokers;
  const gateway = new URL(options.publicUrl);
  const pathname = gateway.pathname.replace(/\/+$/, '');

  return {
    asyncapi: ASYNCAPI_VERSION,
    id: 'urn:vn:lienket:events',
    info: {
      title: 'LienKet events',
      version: '1.0.0',
      description:
        'The events of LienKet, generated from the event catalogue and the proto contracts ' +
        '(`proto/lienket/*/v1/events.proto`).\n\n' +
        '**On Kafka** every event is a CloudEvents 1.0 message in binary mode: the attributes in `ce_*` ' +
        'headers, `content-type: application/protobuf`, the protobuf-encoded payload as the value and the ' +
        'aggregate id as the key. Each topic has a `.dlq` dead-letter topic. Topic names carry the ' +
        `deployment prefix KAFKA_TOPIC_PREFIX (here ${prefix ? `\`${prefix}\`` : 'none'}); a breaking payload ` +
        'change gets a new `.vN` topic beside the old one.\n\n' +
        '**Payload schemas** are JSON Schemas of the proto messages in their proto3 JSON mapping (camelCase ' +
        'names, enums by name, timestamps as RFC 3339): the form in which the gateway delivers public ' +
        'events as CloudEvents JSON on its event stream (server-sent events) and to webhooks. On Kafka the ' +
        'same messages travel protobuf-encoded.\n\n' +
        'Operations are written from the point of view of the service named in each: `send` for the ' +
        'producing service, `receive` for each known consumer.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      tags: [
        { name: 'registry', description: 'Enterprises, capabilities, needs, clusters' },
        { name: 'matchmaking', description: 'Proposals, linkages, unmet demand' },
        {
          name: 'techtransfer',
          description: 'Technology offers, requests, interests, programmes, co-funding',
        },
        ...(options.withTestTopics
          ? [{ name: 'testing', description: 'Probes of the platform’s own tests; not public' }]
          : []),
        { name: 'gateway', description: 'Public delivery: event stream and webhooks' },
        { name: 'dead-letter', description: 'Messages consumers could not apply' },
      ],
    },
    defaultContentType: PROTOBUF,
    servers: {
      kafka: {
        host: firstBroker ?? 'localhost:9092',
        protocol: 'kafka',
        title: 'Kafka',
        description:
          `Bootstrap brokers (KAFKA_BROKERS): ${options.brokers.join(', ')}. Topics are named with the ` +
          `deployment prefix KAFKA_TOPIC_PREFIX (${prefix ? `\`${prefix}\`` : 'none'}).`,
        ...(otherBrokers.length > 0 ? { 'x-bootstrap-servers': [...options.brokers] } : {}),
        tags: [{ name: 'kafka' }],
      },
      gateway: {
        host: gateway.host,
        protocol: gateway.protocol.replace(/:$/, ''),
        ...(pathname ? { pathname } : {}),
        title: 'LienKet gateway',
        description:
          'The public API: the event stream and webhooks deliver public events as CloudEvents JSON. ' +
          'Authenticate with `Authorization: Bearer <JWT>`. REST API: /openapi.json.',
        security: [ref('#/components/securitySchemes/bearer')],
      },
    },
    channels,
    operations,
    components: {
      schemas,
      messages,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A token from LienKet’s identity provider',
        },
      },
    },
  };
}
