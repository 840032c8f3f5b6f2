// Platform performance benchmark: the figures the issue asks for, each against a baseline measured on the same
// machine in the same run (never an absolute time that depends on the machine alone):
//
//   pipeline  outbox relay (documents written with outboxFields → acknowledged on Kafka) against the services'
//             kafkajs publisher alone and Kafka's own ProducerPerformance on the same broker; target relay ≥ ½ of it
//   gateway   GET /v1/enterprises/{id} through the gateway (→ gRPC registry → store) against a bare express 5
//             route answering the same JSON body, same load generator; target ≥ ½ of bare express requests/s
//   latency   the load curve (perf-curve.ts): needs POSTed at 10, 50, 100 and 200 needs/s in turn, needs answered
//             and the time until each one's first MatchProposed arrives on the gateway's SSE stream (target p99 <
//             250 ms at 200 needs/s, every need answered), and the store commands every service sent per posted
//             need (target ≤ 10)
//   matching  the last `npm run bench:matching` results (bench/results/matching.json), read, not rerun
//
// The platform runs as `npm start` runs it: every service its own process, on Kafka and the store of
// KAFKA_BROKERS / MONGO_URL, else infra/local (stopped again only if this run started it). Each run uses its own
// topic prefix and databases, removed at the end. Progress goes to stderr; a Markdown table to stdout; the figures
// to bench/results/performance.json and the chart to bench/results/performance.svg.
//
//   npm run bench -- [--quick] [--only pipeline,gateway,latency] [--rates 10,50,100,200] [--duration 60] [--drain 60]
//                    [--warmup-needs 20] [--idle 15]
//                    [--enterprises 300] [--capabilities 600] [--pipeline-events 1000] [--raw-records 300000]
//                    [--payload-bytes 400] [--gateway-seconds 10] [--gateway-rounds 2] [--connections 16]
//                    [--without-telemetry] [--seed 20250701] [--out bench/results/performance.json]
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { MongoClient } from 'mongodb';
import { chart } from './perf-chart';
import { type LoadCurve, runCurve } from './perf-curve';
import { benchGateway, type GatewayResult } from './perf-gateway';
import { options, ROOT } from './perf-options';
import { benchPipeline, type PipelineResult } from './perf-pipeline';
import {
  log,
  type Platform,
  provisionInfra,
  releaseInfra,
  removeRunData,
  startPlatform,
  token,
} from './perf-platform';
import { markdown, type Report, readMatching, targetsOf, verdict } from './perf-report';
import { bar, type Seeded, seed, storeTakesWrites } from './perf-seed';
import { round, toJson } from './perf-stats';

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
  let curve: LoadCurve | null = null;
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
      try {
        curve = await runCurve({
          platform,
          infra,
          seeded,
          streamToken: await token({ sub: 'bench-analyst', role: 'analyst' }),
          rates: opts.rates,
          durationS: opts.durationS,
          drainS: opts.drainS,
          warmupNeeds: opts.warmupNeeds,
          idleS: opts.idleS,
          seed: opts.seed,
          workDir,
          bareServer: join(__dirname, 'perf-bare-server.js'),
          bar,
        });
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
  const partial = { pipeline, gateway, loadCurve: curve, matching };
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
      rates: opts.rates,
      durationS: opts.durationS,
      warmupNeeds: opts.warmupNeeds,
      idleS: opts.idleS,
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
      'loadCurve: one phase per offered rate, in order; open loop, each POST /v1/needs starts at its scheduled time (rate × duration needs) with a random seeded enterprise as the signed-in caller, over a keep-alive agent with room for every POST in flight; generator.sentRate is the rate POSTs actually started at (keptUp: ≥ 98 % of the offered rate), achievedRate the rate of accepted ones; generatorCheck is the same generator against a bare express POST route at the highest rate first; the time is from the start of the POST until the first MatchProposed with that needId is read from one GET /v1/events/stream?type=…proposal.proposed,…demand.unmet connection, both on this process’s clock; needs answered with DemandUnmet count as answered but apart; needs with neither within the drain window count as Infinity in firstProposalMs (shown as "> drain"); firstProposalAnsweredOnlyMs leaves them out',
      'storeCommands: every service’s lienket_store_commands_total (the driver’s command monitoring, every outcome) scraped before a phase and after it once every need is answered and every consumer group of the run has committed its topics to the end and no outbox holds an event, twice a second apart (settled; otherwise the figure is a lower bound), divided by the needs accepted in the phase; background = what the services sent per second in an idle window before the curve (jobs, leases, polls) × the phase’s seconds, left out in perNeedWithoutBackground',
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
