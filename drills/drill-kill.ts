// Drill 2: kill -9 of each service under load, then a restart.
import { consistencyInvariants, drain, drainInvariant, invariant, writeInvariants } from './checks';
import type { ServiceName } from './cluster';
import { databases, serviceNames } from './cluster';
import { between, type DrillEnv, type DrillResult, finish, groupsOf, newLoad, okCount } from './drill-common';
import { groupLags } from './kafka';
import { outboxCollections } from './store';
import { log, seconds, sleep, waitFor } from './util';

// ---------------------------------------------------------------- 2. kill -9 each service

async function pendingOutboxIds(
  env: DrillEnv,
  service: ServiceName,
): Promise<{ collection: string; id: string }[]> {
  const dbName = databases[service];
  const names = outboxCollections[dbName] ?? [];
  const out: { collection: string; id: string }[] = [];
  for (const name of names) {
    const docs = await env.ctx.store.all(dbName, name, { outboxPending: true }, { _id: 1 });
    out.push(...docs.map((d) => ({ collection: name, id: d._id })));
  }
  return out;
}

async function killPhase(env: DrillEnv, name: ServiceName): Promise<DrillResult> {
  const { ctx, platform, settings } = env;
  const service = platform.services[name];
  const started = Date.now();
  log(`  phase: kill -9 ${name} mid-load (${settings.rate}/s for ${settings.killPhaseMs / 1000} s)`);
  let state = `${name} up`;
  const load = newLoad(env, `kill-${name}-${Date.now()}`, settings.killPhaseMs, () => state);
  const running = load.run();
  await sleep(settings.killPhaseMs * 0.35);
  const t = { kill: 0, restart: 0, healthy: 0 };
  const before = (await groupLags(ctx.admin)).filter((g) => groupsOf[name].includes(g.group));
  t.kill = Date.now();
  load.holdOpen();
  const pid = service.pid;
  await service.kill9();
  state = `${name} KILLED (-9)`;
  log(`  kill -9 ${name} (pid ${pid})`);
  const leftovers = await pendingOutboxIds(env, name);
  await sleep(2_000);
  t.restart = Date.now();
  state = `${name} restarting`;
  service.start();
  await service.healthy();
  t.healthy = Date.now();
  state = `${name} restarted`;
  load.releaseAt(Date.now() + settings.afterRecoveryMs);
  log(
    `  ${name} healthy again ${seconds(t.healthy - t.restart)} s after the restart (${leftovers.length} outbox documents were pending at the kill)`,
  );

  // Recovery watchers, while the load goes on.
  const resumed: Record<string, number | undefined> = {};
  const committedAtKill = new Map(before.map((g) => [g.group, g.committed]));
  const watchGroups = (async () => {
    const deadline = t.restart + settings.killPhaseMs + settings.drainTimeoutMs;
    while (Date.now() < deadline && groupsOf[name].some((g) => resumed[g] === undefined)) {
      try {
        for (const g of await groupLags(ctx.admin)) {
          if (!groupsOf[name].includes(g.group) || resumed[g.group] !== undefined) continue;
          if (g.members > 0 && g.committed > (committedAtKill.get(g.group) ?? 0))
            resumed[g.group] = Date.now() - t.restart;
        }
      } catch {
        // asked again
      }
      await sleep(500);
    }
  })();
  let leftoversPublishedMs: number | undefined;
  const watchLeftovers = (async () => {
    if (leftovers.length === 0) return;
    const took = await waitFor(
      async () => {
        for (const { collection, id } of leftovers) {
          const [doc] = await ctx.store.all(
            databases[name],
            collection,
            { _id: id, outboxPending: true },
            { _id: 1 },
          );
          if (doc) return false;
        }
        return true;
      },
      settings.killPhaseMs + settings.drainTimeoutMs,
      500,
    );
    if (took !== undefined) leftoversPublishedMs = Date.now() - t.restart;
  })();

  await running;
  const drained = await drain(ctx, settings.drainTimeoutMs, `after kill -9 ${name}`, settings.stallMs);
  await Promise.all([watchGroups, watchLeftovers]);
  const attempts = load.attempts;
  const inFlightAtKill = attempts.filter((a) => a.t0 <= t.kill && a.t1 >= t.kill);
  const whileDown = between(attempts, t.kill, t.healthy);
  const writes = await writeInvariants(ctx, attempts, `kill -9 ${name}`);
  const invariants = [
    ...writes.invariants,
    invariant(
      `kill -9 ${name}: its consumer groups resumed from their committed offsets`,
      groupsOf[name].every((g) => resumed[g] !== undefined),
      groupsOf[name]
        .map(
          (g) =>
            `${g}: ${resumed[g] === undefined ? 'did not resume' : `progress ${seconds(resumed[g])} s after the restart`}`,
        )
        .join('; '),
    ),
    invariant(
      `kill -9 ${name}: outbox events left by the killed process were published`,
      leftovers.length === 0 || leftoversPublishedMs !== undefined,
      leftovers.length === 0
        ? 'none were pending at the kill'
        : `${leftovers.length} documents pending at the kill, all published ${seconds(leftoversPublishedMs)} s after the restart`,
    ),
    drainInvariant(drained, `kill -9 ${name}`),
  ];
  return finish(
    {
      name: `kill-${name}`,
      title: `kill -9 ${name} mid-load, then restart`,
      startedAt: new Date(started).toISOString(),
      load: load.summary(),
      recovery: {
        pid,
        downS: seconds(t.healthy - t.kill),
        restartToHealthyS: seconds(t.healthy - t.restart),
        consumerGroupsResumedAfterRestartS: Object.fromEntries(
          groupsOf[name].map((g) => [g, seconds(resumed[g])]),
        ),
        outboxDocumentsPendingAtKill: leftovers.length,
        leftoversPublishedAfterRestartS: seconds(leftoversPublishedMs),
        callsInFlightAtKill: inFlightAtKill.length,
        inFlightAtKillRefused: inFlightAtKill.filter((a) => !a.ok).length,
        needsSentWhileDown: whileDown.filter((a) => a.kind === 'need').length,
        needsAcceptedWhileDown: okCount(whileDown.filter((a) => a.kind === 'need')),
        drainAfterLoadS: seconds(drained.drainMs),
      },
      counts: writes.counts,
      invariants,
    },
    started,
  );
}

export async function killDrill(env: DrillEnv): Promise<DrillResult> {
  const started = Date.now();
  log(`drill: kill -9 each service in turn mid-load (${serviceNames.join(', ')})`);
  const phases: DrillResult[] = [];
  for (const name of serviceNames) phases.push(await killPhase(env, name));
  const consistency = await consistencyInvariants(env.ctx, 'after every kill');
  return finish(
    {
      name: 'kill-9',
      title: 'kill -9 each service in turn mid-load, then restart it',
      startedAt: new Date(started).toISOString(),
      phases,
      counts: consistency.counts,
      invariants: consistency.invariants,
    },
    started,
  );
}
