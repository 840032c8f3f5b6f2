// The gateway's read path against bare express: GET /v1/enterprises/{id} as clients call it (served from the
// gateway's read cache, which the registry's enterprise events keep fresh), the same with `Cache-Control: no-cache`
// (every request through gRPC to the registry and its store), and a bare express 5 app answering the same JSON body
// from memory, each in its own process, loaded by the same closed-loop keep-alive generator (bench/perf-load.ts), in
// interleaved rounds so a busy moment of the shared machine weighs on each. The gateway's own /healthz is measured
// alike, to tell its HTTP stack from what is behind it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { SingleBar } from 'cli-progress';
import { runLoad } from './perf-load';
import { cpuSeconds, log, request } from './perf-platform';
import { type Latency, latency, ratio, round } from './perf-stats';

export interface GatewayOptions {
  url: string;
  /** Enterprise ids to read, in turn. */
  enterpriseIds: readonly string[];
  /** Bearer token of the reader (a signed-in enterprise user). */
  token: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  rounds: number;
  workDir: string;
  /** node bench/dist/perf-bare-server.js */
  bareServer: string;
  pids: Record<string, number>;
  /** The gateway's /metrics, for its read-cache hits and misses. */
  metricsUrl: string;
  bar: (label: string, total: number) => SingleBar;
}

export interface TargetResult {
  label: string;
  path: string;
  requests: number;
  non2xx: number;
  errors: number;
  bodyBytes: number;
  requestsPerSecond: number;
  latencyMs: Latency;
  /** Per round, to see the spread. */
  roundsRequestsPerSecond: number[];
  /** CPU seconds per second of wall time of each process, during the measured windows. */
  cpu: Record<string, number>;
}

export interface GatewayResult {
  connections: number;
  durationMsPerRound: number;
  rounds: number;
  bodyBytes: number;
  bare: TargetResult;
  gatewayRead: TargetResult;
  gatewayReadOrigin: TargetResult;
  gatewayHealthz: TargetResult;
  /** Read-cache lookups during the gatewayRead windows (warm-ups included). */
  readCache: { hits: number; misses: number; hitRatio: number | null };
  ratios: {
    readToBareRequestsPerSecond: number | null;
    originReadToBareRequestsPerSecond: number | null;
    readToBareP50Latency: number | null;
    readToBareP99Latency: number | null;
    healthzToBareRequestsPerSecond: number | null;
    /**
     * Requests per CPU-second of the serving process (the gateway's, the bare app's), cached and
     * uncached read against bare: what each request costs its server, less swayed than req/s by
     * other work on a shared machine.
     */
    readToBarePerCpuSecond: number | null;
    originReadToBarePerCpuSecond: number | null;
  };
}

/** Starts bench/dist/perf-bare-server.js on a free port. */
export function startBare(script: string, bodyFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script, bodyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n')[0] ?? '';
      if (text.includes('\n')) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once('exit', (code) => reject(new Error(`the bare express server exited (${code})`)));
  });
}

/** The gateway's read-cache lookups so far, from its /metrics. */
async function cacheLookups(metricsUrl: string): Promise<{ hits: number; misses: number }> {
  const text = await fetch(metricsUrl).then((r) => r.text());
  const count = (result: string) =>
    Number(
      new RegExp(`^lienket_gateway_read_cache_lookups_total\\{result="${result}"\\} (\\S+)`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { hits: count('hit'), misses: count('miss') };
}

/** Requests per CPU-second of the process that served them (null without a CPU figure). */
function perCpuSecond(target: TargetResult, process: string): number | null {
  const cpu = target.cpu[process];
  return cpu ? target.requestsPerSecond / cpu : null;
}

export async function benchGateway(options: GatewayOptions): Promise<GatewayResult> {
  const agent = new http.Agent({ keepAlive: true });
  const firstId = options.enterpriseIds[0] as string;
  const probe = await request(agent, options.url, 'GET', `/v1/enterprises/${firstId}`, options.token);
  agent.destroy();
  if (probe.status !== 200) throw new Error(`GET /v1/enterprises/${firstId} answered ${probe.status}`);
  mkdirSync(options.workDir, { recursive: true });
  const bodyFile = join(options.workDir, 'enterprise.json');
  writeFileSync(bodyFile, JSON.stringify(probe.body));
  const bodyBytes = Buffer.byteLength(JSON.stringify(probe.body));
  const bare = await startBare(options.bareServer, bodyFile);
  const pids = { ...options.pids, bare: bare.child.pid ?? 0 };
  const auth = { authorization: `Bearer ${options.token}` };
  const reads = options.enterpriseIds.map((id) => `/v1/enterprises/${id}`);
  const targets = [
    {
      key: 'bare',
      label: 'bare express 5',
      url: `http://127.0.0.1:${bare.port}`,
      paths: reads,
      headers: auth,
    },
    {
      key: 'gatewayRead',
      label: 'gateway GET /v1/enterprises/{id}',
      url: options.url,
      paths: reads,
      headers: auth,
    },
    {
      key: 'gatewayReadOrigin',
      label: 'gateway GET …, no-cache',
      url: options.url,
      paths: reads,
      headers: { ...auth, 'cache-control': 'no-cache' },
    },
    {
      key: 'gatewayHealthz',
      label: 'gateway GET /healthz',
      url: options.url,
      paths: ['/healthz'],
      headers: auth,
    },
  ] as const;
  const perTarget = new Map<
    string,
    {
      samples: number[];
      runs: Awaited<ReturnType<typeof runLoad>>[];
      cpu: Map<string, number>;
      wallMs: number;
    }
  >();
  for (const t of targets) perTarget.set(t.key, { samples: [], runs: [], cpu: new Map(), wallMs: 0 });
  const lookups = { hits: 0, misses: 0 };
  try {
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of targets) {
        const label = `${target.key} ${round}/${options.rounds}`;
        const cacheBefore = target.key === 'gatewayRead' ? await cacheLookups(options.metricsUrl) : undefined;
        await runLoad({ ...target, connections: options.connections, durationMs: options.warmupMs });
        const bar = options.bar(label, Math.round(options.durationMs / 1000));
        const cpuBefore = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
        const result = await runLoad({
          ...target,
          connections: options.connections,
          durationMs: options.durationMs,
          keepSamples: true,
          onProgress: (_done, elapsedMs) =>
            bar.update(Math.min(Math.round(options.durationMs / 1000), Math.floor(elapsedMs / 1000))),
        });
        bar.update(Math.round(options.durationMs / 1000));
        bar.stop();
        if (cacheBefore) {
          const after = await cacheLookups(options.metricsUrl);
          lookups.hits += after.hits - cacheBefore.hits;
          lookups.misses += after.misses - cacheBefore.misses;
        }
        const entry = perTarget.get(target.key);
        if (!entry) continue;
        entry.runs.push(result);
        entry.samples.push(...(result.samples ?? []));
        entry.wallMs += result.durationMs;
        for (const [name, pid] of Object.entries(pids)) {
          const before = cpuBefore[name];
          const after = cpuSeconds(pid);
          if (before !== null && before !== undefined && after !== null)
            entry.cpu.set(name, (entry.cpu.get(name) ?? 0) + (after - before));
        }
        log(
          `  ${target.label.padEnd(34)} ${result.requestsPerSecond.toLocaleString('en').padStart(8)} req/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms${result.non2xx + result.errors > 0 ? `  (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}`,
        );
      }
    }
  } finally {
    bare.child.kill('SIGTERM');
  }
  const summary = (key: string, label: string, path: string): TargetResult => {
    const entry = perTarget.get(key);
    if (!entry) throw new Error(key);
    const requests = entry.runs.reduce((s, r) => s + r.requests, 0);
    return {
      label,
      path,
      requests,
      non2xx: entry.runs.reduce((s, r) => s + r.non2xx, 0),
      errors: entry.runs.reduce((s, r) => s + r.errors, 0),
      bodyBytes: entry.runs[0]?.bodyBytes ?? 0,
      requestsPerSecond: round((requests * 1000) / Math.max(1, entry.wallMs), 1),
      latencyMs: latency(entry.samples, 3),
      roundsRequestsPerSecond: entry.runs.map((r) => r.requestsPerSecond),
      cpu: Object.fromEntries([...entry.cpu].map(([name, s]) => [name, round((s * 1000) / entry.wallMs, 2)])),
    };
  };
  const bareResult = summary('bare', 'bare express 5, same JSON body', '/v1/enterprises/{id}');
  const read = summary(
    'gatewayRead',
    'gateway, read cache (kept fresh by the registry’s events)',
    '/v1/enterprises/{id}',
  );
  const origin = summary(
    'gatewayReadOrigin',
    'gateway → gRPC registry → store (Cache-Control: no-cache)',
    '/v1/enterprises/{id}',
  );
  const healthz = summary('gatewayHealthz', 'gateway, no backend call', '/healthz');
  return {
    connections: options.connections,
    durationMsPerRound: options.durationMs,
    rounds: options.rounds,
    bodyBytes,
    bare: bareResult,
    gatewayRead: read,
    gatewayReadOrigin: origin,
    gatewayHealthz: healthz,
    readCache: {
      ...lookups,
      hitRatio:
        lookups.hits + lookups.misses > 0 ? round(lookups.hits / (lookups.hits + lookups.misses), 4) : null,
    },
    ratios: {
      readToBareRequestsPerSecond: ratio(read.requestsPerSecond, bareResult.requestsPerSecond),
      originReadToBareRequestsPerSecond: ratio(origin.requestsPerSecond, bareResult.requestsPerSecond),
      readToBareP50Latency: ratio(read.latencyMs.p50, bareResult.latencyMs.p50),
      readToBareP99Latency: ratio(read.latencyMs.p99, bareResult.latencyMs.p99),
      healthzToBareRequestsPerSecond: ratio(healthz.requestsPerSecond, bareResult.requestsPerSecond),
      readToBarePerCpuSecond: ratio(perCpuSecond(read, 'gateway'), perCpuSecond(bareResult, 'bare')),
      originReadToBarePerCpuSecond: ratio(perCpuSecond(origin, 'gateway'), perCpuSecond(bareResult, 'bare')),
    },
  };
}
