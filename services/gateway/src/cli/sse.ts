/** One server-sent event, as the HTML Living Standard's EventSource would dispatch it. */
export interface SseEvent {
  /** `event:` field; `message` when absent. */
  type: string;
  /** `data:` lines joined with newlines. */
  data: string;
  /** The last event id in force when it was dispatched (`id:` of this or an earlier event). */
  id: string;
}

/**
 * Incremental `text/event-stream` parser: feed it text in any chunks; it returns the events each
 * chunk completes. Follows the standard's rules: CRLF, CR or LF line ends (also split across
 * chunks), `:` comments, one optional space after the colon, multi-line data, ids without NUL,
 * numeric `retry`, a leading BOM, and no event for a block without data.
 */
export class SseParser {
  /** The id a reconnection resumes after (`Last-Event-ID`). */
  lastEventId: string;
  /** The reconnection delay the server asked for (`retry:`), in ms. */
  retry: number | undefined;
  private buffer = '';
  private skipLineFeed = false;
  private started = false;
  private data: string[] = [];
  private eventType = '';
  private idBuffer: string;

  constructor(
    lastEventId = '',
    private readonly onComment?: (text: string) => void,
  ) {
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipLineFeed && text.startsWith('\n')) text = text.slice(1);
    this.skipLineFeed = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i += 1) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      const line = this.buffer.slice(start, i);
      if (c === '\r') {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === '\n') i += 1;
        } else {
          this.skipLineFeed = true; // a CRLF may be split across chunks
        }
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** End of stream: an incomplete event is dropped, as the standard says. */
  end(): SseEvent[] {
    this.buffer = '';
    this.data = [];
    this.eventType = '';
    return [];
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.onComment?.(line.slice(1).trimStart());
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    this.lastEventId = this.idBuffer;
    if (this.data.length === 0) {
      this.eventType = '';
      return undefined;
    }
    const event = { type: this.eventType || 'message', data: this.data.join('\n'), id: this.lastEventId };
    this.data = [];
    this.eventType = '';
    return event;
  }
}

/** The gateway answered with an error that reconnecting will not fix. */
export class StreamRefused extends Error {
  constructor(
    readonly status: number,
    readonly response: Response,
  ) {
    super(`the event stream answered ${status}`);
    this.name = 'StreamRefused';
  }
}

export interface FollowOptions {
  /** The stream's URL; given the id to resume after once there is one. */
  urlFor: (lastEventId: string | undefined) => string;
  headers: Record<string, string>;
  onEvent: (event: SseEvent) => void;
  /** Notices for people (disconnects, reconnects), not events. */
  onNotice?: (message: string) => void;
  lastEventId?: string;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Reconnect when nothing (not even a heartbeat) arrives this long. */
  idleTimeoutMs?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many failed connection attempts in a row (default: never). */
  maxAttempts?: number;
}

/** Statuses worth retrying: the gateway or a service in front of it is busy or restarting. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Delay before reconnection attempt `failures` (1-based): exponential from the base, capped, ±20 % jitter. */
export function reconnectDelay(
  failures: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const base = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Follows an event stream until `signal` aborts: reconnects after a disconnect, a silence longer
 * than `idleTimeoutMs` or a retryable status, sending `Last-Event-ID` so no event is lost or
 * repeated. Throws StreamRefused for an answer reconnecting cannot fix (400, 401, 403, 404…).
 * Returns the last event id seen.
 */
export async function followStream(options: FollowOptions): Promise<string | undefined> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? abortableSleep;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let baseDelayMs = options.initialDelayMs ?? 1_000;
  let lastEventId = options.lastEventId || undefined;
  let failures = 0;
  let reconnecting = false;
  const stopped = () => options.signal?.aborted === true;

  while (!stopped()) {
    const connection = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    // Aborting fetch ends a body being read too; cancelling the reader makes sure of it.
    connection.signal.addEventListener('abort', () => reader?.cancel().catch(() => undefined), {
      once: true,
    });
    const stop = () => connection.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => connection.abort(new Error('idle')), idleTimeoutMs);
    };
    let waitMs: number | undefined;
    let received = false;
    try {
      touch();
      const response = await doFetch(options.urlFor(lastEventId), {
        headers: {
          ...options.headers,
          accept: 'text/event-stream',
          'cache-control': 'no-cache',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal: connection.signal,
      });
      if (!response.ok) {
        if (!retryable(response.status)) throw new StreamRefused(response.status, response);
        waitMs = retryAfterMs(response);
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`the event stream answered ${response.status}`);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('text/event-stream')) throw new StreamRefused(response.status, response);
      if (!response.body) throw new Error('the event stream has no body');
      if (reconnecting && !stopped())
        options.onNotice?.(`reconnected${lastEventId ? ` after ${lastEventId}` : ''}`);
      reconnecting = false;
      const parser = new SseParser(lastEventId ?? '');
      const decoder = new TextDecoder();
      reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        touch();
        if (!received) {
          received = true;
          failures = 0;
        }
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.id) lastEventId = event.id;
          options.onEvent(event);
        }
        if (parser.lastEventId) lastEventId = parser.lastEventId;
        if (parser.retry !== undefined) baseDelayMs = parser.retry;
      }
      parser.end();
      if (connection.signal.aborted) throw connection.signal.reason ?? new Error('aborted');
      if (!received) failures += 1;
      if (!stopped()) options.onNotice?.('the event stream ended; reconnecting');
    } catch (error) {
      if (error instanceof StreamRefused) throw error;
      if (stopped()) break;
      failures += 1;
      if (options.maxAttempts !== undefined && failures >= options.maxAttempts) throw error;
      const reason =
        connection.signal.aborted && (connection.signal.reason as Error | undefined)?.message === 'idle'
          ? `nothing heard for ${Math.round(idleTimeoutMs / 1000)} s`
          : describeError(error);
      options.onNotice?.(`disconnected (${reason}); reconnecting`);
    } finally {
      if (idle) clearTimeout(idle);
      options.signal?.removeEventListener('abort', stop);
    }
    if (stopped()) break;
    reconnecting = true;
    await sleep(waitMs ?? reconnectDelay(Math.max(1, failures), baseDelayMs, maxDelayMs), options.signal);
  }
  return lastEventId;
}

/** A network error's most useful words (fetch wraps the real cause). */
export function describeError(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause?.code) return `${e.cause.code}${e.cause.message ? `: ${e.cause.message}` : ''}`;
  if (e?.cause?.message) return `${e.message ?? 'failed'}: ${e.cause.message}`;
  return e?.message ?? String(error);
}
