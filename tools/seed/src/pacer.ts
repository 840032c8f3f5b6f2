import { createEventStreamParser, readEventStream } from '@lienket/api-client';

/**
 * Paces the seed by the platform's own event stream (GET /v1/events/stream, Server-Sent Events).
 *
 * Every registry write the seed makes comes back as exactly one registry event once the registry's outbox
 * relay has published it, so "writes made − registry events seen" is the relay's backlog of the seed's
 * writes. Keeping it small keeps the platform responsive while it seeds: on the local store every write
 * waits for one lock, and a seed that ran ahead would queue the portal's reads behind it. Needs are paced the same way by matchmaking's answer to each need (a
 * MatchProposed or DemandUnmet event naming it), so proposals are made a few needs at a time.
 */

export interface PacerOptions {
  url: string;
  token: string;
  /** Registry writes that may be waiting for their events (default 32). */
  window?: number;
  /** Needs that may be waiting for matchmaking's answer (default 4: up to 40 proposals). */
  needWindow?: number;
  /** With no event for this long while waiting, the platform is stuck (default 90 s). */
  stallMs?: number;
  /** Where pacing falls back to a fixed rate when the stream is unavailable. */
  onNote?: (text: string) => void;
}

const REGISTRY = 'vn.lienket.registry.';
const PROPOSED = 'vn.lienket.matchmaking.proposal.proposed.';
const UNMET = 'vn.lienket.matchmaking.demand.unmet.';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class StalledError extends Error {}

export class EventPacer {
  /** Registry writes made (answered 2xx). */
  written = 0;
  /** Registry events seen. */
  seen = 0;
  /** Every event seen, by type. */
  readonly counts: Record<string, number> = {};
  /** Whether the stream is open; without it the pacer falls back to a fixed rate. */
  live = false;
  private lastEventAt = Date.now();
  private readonly waitingNeeds = new Set<string>();
  private readonly answeredNeeds = new Set<string>();
  private wakers: (() => void)[] = [];
  private controller = new AbortController();
  private lastId = '';
  private stopped = false;
  /** Without the stream: the next moment a write may start (a fixed, slow rate). */
  private nextSlot = 0;
  private readonly window: number;
  private readonly needWindow: number;
  private readonly stallMs: number;

  constructor(private readonly options: PacerOptions) {
    this.window = options.window ?? 32;
    this.needWindow = options.needWindow ?? 4;
    this.stallMs = options.stallMs ?? 90_000;
  }

  /** Opens the stream; true when it is live (positioned at the current end, before any write). */
  async start(): Promise<boolean> {
    this.live = await this.connect();
    if (!this.live) this.options.onNote?.('event stream unavailable: pacing at a fixed, slower rate');
    return this.live;
  }

  stop(): void {
    this.stopped = true;
    this.controller.abort();
    this.wake();
  }

  /** Call after each registry write that succeeded. */
  wrote(): void {
    this.written += 1;
  }

  /** Call after posting a need: it waits for matchmaking's answer. */
  needPosted(id: string): void {
    if (!this.answeredNeeds.has(id)) this.waitingNeeds.add(id);
  }

  /** Waits until another registry write fits in the window. */
  async room(): Promise<void> {
    if (!this.live) return this.slot(200);
    await this.until(() => this.written - this.seen < this.window, 'registry events');
  }

  /** Waits until another need may be posted. */
  async needRoom(): Promise<void> {
    if (!this.live) return this.slot(1_000);
    await this.room();
    await this.until(() => this.waitingNeeds.size < this.needWindow, 'matchmaking to answer needs');
  }

  /** Blind pacing: one write every `ms` across all callers. */
  private async slot(ms: number): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + ms;
    await sleep(at - now);
  }

  /** Waits for matchmaking to answer the needs posted so far (or the timeout). */
  async needsAnswered(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.live && this.waitingNeeds.size > 0 && Date.now() < deadline && !this.stopped) {
      await this.nextEvent(Math.min(1_000, deadline - Date.now()));
    }
    return this.waitingNeeds.size;
  }

  private async until(ready: () => boolean, what: string): Promise<void> {
    while (!ready() && !this.stopped) {
      if (Date.now() - this.lastEventAt > this.stallMs) {
        throw new StalledError(
          `the platform published no event for ${Math.round(this.stallMs / 1000)} s while the seed waited for ${what}; ` +
            'its store or broker may be stuck (see the service logs)',
        );
      }
      await this.nextEvent(1_000);
    }
  }

  private nextEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      this.wakers.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }

  private onEvent(type: string, data: string): void {
    this.lastEventAt = Date.now();
    this.counts[type] = (this.counts[type] ?? 0) + 1;
    if (type.startsWith(REGISTRY)) this.seen += 1;
    else if (type.startsWith(PROPOSED) || type.startsWith(UNMET)) {
      try {
        const event = JSON.parse(data) as { data?: { proposal?: { needId?: string }; needId?: string } };
        const need = event.data?.proposal?.needId ?? event.data?.needId;
        if (need) {
          this.answeredNeeds.add(need);
          this.waitingNeeds.delete(need);
        }
      } catch {
        // not JSON: ignore
      }
    }
    this.wake();
  }

  /** Connects (or reconnects after lastId) and reads in the background; false when it cannot. */
  private async connect(): Promise<boolean> {
    const params = new URLSearchParams({ type: `${REGISTRY},vn.lienket.matchmaking.` });
    if (this.lastId) params.set('last_event_id', this.lastId);
    let response: Response;
    try {
      response = await fetch(`${this.options.url.replace(/\/$/, '')}/v1/events/stream?${params}`, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${this.options.token}` },
        signal: this.controller.signal,
      });
    } catch {
      return false;
    }
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return false;
    }
    void this.read(response.body);
    return true;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createEventStreamParser(
      { onEvent: ({ event, data }) => this.onEvent(event, data) },
      this.lastId || undefined,
    );
    try {
      await readEventStream(body, parser, { signal: this.controller.signal });
    } catch {
      // aborted or cut off
    }
    // Resume after the last id seen, the stream's start position included.
    this.lastId = parser.lastEventId ?? this.lastId;
    if (this.stopped) return;
    // Cut off (e.g. the gateway restarted or we fell behind): resume after the last event seen.
    for (let attempt = 0; attempt < 20 && !this.stopped; attempt++) {
      await sleep(500 * Math.min(attempt + 1, 6));
      if (await this.connect()) return;
    }
    this.live = false;
    this.options.onNote?.('event stream lost: pacing at a fixed, slower rate');
    this.wake();
  }
}
