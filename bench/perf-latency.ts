// Need posted → proposal visible: needs POSTed to the gateway at a fixed rate (open loop: each at its scheduled
// time whether or not earlier ones were answered, so a slow platform cannot slow the load down), and for each the
// time from the start of its POST until the first MatchProposed for it arrives on the gateway's SSE stream
// (GET /v1/events/stream). DemandUnmet on the same stream tells a need that matchmaking answered with "no match
// above the threshold" from one still waiting.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Events } from '@lienket/contracts';
import { type EventStream, openEventStream } from '@lienket/gateway/dist/stream/sse-client';
import type { SingleBar } from 'cli-progress';
import { need, rng } from './perf-data';
import { cpuSeconds, log, request, sleep } from './perf-platform';
import { buckets, type Latency, latency, percentile, round } from './perf-stats';

export interface LatencyOptions {
  url: string;
  buyers: readonly { id: string; token: string }[];
  /** A signed-in reader of the stream. */
  streamToken: string;
  rate: number;
  durationMs: number;
  warmupNeeds: number;
  /** How long to wait, after the last POST, for the answers still missing. */
  drainMs: number;
  seed: number;
  pids: Record<string, number>;
  bar: (label: string, total: number, format?: string) => SingleBar;
}

export interface LatencyResult {
  targetRate: number;
  durationMs: number;
  planned: number;
  posted: number;
  accepted: number;
  failedPosts: Record<string, number>;
  /** Accepted needs per second over the posting window. */
  achievedRate: number;
  /** How late the POSTs started against their schedule (the generator's own lag). */
  sendLagMs: { p50: number; p99: number; max: number };
  postLatencyMs: Latency;
  /** Needs that got at least one MatchProposed on the stream. */
  withProposal: number;
  /** Needs answered with DemandUnmet (matchmaking found no capability above the threshold). */
  unmet: number;
  /** Needs with neither within the drain window: they count as unanswered (Infinity) in the percentiles below. */
  unanswered: number;
  /** POST start → first MatchProposed on the stream, over needs with a proposal and unanswered ones. */
  firstProposalMs: Latency;
  /** The same over needs with a proposal only. */
  firstProposalAnsweredOnlyMs: Latency;
  /** POST start → DemandUnmet, for the unmet ones. */
  unmetMs: Latency;
  proposalsReceived: number;
  meanProposalsPerNeed: number;
  /** Per second of POST time: count, p50 and p99 of POST start → first proposal (answered only). */
  timeline: { fromS: number; count: number; p50: number; p99: number }[];
  /** CPU seconds per second of wall time of each service during the posting window and the drain. */
  cpu: Record<string, number>;
  drainMs: number;
  warmup: { needs: number; answered: number };
}

interface Tracked {
  start: number;
  scheduled: number;
  needId?: string;
  status?: number;
  postMs?: number;
}

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proposedType = Events.matchProposed.type;
  const unmetType = Events.demandUnmet.type;
  const firstProposal = new Map<string, number>();
  const unmetAt = new Map<string, number>();
  let proposals = 0;
  const stream: EventStream = await openEventStream(
    `${options.url}/v1/events/stream?type=${proposedType},${unmetType}`,
    { token: options.streamToken },
  );
  let streamError: unknown;
  const reading = (async () => {
    for await (const item of stream) {
      if (item.kind !== 'event') continue;
      const at = performance.now();
      const event = JSON.parse(item.event.data) as {
        type: string;
        data: { proposal?: { needId?: string }; needId?: string };
      };
      if (event.type === proposedType) {
        proposals += 1;
        const id = event.data.proposal?.needId ?? '';
        if (!firstProposal.has(id)) firstProposal.set(id, at);
      } else if (event.type === unmetType) {
        const id = event.data.needId ?? '';
        if (!unmetAt.has(id)) unmetAt.set(id, at);
      }
    }
  })().catch((error) => {
    streamError = error;
  });

  const next = rng(options.seed);
  const now = Date.now();
  let counter = 0;
  const post = async (tracked: Tracked) => {
    const buyer = options.buyers[Math.floor(next() * options.buyers.length)] as { id: string; token: string };
    const body = need(next, buyer, counter++, now);
    tracked.start = performance.now();
    try {
      const answer = await request(agent, options.url, 'POST', '/v1/needs', buyer.token, body);
      tracked.postMs = performance.now() - tracked.start;
      tracked.status = answer.status;
      tracked.needId = (answer.body.need as { id?: string } | undefined)?.id;
    } catch {
      tracked.status = 0;
    }
  };
  const answered = (t: Tracked) =>
    t.needId !== undefined && (firstProposal.has(t.needId) || unmetAt.has(t.needId));

  try {
    // Warm-up: connections, JIT, consumer fetch sessions; not measured.
    const warm: Tracked[] = [];
    for (let i = 0; i < options.warmupNeeds; i++) {
      const t: Tracked = { start: 0, scheduled: 0 };
      warm.push(t);
      void post(t);
      await sleep(50);
    }
    const warmDeadline = Date.now() + 30_000;
    while (
      Date.now() < warmDeadline &&
      !warm.every((t) => t.status !== undefined && (t.status !== 201 || answered(t)))
    )
      await sleep(50);
    const warmAnswered = warm.filter(answered).length;
    if (warm.length > 0) log(`  warm-up: ${warmAnswered}/${warm.length} needs answered on the stream`);

    const planned = Math.round((options.rate * options.durationMs) / 1000);
    const tracked: Tracked[] = [];
    const inFlight: Promise<void>[] = [];
    const bar = options.bar(
      `needs at ${options.rate}/s`,
      planned,
      '{label} [{bar}] {value}/{total} posted | {answered} answered | p99 so far {p99} ms | {duration_formatted}',
    );
    const cpuBefore = Object.fromEntries(
      Object.entries(options.pids).map(([n, pid]) => [n, cpuSeconds(pid)]),
    );
    const t0 = performance.now();
    let lastReport = t0;
    while (tracked.length < planned) {
      const elapsed = performance.now() - t0;
      const due = Math.min(planned, Math.floor((elapsed * options.rate) / 1000) + 1);
      while (tracked.length < due) {
        const t: Tracked = { start: 0, scheduled: t0 + (tracked.length * 1000) / options.rate };
        tracked.push(t);
        inFlight.push(post(t));
      }
      if (performance.now() - lastReport > 500) {
        lastReport = performance.now();
        bar.update(tracked.length, progress(tracked, firstProposal, unmetAt));
      }
      await sleep(1);
    }
    await Promise.all(inFlight);
    const postingMs = performance.now() - t0;
    bar.update(tracked.length, progress(tracked, firstProposal, unmetAt));
    bar.stop();
    const accepted = tracked.filter((t) => t.status === 201 && t.needId);
    log(
      `  posted ${tracked.length} in ${(postingMs / 1000).toFixed(1)} s, ${accepted.length} accepted; waiting up to ${options.drainMs / 1000} s for the answers still missing`,
    );

    const drain = options.bar('answers', accepted.length);
    const d0 = performance.now();
    for (;;) {
      const done = accepted.filter(answered).length;
      drain.update(done);
      if (done === accepted.length || performance.now() - d0 > options.drainMs || streamError) break;
      await sleep(100);
    }
    const drainMs = performance.now() - d0;
    drain.stop();
    const wallMs = performance.now() - t0;
    const cpu = Object.fromEntries(
      Object.entries(options.pids).flatMap(([name, pid]) => {
        const before = cpuBefore[name];
        const after = cpuSeconds(pid);
        return before === null || before === undefined || after === null
          ? []
          : [[name, round((after - before) / (wallMs / 1000), 2)]];
      }),
    );
    if (streamError) log(`  the stream failed: ${String(streamError)}`);

    const failedPosts: Record<string, number> = {};
    for (const t of tracked)
      if (t.status !== 201)
        failedPosts[String(t.status ?? 'none')] = (failedPosts[String(t.status ?? 'none')] ?? 0) + 1;
    const withProposal = accepted.filter((t) => firstProposal.has(t.needId as string));
    const unmet = accepted.filter(
      (t) => !firstProposal.has(t.needId as string) && unmetAt.has(t.needId as string),
    );
    const unanswered = accepted.length - withProposal.length - unmet.length;
    const answeredMs = withProposal.map((t) => (firstProposal.get(t.needId as string) as number) - t.start);
    const lag = tracked.map((t) => t.start - t.scheduled).sort((a, b) => a - b);
    const firstAccepted = accepted.length > 0 ? accepted.map((t) => t.start) : [t0];
    const windowMs =
      Math.max(1, Math.max(...firstAccepted) - Math.min(...firstAccepted)) + 1000 / options.rate;
    return {
      targetRate: options.rate,
      durationMs: options.durationMs,
      planned,
      posted: tracked.length,
      accepted: accepted.length,
      failedPosts,
      achievedRate: round((accepted.length * 1000) / windowMs, 1),
      sendLagMs: {
        p50: round(percentile(lag, 50), 2),
        p99: round(percentile(lag, 99), 2),
        max: round(lag[lag.length - 1] ?? 0, 2),
      },
      postLatencyMs: latency(
        tracked.flatMap((t) => (t.postMs === undefined ? [] : [t.postMs])),
        2,
      ),
      withProposal: withProposal.length,
      unmet: unmet.length,
      unanswered,
      firstProposalMs: latency([...answeredMs, ...new Array(unanswered).fill(Number.POSITIVE_INFINITY)], 1),
      firstProposalAnsweredOnlyMs: latency(answeredMs, 1),
      unmetMs: latency(
        unmet.map((t) => (unmetAt.get(t.needId as string) as number) - t.start),
        1,
      ),
      proposalsReceived: proposals,
      meanProposalsPerNeed: round(proposals / Math.max(1, withProposal.length), 2),
      timeline: buckets(
        withProposal.map((t) => ({
          atMs: t.start - t0,
          value: (firstProposal.get(t.needId as string) as number) - t.start,
        })),
        1000,
      ),
      cpu,
      drainMs: Math.round(drainMs),
      warmup: { needs: warm.length, answered: warmAnswered },
    };
  } finally {
    stream.close();
    await reading;
    agent.destroy();
  }
}

function progress(tracked: readonly Tracked[], first: Map<string, number>, unmet: Map<string, number>) {
  const done: number[] = [];
  let answered = 0;
  for (const t of tracked) {
    if (!t.needId) continue;
    const at = first.get(t.needId);
    if (at !== undefined) done.push(at - t.start);
    if (at !== undefined || unmet.has(t.needId)) answered += 1;
  }
  done.sort((a, b) => a - b);
  return { answered, p99: done.length > 0 ? Math.round(percentile(done, 99)) : '–' };
}
