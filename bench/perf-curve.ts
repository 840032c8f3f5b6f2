// The load curve: needs posted at each offered rate in turn (10, 50, 100, 200 needs/s by default), each phase
// measuring needs answered, posting → first proposal on the SSE stream, and the store commands every service sent
// for it (scraped before the phase and again once everything it set off has settled, per accepted need).
// Before the curve: the generator alone against a bare express route (can it post at the highest rate?), a warm-up
// and an idle window (the commands the services send with no load, e.g. jobs and leases).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SingleBar } from 'cli-progress';
import { startBare } from './perf-gateway';
import { benchLatency, type GeneratorFigures, generatorCapacity, type LatencyResult } from './perf-latency';
import { type Infra, log, type Platform, sleep } from './perf-platform';
import type { Seeded } from './perf-seed';
import { type Settled, waitSettled } from './perf-settle';
import { fmtMs } from './perf-stats';
import { idleRate, perNeed, type StoreCommandsPerNeed, scrapeStoreCommands } from './perf-store-commands';
import { diffStoreTime, type StoreTimeRow, storeTime } from './perf-store-time';

export interface CurvePoint {
  rate: number;
  latency: LatencyResult;
  /** Whether every consumer group and outbox was empty when the counters were read after the phase. */
  settled: Settled;
  storeCommands: StoreCommandsPerNeed;
  /** Store time by command during the phase (the slowest 15), as the services timed their calls. */
  storeTime: StoreTimeRow[];
}

export type GeneratorCheck =
  | (GeneratorFigures & { posted: number; accepted: number; durationS: number })
  | { error: string };

export interface LoadCurve {
  rates: number[];
  durationS: number;
  drainS: number;
  generatorCheck: GeneratorCheck;
  warmup: { posted: number; accepted: number; answered: number; settled: boolean };
  /** Store commands per second with no load, by service (counted in the phases too; subtracted in perNeedWithoutBackground). */
  idle: ReturnType<typeof idleRate> | null;
  points: CurvePoint[];
  /** Rates not run, and why (a phase before them left the platform unsettled). */
  skipped: { rate: number; reason: string }[];
}

export interface CurveOptions {
  platform: Platform;
  infra: Infra;
  seeded: Seeded;
  streamToken: string;
  rates: number[];
  durationS: number;
  drainS: number;
  warmupNeeds: number;
  idleS: number;
  seed: number;
  workDir: string;
  bareServer: string;
  bar: (label: string, total: number, format?: string) => SingleBar;
}

/** What was still moving when a wait for the run to settle gave up. */
const unsettled = (s: Settled) =>
  [
    ...Object.entries(s.lag).flatMap(([group, lag]) => (lag > 0 ? [`${group} ${lag} behind`] : [])),
    ...Object.entries(s.outboxPending).flatMap(([db, n]) => (n > 0 ? [`${db} ${n} outbox documents`] : [])),
  ].join(', ') || 'no answer from Kafka or the store';

export async function runCurve(options: CurveOptions): Promise<LoadCurve> {
  const { platform, infra } = options;
  const databases = platform.databases;
  const settle = (timeoutS: number) => waitSettled(infra, platform.prefix, databases, timeoutS * 1000);
  const top = Math.max(...options.rates);

  log(`\n== the load generator alone: ${top} needs/s to a bare express POST route`);
  let generatorCheck: GeneratorCheck;
  const bareBody = join(options.workDir, 'generator-check.json');
  writeFileSync(bareBody, '{}');
  const bare = await startBare(options.bareServer, bareBody);
  try {
    const durationS = Math.min(5, options.durationS);
    const check = await generatorCapacity({
      url: `http://127.0.0.1:${bare.port}`,
      rate: top,
      durationMs: durationS * 1000,
      seed: options.seed,
    });
    generatorCheck = { ...check, durationS };
    log(
      `  started ${check.sentRate} POSTs/s of ${top}/s offered (${check.keptUp ? 'kept up' : 'did NOT keep up'}), ${check.accepted} of ${check.posted} answered 201, start lag p99 ${fmtMs(check.sendLagMs.p99)}, POST p99 ${fmtMs(check.postLatencyMs.p99)}, ${check.cpu} CPU-s/s`,
    );
  } catch (error) {
    generatorCheck = { error: String(error instanceof Error ? error.message : error) };
    log(`  generator check failed: ${generatorCheck.error}`);
  } finally {
    bare.child.kill('SIGTERM');
  }

  const phase = (rate: number, seconds: number, seed: number, quiet = false) =>
    benchLatency({
      url: platform.url,
      buyers: options.seeded.enterprises,
      streamToken: options.streamToken,
      rate,
      durationMs: seconds * 1000,
      drainMs: options.drainS * 1000,
      seed,
      pids: platform.pids,
      bar: options.bar,
      quiet,
    });

  log(`\n== warm-up: ${options.warmupNeeds} needs at 10/s (not measured)`);
  const warm = await phase(10, options.warmupNeeds / 10, options.seed + 2, true);
  const warmSettled = await settle(options.drainS);
  log(
    `  ${warm.answered} of ${warm.posted} answered on the stream (${warm.accepted} accepted); ${warmSettled.settled ? `settled in ${(warmSettled.waitMs / 1000).toFixed(1)} s` : `NOT settled within ${options.drainS} s (${unsettled(warmSettled)})`}`,
  );

  let idle: LoadCurve['idle'] = null;
  if (options.idleS > 0) {
    log(`\n== idle for ${options.idleS} s: store commands the services send with no load`);
    const before = await scrapeStoreCommands(platform.metricsUrls);
    const t0 = Date.now();
    await sleep(options.idleS * 1000);
    const after = await scrapeStoreCommands(platform.metricsUrls);
    idle = idleRate(before.counts, after.counts, (Date.now() - t0) / 1000);
    log(
      `  ${idle.perSecond} commands/s (${Object.entries(idle.byService)
        .map(([s, v]) => `${s} ${v}`)
        .join(', ')})`,
    );
  }

  const points: CurvePoint[] = [];
  const skipped: LoadCurve['skipped'] = [];
  for (const [i, rate] of options.rates.entries()) {
    const previous = points[points.length - 1];
    if (previous && !previous.settled.settled) {
      skipped.push({
        rate,
        reason: `the platform had not settled ${options.drainS} s after the ${previous.rate}/s phase's answers`,
      });
      continue;
    }
    log(`\n== need posted → proposal on the SSE stream: ${rate} needs/s for ${options.durationS} s`);
    const timeBefore = await storeTime(platform.metricsUrls);
    const before = await scrapeStoreCommands(platform.metricsUrls);
    const t0 = Date.now();
    const latency = await phase(rate, options.durationS, options.seed + 3 + i);
    const f = latency.firstProposalMs;
    log(
      `  first proposal: p50 ${fmtMs(f.p50)}, p90 ${fmtMs(f.p90)}, p99 ${fmtMs(f.p99)}, max ${fmtMs(f.max)}; ` +
        `${latency.withProposal} with a proposal, ${latency.unmet} unmet, ${latency.unanswered} unanswered; accepted ${latency.achievedRate} needs/s` +
        `${Object.keys(latency.failedPosts).length > 0 ? `; refused POSTs ${JSON.stringify(latency.failedPosts)}` : ''}`,
    );
    const settled = await settle(options.drainS);
    const after = await scrapeStoreCommands(platform.metricsUrls);
    const seconds = (Date.now() - t0) / 1000;
    const storeCommands = perNeed(
      before.counts,
      after.counts,
      latency.accepted,
      seconds,
      idle?.perSecond ?? 0,
      {
        settled: settled.settled,
        exact: latency.unanswered === 0 && latency.accepted === latency.posted && !latency.streamFailure,
      },
      [...new Set([...before.unreachable, ...after.unreachable])],
    );
    const storeUse = diffStoreTime(timeBefore, await storeTime(platform.metricsUrls));
    log(
      `  store commands per accepted need: ${storeCommands.perNeed} (${storeCommands.perNeedWithoutBackground} without the idle background), ${
        settled.settled
          ? `settled ${(settled.waitMs / 1000).toFixed(1)} s after the answers`
          : `NOT settled within ${options.drainS} s (${unsettled(settled)}): a lower bound`
      }${settled.settled && !storeCommands.exact ? '; not every POST was accepted and answered, so not exact' : ''}`,
    );
    log(
      `    by service: ${Object.entries(storeCommands.byService)
        .map(([s, v]) => `${s} ${v}`)
        .join(', ')}`,
    );
    for (const row of storeCommands.byCommand.slice(0, 10))
      log(
        `    ${row.service.padEnd(12)} ${row.command.padEnd(13)} ${row.collection.padEnd(34)} ${String(row.count).padStart(7)} (${row.perNeed} per need)`,
      );
    points.push({ rate, latency, settled, storeCommands, storeTime: storeUse.slice(0, 15) });
  }
  return {
    rates: options.rates,
    durationS: options.durationS,
    drainS: options.drainS,
    generatorCheck,
    warmup: {
      posted: warm.posted,
      accepted: warm.accepted,
      answered: warm.answered,
      settled: warmSettled.settled,
    },
    idle,
    points,
    skipped,
  };
}
