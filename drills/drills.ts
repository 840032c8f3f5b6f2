// The four drills. Each runs against the running platform, then checks its invariants.
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import {
  type Context,
  consistencyInvariants,
  drain,
  drainInvariant,
  effectSnapshot,
  type Invariant,
  invariant,
  writeInvariants,
} from './checks';
import type { Platform, ServiceName } from './cluster';
import { databases, serviceNames } from './cluster';
import { groupLags, type RawMessage, rawProducer, sendOne, subscribedGroups } from './kafka';
import { type Attempt, Load } from './load';
import type { World } from './scenario';
import { dedupingGroups, outboxCollections } from './store';
import { log, mapLimit, round, seconds, sleep, waitFor } from './util';

export interface Settings {
  quick: boolean;
  rate: number;
  brokerLoadMs: number;
  brokerDownMs: number;
  killPhaseMs: number;
  storeLoadMs: number;
  storeDownMs: number;
  drainTimeoutMs: number;
  /** Calls in flight at most (a client's connection pool); beyond it, due calls are counted as not sent. */
  concurrency: number;
  /** The load goes on at least this long after the broker, a service or the store is back. */
  afterRecoveryMs: number;
  /** A drain gives up when the work left shrank by less than 5 % in this long. */
  stallMs: number;
  duplicateSamplesPerTopic: number;
  duplicateCopies: number;
}

export interface DrillEnv {
  platform: Platform;
  ctx: Context;
  kafka: Kafka;
  world: World;
  token: string;
  settings: Settings;
}

export interface DrillResult {
  name: string;
  title: string;
  startedAt: string;
  durationS: number;
  pass: boolean;
  load?: unknown;
  recovery?: Record<string, unknown>;
  counts?: Record<string, unknown>;
  phases?: DrillResult[];
  invariants: Invariant[];
  notes?: string[];
}

function newLoad(env: DrillEnv, tag: string, durationMs: number, status: () => string) {
  return new Load(env.ctx.clients, env.world, env.platform.gatewayUrl, env.token, {
    tag,
    rate: env.settings.rate,
    durationMs,
    httpShare: 0.2,
    offerEvery: 20,
    maxInflight: env.settings.concurrency,
    status,
  });
}

const between = (attempts: Attempt[], from: number, to: number) =>
  attempts.filter((a) => a.t0 >= from && a.t0 < to);
const okCount = (attempts: Attempt[]) => attempts.filter((a) => a.ok).length;

const reported = new WeakSet<Invariant>();
function report(i: Invariant) {
  if (reported.has(i)) return;
  reported.add(i);
  log(`    ${i.pass ? 'PASS' : 'FAIL'}  ${i.name}: ${i.detail}`);
}

function finish(result: Omit<DrillResult, 'pass' | 'durationS'>, started: number): DrillResult {
  const invariants = result.invariants;
  const phasesPass = (result.phases ?? []).every((p) => p.pass);
  const pass = invariants.every((i) => i.pass) && phasesPass;
  for (const i of invariants) report(i);
  return { ...result, pass, durationS: round((Date.now() - started) / 1000) };
}

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

// ---------------------------------------------------------------- 2. kill -9 each service

const groupsOf: Record<ServiceName, string[]> = {
  registry: ['lienket-registry'],
  matchmaking: ['lienket-matchmaking', 'lienket-matchmaking-index-drills-1'],
  techtransfer: ['lienket-techtransfer'],
  insights: ['lienket-insights'],
  gateway: ['lienket-gateway-webhooks'],
};

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

// ---------------------------------------------------------------- 4. poison and duplicates

const asBuffers = (headers: Record<string, string | Buffer | undefined>): IHeaders => {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  return out;
};

const headerString = (headers: IHeaders, name: string) => {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

interface Poison {
  topic: string;
  variant: string;
  expectedReason: string;
  marker: string;
  partition: number;
  offset: number;
  sendError?: string;
}

const OVERSIZE_BYTES = 1_100_000;
const BIG_LIMIT = String(4 * 1_048_576);

async function setMaxMessageBytes(env: DrillEnv, topic: string, value: string) {
  // AlterConfigs replaces a topic's whole dynamic config: keep the retention the services set.
  await env.ctx.admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [
          { name: 'max.message.bytes', value },
          { name: 'retention.ms', value: '-1' },
        ],
      },
    ],
  });
}

function poisonVariants(
  sample: RawMessage,
): { variant: string; reason: string; message: (marker: string) => RawMessage; oversize?: boolean }[] {
  const base = Object.fromEntries(
    Object.keys(sample.headers).map((k) => [k, headerString(sample.headers, k)]),
  );
  const without = (...names: string[]) =>
    Object.fromEntries(Object.entries(base).filter(([k]) => !names.includes(k)));
  const fresh = (headers: Record<string, string | undefined>, marker: string) =>
    asBuffers({
      ...headers,
      ...(headers.ce_id !== undefined ? { ce_id: randomUUID() } : {}),
      drill_marker: marker,
    });
  return [
    {
      variant: 'malformed protobuf',
      reason: 'malformed_payload',
      message: (m) => ({
        key: sample.key,
        value: Buffer.from('0f0f0f0f0fffffffff', 'hex'),
        headers: fresh(base, m),
      }),
    },
    {
      variant: 'unknown CloudEvents type',
      reason: 'unknown_type',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: fresh({ ...base, ce_type: 'vn.lienket.drills.bogus.v1' }, m),
      }),
    },
    {
      variant: 'no headers at all',
      reason: 'not_a_cloudevent',
      message: (m) => ({ key: sample.key, value: sample.value, headers: asBuffers({ drill_marker: m }) }),
    },
    {
      variant: 'missing ce_id',
      reason: 'not_a_cloudevent',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: asBuffers({ ...without('ce_id'), drill_marker: m }),
      }),
    },
    {
      variant: 'missing ce_type',
      reason: 'not_a_cloudevent',
      message: (m) => ({ key: sample.key, value: sample.value, headers: fresh(without('ce_type'), m) }),
    },
    {
      variant: 'missing ce_source and ce_specversion (required attributes)',
      reason: 'not_a_cloudevent',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: fresh(without('ce_source', 'ce_specversion'), m),
      }),
    },
    {
      variant: 'missing content type (content-type and ce_datacontenttype)',
      reason: 'malformed_payload',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: fresh(without('content-type', 'ce_datacontenttype'), m),
      }),
    },
    {
      variant: `oversize payload (${OVERSIZE_BYTES} bytes; topic limit raised to accept it)`,
      reason: 'oversize',
      oversize: true,
      message: (m) => ({
        key: sample.key,
        value: Buffer.alloc(OVERSIZE_BYTES, 0x20),
        headers: fresh(base, m),
      }),
    },
  ];
}

export async function poisonAndDuplicatesDrill(env: DrillEnv): Promise<DrillResult> {
  const { ctx, settings } = env;
  const started = Date.now();
  log('drill: poison messages on every topic, then a storm of duplicate deliveries');
  const producer: Producer = await rawProducer(env.kafka);
  const notes: string[] = [];
  try {
    const subscriptions = await subscribedGroups(ctx.admin);
    const topics = [...ctx.tap.samples.keys()].filter((t) => !t.endsWith('.dlq')).sort();
    const groupsByTopic = new Map<string, string[]>();
    for (const [group, subscribed] of subscriptions)
      for (const topic of subscribed) groupsByTopic.set(topic, [...(groupsByTopic.get(topic) ?? []), group]);
    const allTopics = (await ctx.admin.listTopics()).filter(
      (t) => t.startsWith('lienket.') && !t.endsWith('.dlq'),
    );
    for (const topic of allTopics.filter((t) => !topics.includes(t)))
      notes.push(`${topic}: no event on it during the drills, so no sample to build poison from; skipped`);

    const poisonRound = async (label: string, roundTopics: string[], oversize: boolean) => {
      const poisons: Poison[] = [];
      const followUps: { topic: string; id: string; partition: number; offset: number; type: string }[] = [];
      for (const topic of roundTopics) {
        const sample = (ctx.tap.samples.get(topic) ?? [])[0] as RawMessage;
        const consumers = (groupsByTopic.get(topic) ?? []).filter((g) => dedupingGroups[g]);
        if (consumers.length === 0) {
          notes.push(`${topic}: no dead-lettering consumer group reads it; skipped`);
          continue;
        }
        for (const variant of poisonVariants(sample).filter((v) => Boolean(v.oversize) === oversize)) {
          const marker = `poison-${randomUUID()}`;
          if (variant.oversize) await setMaxMessageBytes(env, topic, BIG_LIMIT);
          try {
            const at = await sendOne(producer, topic, variant.message(marker));
            poisons.push({ topic, variant: variant.variant, expectedReason: variant.reason, marker, ...at });
          } catch (error) {
            poisons.push({
              topic,
              variant: variant.variant,
              expectedReason: variant.reason,
              marker,
              partition: -1,
              offset: -1,
              sendError: (error as Error).message,
            });
          }
        }
        // A valid event after the poison, on the same partition: a real event again under a new id.
        const id = randomUUID();
        const headers = asBuffers({
          ...Object.fromEntries(Object.keys(sample.headers).map((k) => [k, headerString(sample.headers, k)])),
          ce_id: id,
          drill_marker: `followup-${id}`,
        });
        const at = await sendOne(producer, topic, { key: sample.key, value: sample.value, headers });
        followUps.push({ topic, id, ...at, type: headerString(sample.headers, 'ce_type') ?? '' });
      }
      const sentAt = Date.now();
      log(
        `  sent ${poisons.length} poison messages on ${followUps.length} topics (${poisons.filter((p) => p.sendError).length} refused by the broker), each followed by a valid event`,
      );

      const expectations = poisons
        .filter((p) => !p.sendError)
        .flatMap((p) =>
          (groupsByTopic.get(p.topic) ?? [])
            .filter((g) => dedupingGroups[g])
            .map((group) => ({ ...p, group })),
        );
      const landed = () =>
        expectations.map((e) => ({
          ...e,
          dead: ctx.tap.dlq.find(
            (d) =>
              d.topic === `${e.topic}.dlq` && d.marker === e.marker && d.dlq?.dlq_consumer_group === e.group,
          ),
        }));
      const followUpDone = async () => {
        const out: { topic: string; group: string; committed: number; offset: number }[] = [];
        for (const f of followUps) {
          for (const group of groupsByTopic.get(f.topic) ?? []) {
            const [answer] = await ctx.admin.fetchOffsets({ groupId: group, topics: [f.topic] });
            const committed = Number(
              answer?.partitions.find((p) => p.partition === f.partition)?.offset ?? -1,
            );
            out.push({ topic: f.topic, group, committed, offset: f.offset });
          }
        }
        return out;
      };
      const allGood = async () =>
        landed().every((l) => l.dead) && (await followUpDone()).every((f) => f.committed > f.offset);
      const poisonWaitMs = settings.quick ? 60_000 : 90_000;
      const took = await waitFor(allGood, poisonWaitMs, 1_000);
      // Judged on what the platform did by itself, before any remediation below.
      const results = landed();
      const follow = await followUpDone();
      let remediation: string | undefined;
      if (took === undefined) {
        const stuck = (await followUpDone()).filter((f) => f.committed <= f.offset);
        log(
          `  after ${poisonWaitMs / 1000} s: ${landed().filter((l) => !l.dead).length} dead letters missing, ${stuck.length} group/topic pairs not past the valid event`,
        );
        // Remediation, so that the platform goes on: the dead-letter topics accept what their topics
        // accept, and the services whose consumers stopped are restarted.
        if (oversize) {
          log(
            '  raising max.message.bytes of the dead-letter topics too, to see whether the consumers recover',
          );
          for (const topic of roundTopics) await setMaxMessageBytes(env, `${topic}.dlq`, BIG_LIMIT);
          const recovered = (await waitFor(allGood, poisonWaitMs, 1_000)) !== undefined;
          remediation = `after raising the .dlq topics' max.message.bytes: ${recovered ? 'recovered' : 'still stuck'}`;
          if (!recovered) {
            const stuckGroups = new Set(
              (await followUpDone()).filter((f) => f.committed <= f.offset).map((f) => f.group),
            );
            const toRestart = serviceNames.filter((name) => groupsOf[name].some((g) => stuckGroups.has(g)));
            log(`  restarting ${toRestart.join(', ')} (their consumers stopped for good)`);
            for (const name of toRestart) {
              await env.platform.services[name].stop();
              env.platform.services[name].start();
              await env.platform.services[name].healthy();
            }
            const again = (await waitFor(allGood, poisonWaitMs, 1_000)) !== undefined;
            remediation += `; after restarting ${toRestart.join(', ')}: ${again ? 'recovered' : 'still stuck'}`;
          }
          notes.push(`oversize poison: ${remediation}`);
        }
      }
      const poisonHandledS = took === undefined ? undefined : seconds(Date.now() - sentAt);
      const dlqHeaders = [
        'dlq_reason',
        'dlq_error',
        'dlq_original_topic',
        'dlq_original_partition',
        'dlq_original_offset',
        'dlq_consumer_group',
        'dlq_attempts',
        'dlq_failed_at',
      ];
      const missingDead = results.filter((r) => !r.dead);
      const badHeaders = results.filter(
        (r) =>
          r.dead &&
          (!dlqHeaders.every((h) => r.dead?.dlq?.[h] !== undefined) ||
            r.dead.dlq?.dlq_original_topic !== r.topic ||
            Number(r.dead.dlq?.dlq_original_offset) !== r.offset),
      );
      const wrongReason = results.filter((r) => r.dead && r.dead.dlq?.dlq_reason !== r.expectedReason);
      const notPast = follow.filter((f) => f.committed <= f.offset);
      const processedBy: Record<string, string[]> = {};
      for (const f of followUps) {
        processedBy[f.topic] = [];
        for (const group of groupsByTopic.get(f.topic) ?? [])
          if ((await ctx.store.processedIds(group, [f.id])).has(f.id)) processedBy[f.topic]?.push(group);
      }
      const variantRows = new Map<
        string,
        { sent: number; deadLettered: number; expected: number; missing: string[] }
      >();
      for (const r of results) {
        const row = variantRows.get(r.variant) ?? { sent: 0, deadLettered: 0, expected: 0, missing: [] };
        row.expected += 1;
        if (r.dead) row.deadLettered += 1;
        else row.missing.push(`${r.topic} / ${r.group}`);
        variantRows.set(r.variant, row);
      }
      for (const p of poisons) {
        const row = variantRows.get(p.variant) ?? { sent: 0, deadLettered: 0, expected: 0, missing: [] };
        if (!p.sendError) row.sent += 1;
        variantRows.set(p.variant, row);
      }
      const poisonInvariants = [
        invariant(
          `${label}: every poison message lands in its .dlq once per consumer group that reads the topic`,
          missingDead.length === 0 && poisons.every((p) => !p.sendError),
          `${results.length - missingDead.length}/${results.length} dead letters (${poisons.length} poison messages × the groups reading each topic)`,
          [
            ...missingDead.map((r) => `${r.variant} on ${r.topic} for ${r.group}: not in ${r.topic}.dlq`),
            ...poisons
              .filter((p) => p.sendError)
              .map((p) => `${p.variant} on ${p.topic}: broker refused it: ${p.sendError}`),
          ],
        ),
        invariant(
          `${label}: each dead letter carries the dlq_* headers (reason, error, original topic/partition/offset, group, attempts, time)`,
          badHeaders.length === 0,
          `${results.filter((r) => r.dead).length - badHeaders.length}/${results.filter((r) => r.dead).length} complete`,
          badHeaders.map((r) => `${r.topic} ${r.group}: ${JSON.stringify(r.dead?.dlq)}`),
        ),
        invariant(
          `${label}: the dead-letter reason names the fault`,
          wrongReason.length === 0,
          `${results.filter((r) => r.dead).length - wrongReason.length}/${results.filter((r) => r.dead).length} as expected`,
          wrongReason.map(
            (r) => `${r.variant} on ${r.topic}: ${r.dead?.dlq?.dlq_reason}, expected ${r.expectedReason}`,
          ),
        ),
        invariant(
          `${label}: consumers keep going (every group is past the valid event sent after the poison)`,
          notPast.length === 0,
          `${follow.length - notPast.length}/${follow.length} group/topic pairs past it; processed (deduplicated) by: ${Object.entries(
            processedBy,
          )
            .map(([t, g]) => `${t.replace('lienket.', '')}=${g.length}`)
            .join(', ')}`,
          notPast.map(
            (f) => `${f.group} on ${f.topic}: committed ${f.committed}, valid event at ${f.offset}`,
          ),
        ),
      ];
      for (const i of poisonInvariants) report(i);
      return {
        invariants: poisonInvariants,
        recovery: { handledS: poisonHandledS, ...(remediation ? { remediation } : {}) },
        counts: {
          topics: followUps.length,
          poisonMessages: poisons.length,
          expectedDeadLetters: results.length,
          deadLetters: results.filter((r) => r.dead).length,
          byVariant: Object.fromEntries(
            [...variantRows].map(([v, r]) => [
              v,
              {
                sent: r.sent,
                deadLettered: r.deadLettered,
                expected: r.expected,
                ...(r.missing.length ? { notDeadLettered: r.missing.slice(0, 12) } : {}),
              },
            ]),
          ),
        },
      };
    };
    const roundA = await poisonRound('poison', topics, false);

    // --- duplicate storm
    log('  duplicate storm: snapshot of effects, then the same CloudEvents ids again and again');
    const drainedBefore = await drain(
      ctx,
      settings.drainTimeoutMs,
      'before the duplicate storm',
      settings.stallMs,
    );
    const before = await effectSnapshot(ctx);
    const processedBefore = await ctx.store.processedCounts();
    const metricsBefore = await duplicateMetrics(env);
    const stormTopics = [...ctx.tap.samples.keys()].filter((t) => !t.endsWith('.dlq'));
    let copies = 0;
    const distinctIds = new Set<string>();
    const stormStarted = Date.now();
    await mapLimit(stormTopics, 2, async (topic) => {
      const samples = (ctx.tap.samples.get(topic) ?? []).slice(0, settings.duplicateSamplesPerTopic);
      for (const s of samples) distinctIds.add(headerString(s.headers, 'ce_id') ?? '');
      const messages = Array.from({ length: settings.duplicateCopies }, () => samples).flat();
      for (let i = 0; i < messages.length; i += 500) {
        await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
      }
      copies += messages.length;
    });
    const stormSentS = (Date.now() - stormStarted) / 1000;
    log(
      `  sent ${copies} copies of ${distinctIds.size} events (${settings.duplicateCopies} each) on ${stormTopics.length} topics in ${round(stormSentS)} s`,
    );
    const drainedAfter = await drain(
      ctx,
      settings.drainTimeoutMs,
      'after the duplicate storm',
      settings.stallMs,
    );
    const after = await effectSnapshot(ctx);
    const processedAfter = await ctx.store.processedCounts();
    const metricsAfter = await duplicateMetrics(env);
    const changed = (Object.keys(before) as (keyof typeof before)[]).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    const processedChanged = Object.keys(processedBefore).filter(
      (g) => processedBefore[g] !== processedAfter[g],
    );
    const skipped = Object.fromEntries(
      Object.keys(metricsAfter).map((s) => [s, (metricsAfter[s] ?? 0) - (metricsBefore[s] ?? 0)]),
    );
    const stormInvariants = [
      invariant(
        'duplicates: effects applied once (proposals, unmet demand, party stats, contact grants, technology requests and interests, insights figures unchanged)',
        changed.length === 0,
        changed.length === 0
          ? `unchanged after ${copies} duplicate deliveries: ${before.proposals} proposals, ${before.insights.needsPosted} needs / ${before.insights.proposed} proposed / ${before.insights.established} established in insights`
          : `changed: ${changed.join(', ')}`,
        changed.map(
          (k) =>
            `${k}: ${JSON.stringify(before[k]).slice(0, 200)} → ${JSON.stringify(after[k]).slice(0, 200)}`,
        ),
      ),
      invariant(
        'duplicates: no consumer group recorded a new event id',
        processedChanged.length === 0,
        JSON.stringify(processedAfter),
        processedChanged.map((g) => `${g}: ${processedBefore[g]} → ${processedAfter[g]}`),
      ),
      drainInvariant(drainedAfter, 'duplicate storm'),
    ];
    for (const i of stormInvariants) report(i);
    // --- oversize: last, on one topic read by several groups (it may stop consumers for good)
    const oversizeTopic = ['lienket.registry.enterprise.v1', ...topics].find((t) =>
      topics.includes(t),
    ) as string;
    log(`  oversize poison on ${oversizeTopic} (its max.message.bytes raised so that the broker accepts it)`);
    const roundC = await poisonRound('oversize poison', [oversizeTopic], true);
    const drainedEnd = await drain(
      ctx,
      settings.drainTimeoutMs,
      'after the oversize poison',
      settings.stallMs,
    );
    const consistency = await consistencyInvariants(ctx, 'after poison and duplicates');
    const result = finish(
      {
        name: 'poison-and-duplicates',
        title: 'Poison messages on every topic; a storm of duplicate deliveries',
        startedAt: new Date(started).toISOString(),
        recovery: {
          poisonHandledS: roundA.recovery.handledS,
          oversize: roundC.recovery,
          duplicateStormSentS: round(stormSentS),
          duplicateStormMessagesPerS: round(copies / Math.max(stormSentS, 0.001)),
          duplicateStormAbsorbedS: seconds(drainedAfter.drainMs),
          drainBeforeStormS: seconds(drainedBefore.drainMs),
          drainAfterOversizeS: seconds(drainedEnd.drainMs),
        },
        counts: {
          poison: roundA.counts,
          oversize: roundC.counts,
          duplicateCopiesSent: copies,
          duplicatedEventIds: distinctIds.size,
          duplicatesSkippedPerServiceMetric: skipped,
          effectsBefore: {
            ...before.insights,
            proposals: before.proposals,
            partyStatsReceived: before.partyStatsReceived,
            contactGrants: before.contactGrants,
          },
          ...consistency.counts,
        },
        invariants: [
          ...roundA.invariants,
          ...stormInvariants,
          ...roundC.invariants,
          drainInvariant(drainedEnd, 'after the oversize poison'),
          ...consistency.invariants,
        ],
        notes,
      },
      started,
    );
    return result;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

/** `lienket_events_processed_total{outcome="duplicate"}` summed per service, from each /metrics. */
async function duplicateMetrics(env: DrillEnv): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of serviceNames) {
    const service = env.platform.services[name];
    try {
      const text = await (
        await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) })
      ).text();
      out[name] = text
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('lienket_events_processed_total{') && line.includes('outcome="duplicate"'),
        )
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    } catch {
      out[name] = Number.NaN;
    }
  }
  return out;
}
