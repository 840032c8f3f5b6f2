import http from 'node:http';
import { Events, matchmakingV1, registryV1, techtransferV1 } from '@lienket/contracts';
import { createEventPublisher, type EventPublisher, ensureTopics } from '@lienket/eventbus';
import { parseConfig } from '@lienket/platform';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { Admin } from 'kafkajs';
import { issueDevToken } from '../src/auth';
import { gatewayConfigSchema } from '../src/config';
import { publicTopics } from '../src/events/public-events';
import { startGateway } from '../src/service';
import { decodeCursor, encodeCursor } from '../src/stream/cursor';
import {
  type EventStream,
  followEvents,
  openEventStream,
  type SseEvent,
  SseParser,
} from '../src/stream/sse-client';

const DEV_SECRET = 'stream-test-secret-0123456789-abcdefghij';
const auth = { issuer: 'lienket-dev', audience: 'lienket-api', devSecret: DEV_SECRET };
const PATH = '/v1/events/stream';

let infra: TestInfra;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let publisher: EventPublisher;
let admin: Admin;
let token: string;
const open: EventStream[] = [];

const gatewayConfig = (overrides: Record<string, string> = {}) =>
  parseConfig(gatewayConfigSchema, {
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: infra.databaseFor('gateway'),
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    AUTH_DEV_SECRET: DEV_SECRET,
    RATE_LIMIT_PER_MINUTE: '100000',
    STREAM_HEARTBEAT_MS: '500',
    ...overrides,
  });

beforeAll(async () => {
  infra = await openTestInfra('stream');
  await ensureTopics(
    infra.kafka,
    publicTopics.map((topic) => infra.topicPrefix + topic),
    { partitions: 3, replicationFactor: 1 },
  );
  gateway = await startGateway(gatewayConfig(), infra.log);
  publisher = await createEventPublisher({
    kafka: infra.kafka,
    source: '/lienket/test',
    topicPrefix: infra.topicPrefix,
    log: infra.log,
  });
  admin = infra.kafka.admin();
  await admin.connect();
  token = await issueDevToken(auth, { sub: 'analyst-1', role: 'analyst' });
});

afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
});

afterAll(async () => {
  for (const stream of open.splice(0)) stream.close();
  await publisher?.disconnect();
  await admin?.disconnect();
  await gateway?.stop();
  await infra?.close();
});

// --- publishing real catalogued events -------------------------------------------------------------

const need = (id: string, province: string, codes: { vsic?: string[]; hs?: string[] } = {}, key = id) =>
  publisher.publish(
    Events.needPosted,
    {
      need: registryV1.Need.fromPartial({
        id,
        enterpriseId: `ent-${id}`,
        title: `Cần mua ${id}`,
        province,
        vsicCodes: codes.vsic ?? [],
        hsCodes: codes.hs ?? [],
      }),
    },
    { key, subject: id },
  );

const proposal = (id: string, buyerProvince: string, supplierProvince: string, vsic: string[]) =>
  publisher.publish(
    Events.matchProposed,
    {
      proposal: matchmakingV1.Proposal.fromPartial({
        id,
        needId: `need-${id}`,
        buyerProvince,
        supplierProvince,
        vsicCodes: vsic,
        score: 0.8,
      }),
    },
    { key: id, subject: id },
  );

const offer = (id: string, ownerProvince: string, vsic: string[]) =>
  publisher.publish(
    Events.offerPublished,
    {
      offer: techtransferV1.Offer.fromPartial({
        id,
        ownerProvince,
        vsicCodes: vsic,
        title: `Công nghệ ${id}`,
      }),
    },
    { key: id, subject: id },
  );

// --- reading the stream ------------------------------------------------------------------------------

interface Tail {
  stream: EventStream;
  events: SseEvent[];
  comments: string[];
  kinds: string[];
  /** Set when the server ended the stream. */
  ended: boolean;
  /** The CloudEvents of the received events. */
  cloudEvents(): { id: string; subject: string; type: string; [key: string]: unknown }[];
}

async function tail(query = '', options: { lastEventId?: string; base?: string } = {}): Promise<Tail> {
  const stream = await openEventStream(`${options.base ?? gateway.url}${PATH}${query}`, {
    token,
    ...(options.lastEventId ? { lastEventId: options.lastEventId } : {}),
  });
  open.push(stream);
  const result: Tail = {
    stream,
    events: [],
    comments: [],
    kinds: [],
    ended: false,
    cloudEvents: () => result.events.map((e) => JSON.parse(e.data)),
  };
  void (async () => {
    try {
      for await (const item of stream) {
        result.kinds.push(item.kind);
        if (item.kind === 'event') result.events.push(item.event);
        else if (item.kind === 'comment') result.comments.push(item.text);
      }
    } catch {}
    result.ended = true;
  })();
  return result;
}

/** The end of every partition of every public topic now. */
async function ends(): Promise<Map<string, number[]>> {
  const result = new Map<string, number[]>();
  for (const topic of publicTopics) {
    const offsets = await admin.fetchTopicOffsets(infra.topicPrefix + topic);
    const list: number[] = [];
    for (const { partition, high } of offsets) list[partition] = Number(high);
    result.set(topic, list);
  }
  return result;
}

/** Whether the stream's cursor (events and heartbeat ids) has passed `target` everywhere. */
function reached(t: Tail, target: Map<string, number[]>): boolean {
  const id = t.stream.parser.lastEventId;
  if (!id) return false;
  const at = decodeCursor(id);
  for (const [topic, offsets] of target)
    if (offsets.some((end, partition) => (at.get(topic)?.[partition] ?? 0) < end)) return false;
  return true;
}

async function caughtUp(streams: Tail[]) {
  const target = await ends();
  await waitFor(() => streams.every((t) => reached(t, target)), {
    timeoutMs: 20_000,
    what: 'streams at the end',
  });
}

const subjects = (t: Tail) => t.cloudEvents().map((e) => e.subject);
const sorted = (list: string[]) => [...list].sort();

// --- tests ---------------------------------------------------------------------------------------------

describe('GET /v1/events/stream', () => {
  it('delivers new public events live as CloudEvents JSON', async () => {
    const t = await tail();
    const { headers } = t.stream.response;
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(headers.get('cache-control')).toBe('no-cache');
    expect(headers.get('x-accel-buffering')).toBe('no');
    expect(headers.get('content-encoding')).toBeNull();

    const sent = await need('live-1', '01', { vsic: ['2592'] });
    await waitFor(() => t.events.length >= 1, { what: 'the live event' });
    expect(t.kinds[0]).toBe('retry');
    const [event] = t.events;
    expect(event?.event).toBe('vn.lienket.registry.need.posted.v1');
    expect(event?.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(event?.data ?? '{}')).toEqual({
      specversion: '1.0',
      id: sent.id,
      type: 'vn.lienket.registry.need.posted.v1',
      source: '/lienket/test',
      subject: 'live-1',
      time: sent.time.toISOString(),
      datacontenttype: 'application/json',
      data: {
        need: expect.objectContaining({
          id: 'live-1',
          enterpriseId: 'ent-live-1',
          province: '01',
          vsicCodes: ['2592'],
        }),
      },
    });
    // The id is the position just after the event: the need topic's end, and nothing else read.
    const needTopicEnd = (await ends()).get(Events.needPosted.topic) ?? [];
    expect(decodeCursor(event?.id ?? '').get(Events.needPosted.topic)).toEqual(needTopicEnd);

    const proposed = await proposal('live-2', '01', '92', ['2592']);
    await waitFor(() => t.events.length >= 2, { what: 'the second live event' });
    expect(t.events[1]?.event).toBe('vn.lienket.matchmaking.proposal.proposed.v1');
    expect(t.cloudEvents()[1]).toMatchObject({
      id: proposed.id,
      data: { proposal: { id: 'live-2', buyerProvince: '01', supplierProvince: '92' } },
    });
  });

  it('filters by type prefix, province, region and sector', async () => {
    const queries = {
      all: '',
      matchmaking: '?type=vn.lienket.matchmaking.',
      techOrNeeds: '?type=vn.lienket.techtransfer.,vn.lienket.registry.need.',
      hanoi: '?province=01',
      hcmcOrDanang: '?province=79&province=48',
      mekong: '?region=MD',
      southeastOrCentral: '?region=SE,NCC',
      metal: '?sector=25',
      computers: '?sector=8471',
      registryInCanTho: '?type=vn.lienket.registry.&province=92',
    };
    const streams = Object.fromEntries(
      await Promise.all(
        Object.entries(queries).map(async ([name, query]) => [name, await tail(query)] as const),
      ),
    ) as Record<keyof typeof queries, Tail>;

    await need('f-n1', '01', { vsic: ['2592'] }); // Hà Nội, Red River Delta
    await need('f-n2', '92', { vsic: ['1313'] }); // Cần Thơ, Mekong Delta
    await need('f-n3', '79', { hs: ['847130'] }); // Hồ Chí Minh City, Southeast
    await proposal('f-p1', '01', '92', ['2592']);
    await offer('f-o1', '48', ['3700']); // Đà Nẵng, North Central and Central Coast
    await caughtUp(Object.values(streams));

    const got = Object.fromEntries(Object.entries(streams).map(([name, t]) => [name, sorted(subjects(t))]));
    expect(got).toEqual({
      all: ['f-n1', 'f-n2', 'f-n3', 'f-o1', 'f-p1'],
      matchmaking: ['f-p1'],
      techOrNeeds: ['f-n1', 'f-n2', 'f-n3', 'f-o1'],
      hanoi: ['f-n1', 'f-p1'],
      hcmcOrDanang: ['f-n3', 'f-o1'],
      mekong: ['f-n2', 'f-p1'],
      southeastOrCentral: ['f-n3', 'f-o1'],
      metal: ['f-n1', 'f-p1'],
      computers: ['f-n3'],
      registryInCanTho: ['f-n2'],
    });
  });

  it('resumes from Last-Event-ID (or last_event_id) with exactly the missed events, once and in order', async () => {
    const first = await tail();
    const batchA = [
      await need('ra-1', '01'),
      await need('ra-2', '31'),
      await proposal('ra-3', '01', '92', ['2592']),
      await offer('ra-4', '48', ['3700']),
      await need('ra-5', '92'),
      await proposal('ra-6', '79', '75', ['1313']),
    ];
    await waitFor(() => first.events.length >= batchA.length, { what: 'batch A' });
    const delivered = first.cloudEvents();
    expect(sorted(delivered.map((e) => e.id))).toEqual(sorted(batchA.map((e) => e.id)));
    const middle = first.events[2]?.id ?? '';
    const last = first.events[5]?.id ?? '';
    first.stream.close();

    // Missed while disconnected: several topics and partitions, and one key (one partition) in order.
    const batchB = [
      await need('rb-seq-1', '01', {}, 'rb-seq'),
      await offer('rb-2', '48', ['3700']),
      await need('rb-seq-2', '01', {}, 'rb-seq'),
      await proposal('rb-3', '01', '92', ['2592']),
      await need('rb-4', '33'),
      await offer('rb-5', '80', ['1313']),
      await need('rb-seq-3', '01', {}, 'rb-seq'),
      await proposal('rb-6', '22', '24', ['2592']),
    ];
    const byHeader = await tail('', { lastEventId: last });
    const byQuery = await tail(`?last_event_id=${middle}`);
    // The header wins over the query parameter (an EventSource reconnecting keeps its URL).
    const both = await tail(`?last_event_id=${middle}`, { lastEventId: last });
    await caughtUp([byHeader, byQuery, both]);

    const ids = (t: Tail) => t.cloudEvents().map((e) => e.id);
    const inOrder = (t: Tail) => subjects(t).filter((s) => s.startsWith('rb-seq'));
    expect(sorted(ids(byHeader))).toEqual(sorted(batchB.map((e) => e.id)));
    expect(sorted(ids(both))).toEqual(sorted(batchB.map((e) => e.id)));
    const afterMiddle = delivered.slice(3).map((e) => e.id);
    expect(sorted(ids(byQuery))).toEqual(sorted([...afterMiddle, ...batchB.map((e) => e.id)]));
    for (const t of [byHeader, byQuery, both])
      expect(inOrder(t)).toEqual(['rb-seq-1', 'rb-seq-2', 'rb-seq-3']);
  });

  it('replays from a timestamp with since', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = [
      await need('sc-1', '01'),
      await offer('sc-2', '48', ['3700']),
      await proposal('sc-3', '01', '92', ['2592']),
    ];
    const replay = await tail(`?since=${encodeURIComponent(since.toISOString())}`);
    const offsetTime = encodeURIComponent(since.toISOString().replace('Z', '+00:00'));
    const replayNeeds = await tail(`?since=${offsetTime}&type=vn.lienket.registry.`);
    await caughtUp([replay, replayNeeds]);
    expect(sorted(replay.cloudEvents().map((e) => e.id))).toEqual(sorted(sent.map((e) => e.id)));
    expect(subjects(replayNeeds)).toEqual(['sc-1']);

    // Last-Event-ID wins over since: a browser reconnecting keeps the URL with its since.
    const resumed = await tail(`?since=${encodeURIComponent(since.toISOString())}`, {
      lastEventId: replay.stream.parser.lastEventId ?? '',
    });
    await caughtUp([resumed]);
    expect(resumed.events).toEqual([]);
  });

  it('refuses bad cursors and filters with 400 problems and anonymous callers with 401', async () => {
    const get = (query: string, headers: Record<string, string> = { Authorization: `Bearer ${token}` }) =>
      fetch(`${gateway.url}${PATH}${query}`, { headers });
    const problem = async (response: Response) => {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      return (await response.json()) as { status: number; code: string; errors?: { field: string }[] };
    };
    const bearer = { Authorization: `Bearer ${token}` };

    const valid = encodeCursor(new Map([[Events.needPosted.topic, [0, 0, 0]]]));
    for (const cursor of [
      'not a cursor!',
      Buffer.from([2, 0]).toString('base64url'), // unknown version
      Buffer.from([1, 0xaa, 0xbb]).toString('base64url'), // truncated tag
      `${valid}A`, // not canonical
      Buffer.from([1, 0, 0, 0, 0, 0x81]).toString('base64url'), // truncated varint
    ]) {
      const response = await get('', { ...bearer, 'Last-Event-ID': cursor });
      expect(response.status).toBe(400);
      expect(await problem(response)).toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    }
    const byQuery = await get('?last_event_id=%25%25%25');
    expect(byQuery.status).toBe(400);
    expect((await problem(byQuery)).code).toBe('INVALID_CURSOR');

    for (const [query, field] of [
      ['?since=yesterday', 'since'],
      ['?since=2025-13-45T99:00:00Z', 'since'],
      ['?province=1', 'province'],
      ['?region=XX', 'region'],
      ['?sector=A1', 'sector'],
      ['?type=Bad*Type', 'type'],
    ] as const) {
      const response = await get(query);
      expect(response.status).toBe(400);
      expect((await problem(response)).errors?.map((e) => e.field)).toEqual([field]);
    }

    const anonymous = await get('', {});
    expect(anonymous.status).toBe(401);
    expect((await problem(anonymous)).status).toBe(401);
    const forged = await get('', { Authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);

    // Any signed-in role may read the stream.
    const enterprise = await issueDevToken(auth, { sub: 'u-1', role: 'enterprise', enterprise_id: 'e-1' });
    const controller = new AbortController();
    const allowed = await fetch(`${gateway.url}${PATH}?last_event_id=${valid}`, {
      headers: { Authorization: `Bearer ${enterprise}` },
      signal: controller.signal,
    });
    expect(allowed.status).toBe(200);
    controller.abort();
  });

  it('limits open streams per caller with 429 and Retry-After, and frees the slot when one closes', async () => {
    const limited = await startGateway(
      gatewayConfig({ STREAM_MAX_PER_CALLER: '1', CONSUMER_GROUP: 'limited' }),
      infra.log,
    );
    try {
      const first = await openEventStream(`${limited.url}${PATH}`, { token });
      const refused = await fetch(`${limited.url}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(((await refused.json()) as { code: string }).code).toBe('TOO_MANY_STREAMS');
      const otherCaller = await openEventStream(`${limited.url}${PATH}`, {
        token: await issueDevToken(
          { issuer: 'lienket-dev', audience: 'lienket-api', devSecret: DEV_SECRET },
          { sub: 'another-analyst', role: 'analyst' },
        ),
      });
      otherCaller.close();
      first.close();
      await waitFor(
        async () => {
          const again = await fetch(`${limited.url}${PATH}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const ok = again.status === 200;
          await again.body?.cancel();
          return ok;
        },
        { timeoutMs: 20_000, what: 'the slot to free up' },
      );
    } finally {
      await limited.stop();
    }
  });

  it('sends heartbeat comments while idle', async () => {
    const quiet = await tail('?type=vn.lienket.nothing.');
    await waitFor(() => quiet.comments.length >= 3, { timeoutMs: 5_000, what: 'three heartbeats' });
    for (const comment of quiet.comments) {
      const [word, time] = comment.split(' ');
      expect(word).toBe('heartbeat');
      expect(new Date(time ?? '').toISOString()).toBe(time);
    }
    expect(quiet.events).toEqual([]);
    expect(quiet.ended).toBe(false);
  });

  it('cuts off a client that stops reading, while other streams keep working', async () => {
    const small = await startGateway(
      gatewayConfig({ STREAM_MAX_BUFFERED: '3', STREAM_HEARTBEAT_MS: '1000', CONSUMER_GROUP: 'slow' }),
      infra.log,
    );
    try {
      const stats = small.stats.stream;
      if (!stats) throw new Error('no stream stats');
      const liveStreams = () => stats.sessions();

      // A stalled client: it sends the request, then never reads.
      let stalledText = '';
      let stalledClosed = false;
      const stalled = await new Promise<http.IncomingMessage>((resolve, reject) => {
        http
          .get(`${small.url}${PATH}`, { headers: { Authorization: `Bearer ${token}` } }, (response) => {
            response.pause();
            response.setEncoding('utf8');
            response.once('close', () => {
              stalledClosed = true;
            });
            resolve(response);
          })
          .on('error', reject);
      });
      expect(stalled.statusCode).toBe(200);
      const healthy = await tail('', { base: small.url });
      await waitFor(() => liveStreams() === 2 && stats.onHub() === 2, { what: 'two streams on the hub' });

      // Far more than the socket buffers hold: about 8 MB in 40 events.
      const description = 'Mô tả chi tiết nhu cầu. '.repeat(8_000);
      const sent: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        const event = await publisher.publish(
          Events.needPosted,
          { need: registryV1.Need.fromPartial({ id: `big-${i}`, province: '01', description }) },
          { key: `big-${i}`, subject: `big-${i}` },
        );
        sent.push(event.id);
      }
      await waitFor(() => healthy.events.length >= 40, { timeoutMs: 30_000, what: 'the healthy stream' });
      await waitFor(() => liveStreams() === 1, { timeoutMs: 20_000, what: 'the cut-off' });
      expect(healthy.ended).toBe(false);
      expect(stats.cutOffs.buffered + stats.cutOffs.stalled + stats.cutOffs.evicted).toBe(1);

      // The stalled client now reads what reached it: a prefix, then the end of the stream.
      stalled.on('data', (chunk: string) => {
        stalledText += chunk;
      });
      stalled.resume();
      await waitFor(() => stalledClosed, { what: 'the stalled stream to end' });
      const parser = new SseParser();
      const received = parser
        .push(stalledText)
        .flatMap((item) => (item.kind === 'event' ? [JSON.parse(item.event.data).id as string] : []));
      expect(received.length).toBeLessThan(40);
      expect(new Set(received).size).toBe(received.length);

      // It resumes with its last id and gets exactly the rest.
      const resumed = await tail('', { base: small.url, lastEventId: parser.lastEventId ?? '' });
      await caughtUp([resumed]);
      const rest = resumed.cloudEvents().map((e) => e.id);
      expect(sorted([...received, ...rest])).toEqual(sorted(sent));

      // The healthy stream still delivers.
      const after = await offer('after-cut', '48', ['3700']);
      await waitFor(() => healthy.cloudEvents().some((e) => e.id === after.id), {
        what: 'an event after the cut',
      });
    } finally {
      for (const stream of open.splice(0)) stream.close();
      await small.stop();
    }
  });

  it('serves every session from one consumer per gateway process, each with its own filter', async () => {
    const stats = gateway.stats.stream;
    if (!stats) throw new Error('no stream stats');
    const groupPrefix = `${infra.topicPrefix}${gatewayConfig().CONSUMER_GROUP}.stream.`;
    const queries = ['', '?province=01', '?type=vn.lienket.techtransfer.', '?sector=25', '?region=MD', ''];
    const tails = await Promise.all(queries.map((query) => tail(query)));
    await waitFor(() => stats.onHub() === tails.length, {
      timeoutMs: 30_000,
      what: 'every session on the hub',
    });
    const messagesBefore = stats.hub.messages;

    const sent = [
      await need('hub-1', '01', { vsic: ['2592'] }),
      await need('hub-2', '92'),
      await offer('hub-3', '48', ['3700']),
      await proposal('hub-4', '01', '92', ['2592']),
    ];
    await caughtUp(tails);
    expect(tails.map((t) => sorted(subjects(t)))).toEqual([
      ['hub-1', 'hub-2', 'hub-3', 'hub-4'],
      ['hub-1', 'hub-4'],
      ['hub-3'],
      ['hub-1', 'hub-4'],
      ['hub-2', 'hub-4'],
      ['hub-1', 'hub-2', 'hub-3', 'hub-4'],
    ]);
    // Each event read from Kafka once for all six sessions, by one member of one group.
    expect(stats.hub.messages - messagesBefore).toBe(sent.length);
    const { groups } = await admin.listGroups();
    const ids = groups.map((g) => g.groupId).filter((id) => id.startsWith(groupPrefix));
    const described = await admin.describeGroups(ids);
    const withMembers = described.groups.filter((g) => g.members.length > 0);
    expect(withMembers.map((g) => [g.groupId, g.members.length])).toEqual([[stats.hubGroupId, 1]]);
  });

  it('resumes a cursor older than the hub holds from Kafka, exactly, then moves the session to the hub', async () => {
    const small = await startGateway(
      gatewayConfig({ STREAM_REPLAY_EVENTS: '2', CONSUMER_GROUP: 'ring' }),
      infra.log,
    );
    try {
      const stats = small.stats.stream;
      if (!stats) throw new Error('no stream stats');
      const first = await tail('?type=vn.lienket.registry.need.', { base: small.url });
      await waitFor(() => stats.onHub() === 1, { timeoutMs: 30_000, what: 'the session on the hub' });
      // One key, so one partition: its ring keeps the last two of these ten.
      const sent: string[] = [];
      for (let i = 0; i < 10; i += 1) sent.push((await need(`ring-${i}`, '01', {}, 'ring-key')).id);
      await waitFor(() => first.events.length >= 10, { what: 'ten events' });
      expect(first.cloudEvents().map((e) => e.id)).toEqual(sent);
      const afterSecond = first.events[1]?.id ?? '';
      const afterEighth = first.events[7]?.id ?? '';
      first.stream.close();
      await waitFor(() => stats.sessions() === 0, { what: 'the first session to end' });

      // From Kafka (the ring starts later), in order, then on the hub for what follows.
      const old = await tail('?type=vn.lienket.registry.need.', {
        base: small.url,
        lastEventId: afterSecond,
      });
      // Within the ring: from memory at once.
      const recent = await tail('?type=vn.lienket.registry.need.', {
        base: small.url,
        lastEventId: afterEighth,
      });
      await caughtUp([old, recent]);
      expect(old.cloudEvents().map((e) => e.id)).toEqual(sent.slice(2));
      expect(recent.cloudEvents().map((e) => e.id)).toEqual(sent.slice(8));
      await waitFor(() => stats.onHub() === 2, { timeoutMs: 30_000, what: 'both sessions on the hub' });
      const next = await need('ring-10', '01', {}, 'ring-key');
      await waitFor(() => old.events.length >= 9 && recent.events.length >= 3, { what: 'the next event' });
      expect(old.cloudEvents().at(-1)?.id).toBe(next.id);
      expect(recent.cloudEvents().at(-1)?.id).toBe(next.id);
    } finally {
      for (const stream of open.splice(0)) stream.close();
      await small.stop();
    }
  });

  it('ends open streams when the gateway stops; a following client resumes on the next instance', async () => {
    const config = gatewayConfig({ CONSUMER_GROUP: 'restart' });
    const gateways = [await startGateway(config, infra.log)];
    const [first] = gateways as [Awaited<ReturnType<typeof startGateway>>];
    const controller = new AbortController();
    const received: string[] = [];
    let opened = 0;
    let reconnects = 0;
    const following = (async () => {
      for await (const event of followEvents(`${first.url}${PATH}`, {
        token,
        signal: controller.signal,
        onOpen: () => {
          opened += 1;
        },
        onReconnect: () => {
          reconnects += 1;
        },
      }))
        received.push(JSON.parse(event.data).id);
    })();
    try {
      const plain = await tail('', { base: first.url });
      await waitFor(() => opened === 1, { what: 'the follower to connect' });
      const before = await need('fo-1', '01');
      await waitFor(() => received.length >= 1 && plain.events.length >= 1, { what: 'the first event' });
      await gateways.shift()?.stop();
      await waitFor(() => plain.ended, { what: 'the stream to end with the gateway' });

      // Published while no gateway runs; the follower reconnects to the next one with its last id.
      const during = [await need('fo-2', '31'), await offer('fo-3', '48', ['3700'])];
      gateways.push(await startGateway({ ...config, HTTP_PORT: first.httpPort }, infra.log));
      await waitFor(() => received.length >= 3, { timeoutMs: 30_000, what: 'the missed events' });
      const after = await proposal('fo-4', '01', '92', ['2592']);
      await waitFor(() => received.length >= 4, { what: 'a new event' });
      expect(received[0]).toBe(before.id);
      expect(sorted(received.slice(1, 3))).toEqual(sorted(during.map((e) => e.id)));
      expect(received.slice(3)).toEqual([after.id]);
      expect(reconnects).toBeGreaterThan(0);
      expect(opened).toBe(2);
    } finally {
      controller.abort();
      await following;
      for (const gateway of gateways) await gateway.stop();
    }
  });
});
