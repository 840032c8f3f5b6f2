import { Events, Topics } from '@lienket/contracts';
import { type BatchEvent, type BatchEventOf, isEvent, onBatch, type Subscription } from '@lienket/eventbus';
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

/** What one registry event changes in the projection (none for an event without its entity). */
function registryChangeOf(e: BatchEventOf<(typeof indexedEvents)[number]>): RegistryChange[] {
  const at = e.time;
  if (isEvent(e, Events.enterpriseRegistered) || isEvent(e, Events.enterpriseUpdated))
    return e.payload.enterprise ? [{ kind: 'enterprise', enterprise: e.payload.enterprise, at }] : [];
  if (isEvent(e, Events.enterpriseVerified))
    return [{ kind: 'partyPatch', id: e.payload.enterpriseId, patch: { verified: true }, at }];
  if (isEvent(e, Events.enterpriseRejected))
    return [{ kind: 'partyPatch', id: e.payload.enterpriseId, patch: { verified: false }, at }];
  if (isEvent(e, Events.leadFirmDesignated))
    return [{ kind: 'partyPatch', id: e.payload.enterpriseId, patch: { leadFirm: e.payload.leadFirm }, at }];
  if (isEvent(e, Events.capabilityPosted))
    return e.payload.capability ? [{ kind: 'capability', capability: e.payload.capability, at }] : [];
  if (isEvent(e, Events.capabilityWithdrawn) || isEvent(e, Events.capabilityExpired))
    return [{ kind: 'capabilityPatch', id: e.payload.capabilityId, patch: { open: false }, at }];
  if (isEvent(e, Events.capabilityRenewed))
    return [
      {
        kind: 'capabilityPatch',
        id: e.payload.capabilityId,
        patch: { validUntil: e.payload.validUntil ?? new Date(0) },
        at,
      },
    ];
  if (isEvent(e, Events.needPosted))
    return e.payload.need ? [{ kind: 'need', need: e.payload.need, at }] : [];
  if (isEvent(e, Events.needClosed) || isEvent(e, Events.needFulfilled) || isEvent(e, Events.needExpired))
    return [{ kind: 'needPatch', id: e.payload.needId, patch: { open: false }, at }];
  return [];
}

/**
 * Every instance: all registry events into its own index (own consumer group), a batch at a time:
 * applied in order in memory, then the projection written once (one bulk write per collection).
 * The writes are guarded by event time, so a redelivered batch changes nothing (`idempotent`).
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

function actionOf(e: BatchEventOf<(typeof actedOn)[number]>): RegistryAction {
  if (isEvent(e, Events.needPosted)) return { kind: 'needPosted', needId: e.payload.need?.id ?? '' };
  if (isEvent(e, Events.capabilityPosted))
    return { kind: 'capabilityPosted', capabilityId: e.payload.capability?.id ?? '' };
  if (isEvent(e, Events.capabilityWithdrawn))
    return { kind: 'capabilityClosed', capabilityId: e.payload.capabilityId, reason: 'capability_withdrawn' };
  if (isEvent(e, Events.capabilityExpired))
    return { kind: 'capabilityClosed', capabilityId: e.payload.capabilityId, reason: 'capability_expired' };
  if (isEvent(e, Events.needClosed))
    return { kind: 'needClosed', needId: e.payload.needId, reason: 'need_closed' };
  if (isEvent(e, Events.needFulfilled))
    return { kind: 'needClosed', needId: e.payload.needId, reason: 'need_fulfilled' };
  // NeedClosed, NeedFulfilled and NeedExpired have one shape: the checks above narrowed it away.
  const { type, payload } = e as BatchEvent<{ needId: string }>;
  if (type === Events.needExpired.type) return { kind: 'needExpired', needId: payload.needId };
  throw new Error(`no action for ${type}`);
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
        (e) => isEvent(e, Events.needPosted) || isEvent(e, Events.capabilityPosted),
      );
      if (lastPosting) await progress.caughtUp({ topic, partition, offset: lastPosting.offset });
      await matchmaking.actions.act(events.map(actionOf));
    }),
  ];
}
