import { deadLetterTopic, protoRegistry } from '@lienket/contracts';
import { isEventsFile } from './catalogue';
import { type AsyncApiDocument, dlqChannelId, jsonMessageId } from './document';

/** A proto message as the checks need it: its name, its fields' JSON names and message-typed fields. */
export interface ProtoMessageView {
  typeName: string;
  jsonNames: string[];
  /** Full names of the messages its fields (also lists and maps) hold. */
  refersTo: string[];
}

export interface ProtoFileView {
  name: string;
  /** Top-level messages, in file order. */
  messages: ProtoMessageView[];
}

/** Every proto file of the contracts, reduced to what the checks look at. */
export function protoFilesView(): ProtoFileView[] {
  return [...protoRegistry().files].map((file) => ({
    name: file.name,
    messages: file.messages.map((message) => ({
      typeName: message.typeName,
      jsonNames: message.fields.map((f) => f.jsonName),
      refersTo: message.fields.flatMap((f) => {
        if (f.fieldKind === 'message') return [f.message.typeName];
        if (f.fieldKind === 'list' && f.listKind === 'message') return [f.message.typeName];
        if (f.fieldKind === 'map' && f.mapKind === 'message') return [f.message.typeName];
        return [];
      }),
    })),
  }));
}

/**
 * The event messages of an events.proto file: its top-level messages that no other message of the
 * same file holds as a field (those, like `InterestFacts`, are parts of events, not events).
 */
export function eventMessagesOf(file: ProtoFileView): string[] {
  const parts = new Set(file.messages.flatMap((m) => m.refersTo));
  return file.messages.map((m) => m.typeName).filter((name) => !parts.has(name));
}

export interface CatalogueItem {
  type: string;
  topic: string;
  messageName: string;
}

/** Where the event catalogue and the proto files disagree; empty when in step. */
export function catalogueDrift(
  catalogue: readonly CatalogueItem[],
  files: readonly ProtoFileView[],
  topics: readonly string[],
): string[] {
  const problems: string[] = [];
  const catalogued = new Set(catalogue.map((c) => c.messageName));
  const declared = new Set(files.flatMap((f) => f.messages.map((m) => m.typeName)));
  const eventFiles = files.filter((f) => isEventsFile(f.name));
  if (eventFiles.length === 0) problems.push('no lienket/*/v1/events.proto file in the descriptors');
  for (const file of eventFiles)
    for (const name of eventMessagesOf(file))
      if (!catalogued.has(name))
        problems.push(`${name} (${file.name}) is an event message but not in the catalogue`);
  for (const item of catalogue) {
    if (!declared.has(item.messageName))
      problems.push(`${item.type}: message ${item.messageName} is not in the proto descriptors`);
    if (!topics.includes(item.topic)) problems.push(`${item.type}: topic ${item.topic} is not in Topics`);
  }
  const types = catalogue.map((c) => c.type);
  for (const type of new Set(types.filter((t, i) => types.indexOf(t) !== i)))
    problems.push(`${type} is catalogued more than once`);
  return problems;
}

type Json = { [key: string]: unknown };
const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const refOf = (value: unknown): string | undefined => {
  const r = asObject(value).$ref;
  return typeof r === 'string' ? r : undefined;
};

/** Resolves a local `#/a/b` reference in the document. */
export function resolveRef(document: AsyncApiDocument, reference: string): unknown {
  if (!reference.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of reference.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const object = asObject(node);
    if (!(key in object)) return undefined;
    node = object[key];
  }
  return node;
}

/** The `ce_type` a Kafka message's headers pin (in its `allOf`). */
function pinnedType(message: Json): string | undefined {
  for (const part of (asObject(message.headers).allOf as unknown[] | undefined) ?? []) {
    const type = asObject(asObject(asObject(part).properties).ce_type).const;
    if (typeof type === 'string') return type;
  }
  return undefined;
}

/**
 * Rules of AsyncAPI 3.0 the JSON Schema of the specification cannot express (the official parser
 * checks them): every local reference resolves, an operation's messages belong to its channel, a
 * channel's servers are servers of the document.
 */
export function referenceProblems(document: AsyncApiDocument): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${path}/${i}`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const reference = refOf(node);
    if (reference !== undefined && resolveRef(document, reference) === undefined)
      problems.push(`${path}: $ref ${reference} does not resolve`);
    for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
  };
  walk(document, '#');
  for (const [id, raw] of Object.entries(asObject(document.operations))) {
    const operation = asObject(raw);
    const channel = refOf(operation.channel);
    if (!channel?.startsWith('#/channels/')) {
      problems.push(`operation ${id}: channel is not a #/channels/ reference`);
      continue;
    }
    for (const message of (operation.messages as unknown[] | undefined) ?? []) {
      const reference = refOf(message);
      if (!reference?.startsWith(`${channel}/messages/`))
        problems.push(`operation ${id}: message ${reference} is not a message of ${channel}`);
    }
    if (operation.action !== 'send' && operation.action !== 'receive')
      problems.push(`operation ${id}: action ${String(operation.action)}`);
  }
  for (const [id, raw] of Object.entries(asObject(document.channels)))
    for (const server of (asObject(raw).servers as unknown[] | undefined) ?? [])
      if (!refOf(server)?.startsWith('#/servers/'))
        problems.push(`channel ${id}: server is not a #/servers/ reference`);
  return problems;
}

export interface DocumentExpectations {
  catalogue: readonly CatalogueItem[];
  /** `Topics`: channel id → unprefixed topic. */
  topics: Readonly<Record<string, string>>;
  publicTopics: readonly string[];
  topicPrefix: string;
  files: readonly ProtoFileView[];
}

/** Where the document and the catalogue, topics and protos disagree; empty when in step. */
export function documentDrift(document: AsyncApiDocument, expected: DocumentExpectations): string[] {
  const problems: string[] = [];
  const channels = asObject(document.channels);
  const operations = Object.values(asObject(document.operations)).map(asObject);
  const components = asObject(document.components);
  const messages = asObject(components.messages);
  const schemas = asObject(components.schemas);
  const protoMessages = new Map(
    expected.files.flatMap((f) => f.messages.map((m) => [m.typeName, m] as const)),
  );
  const channelOfTopic = new Map<string, string>();

  for (const [id, topic] of Object.entries(expected.topics)) {
    const channel = asObject(channels[id]);
    if (channel.address !== `${expected.topicPrefix}${topic}`)
      problems.push(`topic ${topic}: channel ${id} has address ${String(channel.address)}`);
    else channelOfTopic.set(topic, id);
    const dlq = asObject(channels[dlqChannelId(id)]);
    if (dlq.address !== `${expected.topicPrefix}${deadLetterTopic(topic)}`)
      problems.push(`topic ${topic}: no dead-letter channel ${dlqChannelId(id)}`);
  }

  for (const item of expected.catalogue) {
    const found = Object.entries(messages).filter(
      ([, m]) => asObject(m).contentType === 'application/protobuf' && pinnedType(asObject(m)) === item.type,
    );
    if (found.length !== 1) {
      problems.push(`${item.type}: ${found.length} Kafka messages pin this ce_type (want 1)`);
      continue;
    }
    const [messageId, raw] = found[0] as [string, unknown];
    const message = asObject(raw);
    const payloadRef = refOf(message.payload);
    if (payloadRef !== `#/components/schemas/${item.messageName}`)
      problems.push(`${item.type}: payload is ${String(payloadRef)}, not ${item.messageName}`);
    const schema = asObject(schemas[item.messageName]);
    const proto = protoMessages.get(item.messageName);
    const properties = Object.keys(asObject(schema.properties)).sort();
    const fields = [...(proto?.jsonNames ?? [])].sort();
    if (!proto || properties.join() !== fields.join())
      problems.push(`${item.type}: schema ${item.messageName} has [${properties}], the proto [${fields}]`);
    if (
      !refOf(asObject(asObject(message.bindings).kafka).key) &&
      !asObject(asObject(message.bindings).kafka).key
    )
      problems.push(`${item.type}: no Kafka key binding`);
    const channelId = channelOfTopic.get(item.topic);
    const channel = asObject(channelId ? channels[channelId] : undefined);
    const inChannel = Object.entries(asObject(channel.messages)).find(
      ([, m]) => refOf(m) === `#/components/messages/${messageId}`,
    );
    if (!inChannel) {
      problems.push(`${item.type}: not a message of the channel of ${item.topic}`);
      continue;
    }
    const local = `#/channels/${channelId}/messages/${inChannel[0]}`;
    const sent = operations.some(
      (o) =>
        o.action === 'send' &&
        refOf(o.channel) === `#/channels/${channelId}` &&
        ((o.messages as unknown[] | undefined) ?? []).some((m) => refOf(m) === local),
    );
    if (!sent) problems.push(`${item.type}: no send operation (producer) for it`);

    if (expected.publicTopics.includes(item.topic)) {
      const json = asObject(messages[jsonMessageId(messageId)]);
      const envelope = asObject(resolveRef(document, refOf(json.payload) ?? ''));
      const data = ((envelope.allOf as unknown[] | undefined) ?? [])
        .map((part) => refOf(asObject(asObject(part).properties).data))
        .find(Boolean);
      if (data !== `#/components/schemas/${item.messageName}`)
        problems.push(
          `${item.type}: its CloudEvents JSON message does not carry ${item.messageName} in data`,
        );
      const streamed = refOf(asObject(asObject(channels.eventStream).messages)[jsonMessageId(messageId)]);
      if (streamed !== `#/components/messages/${jsonMessageId(messageId)}`)
        problems.push(`${item.type}: not on the event stream`);
    }
  }
  return problems;
}
