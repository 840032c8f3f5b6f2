import { Topics } from '@lienket/contracts';
import type { Logger } from '@lienket/platform';
import { uuidv7 } from '@lienket/platform';
import { startServiceRuntime } from '@lienket/runtime';
import express from 'express';
import helmet from 'helmet';
import { createScryptHasher } from './adapters/crypto/scrypt-hasher';
import { makeIdentityGrpc } from './adapters/grpc/identity-grpc';
import { createRegistryClient } from './adapters/grpc/registry-client';
import { interactionRoutes } from './adapters/http/interactions';
import { outboxCollections } from './adapters/mongo/models';
import { createMongoIdentityStore, ensureIdentityIndexes } from './adapters/mongo/store';
import { loadOrCreateKeys } from './adapters/oidc/keys';
import { ensureOidcIndexes, grantContexts, pruneExpired } from './adapters/oidc/mongo-adapter';
import { createOidcProvider } from './adapters/oidc/provider';
import { makeIdentity } from './app/identity';
import type { EnterpriseRegistry } from './app/ports';
import type { IdentityConfig } from './config';

/** The topics identity publishes (created with their dead-letter topics when missing). */
export const identityTopics = [Topics.identityAccount, Topics.identityMembership, Topics.identityDelegation];

/** Wires the identity service from its config; main.ts runs it, integration tests start it in-process. */
export interface StartOptions {
  clock?: () => Date;
  /** A registry other than the one at REGISTRY_ADDR. */
  registry?: EnterpriseRegistry;
}

export async function startIdentity(config: IdentityConfig, log: Logger, options: StartOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const runtime = await startServiceRuntime({ name: 'identity', config, log, topics: identityTopics });
  const { connection } = runtime;
  const store = createMongoIdentityStore(connection);
  await ensureIdentityIndexes(store.models);
  await ensureOidcIndexes(connection);
  await grantContexts(connection).model.createIndexes();
  const relay = runtime.relayOutbox(outboxCollections);

  const registryClient = options.registry
    ? undefined
    : createRegistryClient(config.REGISTRY_ADDR, config.GRPC_DEADLINE_MS);
  if (registryClient) runtime.onStop('registry client', async () => registryClient.close());
  const rule = (maxFailures: number) => ({
    maxFailures,
    windowMs: config.SIGN_IN_WINDOW_MS,
    lockMs: config.SIGN_IN_LOCK_MS,
  });
  const identity = makeIdentity(
    {
      store,
      hasher: createScryptHasher({ logN: config.PASSWORD_SCRYPT_LOG_N, r: 8, p: 1 }),
      clock,
      newId: () => uuidv7(clock().getTime()),
      source: runtime.source,
      afterWrite: () => relay.notify(),
    },
    {
      registry: options.registry ?? (registryClient as EnterpriseRegistry),
      throttle: {
        perLogin: rule(config.SIGN_IN_MAX_FAILURES_PER_LOGIN),
        perAddress: rule(config.SIGN_IN_MAX_FAILURES_PER_ADDRESS),
      },
    },
  );

  const keys = await loadOrCreateKeys(connection);
  const provider = await createOidcProvider({
    issuer: config.ISSUER,
    connection,
    keys,
    portal: {
      clientId: config.PORTAL_CLIENT_ID,
      redirectUris: config.PORTAL_REDIRECT_URIS,
      postLogoutRedirectUris: config.PORTAL_POST_LOGOUT_URIS,
    },
    apiClients: config.API_CLIENTS,
    resource: config.API_RESOURCE,
    audience: config.AUTH_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_S,
    sessionTtlSeconds: config.SESSION_TTL_S,
    trustProxy: config.TRUST_PROXY,
    claimsFor: (accountId, context) => identity.claimsFor(accountId, context),
    findAccount: async (accountId) => {
      const account = await store.getAccount(accountId);
      return account && !account.disabled ? { displayName: account.displayName } : undefined;
    },
    onSignedOutEverywhere: (accountId) => identity.signOutEverywhere(accountId),
    log: log.child({ component: 'oidc' }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  // oidc-provider's example drops form-action: the sign-in form's answer redirects to the client.
  const directives = helmet.contentSecurityPolicy.getDefaultDirectives();
  delete directives['form-action'];
  // Referrer-Policy same-origin, not helmet's no-referrer: under no-referrer a browser sends `Origin: null`
  // with the pages' own form posts, and the same-site check refused every real sign-up.
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    interactionRoutes({
      provider,
      identity,
      connection,
      firstPartyClients: new Set([config.PORTAL_CLIENT_ID]),
      csrfSecret: keys.cookieKeys[0] ?? '',
      issuerOrigin: new URL(config.ISSUER).origin,
      log: log.child({ component: 'interactions' }),
    }),
  );
  app.use(provider.callback());
  const httpPort = await runtime.serveHttp(app, config.HTTP_PORT);

  // No TTL indexes on the store: expired oidc-provider records and spent counters go by a job.
  runtime.every('cleanup', config.CLEANUP_INTERVAL_MS, async (jobLog) => {
    const expired = await pruneExpired(connection, clock());
    const counters = await identity.pruneAttempts();
    if (expired + counters > 0) jobLog.info({ expired, counters }, 'cleanup pass');
  });

  await runtime.serveGrpc([makeIdentityGrpc({ identity, log: log.child({ component: 'grpc' }), clock })]);
  return runtime.started({ identity, provider, connection, relay, httpPort });
}
