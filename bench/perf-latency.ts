// Need posted → proposal visible: needs POSTed to the gateway at a fixed rate (open loop: each at its scheduled
// time whether or not earlier ones were answered, so a slow platform cannot slow the load down), and for each the
// time from the start of its POST until the first MatchProposed for it arrives on the gateway's SSE stream
// (GET /v1/events/stream). DemandUnmet on the same stream tells a need that matchmaking answered with "no match
// above the threshold" from one still waiting. The generator reports the rate it actually started POSTs at (it must
// keep up with the rate offered, or the figures would measure it), and generatorCapacity checks the same generator
// against a bare express route first.
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
  /** How long to wait, after the last POST, for the answers still missing. */
  drainMs: number;
  seed: number;
  pids: Record<string, number>;
  bar: (label: string, total: number, format?: string) => SingleBar;
  /** Silent: no progress bars (the warm-up). */
  quiet?: boolean;
}

/** What the load generator itself managed: it must post at the offered rate or the figures measure it. */
export interface GeneratorFigures {
  offeredRate: number;
  /** POSTs started per second over the posting window (whatever the answers). */
  sentRate: number;
  /** Whether the generator started POSTs at ≥ 98 % of the offered rate. */
  keptUp: boolean;
  /** How late the POSTs started against their schedule. */
  sendLagMs: { p50: number; p99: number; max: number };
  /** POSTs waiting for their answer at once, at most. */
  peakInFlight: number;
  /** The generator process's CPU seconds per second of posting (it shares the machine with the services). */
  cpu: number;
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
  generator: GeneratorFigures;
  postLatencyMs: Latency;
  /** Needs that got at least one MatchProposed on the stream. */
  withProposal: number;
  /** Needs answered with DemandUnmet (matchmaking found no capability above the threshold). */
  unmet: number;
  /** Needs with neither within the drain window: they count as unanswered (Infinity) in the percentiles below. */
  unanswered: number;
  /** Accepted needs answered on the stream (a proposal or DemandUnmet) within the drain window. */
  answered: number;
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
  /** The stream ended or failed before the phase did (answers after it are missing). */
  streamFailure: string | null;
}

interface Tracked {
  start: number;
  scheduled: number;
  needId?: string;
  status?: number;
  postMs?: number;
}

/** A keep-alive agent with room for every POST in flight at 200/s even when answers take seconds. */
export const postingAgent = () => new http.Agent({ keepAlive: true, maxSockets: 2048, maxFreeSockets: 256 });

/**
 * Posts needs in an open loop: the i-th at t0 + i/rate whether or not earlier ones were answered, for `durationMs`.
 * Resolves when every POST has answered.
 */
async function openLoop(
  rate: number,
  durationMs: number,
  post: (tracked: Tracked) => Promise<void>,
  onTick?: (tracked: readonly Tracked[]) => void,
): Promise<{ tracked: Tracked[]; t0: number; postingMs: number; generator: GeneratorFigures }> {
  const planned = Math.round((rate * durationMs) / 1000);
  const tracked: Tracked[] = [];
  const inFlight: Promise<void>[] = [];
  let open = 0;
  let peak = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let lastTick = t0;
  while (tracked.length < planned) {
    const elapsed = performance.now() - t0;
    const due = Math.min(planned, Math.floor((elapsed * rate) / 1000) + 1);
    while (tracked.length < due) {
      const t: Tracked = { start: 0, scheduled: t0 + (tracked.length * 1000) / rate };
      tracked.push(t);
      open += 1;
      peak = Math.max(peak, open);
      inFlight.push(
        post(t).finally(() => {
          open -= 1;
        }),
      );
    }
    if (onTick && performance.now() - lastTick > 500) {
      lastTick = performance.now();
      onTick(tracked);
    }
    await sleep(1);
  }
  const sendingMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await Promise.all(inFlight);
  const postingMs = performance.now() - t0;
  const starts = tracked.map((t) => t.start);
  const windowMs = Math.max(1, Math.max(...starts) - Math.min(...starts)) + 1000 / rate;
  const sentRate = round((tracked.length * 1000) / windowMs, 1);
  const lag = tracked.map((t) => t.start - t.scheduled).sort((a, b) => a - b);
  return {
    tracked,
    t0,
    postingMs,
    generator: {
      offeredRate: rate,
      sentRate,
      keptUp: sentRate >= rate * 0.98,
      sendLagMs: {
        p50: round(percentile(lag, 50), 2),
        p99: round(percentile(lag, 99), 2),
        max: round(lag[lag.length - 1] ?? 0, 2),
      },
      peakInFlight: peak,
      cpu: round((cpu.user + cpu.system) / 1000 / sendingMs, 2),
    },
  };
}

/**
 * The generator alone: the same open loop, bodies and agent against a bare express route that parses the body and
 * answers 201 (bench/perf-bare-server.ts), to show it can post at `rate` on this machine before it measures the
 * platform at that rate.
 */
export async function generatorCapacity(options: {
  url: string;
  rate: number;
  durationMs: number;
  seed: number;
}): Promise<GeneratorFigures & { accepted: number; posted: number; postLatencyMs: Latency }> {
  const agent = postingAgent();
  const next = rng(options.seed);
  const now = Date.now();
  let counter = 0;
  try {
    const { tracked, generator } = await openLoop(options.rate, options.durationMs, async (t) => {
      const body = need(next, { id: 'bench-generator-check' }, counter++, now);
      t.start = performance.now();
      try {
        const answer = await request(agent, options.url, 'POST', '/v1/needs', 'bench', body);
        t.postMs = performance.now() - t.start;
        t.status = answer.status;
      } catch {
        t.status = 0;
      }
    });
    return {
      ...generator,
      posted: tracked.length,
      accepted: tracked.filter((t) => t.status === 201).length,
      postLatencyMs: latency(
        tracked.flatMap((t) => (t.postMs === undefined ? [] : [t.postMs])),
        2,
      ),
    };
  } finally {
    agent.destroy();
  }
}

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const agent = postingAgent();
  const proposedType = Events.matchProposed.type;
  const unmetType = Events.demandUnmet.type;
  const firstProposal = new Map<string, number>();
  const unmetAt = new Map<string, number>();
  let proposals = 0;
  const stream: EventStream = await openEventStream(
    `${options.url}/v1/events/stream?type=${proposedType},${unmetType}`,
    { token: options.streamToken },
  );
  let streamFailure: string | null = null;
  let closing = false;
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
    if (!closing) streamFailure = 'the gateway ended the stream';
  })().catch((error) => {
    if (!closing) streamFailure = String(error);
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
    const planned = Math.round((options.rate * options.durationMs) / 1000);
    const bar = options.quiet
      ? null
      : options.bar(
          `needs at ${options.rate}/s`,
          planned,
          '{label} [{bar}] {value}/{total} posted | {answered} answered | p99 so far {p99} ms | {duration_formatted}',
        );
    const cpuBefore = Object.fromEntries(
      Object.entries(options.pids).map(([n, pid]) => [n, cpuSeconds(pid)]),
    );
    const { tracked, t0, postingMs, generator } = await openLoop(
      options.rate,
      options.durationMs,
      post,
      (sofar) => bar?.update(sofar.length, progress(sofar, firstProposal, unmetAt)),
    );
    bar?.update(tracked.length, progress(tracked, firstProposal, unmetAt));
    bar?.stop();
    const accepted = tracked.filter((t) => t.status === 201 && t.needId);
    if (!options.quiet)
      log(
        `  posted ${tracked.length} in ${(postingMs / 1000).toFixed(1)} s (the generator started ${generator.sentRate}/s of ${options.rate}/s offered${generator.keptUp ? '' : ': it did NOT keep up'}), ${accepted.length} accepted; waiting up to ${options.drainMs / 1000} s for the answers still missing`,
      );

    const drain = options.quiet ? null : options.bar('answers', accepted.length);
    const d0 = performance.now();
    for (;;) {
      const done = accepted.filter(answered).length;
      drain?.update(done);
      if (done === accepted.length || performance.now() - d0 > options.drainMs || streamFailure) break;
      await sleep(100);
    }
    const drainMs = performance.now() - d0;
    drain?.stop();
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
    if (streamFailure) log(`  the stream failed: ${streamFailure}`);

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
    const acceptedStarts = accepted.length > 0 ? accepted.map((t) => t.start) : [t0];
    const windowMs =
      Math.max(1, Math.max(...acceptedStarts) - Math.min(...acceptedStarts)) + 1000 / options.rate;
    return {
      targetRate: options.rate,
      durationMs: options.durationMs,
      planned,
      posted: tracked.length,
      accepted: accepted.length,
      failedPosts,
      achievedRate: round((accepted.length * 1000) / windowMs, 1),
      generator,
      postLatencyMs: latency(
        tracked.flatMap((t) => (t.postMs === undefined ? [] : [t.postMs])),
        2,
      ),
      withProposal: withProposal.length,
      unmet: unmet.length,
      unanswered,
      answered: withProposal.length + unmet.length,
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
      streamFailure,
    };
  } finally {
    closing = true;
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
