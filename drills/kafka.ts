// What is on Kafka: a tap that reads every topic (and dead-letter topic) of the instance from the
// beginning and indexes each message, consumer-group lag, and raw sends for poison and duplicates.
import { Events, matchmakingEventsV1 } from '@lienket/contracts';
import { headerText } from '@lienket/eventbus';
import {
  type Admin,
  AssignerProtocol,
  type Consumer,
  type IHeaders,
  Kafka,
  type KafkaMessage,
  logLevel,
  type Producer,
} from 'kafkajs';
import { log, sleep, waitFor } from './util';

export interface Indexed {
  topic: string;
  partition: number;
  offset: number;
  id: string | undefined;
  type: string | undefined;
  key: string;
  /** When the tap read it (ms epoch). */
  seenAt: number;
  /** Dead letters: the dlq_* headers and the drill marker copied from the poison. */
  dlq?: Record<string, string>;
  marker?: string;
}

export interface ProposalOnKafka {
  proposalId: string;
  needId: string;
  capabilityId: string;
  ceIds: Set<string>;
  firstSeenAt: number;
}

export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

const textHeaders = (headers: IHeaders | undefined) => {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers ?? {})) {
    const text = headerText(headers, name);
    if (text !== undefined) out[name] = text;
  }
  return out;
};

export function kafkaClient(brokers: string, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 3_000 },
  });
}

/**
 * Reads every `lienket.*` topic into memory, continuously, in its own consumer group. Survives a
 * broker restart (kafkajs reconnects; a consumer that gives up is made again).
 */
export class Tap {
  readonly positions = new Map<string, number>();
  readonly all: Indexed[] = [];
  /** need id (the NeedPosted key) → distinct CloudEvents ids and deliveries. */
  readonly needPosted = new Map<string, { ceIds: Set<string>; deliveries: number; firstSeenAt: number }>();
  readonly proposals = new Map<string, ProposalOnKafka>();
  readonly demandUnmet = new Set<string>();
  readonly offerPublished = new Map<string, Set<string>>();
  readonly requestPosted = new Set<string>();
  readonly dlq: Indexed[] = [];
  /** A few real messages per topic, to copy as duplicates or as a valid event after poison. */
  readonly samples = new Map<string, RawMessage[]>();
  /** Deliveries and distinct ids per topic. */
  readonly perTopic = new Map<string, { deliveries: number; ids: Set<string> }>();
  private consumer: Consumer | undefined;
  private topics: string[] = [];
  private stopped = false;
  private readonly group = `drills-tap-${Date.now()}`;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
  ) {}

  async start(): Promise<void> {
    this.topics = (await this.admin.listTopics()).filter((t) => t.startsWith('lienket.')).sort();
    await this.run();
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.group,
      sessionTimeout: 30_000,
      retry: { retries: 1_000, initialRetryTime: 300, maxRetryTime: 3_000 },
      maxBytesPerPartition: 4 * 1_048_576,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      log(`  tap: consumer crashed (${payload.error.message}); starting it again`);
      void consumer
        .disconnect()
        .catch(() => undefined)
        .then(async () => {
          await sleep(1_000);
          if (!this.stopped) await this.run();
        });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const key = `${batch.topic}:${batch.partition}`;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset >= (this.positions.get(key) ?? 0)) {
            this.index(batch.topic, batch.partition, message);
            this.positions.set(key, offset + 1);
          }
          resolveOffset(message.offset);
        }
        await heartbeat();
      },
    });
  }

  private index(topic: string, partition: number, message: KafkaMessage): void {
    const headers = textHeaders(message.headers);
    const seenAt = Date.now();
    const entry: Indexed = {
      topic,
      partition,
      offset: Number(message.offset),
      id: headers.ce_id,
      type: headers.ce_type,
      key: message.key?.toString() ?? '',
      seenAt,
      ...(headers.drill_marker ? { marker: headers.drill_marker } : {}),
    };
    this.all.push(entry);
    const counts = this.perTopic.get(topic) ?? { deliveries: 0, ids: new Set<string>() };
    counts.deliveries += 1;
    if (entry.id) counts.ids.add(entry.id);
    this.perTopic.set(topic, counts);
    if (topic.endsWith('.dlq')) {
      entry.dlq = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('dlq_')));
      this.dlq.push(entry);
      return;
    }
    // Messages the drills inject themselves are not the platform's record.
    if (headers.drill_marker) return;
    const samples = this.samples.get(topic) ?? [];
    if (samples.length < 40 && entry.id) {
      samples.push({ key: message.key, value: message.value, headers: { ...message.headers } });
      this.samples.set(topic, samples);
    }
    if (!entry.id) return;
    switch (entry.type) {
      case Events.needPosted.type: {
        const seen = this.needPosted.get(entry.key) ?? {
          ceIds: new Set<string>(),
          deliveries: 0,
          firstSeenAt: seenAt,
        };
        seen.ceIds.add(entry.id);
        seen.deliveries += 1;
        this.needPosted.set(entry.key, seen);
        break;
      }
      case Events.matchProposed.type: {
        const payload = matchmakingEventsV1.MatchProposed.decode(message.value ?? Buffer.alloc(0)).proposal;
        if (!payload) break;
        const seen = this.proposals.get(payload.id) ?? {
          proposalId: payload.id,
          needId: payload.needId,
          capabilityId: payload.capabilityId,
          ceIds: new Set<string>(),
          firstSeenAt: seenAt,
        };
        seen.ceIds.add(entry.id);
        this.proposals.set(payload.id, seen);
        break;
      }
      case Events.demandUnmet.type:
        this.demandUnmet.add(matchmakingEventsV1.DemandUnmet.decode(message.value ?? Buffer.alloc(0)).needId);
        break;
      case Events.offerPublished.type: {
        const ids = this.offerPublished.get(entry.key) ?? new Set<string>();
        ids.add(entry.id);
        this.offerPublished.set(entry.key, ids);
        break;
      }
      case Events.requestPosted.type:
        this.requestPosted.add(entry.key);
        break;
      default:
    }
  }

  /** Resolves once the tap has read every topic up to its end as of now (false on timeout). */
  async caughtUp(timeoutMs = 120_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let ends: { key: string; high: number }[] | undefined;
    while (!ends) {
      try {
        ends = (
          await Promise.all(
            this.topics.map(async (topic) =>
              (
                await this.admin.fetchTopicOffsets(topic)
              ).map((o) => ({
                key: `${topic}:${o.partition}`,
                high: Number(o.high),
              })),
            ),
          )
        ).flat();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
    const wanted = ends;
    const took = await waitFor(
      () => wanted.every(({ key, high }) => (this.positions.get(key) ?? 0) >= high),
      Math.max(1_000, deadline - Date.now()),
      100,
    );
    return took !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- consumer groups

export interface GroupLag {
  group: string;
  lag: number;
  /** Sum of committed offsets over its partitions (grows as it makes progress). */
  committed: number;
  members: number;
  byTopic: Record<string, number>;
}

const subscriptions = new Map<string, string[]>();

/** Lag of every platform consumer group (not the drills' own): end offsets minus committed offsets. */
export async function groupLags(admin: Admin): Promise<GroupLag[]> {
  const { groups } = await admin.listGroups();
  const ids = groups
    .map((g) => g.groupId)
    // Event streams and gateway read-cache invalidation read with groups of their own that never commit.
    .filter((id) => !id.startsWith('drills-') && !id.includes('.stream.') && !id.includes('.cache.'))
    .sort();
  if (ids.length === 0) return [];
  const described = await admin.describeGroups(ids);
  const ends = new Map<string, Map<number, { high: number; low: number }>>();
  const endsOf = async (topic: string) => {
    let map = ends.get(topic);
    if (!map) {
      map = new Map(
        (await admin.fetchTopicOffsets(topic)).map((o) => [
          o.partition,
          { high: Number(o.high), low: Number(o.low) },
        ]),
      );
      ends.set(topic, map);
    }
    return map;
  };
  const out: GroupLag[] = [];
  for (const group of described.groups) {
    const topics = new Set<string>(subscriptions.get(group.groupId) ?? []);
    for (const member of group.members) {
      try {
        const metadata = AssignerProtocol.MemberMetadata.decode(member.memberMetadata);
        for (const topic of metadata?.topics ?? []) topics.add(topic);
      } catch {
        // not a consumer-protocol member
      }
    }
    subscriptions.set(group.groupId, [...topics]);
    const committed =
      topics.size > 0 ? await admin.fetchOffsets({ groupId: group.groupId, topics: [...topics] }) : [];
    const byTopic: Record<string, number> = {};
    let lag = 0;
    let committedSum = 0;
    for (const { topic, partitions } of committed) {
      const end = await endsOf(topic);
      let topicLag = 0;
      for (const { partition, offset } of partitions) {
        const e = end.get(partition);
        if (!e) continue;
        const at = Number(offset) >= 0 ? Number(offset) : e.low;
        committedSum += Math.max(0, Number(offset));
        topicLag += Math.max(0, e.high - at);
      }
      byTopic[topic] = topicLag;
      lag += topicLag;
    }
    out.push({ group: group.groupId, lag, committed: committedSum, members: group.members.length, byTopic });
  }
  return out;
}

/** The committed offset of a group on one partition (-1 when none). */
export async function committedOffset(admin: Admin, groupId: string, topic: string, partition: number) {
  const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const found = answer?.partitions.find((p) => p.partition === partition);
  return found ? Number(found.offset) : -1;
}

export async function subscribedGroups(admin: Admin): Promise<Map<string, string[]>> {
  await groupLags(admin);
  return new Map(subscriptions);
}

// ---------------------------------------------------------------- producing raw messages

export async function rawProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  return producer;
}

/** Sends one message and answers where it landed. */
export async function sendOne(producer: Producer, topic: string, message: RawMessage) {
  const [meta] = await producer.send({ topic, acks: -1, messages: [message] });
  return { partition: meta?.partition ?? -1, offset: Number(meta?.baseOffset ?? -1) };
}
