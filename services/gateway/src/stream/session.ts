import { randomUUID } from 'node:crypto';
import type { Logger } from '@lienket/platform';
import type { Response } from 'express';
import type { Admin, Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { type EventFilter, matches, publicTopics, renderEvent } from '../events/public-events';
import { encodeCursor, type Positions } from './cursor';

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
  /** Consumer group ids are `<groupPrefix>.stream.<uuid>`: one group, never committed, per connection. */
  groupPrefix: string;
  heartbeatMs: number;
  maxBuffered: number;
  retryMs: number;
  log: Logger;
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

/**
 * One client's stream: its own consumer (a fresh group that never commits) positioned at `positions`,
 * writing each public event that passes the filter as an SSE frame whose id is the position vector
 * just after it. Back-pressure: the message handler awaits the socket's 'drain', so the consumer stops
 * fetching while the client is behind. A client that does not keep up is cut off (it resumes with its
 * last id): when more than `maxBuffered` events wait unflushed in the socket, or when its socket has
 * not drained for a whole heartbeat interval while more than `maxBuffered` events wait for it.
 */
export class StreamSession {
  readonly groupId: string;
  private readonly topics: string[];
  private consumer: Consumer | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Events written to the socket and not yet flushed. */
  private pending = 0;
  private stalledSince: number | undefined;
  private checking = false;
  private lastId: string;
  private stopping: Promise<void> | undefined;
  private readonly log: Logger;
  private markStopped: () => void = () => undefined;
  /** Resolves once the stream has ended and its consumer is gone. */
  readonly stopped = new Promise<void>((resolve) => {
    this.markStopped = resolve;
  });

  constructor(
    private readonly options: SessionOptions,
    private readonly response: Response,
    private readonly filter: EventFilter,
    private readonly positions: Positions,
  ) {
    this.groupId = `${options.groupPrefix}.stream.${randomUUID()}`;
    this.topics = [...positions.keys()];
    this.lastId = encodeCursor(positions);
    this.log = options.log.child({ component: 'stream', groupId: this.groupId });
  }

  get closed() {
    return this.stopping !== undefined;
  }

  /** Sends the headers and the opening frame, then starts reading; resolves once the consumer runs. */
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

    const { topicPrefix } = this.options;
    const consumer = this.options.kafka.consumer({
      groupId: this.groupId,
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
      if (this.closed) return;
      this.log.warn({ err: payload.error }, 'stream consumer crashed; ending the stream');
      void this.stop();
    });
    try {
      await consumer.connect();
      if (this.closed) return;
      if (this.topics.length > 0) {
        await consumer.subscribe({ topics: this.topics.map((t) => topicPrefix + t), fromBeginning: true });
        if (this.closed) return;
        await consumer.run({ autoCommit: false, eachMessage: (payload) => this.onMessage(payload) });
      }
    } catch (error) {
      if (!this.closed) this.log.warn({ err: error }, 'stream consumer failed to start; ending the stream');
      void this.stop();
    } finally {
      // stop() may have run while connecting or joining: make sure nothing is left behind.
      if (this.closed) await consumer.disconnect().catch(() => undefined);
    }
  }

  /** Ends the stream (idempotent): closes the response and disconnects the consumer. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.heartbeat);
      const response = this.response;
      if (!response.destroyed) {
        // A socket that does not drain would hold end() back forever.
        if (response.writableNeedDrain) response.destroy();
        else response.end();
      }
      await this.consumer?.disconnect().catch(() => undefined);
      this.markStopped();
    })();
    return this.stopping;
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    if (this.closed) return;
    const name = topic.slice(this.options.topicPrefix.length);
    let offsets = this.positions.get(name);
    if (!offsets) {
      offsets = [];
      this.positions.set(name, offsets);
    }
    const offset = Number(message.offset);
    const current = offsets[partition];
    if (current !== undefined && offset < current) return; // already read (a redelivery after a rebalance)
    for (let p = offsets.length; p < partition; p += 1) offsets[p] = 0;
    offsets[partition] = offset + 1;
    // Filtered-out and unreadable events move the position too: a resumed stream never reads them again.
    const rendered = renderEvent(message);
    if (!rendered || !matches(this.filter, rendered.event.type, rendered.facts)) return;
    const id = encodeCursor(this.positions);
    this.lastId = id;
    await this.send(
      `id: ${id}\nevent: ${rendered.event.type}\ndata: ${JSON.stringify(rendered.event)}\n\n`,
      heartbeat,
    );
  }

  private async send(frame: string, kafkaHeartbeat: () => Promise<void>): Promise<void> {
    this.pending += 1;
    const flushed = this.response.write(frame, () => {
      this.pending -= 1;
    });
    if (this.pending > this.options.maxBuffered) {
      this.cutOff('buffered', this.pending);
      return;
    }
    if (!flushed) await this.drained(kafkaHeartbeat);
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

  private tick() {
    if (this.closed) return;
    if (this.stalledSince !== undefined) {
      if (Date.now() - this.stalledSince >= this.options.heartbeatMs) void this.checkLag();
      return;
    }
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
      const admin = await this.options.admin();
      let behind = this.pending;
      for (const topic of this.topics) {
        const ends = await admin.fetchTopicOffsets(this.options.topicPrefix + topic);
        const offsets = this.positions.get(topic) ?? [];
        for (const { partition, low, high } of ends)
          behind += Math.max(0, Number(high) - Math.max(offsets[partition] ?? 0, Number(low)));
        if (behind > this.options.maxBuffered) break;
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

  private cutOff(reason: 'buffered' | 'stalled', behind: number) {
    this.log.info(
      { reason, behind, limit: this.options.maxBuffered },
      'stream client too far behind; cut off',
    );
    // Whatever sits unflushed is dropped: the client resumes from the last event it received whole.
    this.response.destroy();
    void this.stop();
  }
}
