// Local real infrastructure without Docker: a single-node Apache Kafka (KRaft, official jars via
// Maven, Java 17) and a MongoDB-wire store (`mongod` from PATH, else FerretDB 1.24 built from the Go
// module proxy). Everything it downloads, builds or stores lives under LIENKET_HOME
// (default ~/.cache/lienket), outside the checkout. Used by cli.mjs and by the test harness.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const here = dirname(new URL(import.meta.url).pathname);
export const repoRoot = resolve(here, '../..');

export function settings(env = process.env) {
  const home = resolve(env.LIENKET_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lienket'));
  const kafkaPort = Number(env.LIENKET_KAFKA_PORT ?? 19092);
  const storePort = Number(env.LIENKET_STORE_PORT ?? 27027);
  return {
    home,
    // Downloads and builds (jars, the FerretDB binary) may be shared by several homes.
    cache: resolve(env.LIENKET_CACHE ?? home),
    kafkaPort,
    controllerPort: Number(env.LIENKET_KAFKA_CONTROLLER_PORT ?? kafkaPort + 1),
    storePort,
    kafkaHeap: env.LIENKET_KAFKA_HEAP ?? '1g',
    runDir: join(home, 'run'),
    logDir: join(home, 'logs'),
  };
}

const say = (quiet, ...parts) => {
  if (!quiet) process.stderr.write(`${parts.join(' ')}\n`);
};

// ---------------------------------------------------------------- processes

function pidFile(cfg, name) {
  return join(cfg.runDir, `${name}.pid`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningPid(cfg, name) {
  const file = pidFile(cfg, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (pid > 0 && alive(pid)) return pid;
  rmSync(file, { force: true });
  return undefined;
}

function startDetached(cfg, name, command, args, options = {}) {
  mkdirSync(cfg.runDir, { recursive: true });
  mkdirSync(cfg.logDir, { recursive: true });
  const log = openSync(join(cfg.logDir, `${name}.log`), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], ...options });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(cfg, name), String(child.pid));
  return child.pid;
}

async function stopProcess(cfg, name, quiet) {
  const pid = runningPid(cfg, name);
  if (!pid) {
    say(quiet, `  ${name}: not running`);
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    say(quiet, `  ${name}: did not stop in 30 s, killing`);
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(100);
  }
  rmSync(pidFile(cfg, name), { force: true });
  say(quiet, `  ${name}: stopped (pid ${pid})`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolvePort) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
  });
}

function requireTool(command, args, hint) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} is required but was not found or failed to run.\n  ${hint}`);
  }
  return `${result.stdout}${result.stderr}`;
}

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

async function kafkaAnswers(brokers) {
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

async function upKafka(cfg, quiet) {
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

// ---------------------------------------------------------------- store

/** Handler commands that read, modify and write documents; each gets the write lock. */
const lockedHandlers = ['MsgUpdate', 'MsgFindAndModify', 'MsgDelete'];

/**
 * A patched copy of the FerretDB module with a mutex per database taken at the top of each
 * read-modify-write command (see ferretdb/writelock.go.txt for why), and a go.mod that builds
 * against it. Go refuses overlays of module-cache files, so the copy lives under LIENKET_HOME.
 */
function patchedModule(cfg, quiet) {
  const download = spawnSync('go', ['mod', 'download', '-json', 'github.com/FerretDB/FerretDB'], {
    cwd: join(here, 'ferretdb'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
  });
  if (download.status !== 0)
    throw new Error(`go mod download failed:\n${download.stdout}${download.stderr ?? ''}`);
  const { Dir: moduleDir, Version: version } = JSON.parse(download.stdout);
  const copy = join(cfg.cache, 'ferretdb', `src-${version}-patched`);
  rmSync(copy, { recursive: true, force: true });
  execFileSync('cp', ['-R', moduleDir, copy]);
  execFileSync('chmod', ['-R', 'u+w', copy]);
  const handlerDir = join(copy, 'internal', 'handler');
  let patchedCount = 0;
  for (const file of readdirSync(handlerDir).filter((f) => f.startsWith('msg_') && f.endsWith('.go'))) {
    const source = readFileSync(join(handlerDir, file), 'utf8');
    let patched = source;
    for (const name of lockedHandlers) {
      const signature = `func (h *Handler) ${name}(connCtx context.Context, msg *wire.OpMsg) (*wire.OpMsg, error) {`;
      if (patched.includes(signature)) patchedCount += 1;
      patched = patched.replace(signature, `${signature}\n\tdefer lienketWriteLock(msg)()\n`);
    }
    if (patched !== source) writeFileSync(join(handlerDir, file), patched);
  }
  if (patchedCount !== lockedHandlers.length) {
    throw new Error(`FerretDB write-lock patch matched ${patchedCount} of ${lockedHandlers.length} handlers`);
  }
  // FerretDB closes each update statement's iterator (and returns its SQLite connection, 100 per
  // database) only when the whole command ends: a command of 100 statements waits forever for a
  // connection it holds itself, under the write lock, and every write in the store stops. Release
  // each statement's iterator right after the statement instead (ADR 0003).
  const updateFile = join(handlerDir, 'msg_update.go');
  const update = readFileSync(updateFile, 'utf8');
  const deferred = '\t\tcloser := iterator.NewMultiCloser()\n\t\tdefer closer.Close()\n';
  const call = '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n';
  if (!update.includes(deferred) || !update.includes(call)) {
    throw new Error(`FerretDB statement-close patch: ${updateFile} is not as expected`);
  }
  writeFileSync(
    updateFile,
    update
      .replace(deferred, '\t\tcloser := iterator.NewMultiCloser()\n')
      .replace(call, `${call}\t\tcloser.Close() // lienket: release this statement's connection now\n`),
  );
  // The SQLite backend looks a document up by its _id index only when the filter is exactly
  // `{ _id: value }`; `{ _id: value, version: n }` (every compare-and-set write) read and decoded
  // the whole collection under the write lock. Use the index whenever the filter has an _id value:
  // every handler applies the whole filter to what the query returns anyway, and limits are pushed
  // down only for empty filters.
  const collectionFile = join(copy, 'internal', 'backends', 'sqlite', 'collection.go');
  const collectionSource = readFileSync(collectionFile, 'utf8');
  const exactId = '\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")';
  if (!collectionSource.includes(exactId)) {
    throw new Error(`FerretDB _id pushdown patch: ${collectionFile} is not as expected`);
  }
  // And for `{ _id: { $in: [...] } }` (the outbox relay claims a batch so), an `_id IN (...)` lookup.
  const afterId = '\tq += whereClause\n\tq += prepareOrderByClause(params.Sort)\n';
  if (!collectionSource.includes(afterId)) {
    throw new Error(`FerretDB _id $in pushdown patch: ${collectionFile} is not as expected`);
  }
  const idIn =
    '\tif whereClause == "" {\n\t\tif in, inArgs, ok := lienketIDIn(params.Filter); ok {\n' +
    '\t\t\twhereClause = fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, in)\n\t\t\targs = inArgs\n\t\t}\n\t}\n\n';
  writeFileSync(
    collectionFile,
    collectionSource
      .replace(exactId, '\tif params.Filter.Len() >= 1 {\n\t\tv, _ := params.Filter.Get("_id")')
      .replace(afterId, idIn + afterId),
  );
  // The _id index is created on `_ferretdb_sjson->"_id"` but every lookup, update and delete by _id
  // compares `_ferretdb_sjson->'$._id'`: the same value, a different expression, so SQLite never uses
  // the index and each of them scans the table (9 ms at 5,000 documents instead of 6 µs). Compare
  // the indexed expression.
  const metadataFile = join(copy, 'internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
  const metadataSource = readFileSync(metadataFile, 'utf8');
  const idColumn = `\tIDColumn = DefaultColumn + "->'$._id'"\n`;
  if (!metadataSource.includes(idColumn)) {
    throw new Error(`FerretDB _id index patch: ${metadataFile} is not as expected`);
  }
  writeFileSync(metadataFile, metadataSource.replace(idColumn, '\tIDColumn = DefaultColumn + `->"_id"`\n'));
  writeFileSync(
    join(copy, 'internal', 'backends', 'sqlite', 'lienket_idin.go'),
    readFileSync(join(here, 'ferretdb', 'idin.go.txt')),
  );
  writeFileSync(
    join(handlerDir, 'lienket_writelock.go'),
    readFileSync(join(here, 'ferretdb', 'writelock.go.txt')),
  );
  const modfile = join(cfg.cache, 'ferretdb', 'build.mod');
  writeFileSync(
    modfile,
    `${readFileSync(join(here, 'ferretdb', 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${copy}\n`,
  );
  writeFileSync(join(cfg.cache, 'ferretdb', 'build.sum'), readFileSync(join(here, 'ferretdb', 'go.sum')));
  return modfile;
}

function ferretBinary(cfg, quiet) {
  const sources = ['go.mod', 'go.sum', 'main.go', 'writelock.go.txt', 'idin.go.txt'].map((f) =>
    readFileSync(join(here, 'ferretdb', f)),
  );
  const digest = createHash('sha256')
    .update(Buffer.concat(sources))
    .update(lockedHandlers.join())
    .update('statement-close,id-pushdown,id-index')
    .digest('hex')
    .slice(0, 12);
  const binary = join(cfg.cache, 'ferretdb', `ferretdb-${digest}`);
  if (existsSync(binary)) return binary;
  requireTool(
    'go',
    ['version'],
    'Install Go 1.24+ (https://go.dev/dl) or put a mongod on PATH, or set MONGO_URL.',
  );
  say(quiet, '  store: building FerretDB 1.24 (SQLite backend) from the Go module proxy (first run only)...');
  mkdirSync(dirname(binary), { recursive: true });
  const started = Date.now();
  const modfile = patchedModule(cfg, quiet);
  const result = spawnSync('go', ['build', '-trimpath', `-modfile=${modfile}`, '-o', `${binary}.tmp`, '.'], {
    cwd: join(here, 'ferretdb'),
    stdio: quiet ? 'pipe' : ['ignore', 2, 2],
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
  if (result.status !== 0)
    throw new Error(`go build of FerretDB failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  execFileSync('mv', [`${binary}.tmp`, binary]);
  say(quiet, `  store: FerretDB built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

function findMongod() {
  const result = spawnSync('mongod', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? 'mongod' : undefined;
}

async function storeAnswers(url) {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function upStore(cfg, quiet) {
  const url = `mongodb://127.0.0.1:${cfg.storePort}`;
  if (runningPid(cfg, 'store') && (await storeAnswers(url))) {
    say(quiet, `  store: already running on ${url}`);
    return url;
  }
  if (!runningPid(cfg, 'store') && (await portOpen(cfg.storePort))) {
    throw new Error(`port ${cfg.storePort} is taken by another process; set LIENKET_STORE_PORT or MONGO_URL`);
  }
  if (!runningPid(cfg, 'store')) {
    const mongod = findMongod();
    if (mongod) {
      const dbPath = join(cfg.home, 'mongod', 'data');
      mkdirSync(dbPath, { recursive: true });
      say(quiet, `  store: starting mongod on ${url}`);
      startDetached(cfg, 'store', mongod, [
        '--dbpath',
        dbPath,
        '--port',
        String(cfg.storePort),
        '--bind_ip',
        '127.0.0.1',
      ]);
    } else {
      const binary = ferretBinary(cfg, quiet);
      const dataDir = join(cfg.home, 'ferretdb', 'data');
      say(quiet, `  store: starting FerretDB on ${url}`);
      startDetached(cfg, 'store', binary, [
        '-listen-addr',
        `127.0.0.1:${cfg.storePort}`,
        '-data-dir',
        dataDir,
      ]);
    }
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!runningPid(cfg, 'store'))
      throw new Error(`the store exited during start; see ${join(cfg.logDir, 'store.log')}`);
    if (await storeAnswers(url)) {
      say(quiet, '  store: healthy (ping answered)');
      return url;
    }
    await sleep(250);
  }
  throw new Error(`the store did not answer ping within 30 s; see ${join(cfg.logDir, 'store.log')}`);
}

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
  for (const name of only ?? ['store', 'kafka']) await stopProcess(cfg, name, quiet);
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
