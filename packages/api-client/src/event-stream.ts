import { createParser } from 'eventsource-parser';

/** One dispatched Server-Sent Event. */
export interface StreamEvent {
  /** The last event id when it was dispatched (its own `id:`, else an earlier one), as EventSource keeps it. */
  id: string | undefined;
  /** The event type; `message` when the server named none. */
  event: string;
  data: string;
}

export interface EventStreamHandlers {
  onEvent(event: StreamEvent): void;
  /** `:` comments (the gateway's heartbeats), one leading space removed. */
  onComment?(text: string): void;
  /** `retry:`: the reconnection delay the server asks for, in ms. */
  onRetry?(ms: number): void;
  /**
   * A block with an id and no data moved the resume point without an event: the gateway's start position,
   * and its heartbeats once filtered-out events moved the cursor.
   */
  onId?(id: string): void;
}

export interface EventStreamParser {
  /** Feed decoded text in any chunks (a line, a CRLF, a block may be split anywhere). */
  feed(text: string): void;
  /** Where a reconnection resumes (`Last-Event-ID`): the last id seen, with or without data. */
  readonly lastEventId: string | undefined;
}

/**
 * The `text/event-stream` format through eventsource-parser (line ends, comments, multi-line data, ids,
 * retry), plus the one thing it does not report: a block with an `id:` and no `data:`. The standard makes
 * that id the last event id; eventsource-parser 3 and 4 drop it (their `onId` is unreleased). The gateway
 * sends its positions that way, so this watches complete lines for such ids only (ADR 0009).
 */
export function createEventStreamParser(
  handlers: EventStreamHandlers,
  lastEventId?: string,
): EventStreamParser {
  let last = lastEventId;
  const parser = createParser({
    onEvent: (message) => {
      if (message.id !== undefined) last = message.id;
      handlers.onEvent({ id: last, event: message.event ?? 'message', data: message.data });
    },
    ...(handlers.onComment ? { onComment: handlers.onComment } : {}),
    ...(handlers.onRetry ? { onRetry: handlers.onRetry } : {}),
  });
  // The id-only watch: the unfinished line, and the current block's id and whether it has data.
  let partial = '';
  let blockId: string | undefined;
  let blockHasData = false;
  const feed = (text: string) => {
    const all = partial + text;
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    let fed = 0; // how much of `text` the parser has had
    for (let match = lineEnd.exec(all); match; match = lineEnd.exec(all)) {
      // A CR that ends the text may be the first half of a CRLF: wait for the next chunk.
      if (match[0] === '\r' && match.index === all.length - 1) break;
      const line = all.slice(start, match.index);
      start = match.index + match[0].length;
      if (line !== '') {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        if (field === 'data') blockHasData = true;
        else if (field === 'id') {
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (!value.includes('\0')) blockId = value;
        }
        continue;
      }
      const idOnly = blockId !== undefined && !blockHasData ? blockId : undefined;
      blockId = undefined;
      blockHasData = false;
      if (idOnly === undefined) continue;
      // Events before this block first, so the resume point moves in stream order.
      const upTo = start - partial.length;
      parser.feed(text.slice(fed, upTo));
      fed = upTo;
      last = idOnly;
      handlers.onId?.(idOnly);
    }
    partial = all.slice(start);
    if (fed < text.length) parser.feed(text.slice(fed));
  };
  return {
    feed,
    get lastEventId() {
      return last;
    },
  };
}

export interface ReadOptions {
  /** Called for every chunk received, heartbeats included (an idle timer's touch). */
  onChunk?: () => void;
  /** An abort while reading cancels the body; the read then ends as if the stream had. */
  signal?: AbortSignal;
}

/** Reads a response body to its end, feeding the parser the decoded text. */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  parser: EventStreamParser,
  options: ReadOptions = {},
): Promise<void> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  options.signal?.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      options.onChunk?.();
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}
