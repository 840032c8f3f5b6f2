import { readFileSync } from 'node:fs';
import { BinaryReader } from '@bufbuild/protobuf/wire';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { descriptorSetPath, healthDescriptorSetPath } from '@lienket/contracts';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { isAppError } from '../errors';
import { grpcLatency, grpcRequests } from '../metrics';
import { toServiceError } from './errors';

/** What a handler knows about its call. */
export interface CallContext {
  metadata: grpc.Metadata;
  /** The absolute deadline the caller set, if any. */
  deadline: grpc.Deadline | undefined;
  cancelled: () => boolean;
}

type UnaryMethod = {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestDeserialize: (buffer: Buffer) => unknown;
  responseSerialize: (value: never) => Buffer;
};

/** Async handlers for every unary method of a ts-proto service definition. */
export type AsyncHandlers<D> = {
  [K in keyof D]: D[K] extends {
    requestDeserialize: (buffer: Buffer) => infer Req;
    responseSerialize: (value: infer Res) => Buffer;
  }
    ? (request: Req, context: CallContext) => Promise<Res>
    : never;
};

export interface ServiceBinding {
  /** Fully qualified service name, e.g. `lienket.registry.v1.RegistryService` (for health). */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

/** Binds async handlers to a generated definition: app errors become status codes with a trailer. */
export function bindService<D extends Record<string, UnaryMethod>>(
  name: string,
  definition: D,
  handlers: AsyncHandlers<D>,
  log: Logger,
): ServiceBinding {
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const key of Object.keys(definition)) {
    const handler = (
      handlers as Record<string, (request: unknown, context: CallContext) => Promise<unknown>>
    )[key];
    if (!handler) throw new Error(`${name}: no handler for ${key}`);
    const method = definition[key] as UnaryMethod;
    const unary: grpc.handleUnaryCall<unknown, unknown> = (call, callback) => {
      const stopTimer = grpcLatency.startTimer({ method: method.path });
      const deadline = call.getDeadline();
      const context: CallContext = {
        metadata: call.metadata,
        deadline: deadline === Number.POSITIVE_INFINITY ? undefined : deadline,
        cancelled: () => call.cancelled,
      };
      handler(call.request, context).then(
        (response) => {
          stopTimer();
          grpcRequests.inc({ method: method.path, code: 'OK' });
          callback(null, response);
        },
        (error: unknown) => {
          if (!isAppError(error) || error.kind === 'INTERNAL') {
            log.error({ err: error, method: method.path }, 'handler failed');
          }
          stopTimer();
          grpcRequests.inc({ method: method.path, code: isAppError(error) ? error.kind : 'INTERNAL' });
          callback(toServiceError(error));
        },
      );
    };
    implementation[key] = unary;
  }
  return { name, definition: definition as unknown as grpc.ServiceDefinition, implementation };
}

export interface GrpcServer {
  readonly port: number;
  readonly health: HealthImplementation;
  stop(graceMs?: number): Promise<void>;
}

export interface GrpcServerOptions {
  services: ServiceBinding[];
  /** 0 picks a free port. */
  port: number;
  host?: string;
  log: Logger;
}

/** The raw FileDescriptorProto of every file in a FileDescriptorSet (field 1, repeated bytes). */
function filesOf(descriptorSet: Uint8Array): Buffer[] {
  const reader = new BinaryReader(descriptorSet);
  const files: Buffer[] = [];
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) files.push(Buffer.from(reader.bytes()));
    else reader.skip(wireType);
  }
  return files;
}

let definitions: protoLoader.PackageDefinition | undefined;

/**
 * Every type of a descriptor set, each carrying all its files exactly as buf compiled them.
 * proto-loader's own per-type files are lossy: they drop imported files such as
 * google/protobuf/timestamp.proto (grpcurl then cannot resolve request types), and they name a map
 * field's entry message wrongly (grpc.health.v1.HealthListResponse.statuses: grpcurl refuses the
 * whole file, "incorrect implicit map entry name").
 */
function definitionsOf(path: string): protoLoader.PackageDefinition {
  const raw = readFileSync(path);
  const files = filesOf(raw);
  return Object.fromEntries(
    Object.entries(protoLoader.loadFileDescriptorSetFromBuffer(raw)).map(([name, definition]) => [
      name,
      { ...definition, fileDescriptorProtos: files },
    ]),
  ) as protoLoader.PackageDefinition;
}

/**
 * What reflection serves: the contracts and grpc.health.v1, both compiled by buf. Which services
 * are listed is chosen per server.
 */
function reflectionDefinitions(): protoLoader.PackageDefinition {
  definitions ??= { ...definitionsOf(descriptorSetPath), ...definitionsOf(healthDescriptorSetPath) };
  return definitions;
}

/** Starts a server with the given services, grpc.health.v1 and server reflection. */
export async function startGrpcServer({
  services,
  port,
  host = '0.0.0.0',
  log,
}: GrpcServerOptions): Promise<GrpcServer> {
  const server = new grpc.Server({ 'grpc.keepalive_permit_without_calls': 1 });
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  new ReflectionService(reflectionDefinitions(), {
    services: [...services.map((service) => service.name), 'grpc.health.v1.Health'],
  }).addToServer(server);
  for (const service of services) {
    server.addService(service.definition, service.implementation);
    health.setStatus(service.name, 'NOT_SERVING');
  }
  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, actual) =>
      error ? reject(error) : resolve(actual),
    ),
  );
  health.setStatus('', 'SERVING');
  for (const service of services) health.setStatus(service.name, 'SERVING');
  log.info({ port: boundPort, services: services.map((s) => s.name) }, 'gRPC server listening');

  return {
    port: boundPort,
    health,
    stop: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        for (const service of services) health.setStatus(service.name, 'NOT_SERVING');
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
