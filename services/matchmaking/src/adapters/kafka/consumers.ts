import { Events, Topics } from '@lienket/contracts';
import { type BatchEvent, onBatch, payloadOf, type Subscription } from '@lienket/eventbus';
import type { Logger } from '@lienket/platform';
import type { Kafka } from 'kafkajs';
import type { Matchmaking } from '../../app/matchmaking';
import type { RegistryChange } from '../../app/projection';
import type { RegistryAction } from '../../app/propose-matches';

const registryTopics = [Topics.registryEnterprise, Topics.registryCapability, Topics.registryNeed];

interface Position {
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Tracks how far this instance's index consumer got, so an action can wait until the registry
 * events before it have reached the in-memory index (no pair missed between directions, and the
 * posting's enterprise known). The ends it waits for are the high watermarks both consumers see in
 * their own fetches (`saw`): no request to Kafka per action (ADR 0018). The admin API is asked once,
 * at start (`resume`).
 */
export function createIndexProgress(kafka: Kafka, topicPrefix: string, log: Logger) {
  const key = (topic: string, partition: number) => `${topic}:${partition}`;
  /** Last offset applied to the index, per topic-partition. */
  const done = new Map<string, number>();
  /** Highest watermark seen in a fetch, per topic-partition: everything below it was appended. */
  const seen = new Map<string, Position>();
  /** Pending `caughtUp` calls: checked again whenever the index moves on, given up on stop. */
  const waiting = new Map<() => void, () => void>();
  let adminRequests = 0;
  const isDone = ({ topic, partition, offset }: Position) =>
    (done.get(key(topic, partition)) ?? -1) >= offset;

  return {
    /**
     * Starts from where the index group committed: what it processed before this process started
     * is in the stored projection the index was loaded from, and will not be read again.
     */
    async resume(indexGroupId: string) {
      const admin = kafka.admin();
      admin.on(admin.events.REQUEST, () => {
        adminRequests += 1;
      });
      await admin.connect();
      try {
        const committed = await admin.fetchOffsets({
          groupId: indexGroupId,
          topics: registryTopics.map((t) => topicPrefix + t),
        });
        for (const { topic, partitions } of committed) {
          for (const { partition, offset } of partitions) {
            if (Number(offset) > 0) this.record(topic, partition, String(Number(offset) - 1));
          }
        }
      } finally {
        await admin.disconnect();
      }
    },
    /** The index applied `offset` of `topic`/`partition` (the index consumer's progress hook). */
    record(topic: string, partition: number, offset: string) {
      const k = key(topic, partition);
      done.set(k, Math.max(done.get(k) ?? -1, Number(offset)));
      for (const check of [...waiting.keys()]) check();
    },
    /** A consumer of this instance fetched `topic`/`partition` with this high watermark. */
    saw(topic: string, partition: number, highWatermark: string) {
      const offset = Number(highWatermark) - 1;
      const k = key(topic, partition);
      if (offset > (seen.get(k)?.offset ?? -1)) seen.set(k, { topic, partition, offset });
    },
    /**
     * Resolves once the index holds the acting event itself (`own`: its topic, partition and offset;
     * an action batch passes its last new posting) and, on the other registry topics, every event
     * below the high watermarks this instance's consumers have seen so far. Those ends are taken
     * once, when the call starts: under sustained posting they move on faster than any action, and
     * later postings are matched when their own turn comes. The acting event's own topic is not
     * awaited beyond it, for the same reason. Resolves false (and warns) after `timeoutMs`.
     */
    caughtUp(
      own?: { topic: string; partition: number; offset: string },
      timeoutMs = 10_000,
    ): Promise<boolean> {
      const targets = [...seen.values()].filter((p) => p.topic !== own?.topic);
      if (own) targets.push({ topic: own.topic, partition: own.partition, offset: Number(own.offset) });
      const behind = () => targets.filter((t) => !isDone(t));
      let pending = behind();
      if (pending.length === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const finish = (caught: boolean) => {
          clearTimeout(timer);
          waiting.delete(check);
          resolve(caught);
        };
        const check = () => {
          pending = pending.filter((t) => !isDone(t));
          if (pending.length === 0) finish(true);
        };
        const timer = setTimeout(() => {
          const behindNow = pending.map((p) => key(p.topic, p.partition));
          log.warn({ behind: behindNow }, 'index did not catch up in time; matching with what it has');
          finish(false);
        }, timeoutMs);
        waiting.set(check, () => finish(false));
      });
    },
    /** Requests sent to the Kafka admin API so far (at start only: none per action). */
    adminRequests: () => adminRequests,
    stop: async () => {
      for (const giveUp of [...waiting.values()]) giveUp();
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
export function indexSubscriptions(
  matchmaking: Matchmaking,
  progress: ReturnType<typeof createIndexProgress>,
): Subscription[] {
  return [
    onBatch(
      indexedEvents,
      (events, { topic, partition, highWatermark }) => {
        progress.saw(topic, partition, highWatermark);
        return matchmaking.applyRegistryChanges(events.flatMap(registryChangeOf));
      },
      { idempotent: true },
    ),
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
 * posting and the other registry topics up to the ends this instance's consumers saw last (the
 * watermarks of their fetches, this batch's included). Proposals are unique per pair, yet a
 * repeated posting could be matched against a changed index: the consumer records the ids it
 * applied (one read and one write per batch).
 */
export function actionSubscriptions(
  matchmaking: Matchmaking,
  progress: ReturnType<typeof createIndexProgress>,
): Subscription[] {
  return [
    onBatch(actedOn, async (events, { topic, partition, highWatermark }) => {
      progress.saw(topic, partition, highWatermark);
      const lastPosting = events.findLast(
        (e) => e.type === Events.needPosted.type || e.type === Events.capabilityPosted.type,
      );
      if (lastPosting) await progress.caughtUp({ topic, partition, offset: lastPosting.offset });
      await matchmaking.actions.act(events.flatMap(actionOf));
    }),
  ];
}
