import {
  insightsServiceV1 as api,
  type EventDefinition,
  insightsV1,
  responseToCsv,
} from '@lienket/contracts';
import { createEventPublisher, type EventPublisher, ensureTopics } from '@lienket/eventbus';
import {
  type Actor,
  actorMetadata,
  createGrpcClient,
  isAppError,
  type PromiseClient,
  parseConfig,
  storeCommands,
} from '@lienket/platform';
import { regionOf } from '@lienket/reference';
import { grpcHealth, listGrpcServices, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { factCollections } from '../src/adapters/mongo/store';
import { insightsConfigSchema } from '../src/config';
import { publicTopics, updatesFor } from '../src/domain/rules';
import { startInsights } from '../src/service';
import type { Dim, TestFilter } from './expected';
import * as expected from './expected';
import {
  agreementEvent,
  applications,
  c1,
  d,
  disbursementEvent,
  i1,
  linkagePayload,
  type Planned,
  proposalEvents,
  proposals,
  scenarioEvents,
  unmet,
  unmetEvent,
} from './scenario';

type Client = PromiseClient<typeof api.InsightsServiceService>;
type Service = Awaited<ReturnType<typeof startInsights>>;

let infra: TestInfra;
let publisher: EventPublisher;
let first: Service;
let second: Service | undefined;
let client: Client;
let secondClient: Client | undefined;

/** What was put on Kafka, with the CloudEvents ids, so that a delivery can be repeated exactly. */
const sent: (Planned & { id: string })[] = [];

const instance = (suffix: string, group: string) =>
  startInsights(
    parseConfig(insightsConfigSchema, {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: infra.databaseFor(suffix),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      KAFKA_PARTITIONS: '3',
      CONSUMER_GROUP: group,
    }),
    infra.log,
  );

async function publish(events: readonly Planned[], ids?: readonly string[]) {
  for (const [index, e] of events.entries()) {
    const codec = e.definition.codec as EventDefinition['codec'] & { fromPartial(value: unknown): unknown };
    const event = await publisher.publish(e.definition, codec.fromPartial(e.payload), {
      key: e.key,
      subject: e.key,
      time: e.time,
      ...(ids?.[index] ? { id: ids[index] } : {}),
    });
    sent.push({ ...e, id: event.id });
  }
  return events.length;
}

beforeAll(async () => {
  infra = await openTestInfra('insights');
  await ensureTopics(
    infra.kafka,
    publicTopics.map((t) => infra.topicPrefix + t),
    { partitions: 3, replicationFactor: 1 },
  );
  publisher = await createEventPublisher({
    kafka: infra.kafka,
    source: '/lienket/test',
    topicPrefix: infra.topicPrefix,
    log: infra.log,
  });
  first = await instance('insights_a', 'insights-a');
  client = createGrpcClient(api.InsightsServiceService, `127.0.0.1:${first.grpcPort}`, {
    deadlineMs: 20_000,
  });
});

afterAll(async () => {
  client?.close();
  secondClient?.close();
  await second?.stop();
  await first?.stop();
  await publisher?.disconnect();
  await infra?.close();
});

const analyst: Actor = { role: 'analyst', enterpriseId: '', provinceCode: '', subject: 'analyst-1' };
const officer: Actor = { role: 'province', enterpriseId: '', provinceCode: '24', subject: 'officer-24' };
const filterOf = (f: TestFilter) => insightsV1.Filter.fromPartial(f);
const dimensions: Record<Dim, insightsV1.Dimension> = {
  province: insightsV1.Dimension.DIMENSION_PROVINCE,
  region: insightsV1.Dimension.DIMENSION_REGION,
  vsic_division: insightsV1.Dimension.DIMENSION_VSIC_DIVISION,
  hs_chapter: insightsV1.Dimension.DIMENSION_HS_CHAPTER,
};

const filters: TestFilter[] = [
  {},
  { fromMonth: '2025-08', toMonth: '2025-08' },
  { fromMonth: '2025-09', toMonth: '2025-10' },
  { toMonth: '2025-09' },
  { vsicPrefix: '17' },
  { vsicPrefix: 'C' },
  { hsPrefix: '4819' },
  { province: '24' },
  { province: '27' },
  { region: 'RRD' },
  { category: 'material' },
  { fromMonth: '2025-09', toMonth: '2025-09', region: 'MD' },
];

/** Rows as key → the named columns, rows with nothing to show left out. */
function table<R>(rows: readonly R[], key: (r: R) => string, columns: readonly string[]) {
  const out: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    const values = Object.fromEntries(
      columns.map((c) => [c, Number((row as Record<string, unknown>)[c] ?? 0)]),
    );
    if (Object.values(values).some((v) => v !== 0)) out[key(row)] = values;
  }
  return out;
}

function complete(rows: Record<string, Record<string, number>>, columns: readonly string[]) {
  return table(
    Object.entries(rows).map(([key, values]) => ({ key, ...values })),
    (r) => r.key,
    columns,
  );
}

const only = (values: Record<string, number> | undefined, columns: readonly string[]) =>
  Object.fromEntries(columns.map((c) => [c, Number(values?.[c] ?? 0)]));

const proposalColumns = ['proposed', 'accepted', 'established', 'declined', 'expired', 'retracted', 'open'];
const funnelColumns = ['proposed', 'accepted', 'established'];
const postingColumns = [
  'openNeeds',
  'openCapabilities',
  'needsPosted',
  'needsFulfilled',
  'needsClosed',
  'needsExpired',
  'capabilitiesPosted',
  'capabilitiesWithdrawn',
  'capabilitiesExpired',
  'capabilityRenewals',
];
const unmetColumns = ['unmetNeeds', 'noMatchAboveThreshold', 'expiredUnmatched'];
const uptakeColumns = [
  'offersPublished',
  'requestsPosted',
  'interestsExpressed',
  'interestsReceived',
  'agreementsSigned',
  'agreementValueVnd',
  'cofundingRequested',
  'cofundingRequestedVnd',
  'cofundingApproved',
  'cofundingApprovedVnd',
  'cofundingRejected',
  'cofundingDisbursedVnd',
];
const shareColumns = ['linkages', 'intraRegion', 'crossRegion', 'intraProvince'];

/**
 * Asks every read model for every filter, checks each figure against the scenario, and returns
 * the answers (to compare a later state or another instance with).
 */
async function checkFigures(c: Client) {
  const answers: unknown[] = [];
  const as = { metadata: actorMetadata(analyst) };
  for (const f of filters) {
    const what = JSON.stringify(f);
    const filter = filterOf(f);

    const matrix = await c.getLinkageMatrix({ filter }, as);
    const m = expected.linkageMatrix(f);
    expect([
      what,
      table(matrix.rows, (r) => `${r.buyerProvince}>${r.supplierProvince}`, ['linkages']),
    ]).toEqual([
      what,
      complete(Object.fromEntries(Object.entries(m.cells).map(([k, v]) => [k, { linkages: v }])), [
        'linkages',
      ]),
    ]);
    expect([what, matrix.totalLinkages]).toEqual([what, m.total]);

    const proposalsAnswer = await c.getProposalMatrix({ filter });
    const pm = expected.proposalMatrix(f);
    expect([
      what,
      table(proposalsAnswer.rows, (r) => `${r.buyerProvince}>${r.supplierProvince}`, proposalColumns),
    ]).toEqual([what, complete(pm.cells, proposalColumns)]);
    expect([what, only(proposalsAnswer.total as never, proposalColumns)]).toEqual([
      what,
      only(pm.total, proposalColumns),
    ]);

    const funnel = await c.getFunnel({ filter, dimension: dimensions.province });
    const fe = expected.funnel(f);
    expect([what, table(funnel.rows, (r) => r.key, funnelColumns)]).toEqual([
      what,
      complete(fe.rows, funnelColumns),
    ]);
    expect([what, only(funnel.overall as never, funnelColumns)]).toEqual([
      what,
      only(fe.overall, funnelColumns),
    ]);

    const postings = await c.getOpenPostings({ filter, dimension: dimensions.province });
    const pe = expected.postings(f);
    expect([what, table(postings.rows, (r) => r.key, postingColumns)]).toEqual([
      what,
      complete(pe.rows, postingColumns),
    ]);
    expect([what, only(postings.total as never, postingColumns)]).toEqual([
      what,
      only(pe.total, postingColumns),
    ]);

    const demand = await c.getUnmetDemand({ filter, dimension: dimensions.province });
    const de = expected.unmetDemand(f);
    expect([what, table(demand.rows, (r) => r.key, unmetColumns)]).toEqual([
      what,
      complete(de.rows, unmetColumns),
    ]);
    expect([what, only(demand.total as never, unmetColumns)]).toEqual([what, only(de.total, unmetColumns)]);

    const uptakes = [];
    for (const cleanerOnly of [false, true]) {
      const uptake = await c.getTechTransferUptake({ filter, dimension: dimensions.province, cleanerOnly });
      const ue = expected.uptake(f, cleanerOnly);
      expect([what, cleanerOnly, table(uptake.rows, (r) => r.key, uptakeColumns)]).toEqual([
        what,
        cleanerOnly,
        complete(ue.rows, uptakeColumns),
      ]);
      expect([what, cleanerOnly, only(uptake.total as never, uptakeColumns)]).toEqual([
        what,
        cleanerOnly,
        only(ue.total, uptakeColumns),
      ]);
      uptakes.push(uptake);
    }

    const firms = await c.getLeadFirms({ filter, limit: 3 }, { metadata: actorMetadata(officer) });
    expect([
      what,
      firms.rows.map(({ rank, enterpriseId, name, province, leadFirm, linkages, asBuyer, asSupplier }) => ({
        rank,
        enterpriseId,
        name,
        province,
        leadFirm,
        linkages,
        asBuyer,
        asSupplier,
      })),
    ]).toEqual([what, expected.leadFirms(f, 3)]);

    const share = await c.getRegionalShare({ filter });
    const se = expected.regionalShare(f);
    expect([what, table(share.rows, (r) => r.region, shareColumns)]).toEqual([
      what,
      complete(se.rows, shareColumns),
    ]);
    expect([what, only(share.overall as never, shareColumns)]).toEqual([
      what,
      only(se.overall, shareColumns),
    ]);

    answers.push({ what, matrix, proposalsAnswer, funnel, postings, demand, uptakes, firms, share });
  }

  // Other dimensions.
  const byDimension: [string, TestFilter, Dim][] = [
    ['funnel', {}, 'region'],
    ['funnel', { vsicPrefix: 'C' }, 'vsic_division'],
    ['postings', {}, 'vsic_division'],
    ['postings', { vsicPrefix: '17' }, 'vsic_division'],
    ['postings', { toMonth: '2025-08' }, 'region'],
    ['unmet', {}, 'hs_chapter'],
    ['uptake', {}, 'region'],
    ['uptake', { fromMonth: '2025-09' }, 'vsic_division'],
  ];
  for (const [model, f, dim] of byDimension) {
    const what = `${model} by ${dim} ${JSON.stringify(f)}`;
    const request = { filter: filterOf(f), dimension: dimensions[dim] };
    if (model === 'funnel') {
      const answer = await c.getFunnel(request);
      expect([what, table(answer.rows, (r) => r.key, funnelColumns)]).toEqual([
        what,
        complete(expected.funnel(f, dim).rows, funnelColumns),
      ]);
      answers.push(answer);
    } else if (model === 'postings') {
      const answer = await c.getOpenPostings(request);
      const e = expected.postings(f, dim);
      expect([what, table(answer.rows, (r) => r.key, postingColumns)]).toEqual([
        what,
        complete(e.rows, postingColumns),
      ]);
      // A posting in two divisions is in both rows, once in the total.
      expect([what, only(answer.total as never, postingColumns)]).toEqual([
        what,
        only(e.total, postingColumns),
      ]);
      answers.push(answer);
    } else if (model === 'unmet') {
      const answer = await c.getUnmetDemand(request);
      expect([what, table(answer.rows, (r) => r.key, unmetColumns)]).toEqual([
        what,
        complete(expected.unmetDemand(f, dim).rows, unmetColumns),
      ]);
      answers.push(answer);
    } else {
      const answer = await c.getTechTransferUptake({ ...request, cleanerOnly: false });
      expect([what, table(answer.rows, (r) => r.key, uptakeColumns)]).toEqual([
        what,
        complete(expected.uptake(f, false, dim).rows, uptakeColumns),
      ]);
      answers.push(answer);
    }
  }

  // Province pages.
  for (const [province, f] of [
    ['24', {}],
    ['24', { fromMonth: '2025-08', toMonth: '2025-09' }],
    ['19', {}],
    ['92', { vsicPrefix: 'C' }],
    ['66', {}],
  ] as [string, TestFilter][]) {
    const what = `summary ${province} ${JSON.stringify(f)}`;
    // Its own province and region in the filter are ignored.
    const summary = await c.getProvinceSummary({
      province,
      filter: filterOf({ ...f, province: '01', region: 'SE' }),
      leadFirmsLimit: 0,
    });
    const here = { ...f, province };
    const row = (rows: Record<string, Record<string, number>>) => rows[province];
    expect([what, summary.province, summary.region]).toEqual([what, province, regionOf(province)]);
    expect([what, only(summary.postings as never, postingColumns)]).toEqual([
      what,
      only(row(expected.postings(here).rows), postingColumns),
    ]);
    expect([what, only(summary.unmetDemand as never, unmetColumns)]).toEqual([
      what,
      only(row(expected.unmetDemand(here).rows), unmetColumns),
    ]);
    expect([what, only(summary.funnel as never, funnelColumns)]).toEqual([
      what,
      only(row(expected.funnel(here).rows), funnelColumns),
    ]);
    expect([what, only(summary.techTransfer as never, uptakeColumns)]).toEqual([
      what,
      only(row(expected.uptake(here, false).rows), uptakeColumns),
    ]);
    expect([what, only(summary.cleanerTechTransfer as never, uptakeColumns)]).toEqual([
      what,
      only(row(expected.uptake(here, true).rows), uptakeColumns),
    ]);
    const own = expected.provinceLinkages(province, f);
    expect([what, summary.linkages]).toEqual([what, own.totals]);
    expect([
      what,
      table(summary.partners, (p) => p.partnerProvince, ['buysFrom', 'suppliesTo', 'linkages']),
    ]).toEqual([what, complete(own.partners, ['buysFrom', 'suppliesTo', 'linkages'])]);
    expect([what, summary.leadFirms.map((r) => [r.enterpriseId, r.linkages])]).toEqual([
      what,
      expected.leadFirms(here, 10).map((r) => [r.enterpriseId, r.linkages]),
    ]);
    expect([what, summary.enterprises]).toEqual([what, expected.enterpriseCounts(province, f)]);
    expect([what, summary.clusters]).toEqual([what, expected.clusterCounts(province)]);
    // The flat rows carry the same figures.
    const flat = (section: string, metric: string, key = '') =>
      summary.rows.find((r) => r.section === section && r.metric === metric && r.key === key)?.value;
    expect([what, flat('linkages', 'as_buyer'), flat('clusters', 'members')]).toEqual([
      what,
      own.totals.asBuyer,
      expected.clusterCounts(province).members,
    ]);
    answers.push(summary);
  }
  return answers;
}

async function readFacts(service: Service, { withRevisions = false } = {}) {
  const facts: Record<string, unknown[]> = {};
  for (const name of factCollections) {
    const docs = await service.db.collection(name).find({}).sort({ _id: 1 }).toArray();
    facts[name] = withRevisions ? docs : docs.map(({ rev: _rev, ...rest }) => rest);
  }
  return facts;
}

/** Store commands this process sent so far (the services run in it), by what they touched. */
async function storeCommandCounts() {
  const { values } = await storeCommands.get();
  const sum = (keep: (labels: Record<string, unknown>) => boolean) =>
    values.filter((v) => keep(v.labels)).reduce((total, v) => total + v.value, 0);
  return {
    // Reads and writes of facts by the consumer; the read models' aggregates are not its.
    facts: sum((l) => String(l.collection).endsWith('_facts') && l.command !== 'aggregate'),
    processedIds: sum((l) => String(l.collection).startsWith('processed_events')),
  };
}

/**
 * The most store commands a batch may cost: per kind of fact its topic's events merge into, one
 * find, one insert (new facts) and one update (changed ones). Kinds come from the events sent.
 */
function commandsPerBatchAtMost() {
  const kindsByTopic = new Map<string, Set<string>>();
  for (const e of sent) {
    const kinds = kindsByTopic.get(e.definition.topic) ?? new Set<string>();
    for (const u of updatesFor(e.definition.type, e.payload, e.time)) kinds.add(u.kind);
    kindsByTopic.set(e.definition.topic, kinds);
  }
  return 3 * Math.max(...[...kindsByTopic.values()].map((kinds) => kinds.size));
}

let published = 0;
let reference: unknown[];

describe('insights', () => {
  it('answers health and reflection', async () => {
    const address = `127.0.0.1:${first.grpcPort}`;
    expect(await grpcHealth(address)).toBe('SERVING');
    expect(await grpcHealth(address, 'lienket.insights.v1.InsightsService')).toBe('SERVING');
    expect(await listGrpcServices(address)).toEqual([
      'grpc.health.v1.Health',
      'lienket.insights.v1.InsightsService',
    ]);
  });

  it('computes every read model from the scenario’s events', async () => {
    const before = await storeCommandCounts();
    published = await publish(scenarioEvents());
    await waitFor(() => first.consumer.stats.processed >= published, {
      timeoutMs: 60_000,
      what: `${published} events applied`,
    });
    expect(first.consumer.stats).toMatchObject({ processed: published, deadLettered: 0, duplicates: 0 });
    // A batch costs a bounded number of store commands, whatever its size, and no dedupe record.
    const after = await storeCommandCounts();
    const { batches } = first.consumer.stats;
    expect(after.processedIds - before.processedIds).toBe(0);
    expect(after.facts - before.facts).toBeLessThanOrEqual(commandsPerBatchAtMost() * batches);
    // Sanity of the scenario itself: every read model has something to count.
    expect(expected.linkageMatrix({}).total).toBe(5);
    expect(expected.leadFirms({}, 1)[0]).toMatchObject({ enterpriseId: 'e02', linkages: 2 });
    reference = await checkFigures(client);
  }, 180_000);

  it('counts nothing twice: a redelivery under the same ids, or the same state under new ids', async () => {
    // p1 again, every event with its own id: merged again, it changes no fact, not even a revision.
    const p1 = sent.filter((e) => e.key === 'p1');
    expect(p1).toHaveLength(4);
    const stored = await readFacts(first, { withRevisions: true });
    const sameIds = await publish(
      p1,
      p1.map((e) => e.id),
    );
    const seen = () => first.consumer.stats.processed + first.consumer.stats.duplicates;
    await waitFor(() => seen() >= published + sameIds, { timeoutMs: 60_000, what: 'the redelivery seen' });
    expect(await readFacts(first, { withRevisions: true })).toEqual(stored);
    // The same states announced again, under new ids and later times.
    const p1Spec = proposals[0] as (typeof proposals)[number];
    const a1 = applications[0] as (typeof applications)[number];
    const repeated: Planned[] = [
      { ...(proposalEvents(p1Spec)[1] as Planned), time: d('10-20') },
      {
        ...(proposalEvents(p1Spec).at(-1) as Planned),
        payload: linkagePayload(p1Spec),
        time: d('10-20'),
      },
      {
        ...(sent.find((e) => e.key === c1.id && e.definition.type.endsWith('renewed.v1')) as Planned),
        time: d('10-21'),
      },
      { ...unmetEvent(unmet[1] as (typeof unmet)[number]), time: d('10-22') },
      agreementEvent(i1, d('10-23')),
      disbursementEvent(a1, 0, d('10-24')),
    ];
    const newIds = await publish(repeated);
    await waitFor(() => seen() >= published + sameIds + newIds, {
      timeoutMs: 60_000,
      what: 'the repeats applied',
    });
    expect(first.consumer.stats.deadLettered).toBe(0);
    expect(seen()).toBe(published + sameIds + newIds);
    expect(await checkFigures(client)).toEqual(reference);
  }, 180_000);

  it('rebuilds the same figures and facts in a fresh database by replaying the topics', async () => {
    const before = await storeCommandCounts();
    second = await instance('insights_b', 'insights-b');
    secondClient = createGrpcClient(api.InsightsServiceService, `127.0.0.1:${second.grpcPort}`, {
      deadlineMs: 20_000,
    });
    const replayed = sent.length;
    const rebuilt = second;
    await waitFor(() => rebuilt.consumer.stats.processed + rebuilt.consumer.stats.duplicates >= replayed, {
      timeoutMs: 90_000,
      what: `${replayed} events replayed`,
    });
    expect(rebuilt.consumer.stats.deadLettered).toBe(0);
    // Replayed from the beginning, the batches are large; each still costs a bounded number of commands.
    const after = await storeCommandCounts();
    expect(after.processedIds - before.processedIds).toBe(0);
    expect(after.facts - before.facts).toBeLessThanOrEqual(
      commandsPerBatchAtMost() * rebuilt.consumer.stats.batches,
    );
    infra.log.info(
      { events: replayed, batches: rebuilt.consumer.stats.batches, commands: after.facts - before.facts },
      'store commands of the replay',
    );
    expect(await checkFigures(secondClient)).toEqual(reference);
    expect(await readFacts(rebuilt)).toEqual(await readFacts(first));
  }, 240_000);

  it('refuses a bad filter, naming the field, and its rows serialise as CSV', async () => {
    const error = await client
      .getFunnel({ filter: filterOf({ fromMonth: '2025-13', province: '99' }), dimension: 0 })
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.kind).toBe('INVALID_ARGUMENT');
    expect(isAppError(error) && error.violations.map((v) => v.field)).toEqual([
      'filter.from_month',
      'filter.province',
    ]);
    const summaryError = await client
      .getProvinceSummary({ province: '', filter: undefined, leadFirmsLimit: 0 })
      .catch((e: unknown) => e);
    expect(isAppError(summaryError) && summaryError.kind).toBe('INVALID_ARGUMENT');
    const limitError = await client.getLeadFirms({ filter: undefined, limit: 500 }).catch((e: unknown) => e);
    expect(isAppError(limitError) && limitError.violations[0]?.field).toBe('limit');

    const matrix = await client.getLinkageMatrix({
      filter: filterOf({ fromMonth: '2025-09', toMonth: '2025-09' }),
    });
    const csv = responseToCsv(matrix, insightsV1.LinkageCell);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      '"buyer_province","buyer_province_name","buyer_region","supplier_province","supplier_province_name","supplier_region","linkages"',
    );
    expect(lines).toHaveLength(matrix.rows.length + 2);
    expect(lines).toContain('"92","Cần Thơ","MD","79","TP. Hồ Chí Minh","SE","1"');
    expect(csv.endsWith('\r\n')).toBe(true);
    const summary = await client.getProvinceSummary({ province: '27', filter: undefined, leadFirmsLimit: 3 });
    expect(summary.province).toBe('24');
    expect(responseToCsv(summary, insightsV1.SummaryRow).split('\r\n')[0]).toBe(
      '"section","key","metric","value"',
    );
    // No contact data anywhere in an answer.
    expect(JSON.stringify(summary)).not.toMatch(/@|phone|email/i);
  });
});
