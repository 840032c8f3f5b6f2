import { createEventStreamParser, readEventStream, type StreamEvent } from './event-stream';

type Item =
  | { kind: 'event'; event: StreamEvent }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number }
  | { kind: 'id'; id: string };

/** Feeds the chunks to one parser; what it reported, in order. */
function parse(chunks: string[], lastEventId?: string) {
  const items: Item[] = [];
  const parser = createEventStreamParser(
    {
      onEvent: (event) => items.push({ kind: 'event', event }),
      onComment: (text) => items.push({ kind: 'comment', text }),
      onRetry: (ms) => items.push({ kind: 'retry', ms }),
      onId: (id) => items.push({ kind: 'id', id }),
    },
    lastEventId,
  );
  for (const chunk of chunks) parser.feed(chunk);
  return { items, parser, events: items.flatMap((i) => (i.kind === 'event' ? [i.event] : [])) };
}

/** Every way to cut `text` into chunks of `size` characters. */
const cut = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('createEventStreamParser', () => {
  it('reads id, event and data, dispatching on a blank line', () => {
    expect(parse(['id: c-1\nevent: vn.lienket.registry.need.posted.v1\ndata: {"a":1}\n\n']).events).toEqual([
      { id: 'c-1', event: 'vn.lienket.registry.need.posted.v1', data: '{"a":1}' },
    ]);
  });

  it('joins multi-line data, defaults the type to message, strips one space only', () => {
    expect(parse(['data:  two spaces\ndata:second\n\n']).events).toEqual([
      { id: undefined, event: 'message', data: ' two spaces\nsecond' },
    ]);
    expect(parse(['data\ndata\n\n']).events).toEqual([{ id: undefined, event: 'message', data: '\n' }]);
  });

  it('gives the same items for CRLF, CR and LF line ends, however the text is cut', () => {
    const text =
      'retry: 3000\r\nid: c0\r\n\r\n: heartbeat now\n\nid: c1\nevent: vn.x\ndata: {"a":1}\n\n' +
      'data: line one\rdata:line two\r\r: heartbeat later\nid: c2\n\nid\nevent: y\ndata: z\r\n\r\n';
    const expected = [
      { kind: 'retry', ms: 3000 },
      { kind: 'id', id: 'c0' },
      { kind: 'comment', text: 'heartbeat now' },
      { kind: 'event', event: { id: 'c1', event: 'vn.x', data: '{"a":1}' } },
      { kind: 'event', event: { id: 'c1', event: 'message', data: 'line one\nline two' } },
      { kind: 'comment', text: 'heartbeat later' },
      { kind: 'id', id: 'c2' },
      { kind: 'event', event: { id: '', event: 'y', data: 'z' } },
    ];
    for (const size of [1, 2, 3, 7, 13, text.length]) {
      const { items, parser } = parse(cut(text, size));
      expect(items).toEqual(expected);
      expect(parser.lastEventId).toBe('');
    }
    // A CRLF split between two chunks is one line end, not two (which would end a block).
    expect(parse(['id: 1\r', '\nevent: a\r', '\ndata: x\r', '\n\r', '\n']).events).toEqual([
      { id: '1', event: 'a', data: 'x' },
    ]);
  });

  it('keeps the last id for later events and for resuming; ignores ids with NUL', () => {
    const { events, parser } = parse(
      ['data: a\n\n', 'id: c-5\ndata: b\n\n', 'data: c\n\n', 'id: bad\0id\ndata: d\n\n'],
      'c-0',
    );
    expect(events.map((e) => e.id)).toEqual(['c-0', 'c-5', 'c-5', 'c-5']);
    expect(parser.lastEventId).toBe('c-5');
  });

  it('moves the resume point on id-only blocks (start position, heartbeats) in stream order', () => {
    const start = 'retry: 3000\nid: 0-100.1-7\n\n';
    const heartbeat = ': heartbeat 2026-03-04T05:06:07.000Z\nid: 0-104.1-7\n\n';
    const { items, parser } = parse([start + heartbeat]);
    expect(items).toEqual([
      { kind: 'retry', ms: 3000 },
      { kind: 'id', id: '0-100.1-7' },
      { kind: 'comment', text: 'heartbeat 2026-03-04T05:06:07.000Z' },
      { kind: 'id', id: '0-104.1-7' },
    ]);
    expect(parser.lastEventId).toBe('0-104.1-7');
    // An event and an id-only block in one chunk: the later one is where to resume.
    expect(parse(['id: a\ndata: 1\n\nid: b\n\n']).parser.lastEventId).toBe('b');
    expect(parse(['id: b\n\nid: a\ndata: 1\n\n']).parser.lastEventId).toBe('a');
  });

  it('ignores unknown fields and an invalid retry, and drops an event cut off before its blank line', () => {
    const { items, parser } = parse(
      ['foo: bar\nretry: soon\nid: a\ndata: 1\n\nid: b\ndata: {"half'],
      'start',
    );
    expect(items).toEqual([{ kind: 'event', event: { id: 'a', event: 'message', data: '1' } }]);
    expect(parser.lastEventId).toBe('a');
  });
});

describe('readEventStream', () => {
  it('decodes UTF-8 split across chunks and drops a byte-order mark', async () => {
    const bytes = new TextEncoder().encode('\uFEFFdata: Hà Nội\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const events: StreamEvent[] = [];
    let chunks = 0;
    await readEventStream(body, createEventStreamParser({ onEvent: (e) => events.push(e) }), {
      onChunk: () => {
        chunks += 1;
      },
    });
    expect(events).toEqual([{ id: undefined, event: 'message', data: 'Hà Nội' }]);
    expect(chunks).toBe(bytes.length);
  });

  it('stops when its signal aborts, with the stream still open', async () => {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('data: one\n\n')),
    });
    const stop = new AbortController();
    const events: StreamEvent[] = [];
    await readEventStream(
      body,
      createEventStreamParser({
        onEvent: (e) => {
          events.push(e);
          stop.abort();
        },
      }),
      { signal: stop.signal },
    );
    expect(events.map((e) => e.data)).toEqual(['one']);
  });
});
