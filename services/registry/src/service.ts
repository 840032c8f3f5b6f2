import { Topics } from '@lienket/contracts';
import { type Logger, uuidv7 } from '@lienket/platform';
import { regionOf } from '@lienket/reference';
import { type StartOverrides, startServiceRuntime } from '@lienket/runtime';
import { makeRegistryGrpc } from './adapters/grpc/registry-grpc';
import { linkageSubscriptions } from './adapters/kafka/linkages';
import { createMongoRegistryStore, ensureRegistryIndexes, outboxCollections } from './adapters/mongo/store';
import { makeRegistry } from './app/registry';
import type { RegistryConfig } from './config';
import { defaultPostingRules } from './domain/postings';

/** What the registry publishes, and the proposal topic (created so it can subscribe before matchmaking runs). */
const topics = [
  Topics.registryEnterprise,
  Topics.registryCapability,
  Topics.registryNeed,
  Topics.registryCluster,
  Topics.matchmakingProposal,
];

/** Wires the registry from its config; main.ts runs it, integration tests start it in-process. */
export async function startRegistry(config: RegistryConfig, log: Logger, overrides: StartOverrides = {}) {
  const runtime = await startServiceRuntime({ name: 'registry', config, log, topics, overrides });
  const { connection } = runtime;
  await ensureRegistryIndexes(connection);
  const relay = runtime.relayOutbox(outboxCollections);

  const registry = makeRegistry({
    store: createMongoRegistryStore(connection, (code) => regionOf(code) ?? ''),
    clock: runtime.clock,
    newId: () => uuidv7(),
    rules: { ...defaultPostingRules, maxOpenPostings: config.MAX_OPEN_POSTINGS },
    source: runtime.source,
    afterWrite: () => relay.notify(),
  });

  // Established matches release each party's contact to the other (and to nobody else).
  await runtime.consume({
    name: 'linkages',
    subscriptions: linkageSubscriptions(connection),
  });

  runtime.every('expiry', config.EXPIRY_INTERVAL_MS, async (jobLog) => {
    const result = await registry.runExpiry();
    if (result.expired + result.warned > 0) jobLog.info(result, 'expiry pass');
  });

  await runtime.serveGrpc([makeRegistryGrpc({ registry, log: log.child({ component: 'grpc' }) })]);
  return runtime.started({ registry, relay });
}
