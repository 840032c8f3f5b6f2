import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { grpcHealth, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { issueDevToken } from '../../services/gateway/src/auth';
import { validTaxCode } from '../../services/registry/test/fixtures';

/**
 * One trace from an HTTP request to the last consumer, across real service processes: each runs
 * with the telemetry preload (`node -r @lienket/platform/telemetry`) and exports OTLP/HTTP JSON to
 * a collector this test owns.
 */
interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP span kind: 4 producer, 5 consumer. */
  kind: number;
  service: string;
  attributes: Record<string, string | number | boolean>;
}

/** One OTLP/JSON attribute value (64-bit integers arrive as strings). */
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

function attributeValue(value: AnyValue): string | number | boolean {
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue ?? '';
}

const root = join(__dirname, '../..');
const DEV_SECRET = 'trace-test-secret-0123456789-0123456789';
let infra: TestInfra;
let collector: Server;
const spans: Span[] = [];
const children: { name: string; process: ChildProcess; output: string[] }[] = [];

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An OTLP/HTTP JSON receiver: keeps every span with the service that sent it. */
async function startCollector(): Promise<number> {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      try {
        const parsed = JSON.parse(body) as {
          resourceSpans?: {
            resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
            scopeSpans?: {
              spans?: (Omit<Span, 'service' | 'attributes'> & {
                attributes?: { key: string; value: AnyValue }[];
              })[];
            }[];
          }[];
        };
        for (const resourceSpans of parsed.resourceSpans ?? []) {
          const service =
            resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ??
            '?';
          for (const scope of resourceSpans.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
                name: span.name,
                kind: span.kind,
                service,
                attributes: Object.fromEntries(
                  (span.attributes ?? []).map(({ key, value }) => [key, attributeValue(value)]),
                ),
              });
        }
      } catch {
        // not JSON: ignored
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  return (collector.address() as AddressInfo).port;
}

function startService(name: string, env: Record<string, string>) {
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    ['-r', '@lienket/platform/telemetry', join(root, `services/${name}/dist/main.js`)],
    {
      cwd: root,
      env: { ...process.env, ...env, OTEL_SERVICE_NAME: `lienket-${name}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  children.push({ name, process: child, output });
  return child;
}

let gatewayUrl = '';

beforeAll(async () => {
  infra = await openTestInfra('trace');
  const collectorPort = await startCollector();
  const common = {
    MONGO_URL: infra.mongoUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '2',
    RELAY_POLL_MS: '50',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  const ports: Record<string, number> = { http: await freePort() };
  for (const name of ['registry', 'matchmaking', 'insights', 'gateway']) {
    ports[name] = await freePort();
    startService(name, {
      ...common,
      GRPC_PORT: String(ports[name]),
      METRICS_PORT: String(await freePort()),
      MONGO_DB: infra.databaseFor(name),
      ...(name === 'matchmaking' ? { INSTANCE_ID: 'trace-1', MATCH_THRESHOLD: '0.4' } : {}),
      ...(name === 'gateway'
        ? {
            HTTP_PORT: String(ports.http),
            REGISTRY_ADDR: `127.0.0.1:${ports.registry}`,
            MATCHMAKING_ADDR: `127.0.0.1:${ports.matchmaking}`,
            INSIGHTS_ADDR: `127.0.0.1:${ports.insights}`,
            AUTH_DEV_SECRET: DEV_SECRET,
          }
        : {}),
    });
    await waitFor(
      () =>
        grpcHealth(`127.0.0.1:${ports[name]}`)
          .then((s) => s === 'SERVING')
          .catch(() => false),
      {
        timeoutMs: 60_000,
        what: `${name} to be healthy`,
      },
    ).catch((error) => {
      throw new Error(`${error}\n${children.at(-1)?.output.join('')}`);
    });
  }
  gatewayUrl = `http://127.0.0.1:${ports.http}`;
}, 180_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await new Promise((resolve) => collector?.close(resolve));
  await infra?.close();
});

async function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, { id: string }>;
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

describe('one trace from click to consumer', () => {
  it('follows a need from the HTTP request through gateway, registry, the outbox relay, Kafka, matchmaking, Kafka and insights', async () => {
    const auth = { issuer: 'lienket-dev', audience: 'lienket-api', devSecret: DEV_SECRET };
    const admin = await issueDevToken(auth, { sub: 'admin', role: 'admin' });
    const enterprise = async (name: string) =>
      (
        await post('/v1/enterprises', admin, {
          taxCode: validTaxCode(500_000_000 + Math.floor(Math.random() * 400_000_000)),
          name,
          kind: 'ENTERPRISE_KIND_ENTERPRISE',
          provinceCode: '01',
          primaryVsic: '1702',
          contact: { person: name, phone: '0912000111', email: 'a@example.vn' },
        })
      ).enterprise?.id as string;
    const supplier = await enterprise('Công ty Giấy Hà Nội');
    const buyer = await enterprise('Công ty Bao bì Hà Nội');
    await post(
      '/v1/capabilities',
      await issueDevToken(auth, { sub: 's', role: 'enterprise', enterprise_id: supplier }),
      {
        enterpriseId: supplier,
        title: 'Giấy kraft cuộn',
        hsCodes: ['480411'],
        monthlyCapacity: { value: 300, unit: 'tấn' },
        leadTimeDays: 7,
      },
    );

    // Matchmaking has handled the capability (its index and its action consumer) before the need
    // arrives, so the proposal is the need's doing and belongs to the need's trace.
    await waitFor(
      () =>
        spans.filter(
          (s) => s.service === 'lienket-matchmaking' && /^process .*registry\.capability\.v1$/.test(s.name),
        ).length >= 2,
      { timeoutMs: 30_000, what: 'matchmaking to take the capability' },
    );

    // The click: the browser's trace context arrives with the request.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    await post(
      '/v1/needs',
      await issueDevToken(auth, { sub: 'b', role: 'enterprise', enterprise_id: buyer }),
      {
        enterpriseId: buyer,
        title: 'Cần giấy kraft cuộn',
        category: 'NEED_CATEGORY_MATERIAL',
        hsCodes: ['480411'],
        quantityPerMonth: { value: 100, unit: 'tấn' },
      },
      { traceparent: `00-${traceId}-${clientSpanId}-01` },
    );

    const inTrace = () => spans.filter((s) => s.traceId === traceId);
    const has = (service: string, name: RegExp) =>
      inTrace().some((s) => s.service === service && name.test(s.name));
    const expected: [string, RegExp][] = [
      ['lienket-gateway', /^POST/],
      ['lienket-gateway', /RegistryService\/PostNeed/],
      ['lienket-registry', /RegistryService\/PostNeed/],
      ['lienket-registry', /^send .*lienket\.registry\.need\.v1$/],
      ['lienket-matchmaking', /^process .*lienket\.registry\.need\.v1$/],
      ['lienket-matchmaking', /^send .*lienket\.matchmaking\.proposal\.v1$/],
      ['lienket-insights', /^process .*lienket\.matchmaking\.proposal\.v1$/],
      ['lienket-insights', /^process .*lienket\.registry\.need\.v1$/],
    ];
    await waitFor(() => expected.every(([service, name]) => has(service, name)), {
      timeoutMs: 45_000,
      what: 'every hop of the trace',
    }).catch((error) => {
      const seen = inTrace().map((s) => `${s.service}: ${s.name}`);
      throw new Error(`${error}\nspans in the trace:\n${seen.join('\n')}`);
    });

    // One connected trace: every span's parent is the client's span or another span of the trace.
    const trace = inTrace();
    const ids = new Set(trace.map((s) => s.spanId));
    const orphans = trace.filter((s) => s.parentSpanId !== clientSpanId && !ids.has(s.parentSpanId ?? ''));
    expect(orphans.map((s) => `${s.service}: ${s.name}`)).toEqual([]);
    expect(new Set(trace.map((s) => s.service))).toEqual(
      new Set(['lienket-gateway', 'lienket-registry', 'lienket-matchmaking', 'lienket-insights']),
    );

    // The Kafka spans follow OpenTelemetry's messaging semantic conventions (v1.45.0).
    const needTopic = `${infra.topicPrefix}lienket.registry.need.v1`;
    const sent = trace.find((s) => s.service === 'lienket-registry' && s.name === `send ${needTopic}`);
    expect(sent?.kind).toBe(4);
    expect(sent?.attributes).toMatchObject({
      'messaging.system.name': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': needTopic,
      'messaging.message.id': expect.any(String),
      'kafka.message.key': expect.any(String),
      'cloudevents.event_type': 'vn.lienket.registry.need.posted.v1',
    });
    const processed = trace.filter((s) => s.name === `process ${needTopic}`);
    expect(processed.map((s) => s.service)).toEqual(
      expect.arrayContaining(['lienket-insights', 'lienket-matchmaking']),
    );
    for (const span of processed) {
      expect(span.kind).toBe(5);
      expect(span.parentSpanId).toBe(sent?.spanId);
      expect(span.attributes).toMatchObject({
        'messaging.system.name': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': needTopic,
        'messaging.consumer.group.name': expect.stringMatching(/^\S+$/),
        'messaging.destination.partition.id': expect.stringMatching(/^[01]$/),
        'kafka.offset': expect.any(Number),
        'messaging.message.id': sent?.attributes['messaging.message.id'],
        'kafka.message.key': sent?.attributes['kafka.message.key'],
      });
    }
    // Each service's consumers run in groups named after it (CONSUMER_GROUP, behind the prefix).
    for (const service of ['lienket-matchmaking', 'lienket-insights'])
      expect(
        processed
          .filter((s) => s.service === service)
          .every((s) =>
            String(s.attributes['messaging.consumer.group.name']).startsWith(infra.topicPrefix + service),
          ),
      ).toBe(true);
  }, 120_000);
});
