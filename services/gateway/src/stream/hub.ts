import { randomUUID } from 'node:crypto';
import type { Logger } from '@lienket/platform';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { type EventFacts, renderEvent } from '../events/public-events';

/** One public event as every stream session needs it: rendered once, filtered and framed per session. */
export interface RingEntry {
  offset: number;
  /** Absent for a message that is no public event (it still moves positions). */
  type?: string;
  facts?: EventFacts;
  /** The CloudEvent as JSON, the frame's `data`. */
  data?: string;
}

/**
 * The latest events of one partition, oldest first: every offset from `base` (inclusive) up to
 * `next` (exclusive) that the log holds is here.
 */
export class PartitionRing {
  private entries: RingEntry[] = [];
  private head = 0;
  bytes = 0;

  constructor(
    public base: number,
    public next: number,
  ) {}

  get size(): number {
    return this.entries.length - this.head;
  }

  append(entry: RingEntry): void {
    this.entries.push(entry);
    this.next = entry.offset + 1;
    this.bytes += entryBytes(entry);
  }

  /** Drops the oldest entry; `base` moves past it. */
  evict(): void {
    const oldest = this.entries[this.head];
    if (!oldest) return;
    this.head += 1;
    this.bytes -= entryBytes(oldest);
    this.base = oldest.offset + 1;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Index (for `at`) of the first entry at or after `offset`. */
  indexFrom(offset: number): number {
    let low = this.head;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle] as RingEntry).offset < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  at(index: number): RingEntry | undefined {
    return this.entries[index];
  }

  get end(): number {
    return this.entries.length;
  }
}

const entryBytes = (entry: RingEntry) => 64 + (entry.data?.length ?? 0);

/** A session reading from the hub. */
export interface HubListener {
  /** New entries were appended to this partition's ring. */
  wake(topic: string, partition: number, ring: PartitionRing): void;
}

export interface StreamHubOptions {
  kafka: Kafka;
  /** Unprefixed public topics. */
  topics: readonly string[];
  topicPrefix: string;
  /** The hub's group is `<groupPrefix>.stream.<uuid>`: its own, never committed. */
  groupPrefix: string;
  /** Entries kept per partition at most. */
  maxEntriesPerPartition: number;
  /** Bytes (roughly, of the rendered events) kept over all partitions at most. */
  maxBytes: number;
  log: Logger;
  /** Runs before each start (creating the topics). */
  prepare?: () => Promise<void>;
  restartMs?: number;
}

export interface StreamHubStats {
  /** Kafka messages read by the hub. */
  messages: number;
  /** Sessions reading from the hub now. */
  listeners: number;
}

/**
 * One Kafka consumer per gateway process for every stream session: it reads every public topic from
 * the end it found at start (a group of its own that never commits, like the read cache's), renders
 * each event once and keeps the latest of each partition in a bounded ring. Sessions read the ring
 * from their own positions and apply their own filters, so a session costs no consumer, no group and
 * no render; a slow one holds back nobody but itself, and one whose position leaves the ring is cut
 * off (it resumes by its cursor, from Kafka if the ring no longer holds it).
 */
export class StreamHub {
  readonly groupId: string;
  readonly stats: StreamHubStats = { messages: 0, listeners: 0 };
  private readonly rings = new Map<string, PartitionRing[]>();
  private readonly listeners = new Set<HubListener>();
  private consumer: Consumer | undefined;
  private joined = false;
  private stopping = false;
  private restart: NodeJS.Timeout | undefined;
  private totalBytes = 0;
  private markStopped: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.markStopped = resolve;
  });
  private partitionCount = 0;

  constructor(private readonly options: StreamHubOptions) {
    this.groupId = `${options.groupPrefix}.stream.${randomUUID()}`;
  }

  /** Whether the hub has positioned itself: from then on it holds every event from each ring's base. */
  get live(): boolean {
    return this.joined;
  }

  ring(topic: string, partition: number): PartitionRing | undefined {
    return this.rings.get(topic)?.[partition];
  }

  /** Every (topic, partition) the hub reads, with its ring. */
  *partitions(): Generator<[string, number, PartitionRing]> {
    for (const [topic, rings] of this.rings)
      for (let partition = 0; partition < rings.length; partition += 1) {
        const ring = rings[partition];
        if (ring) yield [topic, partition, ring];
      }
  }

  /**
   * Whether a session at `positions` can read on from the rings: the hub is live and no position is
   * below its ring's base (a partition the positions do not name counts as its beginning).
   */
  covers(positions: Map<string, number[]>): boolean {
    if (!this.joined) return false;
    for (const [topic, partition, ring] of this.partitions())
      if ((positions.get(topic)?.[partition] ?? 0) < ring.base) return false;
    return true;
  }

  attach(listener: HubListener): void {
    this.listeners.add(listener);
    this.stats.listeners = this.listeners.size;
  }

  detach(listener: HubListener): void {
    this.listeners.delete(listener);
    this.stats.listeners = this.listeners.size;
  }

  /**
   * Starts reading; resolves once the consumer has joined and positioned every partition. A start
   * that fails is tried again (after `restartMs`) until stopped; sessions meanwhile read on their own.
   */
  async start(): Promise<void> {
    await this.launch().catch((error: unknown) => {
      if (this.stopping) return;
      this.options.log.warn({ err: error }, 'stream hub could not start; trying again');
      this.scheduleRestart();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.markStopped();
    this.joined = false;
    if (this.restart) clearTimeout(this.restart);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async launch(): Promise<void> {
    const { kafka, topicPrefix, log } = this.options;
    const topics = this.options.topics.map((t) => topicPrefix + t);
    await this.options.prepare?.();
    if (this.stopping) return;
    // Where each partition ends now: the rings of partitions the hub does not read yet start there.
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map<string, Map<number, number>>();
    try {
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsets(topic);
        ends.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      }
    } finally {
      await admin.disconnect();
    }
    if (this.stopping) return;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      maxBytes: 10 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: { retries: 5 },
    });
    this.consumer = consumer;
    let firstJoin: () => void = () => undefined;
    const joined = new Promise<void>((resolve) => {
      firstJoin = resolve;
    });
    // Every (re)assignment: a partition already read goes on where its ring ends; a new one starts
    // at the end found above, or at its beginning if it appeared since (all of it is new).
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [prefixed, partitions] of Object.entries(payload.memberAssignment)) {
        const topic = prefixed.slice(topicPrefix.length);
        let rings = this.rings.get(topic);
        if (!rings) {
          rings = [];
          this.rings.set(topic, rings);
        }
        for (const partition of partitions) {
          let ring = rings[partition];
          if (!ring) {
            const start = ends.get(prefixed)?.get(partition) ?? 0;
            ring = new PartitionRing(start, start);
            rings[partition] = ring;
            this.partitionCount += 1;
          }
          consumer.seek({ topic: prefixed, partition, offset: String(ring.next) });
        }
      }
      this.joined = true;
      firstJoin();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping || payload.restart) return;
      log.warn({ err: payload.error, groupId: this.groupId }, 'stream hub consumer stopped; starting again');
      this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: false });
    if (this.stopping) {
      await consumer.disconnect();
      return;
    }
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const topic = batch.topic.slice(topicPrefix.length);
        const ring = this.ring(topic, batch.partition);
        if (!ring) return;
        // In steps of half a ring, so that a session keeping up never sees its position evicted.
        const step = Math.max(1, Math.floor(this.options.maxEntriesPerPartition / 2));
        for (let from = 0; from < batch.messages.length; from += step) {
          for (const message of batch.messages.slice(from, from + step)) this.append(ring, message);
          for (const listener of this.listeners) listener.wake(topic, batch.partition, ring);
        }
        await heartbeat();
      },
    });
    await Promise.race([joined, this.stopped]);
    if (this.stopping) {
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    log.info({ groupId: this.groupId, topics: topics.length }, 'stream hub reading');
  }

  private append(ring: PartitionRing, message: KafkaMessage) {
    const offset = Number(message.offset);
    if (offset < ring.next) return; // already read (a fetch after a rebalance)
    this.stats.messages += 1;
    const rendered = renderEvent(message);
    const entry: RingEntry = rendered
      ? { offset, type: rendered.event.type, facts: rendered.facts, data: JSON.stringify(rendered.event) }
      : { offset };
    const before = ring.bytes;
    ring.append(entry);
    this.totalBytes += ring.bytes - before;
    // Each partition keeps at most its share of the byte budget, and its entry limit.
    const share = this.options.maxBytes / Math.max(1, this.partitionCount);
    while (ring.size > 1 && (ring.size > this.options.maxEntriesPerPartition || ring.bytes > share)) {
      const bytes = ring.bytes;
      ring.evict();
      this.totalBytes -= bytes - ring.bytes;
    }
  }

  private scheduleRestart() {
    this.joined = false;
    this.restart = setTimeout(() => {
      void (async () => {
        if (this.stopping) return;
        await this.consumer?.disconnect().catch(() => undefined);
        await this.start();
      })();
    }, this.options.restartMs ?? 5_000);
    this.restart.unref();
  }
}
