import { Topics } from '@lienket/contracts';
import { type Logger, uuidv7 } from '@lienket/platform';
import { type StartOverrides, startServiceRuntime } from '@lienket/runtime';
import { makeProgrammeGrpc } from './adapters/grpc/programme-grpc';
import { acceptedSchemeSubscriptions } from './adapters/kafka/accepted-schemes';
import { createMongoProgrammeStore, ensureProgrammeIndexes, outboxCollections } from './adapters/mongo/store';
import { makeProgramme } from './app/programme';
import type { ProgrammeConfig } from './config';

/** What the programme publishes (it also reads its own scheme topic: accepted schemes change their sites). */
const topics = [
  Topics.programmeScheme,
  Topics.programmeBudget,
  Topics.programmePledge,
  Topics.programmeSite,
  Topics.programmePlan,
  Topics.programmeRule,
];

/** Wires the service from its config; main.ts runs it, integration tests start it in-process. */
export async function startProgramme(config: ProgrammeConfig, log: Logger, overrides: StartOverrides = {}) {
  const runtime = await startServiceRuntime({ name: 'programme', config, log, topics, overrides });
  const { connection } = runtime;
  await ensureProgrammeIndexes(connection);
  const relay = runtime.relayOutbox(outboxCollections);

  const store = createMongoProgrammeStore(connection);
  const programme = makeProgramme({
    store,
    clock: runtime.clock,
    newId: () => uuidv7(),
    source: runtime.source,
    afterWrite: () => relay.notify(),
    approvalClaimTimeoutMs: config.APPROVAL_CLAIM_TIMEOUT_MS,
  });

  await runtime.consume({ name: 'accepted-schemes', subscriptions: acceptedSchemeSubscriptions(programme) });
  runtime.every('approvals', config.RECONCILE_INTERVAL_MS, async (jobLog) => {
    const reconciled = await programme.reconcileApprovals();
    if (reconciled > 0) jobLog.info({ reconciled }, 'stale approvals reconciled');
  });
  await runtime.serveGrpc([makeProgrammeGrpc({ programme, log: log.child({ component: 'grpc' }) })]);
  return runtime.started({ programme, store, relay });
}
