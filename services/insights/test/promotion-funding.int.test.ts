import {
  insightsServiceV1 as api,
  type EventDefinition,
  Events,
  insightsV1,
  programmeEventsV1 as pe,
  programmeV1 as pv,
} from '@lienket/contracts';
import { createEventPublisher, type EventPublisher, ensureTopics } from '@lienket/eventbus';
import { createGrpcClient, type PromiseClient, parseConfig } from '@lienket/platform';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import { insightsConfigSchema } from '../src/config';
import { publicTopics } from '../src/domain/rules';
import { startInsights } from '../src/service';

/**
 * From the programme's scheme events on real Kafka to GetPromotionFunding: schemes in two provinces
 * and three lines, approved in two half-years (one at 23:00 Vietnam time on 30 June, i.e. 16:00 UTC,
 * and one at 01:00 on 1 July, 18:00 UTC on 30 June), one cancelled, one only proposed, one rejected;
 * the figures are computed here from the scenario's own amounts.
 */
type Client = PromiseClient<typeof api.InsightsServiceService>;

let infra: TestInfra;
let publisher: EventPublisher;
let service: Awaited<ReturnType<typeof startInsights>>;
let client: Client;

interface PlannedScheme {
  id: string;
  province: string;
  line: keyof typeof lines;
  cost: number;
  state: number;
  counterpart: number;
  sponsor: number;
  /** Statuses it goes through, each with the event's time. */
  steps: [Step, string][];
}
type Step =
  | 'proposed'
  | 'appraised'
  | 'approved'
  | 'rejected'
  | 'contracted'
  | 'accepted'
  | 'settled'
  | 'cancelled';

const lines = {
  cleaner_production: pv.SupportLine.SUPPORT_LINE_CLEANER_PRODUCTION,
  training: pv.SupportLine.SUPPORT_LINE_TRAINING,
  cluster_site_infrastructure: pv.SupportLine.SUPPORT_LINE_CLUSTER_SITE_INFRASTRUCTURE,
};

const schemes: PlannedScheme[] = [
  // Bắc Ninh (24): almost all state money on training, a cleaner-production scheme with a sponsor.
  {
    id: 'bn-1',
    province: '24',
    line: 'training',
    cost: 300_000_000,
    state: 290_000_000,
    counterpart: 10_000_000,
    sponsor: 0,
    steps: [
      ['proposed', '2025-09-01T02:00:00Z'],
      ['appraised', '2025-09-10T02:00:00Z'],
      ['approved', '2025-09-20T02:00:00Z'],
      ['contracted', '2025-10-01T02:00:00Z'],
    ],
  },
  {
    id: 'bn-2',
    province: '24',
    line: 'cleaner_production',
    cost: 1_000_000_000,
    state: 400_000_000,
    counterpart: 450_000_000,
    sponsor: 150_000_000,
    steps: [
      ['proposed', '2026-05-01T02:00:00Z'],
      ['appraised', '2026-06-01T02:00:00Z'],
      ['approved', '2026-06-30T16:00:00Z'],
      ['contracted', '2026-07-02T02:00:00Z'],
      ['accepted', '2026-09-01T02:00:00Z'],
      ['settled', '2026-10-01T02:00:00Z'],
    ],
  },
  {
    id: 'bn-3',
    province: '24',
    line: 'training',
    cost: 200_000_000,
    state: 150_000_000,
    counterpart: 50_000_000,
    sponsor: 0,
    steps: [
      ['proposed', '2026-02-01T02:00:00Z'],
      ['appraised', '2026-02-10T02:00:00Z'],
      ['approved', '2026-03-01T02:00:00Z'],
      ['cancelled', '2026-04-01T02:00:00Z'],
    ],
  },
  // Thái Nguyên (19): a wastewater scheme with a foreign sponsor, approved on 1 July Vietnam time.
  {
    id: 'tn-1',
    province: '19',
    line: 'cluster_site_infrastructure',
    cost: 9_000_000_000,
    state: 4_500_000_000,
    counterpart: 3_000_000_000,
    sponsor: 1_500_000_000,
    steps: [
      ['proposed', '2026-06-01T02:00:00Z'],
      ['appraised', '2026-06-15T02:00:00Z'],
      ['approved', '2026-06-30T18:00:00Z'],
      ['contracted', '2026-07-10T02:00:00Z'],
    ],
  },
  {
    id: 'tn-2',
    province: '19',
    line: 'cleaner_production',
    cost: 700_000_000,
    state: 300_000_000,
    counterpart: 400_000_000,
    sponsor: 0,
    steps: [
      ['proposed', '2026-01-05T02:00:00Z'],
      ['appraised', '2026-01-20T02:00:00Z'],
      ['approved', '2026-02-01T02:00:00Z'],
    ],
  },
  {
    id: 'tn-3',
    province: '19',
    line: 'cleaner_production',
    cost: 500_000_000,
    state: 250_000_000,
    counterpart: 250_000_000,
    sponsor: 0,
    steps: [['proposed', '2026-03-01T02:00:00Z']],
  },
  {
    id: 'tn-4',
    province: '19',
    line: 'training',
    cost: 100_000_000,
    state: 100_000_000,
    counterpart: 0,
    sponsor: 0,
    steps: [
      ['proposed', '2026-03-01T02:00:00Z'],
      ['rejected', '2026-03-05T02:00:00Z'],
    ],
  },
];

const statusOf: Record<Step, pv.SchemeStatus> = {
  proposed: pv.SchemeStatus.SCHEME_STATUS_PROPOSED,
  appraised: pv.SchemeStatus.SCHEME_STATUS_APPRAISED,
  approved: pv.SchemeStatus.SCHEME_STATUS_APPROVED,
  rejected: pv.SchemeStatus.SCHEME_STATUS_REJECTED,
  contracted: pv.SchemeStatus.SCHEME_STATUS_CONTRACTED,
  accepted: pv.SchemeStatus.SCHEME_STATUS_ACCEPTED,
  settled: pv.SchemeStatus.SCHEME_STATUS_SETTLED,
  cancelled: pv.SchemeStatus.SCHEME_STATUS_CANCELLED,
};
const definitionOf: Record<Step, EventDefinition> = {
  proposed: Events.schemeProposed,
  appraised: Events.schemeAppraised,
  approved: Events.schemeApproved,
  rejected: Events.schemeRejected,
  contracted: Events.schemeContracted,
  accepted: Events.schemeAccepted,
  settled: Events.schemeSettled,
  cancelled: Events.schemeCancelled,
} as unknown as Record<Step, EventDefinition>;

async function publishScheme(s: PlannedScheme) {
  for (const [step, time] of s.steps) {
    const facts = pe.SchemeFacts.fromPartial({
      schemeId: s.id,
      line: lines[s.line],
      year: 2026,
      province: s.province,
      status: statusOf[step],
      beneficiaryEnterpriseId: `e-${s.id}`,
      funding: {
        cost: { vnd: s.cost },
        state: { vnd: s.state },
        stateSource: pv.FundingSource.FUNDING_SOURCE_PROVINCIAL,
        counterpart: { vnd: s.counterpart },
        sponsor: { vnd: s.sponsor },
      },
    });
    const definition = definitionOf[step];
    const codec = definition.codec as EventDefinition['codec'] & { fromPartial(value: unknown): unknown };
    await publisher.publish(definition, codec.fromPartial({ facts }), {
      key: s.id,
      subject: s.id,
      time: new Date(time),
    });
  }
}

/** The expected answer, from the scenario: schemes approved and not cancelled, within the months. */
function expectedFunding(fromMonth = '', toMonth = '', province = '') {
  const vietnam = (iso: string) => new Date(new Date(iso).getTime() + 7 * 3_600_000);
  const month = (iso: string) => vietnam(iso).toISOString().slice(0, 7);
  const counted = schemes.flatMap((s) => {
    const approved = s.steps.find(([step]) => step === 'approved')?.[1];
    if (!approved || s.steps.some(([step]) => step === 'cancelled')) return [];
    if ((fromMonth && month(approved) < fromMonth) || (toMonth && month(approved) > toMonth)) return [];
    if (province && s.province !== province) return [];
    const local = vietnam(approved);
    return [{ ...s, half: `${local.getUTCFullYear()}-H${local.getUTCMonth() < 6 ? 1 : 2}` }];
  });
  const row = (keys: Record<string, string>, group: typeof counted) => {
    const sum = (f: (x: (typeof counted)[number]) => number) => group.reduce((t, x) => t + f(x), 0);
    const cost = sum((x) => x.cost);
    const nonState = sum((x) => x.counterpart + x.sponsor);
    return api.PromotionFundingRow.fromPartial({
      ...keys,
      schemes: group.length,
      costVnd: cost,
      stateVnd: sum((x) => x.state),
      counterpartVnd: sum((x) => x.counterpart),
      sponsorVnd: sum((x) => x.sponsor),
      nonStateVnd: nonState,
      nonStateShareBp: cost > 0 ? Math.floor((nonState * 10_000) / cost) : 0,
    });
  };
  const groups = <K extends string>(key: (x: (typeof counted)[number]) => K) =>
    [...new Set(counted.map(key))].sort().map((k) => [k, counted.filter((x) => key(x) === k)] as const);
  return api.GetPromotionFundingResponse.fromPartial({
    rows: groups((x) => `${x.province}|${x.line}`).map(([k, g]) => {
      const [province = '', line = ''] = k.split('|');
      return row({ province, line }, g);
    }),
    byHalfYear: groups((x) => x.half).map(([period, g]) => row({ period }, g)),
    total: row({}, counted),
  });
}

beforeAll(async () => {
  infra = await openTestInfra('insights-programme');
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
  service = await startInsights(
    parseConfig(insightsConfigSchema, {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: infra.databaseFor('insights_programme'),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      KAFKA_PARTITIONS: '3',
      CONSUMER_GROUP: 'insights-programme',
    }),
    infra.log,
  );
  client = createGrpcClient(api.InsightsServiceService, `127.0.0.1:${service.grpcPort}`, {
    deadlineMs: 20_000,
  });
  for (const s of schemes) await publishScheme(s);
}, 120_000);

afterAll(async () => {
  client?.close();
  await service?.stop();
  await publisher?.disconnect();
  await infra?.close();
});

const funding = (fromMonth = '', toMonth = '', province = '') =>
  client.getPromotionFunding({ filter: insightsV1.Filter.fromPartial({ fromMonth, toMonth, province }) });

describe('the non-state share of promotion money from the programme’s events', () => {
  it('answers by province and line, by half-year and in all, as computed from the schemes', async () => {
    const expected = expectedFunding();
    // Every event is in once the cancelled scheme no longer counts and the total holds every approved one.
    await waitFor(
      async () => {
        const got = await funding();
        return JSON.stringify(got) === JSON.stringify(expected) && got;
      },
      { timeoutMs: 60_000, what: 'the figures of every published scheme event' },
    );
    const got = await funding();
    expect(got).toEqual(expected);
    // Sanity of the independent computation itself: four schemes count, in three half-years.
    expect(got.total?.schemes).toBe(4);
    expect(got.byHalfYear.map((r) => r.period)).toEqual(['2025-H2', '2026-H1', '2026-H2']);
  });

  it('keeps to the months and the province asked for', async () => {
    expect(await funding('2026-01', '2026-06')).toEqual(expectedFunding('2026-01', '2026-06'));
    expect(await funding('', '', '24')).toEqual(expectedFunding('', '', '24'));
    expect((await funding('2026-07', '2026-07')).total?.schemes).toBe(1);
  });
});
