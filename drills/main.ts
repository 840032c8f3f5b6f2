// `npm run drills` (`-- --quick` for a short check): fault drills on real processes. Brings up a
// separate Kafka and store (own LIENKET_HOME and ports), starts the five services, builds a small
// world, then breaks things under load and checks that nothing accepted is lost or applied twice.
// Report: bench/results/drills.json. Exit code 1 when an invariant fails.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { type Context, drain } from './checks';
import { createClients, devToken } from './clients';
import { DEV_SECRET, Infrastructure, type Platform, root, startPlatform, stopPlatform } from './cluster';
import {
  brokerRestartDrill,
  type DrillEnv,
  type DrillResult,
  killDrill,
  poisonAndDuplicatesDrill,
  type Settings,
  storeRestartDrill,
} from './drills';
import { kafkaClient, Tap } from './kafka';
import { buildWorld } from './scenario';
import { Store } from './store';
import { log, round, seconds } from './util';

/** Run order: poison and duplicates first, on a platform no fault has touched yet. */
const drills = {
  poison: poisonAndDuplicatesDrill,
  broker: brokerRestartDrill,
  kill: killDrill,
  store: storeRestartDrill,
} as const;
type DrillName = keyof typeof drills;

function parseArgs(argv: string[]) {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const [name, value] = arg.replace(/^--/, '').split('=');
    flags.set(name as string, value ?? 'true');
  }
  if (flags.has('help')) {
    process.stdout.write(
      'usage: npm run drills -- [--quick] [--only=poison,broker,kill,store] [--rate=N] [--concurrency=N] [--keep] [--out=path]\n',
    );
    process.exit(0);
  }
  const quick = flags.has('quick');
  const only = (flags.get('only')?.split(',') ?? Object.keys(drills)) as DrillName[];
  for (const name of only)
    if (!(name in drills)) throw new Error(`unknown drill ${name}; known: ${Object.keys(drills).join(', ')}`);
  const rate = Number(flags.get('rate') ?? (quick ? 40 : 200));
  const settings: Settings = {
    quick,
    rate,
    brokerLoadMs: quick ? 25_000 : 60_000,
    brokerDownMs: 10_000,
    killPhaseMs: quick ? 15_000 : 30_000,
    storeLoadMs: quick ? 20_000 : 40_000,
    storeDownMs: quick ? 5_000 : 8_000,
    drainTimeoutMs: quick ? 240_000 : 600_000,
    // Room for every call in flight at the rate while answers take up to a second (Little's law), so the
    // generator offers the rate it is given; beyond it due calls are counted as not sent (notSentClientSaturated).
    concurrency: Number(flags.get('concurrency') ?? Math.max(quick ? 8 : 16, Math.ceil(rate))),
    stallMs: quick ? 60_000 : 120_000,
    afterRecoveryMs: quick ? 8_000 : 15_000,
    duplicateSamplesPerTopic: quick ? 10 : 40,
    duplicateCopies: quick ? 5 : 25,
  };
  return {
    settings,
    only,
    keep: flags.has('keep'),
    out: flags.get('out') ?? join(root, 'bench/results/drills.json'),
  };
}

function writeReport(path: string, report: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

function printSummary(results: DrillResult[]) {
  process.stdout.write('\nFault drills\n');
  const row = (r: DrillResult, indent = '') => {
    const failed = r.invariants.filter((i) => !i.pass).length;
    process.stdout.write(
      `${indent}${r.pass ? 'PASS' : 'FAIL'}  ${r.title} (${r.durationS} s, ${r.invariants.length - failed}/${r.invariants.length} invariants)\n`,
    );
    for (const i of r.invariants.filter((x) => !x.pass)) {
      process.stdout.write(`${indent}      FAIL ${i.name}: ${i.detail}\n`);
      for (const example of i.examples ?? []) process.stdout.write(`${indent}           ${example}\n`);
    }
    for (const p of r.phases ?? []) row(p, `${indent}    `);
  };
  for (const r of results) row(r);
}

async function main() {
  const { settings, only, keep, out } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const report: Record<string, unknown> = {
    what: 'Fault drills on real processes (npm run drills)',
    command: `npm run drills${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: settings.quick ? 'quick' : 'full',
    startedAt: new Date(started).toISOString(),
    machine: { cpus: cpus().length, memoryGb: round(totalmem() / 2 ** 30), node: process.version },
    settings,
    drills: [] as DrillResult[],
  };
  log(
    `LienKet fault drills (${settings.quick ? 'quick' : 'full'}): ${only.join(', ')}; target ${settings.rate} needs/s`,
  );

  let infra: Infrastructure | undefined;
  let platform: Platform | undefined;
  let store: Store | undefined;
  let tap: Tap | undefined;
  let ctx: Context | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= stopEverything();
    return cleaning;
  };
  const stopEverything = async () => {
    await tap?.stop().catch(() => undefined);
    ctx?.clients.close();
    await ctx?.admin.disconnect().catch(() => undefined);
    await store?.close().catch(() => undefined);
    if (platform) await stopPlatform(platform).catch(() => undefined);
    if (infra) {
      await infra.down(keep).catch(() => undefined);
      log(
        keep
          ? `infrastructure stopped; data and logs kept in ${infra.home}`
          : 'infrastructure stopped and removed',
      );
    }
  };
  // Last resort if the process ends before the clean stop: no service or store process is left.
  process.once('exit', () => {
    for (const service of Object.values(platform?.services ?? {}))
      if (service.child?.exitCode === null) service.child.kill('SIGKILL');
    for (const name of ['store', 'kafka'] as const) {
      const pid = infra?.pid(name);
      if (pid) process.kill(pid, 'SIGKILL');
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping everything the drills started`);
      // The running drill keeps going until the process ends; the exit handler kills what is left.
      setTimeout(() => process.exit(130), 30_000).unref();
      void cleanup().then(() => process.exit(130));
    });
  }

  const results = report.drills as DrillResult[];
  try {
    infra = await Infrastructure.start({ kafkaPort: 41192, storePort: 41127 });
    log('services: starting in dependency order');
    platform = await startPlatform(infra);
    store = await Store.open(infra.mongoUrl);
    const kafka = kafkaClient(infra.kafkaBrokers, 'lienket-drills');
    const admin = kafka.admin();
    await admin.connect();
    const { services } = platform;
    const clients = createClients({
      registry: services.registry.address,
      matchmaking: services.matchmaking.address,
      techtransfer: services.techtransfer.address,
      insights: services.insights.address,
    });
    tap = new Tap(kafka, admin);
    ctx = { store, tap, admin, clients };
    log('world: building the data the load works on');
    const world = await buildWorld(clients, store, { suppliers: 12, buyers: 40 });
    await tap.start();
    const baseline = await drain(ctx, settings.drainTimeoutMs, 'the setup', settings.stallMs);
    log(`world: settled in ${seconds(baseline.drainMs)} s; ${tap.all.length} messages on Kafka`);
    const env: DrillEnv = {
      platform,
      ctx,
      kafka,
      world,
      token: await devToken(DEV_SECRET, { sub: 'drills-admin', role: 'admin' }),
      settings,
    };
    report.infrastructure = { home: infra.home, kafka: infra.kafkaBrokers, store: infra.mongoUrl };
    for (const name of only) {
      const result = await drills[name](env);
      results.push(result);
      report.finishedAt = new Date().toISOString();
      writeReport(out, report);
      log(`${result.pass ? 'PASS' : 'FAIL'}: ${result.title} (${result.durationS} s)`);
    }
  } catch (error) {
    report.error = (error as Error).stack ?? String(error);
    log(`drills aborted: ${(error as Error).stack ?? error}`);
    if (infra)
      log(`service logs: ${join(infra.home, 'logs')} (kept: run with --keep to keep them after the run)`);
  } finally {
    await cleanup();
  }
  report.finishedAt = new Date().toISOString();
  report.durationS = round((Date.now() - started) / 1000);
  report.pass = !report.error && results.length === only.length && results.every((r) => r.pass);
  writeReport(out, report);
  printSummary(results);
  process.stdout.write(
    `\n${report.pass ? 'all invariants held' : 'INVARIANTS FAILED or the run aborted'}; report: ${out}\n`,
  );
  process.exit(report.pass ? 0 : 1);
}

void main();
