// Platform performance benchmark: the figures the issue asks for, each against a baseline measured on the same
// machine in the same run (never an absolute time that depends on the machine alone):
//
//   pipeline  outbox relay (documents written with outboxFields → acknowledged on Kafka) against the services'
//             kafkajs publisher alone and Kafka's own ProducerPerformance on the same broker; target relay ≥ ½ of it
//   gateway   GET /v1/enterprises/{id} through the gateway (→ gRPC registry → store) against a bare express 5
//             route answering the same JSON body, same load generator; target ≥ ½ of bare express requests/s
//   latency   needs POSTed at a sustained rate, time until each one's first MatchProposed arrives on the gateway's
//             SSE stream; target p99 < 250 ms at 200 needs/s
//   matching  the last `npm run bench:matching` results (bench/results/matching.json), read, not rerun
//
// The platform runs as `npm start` runs it: every service its own process, on Kafka and the store of
// KAFKA_BROKERS / MONGO_URL, else infra/local (stopped again only if this run started it). Each run uses its own
// topic prefix and databases, removed at the end. Progress goes to stderr; a Markdown table to stdout; the figures
// to bench/results/performance.json and the chart to bench/results/performance.svg.
//
//   npm run bench -- [--quick] [--only pipeline,gateway,latency] [--rate 200] [--duration 60] [--drain 60]
//                    [--enterprises 300] [--capabilities 600] [--pipeline-events 1000] [--raw-records 300000]
//                    [--payload-bytes 400] [--gateway-seconds 10] [--gateway-rounds 2] [--connections 16]
//                    [--without-telemetry] [--seed 20250701] [--out bench/results/performance.json]
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Topics } from '@lienket/contracts';
import cliProgress from 'cli-progress';
import type { Admin } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { capabilities, enterprises } from './perf-data';
import { benchGateway, type GatewayResult } from './perf-gateway';
import { benchLatency, type LatencyResult } from './perf-latency';
import { benchPipeline, type PipelineResult } from './perf-pipeline';
import {
  type Infra,
  kafkaClient,
  log,
  type Platform,
  pool,
  provisionInfra,
  releaseInfra,
  removeRunData,
  request,
  sleep,
  startPlatform,
  token,
  waitForGroups,
} from './perf-platform';
import { fmt, fmtMs, fmtRatio, meets, ratio, round, toJson } from './perf-stats';
import { type Panel, renderSvg } from './perf-svg';

const ROOT = resolve(__dirname, '../..');
const SECTIONS = ['pipeline', 'gateway', 'latency'] as const;
type Section = (typeof SECTIONS)[number];

/** Seeding posts this many at a time and waits for the registry to publish them (see paced). */
const SEED_CHUNK = 20;

const TARGET = {
  latencyP99Ms: 250,
  latencyRate: 200,
  relayShare: 0.5,
  gatewayShare: 0.5,
};

// ---------------------------------------------------------------- options

interface Options {
  only: Section[];
  quick: boolean;
  rate: number;
  durationS: number;
  lightRate: number;
  lightDurationS: number;
  drainS: number;
  enterprises: number;
  capabilities: number;
  pipelineEvents: number;
  rawRecords: number;
  payloadBytes: number;
  gatewaySeconds: number;
  gatewayRounds: number;
  connections: number;
  /** null: the services' default (200). */
  relayBatch: number | null;
  telemetry: boolean;
  seed: number;
  out: string;
  svg: string;
}

function positive(name: string, text: string | undefined): number {
  const value = Number(String(text).replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`--${name} must be a positive number, got ${text}`);
  return value;
}

export function options(argv: string[] = process.argv.slice(2)): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      rate: { type: 'string' },
      'light-rate': { type: 'string', default: '5' },
      'light-duration': { type: 'string' },
      duration: { type: 'string' },
      drain: { type: 'string' },
      enterprises: { type: 'string' },
      capabilities: { type: 'string' },
      'pipeline-events': { type: 'string' },
      'raw-records': { type: 'string' },
      'payload-bytes': { type: 'string' },
      'gateway-seconds': { type: 'string' },
      'gateway-rounds': { type: 'string' },
      connections: { type: 'string' },
      'relay-batch': { type: 'string' },
      'without-telemetry': { type: 'boolean', default: false },
      seed: { type: 'string', default: '20250701' },
      out: { type: 'string' },
      svg: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  // --quick: small and short, to check that everything works (its figures mean little).
  const d = quick
    ? {
        rate: '50',
        duration: '10',
        drain: '20',
        ent: '60',
        cap: '120',
        events: '300',
        raw: '50000',
        gs: '3',
        gr: '1',
      }
    : {
        rate: '200',
        duration: '60',
        drain: '60',
        ent: '300',
        cap: '600',
        events: '1000',
        raw: '300000',
        gs: '10',
        gr: '2',
      };
  const only = (values.only ?? SECTIONS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only)
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new RangeError(`--only takes ${SECTIONS.join(', ')}; got ${s}`);
  const defaultOut = quick ? 'bench/results/performance.quick.json' : 'bench/results/performance.json';
  const out = resolve(ROOT, values.out ?? defaultOut);
  return {
    only: only as Section[],
    quick,
    rate: positive('rate', values.rate ?? d.rate),
    durationS: positive('duration', values.duration ?? d.duration),
    lightRate: positive('light-rate', values['light-rate']),
    lightDurationS: positive('light-duration', values['light-duration'] ?? (quick ? '5' : '10')),
    drainS: positive('drain', values.drain ?? d.drain),
    enterprises: Math.round(positive('enterprises', values.enterprises ?? d.ent)),
    capabilities: Math.round(positive('capabilities', values.capabilities ?? d.cap)),
    pipelineEvents: Math.round(positive('pipeline-events', values['pipeline-events'] ?? d.events)),
    rawRecords: Math.round(positive('raw-records', values['raw-records'] ?? d.raw)),
    payloadBytes: Math.round(positive('payload-bytes', values['payload-bytes'] ?? '400')),
    gatewaySeconds: positive('gateway-seconds', values['gateway-seconds'] ?? d.gs),
    gatewayRounds: Math.round(positive('gateway-rounds', values['gateway-rounds'] ?? d.gr)),
    connections: Math.round(positive('connections', values.connections ?? '16')),
    relayBatch:
      values['relay-batch'] === undefined ? null : Math.round(positive('relay-batch', values['relay-batch'])),
    telemetry: values['without-telemetry'] !== true,
    seed: Math.round(positive('seed', values.seed)),
    out,
    svg: resolve(ROOT, values.svg ?? out.replace(/\.json$/, '.svg')),
  };
}

// ---------------------------------------------------------------- progress

function bar(label: string, total: number, format?: string): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar(
    {
      format: format ?? `{label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { label: label.padEnd(22), answered: 0, p99: '–' });
  return b;
}

// ---------------------------------------------------------------- seeding through the gateway

interface Seeded {
  enterprises: { id: string; line: number; token: string }[];
  capabilities: number;
  seedMs: number;
  indexWaitMs: number;
  rejected: number;
}

/** Sum of the end offsets of `topic`: how many events it holds. */
async function topicCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
  return offsets.reduce((sum, o) => sum + Number(o.high), 0);
}

/**
 * Posts `items` in chunks of SEED_CHUNK, each chunk only once the registry has put the previous one on `topic`, so
 * the data is settled (every event on Kafka) before a section measures anything.
 */
async function paced<T>(
  items: readonly T[],
  admin: Admin,
  topic: string,
  label: string,
  work: (item: T) => Promise<boolean>,
): Promise<boolean[]> {
  const b = bar(label, items.length);
  const base = await topicCount(admin, topic);
  const results: boolean[] = [];
  for (let from = 0; from < items.length; from += SEED_CHUNK) {
    results.push(...(await pool(items.slice(from, from + SEED_CHUNK), 8, work)));
    const expected = base + results.filter(Boolean).length;
    const deadline = Date.now() + 60_000;
    while ((await topicCount(admin, topic)) < expected) {
      if (Date.now() > deadline) throw new Error(`the registry did not publish ${label} within 60 s`);
      await sleep(20);
    }
    b.update(results.length);
  }
  b.stop();
  return results;
}

async function seed(platform: Platform, infra: Infra, opts: Options): Promise<Seeded> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const admin = await token({ sub: 'bench-admin', role: 'admin' });
  const kafkaAdmin = kafkaClient(infra, 'bench-seed').admin();
  await kafkaAdmin.connect();
  const t0 = Date.now();
  let rejected = 0;
  const refused = (what: string, answer: { status: number; body: unknown }) => {
    rejected += 1;
    if (rejected <= 3)
      log(`\n  ${what} refused (${answer.status}): ${JSON.stringify(answer.body).slice(0, 300)}`);
  };
  const drafts = enterprises(opts.seed, opts.enterprises);
  const ids: ({ id: string; line: number } | null)[] = [];
  await paced(
    drafts,
    kafkaAdmin,
    `${platform.prefix}${Topics.registryEnterprise}`,
    'register enterprises',
    async (draft) => {
      const answer = await request(agent, platform.url, 'POST', '/v1/enterprises', admin, draft.body);
      if (answer.status !== 201) {
        refused('enterprise', answer);
        return false;
      }
      ids.push({ id: (answer.body.enterprise as { id: string }).id, line: draft.line });
      return true;
    },
  );
  const owners = ids.filter((x): x is { id: string; line: number } => x !== null);
  const caps = capabilities(opts.seed + 1, opts.capabilities, owners);
  const posted = await paced(
    caps,
    kafkaAdmin,
    `${platform.prefix}${Topics.registryCapability}`,
    'post capabilities',
    async (body) => {
      const answer = await request(agent, platform.url, 'POST', '/v1/capabilities', admin, body);
      if (answer.status !== 201) refused('capability', answer);
      return answer.status === 201;
    },
  );
  await kafkaAdmin.disconnect();
  agent.destroy();
  const seedMs = Date.now() - t0;
  log(
    `  seeded ${owners.length} enterprises and ${posted.filter(Boolean).length} capabilities in ${(seedMs / 1000).toFixed(1)} s` +
      `${rejected > 0 ? ` (${rejected} refused)` : ''}`,
  );
  // Matchmaking indexes every registry event (and looks for needs each capability could serve) before needs come.
  const w0 = Date.now();
  const lagBar = bar('matchmaking catch-up', 1, '{label} events behind: {lag} | {duration_formatted}');
  const lag = await waitForGroups(kafkaClient(infra, 'bench-lag'), platform.matchmakingGroups, 120_000, (l) =>
    lagBar.update(0, { lag: l }),
  );
  lagBar.stop();
  if (lag > 0) log(`  matchmaking still ${lag} events behind after 2 minutes; going on`);
  const tokens = await Promise.all(
    owners.map((o) => token({ sub: `bench-user-${o.id}`, role: 'enterprise', enterprise_id: o.id })),
  );
  return {
    enterprises: owners.map((o, i) => ({ ...o, token: tokens[i] as string })),
    capabilities: posted.filter(Boolean).length,
    seedMs,
    indexWaitMs: Date.now() - w0,
    rejected,
  };
}

/** Whether the store still takes an update within 10 s (a wedged FerretDB answers reads but never writes). */
async function storeTakesWrites(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const update = client
      .db('bench_write_probe')
      .collection<{ _id: string; at: Date }>('probe')
      .updateOne({ _id: 'probe' }, { $set: { at: new Date() } }, { upsert: true })
      .then(() => true);
    return await Promise.race([update, sleep(10_000).then(() => false)]);
  } catch {
    return false;
  } finally {
    void client.close(true).catch(() => undefined);
  }
}

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

function readMatching(): MatchingRef | null {
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

function targetsOf(
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
      target: `relay ≥ ${TARGET.relayShare} × ProducerPerformance events/s`,
      measured: r.pipeline?.ratios.relayToProducerPerformance ?? null,
      met: meets(r.pipeline?.ratios.relayToProducerPerformance, TARGET.relayShare, 'atLeast'),
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

const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'NOT met');

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
      `relay / ProducerPerformance ${fmtRatio(p.ratios.relayToProducerPerformance)}; relay / kafkajs ${fmtRatio(p.ratios.relayToKafkajs)}; write + relay ${fmt(p.writeAndRelay.eventsPerSecond, 0)} events/s`,
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

export function chart(r: Report): string {
  const panels: Panel[] = [];
  for (const l of [r.latencyLight, r.latency]) {
    if (!l) continue;
    panels.push({
      kind: 'series',
      title: `Need posted → first MatchProposed on SSE: ${l.targetRate} needs/s offered, ${fmt(l.achievedRate, 1)}/s accepted`,
      unit: `ms; ${l.withProposal} needs answered, ${l.unmet} unmet, ${l.unanswered} not within ${r.options.drainS} s`,
      series: [
        {
          label: 'p50',
          color: '#2563eb',
          points: l.timeline.map((b) => ({ x: b.fromS, y: Math.max(0.1, b.p50) })),
        },
        {
          label: 'p99',
          color: '#f59e0b',
          points: l.timeline.map((b) => ({ x: b.fromS, y: Math.max(0.1, b.p99) })),
        },
      ],
      marker: { value: TARGET.latencyP99Ms, label: `target p99 ${TARGET.latencyP99Ms} ms` },
      empty: `no need got a proposal in this phase (${l.accepted} of ${l.posted} POSTs accepted)`,
    });
  }
  const p = r.pipeline;
  if (p) {
    const java = 'error' in p.producerPerformance ? null : p.producerPerformance.eventsPerSecond;
    panels.push({
      kind: 'bars',
      title: `Event pipeline: events/s acknowledged by Kafka (acks=all, ${p.recordBytes} B records)`,
      unit: 'events per second',
      scale: 'log',
      bars: [
        {
          label: 'Kafka ProducerPerformance (Java)',
          value: java,
          note: java ? `${fmt(java, 0)}/s` : 'failed',
          color: '#6b7280',
        },
        {
          label: 'kafkajs publisher, no store',
          value: p.kafkajs.eventsPerSecond,
          note: `${fmt(p.kafkajs.eventsPerSecond, 0)}/s (${fmtRatio(ratio(p.kafkajs.eventsPerSecond, java))} of Java)`,
          color: '#93c5fd',
        },
        {
          label: 'outbox relay (backlog drain)',
          value: p.relay.eventsPerSecond,
          note: `${fmt(p.relay.eventsPerSecond, 0)}/s (${fmtRatio(p.ratios.relayToProducerPerformance)} of Java)`,
          color: '#2563eb',
        },
        {
          label: 'write + relay (8 writers)',
          value: p.writeAndRelay.eventsPerSecond,
          note: `${fmt(p.writeAndRelay.eventsPerSecond, 0)}/s`,
          color: '#1e40af',
        },
      ],
      ...(java ? { marker: { value: java * TARGET.relayShare, label: 'target: ½ of Java' } } : {}),
    });
  }
  const g = r.gateway;
  if (g) {
    panels.push({
      kind: 'bars',
      title: `Read route vs bare express: requests/s (${g.connections} keep-alive connections, ${g.bodyBytes} B JSON)`,
      unit: 'requests per second',
      scale: 'linear',
      bars: [
        {
          label: 'bare express 5 (same body)',
          value: g.bare.requestsPerSecond,
          note: `${fmt(g.bare.requestsPerSecond, 0)}/s, p99 ${fmt(g.bare.latencyMs.p99, 1)} ms`,
          color: '#6b7280',
        },
        {
          label: 'gateway GET /healthz',
          value: g.gatewayHealthz.requestsPerSecond,
          note: `${fmt(g.gatewayHealthz.requestsPerSecond, 0)}/s, p99 ${fmt(g.gatewayHealthz.latencyMs.p99, 1)} ms`,
          color: '#93c5fd',
        },
        {
          label: 'gateway GET …, no-cache (gRPC + store)',
          value: g.gatewayReadOrigin.requestsPerSecond,
          note: `${fmt(g.gatewayReadOrigin.requestsPerSecond, 0)}/s, p99 ${fmt(g.gatewayReadOrigin.latencyMs.p99, 1)} ms (${fmtRatio(g.ratios.originReadToBareRequestsPerSecond)})`,
          color: '#bfdbfe',
        },
        {
          label: 'gateway GET /v1/enterprises/{id}',
          value: g.gatewayRead.requestsPerSecond,
          note: `${fmt(g.gatewayRead.requestsPerSecond, 0)}/s, p99 ${fmt(g.gatewayRead.latencyMs.p99, 1)} ms (${fmtRatio(g.ratios.readToBareRequestsPerSecond)})`,
          color: '#2563eb',
        },
      ],
      marker: { value: g.bare.requestsPerSecond * TARGET.gatewayShare, label: 'target: ½ of bare' },
    });
  }
  const m = r.matching;
  if (m) {
    panels.push({
      kind: 'bars',
      title: `Matching, top-10 per need (npm run bench:matching, ${m.date.slice(0, 10)}; not rerun)`,
      unit: 'milliseconds',
      scale: 'log',
      bars: m.rows.flatMap((row) => [
        {
          label: `index p50 at ${row.size.toLocaleString('en')}`,
          value: row.p50,
          note: `${fmt(row.p50, 2)} ms`,
          color: '#93c5fd',
        },
        {
          label: `index p99 at ${row.size.toLocaleString('en')}`,
          value: row.p99,
          note: `${fmt(row.p99, 2)} ms`,
          color: '#2563eb',
        },
        ...(row.storeP50 === null
          ? []
          : [
              {
                label: `store query p50 at ${row.size.toLocaleString('en')}`,
                value: row.storeP50,
                note: `${fmt(row.storeP50, 0)} ms`,
                color: '#6b7280',
              },
            ]),
      ]),
      marker: { value: 10, label: 'target p99 10 ms at 1M' },
    });
  }
  const machine = `${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.node}, ${r.infra.store ?? 'store'}, Kafka ${r.infra.kafka}`;
  return renderSvg(
    `LienKet performance${r.quick ? ' (quick run)' : ''}`,
    `${r.date.slice(0, 16).replace('T', ' ')} UTC · ${machine} · load average at start ${r.machine.loadAverage.atStart.map((x) => x.toFixed(1)).join(' ')}`,
    panels,
  );
}

// ---------------------------------------------------------------- main

async function storeName(url: string): Promise<string | null> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const info = await client.db('admin').command({ buildInfo: 1 });
    return `${'ferretdbVersion' in info ? `FerretDB ${String(info.ferretdbVersion)}` : 'MongoDB'} (reports ${String(info.version)})`;
  } catch {
    return null;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date();
  const loadAtStart = os.loadavg().map((x) => round(x, 2));
  const runId = startedAt.getTime().toString(36);
  const prefix = `bench${runId}.`;
  const workDir = join(os.tmpdir(), `perfbench-${runId}`);
  mkdirSync(workDir, { recursive: true });
  log(
    `LienKet performance benchmark${opts.quick ? ' (quick)' : ''}: ${opts.only.join(', ')}; run ${runId}, logs in ${workDir}`,
  );

  const infra = await provisionInfra(ROOT, join(workDir, 'infra'));
  const store = await storeName(infra.mongoUrl);
  const kafkaVersion = infra.kafkaLibs
    ? (/kafka\/([^/]+?)-[0-9a-f]+\/libs/.exec(infra.kafkaLibs)?.[1] ?? 'unknown')
    : 'unknown';
  log(
    `infra: Kafka ${infra.kafkaBrokers.join(',')} (${kafkaVersion}), store ${infra.mongoUrl} (${store ?? 'unknown'})`,
  );
  let platform: Platform | null = null;
  const databases = [`bench_${runId}_pipeline`];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (platform) {
      log('platform: stopping the services');
      await platform.stop().catch((e) => log(`  ${String(e)}`));
      databases.push(...platform.databases);
    }
    log('cleanup: this run’s topics and databases');
    if (infra.env) await releaseInfra(ROOT, infra).catch((e) => log(`  ${String(e)}`));
    else await removeRunData(infra, prefix, databases).catch((e) => log(`  cleanup failed: ${String(e)}`));
  };
  const interrupted = () => {
    log('\ninterrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  let pipeline: PipelineResult | null = null;
  let gateway: GatewayResult | null = null;
  let latency: LatencyResult | null = null;
  let latencyLight: LatencyResult | null = null;
  let storeUse: StoreTimeRow[] = [];
  const storeWrites: Record<string, boolean> = {};
  let seeded: Seeded | null = null;
  const failures: Record<string, string> = {};
  try {
    if (opts.only.includes('pipeline')) {
      log('\n== event pipeline: outbox relay against Kafka’s own producer');
      const relayBatch = opts.relayBatch ?? 200;
      try {
        pipeline = await benchPipeline({
          infra,
          prefix,
          database: `bench_${runId}_pipeline`,
          events: opts.pipelineEvents,
          rawRecords: opts.rawRecords,
          payloadBytes: opts.payloadBytes,
          relayBatch,
          bar,
        });
      } catch (error) {
        failures.pipeline = String(error instanceof Error ? error.message : error);
        log(`  pipeline failed: ${failures.pipeline}`);
      }
    }
    if (opts.only.includes('gateway') || opts.only.includes('latency')) {
      log(
        `\n== platform: every service as its own process${opts.telemetry ? ' (with the OpenTelemetry preload, as npm start)' : ''}`,
      );
      platform = await startPlatform({
        root: ROOT,
        infra,
        prefix,
        runId,
        logDir: workDir,
        telemetry: opts.telemetry,
      });
      log(`  gateway at ${platform.url}`);
      // Kafka's and the store's processes too, when this run started them: where the CPU goes.
      for (const name of ['kafka', 'store']) {
        const file = infra.env?.LIENKET_HOME ? join(infra.env.LIENKET_HOME, 'run', `${name}.pid`) : '';
        if (file && existsSync(file)) platform.pids[name] = Number(readFileSync(file, 'utf8').trim());
      }
      try {
        seeded = await seed(platform, infra, opts);
      } catch (error) {
        failures.seed = String(error instanceof Error ? error.message : error);
        log(`  seeding failed: ${failures.seed}`);
      }
      storeWrites.afterSeed = await storeTakesWrites(infra.mongoUrl);
      if (!storeWrites.afterSeed) log('  the store no longer takes writes');
    }
    if (platform && seeded && opts.only.includes('gateway')) {
      log('\n== gateway read route against bare express');
      try {
        gateway = await benchGateway({
          url: platform.url,
          enterpriseIds: seeded.enterprises.slice(0, 200).map((e) => e.id),
          token: seeded.enterprises[0]?.token ?? '',
          connections: opts.connections,
          durationMs: opts.gatewaySeconds * 1000,
          warmupMs: Math.min(3_000, opts.gatewaySeconds * 500),
          rounds: opts.gatewayRounds,
          workDir,
          bareServer: join(__dirname, 'perf-bare-server.js'),
          pids: platform.pids,
          metricsUrl: platform.metricsUrls.gateway ?? '',
          bar,
        });
      } catch (error) {
        failures.gateway = String(error instanceof Error ? error.message : error);
        log(`  gateway failed: ${failures.gateway}`);
      }
      storeWrites.afterGateway = await storeTakesWrites(infra.mongoUrl);
    }
    if (platform && seeded && opts.only.includes('latency')) {
      const streamToken = await token({ sub: 'bench-analyst', role: 'analyst' });
      const phase = async (rate: number, seconds: number, warmupNeeds: number, seed: number) => {
        const result = await benchLatency({
          url: (platform as Platform).url,
          buyers: (seeded as Seeded).enterprises,
          streamToken,
          rate,
          durationMs: seconds * 1000,
          warmupNeeds,
          drainMs: opts.drainS * 1000,
          seed,
          pids: (platform as Platform).pids,
          bar,
        });
        const f = result.firstProposalMs;
        log(
          `  first proposal: p50 ${fmtMs(f.p50)}, p90 ${fmtMs(f.p90)}, p99 ${fmtMs(f.p99)}, max ${fmtMs(f.max)}; ` +
            `${result.withProposal} with a proposal, ${result.unmet} unmet, ${result.unanswered} unanswered; accepted ${result.achievedRate} needs/s` +
            `${Object.keys(result.failedPosts).length > 0 ? `; refused POSTs ${JSON.stringify(result.failedPosts)}` : ''}`,
        );
        return result;
      };
      try {
        log(
          `\n== need posted → proposal on the SSE stream, light load first: ${opts.lightRate} needs/s for ${opts.lightDurationS} s`,
        );
        latencyLight = await phase(opts.lightRate, opts.lightDurationS, 20, opts.seed + 2);
        log(`\n== need posted → proposal on the SSE stream, ${opts.rate} needs/s for ${opts.durationS} s`);
        const storeBefore = await storeTime((platform as Platform).metricsUrls);
        latency = await phase(opts.rate, opts.durationS, 0, opts.seed + 3);
        storeUse = diffStoreTime(storeBefore, await storeTime((platform as Platform).metricsUrls));
        log('  store time by command during that phase (as the services timed their calls):');
        for (const row of storeUse.slice(0, 12))
          log(
            `    ${row.service.padEnd(12)} ${row.command.padEnd(10)} ${row.collection.padEnd(34)} ${String(row.count).padStart(7)} × ${row.meanMs.toFixed(1).padStart(7)} ms = ${row.seconds.toFixed(1)} s`,
          );
      } catch (error) {
        failures.latency = String(error instanceof Error ? error.message : error);
        log(`  latency failed: ${failures.latency}`);
      }
      storeWrites.afterLatency = await storeTakesWrites(infra.mongoUrl);
    }
  } finally {
    await cleanup();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }

  const matching = readMatching();
  const cpus = os.cpus();
  const partial = { pipeline, gateway, latency, latencyLight, storeTimeDuringLatency: storeUse, matching };
  const report: Report = {
    benchmark:
      'platform performance: need → proposal on the SSE stream, outbox relay vs Kafka producer, gateway read vs bare express',
    date: startedAt.toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    quick: opts.quick,
    machine: {
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      cpus: cpus.length,
      totalMemoryGb: round(os.totalmem() / 2 ** 30, 1),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map((x) => round(x, 2)) },
    },
    node: process.version,
    infra: { source: infra.source, store, kafka: kafkaVersion },
    options: {
      only: opts.only,
      rate: opts.rate,
      durationS: opts.durationS,
      lightRate: opts.lightRate,
      lightDurationS: opts.lightDurationS,
      drainS: opts.drainS,
      enterprises: opts.enterprises,
      capabilities: opts.capabilities,
      pipelineEvents: opts.pipelineEvents,
      rawRecords: opts.rawRecords,
      payloadBytes: opts.payloadBytes,
      gatewaySeconds: opts.gatewaySeconds,
      gatewayRounds: opts.gatewayRounds,
      connections: opts.connections,
      telemetry: opts.telemetry,
      seed: opts.seed,
    },
    notes: [
      'every service runs as its own process the way npm start runs it (node -r @lienket/platform/telemetry services/<name>/dist/main.js, default settings), with a run-specific topic prefix and databases; the gateway per-caller rate limit is raised so that one load generator is not throttled',
      'latency: open loop, each POST /v1/needs starts at its scheduled time (rate × duration needs) with a random seeded enterprise as the signed-in caller; the time is from the start of the POST until the first MatchProposed with that needId is read from one GET /v1/events/stream?type=…proposal.proposed,…demand.unmet connection, both on this process’s clock; needs answered with DemandUnmet are counted apart; needs with neither within the drain window count as Infinity in firstProposalMs (shown as "> drain"); firstProposalAnsweredOnlyMs leaves them out',
      'pipeline: relay = a backlog of documents written with outboxFields (one ProbePinged event each, the payload padded to payloadBytes), drained by createOutboxRelay with its defaults (batch 200) through createEventPublisher (idempotent kafkajs, acks=-1), timed from start to the last acknowledged event (written before the relay started, so found by reading the collection through, as after a restart); writeAndRelay = 8 concurrent writers each waking the relay as a service does, the relay learning their ids from the client’s command monitoring as in the services; kafkajs = the same publisher sending the same events in batches of 200 with no store; ProducerPerformance = Kafka’s Java tool from the jars infra/local runs Kafka from, records of the same size as the relay’s messages on the wire (key + value + headers), acks=all, idempotence on, its own defaults otherwise; all to 6-partition topics of the same broker',
      'gateway: the same closed-loop keep-alive generator (node:http, bench/perf-load.ts) with the same bearer token against each target in interleaved rounds after a warm-up; the bare express 5 app runs in its own process and answers the gateway’s own response object for the first enterprise with res.json; GET /v1/enterprises/{id} is read as clients read it (from the gateway’s read cache once warm: readCache counts its hits and misses over those windows) and again with Cache-Control: no-cache (every request through gRPC to the registry and its store); /healthz shows the gateway’s HTTP stack alone',
      'percentiles by nearest rank; every baseline was measured on the same machine in the same run; other work shared the 2-core machine (load average in machine.loadAverage)',
    ],
    seeded: seeded ? { ...seeded, enterprises: seeded.enterprises.length } : null,
    failures,
    storeWrites,
    ...partial,
    targets: targetsOf(partial),
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(`${opts.out}.tmp`, `${toJson(report)}\n`);
  renameSync(`${opts.out}.tmp`, opts.out);
  writeFileSync(opts.svg, chart(report));
  if (Object.keys(failures).length === 0) rmSync(workDir, { recursive: true, force: true });
  else log(`service logs kept in ${workDir}`);

  process.stdout.write(
    [
      '',
      `Performance, ${report.date}: ${report.machine.cpus} × ${report.machine.cpuModel}, node ${report.node}, ${store ?? 'store'}, Kafka ${kafkaVersion}`,
      '',
      markdown(report),
      '',
      ...Object.values(report.targets).map(
        (t) => `- ${t.target}: ${verdict(t.met)}${t.measured === null ? '' : ` (measured ${t.measured})`}`,
      ),
      '',
      `Written: ${relative(ROOT, opts.out)}, ${relative(ROOT, opts.svg)}`,
      '',
    ].join('\n'),
  );
}

if (require.main === module)
  main().catch((error) => {
    process.stderr.write(
      `\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });

interface StoreTimeRow {
  service: string;
  command: string;
  collection: string;
  count: number;
  seconds: number;
  meanMs: number;
}

/** Each service's store command counts and total seconds, from lienket_store_command_duration_seconds. */
async function storeTime(
  urls: Record<string, string>,
): Promise<Map<string, { count: number; seconds: number }>> {
  const totals = new Map<string, { count: number; seconds: number }>();
  for (const [service, url] of Object.entries(urls)) {
    const text = await fetch(url)
      .then((r) => r.text())
      .catch(() => '');
    for (const match of text.matchAll(
      /^lienket_store_command_duration_seconds_(sum|count)\{command="([^"]*)",collection="([^"]*)"\} (\S+)$/gm,
    )) {
      const key = `${service}\t${match[2]}\t${match[3]}`;
      const entry = totals.get(key) ?? { count: 0, seconds: 0 };
      if (match[1] === 'sum') entry.seconds = Number(match[4]);
      else entry.count = Number(match[4]);
      totals.set(key, entry);
    }
  }
  return totals;
}

function diffStoreTime(
  before: Map<string, { count: number; seconds: number }>,
  after: Map<string, { count: number; seconds: number }>,
): StoreTimeRow[] {
  const rows: StoreTimeRow[] = [];
  for (const [key, value] of after) {
    const earlier = before.get(key) ?? { count: 0, seconds: 0 };
    const count = value.count - earlier.count;
    if (count <= 0) continue;
    const seconds = value.seconds - earlier.seconds;
    const [service = '', command = '', collection = ''] = key.split('\t');
    rows.push({
      service,
      command,
      collection,
      count,
      seconds: round(seconds, 2),
      meanMs: round((seconds * 1000) / count, 2),
    });
  }
  return rows.sort((a, b) => b.seconds - a.seconds);
}
