import { deadLetterTopic } from '@lienket/contracts';
import type { Kafka } from 'kafkajs';

export interface TopicOptions {
  partitions: number;
  replicationFactor: number;
  /**
   * Broker retention for new topics. Defaults to forever (-1): the topics are the record that a
   * fresh consumer (a new matchmaking instance, a new read model) replays from the beginning.
   */
  retentionMs?: number;
}

/** Creates each topic and its dead-letter topic when missing; existing topics are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  { partitions, replicationFactor, retentionMs = -1 }: TopicOptions,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const all = [...new Set(topics.flatMap((topic) => [topic, deadLetterTopic(topic)]))];
    const existing = new Set(await admin.listTopics());
    const wanted = all.filter((topic) => !existing.has(topic));
    if (wanted.length > 0) {
      try {
        await admin.createTopics({
          // Leaders are awaited below: kafkajs's own wait fails on a topic the broker's metadata
          // does not list yet, which happens under load.
          waitForLeaders: false,
          topics: wanted.map((topic) => ({
            topic,
            // Dead letters are rare and read in order by people: one partition is enough.
            numPartitions: topic.endsWith('.dlq') ? 1 : partitions,
            replicationFactor,
            configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
          })),
        });
      } catch (error) {
        // Another service created some of them at the same moment: what matters is that they exist.
        const causes = (error as { errors?: { type?: string }[] }).errors ?? [error as { type?: string }];
        if (!causes.every((cause) => cause.type === 'TOPIC_ALREADY_EXISTS')) throw error;
      }
    }
    // Answer only once the broker serves every topic with a leader for each partition.
    for (let attempt = 1; ; attempt += 1) {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: all });
        if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
          break;
      } catch (error) {
        if (attempt >= 80) throw error;
      }
      if (attempt >= 80) throw new Error(`topics have no leader after 20 s: ${all.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // A leader named in the metadata may still be loading its partition ("not the leader for that
    // topic-partition" under load): answer once every partition answers a list-offsets request.
    for (let attempt = 1; ; attempt += 1) {
      try {
        for (const topic of wanted) await admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (attempt >= 80) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}
