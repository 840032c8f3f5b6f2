// Invariants, checked after a drill by reading the stores, the services' gRPC APIs and Kafka.
import { insightsServiceV1 as ins, registryServiceV1 as reg } from '@lienket/contracts';
import type { Admin } from 'kafkajs';
import { admin, as, type Clients } from './clients';
import { databases } from './cluster';
import { type GroupLag, groupLags, type Tap } from './kafka';
import type { Attempt } from './load';
import type { Store } from './store';
import { log, mapLimit, seconds, sleep } from './util';

export interface Invariant {
  name: string;
  pass: boolean;
  detail: string;
  /** Failing items, a few, to reproduce with. */
  examples?: string[];
}

export const invariant = (
  name: string,
  pass: boolean,
  detail: string,
  examples: string[] = [],
): Invariant => ({
  name,
  pass,
  detail,
  ...(examples.length > 0 ? { examples: examples.slice(0, 10) } : {}),
});

export interface Context {
  store: Store;
  tap: Tap;
  admin: Admin;
  clients: Clients;
}

export interface Drained {
  drained: boolean;
  /** From the call until the outbox was empty, every group's lag 0 and the tap at the end. */
  drainMs: number;
  lags: GroupLag[];
  outboxPending: number;
  /** Gave up because the work left stopped shrinking. */
  stalled?: boolean;
}

/**
 * Waits until the outboxes are empty, every consumer group has lag 0 and the tap has read everything.
 * Gives up at `timeoutMs`, or earlier when the work left (outbox + lag) shrank by less than 5 % over
 * the last `stallMs`: a consumer that crawls is reported, not waited for.
 */
export async function drain(
  ctx: Context,
  timeoutMs: number,
  what: string,
  stallMs = 120_000,
): Promise<Drained> {
  const started = Date.now();
  let lags: GroupLag[] = [];
  let pending = -1;
  let stableSince: number | undefined;
  let lastLog = 0;
  const history: { at: number; left: number }[] = [];
  while (Date.now() - started < timeoutMs) {
    try {
      pending = (await ctx.store.outbox()).pendingEvents;
      lags = await groupLags(ctx.admin);
      const lagging = lags.filter((g) => g.lag > 0);
      const left = pending + lagging.reduce((sum, g) => sum + g.lag, 0);
      history.push({ at: Date.now(), left });
      if (pending === 0 && lagging.length === 0) {
        // Twice in a row a second apart: a relay may be between its read and its publish.
        stableSince ??= Date.now();
        if (Date.now() - stableSince >= 1_000 && (await ctx.tap.caughtUp(30_000))) {
          return { drained: true, drainMs: stableSince - started, lags, outboxPending: 0 };
        }
      } else {
        stableSince = undefined;
        const old = history.find((h) => h.at >= Date.now() - stallMs);
        if (
          old &&
          Date.now() - started > stallMs &&
          old.at <= Date.now() - stallMs + 5_000 &&
          left > old.left * 0.95
        ) {
          log(
            `    draining ${what}: less than 5 % progress in ${stallMs / 1000} s (${old.left} → ${left} left); giving up`,
          );
          return {
            drained: false,
            drainMs: Date.now() - started,
            lags,
            outboxPending: pending,
            stalled: true,
          };
        }
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(
          `    draining ${what}: outbox ${pending} pending, lag ${lagging.map((g) => `${g.group}=${g.lag}`).join(' ') || '0'}`,
        );
      }
    } catch (error) {
      stableSince = undefined;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`    draining ${what}: ${(error as Error).message}`);
      }
    }
    await sleep(1_000);
  }
  return { drained: false, drainMs: Date.now() - started, lags, outboxPending: pending };
}

export function drainInvariant(drained: Drained, what: string): Invariant {
  const lagging = drained.lags
    .filter((g) => g.lag > 0)
    .map((g) => `${g.group}: lag ${g.lag} ${JSON.stringify(g.byTopic)}`);
  return invariant(
    `${what}: every consumer group back to lag 0 and every outbox empty`,
    drained.drained,
    drained.drained
      ? `drained in ${seconds(drained.drainMs)} s (${drained.lags.length} groups at lag 0)`
      : `not drained after ${seconds(drained.drainMs)} s${drained.stalled ? ' (progress stalled)' : ''}: outbox ${drained.outboxPending} pending; ${lagging.join('; ')}`,
    lagging,
  );
}

/**
 * Accepted writes persisted with their events and acted on; refused writes either absent or whole.
 * Returns the invariants and the counts they were checked on.
 */
export async function writeInvariants(ctx: Context, attempts: Attempt[], label: string) {
  const { store, tap } = ctx;
  const needs = attempts.filter((a) => a.kind === 'need');
  const accepted = needs.filter((a) => a.ok && a.id);
  const acceptedIds = accepted.map((a) => a.id as string);
  const stored = await store.byIds(databases.registry, 'postings', acceptedIds, {
    _id: 1,
    title: 1,
    kind: 1,
  });
  const lost = accepted.filter(
    (a) => !stored.has(a.id as string) || stored.get(a.id as string)?.title !== a.title,
  );
  const withoutEvent = accepted.filter((a) => !tap.needPosted.has(a.id as string));

  // Refused writes: looked up by their unique title; any found must be whole (its event on Kafka).
  const refused = needs.filter((a) => !a.ok);
  const refusedFound = await store.byField(
    databases.registry,
    'postings',
    'title',
    refused.map((a) => a.title),
    { _id: 1, title: 1, outbox: 1 },
  );
  // Whole: its NeedPosted is on Kafka, or still in the document's own outbox (not yet relayed).
  const pendingEvent = (d: Record<string, unknown>) =>
    ((d.outbox as { type?: string }[] | undefined) ?? []).some(
      (e) => e.type === 'vn.lienket.registry.need.posted.v1',
    );
  const whole = (d: Record<string, unknown> & { _id: string }) =>
    tap.needPosted.has(d._id) || pendingEvent(d);
  const refusedHalfDone = refusedFound.filter((d) => !whole(d));
  // Every document of this drill, whatever its call answered, has its event (and no event lacks one).
  const allOfDrill = await store.byField(
    databases.registry,
    'postings',
    'title',
    needs.map((a) => a.title),
    { _id: 1, title: 1, outbox: 1 },
  );
  const stillPending = allOfDrill.filter((d) => !tap.needPosted.has(d._id) && pendingEvent(d)).length;
  const duplicatesByTitle = allOfDrill.length - new Set(allOfDrill.map((d) => d.title)).size;

  // Matchmaking acted on every accepted need: a proposal, or a DemandUnmet.
  const proposalNeeds = new Set(
    (await store.byField(databases.matchmaking, 'proposals', 'needId', acceptedIds, { needId: 1 })).map((d) =>
      String(d.needId),
    ),
  );
  const outcomeNeeds = new Set(
    (await store.byField(databases.matchmaking, 'demand_outcomes', 'needId', acceptedIds, { needId: 1 })).map(
      (d) => String(d.needId),
    ),
  );
  const unhandled = accepted.filter(
    (a) => !proposalNeeds.has(a.id as string) && !outcomeNeeds.has(a.id as string),
  );

  // Technology needs became technology requests (techtransfer consumed them).
  const techAccepted = accepted.filter((a) => a.technology);
  const requests = await store.byIds(
    databases.techtransfer,
    'requests',
    techAccepted.map((a) => a.id as string),
    { _id: 1 },
  );
  const noRequest = techAccepted.filter(
    (a) => !requests.has(a.id as string) || !tap.requestPosted.has(a.id as string),
  );

  // Offers: accepted means published; the offer is stored as published and OfferPublished is on Kafka.
  const offers = attempts.filter((a) => a.kind === 'offer' && a.ok && a.id);
  const storedOffers = await store.byIds(
    databases.techtransfer,
    'offers',
    offers.map((a) => a.id as string),
    { _id: 1, status: 1 },
  );
  const offersLost = offers.filter(
    (a) =>
      storedOffers.get(a.id as string)?.status !== 'published' || !tap.offerPublished.has(a.id as string),
  );

  // A sample read back through the registry's gRPC API, as a client would.
  const sample = accepted
    .filter((_, i) => i % Math.max(1, Math.floor(accepted.length / 100)) === 0)
    .slice(0, 100);
  const apiMissing: string[] = [];
  await mapLimit(sample, 8, async (a) => {
    try {
      const answer = await ctx.clients.registry.getPosting(
        reg.GetPostingRequest.fromPartial({ postingId: a.id }),
        as(admin),
      );
      if (answer.posting?.$case !== 'need' || answer.posting.value.title !== a.title)
        apiMissing.push(a.id as string);
    } catch (error) {
      apiMissing.push(`${a.id} (${(error as Error).message})`);
    }
  });

  const counts = {
    needsAccepted: accepted.length,
    needsRefused: refused.length,
    refusedButPersisted: refusedFound.length,
    eventStillInOutbox: stillPending,
    documentsOfDrill: allOfDrill.length,
    needsWithProposal: accepted.filter((a) => proposalNeeds.has(a.id as string)).length,
    needsUnmet: accepted.filter((a) => !proposalNeeds.has(a.id as string) && outcomeNeeds.has(a.id as string))
      .length,
    technologyNeedsAccepted: techAccepted.length,
    offersAccepted: offers.length,
    readBackThroughGrpc: sample.length,
  };
  const invariants = [
    invariant(
      `${label}: every accepted need is stored in the registry`,
      lost.length === 0 && apiMissing.length === 0,
      `${accepted.length - lost.length}/${accepted.length} stored; ${sample.length - apiMissing.length}/${sample.length} read back through RegistryService.GetPosting`,
      [...lost.map((a) => `${a.id} "${a.title}"`), ...apiMissing],
    ),
    invariant(
      `${label}: every accepted need's NeedPosted is on Kafka`,
      withoutEvent.length === 0,
      `${accepted.length - withoutEvent.length}/${accepted.length} on lienket.registry.need.v1`,
      withoutEvent.map((a) => `${a.id} "${a.title}"`),
    ),
    invariant(
      `${label}: no half-done write (every stored need of the drill has its NeedPosted; refused ones absent or whole)`,
      refusedHalfDone.length === 0 && allOfDrill.every(whole) && duplicatesByTitle === 0,
      `${allOfDrill.length} documents for ${needs.length} calls (${stillPending} with the event still in their outbox); ${refusedFound.length} refused calls were persisted anyway (all whole: ${refusedHalfDone.length === 0}); duplicate documents ${duplicatesByTitle}`,
      [
        ...refusedHalfDone.map((d) => `${d._id} "${d.title}"`),
        ...allOfDrill.filter((d) => !whole(d)).map((d) => d._id),
      ],
    ),
    invariant(
      `${label}: matchmaking acted on every accepted need (a proposal or a DemandUnmet)`,
      unhandled.length === 0,
      `${accepted.length - unhandled.length}/${accepted.length} (${counts.needsWithProposal} with proposals, ${counts.needsUnmet} unmet)`,
      unhandled.map((a) => `${a.id} "${a.title}" posted at ${new Date(a.t1).toISOString()}`),
    ),
    invariant(
      `${label}: every accepted technology need became a technology request (techtransfer store and RequestPosted)`,
      noRequest.length === 0,
      `${techAccepted.length - noRequest.length}/${techAccepted.length}`,
      noRequest.map((a) => `${a.id}`),
    ),
    invariant(
      `${label}: every accepted offer is stored as published and its OfferPublished is on Kafka`,
      offersLost.length === 0,
      `${offers.length - offersLost.length}/${offers.length}`,
      offersLost.map((a) => `${a.id}`),
    ),
  ];
  return { invariants, counts };
}

async function insightsFigures(clients: Clients) {
  const filter = ins.GetFunnelRequest.fromPartial({}).filter;
  const [postings, funnel, unmet, uptake] = await Promise.all([
    clients.insights.getOpenPostings({ filter, dimension: 0 }, as(admin)),
    clients.insights.getFunnel({ filter, dimension: 0 }, as(admin)),
    clients.insights.getUnmetDemand({ filter, dimension: 0 }, as(admin)),
    clients.insights.getTechTransferUptake({ filter, dimension: 0, cleanerOnly: false }, as(admin)),
  ]);
  return {
    needsPosted: Number(postings.total?.needsPosted ?? 0),
    capabilitiesPosted: Number(postings.total?.capabilitiesPosted ?? 0),
    proposed: Number(funnel.overall?.proposed ?? 0),
    established: Number(funnel.overall?.established ?? 0),
    unmetNeeds: Number(unmet.total?.unmetNeeds ?? 0),
    offersPublished: Number(uptake.total?.offersPublished ?? 0),
    requestsPosted: Number(uptake.total?.requestsPosted ?? 0),
    agreementsSigned: Number(uptake.total?.agreementsSigned ?? 0),
  };
}

/** Figures a duplicate must not move: read models, proposals, counters, processed-event records. */
export async function effectSnapshot(ctx: Context) {
  const { store } = ctx;
  const insights = await ctx.clients.insights;
  const full = ins.GetProvinceSummaryRequest.fromPartial({ province: '01', leadFirmsLimit: 10 });
  const [summary01, linkages, proposalsMatrix, figures] = await Promise.all([
    insights.getProvinceSummary(full, as(admin)),
    insights.getLinkageMatrix({ filter: undefined }, as(admin)),
    insights.getProposalMatrix({ filter: undefined }, as(admin)),
    insightsFigures(ctx.clients),
  ]);
  return {
    proposals: await store.count(databases.matchmaking, 'proposals'),
    demandOutcomes: await store.count(databases.matchmaking, 'demand_outcomes'),
    contactGrants: await store.count(databases.registry, 'contact_grants'),
    techRequests: await store.count(databases.techtransfer, 'requests'),
    interests: await store.count(databases.techtransfer, 'interests'),
    insights: figures,
    insightsProvince01: JSON.stringify(ins.GetProvinceSummaryResponse.toJSON(summary01)),
    insightsLinkageMatrix: JSON.stringify(ins.GetLinkageMatrixResponse.toJSON(linkages)),
    insightsProposalMatrix: JSON.stringify(ins.GetProposalMatrixResponse.toJSON(proposalsMatrix)),
  };
}

/** The whole platform agrees with itself: run after every drill, once drained. */
export async function consistencyInvariants(ctx: Context, label: string) {
  const { store, tap } = ctx;
  const proposals = await store.all(
    databases.matchmaking,
    'proposals',
    {},
    { pairKey: 1, needId: 1, capabilityId: 1, outboxPending: 1 },
  );
  const pairCount = new Map<string, number>();
  for (const p of proposals) {
    const pair = `${p.needId}:${p.capabilityId}`;
    pairCount.set(pair, (pairCount.get(pair) ?? 0) + 1);
  }
  const duplicatePairs = [...pairCount].filter(([, n]) => n > 1);
  const kafkaPairs = new Map<string, string[]>();
  for (const p of tap.proposals.values()) {
    const pair = `${p.needId}:${p.capabilityId}`;
    kafkaPairs.set(pair, [...(kafkaPairs.get(pair) ?? []), p.proposalId]);
  }
  const duplicateKafkaPairs = [...kafkaPairs].filter(([, ids]) => ids.length > 1);
  const proposalIdsOnKafka = [...kafkaPairs.values()].reduce((sum, ids) => sum + ids.length, 0);
  const proposalIds = new Set(proposals.map((p) => p._id));
  const docsWithoutEvent = proposals.filter((p) => !tap.proposals.has(p._id) && p.outboxPending !== true);
  const eventsWithoutDoc = [...tap.proposals.keys()].filter((id) => !proposalIds.has(id));

  const needs = await store.all(
    databases.registry,
    'postings',
    { kind: 'need' },
    { _id: 1, outboxPending: 1 },
  );
  const needIds = new Set(needs.map((n) => n._id));
  const needEventsWithoutDoc = [...tap.needPosted.keys()].filter((id) => !needIds.has(id));
  // Not yet relayed is not lost: it is reported by the outbox invariant below.
  const needDocsWithoutEvent = needs.filter((n) => !tap.needPosted.has(n._id) && n.outboxPending !== true);

  const outbox = await store.outbox();

  // Each open posting holds one of its enterprise's open-posting slots (unique in the store, ADR 0020).
  const open = await store.all(
    databases.registry,
    'postings',
    { status: 'open' },
    { enterpriseId: 1, slot: 1 },
  );
  const withoutSlot = open.filter((p) => !String(p.slot ?? '').startsWith(`${String(p.enterpriseId)}#`));

  // Read models agree with the stores they are built from.
  const figures = await insightsFigures(ctx.clients);
  const truth = {
    needsPosted: needs.length,
    proposed: proposals.length,
    unmetNeeds: await store.count(databases.matchmaking, 'demand_outcomes', {
      reason: 'no_match_above_threshold',
    }),
    offersPublished: await store.count(databases.techtransfer, 'offers', { status: 'published' }),
    requestsPosted: await store.count(databases.techtransfer, 'requests'),
  };
  const disagreements = (Object.keys(truth) as (keyof typeof truth)[])
    .filter((k) => figures[k] !== truth[k])
    .map((k) => `${k}: insights ${figures[k]} vs store ${truth[k]}`);

  // Dead letters nobody injected: an event a consumer gave up on, so an effect that never happened.
  const unexpectedDlq = tap.dlq.filter((d) => !d.marker);

  let redelivered = 0;
  for (const [topic, counts] of tap.perTopic)
    if (!topic.endsWith('.dlq')) redelivered += counts.deliveries - counts.ids.size;

  const counts = {
    proposals: proposals.length,
    proposalEventsOnKafka: tap.proposals.size,
    needs: needs.length,
    needEventsOnKafka: tap.needPosted.size,
    openPostings: open.length,
    messagesReadFromKafka: tap.all.length,
    deliveriesOfAnIdAlreadyOnItsTopic: redelivered,
  };
  const invariants = [
    invariant(
      `${label}: no duplicate proposal (one per need and capability, in the store and on Kafka)`,
      duplicatePairs.length === 0 && duplicateKafkaPairs.length === 0,
      `${proposals.length} proposals, ${pairCount.size} distinct pairs; on Kafka ${proposalIdsOnKafka} proposal ids, ${kafkaPairs.size} distinct pairs`,
      [
        ...duplicatePairs.map(([pair, n]) => `store ${pair} ×${n}`),
        ...duplicateKafkaPairs.map(([pair, ids]) => `kafka ${pair}: ${ids.join(', ')}`),
      ],
    ),
    invariant(
      `${label}: every proposal has its MatchProposed on Kafka and every MatchProposed its proposal`,
      docsWithoutEvent.length === 0 && eventsWithoutDoc.length === 0,
      `${docsWithoutEvent.length} documents without event, ${eventsWithoutDoc.length} events without document`,
      [...docsWithoutEvent.map((p) => `doc ${p._id}`), ...eventsWithoutDoc.map((id) => `event ${id}`)],
    ),
    invariant(
      `${label}: every need has its NeedPosted on Kafka and every NeedPosted its need`,
      needDocsWithoutEvent.length === 0 && needEventsWithoutDoc.length === 0,
      `${needs.length} needs stored (${needs.filter((n) => n.outboxPending === true).length} with the event still in their outbox), ${tap.needPosted.size} need ids on Kafka`,
      [
        ...needDocsWithoutEvent.map((n) => `doc ${n._id}`),
        ...needEventsWithoutDoc.map((id) => `event ${id}`),
      ],
    ),
    invariant(
      `${label}: no event parked by an outbox relay, none left pending`,
      outbox.parked === 0 && outbox.pendingEvents === 0,
      `${outbox.parked} parked, ${outbox.pendingEvents} pending`,
      outbox.parkedIds,
    ),
    invariant(
      `${label}: every open posting holds an open-posting slot of its enterprise`,
      withoutSlot.length === 0,
      `${open.length - withoutSlot.length}/${open.length} hold one`,
      withoutSlot.map((p) => `${p._id}: slot ${String(p.slot)}`),
    ),
    invariant(
      `${label}: insights figures equal the stores (needs, proposals, unmet demand, offers, requests)`,
      disagreements.length === 0,
      disagreements.length === 0 ? JSON.stringify(truth) : disagreements.join('; '),
      disagreements,
    ),
    invariant(
      `${label}: no event dead-lettered except the drills' own poison`,
      unexpectedDlq.length === 0,
      `${unexpectedDlq.length} unexpected dead letters`,
      unexpectedDlq.map(
        (d) => `${d.topic} ${d.dlq?.dlq_consumer_group} ${d.dlq?.dlq_reason}: ${d.dlq?.dlq_error}`,
      ),
    ),
  ];
  return { invariants, counts };
}
