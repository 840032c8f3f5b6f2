import { execFile } from 'node:child_process';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { goTool } from './go-tools';

interface ReflectionClient {
  ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, unknown>;
  close(): void;
}

/** The service names a gRPC server lists through server reflection, sorted: what grpcurl would show. */
export async function listGrpcServices(address: string): Promise<string[]> {
  const reflectionProto = join(
    require.resolve('@grpc/reflection/package.json'),
    '../build/proto/grpc/reflection/v1/reflection.proto',
  );
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(reflectionProto)) as unknown as {
    grpc: {
      reflection: {
        v1: { ServerReflection: new (a: string, c: grpc.ChannelCredentials) => ReflectionClient };
      };
    };
  };
  const client = new definition.grpc.reflection.v1.ServerReflection(
    address,
    grpc.credentials.createInsecure(),
  );
  try {
    const stream = client.ServerReflectionInfo();
    const answer = new Promise<{ listServicesResponse: { service: { name: string }[] } }>(
      (resolve, reject) => {
        stream.on('data', (data) => resolve(data as never));
        stream.on('error', reject);
      },
    );
    stream.write({ listServices: '' });
    const names = (await answer).listServicesResponse.service.map((s) => s.name);
    stream.end();
    return names.sort();
  } finally {
    client.close();
  }
}

/** SERVING, NOT_SERVING… as the standard health service answers for `service` ('' = the whole server). */
export async function grpcHealth(address: string, service = ''): Promise<string> {
  const healthProto = join(
    require.resolve('grpc-health-check/package.json'),
    '../proto/health/v1/health.proto',
  );
  const definition = grpc.loadPackageDefinition(
    protoLoader.loadSync(healthProto, { enums: String }),
  ) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (
            a: string,
            c: grpc.ChannelCredentials,
          ) => grpc.Client & {
            Check(
              request: { service: string },
              callback: (error: Error | null, response: { status: string }) => void,
            ): void;
          };
        };
      };
    };
  };
  const client = new definition.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) =>
      client.Check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))),
    );
  } finally {
    client.close();
  }
}

/** grpcurl's version the suite runs (built from the Go module proxy into the LienKet cache). */
export const GRPCURL_VERSION = 'v1.9.3';

/** The grpcurl executable, built once into the LienKet cache. */
export const grpcurlPath = (): string =>
  goTool('github.com/fullstorydev/grpcurl/cmd/grpcurl', GRPCURL_VERSION, 'grpcurl');

export interface GrpcurlResult {
  /** grpcurl's exit status: 0, or 1 for its own errors, 64 + the gRPC status code for a failed call. */
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `grpcurl -plaintext <flags> <address> <args>` (`['list']`, `['describe', symbol]`, or a
 * method with `['-d', json]` in flags). Asynchronous, so that servers in this process can answer.
 */
export function grpcurl(address: string, args: string[], flags: string[] = []): Promise<GrpcurlResult> {
  const executable = grpcurlPath();
  return new Promise((resolve, reject) =>
    execFile(
      executable,
      ['-plaintext', ...flags, address, ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
      },
    ),
  );
}
