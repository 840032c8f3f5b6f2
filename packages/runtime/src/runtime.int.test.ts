import { createServer } from 'node:net';
import { Events, Topics, type testingV1 } from '@lienket/contracts';
import { on } from '@lienket/eventbus';
import { parseConfig, serviceEnv } from '@lienket/platform';
import { grpcHealth, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { z } from 'zod';
import { startServiceRuntime } from './runtime';

let infra: TestInfra;
/** Stopped after each test, also when it fails half way. */
let running: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  infra = await openTestInfra('runtime');
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await infra.close();
});

const configFor = (overrides: Record<string, string> = {}) =>
  parseConfig(z.object(serviceEnv({ name: 'probe', grpcPort: 0, metricsPort: 0 })), {
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: infra.databaseFor('probe'),
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '1',
    CONSUMER_GROUP: infra.groupId('probe').slice(infra.topicPrefix.length),
    ...overrides,
  });

/** Resolves whether something can listen on `port` right now. */
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

describe('service runtime', () => {
  it('creates its topics, consumes, runs jobs, serves health, and stops in reverse start order', async () => {
    const config = configFor();
    const runtime = await startServiceRuntime({
      name: 'probe',
      config,
      log: infra.log,
      topics: [Topics.testingProbe],
    });
    running = runtime;
    const stopped: string[] = [];
    runtime.onStop('own part', async () => {
      stopped.push('own part');
    });

    const received: testingV1.ProbePinged[] = [];
    const consumer = await runtime.consume({
      name: 'probe-consumer',
      subscriptions: [on(Events.probePinged, async (payload) => void received.push(payload))],
    });
    await consumer.joined();
    let passes = 0;
    runtime.every('probe-job', 20, async () => {
      passes += 1;
    });
    const httpPort = await runtime.serveHttp((_request, response) => response.end('ok'), 0);
    await runtime.serveGrpc([]);
    const service = runtime.started({ extra: 'kept' });

    await runtime.publisher.publish(
      Events.probePinged,
      { probeId: 'p1', sequence: 1, note: 'through the runtime' },
      { key: 'p1' },
    );
    await waitFor(() => received.length === 1 && passes > 0, { timeoutMs: 30_000 });
    expect(received[0]?.note).toBe('through the runtime');
    expect(await grpcHealth(`127.0.0.1:${service.grpcPort}`)).toBe('SERVING');
    expect(await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`).then((r) => r.status)).toBe(200);
    expect(await fetch(`http://127.0.0.1:${httpPort}/`).then((r) => r.text())).toBe('ok');
    expect(service.extra).toBe('kept');
    expect(runtime.groupId()).toBe(`${infra.topicPrefix}${config.CONSUMER_GROUP}`);

    for (const part of service.parts.filter((p) => p.name !== 'own part')) {
      const stop = part.stop;
      part.stop = async () => {
        stopped.push(part.name);
        await stop();
      };
    }
    await service.stop();
    await service.stop(); // a second stop is the same stop
    expect(stopped).toEqual([
      'grpc',
      'http',
      'probe-job',
      'probe-consumer',
      'own part',
      'publisher',
      'mongo',
      'metrics',
    ]);
    expect(await portFree(service.grpcPort)).toBe(true);
    expect(await portFree(httpPort)).toBe(true);
    expect(await portFree(service.metricsPort)).toBe(true);
  });

  it('stops what it started when the start fails half way', async () => {
    const metricsPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '0.0.0.0', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    await expect(
      startServiceRuntime({
        name: 'probe',
        config: configFor({ METRICS_PORT: String(metricsPort) }),
        log: infra.log,
        // Kafka refuses the name: the metrics server and the store connection are already up.
        topics: ['not a valid topic name!'],
      }),
    ).rejects.toThrow();
    expect(await portFree(metricsPort)).toBe(true);
  });

  it('has no publisher when started without one, and says so', async () => {
    const runtime = await startServiceRuntime({
      name: 'probe',
      config: configFor(),
      log: infra.log,
      publisher: false,
    });
    running = runtime;
    expect(() => runtime.publisher).toThrow('publisher: false');
    await expect(runtime.consume({ name: 'c', subscriptions: [] })).rejects.toThrow('publisher: false');
    expect(() => runtime.started({})).toThrow('serveGrpc');
  });
});
