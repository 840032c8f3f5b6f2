// Local real infrastructure without Docker: a single-node Apache Kafka (KRaft, official jars via
// Maven, Java 17) and a MongoDB-wire store (`mongod` from PATH, else FerretDB 1.24 built from the Go
// module proxy). Everything it downloads, builds or stores lives under LIENKET_HOME
// (default ~/.cache/lienket), outside the checkout. Used by cli.mjs and by the test harness.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaAnswers, upKafka } from './kafka.mjs';
import { runningPid, stopProcess } from './processes.mjs';
import { say, settings } from './settings.mjs';
import { storeAnswers, upStore } from './store.mjs';

// What the CLI, `npm start`, the benchmarks and the drills use.
export { runningPid } from './processes.mjs';
export { repoRoot, settings } from './settings.mjs';

// ---------------------------------------------------------------- commands

/**
 * Makes sure Kafka and the store answer, starting what is missing. Honours KAFKA_BROKERS and
 * MONGO_URL: a component given by the environment is only checked, never provisioned.
 * Returns the addresses and which components this call started.
 */
export async function up({ env = process.env, quiet = false } = {}) {
  const cfg = settings(env);
  const started = [];
  let brokers;
  if (env.KAFKA_BROKERS) {
    brokers = env.KAFKA_BROKERS.split(',');
    if (!(await kafkaAnswers(brokers))) throw new Error(`KAFKA_BROKERS=${env.KAFKA_BROKERS} does not answer`);
    say(quiet, `  kafka: using KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
  } else {
    const wasRunning = Boolean(runningPid(cfg, 'kafka'));
    brokers = await upKafka(cfg, quiet);
    if (!wasRunning) started.push('kafka');
  }
  let mongoUrl;
  if (env.MONGO_URL) {
    mongoUrl = env.MONGO_URL;
    if (!(await storeAnswers(mongoUrl))) throw new Error(`MONGO_URL=${env.MONGO_URL} does not answer`);
    say(quiet, `  store: using MONGO_URL=${env.MONGO_URL}`);
  } else {
    const wasRunning = Boolean(runningPid(cfg, 'store'));
    mongoUrl = await upStore(cfg, quiet);
    if (!wasRunning) started.push('store');
  }
  return { kafkaBrokers: brokers.join(','), mongoUrl, started, home: cfg.home };
}

export async function down({ env = process.env, quiet = false, only } = {}) {
  const cfg = settings(env);
  for (const name of only ?? ['store', 'kafka']) {
    await stopProcess(cfg, name, quiet);
    // FerretDB's PostgreSQL, when the store ran on that backend.
    if (name === 'store' && runningPid(cfg, 'postgres')) await stopProcess(cfg, 'postgres', quiet);
  }
}

export async function status({ env = process.env } = {}) {
  const cfg = settings(env);
  const kafkaPid = runningPid(cfg, 'kafka');
  const storePid = runningPid(cfg, 'store');
  return {
    home: cfg.home,
    kafka: {
      pid: kafkaPid,
      address: `127.0.0.1:${cfg.kafkaPort}`,
      healthy: kafkaPid ? await kafkaAnswers([`127.0.0.1:${cfg.kafkaPort}`]) : false,
      log: join(cfg.logDir, 'kafka-server.log'),
    },
    store: {
      pid: storePid,
      address: `mongodb://127.0.0.1:${cfg.storePort}`,
      healthy: storePid ? await storeAnswers(`mongodb://127.0.0.1:${cfg.storePort}`) : false,
      log: join(cfg.logDir, 'store.log'),
    },
  };
}

export function logFiles({ env = process.env } = {}) {
  const cfg = settings(env);
  if (!existsSync(cfg.logDir)) return [];
  return readdirSync(cfg.logDir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(cfg.logDir, f))
    .filter((f) => statSync(f).size > 0);
}
