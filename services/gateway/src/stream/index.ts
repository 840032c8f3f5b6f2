import { ensureTopics } from '@lienket/eventbus';
import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform';
import type { Request, RequestHandler } from 'express';
import type { Admin } from 'kafkajs';
import { actorOf } from '../app';
import type { GatewayContext } from '../context';
import { parseFilter, publicTopics } from '../events/public-events';
import { decodeCursor } from './cursor';
import { StreamHub } from './hub';
import { streamPaths } from './openapi';
import { type StartFrom, StreamSession, startPositions } from './session';

export { decodeCursor, encodeCursor, type Positions } from './cursor';
export * from './sse-client';

/** Live public events as Server-Sent Events. */
export const STREAM_PATH = '/v1/events/stream';
/** What clients are told to wait before reconnecting (`retry:`). */
export const STREAM_RETRY_MS = 3_000;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

const violation = (field: string, description: string, descriptionVi: string): FieldViolation => ({
  field,
  reason: 'invalid',
  description,
  descriptionVi,
});

function singleQueryValue(request: Request, name: string): string | undefined {
  const value = request.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw invalidArgument([violation(name, `Give ${name} once`, `Chỉ truyền ${name} một lần`)]);
  return value;
}

/** Where to start: Last-Event-ID (header, else `last_event_id`), else `since`, else the current end. */
export function startFromRequest(request: Request): StartFrom {
  const since = singleQueryValue(request, 'since');
  let time: Date | undefined;
  if (since !== undefined) {
    time = new Date(since.toUpperCase());
    if (!RFC3339.test(since) || Number.isNaN(time.getTime()))
      throw invalidArgument([
        violation(
          'since',
          `An RFC 3339 timestamp such as 2025-07-01T00:00:00Z: "${since.slice(0, 64)}"`,
          `Một mốc thời gian RFC 3339, ví dụ 2025-07-01T00:00:00Z: "${since.slice(0, 64)}"`,
        ),
      ]);
  }
  const cursor = request.get('last-event-id')?.trim() || singleQueryValue(request, 'last_event_id');
  if (cursor) return { kind: 'cursor', positions: decodeCursor(cursor) };
  if (time) return { kind: 'since', time };
  return { kind: 'latest' };
}

const unavailable = (cause?: unknown) =>
  new AppError('UNAVAILABLE', 'The event stream is unavailable; try again shortly', {
    code: 'STREAM_UNAVAILABLE',
    messageVi: 'Luồng sự kiện tạm thời không khả dụng; vui lòng thử lại sau',
    cause,
  });

/**
 * `GET /v1/events/stream`: the public events as Server-Sent Events for any signed-in caller, filtered
 * by `type`, `province`, `region` and `sector`, each id a cursor that resumes the stream exactly
 * (Last-Event-ID or `last_event_id`), or replayed from `since`.
 */
export async function install(context: GatewayContext): Promise<void> {
  const { config, kafka, log } = context;
  let admin: Promise<Admin> | undefined;
  const getAdmin = (): Promise<Admin> => {
    admin ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })().catch((error) => {
      admin = undefined;
      throw error;
    });
    return admin;
  };
  const sessions = new Set<StreamSession>();
  const owners = new WeakMap<StreamSession, string>();
  Object.assign(context.documentation.paths, streamPaths);
  let stopping = false;
  const groupPrefix = `${config.KAFKA_TOPIC_PREFIX}${config.CONSUMER_GROUP}`;
  const hub = new StreamHub({
    kafka,
    topics: publicTopics,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    groupPrefix,
    maxEntriesPerPartition: config.STREAM_REPLAY_EVENTS,
    maxBytes: config.STREAM_REPLAY_BYTES,
    log,
    prepare: () =>
      ensureTopics(
        kafka,
        publicTopics.map((topic) => config.KAFKA_TOPIC_PREFIX + topic),
        { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
      ),
  });
  const cutOffs = { buffered: 0, stalled: 0, evicted: 0 };
  context.stats.stream = {
    sessions: () => sessions.size,
    onHub: () => [...sessions].filter((s) => s.onHub).length,
    hub: hub.stats,
    hubGroupId: hub.groupId,
    cutOffs,
  };
  // Not awaited: the gateway answers at once; sessions read with consumers of their own until the
  // hub has joined, then move to it.
  void hub.start();
  const options = {
    kafka,
    hub,
    onCutOff: (reason: keyof typeof cutOffs) => {
      cutOffs[reason] += 1;
    },
    admin: getAdmin,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    groupPrefix,
    heartbeatMs: config.STREAM_HEARTBEAT_MS,
    maxBuffered: config.STREAM_MAX_BUFFERED,
    retryMs: STREAM_RETRY_MS,
    log,
  };

  const stream: RequestHandler = async (request, response) => {
    if (stopping) throw unavailable();
    if (actorOf(request).role === 'anonymous')
      throw new AppError('UNAUTHENTICATED', 'Sign in to read the event stream', {
        messageVi: 'Vui lòng đăng nhập để xem luồng sự kiện',
      });
    const caller = actorOf(request).subject || request.ip || '';
    const mine = [...sessions].filter((s) => owners.get(s) === caller).length;
    if (sessions.size >= config.STREAM_MAX_CONNECTIONS || mine >= config.STREAM_MAX_PER_CALLER) {
      response.setHeader('Retry-After', '5');
      throw new AppError('RESOURCE_EXHAUSTED', 'Too many open event streams; close one or retry shortly', {
        code: 'TOO_MANY_STREAMS',
        messageVi: 'Quá nhiều luồng sự kiện đang mở; hãy đóng bớt hoặc thử lại sau',
      });
    }
    const filter = parseFilter(request.query);
    const from = startFromRequest(request);
    let positions: Awaited<ReturnType<typeof startPositions>>;
    try {
      positions = await startPositions(await getAdmin(), config.KAFKA_TOPIC_PREFIX, from);
    } catch (error) {
      log.warn({ err: error }, 'could not position an event stream');
      throw unavailable(error);
    }
    if (stopping) throw unavailable();
    const session = new StreamSession(options, response, filter, positions);
    sessions.add(session);
    owners.set(session, caller);
    void session.stopped.then(() => sessions.delete(session));
    await session.start();
  };

  context.extensions.push((app) => {
    app.get(STREAM_PATH, stream);
  });
  context.parts.push({
    name: 'stream',
    stop: async () => {
      stopping = true;
      await Promise.all([...sessions].map((session) => session.stop()));
      await hub.stop();
      const client = await admin?.catch(() => undefined);
      await client?.disconnect().catch(() => undefined);
    },
  });
}
