// Drill 3: the store killed (kill -9) mid-load, then restarted.
import { consistencyInvariants, drain, drainInvariant, invariant, writeInvariants } from './checks';
import { type DrillEnv, type DrillResult, finish, newLoad } from './drill-common';
import { log, seconds, sleep } from './util';

// ---------------------------------------------------------------- 3. store restart

export async function storeRestartDrill(env: DrillEnv): Promise<DrillResult> {
  const { ctx, platform, settings } = env;
  const started = Date.now();
  log(
    `drill: restart the store mid-load (kill -9 FerretDB, ${settings.storeDownMs / 1000} s down, ${settings.rate}/s for ${settings.storeLoadMs / 1000} s)`,
  );
  let state = 'store up';
  const load = newLoad(env, `store-${Date.now()}`, settings.storeLoadMs, () => state);
  const running = load.run();
  await sleep(settings.storeLoadMs * 0.3);
  const t = { kill: 0, startRequested: 0, up: 0 };
  t.kill = Date.now();
  load.holdOpen();
  await platform.infra.stop('store', 'kill');
  state = 'store DOWN (killed)';
  log('  store killed (SIGKILL)');
  await sleep(settings.storeDownMs);
  t.startRequested = Date.now();
  state = 'store starting';
  await platform.infra.up();
  t.up = Date.now();
  state = 'store up again';
  load.releaseAt(Date.now() + settings.afterRecoveryMs);
  log(`  store answering again ${seconds(t.up - t.startRequested)} s after the start`);
  await running;
  const loadSummary = load.summary();
  const drained = await drain(ctx, settings.drainTimeoutMs, 'after the store restart', settings.stallMs);
  const attempts = load.attempts;
  const refused = attempts.filter((a) => !a.ok);
  const unclear = refused.filter((a) => !a.retryable);
  const byCode: Record<string, number> = {};
  for (const a of refused)
    byCode[
      `${a.kind} ${a.via} ${a.code}${a.via === 'http' ? (a.problem ? ' problem+json' : ' (not problem+json)') : ''}`
    ] =
      (byCode[
        `${a.kind} ${a.via} ${a.code}${a.via === 'http' ? (a.problem ? ' problem+json' : ' (not problem+json)') : ''}`
      ] ?? 0) + 1;
  const firstRefusal = Math.min(...refused.map((a) => a.t1));
  const lastRefusal = Math.max(...refused.map((a) => a.t1));
  const firstOkAfterUp = Math.min(...attempts.filter((a) => a.ok && a.t0 >= t.up).map((a) => a.t1));
  const acceptedBeforeKill = attempts.filter((a) => a.ok && a.t1 < t.kill);
  const writes = await writeInvariants(ctx, attempts, 'store restart');
  const consistency = await consistencyInvariants(ctx, 'store restart');
  const invariants = [
    invariant(
      'store restart: every refused write was refused with a clear retryable error (gRPC UNAVAILABLE/DEADLINE_EXCEEDED, HTTP 503/504 problem)',
      unclear.length === 0,
      `${refused.length} refused: ${JSON.stringify(byCode)}`,
      unclear.map((a) => `${a.kind} via ${a.via} "${a.title}": ${a.code}`),
    ),
    ...writes.invariants,
    drainInvariant(drained, 'store restart'),
    ...consistency.invariants,
  ];
  return finish(
    {
      name: 'store-restart',
      title: 'Restart the store (kill -9 FerretDB) mid-load',
      startedAt: new Date(started).toISOString(),
      load: loadSummary,
      recovery: {
        storeDownS: seconds(t.up - t.kill),
        storeStartS: seconds(t.up - t.startRequested),
        refusedWrites: refused.length,
        refusalsByCode: byCode,
        refusalWindowS: refused.length ? seconds(lastRefusal - firstRefusal) : 0,
        firstAcceptedWriteAfterStoreUpS: Number.isFinite(firstOkAfterUp)
          ? seconds(firstOkAfterUp - t.up)
          : undefined,
        writesAcceptedBeforeTheKill: acceptedBeforeKill.length,
        drainAfterLoadS: seconds(drained.drainMs),
      },
      counts: { ...writes.counts, ...consistency.counts },
      invariants,
    },
    started,
  );
}
