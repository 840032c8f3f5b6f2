// Where infra/local keeps things and on which ports it runs, from the environment.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const here = dirname(new URL(import.meta.url).pathname);
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
    // FerretDB's backend: sqlite (the default, ADR 0003) or postgresql (measured in ADR 0018; needs
    // `initdb` and `postgres` on PATH or in LIENKET_POSTGRES_BIN).
    storeBackend: env.LIENKET_STORE_BACKEND ?? 'sqlite',
    postgresPort: Number(env.LIENKET_POSTGRES_PORT ?? storePort + 1),
    postgresBin: env.LIENKET_POSTGRES_BIN,
    kafkaHeap: env.LIENKET_KAFKA_HEAP ?? '1g',
    runDir: join(home, 'run'),
    logDir: join(home, 'logs'),
  };
}

export const say = (quiet, ...parts) => {
  if (!quiet) process.stderr.write(`${parts.join(' ')}\n`);
};
