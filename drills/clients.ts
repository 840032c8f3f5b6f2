import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  insightsServiceV1 as ins,
  matchmakingServiceV1 as mm,
  registryServiceV1 as reg,
  techtransferServiceV1 as tts,
} from '@lienket/contracts';
import {
  type Actor,
  AppError,
  actorMetadata,
  createGrpcClient,
  isAppError,
  type PromiseClient,
} from '@lienket/platform';

// ---------------------------------------------------------------- health

type HealthClient = grpc.Client & {
  Check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response: { status: string }) => void,
  ): void;
};
let HealthCtor: (new (address: string, credentials: grpc.ChannelCredentials) => HealthClient) | undefined;

export async function grpcServing(address: string): Promise<boolean> {
  if (!HealthCtor) {
    const healthProto = join(
      require.resolve('grpc-health-check/package.json'),
      '../proto/health/v1/health.proto',
    );
    const definition = grpc.loadPackageDefinition(
      protoLoader.loadSync(healthProto, { enums: String }),
    ) as never as {
      grpc: { health: { v1: { Health: typeof HealthCtor } } };
    };
    HealthCtor = definition.grpc.health.v1.Health;
  }
  const Ctor = HealthCtor as NonNullable<typeof HealthCtor>;
  const client = new Ctor(address, grpc.credentials.createInsecure());
  try {
    const answer = await new Promise<{ status: string }>((done, fail) =>
      client.Check({ service: '' }, { deadline: Date.now() + 1_000 }, (error, response) =>
        error ? fail(error) : done(response),
      ),
    );
    return answer.status === 'SERVING';
  } catch {
    return false;
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------- actors

export const admin: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'drills-admin' };
export const firm = (enterpriseId: string): Actor => ({
  role: 'enterprise',
  enterpriseId,
  provinceCode: '',
  subject: `drills-${enterpriseId}`,
});
export const officer = (provinceCode: string): Actor => ({
  role: 'province',
  enterpriseId: '',
  provinceCode,
  subject: `drills-officer-${provinceCode}`,
});
export const as = (actor: Actor, deadlineMs?: number) => ({
  metadata: actorMetadata(actor),
  ...(deadlineMs ? { deadlineMs } : {}),
});

// ---------------------------------------------------------------- clients

export interface Clients {
  registry: PromiseClient<typeof reg.RegistryServiceService>;
  matchmaking: PromiseClient<typeof mm.MatchmakingServiceService>;
  techtransfer: PromiseClient<typeof tts.TechTransferServiceService>;
  insights: PromiseClient<typeof ins.InsightsServiceService>;
  close(): void;
}

export function createClients(
  addresses: Record<'registry' | 'matchmaking' | 'techtransfer' | 'insights', string>,
) {
  const clients: Clients = {
    registry: createGrpcClient(reg.RegistryServiceService, addresses.registry, { deadlineMs: 5_000 }),
    matchmaking: createGrpcClient(mm.MatchmakingServiceService, addresses.matchmaking, { deadlineMs: 5_000 }),
    techtransfer: createGrpcClient(tts.TechTransferServiceService, addresses.techtransfer, {
      deadlineMs: 5_000,
    }),
    insights: createGrpcClient(ins.InsightsServiceService, addresses.insights, { deadlineMs: 30_000 }),
    close() {
      clients.registry.close();
      clients.matchmaking.close();
      clients.techtransfer.close();
      clients.insights.close();
    },
  };
  return clients;
}

/** gRPC status name of a failed call (the AppError kind), or the error's name. */
export function errorCode(error: unknown): string {
  if (isAppError(error)) return error.kind;
  return (error as Error)?.name ?? 'UNKNOWN';
}

export const retryableGrpc = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED']);
export const retryableHttp = new Set([503, 504]);

// ---------------------------------------------------------------- gateway

const root = resolve(__dirname, '../..');

/** A development token the gateway accepts (signed with the secret the drills give it). */
export async function devToken(secret: string, claims: { sub: string; role: string }): Promise<string> {
  const gatewayRequire = createRequire(join(root, 'services/gateway/package.json'));
  const { issueDevToken } = gatewayRequire(join(root, 'services/gateway/dist/auth.js')) as {
    issueDevToken: (
      options: { issuer: string; audience: string; devSecret: string },
      claims: { sub: string; role: string },
      expiresIn?: string,
    ) => Promise<string>;
  };
  return issueDevToken({ issuer: 'lienket-dev', audience: 'lienket-api', devSecret: secret }, claims, '12h');
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
  contentType: string;
}

export async function httpPost(
  url: string,
  token: string,
  body: unknown,
  timeoutMs = 5_000,
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, contentType: response.headers.get('content-type') ?? '' };
}

/** Retries a call while it fails with one of `kinds` (e.g. a party not yet projected through Kafka). */
export async function retrying<T>(
  call: () => Promise<T>,
  { kinds = ['NOT_FOUND', 'FAILED_PRECONDITION', 'UNAVAILABLE'], timeoutMs = 60_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AppError) || !kinds.includes(error.kind) || Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 500));
    }
  }
}
