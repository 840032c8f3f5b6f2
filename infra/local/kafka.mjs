// Kafka for infra/local: the official jars resolved with Maven, one KRaft node, started detached.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portOpen, requireTool, runningPid, sleep, startDetached } from './processes.mjs';
import { here, say } from './settings.mjs';

// ---------------------------------------------------------------- Kafka

function kafkaVersion() {
  const pom = readFileSync(join(here, 'kafka/pom.xml'), 'utf8');
  return /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown';
}

function kafkaLibs(cfg, quiet) {
  const pomText = readFileSync(join(here, 'kafka/pom.xml'));
  const digest = createHash('sha256').update(pomText).digest('hex').slice(0, 12);
  const libs = join(cfg.cache, 'kafka', `${kafkaVersion()}-${digest}`, 'libs');
  if (existsSync(join(libs, '.complete'))) return libs;
  const javaVersion = requireTool(
    'java',
    ['-version'],
    'Install Java 17+ (Debian: apt-get install openjdk-17-jre-headless).',
  );
  const major = Number(/version "(\d+)/.exec(javaVersion)?.[1] ?? 0);
  if (major < 17) throw new Error(`Kafka 4 needs Java 17 or newer; found ${major}.`);
  requireTool('mvn', ['-v'], 'Install Maven (Debian: apt-get install maven).');
  say(quiet, `  kafka: resolving Apache Kafka ${kafkaVersion()} jars with Maven (first run only)...`);
  rmSync(libs, { recursive: true, force: true });
  const started = Date.now();
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      join(here, 'kafka/pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libs}`,
      '-DincludeScope=runtime',
    ],
    // Progress goes to stderr: stdout is reserved for `up --json`.
    { stdio: quiet ? 'pipe' : ['ignore', 2, 2], encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`Maven could not resolve the Kafka jars:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  writeFileSync(join(libs, '.complete'), new Date().toISOString());
  say(
    quiet,
    `  kafka: ${readdirSync(libs).length - 1} jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return libs;
}

function writeKafkaConfig(cfg, dataDir) {
  const dir = join(cfg.home, 'kafka', 'config');
  mkdirSync(dir, { recursive: true });
  const properties = `# written by infra/local; edit LIENKET_KAFKA_* variables instead
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${cfg.controllerPort}
listeners=PLAINTEXT://127.0.0.1:${cfg.kafkaPort},CONTROLLER://127.0.0.1:${cfg.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${cfg.kafkaPort}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
`;
  const log4j = `status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${join(cfg.logDir, 'kafka-server.log')}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.state.name = state.change.logger
logger.state.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;
  writeFileSync(join(dir, 'server.properties'), properties);
  writeFileSync(join(dir, 'log4j2.properties'), log4j);
  return { properties: join(dir, 'server.properties'), log4j: join(dir, 'log4j2.properties') };
}

export async function kafkaAnswers(brokers) {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'lienket-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function upKafka(cfg, quiet) {
  const brokers = [`127.0.0.1:${cfg.kafkaPort}`];
  if (runningPid(cfg, 'kafka') && (await kafkaAnswers(brokers))) {
    say(quiet, `  kafka: already running on ${brokers[0]}`);
    return brokers;
  }
  if (!runningPid(cfg, 'kafka') && (await portOpen(cfg.kafkaPort))) {
    throw new Error(
      `port ${cfg.kafkaPort} is taken by another process; set LIENKET_KAFKA_PORT or KAFKA_BROKERS`,
    );
  }
  const libs = kafkaLibs(cfg, quiet);
  const dataDir = join(cfg.home, 'kafka', 'data');
  const files = writeKafkaConfig(cfg, dataDir);
  const classpath = `${libs}/*`;
  const jvmLogging = [`-Dlog4j2.configurationFile=${files.log4j}`, `-Dkafka.logs.dir=${cfg.logDir}`];
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    say(quiet, '  kafka: formatting KRaft storage');
    // A cluster id is 16 random bytes in base64url; one starting with '-' would be read as an option.
    let clusterId;
    do {
      clusterId = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url').slice(0, 22);
    } while (clusterId.startsWith('-'));
    execFileSync(
      'java',
      [
        '-cp',
        classpath,
        ...jvmLogging,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        files.properties,
      ],
      {
        stdio: 'pipe',
      },
    );
  }
  if (!runningPid(cfg, 'kafka')) {
    say(quiet, `  kafka: starting Apache Kafka ${kafkaVersion()} (KRaft) on ${brokers[0]}`);
    startDetached(cfg, 'kafka', 'java', [
      `-Xmx${cfg.kafkaHeap}`,
      `-Xms256m`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      ...jvmLogging,
      '-cp',
      classpath,
      'kafka.Kafka',
      files.properties,
    ]);
  }
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (!runningPid(cfg, 'kafka'))
      throw new Error(`Kafka exited during start; see ${join(cfg.logDir, 'kafka.log')}`);
    if (await kafkaAnswers(brokers)) {
      say(quiet, '  kafka: healthy (metadata answered)');
      return brokers;
    }
    await sleep(500);
  }
  throw new Error(`Kafka did not answer metadata within 90 s; see ${join(cfg.logDir, 'kafka-server.log')}`);
}
