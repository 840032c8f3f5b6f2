// "Everything drained": every consumer group of this run has committed its topics to their end and no service has
// an outbox event left to publish, twice in a row a second apart (a relay may be between its read and its publish).
// Only then are a phase's store commands complete.
import { type Admin, AssignerProtocol } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { type Infra, kafkaClient, sleep } from './perf-platform';

export interface Settled {
  settled: boolean;
  waitMs: number;
  /** Events not yet committed, by group, at the last look. */
  lag: Record<string, number>;
  /** Documents with events not yet published, by database, at the last look. */
  outboxPending: Record<string, number>;
}

/** Groups that never commit (the gateway's stream hub and read-cache invalidation read from the end). */
const neverCommits = (groupId: string) => groupId.includes('.stream.') || groupId.includes('.cache.');

async function lagOf(admin: Admin, prefix: string): Promise<Record<string, number>> {
  const ids = (await admin.listGroups()).groups
    .map((g) => g.groupId)
    .filter((id) => id.startsWith(prefix) && !neverCommits(id));
  if (ids.length === 0) return {};
  const described = await admin.describeGroups(ids);
  const ends = new Map<string, Map<number, number>>();
  const endOf = async (topic: string, partition: number) => {
    let map = ends.get(topic);
    if (!map) {
      map = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
      ends.set(topic, map);
    }
    return map.get(partition) ?? 0;
  };
  const lag: Record<string, number> = {};
  for (const group of described.groups) {
    const topics = new Set<string>();
    for (const member of group.members) {
      try {
        for (const topic of AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? [])
          topics.add(topic);
      } catch {
        // not a consumer-protocol member
      }
    }
    // A group with no member left (a stopped consumer) has nobody to catch up: not waited for.
    if (topics.size === 0) continue;
    let behind = 0;
    for (const { topic, partitions } of await admin.fetchOffsets({
      groupId: group.groupId,
      topics: [...topics],
    }))
      for (const { partition, offset } of partitions)
        behind += Math.max(0, (await endOf(topic, partition)) - Math.max(0, Number(offset)));
    lag[group.groupId] = behind;
  }
  return lag;
}

async function outboxOf(client: MongoClient, databases: readonly string[]): Promise<Record<string, number>> {
  const pending: Record<string, number> = {};
  for (const name of databases) {
    const db = client.db(name);
    let count = 0;
    for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray())
      count += await db.collection(collection).countDocuments({ outboxPending: true });
    pending[name] = count;
  }
  return pending;
}

/** Waits until the run has settled (see above), at most `timeoutMs`. */
export async function waitSettled(
  infra: Infra,
  prefix: string,
  databases: readonly string[],
  timeoutMs: number,
): Promise<Settled> {
  const admin = kafkaClient(infra, 'bench-settle').admin();
  const client = new MongoClient(infra.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  const started = Date.now();
  let lag: Record<string, number> = {};
  let outboxPending: Record<string, number> = {};
  let quietSince: number | null = null;
  try {
    await admin.connect();
    await client.connect();
    for (;;) {
      try {
        lag = await lagOf(admin, prefix);
        outboxPending = await outboxOf(client, databases);
        const quiet = [...Object.values(lag), ...Object.values(outboxPending)].every((n) => n === 0);
        if (!quiet) quietSince = null;
        else if (quietSince === null) quietSince = Date.now();
        else if (Date.now() - quietSince >= 1_000)
          return { settled: true, waitMs: quietSince - started, lag, outboxPending };
      } catch {
        quietSince = null; // asked again
      }
      if (Date.now() - started > timeoutMs)
        return { settled: false, waitMs: Date.now() - started, lag, outboxPending };
      await sleep(500);
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}
