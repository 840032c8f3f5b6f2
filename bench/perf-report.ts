// The platform benchmark's report: the figures, the targets they meet or not, and the Markdown table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurvePoint, LoadCurve } from './perf-curve';
import type { GatewayResult } from './perf-gateway';
import { ROOT, TARGET } from './perf-options';
import type { PipelineResult } from './perf-pipeline';
import type { Seeded } from './perf-seed';
import { fmt, fmtMs, fmtRatio, meets } from './perf-stats';

// ---------------------------------------------------------------- matching reference

interface MatchingRef {
  date: string;
  store: string | null;
  rows: {
    size: number;
    buildMs: number;
    p50: number;
    p99: number;
    storeP50: number | null;
    storeP99: number | null;
    speedupP50: number | null;
  }[];
  p99At1M: { targetMs: number; measuredMs: number | null; met: boolean | null } | null;
}

export function readMatching(): MatchingRef | null {
  const file = join(ROOT, 'bench/results/matching.json');
  if (!existsSync(file)) return null;
  const m = JSON.parse(readFileSync(file, 'utf8')) as {
    date: string;
    store: string | null;
    results: {
      size: number;
      index: { build: { ms: number }; latency: { p50: number; p99: number } };
      baseline: { latency: { p50: number; p99: number } } | string;
      speedup: { p50: number } | null;
    }[];
    targets?: { p99At1M?: { targetMs: number; measuredMs: number | null; met: boolean | null } };
  };
  return {
    date: m.date,
    store: m.store,
    rows: m.results.map((r) => ({
      size: r.size,
      buildMs: r.index.build.ms,
      p50: r.index.latency.p50,
      p99: r.index.latency.p99,
      storeP50: typeof r.baseline === 'string' ? null : r.baseline.latency.p50,
      storeP99: typeof r.baseline === 'string' ? null : r.baseline.latency.p99,
      speedupP50: r.speedup?.p50 ?? null,
    })),
    p99At1M: m.targets?.p99At1M ?? null,
  };
}

// ---------------------------------------------------------------- report

export interface Report {
  benchmark: string;
  date: string;
  command: string;
  quick: boolean;
  machine: {
    cpuModel: string;
    cpus: number;
    totalMemoryGb: number;
    platform: string;
    loadAverage: { atStart: number[]; atEnd: number[] };
  };
  node: string;
  infra: { source: string; store: string | null; kafka: string };
  options: Record<string, unknown>;
  notes: string[];
  seeded: (Omit<Seeded, 'enterprises'> & { enterprises: number }) | null;
  /** Sections that could not finish, and why. */
  failures: Record<string, string>;
  pipeline: PipelineResult | null;
  gateway: GatewayResult | null;
  /** Needs answered, posting → first proposal and store commands per need, at each offered rate. */
  loadCurve: LoadCurve | null;
  /** Whether the store still took an update within 10 s after each section (a wedged FerretDB does not). */
  storeWrites: Record<string, boolean>;
  matching: MatchingRef | null;
  targets: Record<string, { target: string; measured: number | null; met: boolean | null }>;
}

/** The curve's point at the target rate, if it ran. */
export const targetPoint = (curve: LoadCurve | null): CurvePoint | null =>
  curve?.points.find((p) => p.rate === TARGET.latencyRate) ?? null;

/** The highest store commands per need over the curve's phases, and whether each was read settled. */
export function storeCommandsOf(curve: LoadCurve | null): { perNeed: number; exact: boolean } | null {
  const points = curve?.points.filter((p) => p.latency.accepted > 0) ?? [];
  if (points.length === 0) return null;
  return {
    perNeed: Math.max(...points.map((p) => p.storeCommands.perNeed)),
    exact: points.every((p) => p.storeCommands.exact),
  };
}

export function targetsOf(
  r: Pick<Report, 'pipeline' | 'gateway' | 'loadCurve' | 'matching'>,
): Report['targets'] {
  const point = targetPoint(r.loadCurve);
  const l = point?.latency ?? null;
  const atRate = l ? l.achievedRate >= TARGET.latencyRate * 0.98 : null;
  const allAnswered = l ? l.unanswered === 0 && l.accepted === l.posted : null;
  const p99 = l ? l.firstProposalMs.p99 : null;
  const commands = storeCommandsOf(r.loadCurve);
  const points = r.loadCurve?.points ?? [];
  return {
    needToProposalP99: {
      target: `p99 < ${TARGET.latencyP99Ms} ms at ${TARGET.latencyRate} needs/s, every need answered`,
      measured: p99,
      met: l
        ? atRate === true && allAnswered === true && meets(p99, TARGET.latencyP99Ms, 'below') === true
        : null,
    },
    needRateSustained: {
      target: `${TARGET.latencyRate} needs/s accepted`,
      measured: l ? l.achievedRate : null,
      met: atRate,
    },
    needsAnswered: {
      target: `every need posted at ${TARGET.latencyRate}/s answered on the stream (a proposal or DemandUnmet) within the drain window`,
      measured: l ? l.answered : null,
      met: allAnswered,
    },
    storeCommandsPerNeed: {
      target: `≤ ${TARGET.storeCommandsPerNeed} store commands per posted need, every service together, at every rate of the curve`,
      measured: commands?.perNeed ?? null,
      // A count that is not exact (unsettled, refused or unanswered needs) can show a miss, never a pass.
      met: commands
        ? commands.perNeed <= TARGET.storeCommandsPerNeed
          ? commands.exact || null
          : false
        : null,
    },
    generatorKeptUp: {
      target: 'the load generator started POSTs at ≥ 98 % of every offered rate (else the curve measures it)',
      measured:
        points.length > 0 ? Math.min(...points.map((p) => p.latency.generator.sentRate / p.rate)) : null,
      met: points.length > 0 ? points.every((p) => p.latency.generator.keptUp) : null,
    },
    relayVsKafkajs: {
      target: `relay ≥ ${TARGET.relayShare} × the same kafkajs producer alone (issue 16); ProducerPerformance reported`,
      measured: r.pipeline?.ratios.relayToKafkajs ?? null,
      met: meets(r.pipeline?.ratios.relayToKafkajs, TARGET.relayShare, 'atLeast'),
    },
    gatewayReadVsBareExpress: {
      target: `gateway cached read ≥ ${TARGET.gatewayShare} × bare express requests/s (uncached reported)`,
      measured: r.gateway?.ratios.readToBareRequestsPerSecond ?? null,
      met: meets(r.gateway?.ratios.readToBareRequestsPerSecond, TARGET.gatewayShare, 'atLeast'),
    },
    matchingP99At1M: {
      target: 'top-10 p99 < 10 ms at 1,000,000 (from bench/results/matching.json, not rerun)',
      measured: r.matching?.p99At1M?.measuredMs ?? null,
      met: r.matching?.p99At1M?.met ?? null,
    },
  };
}

export const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'NOT met');

const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], rows: readonly string[][]) =>
  [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');

/** The load curve as the README's table: one row per offered rate. */
export function curveTable(curve: LoadCurve): string {
  const window = curve.drainS * 1000;
  const rows = curve.points.map((p) => {
    const l = p.latency;
    const refused = Object.entries(l.failedPosts)
      .map(([k, v]) => `${fmt(v, 0)}×${k}`)
      .join(', ');
    return [
      `${fmt(p.rate, 0)}`,
      `${fmt(l.generator.sentRate, 1)}${l.generator.keptUp ? '' : ' (generator behind)'}`,
      `${fmt(l.achievedRate, 1)}`,
      `${fmt(l.answered, 0)} of ${fmt(l.posted, 0)}${l.unmet > 0 ? ` (${fmt(l.unmet, 0)} unmet)` : ''}${refused ? `; refused ${refused}` : ''}`,
      fmtMs(l.firstProposalMs.p50, window),
      fmtMs(l.firstProposalMs.p99, window),
      `${fmt(p.storeCommands.perNeed, 1)}${p.storeCommands.settled ? (p.storeCommands.exact ? '' : ' (not exact)') : ' (not settled: at least)'}`,
    ];
  });
  for (const s of curve.skipped) rows.push([fmt(s.rate, 0), '–', '–', `not run: ${s.reason}`, '–', '–', '–']);
  return table(
    [
      'needs/s offered',
      'POSTs started/s',
      'accepted/s',
      `answered within ${curve.drainS} s`,
      'first proposal p50',
      'p99',
      'store commands per need',
    ],
    rows,
  );
}

/** Store commands per need by service at each rate, and the commands that weigh most at the highest rate. */
export function storeCommandsTables(curve: LoadCurve): string {
  const services = [...new Set(curve.points.flatMap((p) => Object.keys(p.storeCommands.byService)))].sort();
  const byService = table(
    ['needs/s offered', 'all services', 'without idle background', ...services],
    curve.points.map((p) => [
      fmt(p.rate, 0),
      fmt(p.storeCommands.perNeed, 2),
      fmt(p.storeCommands.perNeedWithoutBackground, 2),
      ...services.map((s) => fmt(p.storeCommands.byService[s] ?? 0, 2)),
    ]),
  );
  const last = curve.points[curve.points.length - 1];
  if (!last) return byService;
  const top = table(
    [`at ${fmt(last.rate, 0)}/s: service`, 'command', 'collection', 'per need'],
    last.storeCommands.byCommand
      .slice(0, 12)
      .map((c) => [c.service, c.command, c.collection || '–', fmt(c.perNeed, 3)]),
  );
  return `${byService}\n\n${top}`;
}

export function markdown(r: Report): string {
  const rows: string[][] = [];
  const parts: string[] = [];
  const curve = r.loadCurve;
  if (curve) {
    const check = curve.generatorCheck;
    parts.push(
      curveTable(curve),
      '',
      'error' in check
        ? `Generator check failed: ${check.error}`
        : `Generator alone against bare express at ${check.offeredRate}/s: ${fmt(check.sentRate, 1)} POSTs/s started (${check.keptUp ? 'kept up' : 'did NOT keep up'}), ${fmt(check.accepted, 0)} of ${fmt(check.posted, 0)} answered 201, start lag p99 ${fmtMs(check.sendLagMs.p99)}.`,
      '',
      storeCommandsTables(curve),
      '',
    );
  }
  const p = r.pipeline;
  if (p) {
    const java = 'error' in p.producerPerformance ? null : p.producerPerformance;
    rows.push([
      'outbox relay → Kafka (acks=all)',
      `${fmt(p.relay.eventsPerSecond, 0)} events/s (${fmt(p.relay.events, 0)} events, ${p.recordBytes} B records)`,
      `ProducerPerformance ${java ? `${fmt(java.eventsPerSecond, 0)} records/s` : 'failed'}; kafkajs publisher alone ${fmt(p.kafkajs.eventsPerSecond, 0)} events/s`,
      `relay / kafkajs ${fmtRatio(p.ratios.relayToKafkajs)}; relay / ProducerPerformance ${fmtRatio(p.ratios.relayToProducerPerformance)}; recovery (read through) ${fmt(p.recovery?.eventsPerSecond ?? null, 0)} events/s; write + relay ${fmt(p.writeAndRelay.eventsPerSecond, 0)} events/s`,
      `≥ ${TARGET.relayShare}: ${verdict(r.targets.relayVsKafkajs?.met ?? null)}`,
    ]);
  }
  const g = r.gateway;
  if (g) {
    rows.push([
      'gateway GET /v1/enterprises/{id}',
      `${fmt(g.gatewayRead.requestsPerSecond, 0)} req/s, p50 ${fmt(g.gatewayRead.latencyMs.p50, 2)} ms, p99 ${fmt(g.gatewayRead.latencyMs.p99, 2)} ms`,
      `bare express ${fmt(g.bare.requestsPerSecond, 0)} req/s, p50 ${fmt(g.bare.latencyMs.p50, 2)} ms, p99 ${fmt(g.bare.latencyMs.p99, 2)} ms (${g.bodyBytes} B body, ${g.connections} connections)`,
      `req/s ratio ${fmtRatio(g.ratios.readToBareRequestsPerSecond)} (read cache hit ratio ${fmt(g.readCache.hitRatio, 3)}); p50 ${fmt(g.ratios.readToBareP50Latency, 1)}× bare; with Cache-Control: no-cache (gRPC + store) ${fmt(g.gatewayReadOrigin.requestsPerSecond, 0)} req/s (${fmtRatio(g.ratios.originReadToBareRequestsPerSecond)}); gateway /healthz ${fmt(g.gatewayHealthz.requestsPerSecond, 0)} req/s (${fmtRatio(g.ratios.healthzToBareRequestsPerSecond)})`,
      `≥ ${TARGET.gatewayShare}: ${verdict(r.targets.gatewayReadVsBareExpress?.met ?? null)}`,
    ]);
  }
  const m = r.matching;
  if (m) {
    for (const row of m.rows)
      rows.push([
        `matching top-10 at ${row.size.toLocaleString('en')} (bench:matching, ${m.date.slice(0, 10)})`,
        `p50 ${fmt(row.p50, 2)} ms, p99 ${fmt(row.p99, 2)} ms`,
        row.storeP50 === null
          ? 'store baseline not run'
          : `one store query per need p50 ${fmt(row.storeP50, 0)} ms`,
        row.speedupP50 === null ? '–' : `${fmt(row.speedupP50, 0)}× at p50`,
        row.size === 1_000_000 ? `p99 < 10 ms: ${verdict(m.p99At1M?.met ?? null)}` : '–',
      ]);
  }
  if (rows.length > 0)
    parts.push(table(['figure', 'measured', 'baseline (same run)', 'ratio / detail', 'target'], rows));
  return parts.join('\n');
}
