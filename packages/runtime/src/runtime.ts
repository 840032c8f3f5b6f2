import { createServer, type RequestListener } from 'node:http';
import {
  createEventConsumer,
  createEventPublisher,
  createKafka,
  createOutboxRelay,
  type EventConsumer,
  type EventPublisher,
  ensureTopics,
  type OutboxRelay,
  type Subscription,
} from '@lienket/eventbus';
import {
  type GrpcServer,
  type Logger,
  monitorStoreCommands,
  type ServiceBinding,
  type ServiceEnv,
  type Stoppable,
  startGrpcServer,
  startMetricsServer,
  startPeriodicJob,
} from '@lienket/platform';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';

export interface ServiceRuntimeOptions {
  /** `registry`, `matchmaking`, ...: names the Kafka client (`lienket-<name>`) and the CloudEvents source (`/lienket/<name>`). */
  name: string;
  /** The shared variables (`serviceEnv` of @lienket/platform), and `RELAY_POLL_MS` for a service with an outbox. */
  config: ServiceEnv & { RELAY_POLL_MS?: number };
  log: Logger;
  /**
   * Topics (unprefixed) created with their dead-letter topics when missing: those the service
   * publishes, and those it consumes, so it can subscribe before their producer has ever run.
   */
  topics?: readonly string[];
  /** Kafka client id; `lienket-<name>` by default. */
  clientId?: string;
  /** False: no event publisher (a service that announces nothing and runs no `consume`). */
  publisher?: boolean;
  /** What tests, drills and benchmarks change (a service passes its start options through). */
  overrides?: StartOverrides;
}

/** The options a service's start function takes besides its config and logger. */
export interface StartOverrides {
  /** The service's clock (`runtime.clock`); the system clock by default. */
  clock?: () => Date;
  /** False creates the outbox relay without starting it (tests of a crash between write and publish). */
  relay?: boolean;
}

export interface ConsumeOptions {
  /** Names the part (stop order, logs). */
  name: string;
  subscriptions: Subscription[];
  /** Consumer group before the topic prefix; CONSUMER_GROUP by default. */
  group?: string;
  /** Partitions handled at once (order is kept within a partition). */
  concurrency?: number;
  /** A new group starts from the beginning of each topic instead of its end. */
  fromBeginning?: boolean;
  /** Called after each message is done with (after its batch's effects, before its offset is committed). */
  onProgress?: (topic: string, partition: number, offset: string) => void;
  /** Events per slice of a Kafka batch (500 by default): one dedupe read and write, one commit each. */
  maxBatchEvents?: number;
}

/** What a caller (main.ts, a test, a drill) holds of a started service. */
export interface StartedService {
  grpcPort: number;
  metricsPort: number;
  db: mongoose.mongo.Db;
  /** Stopped in reverse order by `stop()` and on SIGINT/SIGTERM (`runMain`). */
  parts: Stoppable[];
  stop(): Promise<void>;
}

export interface ServiceRuntime {
  readonly name: string;
  /** CloudEvents source of the service's events, `/lienket/<name>`. */
  readonly source: string;
  readonly log: Logger;
  readonly connection: mongoose.Connection;
  /** The service's own database. */
  readonly db: mongoose.mongo.Db;
  readonly kafka: Kafka;
  /** Publishes events and dead letters; throws when started with `publisher: false`. */
  readonly publisher: EventPublisher;
  readonly metricsPort: number;
  /** The clock use cases decide with (`overrides.clock`, else the system clock). */
  readonly clock: () => Date;
  /** Everything started so far, in start order. */
  readonly parts: Stoppable[];
  /** The consumer group `group` (CONSUMER_GROUP by default) as Kafka knows it, with the topic prefix. */
  groupId(group?: string): string;
  /** Registers something the service started itself, to be stopped in reverse start order. */
  onStop(name: string, stop: () => Promise<void>): void;
  /** The outbox relay over these collections, started unless `overrides.relay` is false. */
  relayOutbox(collections: string[]): OutboxRelay;
  /**
   * Starts a batch consumer (`onBatch` and `on` subscriptions of @lienket/eventbus: dedupe, retries,
   * dead letters, offsets committed after each batch's effects) and resolves once it runs.
   */
  consume(options: ConsumeOptions): Promise<EventConsumer>;
  /** Runs `job` every `intervalMs`, never two passes at once; a failing pass is logged. */
  every(name: string, intervalMs: number, job: (log: Logger) => Promise<void>): void;
  /** Serves these gRPC services with health and reflection; call it last, once the service can answer. */
  serveGrpc(services: ServiceBinding[]): Promise<GrpcServer>;
  /** Serves HTTP (an express app) on `port` (0 picks one); resolves with the port once listening. */
  serveHttp(handler: RequestListener, port: number): Promise<number>;
  /** The handle to return from `start<Service>`, with what tests and drills reach into. */
  started<T extends object>(extras: T): StartedService & T;
  /** Stops every part in reverse start order (a failing part does not keep the others running). */
  stop(): Promise<void>;
}

/**
 * Starts what every service has (metrics server, store connection with command metrics, Kafka
 * client, its topics, an event publisher) and returns the runtime the service composes the rest
 * with: relay, consumers, jobs and, last, its gRPC server. Parts stop in reverse start order, so
 * the gRPC server stops taking calls first and the store connection closes last.
 */
export async function startServiceRuntime(options: ServiceRuntimeOptions): Promise<ServiceRuntime> {
  const { name, config, log, topics = [] } = options;
  const parts: Stoppable[] = [];
  const onStop = (part: string, stop: () => Promise<void>) => {
    parts.push({ name: part, stop });
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      let failure: unknown;
      for (const part of [...parts].reverse()) {
        try {
          await part.stop();
        } catch (error) {
          log.error({ err: error, part: part.name }, 'stop failed');
          failure ??= error;
        }
      }
      if (failure !== undefined) throw failure;
    })();
    return stopping;
  };

  try {
    const metrics = await startMetricsServer(config.METRICS_PORT);
    onStop('metrics', () => metrics.stop());

    const connection = await mongoose
      // monitorCommands: the outbox relay learns which documents this process left pending from its
      // own writes, and store command metrics (lienket_store_commands_total).
      .createConnection(config.MONGO_URL, {
        dbName: config.MONGO_DB,
        serverSelectionTimeoutMS: 10_000,
        monitorCommands: true,
      })
      .asPromise();
    onStop('mongo', () => connection.close());
    monitorStoreCommands(connection.getClient());
    const db = connection.db as mongoose.mongo.Db;

    const prefix = config.KAFKA_TOPIC_PREFIX;
    const kafka = createKafka({
      brokers: config.KAFKA_BROKERS,
      clientId: options.clientId ?? `lienket-${name}`,
      log,
    });
    if (topics.length > 0) {
      await ensureTopics(
        kafka,
        topics.map((topic) => prefix + topic),
        { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR },
      );
    }
    const source = `/lienket/${name}`;
    let publisher: EventPublisher | undefined;
    if (options.publisher !== false) {
      const connected = await createEventPublisher({ kafka, source, topicPrefix: prefix, log });
      onStop('publisher', () => connected.disconnect());
      publisher = connected;
    }
    const publisherOrThrow = () => {
      if (!publisher) throw new Error(`${name}: the runtime was started with publisher: false`);
      return publisher;
    };
    let grpc: GrpcServer | undefined;

    const runtime: ServiceRuntime = {
      name,
      source,
      log,
      connection,
      db,
      kafka,
      get publisher() {
        return publisherOrThrow();
      },
      metricsPort: metrics.port,
      clock: options.overrides?.clock ?? (() => new Date()),
      parts,
      groupId: (group = config.CONSUMER_GROUP) => prefix + group,
      onStop,
      relayOutbox(collections) {
        const relay = createOutboxRelay({
          db,
          collections,
          publisher: publisherOrThrow(),
          log,
          pollIntervalMs: config.RELAY_POLL_MS,
        });
        if (options.overrides?.relay !== false) relay.start();
        onStop('relay', () => relay.stop());
        return relay;
      },
      async consume({
        name: part,
        subscriptions,
        group,
        concurrency,
        fromBeginning,
        onProgress,
        maxBatchEvents,
      }) {
        const consumer = createEventConsumer({
          kafka,
          db,
          publisher: publisherOrThrow(),
          log: log.child({ consumer: part }),
          topicPrefix: prefix,
          groupId: runtime.groupId(group),
          subscriptions,
          partitionsConsumedConcurrently: concurrency,
          fromBeginning,
          onProgress,
          maxBatchEvents,
        });
        // Registered before it starts: a start that fails half way still leaves the group on stop.
        onStop(part, () => consumer.stop());
        await consumer.start();
        return consumer;
      },
      every(job, intervalMs, work) {
        const jobLog = log.child({ component: job });
        parts.push(startPeriodicJob(job, intervalMs, () => work(jobLog), jobLog));
      },
      async serveGrpc(services) {
        if (grpc) throw new Error(`${name}: serveGrpc was called twice`);
        grpc = await startGrpcServer({ services, port: config.GRPC_PORT, log });
        const server = grpc;
        onStop('grpc', () => server.stop());
        return server;
      },
      async serveHttp(handler, port) {
        const server = createServer(handler);
        // Longer than the usual load balancer's idle timeout, so it never closes a connection first.
        server.keepAliveTimeout = 65_000;
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, () => {
            server.off('error', reject);
            resolve();
          });
        });
        onStop(
          'http',
          () =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        );
        const address = server.address();
        return typeof address === 'object' && address ? address.port : port;
      },
      started(extras) {
        if (!grpc) throw new Error(`${name}: serveGrpc before started (every service serves health)`);
        return { grpcPort: grpc.port, metricsPort: metrics.port, db, parts, stop, ...extras };
      },
      stop,
    };
    return runtime;
  } catch (error) {
    // Nothing half started outlives a failed start (a test's port, a consumer group member).
    await stop().catch(() => undefined);
    throw error;
  }
}
