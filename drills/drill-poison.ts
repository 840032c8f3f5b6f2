// Drill 4: poison messages on every topic, then a storm of duplicate deliveries.
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { consistencyInvariants, drain, drainInvariant, effectSnapshot, invariant } from './checks';
import { serviceNames } from './cluster';
import { type DrillEnv, type DrillResult, finish, groupsOf, report } from './drill-common';
import { type RawMessage, rawProducer, sendOne, subscribedGroups } from './kafka';
import {
  asBuffers,
  BIG_LIMIT,
  headerString,
  type Poison,
  poisonVariants,
  setMaxMessageBytes,
} from './poison-messages';
import { dedupingGroups } from './store';
import { log, mapLimit, round, seconds, waitFor } from './util';

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
