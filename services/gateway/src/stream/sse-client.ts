/**
 * A small Server-Sent Events client for Node (the `lienket tail` command, tests): parses the
 * text/event-stream format as the WHATWG HTML standard describes it and follows the last event id.
 */

/** One dispatched event. */
export interface SseEvent {
  /** The last event id when the event was dispatched (the stream cursor, for LienKet). */
  id: string | undefined;
  /** The event type (`message` when the server named none). */
  event: string;
  data: string;
}

/** What one chunk of the stream produced, in order. */
export type SseItem =
  | { kind: 'event'; event: SseEvent }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number }
  /** An id that came without data (LienKet sends one with a heartbeat when filtered-out events moved the cursor). */
  | { kind: 'id'; id: string };

/** Incremental parser: feed decoded text, get the items completed by it. */
export class SseParser {
  /** The last event id seen so far, as EventSource keeps it for reconnecting. */
  lastEventId: string | undefined;
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private pendingId: string | undefined;
  private idChanged = false;

  constructor(lastEventId?: string) {
    this.lastEventId = lastEventId;
    this.pendingId = lastEventId;
  }

  push(text: string): SseItem[] {
    this.buffer += text;
    const items: SseItem[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A lone CR at the very end may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line, items);
    }
    return items;
  }

  private line(line: string, items: SseItem[]) {
    if (line === '') {
      this.dispatch(items);
      return;
    }
    if (line.startsWith(':')) {
      items.push({ kind: 'comment', text: line.slice(1).replace(/^ /, '') });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id') {
      if (!value.includes('\0')) {
        this.pendingId = value;
        this.idChanged = true;
      }
    } else if (field === 'retry' && /^[0-9]+$/.test(value)) items.push({ kind: 'retry', ms: Number(value) });
  }

  private dispatch(items: SseItem[]) {
    this.lastEventId = this.pendingId;
    const changed = this.idChanged;
    this.idChanged = false;
    if (this.data.length === 0) {
      this.type = '';
      if (changed && this.lastEventId !== undefined) items.push({ kind: 'id', id: this.lastEventId });
      return;
    }
    items.push({
      kind: 'event',
      event: { id: this.lastEventId, event: this.type || 'message', data: this.data.join('\n') },
    });
    this.data = [];
    this.type = '';
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
