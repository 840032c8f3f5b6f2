import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '@lienket/platform';
import { type Consumer, Kafka, type KafkaMessage, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { waitFor } from './wait';

export interface TestInfra {
  kafkaBrokers: string[];
  mongoUrl: string;
  /** Unique to this test file; prepend to every topic. */
  topicPrefix: string;
  /** Unique to this test file. */
  dbName: string;
  kafka: Kafka;
  /** A mongoose connection to this file's own database. */
  connection: mongoose.Connection;
  db: mongoose.mongo.Db;
  log: Logger;
  /** Another database name for this file (a second service), dropped by close(). */
  databaseFor(suffix: string): string;
  /** A fresh id for a consumer group, so groups never collide across tests. */
  groupId(name: string): string;
  /** Reads `topic` (unprefixed) from the beginning until `count` messages passing `filter` arrived. */
  collect(
    topic: string,
    count: number,
    options?: { timeoutMs?: number; filter?: (message: KafkaMessage) => boolean },
  ): Promise<KafkaMessage[]>;
  /** Every message in `topic` (unprefixed) up to its end as of the call: for exactly-once counts. */
  readAll(topic: string, options?: { timeoutMs?: number }): Promise<KafkaMessage[]>;
  /** Drops the database, deletes this file's topics, disconnects. */
  close(): Promise<void>;
}

const silent = process.env.LIENKET_TEST_LOG === '1' ? 'debug' : 'silent';

/** Connects to the run's Kafka and store with names no other test file uses. */
export async function openTestInfra(label: string): Promise<TestInfra> {
  const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const mongoUrl = process.env.MONGO_URL;
  if (kafkaBrokers.length === 0 || !mongoUrl) {
    throw new Error('KAFKA_BROKERS and MONGO_URL are not set: run through jest (global setup resolves them)');
  }
  const id = `${label
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 16)
    .toLowerCase()}${randomBytes(4).toString('hex')}`;
  const topicPrefix = `t${id}.`;
  const dbName = `test_${id}`;
  const log = createLogger({ service: `test-${label}`, level: silent });
  const kafka = new Kafka({
    clientId: `test-${id}`,
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });
  const connection = await mongoose
    .createConnection(mongoUrl, { dbName, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  const db = connection.db as mongoose.mongo.Db;
  const consumers: Consumer[] = [];
  const extraDatabases = new Set<string>();
  let groups = 0;
  const nextGroup = (name: string) => {
    groups += 1;
    return `${topicPrefix}${name}.${groups}`;
  };

  return {
    kafkaBrokers,
    mongoUrl,
    topicPrefix,
    dbName,
    kafka,
    connection,
    db,
    log,
    groupId: nextGroup,
    databaseFor(suffix) {
      const name = `${dbName}_${suffix}`;
      extraDatabases.add(name);
      return name;
    },
    async collect(topic, count, { timeoutMs = 20_000, filter = () => true } = {}) {
      const messages: KafkaMessage[] = [];
      const consumer = kafka.consumer({ groupId: nextGroup('collector') });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: topicPrefix + topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (filter(message)) messages.push(message);
        },
      });
      try {
        await waitFor(() => messages.length >= count, { timeoutMs, what: `${count} messages on ${topic}` });
      } finally {
        await consumer.disconnect();
      }
      return messages;
    },
    async readAll(topic, { timeoutMs = 20_000 } = {}) {
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topicPrefix + topic).finally(() => admin.disconnect());
      const remaining = new Map(
        ends.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high) - 1]),
      );
      const messages: KafkaMessage[] = [];
      if (remaining.size === 0) return messages;
      const consumer = kafka.consumer({ groupId: nextGroup('reader') });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: topicPrefix + topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const last = remaining.get(partition);
          if (last === undefined || Number(message.offset) > last) return;
          messages.push(message);
          if (Number(message.offset) === last) remaining.delete(partition);
        },
      });
      try {
        await waitFor(() => remaining.size === 0, { timeoutMs, what: `the end of ${topic}` });
      } finally {
        await consumer.disconnect();
      }
      return messages;
    },
    async close() {
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      await db.dropDatabase().catch(() => undefined);
      for (const name of extraDatabases)
        await connection
          .useDb(name)
          .dropDatabase()
          .catch(() => undefined);
      await connection.close();
      const admin = kafka.admin();
      await admin.connect();
      try {
        const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine });
      } finally {
        await admin.disconnect();
      }
    },
  };
}
