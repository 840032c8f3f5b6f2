import { AdaptiveLimit } from './api';
import { EventPacer, StalledError } from './pacer';

/** A fetch that answers the event stream with these chunks (then keeps the stream open). */
function streamOf(chunks: string[], status = 200): typeof fetch {
  return (async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const chunk of chunks) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          controller.enqueue(encoder.encode(chunk));
        }
      },
    });
    return new Response(status === 200 ? body : null, { status });
  }) as typeof fetch;
}

const sse = (id: number, type: string, data: unknown) =>
  `id: c${id}\nevent: ${type}\ndata: ${JSON.stringify({ type, data })}\n\n`;

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('EventPacer', () => {
  it('counts registry events and the needs matchmaking answered, across chunk boundaries', async () => {
    const text =
      sse(1, 'vn.lienket.registry.enterprise.registered.v1', { enterprise: { id: 'e1' } }) +
      sse(2, 'vn.lienket.registry.need.posted.v1', { need: { id: 'n1' } }) +
      sse(3, 'vn.lienket.matchmaking.proposal.proposed.v1', { proposal: { id: 'p1', needId: 'n1' } }) +
      ': heartbeat\n\n' +
      sse(4, 'vn.lienket.matchmaking.demand.unmet.v1', { needId: 'n2' });
    // Cut in awkward places, with CRLF line ends in part of it.
    const chunks = [text.slice(0, 17), text.slice(17, 150).replace(/\n/g, '\r\n'), text.slice(150)];
    globalThis.fetch = streamOf(chunks);
    const pacer = new EventPacer({ url: 'http://gateway', token: 't', window: 2, needWindow: 1 });
    expect(await pacer.start()).toBe(true);
    pacer.wrote();
    pacer.wrote();
    pacer.needPosted('n1');
    pacer.needPosted('n2');
    await pacer.room();
    await pacer.needRoom();
    expect(await pacer.needsAnswered(2_000)).toBe(0);
    expect(pacer.seen).toBe(2);
    expect(pacer.counts['vn.lienket.matchmaking.proposal.proposed.v1']).toBe(1);
    pacer.stop();
  });

  it('reports a platform that stopped publishing instead of waiting for ever', async () => {
    globalThis.fetch = streamOf([]);
    const pacer = new EventPacer({ url: 'http://gateway', token: 't', window: 1, stallMs: 50 });
    await pacer.start();
    pacer.wrote();
    await expect(pacer.room()).rejects.toBeInstanceOf(StalledError);
    pacer.stop();
  });

  it('falls back to a fixed rate when the stream is not available', async () => {
    globalThis.fetch = streamOf([], 503);
    const notes: string[] = [];
    const pacer = new EventPacer({ url: 'http://gateway', token: 't', onNote: (n) => notes.push(n) });
    expect(await pacer.start()).toBe(false);
    expect(notes[0]).toContain('unavailable');
    const started = Date.now();
    await Promise.all([pacer.room(), pacer.room(), pacer.room()]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    pacer.stop();
  });
});

describe('AdaptiveLimit', () => {
  it('halves on a slow or overloaded answer and grows back on quick ones', async () => {
    const limit = new AdaptiveLimit(8, 100);
    expect(limit.limit).toBe(8);
    await limit.acquire();
    limit.release(500, false);
    expect(limit.limit).toBe(4);
    await limit.acquire();
    limit.release(10, true);
    expect(limit.limit).toBe(2);
    for (let i = 0; i < 8; i++) {
      await limit.acquire();
      limit.release(10, false);
    }
    expect(limit.limit).toBe(3);
  });

  it('never lets more than the limit in flight', async () => {
    const limit = new AdaptiveLimit(2);
    let inFlight = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        await limit.acquire();
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        limit.release(5, false);
      }),
    );
    expect(most).toBeLessThanOrEqual(2);
  });
});
