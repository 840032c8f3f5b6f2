import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { parseConfig } from '@lienket/platform';
import type { TestInfra } from '@lienket/testkit';
import { registryConfigSchema } from '../../registry/src/config';
import { startRegistry } from '../../registry/src/service';
import { identityConfigSchema } from '../src/config';
import { startIdentity } from '../src/service';
import { type Browser, formAction, inputValue } from './browser';

export const PORTAL = 'lienket-portal';
export const REDIRECT = 'http://127.0.0.1:8080/auth/callback';
export const ANALYST_CLIENT = { id: 'analyst-bot', secret: 'analyst-bot-secret-0123456789' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A registry and an identity service in-process, on the file's own databases and topics. */
export async function startPlatform(
  infra: TestInfra,
  overrides: Record<string, string> = {},
  options: { clock?: () => Date } = {},
) {
  const registry = await startRegistry(
    parseConfig(registryConfigSchema, {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: infra.databaseFor('registry'),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      KAFKA_PARTITIONS: '1',
      RELAY_POLL_MS: '50',
    }),
    infra.log,
  );
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const identity = await startIdentity(
    parseConfig(identityConfigSchema, {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      HTTP_PORT: String(port),
      ISSUER: issuer,
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: infra.dbName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      KAFKA_PARTITIONS: '1',
      RELAY_POLL_MS: '50',
      REGISTRY_ADDR: `127.0.0.1:${registry.grpcPort}`,
      // Cheap hashes for the tests; production uses 17.
      PASSWORD_SCRYPT_LOG_N: '12',
      API_CLIENTS: `${ANALYST_CLIENT.id}:${ANALYST_CLIENT.secret}`,
      ...overrides,
    }),
    infra.log,
    options,
  );
  return {
    registry,
    identity,
    issuer,
    async stop() {
      await identity.stop();
      await registry.stop();
    },
  };
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Starts an authorization request and returns the sign-in page it leads to. */
export async function authorize(browser: Browser, challenge: string, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({
    client_id: PORTAL,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'openid',
    resource: 'urn:lienket:api',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(12).toString('base64url'),
    ...extra,
  });
  const page = await browser.follow(await browser.request(`/auth?${query}`));
  return { ...page, state: query.get('state') as string };
}

/** Submits the sign-in form of a page; follows on to the client's redirect (or the next page). */
export async function signIn(browser: Browser, page: string, login: string, password: string) {
  const answer = await browser.request(formAction(page), {
    form: { csrf: inputValue(page, 'csrf'), login, password },
  });
  return browser.follow(answer);
}

export async function tokenRequest(issuer: string, form: Record<string, string>, basic?: string) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** Signs up an establishment through the pages of an authorization request. */
export async function signUp(browser: Browser, signInPage: string, fields: Record<string, string>) {
  const uid = /\/interaction\/([^/"]+)\/login/.exec(signInPage)?.[1];
  const form = await browser.follow(await browser.request(`/interaction/${uid}/sign-up`));
  const answer = await browser.request(formAction(form.body), {
    form: { csrf: inputValue(form.body, 'csrf'), ...fields },
  });
  return browser.follow(answer);
}
