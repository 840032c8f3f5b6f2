import { consistencyInvariants, drain, drainInvariant, invariant, writeInvariants } from './checks';
import { databases } from './cluster';
import { between, type DrillEnv, type DrillResult, finish, newLoad, okCount } from './drill-common';
import type { Attempt } from './load';
import { log, round, seconds, sleep } from './util';

// ---------------------------------------------------------------- 1. broker restart

export async function brokerRestartDrill(env: DrillEnv): Promise<DrillResult> {
  const { ctx, platform, settings } = env;
  const started = Date.now();
  log(
    `drill: Kafka broker restart during sustained posting (${settings.rate}/s for ${settings.brokerLoadMs / 1000} s, broker down ~${settings.brokerDownMs / 1000} s)`,
  );
  let state = 'broker up';
  const load = newLoad(env, `broker-${Date.now()}`, settings.brokerLoadMs, () => state);
  const running = load.run();
  await sleep(settings.brokerLoadMs * 0.3);
  const t = { stopRequested: 0, stopped: 0, startRequested: 0, up: 0 };
  t.stopRequested = Date.now();
  load.holdOpen();
  state = 'broker stopping (SIGTERM)';
  log('  stopping the broker (SIGTERM, controlled shutdown)');
  await platform.infra.stop('kafka', 'term');
  t.stopped = Date.now();
  state = 'broker DOWN';
  log(
    `  broker stopped in ${seconds(t.stopped - t.stopRequested)} s; down for ${settings.brokerDownMs / 1000} s`,
  );
  await sleep(Math.max(0, settings.brokerDownMs - (Date.now() - t.stopRequested)));
  t.startRequested = Date.now();
  state = 'broker starting';
  await platform.infra.up();
  t.up = Date.now();
  state = 'broker up again';
  load.releaseAt(Date.now() + settings.afterRecoveryMs);
  log(`  broker back and answering metadata in ${seconds(t.up - t.startRequested)} s`);
  await running;
  const loadSummary = load.summary();
  log('  load done; waiting for the platform to drain');
  const drained = await drain(ctx, settings.drainTimeoutMs, 'after the broker restart', settings.stallMs);
  const tap = ctx.tap;

  const attempts = load.attempts;
  const duringOutage = between(attempts, t.stopRequested, t.up);
  const afterRestart = attempts.filter((a) => a.kind === 'need' && a.ok && a.t0 >= t.up && a.id);
  const acceptedDuringOutage = duringOutage.filter((a) => a.kind === 'need' && a.ok && a.id);
  const needSeen = (a: Attempt) => tap.needPosted.get(a.id as string)?.firstSeenAt;
  const backlogSeen = acceptedDuringOutage.map(needSeen).filter((x): x is number => x !== undefined);
  const firstNeedAfterUp = tap.all.find((e) => e.topic === 'lienket.registry.need.v1' && e.seenAt > t.up);
  const postRestartIds = new Set(afterRestart.map((a) => a.id as string));
  const proposalsAfter = [...tap.proposals.values()].filter((p) => postRestartIds.has(p.needId));
  const needsWithProposal = new Set(proposalsAfter.map((p) => p.needId));
  const proposalStore = await ctx.store.byField(
    databases.matchmaking,
    'proposals',
    'needId',
    [...postRestartIds],
    { needId: 1 },
  );
  const unmetStore = await ctx.store.byField(
    databases.matchmaking,
    'demand_outcomes',
    'needId',
    [...postRestartIds],
    { needId: 1 },
  );
  const actedOn = new Set([...proposalStore, ...unmetStore].map((d) => String(d.needId)));
  const firstProposalAfter = Math.min(...proposalsAfter.map((p) => p.firstSeenAt));

  const writes = await writeInvariants(ctx, attempts, 'broker restart');
  const consistency = await consistencyInvariants(ctx, 'broker restart');
  const invariants = [
    ...writes.invariants,
    invariant(
      'broker restart: needs posted after the restart get proposals (consumers resumed)',
      afterRestart.length > 0 && afterRestart.every((a) => actedOn.has(a.id as string)),
      `${needsWithProposal.size} of ${afterRestart.length} needs posted after the restart have proposals on Kafka, ${actedOn.size} acted on in the store`,
      afterRestart.filter((a) => !actedOn.has(a.id as string)).map((a) => `${a.id} "${a.title}"`),
    ),
    drainInvariant(drained, 'broker restart'),
    ...consistency.invariants,
  ];
  return finish(
    {
      name: 'broker-restart',
      title: 'Kafka broker restart during sustained posting',
      startedAt: new Date(started).toISOString(),
      load: loadSummary,
      recovery: {
        brokerStopS: seconds(t.stopped - t.stopRequested),
        brokerUnavailableS: seconds(t.up - t.stopRequested),
        brokerStartS: seconds(t.up - t.startRequested),
        needsPostedWhileBrokerDown: duringOutage.filter((a) => a.kind === 'need').length,
        needsAcceptedWhileBrokerDown: acceptedDuringOutage.length,
        acceptedPerSWhileBrokerDown: round(
          okCount(duringOutage.filter((a) => a.kind === 'need')) /
            Math.max(0.001, (t.up - t.stopRequested) / 1000),
        ),
        firstNeedPostedOnKafkaAfterRestartS: firstNeedAfterUp
          ? seconds(firstNeedAfterUp.seenAt - t.up)
          : undefined,
        outageBacklogOnKafkaAfterRestartS: backlogSeen.length
          ? seconds(Math.max(...backlogSeen) - t.up)
          : undefined,
        firstProposalForNeedPostedAfterRestartS: Number.isFinite(firstProposalAfter)
          ? seconds(firstProposalAfter - t.up)
          : undefined,
        drainAfterLoadS: seconds(drained.drainMs),
      },
      counts: { ...writes.counts, needsPostedAfterRestart: afterRestart.length, ...consistency.counts },
      invariants,
    },
    started,
  );
}
