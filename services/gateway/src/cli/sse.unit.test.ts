import { followStream, reconnectDelay, type SseEvent, StreamRefused } from './sse';

// The format itself (line ends, comments, ids, retry, chunking) is tested with its parser in
// packages/api-client/src/event-stream.unit.test.ts; these test following a stream.

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

  it('resumes from the start position and heartbeat ids, and waits the retry the server asked for', async () => {
    const stop = new AbortController();
    const waits: number[] = [];
    const { fake, requests } = scriptedFetch([
      () => stream('retry: 2500\nid: start-0\n\n', ': heartbeat\nid: beat-1\n\n'),
      () => stream('id: c-2\nevent: t\ndata: two\n\n'),
      () => {
        stop.abort();
        return stream();
      },
    ]);
    const events: SseEvent[] = [];
    await followStream({
      urlFor: () => 'http://gw/s',
      headers: {},
      fetch: fake,
      sleep: async (ms) => {
        waits.push(ms);
      },
      signal: stop.signal,
      onEvent: (e) => events.push(e),
    });
    expect(requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, 'beat-1', 'c-2']);
    expect(events).toEqual([{ id: 'c-2', event: 't', data: 'two' }]);
    // First attempt after an ended stream: the server's 2.5 s, ±20 %.
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(3000);
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
