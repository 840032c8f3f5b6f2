// Seeding the platform benchmark's world through the gateway, paced, and waiting for its events on Kafka.
import http from 'node:http';
import { Topics } from '@lienket/contracts';
import cliProgress from 'cli-progress';
import type { Admin } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { capabilities, enterprises } from './perf-data';
import { type Options, SEED_CHUNK } from './perf-options';
import {
  type Infra,
  kafkaClient,
  log,
  type Platform,
  pool,
  request,
  sleep,
  token,
  waitForGroups,
} from './perf-platform';

// ---------------------------------------------------------------- progress

export function bar(label: string, total: number, format?: string): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar(
    {
      format: format ?? `{label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { label: label.padEnd(22), answered: 0, p99: '–' });
  return b;
}

// ---------------------------------------------------------------- seeding through the gateway

export interface Seeded {
  enterprises: { id: string; line: number; token: string }[];
  capabilities: number;
  seedMs: number;
  indexWaitMs: number;
  rejected: number;
}

/** Sum of the end offsets of `topic`: how many events it holds. */
async function topicCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
  return offsets.reduce((sum, o) => sum + Number(o.high), 0);
}

/**
 * Posts `items` in chunks of SEED_CHUNK, each chunk only once the registry has put the previous one on `topic`, so
 * the data is settled (every event on Kafka) before a section measures anything.
 */
async function paced<T>(
  items: readonly T[],
  admin: Admin,
  topic: string,
  label: string,
  work: (item: T) => Promise<boolean>,
): Promise<boolean[]> {
  const b = bar(label, items.length);
  const base = await topicCount(admin, topic);
  const results: boolean[] = [];
  for (let from = 0; from < items.length; from += SEED_CHUNK) {
    results.push(...(await pool(items.slice(from, from + SEED_CHUNK), 8, work)));
    const expected = base + results.filter(Boolean).length;
    const deadline = Date.now() + 60_000;
    while ((await topicCount(admin, topic)) < expected) {
      if (Date.now() > deadline) throw new Error(`the registry did not publish ${label} within 60 s`);
      await sleep(20);
    }
    b.update(results.length);
  }
  b.stop();
  return results;
}

export async function seed(platform: Platform, infra: Infra, opts: Options): Promise<Seeded> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const admin = await token({ sub: 'bench-admin', role: 'admin' });
  const kafkaAdmin = kafkaClient(infra, 'bench-seed').admin();
  await kafkaAdmin.connect();
  const t0 = Date.now();
  let rejected = 0;
  const refused = (what: string, answer: { status: number; body: unknown }) => {
    rejected += 1;
    if (rejected <= 3)
      log(`\n  ${what} refused (${answer.status}): ${JSON.stringify(answer.body).slice(0, 300)}`);
  };
  const drafts = enterprises(opts.seed, opts.enterprises);
  const ids: ({ id: string; line: number } | null)[] = [];
  await paced(
    drafts,
    kafkaAdmin,
    `${platform.prefix}${Topics.registryEnterprise}`,
    'register enterprises',
    async (draft) => {
      const answer = await request(agent, platform.url, 'POST', '/v1/enterprises', admin, draft.body);
      if (answer.status !== 201) {
        refused('enterprise', answer);
        return false;
      }
      ids.push({ id: (answer.body.enterprise as { id: string }).id, line: draft.line });
      return true;
    },
  );
  const owners = ids.filter((x): x is { id: string; line: number } => x !== null);
  const caps = capabilities(opts.seed + 1, opts.capabilities, owners);
  const posted = await paced(
    caps,
    kafkaAdmin,
    `${platform.prefix}${Topics.registryCapability}`,
    'post capabilities',
    async (body) => {
      const answer = await request(agent, platform.url, 'POST', '/v1/capabilities', admin, body);
      if (answer.status !== 201) refused('capability', answer);
      return answer.status === 201;
    },
  );
  await kafkaAdmin.disconnect();
  agent.destroy();
  const seedMs = Date.now() - t0;
  log(
    `  seeded ${owners.length} enterprises and ${posted.filter(Boolean).length} capabilities in ${(seedMs / 1000).toFixed(1)} s` +
      `${rejected > 0 ? ` (${rejected} refused)` : ''}`,
  );
  // Matchmaking indexes every registry event (and looks for needs each capability could serve) before needs come.
  const w0 = Date.now();
  const lagBar = bar('matchmaking catch-up', 1, '{label} events behind: {lag} | {duration_formatted}');
  const lag = await waitForGroups(kafkaClient(infra, 'bench-lag'), platform.matchmakingGroups, 120_000, (l) =>
    lagBar.update(0, { lag: l }),
  );
  lagBar.stop();
  if (lag > 0) log(`  matchmaking still ${lag} events behind after 2 minutes; going on`);
  const tokens = await Promise.all(
    owners.map((o) => token({ sub: `bench-user-${o.id}`, role: 'enterprise', enterprise_id: o.id })),
  );
  return {
    enterprises: owners.map((o, i) => ({ ...o, token: tokens[i] as string })),
    capabilities: posted.filter(Boolean).length,
    seedMs,
    indexWaitMs: Date.now() - w0,
    rejected,
  };
}

/** Whether the store still takes an update within 10 s (a wedged FerretDB answers reads but never writes). */
export async function storeTakesWrites(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const update = client
      .db('bench_write_probe')
      .collection<{ _id: string; at: Date }>('probe')
      .updateOne({ _id: 'probe' }, { $set: { at: new Date() } }, { upsert: true })
      .then(() => true);
    return await Promise.race([update, sleep(10_000).then(() => false)]);
  } catch {
    return false;
  } finally {
    void client.close(true).catch(() => undefined);
  }
}
