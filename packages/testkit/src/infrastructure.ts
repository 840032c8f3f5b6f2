import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

async function startContainers(): Promise<ResolvedInfrastructure> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo] = await Promise.all([
    new KafkaContainer('apache/kafka:4.1.1').withKraft().start(),
    new MongoDBContainer('mongo:7.0').start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
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
