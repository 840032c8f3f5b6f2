import { followStream, reconnectDelay, type SseEvent, SseParser, StreamRefused } from './sse';

const all = (chunks: string[], parser = new SseParser()) => chunks.flatMap((c) => parser.push(c));

describe('SseParser', () => {
  it('reads id, event and data, and dispatches on a blank line', () => {
    const events = all(['id: c-1\nevent: vn.lienket.registry.need.posted.v1\ndata: {"a":1}\n\n']);
    expect(events).toEqual([{ id: 'c-1', type: 'vn.lienket.registry.need.posted.v1', data: '{"a":1}' }]);
  });

  it('joins multi-line data, defaults the type to message, strips one space only', () => {
    expect(all(['data:  two spaces\ndata:second\n\n'])).toEqual([
      { id: '', type: 'message', data: ' two spaces\nsecond' },
    ]);
  });

  it('handles any chunking, CRLF and CR line ends, also a CRLF split across chunks', () => {
    const text = 'id: 1\r\nevent: a\r\ndata: x\r\n\r\nid: 2\rdata: y\r\rid: 3\ndata: z\n\n';
    const expected = [
      { id: '1', type: 'a', data: 'x' },
      { id: '2', type: 'message', data: 'y' },
      { id: '3', type: 'message', data: 'z' },
    ];
    expect(all([text])).toEqual(expected);
    expect(all(text.split(''))).toEqual(expected);
    expect(
      all(['id: 1\r', '\nevent: a\r', '\ndata: x\r', '\n\r', '\nid: 2\rdata: y\r\rid: 3\ndata: z\n\n']),
    ).toEqual(expected);
  });

  it('skips comments (heartbeats) but reports them', () => {
    const comments: string[] = [];
    const parser = new SseParser('', (text) => comments.push(text));
    expect(all([': heartbeat\n\n: heartbeat\ndata: x\n\n'], parser)).toEqual([
      { id: '', type: 'message', data: 'x' },
    ]);
    expect(comments).toEqual(['heartbeat', 'heartbeat']);
  });

  it('keeps the last id for later events and for resuming; ignores ids with NUL', () => {
    const parser = new SseParser('c-0');
    expect(
      all(['data: a\n\n', 'id: c-5\ndata: b\n\n', 'data: c\n\n', 'id: bad\0id\ndata: d\n\n'], parser).map(
        (e) => e.id,
      ),
    ).toEqual(['c-0', 'c-5', 'c-5', 'c-5']);
    expect(parser.lastEventId).toBe('c-5');
    all(['id: c-9\n\n'], parser); // an id without data moves the resume point, dispatches nothing
    expect(parser.lastEventId).toBe('c-9');
  });

  it('reads retry, ignores unknown fields and a BOM, drops an unfinished event at the end', () => {
    const parser = new SseParser();
    expect(all(['\uFEFFretry: 2500\nfoo: bar\nretry: soon\ndata: x\n\ndata: unfinished'], parser)).toEqual([
      { id: '', type: 'message', data: 'x' },
    ]);
    expect(parser.retry).toBe(2500);
    expect(parser.end()).toEqual([]);
  });

  it('moves the resume point on the gateway’s start block and heartbeats without dispatching', () => {
    const parser = new SseParser();
    const start = 'retry: 3000\nid: 0-100.1-7\n\n';
    const heartbeat = ': heartbeat 2026-03-04T05:06:07.000Z\nid: 0-104.1-7\n\n';
    expect(all([start, heartbeat], parser)).toEqual([]);
    expect(parser.lastEventId).toBe('0-104.1-7');
    expect(parser.retry).toBe(3000);
    expect(all(['id: 0-105.1-7\nevent: t\ndata: {}\n\n'], parser)).toEqual([
      { id: '0-105.1-7', type: 't', data: '{}' },
    ]);
  });

  it('a field without a colon is a field with an empty value', () => {
    expect(all(['data\ndata\n\n'])).toEqual([{ id: '', type: 'message', data: '\n' }]);
  });
});

describe('reconnectDelay', () => {
  it('grows exponentially from the base, is capped, jitters ±20 %', () => {
    expect(reconnectDelay(1, 1000, 30_000, () => 0.5)).toBe(1000);
    expect(reconnectDelay(3, 1000, 30_000, () => 0.5)).toBe(4000);
    expect(reconnectDelay(20, 1000, 30_000, () => 0.5)).toBe(30_000);
    expect(reconnectDelay(1, 1000, 30_000, () => 0)).toBe(800);
    expect(reconnectDelay(1, 1000, 30_000, () => 1)).toBe(1200);
  });
});

/** A fetch answering from a script, one entry per request. */
function scriptedFetch(script: (() => Response | Promise<Response>)[]) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fake = (async (url: string, init: RequestInit) => {
    requests.push({ url, headers: init.headers as Record<string, string> });
    const next = script.shift();
    if (!next) throw new Error('no more answers');
    return next();
  }) as unknown as typeof fetch;
  return { fake, requests };
}

const stream = (...chunks: string[]) =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream; charset=utf-8' } },
  );

describe('followStream', () => {
  it('reconnects after a disconnect or a network error, resuming with Last-Event-ID', async () => {
    const stop = new AbortController();
    const events: SseEvent[] = [];
    const notices: string[] = [];
    const { fake, requests } = scriptedFetch([
      () => stream('id: c-1\nevent: t\ndata: one\n\n: heartbeat\n\n', 'id: c-2\nevent: t\ndata: two\n\n'),
      () => {
        throw new TypeError('fetch failed');
      },
      () => stream('id: c-3\nevent: t\ndata: three\n\n'),
      () => {
        stop.abort();
        return stream();
      },
    ]);
    const last = await followStream({
      urlFor: (id) => `http://gw/v1/events/stream?type=vn.${id ? '' : '&since=2026-01-01T00:00:00Z'}`,
      headers: { authorization: 'Bearer t' },
      fetch: fake,
      sleep: async () => undefined,
      signal: stop.signal,
      onEvent: (e) => events.push(e),
      onNotice: (n) => notices.push(n),
    });
    expect(events.map((e) => e.data)).toEqual(['one', 'two', 'three']);
    expect(last).toBe('c-3');
    expect(requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, 'c-2', 'c-2', 'c-3']);
    expect(requests[0]?.url).toContain('since=');
    expect(requests[1]?.url).not.toContain('since=');
    expect(requests[0]?.headers).toMatchObject({ authorization: 'Bearer t', accept: 'text/event-stream' });
    expect(notices).toEqual([
      'the event stream ended; reconnecting',
      'disconnected (fetch failed); reconnecting',
      'reconnected after c-2',
      'the event stream ended; reconnecting',
    ]);
  });

  it('retries busy answers (503, waiting Retry-After) and gives up on refusals', async () => {
    const waits: number[] = [];
    const { fake } = scriptedFetch([
      () => new Response('{}', { status: 503, headers: { 'retry-after': '3' } }),
      () =>
        new Response('{"detail":"No token"}', {
          status: 401,
          headers: { 'content-type': 'application/problem+json' },
        }),
    ]);
    const refused = followStream({
      urlFor: () => 'http://gw/v1/events/stream',
      headers: {},
      fetch: fake,
      sleep: async (ms) => {
        waits.push(ms);
      },
      onEvent: () => undefined,
    });
    await expect(refused).rejects.toBeInstanceOf(StreamRefused);
    await expect(refused).rejects.toMatchObject({ status: 401 });
    expect(waits).toEqual([3000]);
  });

  it('reconnects when the stream goes silent past the idle timeout', async () => {
    const stop = new AbortController();
    const notices: string[] = [];
    const silent = () =>
      new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(': hi\n\n')) }), {
        headers: { 'content-type': 'text/event-stream' },
      });
    const { fake, requests } = scriptedFetch([
      silent,
      () => {
        stop.abort();
        return stream();
      },
    ]);
    await followStream({
      urlFor: () => 'http://gw/s',
      headers: {},
      fetch: fake,
      sleep: async () => undefined,
      idleTimeoutMs: 30,
      signal: stop.signal,
      onEvent: () => undefined,
      onNotice: (n) => notices.push(n),
    });
    expect(requests).toHaveLength(2);
    expect(notices[0]).toMatch(/nothing heard for 0 s/);
  });
});
