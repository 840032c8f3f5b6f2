/**
 * A small Server-Sent Events client for Node (tests, benchmarks): opens and follows the gateway's event
 * stream, resuming after the last event id; the format itself is parsed by @lienket/api-client.
 */
import { createEventStreamParser, type EventStreamParser, type StreamEvent } from '@lienket/api-client';

/** One dispatched event. */
export type SseEvent = StreamEvent;

/** What one chunk of the stream produced, in order. */
export type SseItem =
  | { kind: 'event'; event: SseEvent }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number }
  /** An id that came without data (LienKet sends one with a heartbeat when filtered-out events moved the cursor). */
  | { kind: 'id'; id: string };

/** Incremental parser (eventsource-parser, through @lienket/api-client): feed decoded text, get the items it completed. */
export class SseParser {
  private items: SseItem[] = [];
  private readonly parser: EventStreamParser;

  constructor(lastEventId?: string) {
    this.parser = createEventStreamParser(
      {
        onEvent: (event) => this.items.push({ kind: 'event', event }),
        onComment: (text) => this.items.push({ kind: 'comment', text }),
        onRetry: (ms) => this.items.push({ kind: 'retry', ms }),
        onId: (id) => this.items.push({ kind: 'id', id }),
      },
      lastEventId,
    );
  }

  /** The last event id seen so far, as EventSource keeps it for reconnecting. */
  get lastEventId(): string | undefined {
    return this.parser.lastEventId;
  }

  push(text: string): SseItem[] {
    this.parser.feed(text);
    const items = this.items;
    this.items = [];
    return items;
  }
}

export interface EventStreamOptions {
  /** Bearer token. */
  token?: string;
  /** Resume after this event (sent as Last-Event-ID). */
  lastEventId?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** The server refused the stream (an RFC 9457 problem when it sent one). */
export class EventStreamError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    const detail =
      problem && typeof problem === 'object' && 'detail' in problem
        ? String(problem.detail)
        : `HTTP ${status}`;
    super(`The event stream was refused: ${detail}`);
    this.name = 'EventStreamError';
  }
}

/** An open stream: iterate its items; `parser.lastEventId` is where to resume. */
export interface EventStream extends AsyncIterable<SseItem> {
  readonly response: Response;
  readonly parser: SseParser;
  close(): void;
}

/** Opens one connection; rejects with EventStreamError when the server answers other than 200. */
export async function openEventStream(
  url: string | URL,
  options: EventStreamOptions = {},
): Promise<EventStream> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status !== 200 || !response.body) {
    const text = await response.text().catch(() => '');
    let problem: unknown = text;
    try {
      problem = JSON.parse(text);
    } catch {}
    options.signal?.removeEventListener('abort', abort);
    throw new EventStreamError(response.status, problem);
  }
  const body = response.body;
  const parser = new SseParser(options.lastEventId);
  return {
    response,
    parser,
    close: abort,
    async *[Symbol.asyncIterator]() {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of body) {
          for (const item of parser.push(decoder.decode(chunk, { stream: true }))) yield item;
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      } finally {
        options.signal?.removeEventListener('abort', abort);
        controller.abort();
      }
    },
  };
}

export interface FollowOptions extends EventStreamOptions {
  /** Reconnect (resuming from the last id) when the stream ends or breaks; default true. */
  reconnect?: boolean;
  /** Called for heartbeats and other comments. */
  onComment?: (text: string) => void;
  /** Called each time a connection is open (the server has positioned the stream). */
  onOpen?: (response: Response) => void;
  /** Called when a connection was lost and is about to be retried after `delayMs`. */
  onReconnect?: (error: unknown, delayMs: number) => void;
}

/**
 * Yields the events of a stream, following it across disconnections: it reconnects after the delay
 * the server asked for (`retry:`), resuming from the last id it saw. A refusal (4xx) is thrown.
 */
export async function* followEvents(
  url: string | URL,
  options: FollowOptions = {},
): AsyncGenerator<SseEvent> {
  let lastEventId = options.lastEventId;
  let retryMs = 3_000;
  for (;;) {
    let failure: unknown;
    try {
      const stream = await openEventStream(url, { ...options, ...(lastEventId ? { lastEventId } : {}) });
      options.onOpen?.(stream.response);
      for await (const item of stream) {
        if (item.kind === 'event') yield item.event;
        else if (item.kind === 'comment') options.onComment?.(item.text);
        else if (item.kind === 'retry') retryMs = item.ms;
        lastEventId = stream.parser.lastEventId;
      }
    } catch (error) {
      if (error instanceof EventStreamError && error.status < 500 && error.status !== 429) throw error;
      if (options.signal?.aborted) return;
      failure = error;
    }
    if (options.signal?.aborted || options.reconnect === false) {
      if (failure) throw failure;
      return;
    }
    options.onReconnect?.(failure, retryMs);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, retryMs);
      options.signal?.addEventListener('abort', done, { once: true });
    });
    if (options.signal?.aborted) return;
  }
}
