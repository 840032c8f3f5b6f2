import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Events, registryV1 } from '@lienket/contracts';
import { connectionOf, createEventPublisher, type EventPublisher, ensureTopics } from '@lienket/eventbus';
import { parseConfig, uuidv7 } from '@lienket/platform';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { issueDevToken, type Role } from '../src/auth';
import { gatewayConfigSchema } from '../src/config';
import { publicTopics } from '../src/events/public-events';
import { startGateway } from '../src/service';
import { verifyWebhookSignature } from '../src/webhooks';
import { guardedLookup } from '../src/webhooks/delivery';
import { TEST_EVENT_TYPE } from '../src/webhooks/routes';
import { openWebhookCollections } from '../src/webhooks/store';
import { createSubscriptionCache } from '../src/webhooks/subscription-cache';

const DEV_SECRET = 'webhooks-integration-test-secret-0123456789';
const MAX_ATTEMPTS = 3;

let infra: TestInfra;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let publisher: EventPublisher;
const receivers: Receiver[] = [];

const configFor = (overrides: Record<string, string> = {}) =>
  parseConfig(gatewayConfigSchema, {
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: infra.databaseFor('gateway'),
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '3',
    AUTH_DEV_SECRET: DEV_SECRET,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_INITIAL_BACKOFF_MS: '50',
    WEBHOOK_MAX_BACKOFF_MS: '400',
    WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WEBHOOK_POLL_MS: '50',
    WEBHOOK_TIMEOUT_MS: '2000',
    ...overrides,
  });

beforeAll(async () => {
  infra = await openTestInfra('webhooks');
  await ensureTopics(
    infra.kafka,
    publicTopics.map((t) => infra.topicPrefix + t),
    { partitions: 3, replicationFactor: 1 },
  );
  gateway = await startGateway(configFor(), infra.log);
  publisher = await createEventPublisher({
    kafka: infra.kafka,
    source: '/lienket/registry',
    topicPrefix: infra.topicPrefix,
    log: infra.log,
  });
});

afterAll(async () => {
  await Promise.allSettled(receivers.map((r) => r.close()));
  await publisher?.disconnect();
  await gateway?.stop();
  await infra.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers: tokens, the API, a receiver, events.

const token = (sub: string, role: Role, extra: { enterprise_id?: string; province_code?: string } = {}) =>
  issueDevToken(
    { issuer: 'lienket-dev', audience: 'lienket-api', devSecret: DEV_SECRET },
    { sub, role, ...extra },
  );

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON answers freely
type Json = any;

interface ApiAnswer {
  status: number;
  body: Record<string, Json>;
  headers: Headers;
}

async function api(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; base?: string } = {},
): Promise<ApiAnswer> {
  const response = await fetch(`${options.base ?? gateway.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

interface Receiver {
  url: string;
  requests: Received[];
  /** Event ids of the requests received, in arrival order. */
  eventIds(): string[];
  close(): Promise<void>;
}

/** A local HTTP receiver; `answer` picks the status of the n-th request (0-based). */
async function receiver(answer: (n: number) => number = () => 204, delayMs = 0): Promise<Receiver> {
  const requests: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const n = requests.length;
      requests.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      setTimeout(() => response.writeHead(answer(n)).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const created: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    eventIds: () => requests.map((r) => JSON.parse(r.body).id as string),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  receivers.push(created);
  return created;
}

/** Publishes a NeedPosted in `province`; returns its CloudEvents id. */
async function postNeed(
  province: string,
  options: { vsic?: string[]; key?: string; id?: string } = {},
): Promise<string> {
  const needId = `need-${randomUUID()}`;
  const event = await publisher.publish(
    Events.needPosted,
    {
      need: registryV1.Need.fromPartial({
        id: needId,
        enterpriseId: 'ent-1',
        title: 'Cần mua nan tre đã xử lý',
        vsicCodes: options.vsic ?? ['2592'],
        province,
      }),
    },
    { key: options.key ?? needId, subject: needId, ...(options.id ? { id: options.id } : {}) },
  );
  return event.id;
}

async function subscribe(owner: string, body: Record<string, unknown>, role: Role = 'analyst') {
  const created = await api('POST', '/v1/subscriptions', { token: await token(owner, role), body });
  expect(created.status).toBe(201);
  return created.body as { id: string; secret: string };
}

async function deliveriesOf(owner: string, subscriptionId: string, query = '') {
  const answer = await api('GET', `/v1/subscriptions/${subscriptionId}/deliveries${query}`, {
    token: await token(owner, 'analyst'),
  });
  expect(answer.status).toBe(200);
  return answer.body.deliveries as Record<string, Json>[];
}

async function unsubscribe(owner: string, id: string) {
  expect(
    (await api('DELETE', `/v1/subscriptions/${id}`, { token: await token(owner, 'analyst') })).status,
  ).toBe(204);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

describe('subscriptions API', () => {
  it('creates, reads, lists, updates and deletes; each caller sees only its own, admins all', async () => {
    const alice = await token('analyst-alice', 'analyst');
    const bob = await token('analyst-bob', 'analyst');
    const admin = await token('admin-1', 'admin');

    const created = await api('POST', '/v1/subscriptions', {
      token: alice,
      body: {
        target_url: 'http://127.0.0.1:9/hook',
        filter: { type: ['vn.lienket.registry.need.'], province: ['01'], region: ['RRD'], sector: ['25'] },
        description: 'Nhu cầu ở Hà Nội',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/v1/subscriptions/${id}`);
    expect(created.body).toMatchObject({
      owner: 'analyst-alice',
      target_url: 'http://127.0.0.1:9/hook',
      filter: { type: ['vn.lienket.registry.need.'], province: ['01'], region: ['RRD'], sector: ['25'] },
      description: 'Nhu cầu ở Hà Nội',
      active: true,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    // The secret is shown once.
    const read = await api('GET', `/v1/subscriptions/${id}`, { token: alice });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(id);
    expect(read.body).not.toHaveProperty('secret');

    const aliceList = await api('GET', '/v1/subscriptions', { token: alice });
    expect(aliceList.body.subscriptions.map((s: { id: string }) => s.id)).toContain(id);
    const bobList = await api('GET', '/v1/subscriptions', { token: bob });
    expect(bobList.status).toBe(200);
    expect(bobList.body.subscriptions.map((s: { id: string }) => s.id)).not.toContain(id);
    const adminList = await api('GET', '/v1/subscriptions', { token: admin });
    expect(adminList.body.subscriptions.map((s: { id: string }) => s.id)).toContain(id);

    // Someone else's subscription does not exist for them.
    expect((await api('GET', `/v1/subscriptions/${id}`, { token: bob })).status).toBe(404);
    expect(
      (await api('PATCH', `/v1/subscriptions/${id}`, { token: bob, body: { active: false } })).status,
    ).toBe(404);
    expect((await api('GET', `/v1/subscriptions/${id}/deliveries`, { token: bob })).status).toBe(404);
    expect((await api('DELETE', `/v1/subscriptions/${id}`, { token: bob })).status).toBe(404);
    expect((await api('GET', `/v1/subscriptions/${id}`, { token: admin })).status).toBe(200);

    const patched = await api('PATCH', `/v1/subscriptions/${id}`, {
      token: alice,
      body: { active: false, description: 'tạm dừng', filter: { province: '79,01' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      active: false,
      description: 'tạm dừng',
      filter: { type: [], province: ['79', '01'], region: [], sector: [] },
      target_url: 'http://127.0.0.1:9/hook',
    });
    expect((await api('GET', `/v1/subscriptions/${id}`, { token: alice })).body.active).toBe(false);
    const retargeted = await api('PATCH', `/v1/subscriptions/${id}`, {
      token: admin,
      body: { target_url: 'http://127.0.0.1:10/other' },
    });
    expect(retargeted.body.target_url).toBe('http://127.0.0.1:10/other');

    expect((await api('DELETE', `/v1/subscriptions/${id}`, { token: alice })).status).toBe(204);
    expect((await api('GET', `/v1/subscriptions/${id}`, { token: alice })).status).toBe(404);
    expect((await api('DELETE', `/v1/subscriptions/${id}`, { token: alice })).status).toBe(404);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    const alice = await token('analyst-alice', 'analyst');
    expect((await api('GET', `/v1/subscriptions/${uuidv7()}`, { token: alice })).status).toBe(404);
    const malformed = await api('GET', '/v1/subscriptions/not-an-id', { token: alice });
    expect(malformed.status).toBe(404);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(malformed.body.code).toBe('SUBSCRIPTION_NOT_FOUND');
  });

  it('refuses callers without a token (401) and enterprises (403); lets province officers subscribe', async () => {
    const body = { target_url: 'http://127.0.0.1:9/hook' };
    const anonymous = await api('POST', '/v1/subscriptions', { body });
    expect(anonymous.status).toBe(401);
    expect((await api('GET', '/v1/subscriptions')).status).toBe(401);
    expect((await api('GET', '/v1/subscriptions', { token: 'not-a-jwt' })).status).toBe(401);
    const firm = await token('firm-user', 'enterprise', { enterprise_id: 'ent-1' });
    const refused = await api('POST', '/v1/subscriptions', { token: firm, body });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ROLE_NOT_ALLOWED');
    expect((await api('GET', '/v1/subscriptions', { token: firm })).status).toBe(403);
    const officer = await token('officer-01', 'province', { province_code: '01' });
    const allowed = await api('POST', '/v1/subscriptions', { token: officer, body });
    expect(allowed.status).toBe(201);
    expect(allowed.body.owner).toBe('officer-01');
    expect((await api('DELETE', `/v1/subscriptions/${allowed.body.id}`, { token: officer })).status).toBe(
      204,
    );
  });

  it('refuses bodies that break the document with a 400 naming every bad field, and the rules it cannot state with a 422', async () => {
    const alice = await token('analyst-alice', 'analyst');
    const bad = await api('POST', '/v1/subscriptions', {
      token: alice,
      body: {
        target_url: 'ftp://example.com/hook',
        filter: { type: ['NOT A TYPE'], province: ['1'], region: ['XX'], sector: ['abc'], colour: ['red'] },
        secret: 'too-short',
        description: 'x'.repeat(501),
        targetUrl: 'typo',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    // Named down to the field (a list's errors name its items too).
    const fieldsOf = (errors: { field: string }[]) =>
      [...new Set(errors.map((e) => e.field.split('.').slice(0, 3).join('.')))].sort();
    const fields = fieldsOf(bad.body.errors);
    expect(fields).toEqual(
      [
        'body.description',
        'body.filter.colour',
        'body.filter.province',
        'body.filter.region',
        'body.filter.sector',
        'body.filter.type',
        'body.secret',
        'body.target_url',
        'body.targetUrl',
      ].sort(),
    );
    const badFilter = await api('POST', '/v1/subscriptions', {
      token: alice,
      body: {
        target_url: 'http://127.0.0.1:9/',
        filter: { type: ['NOT A TYPE'], province: ['1'], region: ['XX'], sector: ['abc'] },
      },
    });
    expect(badFilter.status).toBe(400);
    expect(fieldsOf(badFilter.body.errors)).toEqual(
      ['body.filter.province', 'body.filter.region', 'body.filter.sector', 'body.filter.type'].sort(),
    );
    const credentials = await api('POST', '/v1/subscriptions', {
      token: alice,
      body: { target_url: 'https://user:pw@example.com/hook' },
    });
    expect(credentials.status).toBe(422);
    expect(credentials.body.errors[0]).toMatchObject({
      field: 'body.target_url',
      reason: 'credentials_in_url',
    });
    const tooLong = await api('POST', '/v1/subscriptions', {
      token: alice,
      body: { target_url: `http://127.0.0.1/${'a'.repeat(2000)}` },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0]).toMatchObject({ field: 'body.target_url', reason: 'maxLength' });
    expect((await api('POST', '/v1/subscriptions', { token: alice, body: ['x'] })).status).toBe(400);

    const { id } = await subscribe('analyst-alice', { target_url: 'http://127.0.0.1:9/' });
    const secretChange = await api('PATCH', `/v1/subscriptions/${id}`, {
      token: alice,
      body: { secret: 'whsec_x' },
    });
    expect(secretChange.status).toBe(400);
    expect(secretChange.body.errors[0]).toMatchObject({ field: 'body.secret', reason: 'unknown_field' });
    const empty = await api('PATCH', `/v1/subscriptions/${id}`, { token: alice, body: {} });
    expect(empty.status).toBe(400);
    const badActive = await api('PATCH', `/v1/subscriptions/${id}`, {
      token: alice,
      body: { active: 'yes' },
    });
    expect(badActive.status).toBe(400);
    expect(badActive.body.errors[0].field).toBe('body.active');
    await unsubscribe('analyst-alice', id);
  });

  it('keeps a secret given in the whsec_ form', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const created = await subscribe('analyst-alice', { target_url: 'http://127.0.0.1:9/', secret });
    expect(created.secret).toBe(secret);
    await unsubscribe('analyst-alice', created.id);
  });
});

describe('deliveries', () => {
  it('POSTs the CloudEvent signed with the subscription secret, and logs the delivery', async () => {
    const hook = await receiver();
    const { id, secret } = await subscribe('analyst-alice', {
      target_url: hook.url,
      filter: { province: ['11'] },
    });
    const eventId = await postNeed('11');
    await waitFor(() => hook.requests.length >= 1, { timeoutMs: 30_000, what: 'the webhook' });
    const [request] = hook.requests as [Received];
    expect(request.headers['content-type']).toBe('application/cloudevents+json');
    const event = JSON.parse(request.body);
    expect(event).toMatchObject({
      specversion: '1.0',
      id: eventId,
      type: Events.needPosted.type,
      source: '/lienket/registry',
      datacontenttype: 'application/json',
      data: { need: { province: '11', vsicCodes: ['2592'] } },
    });

    expect(verifyWebhookSignature(secret, request.headers, request.body)).toBe(true);
    const other = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    expect(verifyWebhookSignature(other, request.headers, request.body)).toBe(false);
    expect(verifyWebhookSignature(secret, request.headers, `${request.body} `)).toBe(false);
    const signedAt = Number(request.headers['webhook-timestamp']);
    expect(Math.abs(signedAt - Date.now() / 1000)).toBeLessThan(30);
    expect(verifyWebhookSignature(secret, request.headers, request.body, signedAt + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, request.headers, request.body, signedAt + 299)).toBe(true);

    const log = await waitFor(
      async () => {
        const found = await deliveriesOf('analyst-alice', id);
        return found[0]?.status === 'delivered' && found;
      },
      { what: 'the delivery marked delivered' },
    );
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      id: request.headers['webhook-id'],
      event_id: eventId,
      event_type: Events.needPosted.type,
      status: 'delivered',
      attempts: 1,
      last_status_code: 204,
      last_error: null,
    });
    expect(log[0]?.delivered_at).toEqual(expect.any(String));
    await unsubscribe('analyst-alice', id);
  });

  it('sends only the events a filter matches', async () => {
    const byType = await receiver();
    const bySector = await receiver();
    const typed = await subscribe('analyst-alice', {
      target_url: byType.url,
      filter: { type: ['vn.lienket.registry.need.posted'], province: ['12'] },
    });
    const sectored = await subscribe('analyst-alice', {
      target_url: bySector.url,
      filter: { province: ['12'], sector: ['25'] },
    });
    const key = `filters-${randomUUID()}`; // one partition: the events are consumed in this order
    const both = await postNeed('12', { key });
    await postNeed('13', { key }); // another province
    await publisher.publish(
      Events.needClosed,
      { needId: 'need-x', enterpriseId: 'ent-1', reason: 'done' },
      { key }, // another type, no province
    );
    const typeOnly = await postNeed('12', { key, vsic: ['1010'] }); // another sector
    const last = await postNeed('12', { key });

    await waitFor(() => byType.eventIds().includes(last) && bySector.eventIds().includes(last), {
      timeoutMs: 30_000,
      what: 'the last event at both receivers',
    });
    // The last event was enqueued after everything before it on its partition: the logs are complete.
    const typedLog = await deliveriesOf('analyst-alice', typed.id);
    const sectoredLog = await deliveriesOf('analyst-alice', sectored.id);
    expect(typedLog.map((d) => d.event_id).sort()).toEqual([both, typeOnly, last].sort());
    expect(sectoredLog.map((d) => d.event_id).sort()).toEqual([both, last].sort());
    await waitFor(() => byType.requests.length >= 3 && bySector.requests.length >= 2, { what: 'all sends' });
    expect(byType.eventIds().sort()).toEqual([both, typeOnly, last].sort());
    expect(bySector.eventIds().sort()).toEqual([both, last].sort());
    await unsubscribe('analyst-alice', typed.id);
    await unsubscribe('analyst-alice', sectored.id);
  });

  it('retries a 5xx with backoff and delivers on the third attempt', async () => {
    const hook = await receiver((n) => (n < 2 ? 500 : 200));
    const { id, secret } = await subscribe('analyst-alice', {
      target_url: hook.url,
      filter: { province: ['14'] },
    });
    const eventId = await postNeed('14');
    const log = await waitFor(
      async () => {
        const found = await deliveriesOf('analyst-alice', id);
        return found[0]?.status === 'delivered' && found;
      },
      { timeoutMs: 30_000, what: 'the delivery marked delivered' },
    );
    expect(hook.requests).toHaveLength(3);
    expect(new Set(hook.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([log[0]?.id]));
    expect(hook.eventIds()).toEqual([eventId, eventId, eventId]);
    for (const r of hook.requests) expect(verifyWebhookSignature(secret, r.headers, r.body)).toBe(true);
    // Backoff after attempt 1 is at least half of 50 ms; after attempt 2 at least half of 100 ms.
    const [first, second, third] = hook.requests.map((r) => r.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(20);
    expect(third - second).toBeGreaterThanOrEqual(45);
    expect(log[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      last_status_code: 200,
      last_error: null,
    });
    expect(log[0]?.history.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    await unsubscribe('analyst-alice', id);
  });

  it(`dead-letters after ${MAX_ATTEMPTS} failed attempts and tries no more`, async () => {
    const hook = await receiver(() => 500);
    const { id } = await subscribe('analyst-alice', { target_url: hook.url, filter: { province: ['15'] } });
    const eventId = await postNeed('15');
    const log = await waitFor(
      async () => {
        const found = await deliveriesOf('analyst-alice', id);
        return found[0]?.status === 'dead' && found;
      },
      { timeoutMs: 30_000, what: 'the delivery dead-lettered' },
    );
    expect(log[0]).toMatchObject({
      event_id: eventId,
      status: 'dead',
      attempts: MAX_ATTEMPTS,
      last_status_code: 500,
      next_attempt_at: null,
    });
    expect(hook.requests).toHaveLength(MAX_ATTEMPTS);
    await sleep(1_000); // twenty polls and more than the longest backoff
    expect(hook.requests).toHaveLength(MAX_ATTEMPTS);
    expect((await deliveriesOf('analyst-alice', id, '?status=dead')).map((d) => d.event_id)).toEqual([
      eventId,
    ]);
    expect(await deliveriesOf('analyst-alice', id, '?status=pending')).toEqual([]);
    await unsubscribe('analyst-alice', id);
  });

  it.each([
    [410, '16'],
    [400, '17'],
  ])('takes a %i as final: one attempt, status failed', async (status, province) => {
    const hook = await receiver(() => status);
    const { id } = await subscribe('analyst-alice', {
      target_url: hook.url,
      filter: { province: [province] },
    });
    await postNeed(province);
    const log = await waitFor(
      async () => {
        const found = await deliveriesOf('analyst-alice', id);
        return found[0]?.status === 'failed' && found;
      },
      { timeoutMs: 30_000, what: 'the delivery failed' },
    );
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: status });
    await sleep(500);
    expect(hook.requests).toHaveLength(1);
    await unsubscribe('analyst-alice', id);
  });

  it('delivers an event published twice (same CloudEvents id) once', async () => {
    const hook = await receiver();
    const { id } = await subscribe('analyst-alice', { target_url: hook.url, filter: { province: ['18'] } });
    const key = `dup-${randomUUID()}`;
    const eventId = randomUUID();
    await postNeed('18', { key, id: eventId });
    await postNeed('18', { key, id: eventId });
    const after = await postNeed('18', { key });
    await waitFor(() => hook.eventIds().includes(after), { timeoutMs: 30_000, what: 'the event after' });
    await waitFor(() => hook.requests.length >= 2, { what: 'both events' });
    await sleep(300);
    expect(hook.eventIds().filter((e) => e === eventId)).toHaveLength(1);
    expect(hook.requests).toHaveLength(2);
    const log = await deliveriesOf('analyst-alice', id);
    expect(log.map((d) => d.event_id).sort()).toEqual([eventId, after].sort());
    await unsubscribe('analyst-alice', id);
  });

  it('pauses: an inactive subscription gets nothing', async () => {
    const hook = await receiver();
    const { id } = await subscribe('analyst-alice', { target_url: hook.url, filter: { province: ['19'] } });
    const alice = await token('analyst-alice', 'analyst');
    expect(
      (await api('PATCH', `/v1/subscriptions/${id}`, { token: alice, body: { active: false } })).status,
    ).toBe(200);
    const control = await receiver();
    const witness = await subscribe('analyst-alice', {
      target_url: control.url,
      filter: { province: ['19'] },
    });
    const key = `pause-${randomUUID()}`;
    const paused = await postNeed('19', { key });
    await waitFor(() => control.eventIds().includes(paused), { timeoutMs: 30_000, what: 'the witness' });
    await sleep(300);
    expect(hook.requests).toHaveLength(0);
    expect(await deliveriesOf('analyst-alice', id)).toEqual([]);
    await unsubscribe('analyst-alice', id);
    await unsubscribe('analyst-alice', witness.id);
  });

  it('sends a signed test event on request, logs it, and refuses a test of a paused or foreign subscription', async () => {
    const hook = await receiver();
    // The filter matches no test event: a test goes to the URL whatever the filter says.
    const { id, secret } = await subscribe('analyst-alice', {
      target_url: hook.url,
      filter: { type: ['vn.lienket.techtransfer.'], province: ['96'] },
    });
    const alice = await token('analyst-alice', 'analyst');
    const bob = await token('analyst-bob', 'analyst');
    expect((await api('POST', `/v1/subscriptions/${id}/test`, { token: bob })).status).toBe(404);
    expect((await api('POST', `/v1/subscriptions/${id}/test`)).status).toBe(401);
    const firm = await token('firm-user', 'enterprise', { enterprise_id: 'ent-1' });
    const byFirm = await api('POST', `/v1/subscriptions/${id}/test`, { token: firm });
    expect(byFirm.status).toBe(403);
    expect(byFirm.body.code).toBe('ROLE_NOT_ALLOWED');
    expect((await api('POST', '/v1/subscriptions/not-an-id/test', { token: bob })).status).toBe(404);

    const queued = await api('POST', `/v1/subscriptions/${id}/test`, { token: alice });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({
      event_type: TEST_EVENT_TYPE,
      status: 'pending',
      attempts: 0,
    });
    await waitFor(() => hook.requests.length >= 1, { timeoutMs: 30_000, what: 'the test delivery' });
    const [request] = hook.requests as [Received];
    expect(verifyWebhookSignature(secret, request.headers, request.body)).toBe(true);
    expect(request.headers['webhook-id']).toBe(queued.body.id);
    expect(JSON.parse(request.body)).toMatchObject({
      specversion: '1.0',
      id: queued.body.event_id,
      type: TEST_EVENT_TYPE,
      subject: id,
      data: { subscriptionId: id },
    });
    const log = await waitFor(
      async () => {
        const found = await deliveriesOf('analyst-alice', id);
        return found[0]?.status === 'delivered' && found;
      },
      { what: 'the test delivery marked delivered' },
    );
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ id: queued.body.id, event_type: TEST_EVENT_TYPE, last_status_code: 204 });

    // Paused: no test until it is resumed.
    expect(
      (await api('PATCH', `/v1/subscriptions/${id}`, { token: alice, body: { active: false } })).status,
    ).toBe(200);
    const paused = await api('POST', `/v1/subscriptions/${id}/test`, { token: alice });
    expect(paused.status).toBe(422);
    expect(paused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(paused.body.code).toBe('SUBSCRIPTION_PAUSED');
    expect(paused.body.detail_vi).toEqual(expect.any(String));
    expect(hook.requests).toHaveLength(1);
    await unsubscribe('analyst-alice', id);
  });

  it('sends one test at a time per subscription', async () => {
    // A receiver that answers 503 after a second keeps the first test pending (retried) while the second is asked.
    const silent = await receiver(() => 503, 1_000);
    const { id } = await subscribe('analyst-alice', { target_url: silent.url });
    const alice = await token('analyst-alice', 'analyst');
    expect((await api('POST', `/v1/subscriptions/${id}/test`, { token: alice })).status).toBe(202);
    const second = await api('POST', `/v1/subscriptions/${id}/test`, { token: alice });
    expect(second.status).toBe(422);
    expect(second.body.code).toBe('TEST_UNDER_WAY');
    // Once the first is finished (dead after its attempts), another may be sent.
    await waitFor(async () => (await deliveriesOf('analyst-alice', id))[0]?.status === 'dead', {
      timeoutMs: 30_000,
      what: 'the first test dead',
    });
    expect((await api('POST', `/v1/subscriptions/${id}/test`, { token: alice })).status).toBe(202);
    await unsubscribe('analyst-alice', id);
  });
});

describe('two gateway instances', () => {
  let second: Awaited<ReturnType<typeof startGateway>> | undefined;
  afterAll(async () => {
    await second?.stop();
  });

  it('deliver every event exactly once between them', async () => {
    const config = configFor();
    second = await startGateway({ ...config, MONGO_DB: gateway.db.databaseName }, infra.log);
    const groupId = `${infra.topicPrefix}${config.CONSUMER_GROUP}-webhooks`;
    const admin = infra.kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([groupId]);
          return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
        },
        { timeoutMs: 45_000, intervalMs: 250, what: 'both instances in the consumer group' },
      );
    } finally {
      await admin.disconnect();
    }

    // A slow receiver: a delivery sent twice at once would show up as two requests.
    const hook = await receiver(() => 200, 150);
    const { id } = await subscribe('analyst-alice', { target_url: hook.url, filter: { province: ['20'] } });
    // Through the second instance's API too: both serve the same subscriptions.
    expect(
      (
        await api('GET', `/v1/subscriptions/${id}`, {
          base: second.url,
          token: await token('analyst-alice', 'analyst'),
        })
      ).status,
    ).toBe(200);
    const published: string[] = [];
    for (let i = 0; i < 24; i += 1) published.push(await postNeed('20'));
    await waitFor(() => new Set(hook.eventIds()).size >= published.length, {
      timeoutMs: 45_000,
      what: 'every event at the receiver',
    });
    await sleep(1_000);
    expect(hook.eventIds().sort()).toEqual([...published].sort());
    const webhookIds = hook.requests.map((r) => r.headers['webhook-id']);
    expect(new Set(webhookIds).size).toBe(published.length);
    const log = await deliveriesOf('analyst-alice', id, '?page_size=100');
    expect(log).toHaveLength(published.length);
    expect(log.every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    await unsubscribe('analyst-alice', id);
  });

  it('see a subscription changed through the other instance before the next event, from their caches', async () => {
    if (!second) throw new Error('the second instance did not start');
    const config = configFor();
    const groupId = `${infra.topicPrefix}${config.CONSUMER_GROUP}-webhooks`;
    const topic = infra.topicPrefix + Events.needPosted.topic;
    const admin = infra.kafka.admin();
    await admin.connect();
    /** Both instances have consumed (committed) every need published so far. */
    const consumedAll = async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return ends.every(
        ({ partition, high }) =>
          Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1) >= Number(high),
      );
    };
    try {
      const hook = await receiver(() => 200);
      const alice = await token('analyst-alice', 'analyst');
      const { id } = await subscribe('analyst-alice', { target_url: hook.url, filter: { province: ['21'] } });
      const firstRound: string[] = [];
      for (let i = 0; i < 6; i += 1) firstRound.push(await postNeed('21'));
      await waitFor(() => new Set(hook.eventIds()).size >= firstRound.length, { what: 'the first round' });

      // Paused through the second instance: neither instance queues the next events for it.
      const paused = await api('PATCH', `/v1/subscriptions/${id}`, {
        base: second.url,
        token: alice,
        body: { active: false },
      });
      expect(paused.status).toBe(200);
      for (let i = 0; i < 6; i += 1) await postNeed('21');
      await waitFor(consumedAll, { timeoutMs: 30_000, what: 'both instances past the paused round' });

      // Resumed through the second instance again: both deliver what follows.
      const resumed = await api('PATCH', `/v1/subscriptions/${id}`, {
        base: second.url,
        token: alice,
        body: { active: true },
      });
      expect(resumed.status).toBe(200);
      const thirdRound: string[] = [];
      for (let i = 0; i < 6; i += 1) thirdRound.push(await postNeed('21'));
      await waitFor(consumedAll, { timeoutMs: 30_000, what: 'both instances past the third round' });
      await waitFor(() => new Set(hook.eventIds()).size >= firstRound.length + thirdRound.length, {
        what: 'the third round',
      });
      expect([...new Set(hook.eventIds())].sort()).toEqual([...firstRound, ...thirdRound].sort());
      // Nothing was even queued for the paused round (a stale list would have queued it, then cancelled it).
      const log = await deliveriesOf('analyst-alice', id, '?page_size=100');
      expect(log.map((d) => d.event_id).sort()).toEqual([...firstRound, ...thirdRound].sort());
      await unsubscribe('analyst-alice', id);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('the subscriptions cache', () => {
  it('answers every caller with a version read begun after its call, one read for all waiting, reloading only on change', async () => {
    const collections = await openWebhookCollections(connectionOf(gateway.db));
    const cache = createSubscriptionCache({ collections, checkEveryMs: 50 });
    await cache.fresh();
    const { versionReads, loads } = cache.stats;

    // Ten callers at once share one read; nothing changed, so nothing is reloaded.
    await Promise.all(Array.from({ length: 10 }, () => cache.fresh()));
    expect(cache.stats.versionReads - versionReads).toBe(1);
    expect(cache.stats.loads).toBe(loads);

    // A write through another instance (the counter moves) is in the next answer.
    const { id } = await subscribe('analyst-cache', { target_url: 'http://127.0.0.1:9/hook' });
    const after = await cache.fresh();
    expect(after.map((s) => s._id)).toContain(id);
    expect(cache.stats.loads).toBe(loads + 1);

    // A change answered while a check was under way is in the next answer.
    const first = cache.fresh();
    await new Promise((resolve) => setImmediate(resolve));
    const paused = api('PATCH', `/v1/subscriptions/${id}`, {
      token: await token('analyst-cache', 'analyst'),
      body: { active: false },
    });
    await first;
    expect((await paused).status).toBe(200);
    expect((await cache.fresh()).map((s) => s._id)).not.toContain(id);
    await unsubscribe('analyst-cache', id);
  });
});

describe('target addresses (private targets not allowed)', () => {
  let strict: Awaited<ReturnType<typeof startGateway>> | undefined;
  afterAll(async () => {
    await strict?.stop();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.0.0.7/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://[::1]:8080/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00::1]/hook',
    'http://localhost:8080/hook',
  ])('refuses %s with a 422 (a rule the document cannot state)', async (target) => {
    strict ??= await startGateway(
      configFor({
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
        MONGO_DB: infra.databaseFor('strict'),
        CONSUMER_GROUP: 'strict-gateway',
      }),
      infra.log,
    );
    const answer = await api('POST', '/v1/subscriptions', {
      base: strict.url,
      token: await token('analyst-alice', 'analyst'),
      body: { target_url: target },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ field: 'body.target_url', reason: 'non_public_target' }),
    ]);
  });

  it('accepts a public literal address, and refuses moving it to a private one', async () => {
    expect(strict).toBeDefined();
    const base = (strict as NonNullable<typeof strict>).url;
    const alice = await token('analyst-alice', 'analyst');
    const created = await api('POST', '/v1/subscriptions', {
      base,
      token: alice,
      body: { target_url: 'https://93.184.215.14/hook', active: false },
    });
    expect(created.status).toBe(201);
    const moved = await api('PATCH', `/v1/subscriptions/${created.body.id}`, {
      base,
      token: alice,
      body: { target_url: 'http://[::ffff:a00:1]/' },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.errors[0]).toMatchObject({ field: 'body.target_url', reason: 'non_public_target' });
  });

  it('checks resolved addresses when connecting: a name for loopback is refused at lookup', async () => {
    const lookup = (allowPrivate: boolean) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
        guardedLookup(allowPrivate)('localhost', {}, (error, address) => resolve({ error, address })),
      );
    const refused = await lookup(false);
    expect(refused.error?.code).toBe('EWEBHOOKTARGET');
    const allowed = await lookup(true);
    expect(allowed.error).toBeNull();
    expect(['127.0.0.1', '::1']).toContain(allowed.address);
  });
});
