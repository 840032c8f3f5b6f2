import { createEventStreamParser, readEventStream, type StreamEvent } from '@lienket/api-client';

/** One server-sent event (`event` is `message` when the server named none; `id` the last id in force). */
export type SseEvent = StreamEvent;

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
      const parser = createEventStreamParser(
        {
          onEvent: (event) => {
            lastEventId = event.id || lastEventId;
            options.onEvent(event);
          },
          onId: (id) => {
            lastEventId = id || lastEventId;
          },
          onRetry: (ms) => {
            baseDelayMs = ms;
          },
        },
        lastEventId,
      );
      // Aborting fetch ends a body being read too; the signal cancels the reader to make sure of it.
      await readEventStream(response.body, parser, {
        signal: connection.signal,
        onChunk: () => {
          touch();
          if (!received) {
            received = true;
            failures = 0;
          }
        },
      });
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
