import { randomUUID } from 'node:crypto';
import type { Logger } from '@lienket/platform';
import type { Response } from 'express';
import type { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { type EventFilter, matches, publicTopics, renderEvent } from '../events/public-events';
import { encodeCursor, type Positions } from './cursor';
import type { HubListener, PartitionRing, RingEntry, StreamHub } from './hub';

/** Where a new stream starts reading. */
export type StartFrom =
  | { kind: 'latest' }
  | { kind: 'cursor'; positions: Positions }
  | { kind: 'since'; time: Date };

export interface SessionOptions {
  kafka: Kafka;
  /** The shared admin client (start positions, lag checks). */
  admin: () => Promise<Admin>;
  topicPrefix: string;
  /** The process's one consumer for every session (see StreamHub). */
  hub: StreamHub;
  /**
   * Catch-up consumer group ids are `<groupPrefix>.stream.<uuid>`: a group of its own, never
   * committed, for a session that starts before what the hub holds.
   */
  groupPrefix: string;
  heartbeatMs: number;
  maxBuffered: number;
  retryMs: number;
  log: Logger;
  /** A session was cut off (metrics, tests). */
  onCutOff?: (reason: CutOffReason) => void;
}

/**
 * The position of a new stream in every partition of every existing public topic: from a cursor
 * (clamped to what the log still holds; partitions it does not name from their beginning), from a
 * timestamp, or at the current end.
 */
export async function startPositions(admin: Admin, topicPrefix: string, from: StartFrom): Promise<Positions> {
  const existing = new Set(await admin.listTopics());
  const topics = publicTopics.filter((topic) => existing.has(topicPrefix + topic));
  const positions: Positions = new Map();
  await Promise.all(
    topics.map(async (topic) => {
      const ends = await admin.fetchTopicOffsets(topicPrefix + topic);
      const byTime =
        from.kind === 'since'
          ? await admin.fetchTopicOffsetsByTimestamp(topicPrefix + topic, from.time.getTime())
          : [];
      const offsets: number[] = new Array(ends.length).fill(0);
      for (const { partition, low, high } of ends) {
        const lowest = Number(low);
        const highest = Number(high);
        let offset = highest;
        if (from.kind === 'cursor') offset = from.positions.get(topic)?.[partition] ?? lowest;
        else if (from.kind === 'since')
          offset = Number(byTime.find((o) => o.partition === partition)?.offset ?? highest);
        offsets[partition] = Math.min(Math.max(offset, lowest), highest);
      }
      positions.set(topic, offsets);
    }),
  );
  return positions;
}

/** Why a session was ended by the server. */
export type CutOffReason = 'buffered' | 'stalled' | 'evicted';

type Turn = 'done' | 'more' | 'blocked';

/** Entries a session takes from one partition before looking at the next (fairness across partitions). */
const ENTRIES_PER_TURN = 64;

/**
 * One client's stream, writing each public event that passes its filter as an SSE frame whose id
 * is the position vector just after it. It reads from the process's hub (the latest events of every
 * partition, one consumer for all sessions) whenever the hub holds everything from its positions on;
 * a session that starts further back (a `since`, an old cursor) first reads with a consumer of its
 * own (a fresh group that never commits) and moves to the hub as soon as the hub holds its positions.
 *
 * Back-pressure: a session writes until the socket's buffer is full, then waits for 'drain'; the hub
 * and every other session go on. A client that does not keep up is cut off (it resumes with its last
 * id): when more than `maxBuffered` events wait unflushed in the socket, when its socket has not
 * drained for a whole heartbeat interval while more than `maxBuffered` events wait for it, or when
 * the hub's ring has dropped events it has not read yet.
 */
export class StreamSession implements HubListener {
  private readonly topics: string[];
  private mode: 'starting' | 'catch-up' | 'hub' = 'starting';
  private consumer: Consumer | undefined;
  /** The catch-up consumer leaving after the move to the hub. */
  private leaving: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Events written to the socket and not yet flushed. */
  private pending = 0;
  private stalledSince: number | undefined;
  private checking = false;
  private lastId: string;
  private stopping: Promise<void> | undefined;
  private readonly log: Logger;
  private markStopped: () => void = () => undefined;
  /** Resolves once the stream has ended and its consumer (if it had one) is gone. */
  readonly stopped = new Promise<void>((resolve) => {
    this.markStopped = resolve;
  });

  constructor(
    private readonly options: SessionOptions,
    private readonly response: Response,
    private readonly filter: EventFilter,
    private readonly positions: Positions,
  ) {
    this.topics = [...positions.keys()];
    this.lastId = encodeCursor(positions);
    this.log = options.log.child({ component: 'stream' });
  }

  get closed() {
    return this.stopping !== undefined;
  }

  /** Whether this session reads from the hub (else from a consumer of its own, or not yet). */
  get onHub() {
    return this.mode === 'hub';
  }

  /** Sends the headers and the opening frame, then starts reading; resolves once reading runs. */
  async start(): Promise<void> {
    const response = this.response;
    response.on('close', () => void this.stop());
    if (response.destroyed || !response.socket || response.socket.destroyed) {
      await this.stop(); // the client left while the stream was being prepared
      return;
    }
    response.status(200);
    response.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    response.socket?.setNoDelay(true);
    response.socket?.setTimeout(0);
    response.flushHeaders();
    // The start position as the first id: a client that loses the connection before any event resumes here.
    response.write(`retry: ${this.options.retryMs}\nid: ${this.lastId}\n\n`);
    this.heartbeat = setInterval(() => this.tick(), this.options.heartbeatMs);
    if (this.options.hub.covers(this.positions)) this.attachToHub();
    else await this.catchUp();
  }

  /** Ends the stream (idempotent): closes the response, leaves the hub, disconnects its consumer. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.heartbeat);
      this.options.hub.detach(this);
      const response = this.response;
      if (!response.destroyed) {
        // A socket that does not drain would hold end() back forever.
        if (response.writableNeedDrain) response.destroy();
        else response.end();
      }
      await this.consumer?.disconnect().catch(() => undefined);
      await this.leaving;
      this.markStopped();
    })();
    return this.stopping;
  }

  // --- reading from the hub -------------------------------------------------------------------------

  private attachToHub() {
    this.mode = 'hub';
    this.options.hub.attach(this);
    this.pump();
  }

  /** The hub appended events to one partition's ring. */
  wake(topic: string, partition: number, ring: PartitionRing): void {
    if (this.mode !== 'hub' || this.closed || this.stalledSince !== undefined) return;
    let turn: Turn = 'more';
    while (turn === 'more') turn = this.pumpPartition(topic, partition, ring);
  }

  /** Writes what the hub holds past this session's positions, until the socket's buffer is full. */
  private pump() {
    if (this.mode !== 'hub' || this.closed || this.stalledSince !== undefined) return;
    let more = true;
    while (more) {
      more = false;
      for (const [topic, partition, ring] of this.options.hub.partitions()) {
        const turn = this.pumpPartition(topic, partition, ring);
        if (turn === 'blocked') return;
        if (turn === 'more') more = true;
      }
    }
  }

  /** Up to ENTRIES_PER_TURN entries of one partition; 'blocked' when the socket is full or the session ended. */
  private pumpPartition(topic: string, partition: number, ring: PartitionRing): Turn {
    const offsets = this.offsetsOf(topic, partition);
    const position = offsets[partition] ?? 0;
    if (position < ring.base) {
      this.cutOff('evicted', ring.next - position);
      return 'blocked';
    }
    let index = ring.indexFrom(position);
    const last = Math.min(ring.end, index + ENTRIES_PER_TURN);
    for (; index < last; index += 1) {
      const entry = ring.at(index) as RingEntry;
      offsets[partition] = entry.offset + 1;
      if (!this.passes(entry)) continue;
      const flushed = this.write(entry);
      if (this.closed) return 'blocked';
      if (!flushed) {
        this.waitForDrain();
        return 'blocked';
      }
    }
    return index < ring.end ? 'more' : 'done';
  }

  private waitForDrain() {
    this.stalledSince = Date.now();
    this.response.once('drain', () => {
      this.stalledSince = undefined;
      this.pump();
    });
  }

  // --- reading with a consumer of its own, until the hub holds its positions -------------------------

  private async catchUp(): Promise<void> {
    this.mode = 'catch-up';
    const groupId = `${this.options.groupPrefix}.stream.${randomUUID()}`;
    const { topicPrefix } = this.options;
    const consumer = this.options.kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 250,
      maxBytes: 5 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    // Every (re)assignment positions each partition where this stream stands; a partition it does not
    // know (added since it started) is read from the beginning (fromBeginning below).
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        const offsets = this.positions.get(topic.slice(topicPrefix.length));
        for (const partition of partitions) {
          const offset = offsets?.[partition];
          if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
        }
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.closed || this.mode !== 'catch-up') return;
      this.log.warn({ err: payload.error, groupId }, 'stream consumer crashed; ending the stream');
      void this.stop();
    });
    const leftBehind = () => this.closed || this.mode !== 'catch-up';
    try {
      await consumer.connect();
      if (leftBehind()) return;
      if (this.topics.length > 0) {
        await consumer.subscribe({ topics: this.topics.map((t) => topicPrefix + t), fromBeginning: true });
        if (leftBehind()) return;
        await consumer.run({ autoCommit: false, eachMessage: (payload) => this.onMessage(payload) });
      }
    } catch (error) {
      if (!leftBehind()) {
        this.log.warn({ err: error, groupId }, 'stream consumer failed to start; ending the stream');
        void this.stop();
      }
    } finally {
      // stop() or the move to the hub may have come while connecting or joining: leave nothing behind.
      if (leftBehind()) await consumer.disconnect().catch(() => undefined);
    }
  }

  /** Moves to the hub once it holds everything from this session's positions on. */
  private moveToHubIfCovered() {
    if (this.mode !== 'catch-up' || this.closed || !this.options.hub.covers(this.positions)) return;
    const consumer = this.consumer;
    this.consumer = undefined;
    this.attachToHub();
    this.leaving = consumer?.disconnect().catch(() => undefined);
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    if (this.closed || this.mode !== 'catch-up') return;
    const name = topic.slice(this.options.topicPrefix.length);
    const offsets = this.offsetsOf(name, partition);
    const offset = Number(message.offset);
    const current = offsets[partition];
    if (current !== undefined && offset < current) return; // already read (a redelivery after a rebalance)
    offsets[partition] = offset + 1;
    // Filtered-out and unreadable events move the position too: a resumed stream never reads them again.
    const rendered = renderEvent(message);
    if (rendered) {
      const entry: RingEntry = {
        offset,
        type: rendered.event.type,
        facts: rendered.facts,
        data: JSON.stringify(rendered.event),
      };
      if (this.passes(entry) && !this.write(entry)) await this.drained(heartbeat);
    }
    this.moveToHubIfCovered();
  }

  /** Waits until the socket drains or closes, keeping the consumer's group membership alive meanwhile. */
  private async drained(kafkaHeartbeat: () => Promise<void>): Promise<void> {
    if (this.closed || this.response.destroyed) return;
    this.stalledSince = Date.now();
    try {
      await new Promise<void>((resolve) => {
        const beat = setInterval(() => void kafkaHeartbeat().catch(() => undefined), 1_000);
        const done = () => {
          clearInterval(beat);
          this.response.off('drain', done);
          this.response.off('close', done);
          resolve();
        };
        this.response.on('drain', done);
        this.response.on('close', done);
      });
    } finally {
      this.stalledSince = undefined;
    }
  }

  // --- shared ---------------------------------------------------------------------------------------

  /** This session's offsets of `topic`, long enough to hold `partition`. */
  private offsetsOf(topic: string, partition: number): number[] {
    let offsets = this.positions.get(topic);
    if (!offsets) {
      offsets = [];
      this.positions.set(topic, offsets);
    }
    for (let p = offsets.length; p < partition; p += 1) offsets[p] = 0;
    return offsets;
  }

  private passes(entry: RingEntry): boolean {
    return (
      entry.type !== undefined && entry.facts !== undefined && matches(this.filter, entry.type, entry.facts)
    );
  }

  /** Writes one event frame; false when the socket's buffer is full (wait for 'drain'). */
  private write(entry: RingEntry): boolean {
    const id = encodeCursor(this.positions);
    this.lastId = id;
    this.pending += 1;
    const flushed = this.response.write(`id: ${id}\nevent: ${entry.type}\ndata: ${entry.data}\n\n`, () => {
      this.pending -= 1;
    });
    if (this.pending > this.options.maxBuffered) {
      this.cutOff('buffered', this.pending);
      return false;
    }
    return flushed;
  }

  private tick() {
    if (this.closed) return;
    if (this.stalledSince !== undefined) {
      if (Date.now() - this.stalledSince >= this.options.heartbeatMs) void this.checkLag();
      return;
    }
    if (this.mode === 'catch-up') this.moveToHubIfCovered();
    if (this.response.writableNeedDrain) return;
    // With the heartbeat, the position if filtered-out events moved it: a resume skips them too.
    const id = encodeCursor(this.positions);
    const idLine = id === this.lastId ? '' : `id: ${id}\n`;
    this.lastId = id;
    this.response.write(`: heartbeat ${new Date().toISOString()}\n${idLine}\n`);
  }

  /** A client whose socket has not drained for a heartbeat interval: how far behind the log is it? */
  private async checkLag() {
    if (this.checking) return;
    this.checking = true;
    const stall = this.stalledSince;
    try {
      let behind = this.pending;
      if (this.mode === 'hub') {
        for (const [topic, partition, ring] of this.options.hub.partitions()) {
          const position = this.positions.get(topic)?.[partition] ?? 0;
          if (position < ring.base) {
            this.cutOff('evicted', ring.next - position);
            return;
          }
          behind += Math.max(0, ring.next - position);
        }
      } else {
        const admin = await this.options.admin();
        for (const topic of this.topics) {
          const ends = await admin.fetchTopicOffsets(this.options.topicPrefix + topic);
          const offsets = this.positions.get(topic) ?? [];
          for (const { partition, low, high } of ends)
            behind += Math.max(0, Number(high) - Math.max(offsets[partition] ?? 0, Number(low)));
          if (behind > this.options.maxBuffered) break;
        }
      }
      // Still the same stall (the socket may have drained while the log was asked).
      if (
        stall !== undefined &&
        this.stalledSince === stall &&
        !this.closed &&
        behind > this.options.maxBuffered
      )
        this.cutOff('stalled', behind);
    } catch (error) {
      this.log.warn({ err: error }, 'could not measure how far a stalled stream is behind');
    } finally {
      this.checking = false;
    }
  }

  private cutOff(reason: CutOffReason, behind: number) {
    if (this.closed) return;
    this.log.info(
      { reason, behind, limit: this.options.maxBuffered },
      'stream client too far behind; cut off',
    );
    this.options.onCutOff?.(reason);
    const response = this.response;
    if (!response.writableNeedDrain) {
      // Everything written reaches the client; it says why, and when to come back with its last id.
      response.write(`: cut off (${reason}): resume with Last-Event-ID\nretry: ${this.options.retryMs}\n\n`);
      void this.stop();
      return;
    }
    // Whatever sits unflushed is dropped: the client resumes from the last event it received whole.
    response.destroy();
    void this.stop();
  }
}
