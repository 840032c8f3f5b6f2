// The platform benchmark's report: the figures, the targets they meet or not, and the Markdown table.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayResult } from './perf-gateway';
import type { LatencyResult } from './perf-latency';
import { ROOT, TARGET } from './perf-options';
import type { PipelineResult } from './perf-pipeline';
import type { Seeded } from './perf-seed';
import { fmt, fmtMs, fmtRatio, meets } from './perf-stats';
import type { StoreTimeRow } from './perf-store-time';

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
  /** The target load. */
  latency: LatencyResult | null;
  /** Store commands the services sent during the sustained latency phase, by total time (from their /metrics). */
  storeTimeDuringLatency: StoreTimeRow[];
  /** The same at a light load first (lightRate), for what one need costs when nothing queues. */
  latencyLight: LatencyResult | null;
  /** Whether the store still took an update within 10 s after each section (a wedged FerretDB does not). */
  storeWrites: Record<string, boolean>;
  matching: MatchingRef | null;
  targets: Record<string, { target: string; measured: number | null; met: boolean | null }>;
}

export function targetsOf(
  r: Pick<Report, 'pipeline' | 'gateway' | 'latency' | 'latencyLight' | 'matching'>,
): Report['targets'] {
  const l = r.latency;
  const atRate = l ? l.achievedRate >= TARGET.latencyRate * 0.98 : null;
  const p99 = l ? l.firstProposalMs.p99 : null;
  return {
    needToProposalP99: {
      target: `p99 < ${TARGET.latencyP99Ms} ms at ${TARGET.latencyRate} needs/s`,
      measured: p99,
      met: l ? atRate === true && meets(p99, TARGET.latencyP99Ms, 'below') === true : null,
    },
    needRateSustained: {
      target: `${TARGET.latencyRate} needs/s accepted`,
      measured: l ? l.achievedRate : null,
      met: atRate,
    },
    relayVsProducerPerformance: {
      target: `relay ≥ ${TARGET.relayShare} × the same kafkajs producer alone (issue 16); ProducerPerformance reported`,
      measured: r.pipeline?.ratios.relayToKafkajs ?? null,
      met: meets(r.pipeline?.ratios.relayToKafkajs, TARGET.relayShare, 'atLeast'),
    },
    gatewayReadVsBareExpress: {
      target: `gateway read ≥ ${TARGET.gatewayShare} × bare express requests/s`,
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

export function markdown(r: Report): string {
  const rows: string[][] = [];
  const window = (r.options.drainS as number) * 1000;
  const latencyRow = (l: LatencyResult, light: boolean) =>
    rows.push([
      `need posted → first MatchProposed on SSE${light ? ' (light load)' : ''}`,
      `${fmt(l.achievedRate, 1)} needs/s accepted of ${l.targetRate} offered, ${fmt(l.accepted, 0)} of ${fmt(l.posted, 0)} needs`,
      `p50 ${fmtMs(l.firstProposalMs.p50, window)} · p90 ${fmtMs(l.firstProposalMs.p90, window)} · p99 ${fmtMs(l.firstProposalMs.p99, window)} · max ${fmtMs(l.firstProposalMs.max, window)}`,
      `${l.withProposal} with a proposal, ${l.unmet} unmet (no match), ${l.unanswered} unanswered in ${window / 1000} s${
        Object.keys(l.failedPosts).length > 0
          ? `; POSTs refused ${Object.entries(l.failedPosts)
              .map(([k, v]) => `${v}×${k}`)
              .join(', ')}`
          : ''
      }`,
      light
        ? '–'
        : `p99 < ${TARGET.latencyP99Ms} ms at ${TARGET.latencyRate}/s: ${verdict(r.targets.needToProposalP99?.met ?? null)}`,
    ]);
  if (r.latencyLight) latencyRow(r.latencyLight, true);
  if (r.latency) latencyRow(r.latency, false);
  const p = r.pipeline;
  if (p) {
    const java = 'error' in p.producerPerformance ? null : p.producerPerformance;
    rows.push([
      'outbox relay → Kafka (acks=all)',
      `${fmt(p.relay.eventsPerSecond, 0)} events/s (${fmt(p.relay.events, 0)} events, ${p.recordBytes} B records)`,
      `ProducerPerformance ${java ? `${fmt(java.eventsPerSecond, 0)} records/s` : 'failed'}; kafkajs publisher alone ${fmt(p.kafkajs.eventsPerSecond, 0)} events/s`,
      `relay / kafkajs ${fmtRatio(p.ratios.relayToKafkajs)}; relay / ProducerPerformance ${fmtRatio(p.ratios.relayToProducerPerformance)}; recovery (read through) ${fmt(p.recovery?.eventsPerSecond ?? null, 0)} events/s; write + relay ${fmt(p.writeAndRelay.eventsPerSecond, 0)} events/s`,
      `≥ ${TARGET.relayShare}: ${verdict(r.targets.relayVsProducerPerformance?.met ?? null)}`,
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
  const head = ['figure', 'measured', 'baseline (same run)', 'ratio / detail', 'target'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
