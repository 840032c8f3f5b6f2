import { randomUUID } from 'node:crypto';
import { Topics } from '@lienket/contracts';
import { normaliseWeights } from '@lienket/matching';
import type { Logger } from '@lienket/platform';
import { type StartOverrides, startServiceRuntime } from '@lienket/runtime';
import { makeMatchmakingGrpc } from './adapters/grpc/matchmaking-grpc';
import {
  actionSubscriptions,
  createIndexProgress,
  indexGroup,
  indexSubscriptions,
} from './adapters/kafka/consumers';
import { createMatchmakingStore, ensureMatchmakingIndexes, outboxCollections } from './adapters/mongo/store';
import { makeMatchmaking } from './app/matchmaking';
import type { MatchmakingConfig } from './config';

/** The registry topics it reads and the topics it publishes. */
const topics = [
  Topics.registryEnterprise,
  Topics.registryCapability,
  Topics.registryNeed,
  Topics.matchmakingProposal,
  Topics.matchmakingDemand,
];

/** Wires matchmaking; main.ts runs it, integration tests start it in-process. */
export async function startMatchmaking(
  config: MatchmakingConfig,
  log: Logger,
  overrides: StartOverrides = {},
) {
  const runtime = await startServiceRuntime({
    name: 'matchmaking',
    config,
    log,
    topics,
    clientId: `lienket-matchmaking-${config.INSTANCE_ID}`,
    overrides,
  });
  const { connection } = runtime;
  await ensureMatchmakingIndexes(connection);
  const relay = runtime.relayOutbox(outboxCollections);

  const matchmaking = makeMatchmaking({
    store: createMatchmakingStore(connection),
    clock: runtime.clock,
    newId: () => randomUUID(),
    settings: {
      k: config.MATCH_TOP_K,
      threshold: config.MATCH_THRESHOLD,
      proposalTtlDays: config.PROPOSAL_TTL_DAYS,
      weights: normaliseWeights({
        product: config.WEIGHT_PRODUCT,
        keywords: config.WEIGHT_KEYWORDS,
        capacity: config.WEIGHT_CAPACITY,
        lead_time: config.WEIGHT_LEAD_TIME,
        geography: config.WEIGHT_GEOGRAPHY,
        policy: config.WEIGHT_POLICY,
        trust: config.WEIGHT_TRUST,
        freshness: config.WEIGHT_FRESHNESS,
        responsiveness: config.WEIGHT_RESPONSIVENESS,
      }),
    },
    source: runtime.source,
    afterWrite: () => relay.notify(),
  });
  const loaded = await matchmaking.loadIndexes();
  log.info(loaded, 'index loaded from the stored projection');

  // The index consumer (a group of this instance's own) resumes where the stored projection ends;
  // actions wait until the index holds what came before them.
  const ownIndexGroup = indexGroup(config.CONSUMER_GROUP, config.INSTANCE_ID);
  const progress = createIndexProgress(runtime.kafka, config.KAFKA_TOPIC_PREFIX, log);
  runtime.onStop('progress', () => progress.stop());
  await progress.resume(runtime.groupId(ownIndexGroup));
  const indexConsumer = await runtime.consume({
    name: 'index-consumer',
    group: ownIndexGroup,
    subscriptions: indexSubscriptions(matchmaking, progress),
    concurrency: config.CONSUMER_CONCURRENCY,
    onProgress: progress.record,
  });
  const actionConsumer = await runtime.consume({
    name: 'action-consumer',
    subscriptions: actionSubscriptions(matchmaking, progress),
    concurrency: config.CONSUMER_CONCURRENCY,
  });

  runtime.every('proposal-expiry', config.PROPOSAL_EXPIRY_INTERVAL_MS, async (jobLog) => {
    const expired = await matchmaking.expireProposals();
    if (expired > 0) jobLog.info({ expired }, 'proposals expired');
    await matchmaking.refreshResponsiveness();
  });
  await runtime.serveGrpc([makeMatchmakingGrpc({ matchmaking, log: log.child({ component: 'grpc' }) })]);
  return runtime.started({ matchmaking, relay, indexConsumer, actionConsumer, progress });
}
