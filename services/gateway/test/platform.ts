import { type Actor, parseConfig } from '@lienket/platform';
import { openTestInfra, type TestInfra } from '@lienket/testkit';
import { insightsConfigSchema } from '../../insights/src/config';
import { startInsights } from '../../insights/src/service';
import { matchmakingConfigSchema } from '../../matchmaking/src/config';
import { startMatchmaking } from '../../matchmaking/src/service';
import { programmeConfigSchema } from '../../programme/src/config';
import { startProgramme } from '../../programme/src/service';
import { registryConfigSchema } from '../../registry/src/config';
import { startRegistry } from '../../registry/src/service';
import { techTransferConfigSchema } from '../../techtransfer/src/config';
import { startTechTransfer } from '../../techtransfer/src/service';
import { issueDevToken, type Role } from '../src/auth';
import { gatewayConfigSchema } from '../src/config';
import { startGateway } from '../src/service';

export const DEV_SECRET = 'test-secret-for-the-gateway-e2e-0123456789';
const issuer = 'lienket-dev';
const audience = 'lienket-api';

/** Every service in-process on real Kafka and the store, behind the gateway. */
export async function startPlatform(label: string, gatewayOverrides: Record<string, string> = {}) {
  const infra: TestInfra = await openTestInfra(label);
  const shared = {
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    MONGO_URL: infra.mongoUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '3',
    RELAY_POLL_MS: '50',
  };
  const registry = await startRegistry(
    parseConfig(registryConfigSchema, { ...shared, MONGO_DB: infra.databaseFor('registry') }),
    infra.log,
  );
  const matchmaking = await startMatchmaking(
    parseConfig(matchmakingConfigSchema, {
      ...shared,
      MONGO_DB: infra.databaseFor('matchmaking'),
      INSTANCE_ID: 'one',
      MATCH_THRESHOLD: '0.4',
    }),
    infra.log,
  );
  const techtransfer = await startTechTransfer(
    parseConfig(techTransferConfigSchema, { ...shared, MONGO_DB: infra.databaseFor('techtransfer') }),
    infra.log,
  );
  const insights = await startInsights(
    parseConfig(insightsConfigSchema, { ...shared, MONGO_DB: infra.databaseFor('insights') }),
    infra.log,
  );
  const programme = await startProgramme(
    parseConfig(programmeConfigSchema, { ...shared, MONGO_DB: infra.databaseFor('programme') }),
    infra.log,
  );
  const gateway = await startGateway(
    parseConfig(gatewayConfigSchema, {
      ...shared,
      HTTP_PORT: '0',
      MONGO_DB: infra.databaseFor('gateway'),
      REGISTRY_ADDR: `127.0.0.1:${registry.grpcPort}`,
      MATCHMAKING_ADDR: `127.0.0.1:${matchmaking.grpcPort}`,
      TECHTRANSFER_ADDR: `127.0.0.1:${techtransfer.grpcPort}`,
      INSIGHTS_ADDR: `127.0.0.1:${insights.grpcPort}`,
      PROGRAMME_ADDR: `127.0.0.1:${programme.grpcPort}`,
      AUTH_DEV_SECRET: DEV_SECRET,
      RATE_LIMIT_PER_MINUTE: '100000',
      // Generous: a shared 2-core machine under load must not turn slow answers into 504s.
      GRPC_DEADLINE_MS: '20000',
      ...gatewayOverrides,
    }),
    infra.log,
  );
  await matchmaking.indexConsumer.joined();
  await matchmaking.actionConsumer.joined();
  return {
    infra,
    registry,
    matchmaking,
    techtransfer,
    insights,
    programme,
    gateway,
    url: gateway.url,
    async stop() {
      await gateway.stop();
      await programme.stop();
      await insights.stop();
      await techtransfer.stop();
      await matchmaking.stop();
      await registry.stop();
      await infra.close();
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

export const tokenFor = (
  claims: { sub: string; role: Role; enterprise_id?: string; province_code?: string },
  expiresIn = '1h',
) => issueDevToken({ issuer, audience, devSecret: DEV_SECRET }, claims, expiresIn);

export async function tokenOf(actor: Actor): Promise<string | undefined> {
  if (actor.role === 'anonymous') return undefined;
  return tokenFor({
    sub: actor.subject || `${actor.role}-${actor.enterpriseId || actor.provinceCode || 'x'}`,
    role: actor.role as Role,
    ...(actor.enterpriseId ? { enterprise_id: actor.enterpriseId } : {}),
    ...(actor.provinceCode ? { province_code: actor.provinceCode } : {}),
  });
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTP call to the gateway as `token` (none: anonymous), JSON in and out. */
export async function http<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}
