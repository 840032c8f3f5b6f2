import { Events, Topics } from '@lienket/contracts';
import { type HandlerContext, on, type Subscription } from '@lienket/eventbus';
import type { Logger } from '@lienket/platform';
import type { Kafka } from 'kafkajs';
import type { Matchmaking } from '../../app/matchmaking';

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
     * Resolves once the index holds the acting event itself (`own`: its topic, partition and offset)
     * and every partition of the other registry topics up to its current end. The acting event's own
     * topic is not awaited to its end: under sustained posting that end moves on faster than any
     * action, and later postings there are matched when their own turn comes.
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

/** Every instance: all registry events into its own index (own consumer group). */
export function indexSubscriptions(matchmaking: Matchmaking): Subscription[] {
  const { projection } = matchmaking;
  const at = (time: Date) => time;
  return [
    on(Events.enterpriseRegistered, async (p, { event }) => {
      if (p.enterprise) await projection.enterprise(p.enterprise, at(event.time));
    }),
    on(Events.enterpriseUpdated, async (p, { event }) => {
      if (p.enterprise) await projection.enterprise(p.enterprise, at(event.time));
    }),
    on(Events.enterpriseVerified, (p, { event }) =>
      projection.partyPatch(p.enterpriseId, { verified: true }, event.time),
    ),
    on(Events.enterpriseRejected, (p, { event }) =>
      projection.partyPatch(p.enterpriseId, { verified: false }, event.time),
    ),
    on(Events.leadFirmDesignated, (p, { event }) =>
      projection.partyPatch(p.enterpriseId, { leadFirm: p.leadFirm }, event.time),
    ),
    on(Events.capabilityPosted, async (p, { event }) => {
      if (p.capability) await projection.capabilityPosted(p.capability, event.time);
    }),
    on(Events.capabilityWithdrawn, (p, { event }) =>
      projection.capabilityPatch(p.capabilityId, { open: false }, event.time),
    ),
    on(Events.capabilityExpired, (p, { event }) =>
      projection.capabilityPatch(p.capabilityId, { open: false }, event.time),
    ),
    on(Events.capabilityRenewed, (p, { event }) =>
      projection.capabilityPatch(p.capabilityId, { validUntil: p.validUntil ?? new Date(0) }, event.time),
    ),
    on(Events.needPosted, async (p, { event }) => {
      if (p.need) await projection.needPosted(p.need, event.time);
    }),
    on(Events.needClosed, (p, { event }) => projection.needPatch(p.needId, { open: false }, event.time)),
    on(Events.needFulfilled, (p, { event }) => projection.needPatch(p.needId, { open: false }, event.time)),
    on(Events.needExpired, (p, { event }) => projection.needPatch(p.needId, { open: false }, event.time)),
  ];
}

/** One member of the shared group per partition: turns postings into proposals, once. */
export function actionSubscriptions(
  matchmaking: Matchmaking,
  progress: ReturnType<typeof createIndexProgress>,
): Subscription[] {
  const { actions } = matchmaking;
  const indexed = (context: HandlerContext) =>
    progress.caughtUp({ topic: context.topic, partition: context.partition, offset: context.offset });
  return [
    on(Events.needPosted, async (p, context) => {
      await indexed(context);
      await actions.needPosted(p.need?.id ?? '');
    }),
    on(Events.capabilityPosted, async (p, context) => {
      await indexed(context);
      await actions.capabilityPosted(p.capability?.id ?? '');
    }),
    on(Events.capabilityWithdrawn, (p) =>
      actions.retractForCapability(p.capabilityId, 'capability_withdrawn'),
    ),
    on(Events.capabilityExpired, (p) => actions.retractForCapability(p.capabilityId, 'capability_expired')),
    on(Events.needClosed, (p) => actions.retractForNeed(p.needId, 'need_closed')),
    on(Events.needFulfilled, (p) => actions.retractForNeed(p.needId, 'need_fulfilled')),
    on(Events.needExpired, (p) => actions.needExpired(p.needId)),
  ];
}
