// The platform under test for bench/performance.ts: Kafka and the store (MONGO_URL / KAFKA_BROKERS, else
// infra/local, stopped again only if this run started it), and every service as its own process the way
// `npm start` runs it (node -r @lienket/platform/telemetry services/<name>/dist/main.js), on free ports, with
// topics and databases of their own (a run prefix), removed afterwards.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { issueDevToken } from '@lienket/gateway/dist/auth';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

export const DEV_SECRET = 'bench-performance-secret-0123456789-abcdef';
const AUTH = { issuer: 'lienket-dev', audience: 'lienket-api', devSecret: DEV_SECRET };

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- Kafka and the store

export interface Infra {
  kafkaBrokers: string[];
  mongoUrl: string;
  source: string;
  /** What this run started (and stops at the end). */
  started: string[];
  /** The jars the local Kafka runs from (for ProducerPerformance), when found. */
  kafkaLibs: string | null;
  /** The environment infra/local was started with (null: given by KAFKA_BROKERS / MONGO_URL). */
  env: Record<string, string | undefined> | null;
}

/**
 * KAFKA_BROKERS and MONGO_URL when both are set; else a Kafka and a store of this run's own, started with infra/local
 * under a temporary LIENKET_HOME on free ports (the jars and the FerretDB build come from the shared cache), so the
 * run neither disturbs nor is disturbed by the shared instance, and starts from empty data.
 */
export async function provisionInfra(root: string, home: string): Promise<Infra> {
  const env = process.env;
  if (env.KAFKA_BROKERS && env.MONGO_URL) {
    return {
      kafkaBrokers: env.KAFKA_BROKERS.split(','),
      mongoUrl: env.MONGO_URL,
      source: 'KAFKA_BROKERS / MONGO_URL',
      started: [],
      kafkaLibs: findKafkaLibs(root, env),
      env: null,
    };
  }
  const infra = (await import(pathToFileURL(join(root, 'infra/local/infra.mjs')).href)) as InfraModule;
  const kafkaPort = await freePort();
  const privateEnv: Record<string, string | undefined> = {
    ...env,
    KAFKA_BROKERS: undefined,
    MONGO_URL: undefined,
    LIENKET_HOME: home,
    LIENKET_CACHE: infra.settings(env).cache,
    LIENKET_KAFKA_PORT: String(kafkaPort),
    LIENKET_KAFKA_CONTROLLER_PORT: String(await freePort()),
    LIENKET_STORE_PORT: String(await freePort()),
  };
  log(`infra: a Kafka and a store of this run's own (infra/local, LIENKET_HOME=${home})`);
  const result = await infra.up({ env: privateEnv, quiet: false });
  return {
    kafkaBrokers: result.kafkaBrokers.split(','),
    mongoUrl: result.mongoUrl,
    source: 'infra/local, private to this run',
    started: result.started,
    kafkaLibs: findKafkaLibs(root, privateEnv),
    env: privateEnv,
  };
}

interface InfraModule {
  settings(env: Record<string, string | undefined>): { cache: string };
  up(options: { env: Record<string, string | undefined>; quiet: boolean }): Promise<{
    kafkaBrokers: string;
    mongoUrl: string;
    started: string[];
  }>;
  down(options: { env: Record<string, string | undefined>; quiet: boolean; only?: string[] }): Promise<void>;
}

/** infra/local's jar folder: <LIENKET_CACHE or LIENKET_HOME or ~/.cache/lienket>/kafka/<version>-<pom digest>/libs. */
function findKafkaLibs(root: string, env: Record<string, string | undefined>): string | null {
  const script = `const { settings } = await import(${JSON.stringify(pathToFileURL(join(root, 'infra/local/infra.mjs')).href)});
const { createHash } = await import('node:crypto'); const { readFileSync, existsSync } = await import('node:fs');
const pom = readFileSync(${JSON.stringify(join(root, 'infra/local/kafka/pom.xml'))});
const version = /<kafka\\.version>([^<]+)</.exec(pom.toString())?.[1];
const dir = settings().cache + '/kafka/' + version + '-' + createHash('sha256').update(pom).digest('hex').slice(0, 12) + '/libs';
process.stdout.write(existsSync(dir + '/.complete') ? dir : '');`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
  });
  return out.status === 0 && out.stdout.trim() ? out.stdout.trim() : null;
}

export async function releaseInfra(root: string, infra: Infra): Promise<void> {
  if (infra.started.length === 0 || !infra.env) return;
  log(`infra: stopping ${infra.started.join(', ')} (started by this run)`);
  const module = (await import(pathToFileURL(join(root, 'infra/local/infra.mjs')).href)) as InfraModule;
  await module.down({ env: infra.env, quiet: true, only: infra.started });
}

export function kafkaClient(infra: Infra, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });
}

/** Deletes this run's topics and databases. */
export async function removeRunData(
  infra: Infra,
  prefix: string,
  databases: readonly string[],
): Promise<void> {
  const client = new MongoClient(infra.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    for (const name of databases)
      await client
        .db(name)
        .dropDatabase()
        .catch(() => undefined);
  } finally {
    await client.close().catch(() => undefined);
  }
  const admin = kafkaClient(infra, 'bench-cleanup').admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(prefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------- the services as processes

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface RunningService {
  name: string;
  child: ChildProcess;
  grpcPort: number;
  logFile: string;
  stream: WriteStream;
}

export interface Platform {
  url: string;
  prefix: string;
  databases: string[];
  services: RunningService[];
  /** pid of each service process, for per-process CPU figures. */
  pids: Record<string, number>;
  /** `/metrics` of each service. */
  metricsUrls: Record<string, string>;
  matchmakingGroups: string[];
  stop(): Promise<void>;
}

const ORDER = ['registry', 'matchmaking', 'techtransfer', 'insights', 'gateway'] as const;

function startOne(
  root: string,
  name: string,
  env: Record<string, string>,
  logDir: string,
  telemetry: boolean,
): Promise<RunningService> {
  const logFile = join(logDir, `${name}.log`);
  const stream = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      ...(telemetry ? ['-r', '@lienket/platform/telemetry'] : []),
      join(root, 'services', name, 'dist/main.js'),
    ],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.pipe(stream);
  return new Promise((resolve, reject) => {
    let buffer = '';
    let ready = false;
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start within 90 s; see ${logFile}`)),
      90_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (!ready) reject(error);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stream.write(chunk);
      if (ready) return;
      buffer += chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.includes(`"${name} started"`)) {
          ready = true;
          buffer = '';
          clearTimeout(timer);
          resolve({ name, child, grpcPort: Number(env.GRPC_PORT), logFile, stream });
          return;
        }
        newline = buffer.indexOf('\n');
      }
    });
    child.once('exit', (code, signal) => {
      const tail = (() => {
        try {
          return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
        } catch {
          return '';
        }
      })();
      fail(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${tail}`));
    });
  });
}

export interface PlatformOptions {
  root: string;
  infra: Infra;
  prefix: string;
  runId: string;
  logDir: string;
  telemetry: boolean;
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { root, infra, prefix, runId, logDir } = options;
  mkdirSync(logDir, { recursive: true });
  const ports = Object.fromEntries(
    await Promise.all(
      ORDER.map(async (name) => [name, { grpc: await freePort(), metrics: await freePort() }] as const),
    ),
  );
  const httpPort = await freePort();
  const databases = ORDER.map((name) => `bench_${runId}_${name}`);
  const addresses = Object.fromEntries(
    ORDER.filter((n) => n !== 'gateway').map((n) => [
      `${n.toUpperCase()}_ADDR`,
      `127.0.0.1:${ports[n]?.grpc}`,
    ]),
  );
  const services: RunningService[] = [];
  const stop = async () => {
    for (const service of [...services].reverse()) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => service.child.once('exit', () => resolve()));
      service.child.kill('SIGTERM');
      const timer = setTimeout(() => service.child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      service.stream.end();
    }
  };
  try {
    for (const name of ORDER) {
      const env: Record<string, string> = {
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        MONGO_URL: infra.mongoUrl,
        MONGO_DB: `bench_${runId}_${name}`,
        KAFKA_TOPIC_PREFIX: prefix,
        GRPC_PORT: String(ports[name]?.grpc),
        METRICS_PORT: String(ports[name]?.metrics),
        OTEL_SERVICE_NAME: `lienket-${name}`,
        LOG_LEVEL: 'info',
        ...addresses,
      };
      if (name === 'matchmaking') env.INSTANCE_ID = 'bench';
      if (name === 'gateway') {
        env.HTTP_PORT = String(httpPort);
        env.AUTH_DEV_SECRET = DEV_SECRET;
        // One load generator is one caller: the per-caller limit (600 a minute by default) would measure the limiter.
        env.RATE_LIMIT_PER_MINUTE = '100000000';
      }
      const started = Date.now();
      services.push(await startOne(root, name, env, logDir, options.telemetry));
      log(`  ${name}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s (gRPC :${ports[name]?.grpc})`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${httpPort}`,
    prefix,
    databases,
    services,
    pids: Object.fromEntries(services.map((s) => [s.name, s.child.pid ?? 0])),
    metricsUrls: Object.fromEntries(
      ORDER.map((name) => [name, `http://127.0.0.1:${ports[name]?.metrics}/metrics`]),
    ),
    matchmakingGroups: [`${prefix}lienket-matchmaking-index-bench`, `${prefix}lienket-matchmaking`],
    stop,
  };
}

/** Waits until every consumer group named has a member and has consumed its topics to their current end. */
export async function waitForGroups(
  kafka: Kafka,
  groups: readonly string[],
  timeoutMs: number,
  onLag?: (lag: number) => void,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      let lag = 0;
      let unready = false;
      const described = await admin.describeGroups([...groups]);
      for (const group of described.groups) if (group.state !== 'Stable') unready = true;
      for (const groupId of groups) {
        const committed = await admin.fetchOffsets({ groupId });
        for (const { topic, partitions } of committed) {
          const ends = await admin.fetchTopicOffsets(topic);
          for (const { partition, offset } of partitions) {
            const end = Number(ends.find((e) => e.partition === partition)?.high ?? 0);
            lag += Math.max(0, end - Math.max(0, Number(offset)));
          }
        }
      }
      onLag?.(lag);
      if (!unready && lag === 0) return 0;
      if (Date.now() > deadline) return lag;
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------- HTTP to the gateway

export const token = (claims: {
  sub: string;
  role: 'enterprise' | 'analyst' | 'admin';
  enterprise_id?: string;
}) => issueDevToken(AUTH, claims, '6h');

export interface JsonResult {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request over a keep-alive agent. */
export function request(
  agent: http.Agent,
  url: string,
  method: string,
  path: string,
  bearer: string | undefined,
  body?: unknown,
): Promise<JsonResult> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: {
          accept: 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
            : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            parsed = { text };
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let nextIndex = 0;
  let done = 0;
  const worker = async () => {
    for (;;) {
      const i = nextIndex++;
      if (i >= items.length) return;
      results[i] = await work(items[i] as T, i);
      done += 1;
      onDone?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
