import { type EventDefinition, Events, protoRegistry, Topics } from '@lienket/contracts';

/** The services that produce or consume events. */
export type ServiceName = 'registry' | 'matchmaking' | 'techtransfer' | 'gateway';

export type EventKey = keyof typeof Events;
export type TopicKey = keyof typeof Topics;

/** One event of the catalogue with the name it has in `Events` (used as its message id). */
export interface CatalogueEntry {
  key: EventKey;
  definition: EventDefinition;
}

export const catalogueEntries: readonly CatalogueEntry[] = Object.entries(Events).map(
  ([key, definition]) => ({
    key: key as EventKey,
    definition: definition as EventDefinition,
  }),
);

export const topicEntries: readonly { key: TopicKey; topic: string }[] = Object.entries(Topics).map(
  ([key, topic]) => ({ key: key as TopicKey, topic }),
);

/** The test suite's own probe topics (`lienket.testing.*`): never deployed, never public. */
export const isTestTopic = (topic: string): boolean => topic.startsWith('lienket.testing.');

/** The service that owns a topic and publishes on it: the second segment of its name. */
export const producerOf = (topic: string): string => topic.split('.')[1] ?? 'unknown';

/** The CloudEvents `source` a producing service stamps on its events (undefined for test probes). */
export const sourceOf = (producer: string): string | undefined =>
  producer === 'registry' || producer === 'matchmaking' || producer === 'techtransfer'
    ? `/lienket/${producer}`
    : undefined;

/**
 * Which catalogued events each service consumes over Kafka (its `on(Events.…)` and `onBatch([Events.…])` subscriptions).
 * Kept here because the gateway does not import other services; a unit test reads the services'
 * sources and fails when this table and their subscriptions drift apart.
 */
export const knownConsumers: Readonly<Record<Exclude<ServiceName, 'gateway'>, readonly EventKey[]>> = {
  registry: ['linkageEstablished'],
  matchmaking: [
    'enterpriseRegistered',
    'enterpriseUpdated',
    'enterpriseVerified',
    'enterpriseRejected',
    'leadFirmDesignated',
    'capabilityPosted',
    'capabilityWithdrawn',
    'capabilityRenewed',
    'capabilityExpired',
    'needPosted',
    'needClosed',
    'needFulfilled',
    'needExpired',
  ],
  techtransfer: [
    'enterpriseRegistered',
    'enterpriseUpdated',
    'enterpriseVerified',
    'enterpriseRejected',
    'leadFirmDesignated',
    'needPosted',
    'needClosed',
    'needFulfilled',
    'needExpired',
  ],
};

/** Default consumer group of each service (`CONSUMER_GROUP`), before the deployment prefix. */
export const consumerGroups: Readonly<Record<ServiceName, string>> = {
  registry: 'lienket-registry',
  matchmaking: 'lienket-matchmaking',
  techtransfer: 'lienket-techtransfer',
  gateway: 'lienket-gateway',
};

/** What the proto sources say about a topic: `// Topic <name>, key = <aggregate> id…`. */
export interface TopicNote {
  topic: string;
  /** e.g. `need` for `key = need id`. */
  key: string;
  /** The whole comment, whitespace folded. */
  text: string;
}

const TOPIC_NOTE = /Topic ([a-z0-9._]+), key = ([a-z ]+?) id\b/;
const fold = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');

/** Every proto file whose messages are event payloads: `lienket/<context>/v1/events.proto`. */
export const isEventsFile = (name: string): boolean => /^lienket\/[a-z_]+\/v1\/events(\.proto)?$/.test(name);

/** Topic notes from every comment (leading, trailing or detached) of the event proto files. */
export function topicNotes(): Map<string, TopicNote> {
  const notes = new Map<string, TopicNote>();
  for (const file of protoRegistry().files) {
    if (!isEventsFile(file.name)) continue;
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const comments = [
        ...location.leadingDetachedComments,
        location.leadingComments ?? '',
        location.trailingComments ?? '',
      ];
      for (const comment of comments) {
        const match = TOPIC_NOTE.exec(comment);
        if (match?.[1] && match[2] && !notes.has(match[1]))
          notes.set(match[1], { topic: match[1], key: match[2], text: fold(comment) });
      }
    }
  }
  return notes;
}
