import specs from '@asyncapi/specs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Express, Request, Response } from 'express';
import type { GatewayContext } from '../context';
import { asyncApiHandler, install } from '.';
import {
  type AsyncApiDocument,
  asyncApiDocument,
  CLOUDEVENTS_JSON,
  KAFKA_HEADERS_SCHEMA,
  PROTOBUF,
  STREAM_PATH,
} from './document';
import { referenceProblems } from './drift';

const options = {
  brokers: ['kafka-1:9092', 'kafka-2:9092'],
  topicPrefix: 'staging.',
  publicUrl: 'https://api.lienket.example/',
  partitions: 6,
  replicas: 3,
};
const document = asyncApiDocument(options);
const copy = (): AsyncApiDocument => structuredClone(document);
// biome-ignore lint/suspicious/noExplicitAny: the tests walk and tamper with a JSON document freely
type Json = Record<string, any>;
const at = (doc: AsyncApiDocument, ...path: string[]): Json =>
  path.reduce<Json>((node, key) => node?.[key], doc as Json);

// The specification's own JSON Schema (draft-07, with every binding). It bundles the draft-07
// meta-schema under its own id, so Ajv must not add its copy.
const ajv = new Ajv({ allErrors: true, strict: false, meta: false, validateSchema: false });
addFormats(ajv);
const validateAsyncApi: ValidateFunction = ajv.compile(specs.schemas['3.0.0'] as object);
const specErrors = (doc: AsyncApiDocument) =>
  validateAsyncApi(doc) ? [] : (validateAsyncApi.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe('AsyncAPI document: valid AsyncAPI 3.0', () => {
  it('passes the AsyncAPI 3.0.0 JSON Schema from @asyncapi/specs', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(specErrors(document)).toEqual([]);
  });

  it('the schema check catches broken documents (so the pass above means something)', () => {
    const noInfo = copy();
    delete (noInfo as Json).info;
    expect(specErrors(noInfo).length).toBeGreaterThan(0);

    const badAction = copy();
    at(badAction, 'operations', 'registrySendsRegistryNeed').action = 'publish';
    expect(specErrors(badAction).length).toBeGreaterThan(0);

    const badBinding = copy();
    at(badBinding, 'channels', 'registryNeed', 'bindings', 'kafka').partitions = 0;
    expect(specErrors(badBinding).length).toBeGreaterThan(0);

    const badServer = copy();
    delete at(badServer, 'servers', 'kafka').protocol;
    expect(specErrors(badServer).length).toBeGreaterThan(0);

    const badSchema = copy();
    at(badSchema, 'components', 'schemas')['lienket.registry.v1.NeedPosted'] = { type: 'strnig' };
    expect(specErrors(badSchema).length).toBeGreaterThan(0);
  });

  it('keeps the rules the JSON Schema cannot express: references resolve, operations use their channel’s messages', () => {
    expect(referenceProblems(document)).toEqual([]);

    const dangling = copy();
    delete at(dangling, 'components', 'schemas')['lienket.registry.v1.Need'];
    expect(referenceProblems(dangling)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('$ref #/components/schemas/lienket.registry.v1.Need '),
      ]),
    );

    const foreign = copy();
    at(foreign, 'operations', 'registrySendsRegistryNeed').messages.push({
      $ref: '#/channels/registryCapability/messages/capabilityPosted',
    });
    expect(referenceProblems(foreign)).toEqual([
      expect.stringContaining('is not a message of #/channels/registryNeed'),
    ]);
  });
});

describe('AsyncAPI document: contents', () => {
  it('describes the Kafka cluster and the gateway as servers', () => {
    expect(document.servers).toMatchObject({
      kafka: { host: 'kafka-1:9092', protocol: 'kafka', 'x-bootstrap-servers': options.brokers },
      gateway: { host: 'api.lienket.example', protocol: 'https' },
    });
    expect(at(document, 'servers', 'kafka').description).toContain('KAFKA_TOPIC_PREFIX (`staging.`)');
  });

  it('addresses topics with the deployment prefix and describes them from the proto comments', () => {
    const channel = at(document, 'channels', 'registryNeed');
    expect(channel.address).toBe('staging.lienket.registry.need.v1');
    expect(channel.description).toContain('Topic lienket.registry.need.v1, key = need id.');
    expect(channel.bindings.kafka).toMatchObject({ partitions: 6, replicas: 3, bindingVersion: '0.5.0' });
    expect(at(document, 'channels', 'registryNeedDlq')).toMatchObject({
      address: 'staging.lienket.registry.need.v1.dlq',
      bindings: { kafka: { partitions: 1 } },
    });
    const unprefixed = asyncApiDocument({ ...options, topicPrefix: '' });
    expect(at(unprefixed, 'channels', 'registryNeed').address).toBe('lienket.registry.need.v1');
  });

  it('gives every Kafka message CloudEvents headers, protobuf content and the aggregate id as key', () => {
    const message = at(document, 'components', 'messages', 'linkageEstablished');
    expect(message).toMatchObject({
      name: 'LinkageEstablished',
      contentType: PROTOBUF,
      payload: { $ref: '#/components/schemas/lienket.matchmaking.v1.LinkageEstablished' },
      headers: {
        allOf: [
          { $ref: `#/components/schemas/${KAFKA_HEADERS_SCHEMA}` },
          {
            properties: {
              ce_type: { const: 'vn.lienket.matchmaking.proposal.linkage_established.v1' },
              ce_source: { const: '/lienket/matchmaking' },
            },
          },
        ],
      },
    });
    expect(message.description).toMatch(/^Both sides accepted: the linkage the programme counts/);
    expect(message.bindings.kafka.key.description).toMatch(/^Proposal id/);
    const headers = at(document, 'components', 'schemas', KAFKA_HEADERS_SCHEMA);
    expect(Object.keys(headers.properties)).toEqual(
      expect.arrayContaining([
        'ce_id',
        'ce_type',
        'ce_source',
        'ce_time',
        'ce_specversion',
        'ce_subject',
        'content-type',
        'traceparent',
      ]),
    );
    expect(
      at(document, 'components', 'messages', 'interestExpressed').bindings.kafka.key.description,
    ).toMatch(/^Interest id/);
  });

  it('takes field descriptions from the proto comments', () => {
    const schema = at(document, 'components', 'schemas', 'lienket.matchmaking.v1.MatchAccepted');
    expect(schema.properties.side.description).toBe('"buyer" or "supplier".');
  });

  it('names the producer (send) and known consumers (receive) with their groups', () => {
    expect(at(document, 'operations', 'registrySendsRegistryNeed')).toMatchObject({
      action: 'send',
      channel: { $ref: '#/channels/registryNeed' },
    });
    const receive = at(document, 'operations', 'registryReceivesMatchmakingProposal');
    expect(receive).toMatchObject({
      action: 'receive',
      messages: [{ $ref: '#/channels/matchmakingProposal/messages/linkageEstablished' }],
      bindings: { kafka: { groupId: { enum: ['staging.lienket-registry'] } } },
    });
    expect(at(document, 'operations', 'gatewayReceivesMatchmakingProposal').messages).toHaveLength(6);
    expect(document.operations).not.toHaveProperty('gatewayReceivesTestingProbe');
  });

  it('models the event stream and webhooks as http channels with the CloudEvents JSON form', () => {
    expect(at(document, 'channels', 'eventStream')).toMatchObject({
      address: STREAM_PATH,
      servers: [{ $ref: '#/servers/gateway' }],
    });
    expect(at(document, 'channels', 'webhooks').address).toBeNull();
    const stream = at(document, 'operations', 'streamEvents');
    expect(stream.bindings.http).toMatchObject({ method: 'GET' });
    expect(Object.keys(stream.bindings.http.query.properties)).toEqual([
      'type',
      'province',
      'region',
      'sector',
      'since',
      'last_event_id',
    ]);
    expect(at(document, 'components', 'messages', 'needPostedJson')).toMatchObject({
      contentType: CLOUDEVENTS_JSON,
      payload: { $ref: '#/components/schemas/CloudEvent.needPosted' },
    });
    expect(at(document, 'channels', 'eventStream', 'messages')).not.toHaveProperty('probePingedJson');
  });

  it('leaves the test suite’s probe topic out, unless a test asks for it', () => {
    const mentionsProbe = (doc: AsyncApiDocument) =>
      /lienket\.testing\.|ProbePinged|probePinged/.test(JSON.stringify(doc));
    expect(mentionsProbe(document)).toBe(false);
    expect(document.channels).not.toHaveProperty('testingProbe');
    const withProbe = asyncApiDocument({ ...options, withTestTopics: true });
    expect(mentionsProbe(withProbe)).toBe(true);
    expect(at(withProbe, 'channels', 'testingProbe').address).toBe('staging.lienket.testing.probe.v1');
    expect(at(withProbe, 'components', 'messages')).toHaveProperty('probePinged');
  });
});

describe('GET /asyncapi.json', () => {
  function fakeResponse() {
    const sent: { status?: number; headers: Record<string, string>; body?: string; type?: string } = {
      headers: {},
    };
    // Both ways a handler may answer: express's status/type/send, or Node's statusCode, headers and end.
    const response = {
      setHeader: (name: string, value: string) => {
        sent.headers[name] = value;
        if (name.toLowerCase() === 'content-type') sent.type = value.split(';')[0];
        return response;
      },
      set statusCode(code: number) {
        sent.status = code;
      },
      status: (code: number) => {
        sent.status = code;
        return response;
      },
      type: (type: string) => {
        sent.type = type;
        return response;
      },
      send: (body: string) => {
        sent.body = body;
        return response;
      },
      end: (body?: string) => {
        if (body !== undefined) sent.body = body;
        return response;
      },
    };
    return { sent, response: response as unknown as Response };
  }

  it('install mounts the document from the gateway config, as JSON with an ETag', async () => {
    const extensions: ((app: Express) => void)[] = [];
    const context = {
      config: {
        KAFKA_BROKERS: ['127.0.0.1:9092'],
        KAFKA_TOPIC_PREFIX: 'ci-7.',
        HTTP_PORT: 8080,
        KAFKA_PARTITIONS: 6,
        KAFKA_REPLICATION_FACTOR: 1,
      },
      extensions,
    } as unknown as GatewayContext;
    await install(context);
    expect(extensions).toHaveLength(1);
    const routes: Record<string, (request: Request, response: Response) => void> = {};
    extensions[0]?.({
      get: (path: string, handler: (request: Request, response: Response) => void) => {
        routes[path] = handler;
      },
    } as unknown as Express);
    const handler = routes['/asyncapi.json'];
    expect(handler).toBeDefined();

    const { sent, response } = fakeResponse();
    handler?.({ headers: {} } as Request, response);
    expect(sent.status).toBe(200);
    expect(sent.type).toBe('application/json');
    const served = JSON.parse(sent.body ?? '{}');
    expect(served.asyncapi).toBe('3.0.0');
    expect(served.channels.registryNeed.address).toBe('ci-7.lienket.registry.need.v1');
    expect(served.servers.gateway.host).toBe('127.0.0.1:8080');

    const again = fakeResponse();
    handler?.({ headers: { 'if-none-match': sent.headers.ETag } } as unknown as Request, again.response);
    expect(again.sent.status).toBe(304);
  });

  it('serves exactly the document it was given', () => {
    const { sent, response } = fakeResponse();
    asyncApiHandler(document)({ headers: {} } as Request, response);
    expect(JSON.parse(sent.body ?? '')).toEqual(document);
  });
});
