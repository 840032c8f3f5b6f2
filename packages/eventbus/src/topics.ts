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
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(topics.flatMap((topic) => [topic, deadLetterTopic(topic)]))].filter(
      (topic) => !existing.has(topic),
    );
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map((topic) => ({
          topic,
          // Dead letters are rare and read in order by people: one partition is enough.
          numPartitions: topic.endsWith('.dlq') ? 1 : partitions,
          replicationFactor,
          configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
        })),
      });
    }
    // Answer only once the broker serves metadata for every topic (subscribers rely on it).
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.fetchTopicMetadata({ topics: [...topics] });
        break;
      } catch (error) {
        if (attempt >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
