import { Events, Topics } from '@lienket/contracts';
import { type BatchEvent, onBatch, payloadOf, type Subscription } from '@lienket/eventbus';
import type { Logger } from '@lienket/platform';
import type { Kafka } from 'kafkajs';
import type { Matchmaking } from '../../app/matchmaking';
import type { RegistryChange } from '../../app/projection';
import type { RegistryAction } from '../../app/propose-matches';

const registryTopics = [Topics.registryEnterprise, Topics.registryCapability, Topics.registryNeed];

/**
 * Tracks how far this instance's index consumer got, so an action can wait until every registry
 * event appended before it has reached the in-memory index (no pair missed between directions).
 */
export function createIndexProgress(kafka: Kafka, topicPrefix: string, log: Logger) {
  const done = new Map<string, number>();
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  return {
    /**
     * Starts from where the index group committed: what it processed before this process started
     * is in the stored projection the index was loaded from, and will not be read again.
     */
    async resume(indexGroupId: string) {
      connected ??= admin.connect();
      await connected;
      const committed = await admin.fetchOffsets({
        groupId: indexGroupId,
        topics: registryTopics.map((t) => topicPrefix + t),
      });
      for (const { topic, partitions } of committed) {
        for (const { partition, offset } of partitions) {
          if (Number(offset) > 0) this.record(topic, partition, String(Number(offset) - 1));
        }
      }
    },
    record(topic: string, partition: number, offset: string) {
      const key = `${topic}:${partition}`;
      done.set(key, Math.max(done.get(key) ?? -1, Number(offset)));
    },
    /**
     * Resolves once the index holds the acting event itself (`own`: its topic, partition and offset;
     * an action batch passes its last new posting) and every partition of the other registry topics
     * up to its current end. The acting event's own topic is not awaited to its end: under sustained
     * posting that end moves on faster than any action, and later postings there are matched when
     * their own turn comes. Called once per action batch: one ask for the other topics' ends per
     * batch, not per posting. (The index consumer sees those ends itself, as each fetch's high
     * watermarks, but the event bus does not hand them to its handlers yet.)
     */
    async caughtUp(
      own?: { topic: string; partition: number; offset: string },
      timeoutMs = 10_000,
    ): Promise<boolean> {
      connected ??= admin.connect();
      await connected;
      const ends = await Promise.all(
        registryTopics
          .map((t) => topicPrefix + t)
          .map(async (topic) => {
            if (topic !== own?.topic) return { topic, offsets: await admin.fetchTopicOffsets(topic) };
            const high = String(Number(own.offset) + 1);
            return { topic, offsets: [{ partition: own.partition, high }] };
          }),
      );
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const behind = ends.some(({ topic, offsets }) =>
          offsets.some(
            (o) => Number(o.high) > 0 && (done.get(`${topic}:${o.partition}`) ?? -1) < Number(o.high) - 1,
          ),
        );
        if (!behind) return true;
        if (Date.now() > deadline) {
          log.warn('index did not catch up in time; matching with what it has');
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    stop: async () => {
      if (connected) await admin.disconnect();
    },
  };
}

/** This instance's index consumer group (before the topic prefix): its own, so every instance sees every event. */
export const indexGroup = (consumerGroup: string, instanceId: string) =>
  `${consumerGroup}-index-${instanceId}`;

/** The registry events the index reads. */
const indexedEvents = [
  Events.enterpriseRegistered,
  Events.enterpriseUpdated,
  Events.enterpriseVerified,
  Events.enterpriseRejected,
  Events.leadFirmDesignated,
  Events.capabilityPosted,
  Events.capabilityWithdrawn,
  Events.capabilityExpired,
  Events.capabilityRenewed,
  Events.needPosted,
  Events.needClosed,
  Events.needFulfilled,
  Events.needExpired,
] as const;

/**
 * What one registry event changes in the projection (none for an event without its entity).
 * `payloadOf` rather than `isEvent`: several of these payloads share one shape.
 */
function registryChangeOf(e: BatchEvent): RegistryChange[] {
  const at = e.time;
  const profile = payloadOf(e, Events.enterpriseRegistered) ?? payloadOf(e, Events.enterpriseUpdated);
  if (profile) return profile.enterprise ? [{ kind: 'enterprise', enterprise: profile.enterprise, at }] : [];
  const verified = payloadOf(e, Events.enterpriseVerified);
  if (verified) return [{ kind: 'partyPatch', id: verified.enterpriseId, patch: { verified: true }, at }];
  const rejected = payloadOf(e, Events.enterpriseRejected);
  if (rejected) return [{ kind: 'partyPatch', id: rejected.enterpriseId, patch: { verified: false }, at }];
  const lead = payloadOf(e, Events.leadFirmDesignated);
  if (lead) return [{ kind: 'partyPatch', id: lead.enterpriseId, patch: { leadFirm: lead.leadFirm }, at }];
  const capability = payloadOf(e, Events.capabilityPosted)?.capability;
  if (capability) return [{ kind: 'capability', capability, at }];
  const closedCapability = payloadOf(e, Events.capabilityWithdrawn) ?? payloadOf(e, Events.capabilityExpired);
  if (closedCapability)
    return [{ kind: 'capabilityPatch', id: closedCapability.capabilityId, patch: { open: false }, at }];
  const renewed = payloadOf(e, Events.capabilityRenewed);
  if (renewed) {
    const patch = { validUntil: renewed.validUntil ?? new Date(0) };
    return [{ kind: 'capabilityPatch', id: renewed.capabilityId, patch, at }];
  }
  const need = payloadOf(e, Events.needPosted)?.need;
  if (need) return [{ kind: 'need', need, at }];
  const closedNeed =
    payloadOf(e, Events.needClosed) ?? payloadOf(e, Events.needFulfilled) ?? payloadOf(e, Events.needExpired);
  if (closedNeed) return [{ kind: 'needPatch', id: closedNeed.needId, patch: { open: false }, at }];
  return [];
}

/**
 * Every instance: all registry events into its own index (own consumer group), a batch at a time:
 * applied in order in memory, then the projection written once (an insert and an update per
 * collection). The writes are guarded by event time, so a redelivered batch changes nothing
 * (`idempotent`).
 */
export function indexSubscriptions(matchmaking: Matchmaking): Subscription[] {
  return [
    onBatch(indexedEvents, (events) => matchmaking.applyRegistryChanges(events.flatMap(registryChangeOf)), {
      idempotent: true,
    }),
  ];
}

/** The registry events the action consumer acts on. */
const actedOn = [
  Events.needPosted,
  Events.capabilityPosted,
  Events.capabilityWithdrawn,
  Events.capabilityExpired,
  Events.needClosed,
  Events.needFulfilled,
  Events.needExpired,
] as const;

/** What one registry event asks of the action consumer (`payloadOf`: several payloads share a shape). */
function actionOf(e: BatchEvent): RegistryAction[] {
  const need = payloadOf(e, Events.needPosted);
  if (need) return [{ kind: 'needPosted', needId: need.need?.id ?? '', within: e.within }];
  const capability = payloadOf(e, Events.capabilityPosted);
  if (capability)
    return [{ kind: 'capabilityPosted', capabilityId: capability.capability?.id ?? '', within: e.within }];
  const withdrawn = payloadOf(e, Events.capabilityWithdrawn);
  if (withdrawn)
    return [
      { kind: 'capabilityClosed', capabilityId: withdrawn.capabilityId, reason: 'capability_withdrawn' },
    ];
  const expired = payloadOf(e, Events.capabilityExpired);
  if (expired)
    return [{ kind: 'capabilityClosed', capabilityId: expired.capabilityId, reason: 'capability_expired' }];
  const closed = payloadOf(e, Events.needClosed);
  if (closed) return [{ kind: 'needClosed', needId: closed.needId, reason: 'need_closed' }];
  const fulfilled = payloadOf(e, Events.needFulfilled);
  if (fulfilled) return [{ kind: 'needClosed', needId: fulfilled.needId, reason: 'need_fulfilled' }];
  const needExpired = payloadOf(e, Events.needExpired);
  if (needExpired) return [{ kind: 'needExpired', needId: needExpired.needId }];
  return [];
}

/**
 * One member of the shared group per partition: turns postings into proposals, once, a batch at a
 * time. Before it proposes, it waits (once per batch) until the index holds the batch's last new
 * posting and the other registry topics up to their ends. Proposals are unique per pair, yet a
 * repeated posting could be matched against a changed index: the consumer records the ids it
 * applied (one read and one write per batch).
 */
export function actionSubscriptions(
  matchmaking: Matchmaking,
  progress: ReturnType<typeof createIndexProgress>,
): Subscription[] {
  return [
    onBatch(actedOn, async (events, { topic, partition }) => {
      const lastPosting = events.findLast(
        (e) => e.type === Events.needPosted.type || e.type === Events.capabilityPosted.type,
      );
      if (lastPosting) await progress.caughtUp({ topic, partition, offset: lastPosting.offset });
      await matchmaking.actions.act(events.flatMap(actionOf));
    }),
  ];
}
