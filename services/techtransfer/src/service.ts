import { Topics } from '@lienket/contracts';
import { type Logger, uuidv7 } from '@lienket/platform';
import { type StartOverrides, startServiceRuntime } from '@lienket/runtime';
import { makeTechTransferGrpc } from './adapters/grpc/techtransfer-grpc';
import { registrySubscriptions } from './adapters/kafka/consumers';
import {
  createMongoTechTransferStore,
  ensureTechTransferIndexes,
  outboxCollections,
} from './adapters/mongo/store';
import { makeTechTransfer } from './app/techtransfer';
import type { TechTransferConfig } from './config';

/** What techtransfer publishes, and the registry topics it reads (created so it can subscribe before the registry runs). */
const topics = [
  Topics.techtransferOffer,
  Topics.techtransferRequest,
  Topics.techtransferInterest,
  Topics.techtransferProgramme,
  Topics.techtransferCoFunding,
  Topics.registryEnterprise,
  Topics.registryNeed,
];

/** Wires the service from its config; main.ts runs it, integration tests start it in-process. */
export async function startTechTransfer(
  config: TechTransferConfig,
  log: Logger,
  overrides: StartOverrides = {},
) {
  const runtime = await startServiceRuntime({ name: 'techtransfer', config, log, topics, overrides });
  const { connection } = runtime;
  await ensureTechTransferIndexes(connection);
  const relay = runtime.relayOutbox(outboxCollections);

  const store = createMongoTechTransferStore(connection);
  const techtransfer = makeTechTransfer({
    store,
    clock: runtime.clock,
    newId: () => uuidv7(),
    source: runtime.source,
    afterWrite: () => relay.notify(),
    offerRules: {
      defaultValidityDays: config.OFFER_VALIDITY_DAYS,
      maxValidityDays: config.OFFER_MAX_VALIDITY_DAYS,
    },
    interestRules: {
      responseDays: config.INTEREST_RESPONSE_DAYS,
      negotiationIdleDays: config.NEGOTIATION_IDLE_DAYS,
      reminderDays: config.REMINDER_DAYS,
    },
    ranking: { threshold: config.RANK_THRESHOLD, candidates: config.RANK_CANDIDATES },
    approvalClaimTimeoutMs: config.APPROVAL_CLAIM_TIMEOUT_MS,
  });

  await runtime.consume({
    name: 'registry-consumer',
    subscriptions: registrySubscriptions({ store, techtransfer }),
  });
  runtime.every('deadlines', config.DEADLINE_INTERVAL_MS, async (jobLog) => {
    const counts = await techtransfer.runDeadlines();
    if (Object.values(counts).some((n) => n > 0)) jobLog.info(counts, 'deadline pass');
  });
  await runtime.serveGrpc([makeTechTransferGrpc({ techtransfer, log: log.child({ component: 'grpc' }) })]);
  return runtime.started({ techtransfer, store, relay });
}
