import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** Where the test run found its Kafka and store, and who must stop them afterwards. */
export interface ResolvedInfrastructure {
  kafkaBrokers: string;
  mongoUrl: string;
  source: 'environment' | 'testcontainers' | 'infra/local';
  /** Called by the global teardown. */
  stop: () => Promise<void>;
}

export const repoRoot = resolve(__dirname, '../../..');

function dockerEngineAnswers(): boolean {
  const socket = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  if (!process.env.DOCKER_HOST && !existsSync(socket)) return false;
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The official apache/kafka image in KRaft mode (@testcontainers/kafka targets Confluent's
 * images), advertised on a fixed host port so clients outside the container can reach it, and
 * the official mongo image as a single-node replica set.
 */
async function startContainers(): Promise<ResolvedInfrastructure> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const port = await freePort();
  const [kafka, mongo] = await Promise.all([
    new GenericContainer('apache/kafka:4.1.1')
      .withExposedPorts({ container: 9092, host: port })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${port}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new MongoDBContainer('mongo:7.0').start(),
  ]);
  return {
    kafkaBrokers: `localhost:${port}`,
    mongoUrl: `${mongo.getConnectionString()}?directConnection=true`,
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    },
  };
}

function startLocal(): ResolvedInfrastructure {
  const cli = join(repoRoot, 'infra/local/cli.mjs');
  const output = execFileSync(process.execPath, [cli, 'up', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, KAFKA_BROKERS: '', MONGO_URL: '' },
  });
  const line = output.split('\n').findLast((candidate) => candidate.trim().startsWith('{'));
  const result = JSON.parse(line ?? '{}') as {
    kafkaBrokers: string;
    mongoUrl: string;
    started: string[];
  };
  return {
    kafkaBrokers: result.kafkaBrokers,
    mongoUrl: result.mongoUrl,
    source: 'infra/local',
    stop: async () => {
      // Leave running what was running before the tests; stop only what they started.
      if (result.started.length === 0 || process.env.LIENKET_KEEP_INFRA === '1') return;
      execFileSync(process.execPath, [cli, 'down'], { stdio: 'inherit' });
    },
  };
}

/** KAFKA_BROKERS / MONGO_URL from the environment, else Docker via testcontainers, else infra/local. */
export async function resolveInfrastructure(): Promise<ResolvedInfrastructure> {
  const { KAFKA_BROKERS, MONGO_URL } = process.env;
  if (KAFKA_BROKERS && MONGO_URL) {
    return { kafkaBrokers: KAFKA_BROKERS, mongoUrl: MONGO_URL, source: 'environment', stop: async () => {} };
  }
  if (process.env.LIENKET_TEST_INFRA !== 'local' && dockerEngineAnswers()) return startContainers();
  return startLocal();
}
