import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventCatalogue, protoRegistry, Topics } from '@lienket/contracts';
import { encodeEvent, toKafkaMessage } from '@lienket/eventbus';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { publicTopics, renderEvent } from '../events/public-events';
import { catalogueEntries, knownConsumers, producerOf, sourceOf, topicNotes } from './catalogue';
import { type AsyncApiDocument, asyncApiDocument, envelopeSchemaId } from './document';
import {
  type CatalogueItem,
  catalogueDrift,
  type DocumentExpectations,
  documentDrift,
  eventMessagesOf,
  type ProtoFileView,
  protoFilesView,
} from './drift';

const files = protoFilesView();
const topics = Object.values(Topics);
const prefix = 'p7.';
// The whole catalogue, the test suite's probe topic included (the served document leaves it out).
const document = asyncApiDocument({
  brokers: ['127.0.0.1:9092'],
  topicPrefix: prefix,
  publicUrl: 'http://gw:8080',
  withTestTopics: true,
});
const expectations: DocumentExpectations = {
  catalogue: eventCatalogue,
  topics: Topics,
  publicTopics,
  topicPrefix: prefix,
  files,
};
// biome-ignore lint/suspicious/noExplicitAny: the tests walk and tamper with a JSON document freely
type Json = Record<string, any>;
const messages = (document.components as Json).messages as Json;
const schemas = (document.components as Json).schemas as Json;

describe('event catalogue in step with proto/', () => {
  it('reads the events.proto files from the descriptors', () => {
    const names = files.map((f) => f.name).filter((n) => /events/.test(n));
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lienket\/registry\/v1\/events/),
        expect.stringMatching(/^lienket\/matchmaking\/v1\/events/),
        expect.stringMatching(/^lienket\/techtransfer\/v1\/events/),
      ]),
    );
  });

  it('tells events from their parts: InterestFacts and CoFundingFacts are not events', () => {
    const techtransfer = files.find((f) =>
      f.name.startsWith('lienket/techtransfer/v1/events'),
    ) as ProtoFileView;
    const events = eventMessagesOf(techtransfer);
    expect(events).not.toContain('lienket.techtransfer.v1.InterestFacts');
    expect(events).not.toContain('lienket.techtransfer.v1.CoFundingFacts');
    expect(events).toContain('lienket.techtransfer.v1.InterestExpressed');
  });

  it('catalogues every event message of every events.proto, and every catalogued message exists', () => {
    expect(catalogueDrift(eventCatalogue, files, topics)).toEqual([]);
  });

  it('notices an event message missing from the catalogue', () => {
    const withoutOne = eventCatalogue.filter((e) => e.messageName !== 'lienket.registry.v1.NeedFulfilled');
    expect(catalogueDrift(withoutOne, files, topics)).toEqual([
      expect.stringContaining('lienket.registry.v1.NeedFulfilled'),
    ]);
  });

  it('notices a new event message added to an events.proto but not catalogued', () => {
    const grown = files.map((f) =>
      f.name.startsWith('lienket/registry/v1/events')
        ? {
            ...f,
            messages: [
              ...f.messages,
              { typeName: 'lienket.registry.v1.NeedReopened', jsonNames: [], refersTo: [] },
            ],
          }
        : f,
    );
    expect(catalogueDrift(eventCatalogue, grown, topics)).toEqual([
      expect.stringContaining('lienket.registry.v1.NeedReopened'),
    ]);
  });

  it('notices a catalogued message the descriptors lack, and a topic not in Topics', () => {
    const ghost: CatalogueItem = {
      type: 'vn.lienket.registry.need.reopened.v1',
      topic: 'lienket.registry.needs.v2',
      messageName: 'lienket.registry.v1.NeedReopened',
    };
    const problems = catalogueDrift([...eventCatalogue, ghost], files, topics);
    expect(problems).toEqual([
      expect.stringContaining('is not in the proto descriptors'),
      expect.stringContaining('is not in Topics'),
    ]);
  });

  it('finds each topic’s note (and its key) in the proto comments', () => {
    const notes = topicNotes();
    for (const topic of publicTopics) expect(notes.get(topic)?.key).toMatch(/^[a-z ]+$/);
  });
});

describe('AsyncAPI document in step with the catalogue and proto/', () => {
  it('has a channel (and a dead-letter channel) per topic, a message per event with the right payload, sent by its producer', () => {
    expect(documentDrift(document, expectations)).toEqual([]);
    expect(
      Object.keys(messages).filter((id) => messages[id].contentType === 'application/protobuf'),
    ).toHaveLength(
      eventCatalogue.length + 1, // and the dead letter
    );
  });

  it('notices a missing channel, a wrong payload, a message left out of its channel and a missing producer', () => {
    const broken = structuredClone(document) as Json;
    delete broken.channels.techtransferCoFunding;
    broken.components.messages.needPosted.payload = {
      $ref: '#/components/schemas/lienket.registry.v1.NeedClosed',
    };
    delete broken.channels.matchmakingDemand.messages.demandUnmet;
    broken.operations.registrySendsRegistryCluster.messages.pop();
    delete broken.channels.registryEnterpriseDlq;
    const problems = documentDrift(broken as AsyncApiDocument, expectations);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('topic lienket.techtransfer.cofunding.v1: channel techtransferCoFunding'),
        expect.stringContaining('vn.lienket.registry.need.posted.v1: payload is'),
        expect.stringContaining('vn.lienket.matchmaking.demand.unmet.v1: not a message of the channel'),
        expect.stringContaining('vn.lienket.registry.cluster.member_left.v1: no send operation'),
        expect.stringContaining('no dead-letter channel registryEnterpriseDlq'),
      ]),
    );
  });

  it('notices a payload schema whose properties differ from the proto fields', () => {
    const broken = structuredClone(document) as Json;
    delete broken.components.schemas['lienket.matchmaking.v1.MatchDeclined'].properties.reason;
    expect(documentDrift(broken as AsyncApiDocument, expectations)).toEqual([
      expect.stringContaining('schema lienket.matchmaking.v1.MatchDeclined has'),
    ]);
    const renamed = files.map((f) => ({
      ...f,
      messages: f.messages.map((m) =>
        m.typeName === 'lienket.registry.v1.NeedClosed'
          ? { ...m, jsonNames: [...m.jsonNames, 'closedBy'] }
          : m,
      ),
    }));
    expect(documentDrift(document, { ...expectations, files: renamed })).toEqual([
      expect.stringContaining('schema lienket.registry.v1.NeedClosed has'),
    ]);
  });

  it('notices a catalogued event the document lacks', () => {
    const extra: CatalogueItem = {
      type: 'vn.lienket.registry.need.reopened.v1',
      topic: Topics.registryNeed,
      messageName: 'lienket.registry.v1.NeedPosted',
    };
    expect(documentDrift(document, { ...expectations, catalogue: [...eventCatalogue, extra] })).toEqual([
      'vn.lienket.registry.need.reopened.v1: 0 Kafka messages pin this ce_type (want 1)',
    ]);
  });

  it('notices a topic without a channel', () => {
    expect(
      documentDrift(document, {
        ...expectations,
        topics: { ...Topics, registryPrice: 'lienket.registry.price.v1' },
      }),
    ).toEqual([
      'topic lienket.registry.price.v1: channel registryPrice has address undefined',
      'topic lienket.registry.price.v1: no dead-letter channel registryPriceDlq',
    ]);
  });
});

/** A JSON value for every field of a message, as a producer might fill it. */
function sampleOf(typeName: string, depth = 0): Record<string, unknown> {
  const message = protoRegistry().getMessage(typeName);
  if (!message) throw new Error(`no message ${typeName}`);
  type Field = (typeof message.fields)[number];
  const wellKnown: Record<string, unknown> = {
    'google.protobuf.Timestamp': '2026-03-04T05:06:07Z',
    'google.protobuf.Duration': '1.5s',
    'google.protobuf.Struct': { a: 1 },
    'google.protobuf.Empty': {},
  };
  const scalar = (type: number): unknown => {
    if (type === 9) return 'text';
    if (type === 8) return true;
    if (type === 12) return 'AQID';
    if (type === 1 || type === 2) return 0.75;
    return 7;
  };
  const nested = (name: string) =>
    name in wellKnown ? wellKnown[name] : depth < 4 ? sampleOf(name, depth + 1) : {};
  const value = (field: Field): unknown => {
    switch (field.fieldKind) {
      case 'scalar':
        return scalar(field.scalar);
      case 'enum':
        return field.enum.values[1]?.name ?? field.enum.values[0]?.name;
      case 'message':
        return nested(field.message.typeName);
      case 'list':
        return [
          field.listKind === 'scalar'
            ? scalar(field.scalar)
            : field.listKind === 'enum'
              ? field.enum.values[1]?.name
              : nested(field.message.typeName),
        ];
      case 'map':
        return {
          k:
            field.mapKind === 'scalar'
              ? scalar(field.scalar)
              : field.mapKind === 'enum'
                ? field.enum.values[1]?.name
                : nested(field.message.typeName),
        };
    }
  };
  const seenOneofs = new Set<string>();
  const out: Record<string, unknown> = {};
  for (const field of message.fields) {
    if (field.oneof) {
      if (seenOneofs.has(field.oneof.name)) continue;
      seenOneofs.add(field.oneof.name);
    }
    out[field.jsonName] = value(field);
  }
  return out;
}

/** The schemas with unknown properties refused, so a renamed field fails validation. */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

describe('payload schemas describe the JSON the stream and webhooks deliver', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'asyncapi', components: { schemas: strict(schemas) } });

  it.each(catalogueEntries.map((e) => [e.definition.type, e] as const))(
    '%s',
    (_type, { key, definition }) => {
      const sample = sampleOf(definition.messageName);
      const json = definition.codec.toJSON(definition.codec.fromJSON(sample));
      expect(Object.keys(json as object).length).toBeGreaterThan(0);
      const payloadRef = String(messages[key].payload.$ref);
      const validate =
        ajv.getSchema(`asyncapi${payloadRef}`) ?? ajv.compile({ $ref: `asyncapi${payloadRef}` });
      expect(validate.errors ?? []).toEqual([]);
      const ok = validate(json);
      expect(ok ? [] : validate.errors).toEqual([]);
    },
  );

  it('refuses a payload whose field names do not match (so the checks above can fail)', () => {
    const validate = ajv.compile({
      $ref: 'asyncapi#/components/schemas/lienket.matchmaking.v1.MatchAccepted',
    });
    expect(validate({ proposal_id: 'p1' })).toBe(false);
    expect(validate({ proposalId: 'p1', side: 3 })).toBe(false);
    expect(validate({ proposalId: 'p1', side: 'buyer' })).toBe(true);
  });
});

describe('the document matches what goes on the wire (packages/eventbus) and what the gateway delivers', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'wire', components: { schemas } });

  it.each(catalogueEntries.map((e) => [e.definition.type, e] as const))(
    '%s',
    (_type, { key, definition }) => {
      const payload = definition.codec.fromJSON(sampleOf(definition.messageName));
      const encoded = encodeEvent(definition, payload, {
        id: '0f8a3c2e-1d44-4c52-9a57-3f2b1d0c9e77',
        source: sourceOf(producerOf(definition.topic)) ?? '/lienket/testing',
        key: 'aggregate-1',
        subject: 'aggregate-1',
        time: new Date('2026-03-04T05:06:07Z'),
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });
      const message = toKafkaMessage(encoded);
      const kafka = messages[key];
      expect(message.headers?.['content-type']).toBe(kafka.contentType);
      // The headers' $refs point into the document: resolve them against it.
      const validateHeaders = ajv.compile({
        allOf: kafka.headers.allOf.map((part: Json) => (part.$ref ? { $ref: `wire${part.$ref}` } : part)),
      });
      expect(validateHeaders(message.headers) ? [] : validateHeaders.errors).toEqual([]);
      expect(typeof message.key).toBe('string');

      if (!publicTopics.includes(definition.topic)) return;
      const rendered = renderEvent({
        key: Buffer.from(String(message.key)),
        value: message.value as Buffer,
        headers: message.headers,
      });
      expect(rendered).toBeDefined();
      const validateJson = ajv.compile({ $ref: `wire#/components/schemas/${envelopeSchemaId(key)}` });
      expect(validateJson(rendered?.event) ? [] : validateJson.errors).toEqual([]);
    },
  );

  it('refuses headers of another type (so the checks above can fail)', () => {
    const validate = ajv.compile({
      allOf: messages.needPosted.headers.allOf.map((part: Json) =>
        part.$ref ? { $ref: `wire${part.$ref}` } : part,
      ),
    });
    const definition = eventCatalogue.find((e) => e.type === 'vn.lienket.registry.need.closed.v1');
    if (!definition) throw new Error('need.closed is not catalogued');
    const message = toKafkaMessage(
      encodeEvent(definition, definition.codec.fromJSON({}), {
        id: '1',
        source: '/lienket/registry',
        key: 'n-1',
        time: new Date(),
      }),
    );
    expect(validate(message.headers)).toBe(false);
  });
});

describe('known consumers in step with the services’ subscriptions', () => {
  const repo = resolve(__dirname, '../../../..');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    });

  it.each(Object.keys(knownConsumers))('%s', (service) => {
    const subscribed = new Set<string>();
    for (const file of sources(join(repo, 'services', service, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bon\(\s*Events\.(\w+)/g)) if (match[1]) subscribed.add(match[1]);
      // Batch subscriptions: onBatch([Events.a, Events.b], ...), or onBatch(list, ...) of a
      // `const list = [Events.a, ...]` in the same file.
      const lists = new Map<string, string>();
      for (const list of text.matchAll(/\bconst\s+(\w+)\s*=\s*\[([^\]]*)\]/g))
        if (list[1]) lists.set(list[1], list[2] ?? '');
      for (const call of text.matchAll(/\bonBatch\(\s*(?:\[([^\]]*)\]|(\w+))/g)) {
        const items = call[1] ?? lists.get(call[2] ?? '') ?? '';
        if (call[2] && !lists.has(call[2]))
          throw new Error(`${file}: onBatch(${call[2]}) names no list here`);
        for (const match of items.matchAll(/\bEvents\.(\w+)/g)) if (match[1]) subscribed.add(match[1]);
      }
    }
    expect([...(knownConsumers[service as keyof typeof knownConsumers] ?? [])].sort()).toEqual(
      [...subscribed].sort(),
    );
  });
});
