import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process. Each service exposes them on `METRICS_PORT` (`/metrics`),
 * apart from its public port: request rate and latency (gRPC, HTTP), consumer lag, events
 * processed, outbox backlog, dead-letter topic sizes, and the Node.js runtime.
 */
export const metricsRegistry = new Registry();
// No prefix: the runtime metrics keep their standard names (`process_cpu_seconds_total`,
// `nodejs_eventloop_lag_seconds`, ...), which stock Node.js dashboards query.
collectDefaultMetrics({ register: metricsRegistry });

const latencyBuckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const grpcRequests = new Counter({
  name: 'lienket_grpc_server_requests_total',
  help: 'gRPC requests handled, by method and status code',
  labelNames: ['method', 'code'] as const,
  registers: [metricsRegistry],
});

export const grpcLatency = new Histogram({
  name: 'lienket_grpc_server_duration_seconds',
  help: 'gRPC handling time, by method',
  labelNames: ['method'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

export const httpRequests = new Counter({
  name: 'lienket_http_requests_total',
  help: 'HTTP requests answered, by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpLatency = new Histogram({
  name: 'lienket_http_request_duration_seconds',
  help: 'HTTP answering time, by method and route',
  labelNames: ['method', 'route'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

export const consumerLag = new Gauge({
  name: 'lienket_consumer_lag_messages',
  help: 'Messages behind the end of each partition, per consumer group (after the last batch)',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
});

export const eventsProcessed = new Counter({
  name: 'lienket_events_processed_total',
  help: 'Events taken by consumers: applied, duplicate, ignored, retried, dead_lettered',
  labelNames: ['group', 'type', 'outcome'] as const,
  registers: [metricsRegistry],
});

type Sampler = () => Promise<{ labels: Record<string, string>; value: number }[]>;
const outboxSamplers = new Set<Sampler>();
const dlqSamplers = new Set<Sampler>();

async function sampleInto(gauge: Gauge<string>, samplers: Set<Sampler>) {
  gauge.reset();
  const results = await Promise.allSettled([...samplers].map((sample) => sample()));
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    for (const { labels, value } of result.value) gauge.set(labels, value);
  }
}

new Gauge({
  name: 'lienket_outbox_backlog_documents',
  help: 'Aggregate documents with events not yet published, per collection',
  labelNames: ['collection'] as const,
  registers: [metricsRegistry],
  async collect() {
    await sampleInto(this, outboxSamplers);
  },
});

new Gauge({
  name: 'lienket_dlq_messages',
  help: 'Messages held in each dead-letter topic this process consumes next to',
  labelNames: ['topic'] as const,
  registers: [metricsRegistry],
  async collect() {
    await sampleInto(this, dlqSamplers);
  },
});

/** Adds a source of outbox backlog figures (read at scrape time); returns its removal. */
export function sampleOutboxBacklog(sampler: Sampler): () => void {
  outboxSamplers.add(sampler);
  return () => outboxSamplers.delete(sampler);
}

/** Adds a source of dead-letter topic sizes (read at scrape time); returns its removal. */
export function sampleDeadLetters(sampler: Sampler): () => void {
  dlqSamplers.add(sampler);
  return () => dlqSamplers.delete(sampler);
}

export interface MetricsServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves `GET /metrics` (Prometheus text format) on its own port. */
export async function startMetricsServer(port: number, host = '0.0.0.0'): Promise<MetricsServer> {
  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await metricsRegistry.metrics();
      response.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(body);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const storeCommands = new Counter({
  name: 'lienket_store_commands_total',
  help: 'Commands this process sent to the store, by command, collection and outcome (ok, error)',
  labelNames: ['command', 'collection', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const storeLatency = new Histogram({
  name: 'lienket_store_command_duration_seconds',
  help: 'Time from sending a store command to its answer, by command and collection',
  labelNames: ['command', 'collection'] as const,
  buckets: latencyBuckets,
  registers: [metricsRegistry],
});

/** The parts of the driver's command monitoring events the store metrics read. */
interface CommandEvents {
  on(
    event: 'commandStarted',
    listener: (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => void,
  ): unknown;
  on(
    event: 'commandSucceeded' | 'commandFailed',
    listener: (e: { requestId: number; duration: number }) => void,
  ): unknown;
}

const MONITORED_COMMANDS = new Set([
  'find',
  'insert',
  'update',
  'delete',
  'aggregate',
  'count',
  'findAndModify',
  'getMore',
  'distinct',
]);

/**
 * Counts and times each data command a client (opened with `monitorCommands: true`) sends, by
 * collection: where this process's store time goes.
 */
export function monitorStoreCommands(client: CommandEvents): void {
  const started = new Map<number, { command: string; collection: string }>();
  client.on('commandStarted', (e) => {
    if (!MONITORED_COMMANDS.has(e.commandName)) return;
    const target = e.command[e.commandName];
    const collection =
      typeof target === 'string'
        ? target
        : e.commandName === 'getMore'
          ? String(e.command.collection ?? '')
          : '';
    started.set(e.requestId, { command: e.commandName, collection });
  });
  const done = (outcome: 'ok' | 'error') => (e: { requestId: number; duration: number }) => {
    const command = started.get(e.requestId);
    if (!command) return;
    started.delete(e.requestId);
    storeCommands.inc({ ...command, outcome });
    storeLatency.observe(command, e.duration / 1000);
  };
  client.on('commandSucceeded', done('ok'));
  client.on('commandFailed', done('error'));
}
