// The store for infra/local: `mongod` from PATH, else FerretDB 1.24 built from the Go module proxy and
// patched for atomic single-document writes (docs/adr/0003).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { portOpen, requireTool, runningPid, sleep, startDetached } from './processes.mjs';
import { here, say } from './settings.mjs';

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
  // Explain chooses its WHERE clause by a copy of the same logic: patch it alike, so that the plan it
  // answers is the plan of the query (the tests assert index use from it). Its filterPushdown stays
  // true only for a filter the SQL clause decides alone.
  const explainPushdown = '\t\t\tfilterPushdown = true\n';
  const explainOrderBy = '\torderByClause := prepareOrderByClause(params.Sort)\n\tsortPushdown := ';
  if (
    collectionSource.split(exactId).length !== 3 ||
    !collectionSource.includes(explainPushdown) ||
    !collectionSource.includes(explainOrderBy)
  ) {
    throw new Error(`FerretDB explain patch: ${collectionFile} is not as expected`);
  }
  writeFileSync(
    collectionFile,
    collectionSource
      .replaceAll(exactId, '\tif params.Filter.Len() >= 1 {\n\t\tv, _ := params.Filter.Get("_id")')
      .replace(afterId, idIn + afterId)
      .replace(explainPushdown, '\t\t\tfilterPushdown = params.Filter.Len() == 1\n')
      .replace(explainOrderBy, idIn + explainOrderBy),
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
    .update('statement-close,id-pushdown,id-index,explain-as-query')
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

/** A PostgreSQL binary: from LIENKET_POSTGRES_BIN, else PATH. */
function postgresTool(cfg, name) {
  const command = cfg.postgresBin ? join(cfg.postgresBin, name) : name;
  requireTool(
    command,
    ['--version'],
    'LIENKET_STORE_BACKEND=postgresql needs PostgreSQL 14+ (initdb, postgres) on PATH or in LIENKET_POSTGRES_BIN.',
  );
  return command;
}

/**
 * PostgreSQL for FerretDB's postgresql backend, in LIENKET_HOME/postgres. fsync is off: like the
 * SQLite backend's synchronous=NORMAL, a commit survives the process being killed (each one is
 * written to the OS before it is answered) but not the machine losing power.
 */
async function upPostgres(cfg, quiet) {
  const url = `postgres://lienket@127.0.0.1:${cfg.postgresPort}/postgres`;
  if (runningPid(cfg, 'postgres')) return url;
  if (await portOpen(cfg.postgresPort)) {
    throw new Error(`port ${cfg.postgresPort} is taken by another process; set LIENKET_POSTGRES_PORT`);
  }
  const dataDir = join(cfg.home, 'postgres', 'data');
  // PostgreSQL refuses to run as root: as root (a container, CI), it runs as nobody.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    say(quiet, '  store: initialising PostgreSQL for FerretDB');
    mkdirSync(dataDir, { recursive: true });
    if (asUser.uid !== undefined)
      execFileSync('chown', ['-R', `${asUser.uid}:${asUser.gid}`, join(cfg.home, 'postgres')]);
    execFileSync(
      postgresTool(cfg, 'initdb'),
      ['-D', dataDir, '-U', 'lienket', '--auth=trust', '-E', 'UTF8'],
      {
        stdio: quiet ? 'pipe' : ['ignore', 2, 2],
        ...asUser,
      },
    );
  }
  say(quiet, `  store: starting PostgreSQL on 127.0.0.1:${cfg.postgresPort}`);
  startDetached(
    cfg,
    'postgres',
    postgresTool(cfg, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(cfg.postgresPort),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${join(cfg.home, 'postgres')}`,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ],
    asUser,
  );
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!runningPid(cfg, 'postgres'))
      throw new Error(`PostgreSQL exited during start; see ${join(cfg.logDir, 'postgres.log')}`);
    if (await portOpen(cfg.postgresPort)) return url;
    await sleep(250);
  }
  throw new Error(`PostgreSQL did not open its port within 30 s; see ${join(cfg.logDir, 'postgres.log')}`);
}

function findMongod() {
  const result = spawnSync('mongod', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? 'mongod' : undefined;
}

export async function storeAnswers(url) {
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

export async function upStore(cfg, quiet) {
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
    } else if (cfg.storeBackend === 'postgresql') {
      const binary = ferretBinary(cfg, quiet);
      const postgresUrl = await upPostgres(cfg, quiet);
      say(quiet, `  store: starting FerretDB (PostgreSQL backend) on ${url}`);
      startDetached(cfg, 'store', binary, [
        '-listen-addr',
        `127.0.0.1:${cfg.storePort}`,
        '-postgresql-url',
        postgresUrl,
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
