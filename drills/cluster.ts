// The platform under drill: a separate infrastructure instance (its own LIENKET_HOME and ports, so
// the shared Kafka and store other work uses are never touched) and the five service processes,
// started the way `npm start` and the e2e tests start them.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { grpcServing } from './clients';
import { log, sleep, waitUntil } from './util';

export const root = resolve(__dirname, '../..');

interface InfraModule {
  up(options: {
    env: NodeJS.ProcessEnv;
    quiet?: boolean;
  }): Promise<{ kafkaBrokers: string; mongoUrl: string }>;
  down(options: { env: NodeJS.ProcessEnv; quiet?: boolean; only?: string[] }): Promise<void>;
  runningPid(cfg: unknown, name: string): number | undefined;
  settings(env: NodeJS.ProcessEnv): unknown;
}

let infraModule: InfraModule | undefined;
async function infra(): Promise<InfraModule> {
  infraModule ??= (await import(pathToFileURL(join(root, 'infra/local/infra.mjs')).href)) as InfraModule;
  return infraModule;
}

export async function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The wanted port when it and the next one are free, else a free pair nearby. */
async function portPair(wanted: number): Promise<number> {
  for (let port = wanted; port < wanted + 200; port += 10) {
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error(`no free port pair near ${wanted}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export class Infrastructure {
  kafkaBrokers = '';
  mongoUrl = '';
  private constructor(
    readonly home: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(options: { kafkaPort: number; storePort: number }): Promise<Infrastructure> {
    const home = mkdtempSync(join(tmpdir(), 'lienket-drills-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KAFKA_BROKERS;
    delete env.MONGO_URL;
    const kafkaPort = await portPair(options.kafkaPort);
    const storePort = await portPair(options.storePort);
    Object.assign(env, {
      LIENKET_HOME: home,
      // Jars and the store binary are shared with `npm start`; data, logs and ports are not.
      LIENKET_CACHE: process.env.LIENKET_CACHE ?? join(homedir(), '.cache', 'lienket'),
      LIENKET_KAFKA_PORT: String(kafkaPort),
      LIENKET_KAFKA_CONTROLLER_PORT: String(kafkaPort + 1),
      LIENKET_STORE_PORT: String(storePort),
      LIENKET_KAFKA_HEAP: process.env.LIENKET_KAFKA_HEAP ?? '768m',
    });
    const instance = new Infrastructure(home, env);
    log(`infrastructure: separate instance in ${home} (Kafka :${kafkaPort}, store :${storePort})`);
    const started = Date.now();
    const result = await (await infra()).up({ env, quiet: true });
    instance.kafkaBrokers = result.kafkaBrokers;
    instance.mongoUrl = result.mongoUrl;
    log(`infrastructure: up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return instance;
  }

  pid(name: 'kafka' | 'store'): number | undefined {
    const file = join(this.home, 'run', `${name}.pid`);
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return pid > 0 && alive(pid) ? pid : undefined;
  }

  /** Stops one part: SIGTERM through infra.mjs (waits for a clean exit), or SIGKILL by its pid file. */
  async stop(name: 'kafka' | 'store', how: 'term' | 'kill'): Promise<void> {
    if (how === 'term') {
      await (await infra()).down({ env: this.env, quiet: true, only: [name] });
      return;
    }
    const pid = this.pid(name);
    if (!pid) throw new Error(`${name} is not running`);
    process.kill(pid, 'SIGKILL');
    await waitUntil(async () => !alive(pid), { timeoutMs: 10_000, what: `${name} to die` });
  }

  /** Starts whatever is not running (infra.mjs `up`), back to healthy. */
  async up(): Promise<void> {
    await (await infra()).up({ env: this.env, quiet: true });
  }

  async down(keep: boolean): Promise<void> {
    await (await infra()).down({ env: this.env, quiet: true });
    if (!keep) rmSync(this.home, { recursive: true, force: true });
  }
}

export type ServiceName = 'registry' | 'matchmaking' | 'techtransfer' | 'insights' | 'gateway';
export const serviceNames: ServiceName[] = ['registry', 'matchmaking', 'techtransfer', 'insights', 'gateway'];

export const databases: Record<Exclude<ServiceName, 'gateway'>, string> & { gateway: string } = {
  registry: 'lienket_registry',
  matchmaking: 'lienket_matchmaking',
  techtransfer: 'lienket_techtransfer',
  insights: 'lienket_insights',
  gateway: 'lienket_gateway',
};

export const DEV_SECRET = 'drills-dev-secret-0123456789-0123456789';

export class Service {
  child: ChildProcess | undefined;
  starts = 0;
  constructor(
    readonly name: ServiceName,
    readonly grpcPort: number,
    readonly metricsPort: number,
    readonly httpPort: number | undefined,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {}

  get address() {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get pid() {
    return this.child?.pid;
  }

  start(): void {
    const out = openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      ['-r', '@lienket/platform/telemetry', join(root, `services/${this.name}/dist/main.js`)],
      // Own process group (as infra.mjs starts Kafka and the store): a signal to it stays with it.
      { cwd: root, env: this.env, stdio: ['ignore', out, out], detached: true },
    );
    closeSync(out);
    this.starts += 1;
  }

  async healthy(timeoutMs = 90_000): Promise<void> {
    await waitUntil(
      async () => {
        if (this.child?.exitCode !== null && this.child?.exitCode !== undefined)
          throw new Error(`${this.name} exited (${this.child.exitCode}); see ${this.logFile}`);
        return grpcServing(this.address);
      },
      { timeoutMs, what: `${this.name} to be healthy`, intervalMs: 200 },
    );
  }

  /** kill -9; resolves once the process is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface Platform {
  infra: Infrastructure;
  services: Record<ServiceName, Service>;
  gatewayUrl: string;
}

/** Starts the services in dependency order (as `npm start` does), each health-checked. */
export async function startPlatform(infraInstance: Infrastructure): Promise<Platform> {
  const logDir = join(infraInstance.home, 'logs');
  mkdirSync(logDir, { recursive: true });
  const ports: Record<string, number> = {};
  for (const name of serviceNames) ports[name] = await freePort();
  const httpPort = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'MONGO_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'KAFKA_TOPIC_PREFIX'])
    delete base[name];
  const common = {
    MONGO_URL: infraInstance.mongoUrl,
    KAFKA_BROKERS: infraInstance.kafkaBrokers,
    LOG_LEVEL: 'warn',
    REGISTRY_ADDR: `127.0.0.1:${ports.registry}`,
    MATCHMAKING_ADDR: `127.0.0.1:${ports.matchmaking}`,
    TECHTRANSFER_ADDR: `127.0.0.1:${ports.techtransfer}`,
    INSIGHTS_ADDR: `127.0.0.1:${ports.insights}`,
  };
  const extra: Record<ServiceName, Record<string, string>> = {
    // The open-postings cap is a business rule, not under drill: the load posts many needs per firm.
    registry: { MAX_OPEN_POSTINGS: '1000000' },
    // A stable instance id, so a restarted matchmaking resumes its own index consumer group.
    matchmaking: { INSTANCE_ID: 'drills-1' },
    techtransfer: {},
    insights: {},
    gateway: {
      HTTP_PORT: String(httpPort),
      AUTH_DEV_SECRET: DEV_SECRET,
      RATE_LIMIT_PER_MINUTE: '10000000',
    },
  };
  const services = {} as Record<ServiceName, Service>;
  for (const name of serviceNames) {
    const env: NodeJS.ProcessEnv = {
      ...base,
      ...common,
      OTEL_SERVICE_NAME: `lienket-${name}`,
      GRPC_PORT: String(ports[name]),
      METRICS_PORT: String(await freePort()),
      MONGO_DB: databases[name],
      ...extra[name],
    };
    const service = new Service(
      name,
      ports[name] as number,
      Number(env.METRICS_PORT),
      name === 'gateway' ? httpPort : undefined,
      env,
      join(logDir, `${name}.log`),
    );
    const started = Date.now();
    service.start();
    await service.healthy();
    log(`  ${name}: healthy on :${service.grpcPort} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    services[name] = service;
  }
  return { infra: infraInstance, services, gatewayUrl: `http://127.0.0.1:${httpPort}` };
}

export async function stopPlatform(platform: Platform): Promise<void> {
  for (const name of [...serviceNames].reverse()) await platform.services[name]?.stop();
}

export { sleep };
