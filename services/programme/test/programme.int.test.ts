import {
  programmeServiceV1 as api,
  Events,
  programmeEventsV1 as ev,
  programmeV1 as pb,
  registryV1,
  Topics,
} from '@lienket/contracts';
import { headerText } from '@lienket/eventbus';
import {
  type Actor,
  actorMetadata,
  createGrpcClient,
  type PromiseClient,
  parseConfig,
} from '@lienket/platform';
import { grpcHealth, listGrpcServices, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { KafkaMessage } from 'kafkajs';
import { programmeConfigSchema } from '../src/config';
import { claimApproval } from '../src/domain/scheme';
import { startProgramme } from '../src/service';

let infra: TestInfra;
let service: Awaited<ReturnType<typeof startProgramme>>;
let client: PromiseClient<typeof api.ProgrammeServiceService>;
/** The service's clock: the wall clock unless a test sets a date (the report's periods). */
let clockAt: Date | undefined;

beforeAll(async () => {
  infra = await openTestInfra('programme');
  service = await startProgramme(
    parseConfig(programmeConfigSchema, {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: infra.dbName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      KAFKA_PARTITIONS: '2',
      RELAY_POLL_MS: '50',
      RECONCILE_INTERVAL_MS: '3600000',
    }),
    infra.log,
    { clock: () => clockAt ?? new Date() },
  );
  client = createGrpcClient(api.ProgrammeServiceService, `127.0.0.1:${service.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await infra.close();
});

const BN = '24'; // Bắc Ninh
const TN = '19'; // Thái Nguyên
const ministry: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'ministry-1' };
const officer = (provinceCode: string): Actor => ({
  role: 'province',
  enterpriseId: '',
  provinceCode,
  subject: `officer-${provinceCode}`,
});
const firm = (enterpriseId: string): Actor => ({
  role: 'enterprise',
  enterpriseId,
  provinceCode: '',
  subject: `u-${enterpriseId}`,
});
const analyst: Actor = { role: 'analyst', enterpriseId: '', provinceCode: '', subject: 'analyst-1' };
const as = (actor: Actor) => ({ metadata: actorMetadata(actor) });
const vnd = (n: number) => ({ vnd: n });
const L = pb.SupportLine;
const PROVINCIAL = pb.FundingSource.FUNDING_SOURCE_PROVINCIAL;
const NATIONAL = pb.FundingSource.FUNDING_SOURCE_NATIONAL;
const RURAL = registryV1.EnterpriseKind.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT;
const ofType = (type: string, key: string) => (m: KafkaMessage) =>
  headerText(m.headers, 'ce_type') === type && m.key?.toString() === key;

const funding = (
  state: number,
  counterpart: number,
  sponsor: number,
  source = PROVINCIAL,
): pb.FundingMix => ({
  cost: vnd(state + counterpart + sponsor),
  state: vnd(state),
  stateSource: source,
  counterpart: vnd(counterpart),
  sponsor: vnd(sponsor),
});

async function proposed(
  enterpriseId: string,
  year: number,
  mix: pb.FundingMix,
  over: Partial<api.ProposeSchemeRequest> = {},
) {
  const { scheme } = await client.proposeScheme(
    api.ProposeSchemeRequest.fromPartial({
      title: 'Sản xuất sạch hơn tại cơ sở gốm Phù Lãng',
      line: L.SUPPORT_LINE_CLEANER_PRODUCTION,
      year,
      province: BN,
      beneficiaryEnterpriseId: enterpriseId,
      beneficiaryKind: RURAL,
      funding: mix,
      ...over,
    }),
    as(firm(enterpriseId)),
  );
  return scheme as pb.Scheme;
}

const checklist = [
  { item: 'Hồ sơ pháp lý đầy đủ', passed: true },
  { item: 'Phù hợp nội dung khuyến công', passed: true },
];

async function appraised(
  enterpriseId: string,
  year: number,
  mix: pb.FundingMix,
  over: Partial<api.ProposeSchemeRequest> = {},
) {
  const scheme = await proposed(enterpriseId, year, mix, over);
  await client.appraiseScheme(
    { schemeId: scheme.schemeId, checklist, score: 80, reasons: 'Đạt yêu cầu', passed: true },
    as(officer(scheme.province)),
  );
  return scheme.schemeId;
}

describe('the service', () => {
  it('answers health and lists its service through reflection', async () => {
    const address = `127.0.0.1:${service.grpcPort}`;
    expect(await grpcHealth(address)).toBe('SERVING');
    expect(await listGrpcServices(address)).toEqual([
      'grpc.health.v1.Health',
      'lienket.programme.v1.ProgrammeService',
    ]);
  });

  it('seeds a year’s nine support-line rules once, stored, and lets only the ministry change one', async () => {
    const first = await client.listSupportLineRules({ year: 2031, source: NATIONAL }, as(officer(BN)));
    expect(first.rules).toHaveLength(9);
    const cleaner = first.rules.find(
      (r) => r.line === L.SUPPORT_LINE_CLEANER_PRODUCTION,
    ) as pb.SupportLineRule;
    await expect(
      client.setSupportLineRule({ rule: { ...cleaner, cap: vnd(1) } }, as(officer(BN))),
    ).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });
    await client.setSupportLineRule({ rule: { ...cleaner, cap: vnd(800_000_000) } }, as(ministry));
    const again = await client.listSupportLineRules({ year: 2031, source: NATIONAL }, as(analyst));
    expect(again.rules).toHaveLength(9);
    expect(again.rules.find((r) => r.line === L.SUPPORT_LINE_CLEANER_PRODUCTION)?.cap).toEqual(
      vnd(800_000_000),
    );
  });
});

describe('budgets under concurrent approvals', () => {
  it('approves exactly what fits: seven of ten racing approvals, the rest refused and appraised again, never below zero', async () => {
    const year = 2032;
    const share = 300_000_000;
    await client.setBudget(
      { year, source: PROVINCIAL, province: BN, total: vnd(7 * share) },
      as(officer(BN)),
    );
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push(await appraised(`ent-race-${i}`, year, funding(share, 350_000_000, 0)));

    const outcomes = await Promise.allSettled(
      ids.map((schemeId) => client.approveScheme({ schemeId }, as(officer(BN)))),
    );
    const approved = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(approved).toHaveLength(7);
    expect(refused).toHaveLength(3);
    for (const reason of refused)
      expect(reason).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'INSUFFICIENT_BUDGET' });

    const { budget } = await client.getBudget({ year, source: PROVINCIAL, province: BN }, as(officer(BN)));
    expect(budget).toMatchObject({ available: vnd(0), committed: vnd(7 * share), total: vnd(7 * share) });
    // What the store holds, read directly: seven reservations, matching the approved schemes.
    const stored = await service.store.findBudget(`${year}:provincial:${BN}`);
    expect(stored?.reservedSchemeIds).toHaveLength(7);
    const statuses = await Promise.all(ids.map(async (id) => (await service.store.findScheme(id))?.status));
    expect(statuses.filter((s) => s === 'approved')).toHaveLength(7);
    expect(statuses.filter((s) => s === 'appraised')).toHaveLength(3);
    expect(new Set(stored?.reservedSchemeIds)).toEqual(
      new Set(ids.filter((_, i) => statuses[i] === 'approved')),
    );

    // Lowering the total below what is committed is refused; cancelling gives the unpaid share back once.
    await expect(
      client.setBudget(
        { year, source: PROVINCIAL, province: BN, total: vnd(7 * share - 1) },
        as(officer(BN)),
      ),
    ).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT' });
    const cancelled = stored?.reservedSchemeIds[0] as string;
    await client.cancelScheme({ schemeId: cancelled, reason: 'Cơ sở ngừng hoạt động' }, as(officer(BN)));
    await client.cancelScheme({ schemeId: cancelled, reason: 'lặp lại' }, as(officer(BN)));
    const after = (await client.getBudget({ year, source: PROVINCIAL, province: BN }, as(officer(BN))))
      .budget;
    expect(after).toMatchObject({ available: vnd(share), committed: vnd(6 * share) });
  });

  it('finishes approvals a crash left claimed: completed with their reservation, reserved now if it fits, else reverted', async () => {
    const year = 2037;
    await client.setBudget(
      { year, source: PROVINCIAL, province: BN, total: vnd(600_000_000) },
      as(officer(BN)),
    );
    const [held, fits, noRoom] = [
      await appraised('ent-crash-1', year, funding(300_000_000, 350_000_000, 0)),
      await appraised('ent-crash-2', year, funding(300_000_000, 350_000_000, 0)),
      await appraised('ent-crash-3', year, funding(300_000_000, 350_000_000, 0)),
    ];
    const centre = service.programme.actorOf(officer(BN));
    // What a process that stopped after the claim (and, for the first, after the reservation) left behind.
    for (const id of [held, fits, noRoom]) {
      const current = (await service.store.findScheme(id)) as NonNullable<
        Awaited<ReturnType<typeof service.store.findScheme>>
      >;
      const rule = await service.programme.ruleFor(year, 'provincial', 'cleaner_production');
      const claimed = claimApproval(centre, current, rule, new Date());
      expect(
        await service.store.saveScheme({ ...claimed, version: current.version + 1 }, current.version, []),
      ).toBe(true);
      if (id === held)
        expect(await service.store.reserveBudget(claimed.budgetId, id, 300_000_000, [])).toBe('reserved');
    }
    clockAt = new Date(Date.now() + 120_000); // past APPROVAL_CLAIM_TIMEOUT_MS
    expect(await service.programme.reconcileApprovals()).toBeGreaterThanOrEqual(3);
    clockAt = undefined;
    const statuses = await Promise.all(
      [held, fits, noRoom].map(async (id) => (await service.store.findScheme(id))?.status),
    );
    // The order the job takes them in decides which of the last two gets the remaining 300m.
    expect(statuses[0]).toBe('approved');
    expect([...statuses.slice(1)].sort()).toEqual(['appraised', 'approved']);
    const budget = await service.store.findBudget(`${year}:provincial:${BN}`);
    expect(budget).toMatchObject({ availableVnd: 0, committedVnd: 600_000_000 });
    expect(budget?.reservedSchemeIds).toHaveLength(2);
  });

  it('lets only the ministry approve national money, and a centre only its own province', async () => {
    const year = 2033;
    await client.setBudget({ year, source: NATIONAL, province: '', total: vnd(1_000_000_000) }, as(ministry));
    const national = await appraised(
      'ent-nat',
      year,
      funding(400_000_000, 500_000_000, 100_000_000, NATIONAL),
    );
    await expect(client.approveScheme({ schemeId: national }, as(officer(BN)))).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
    const { scheme } = await client.approveScheme({ schemeId: national }, as(ministry));
    expect(scheme?.status).toBe(pb.SchemeStatus.SCHEME_STATUS_APPROVED);
    await expect(
      client.appraiseScheme(
        {
          schemeId: (await proposed('ent-x', year, funding(1, 1, 0))).schemeId,
          checklist,
          score: 1,
          reasons: 'x',
          passed: true,
        },
        as(officer(TN)),
      ),
    ).rejects.toMatchObject({ kind: 'PERMISSION_DENIED', code: 'OTHER_PROVINCE' });
    await expect(
      client.listSchemes(
        { province: BN, year, line: 0, statuses: [], beneficiaryEnterpriseId: '', page: undefined },
        as(analyst),
      ),
    ).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
  });
});

describe('a scheme’s life over gRPC', () => {
  it('refuses over-cap money and sums that do not add up with field errors', async () => {
    await expect(
      proposed('ent-over', 2034, { ...funding(600_000_000, 600_000_000, 0), cost: vnd(1_200_000_001) }),
    ).rejects.toMatchObject({
      kind: 'INVALID_ARGUMENT',
      code: 'FUNDING_REFUSED',
      violations: [
        expect.objectContaining({ field: 'funding', reason: 'does_not_add_up' }),
        expect.objectContaining({ field: 'funding.stateVnd', reason: 'above_cap' }),
        // 600,000,000 is one dong short of half of 1,200,000,001: exact, no rounding.
        expect.objectContaining({ field: 'funding.counterpartVnd', reason: 'below_counterpart_share' }),
      ],
    });
  });

  it('carries a cluster-site wastewater scheme to acceptance; the accepted scheme puts the site’s treatment in operation by event', async () => {
    const year = 2035;
    await client.setBudget(
      { year, source: PROVINCIAL, province: BN, total: vnd(5_000_000_000) },
      as(officer(BN)),
    );
    const { site } = await client.registerSite(
      {
        name: 'CCN Phong Khê',
        province: BN,
        operator: 'Công ty CP Hạ tầng Phong Khê',
        areaHectares: 62.4,
        occupancyPercent: 91,
        tenantEnterpriseIds: ['ent-site-op'],
        treatment: pb.TreatmentState.TREATMENT_STATE_DEGRADED,
      },
      as(officer(BN)),
    );
    const siteId = site?.siteId as string;
    const schemeId = await appraised(
      'ent-site-op',
      year,
      funding(3_000_000_000, 1_500_000_000, 500_000_000),
      {
        title: 'Nâng cấp trạm xử lý nước thải tập trung CCN Phong Khê',
        line: L.SUPPORT_LINE_CLUSTER_SITE_INFRASTRUCTURE,
        beneficiaryKind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
        siteId,
        pollutionTreatment: true,
      },
    );
    const officerBN = as(officer(BN));
    await client.approveScheme({ schemeId }, officerBN);
    const { pledge } = await client.makePledge(
      {
        sponsorId: 'sp-jica',
        sponsorName: 'Tổ chức Hợp tác Quốc tế',
        sponsorKind: pb.SponsorKind.SPONSOR_KIND_FOREIGN_ORGANISATION,
        targetSchemeId: '',
        targetLine: 0,
        targetProvince: BN,
        amount: vnd(500_000_000),
      },
      as(ministry),
    );
    await client.matchPledge({ pledgeId: pledge?.pledgeId as string, schemeId }, officerBN);
    await client.receivePledge({ pledgeId: pledge?.pledgeId as string }, officerBN);
    await client.contractScheme({ schemeId, contractNumber: 'HĐ-15/2035/KC' }, officerBN);
    await client.recordMilestone(
      { schemeId, milestoneId: 'm1', title: 'Hoàn thành lắp đặt', evidence: ['bien-ban.pdf'] },
      officerBN,
    );
    for (const [source, amount, reference] of [
      ['state', 3_000_000_000, 'KBNN-01'],
      ['counterpart', 1_500_000_000, 'DU-01'],
      ['state', 3_000_000_000, 'KBNN-01'], // the same payment again: no change
    ] as const)
      await client.recordDisbursement({ schemeId, source, amount: vnd(amount), reference }, officerBN);
    const outcomes = {
      jobs: 0,
      output: vnd(0),
      energySavedKwh: 120_000,
      emissionsCutTonnesCo2e: 85,
      firmsReached: 37,
    };
    await client.acceptScheme({ schemeId, outcomes }, officerBN);
    const { scheme } = await client.settleScheme({ schemeId }, officerBN);
    expect(scheme).toMatchObject({ status: pb.SchemeStatus.SCHEME_STATUS_SETTLED, outcomes });
    expect(scheme?.disbursements).toHaveLength(2);

    const changed = await waitFor(
      async () => {
        const s = (await client.getSite({ siteId }, officerBN)).site;
        return s?.treatment === pb.TreatmentState.TREATMENT_STATE_OPERATING && s;
      },
      { timeoutMs: 30_000, what: 'the site operating' },
    );
    expect(changed.treatmentHistory.map((h) => [h.state, h.schemeId])).toEqual([
      [pb.TreatmentState.TREATMENT_STATE_DEGRADED, ''],
      [pb.TreatmentState.TREATMENT_STATE_OPERATING, schemeId],
    ]);
    // Each transition is an event on the scheme's topic, the site's change on the site's.
    const [accepted] = await infra.collect(Topics.programmeScheme, 1, {
      filter: ofType(Events.schemeAccepted.type, schemeId),
      timeoutMs: 20_000,
    });
    expect(ev.SchemeAccepted.decode(accepted?.value as Buffer).facts).toMatchObject({
      schemeId,
      siteId,
      pollutionTreatment: true,
    });
    await infra.collect(Topics.programmeScheme, 1, {
      filter: ofType(Events.schemeSettled.type, schemeId),
      timeoutMs: 20_000,
    });
    await infra.collect(Topics.programmeSite, 1, {
      filter: ofType(Events.siteTreatmentChanged.type, siteId),
      timeoutMs: 20_000,
    });

    // The beneficiary sees its scheme; another establishment does not.
    expect((await client.getScheme({ schemeId }, as(firm('ent-site-op')))).scheme?.schemeId).toBe(schemeId);
    await expect(client.getScheme({ schemeId }, as(firm('ent-other')))).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });
  });

  it('tracks a province’s plan against its targets', async () => {
    const year = 2036;
    await client.setBudget(
      { year, source: PROVINCIAL, province: TN, total: vnd(2_000_000_000) },
      as(officer(TN)),
    );
    await client.setPlan(
      {
        year,
        province: TN,
        targets: [{ line: L.SUPPORT_LINE_TRAINING, schemes: 3, state: vnd(600_000_000), beneficiaries: 3 }],
      },
      as(officer(TN)),
    );
    const training = { line: L.SUPPORT_LINE_TRAINING, province: TN };
    const ids = [
      await appraised('ent-tn-1', year, funding(200_000_000, 0, 0), training),
      await appraised('ent-tn-2', year, funding(150_000_000, 50_000_000, 0), training),
    ];
    for (const schemeId of ids) await client.approveScheme({ schemeId }, as(officer(TN)));
    await proposed('ent-tn-3', year, funding(100_000_000, 0, 0), training); // proposed only: not counted
    const { progress } = await client.getPlanProgress({ year, province: TN }, as(analyst));
    expect(progress).toEqual([
      {
        line: L.SUPPORT_LINE_TRAINING,
        target: { line: L.SUPPORT_LINE_TRAINING, schemes: 3, state: vnd(600_000_000), beneficiaries: 3 },
        schemes: 2,
        state: vnd(350_000_000),
        beneficiaries: 2,
      },
    ]);
  });
});

describe('the province report', () => {
  afterEach(() => {
    clockAt = undefined;
  });

  it('counts a year’s schemes by line and status, money by source, beneficiaries, outcomes and sites treated, as of each period’s end', async () => {
    const year = 2040;
    const HP = '31'; // Hải Phòng
    const centre = as(officer(HP));
    clockAt = new Date(Date.UTC(year, 1, 10));
    await client.setBudget({ year, source: PROVINCIAL, province: HP, total: vnd(1_000_000_000) }, centre);
    await client.setBudget(
      { year, source: NATIONAL, province: '', total: vnd(10_000_000_000) },
      as(ministry),
    );
    const { site } = await client.registerSite(
      {
        name: 'CCN Tân Liên',
        province: HP,
        operator: 'Ban quản lý CCN',
        areaHectares: 40,
        occupancyPercent: 80,
        tenantEnterpriseIds: [],
        treatment: pb.TreatmentState.TREATMENT_STATE_NONE,
      },
      centre,
    );
    const siteId = site?.siteId as string;
    // A cleaner-production scheme: 300m provincial + 400m counterpart + 100m from a sponsor.
    const cleaner = await appraised('ent-hp-1', year, funding(300_000_000, 400_000_000, 100_000_000), {
      province: HP,
    });
    // A cluster-site wastewater scheme on national money: 2,000m state + 1,200m counterpart + 500m sponsor.
    const wastewater = await appraised(
      'ent-hp-2',
      year,
      funding(2_000_000_000, 1_200_000_000, 500_000_000, NATIONAL),
      {
        province: HP,
        line: L.SUPPORT_LINE_CLUSTER_SITE_INFRASTRUCTURE,
        beneficiaryKind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
        siteId,
        pollutionTreatment: true,
      },
    );
    await proposed('ent-hp-3', year, funding(100_000_000, 100_000_000, 0), { province: HP }); // only proposed
    const refused = await proposed('ent-hp-4', year, funding(100_000_000, 100_000_000, 0), { province: HP });
    await client.rejectScheme({ schemeId: refused.schemeId, reason: 'Trùng nội dung' }, centre);
    await client.approveScheme({ schemeId: cleaner }, centre);
    await client.approveScheme({ schemeId: wastewater }, as(ministry));

    const pledge = async (schemeId: string, amount: number) => {
      const made = await client.makePledge(
        {
          sponsorId: `sp-${amount}`,
          sponsorName: 'Quỹ Môi trường Xanh',
          sponsorKind: pb.SponsorKind.SPONSOR_KIND_DOMESTIC_ORGANISATION,
          targetSchemeId: schemeId,
          targetLine: 0,
          targetProvince: '',
          amount: vnd(amount),
        },
        as(ministry),
      );
      const pledgeId = made.pledge?.pledgeId as string;
      await client.matchPledge({ pledgeId, schemeId }, centre);
      await client.receivePledge({ pledgeId }, centre);
    };
    const carry = async (
      schemeId: string,
      state: number,
      counterpart: number,
      sponsor: number,
      outcomes: pb.Outcomes,
    ) => {
      await pledge(schemeId, sponsor);
      await client.contractScheme({ schemeId, contractNumber: `HĐ-${schemeId.slice(-4)}` }, centre);
      await client.recordMilestone(
        { schemeId, milestoneId: 'm1', title: 'Nghiệm thu kỹ thuật', evidence: ['bb.pdf'] },
        centre,
      );
      await client.recordDisbursement(
        { schemeId, source: 'state', amount: vnd(state), reference: `S-${schemeId}` },
        centre,
      );
      await client.recordDisbursement(
        { schemeId, source: 'counterpart', amount: vnd(counterpart), reference: `C-${schemeId}` },
        centre,
      );
      await client.acceptScheme({ schemeId, outcomes }, centre);
    };
    const cleanerOutcomes = {
      jobs: 8,
      output: vnd(2_500_000_000),
      energySavedKwh: 40_000,
      emissionsCutTonnesCo2e: 22.5,
      firmsReached: 1,
    };
    const siteOutcomes = {
      jobs: 0,
      output: vnd(0),
      energySavedKwh: 0,
      emissionsCutTonnesCo2e: 150,
      firmsReached: 26,
    };
    clockAt = new Date(Date.UTC(year, 4, 20)); // May: the cleaner-production scheme is accepted
    await carry(cleaner, 300_000_000, 400_000_000, 100_000_000, cleanerOutcomes);
    clockAt = new Date(Date.UTC(year, 8, 15)); // September: the wastewater scheme is accepted
    await carry(wastewater, 2_000_000_000, 1_200_000_000, 500_000_000, siteOutcomes);
    await waitFor(
      async () =>
        (await client.getSite({ siteId }, centre)).site?.treatment ===
        pb.TreatmentState.TREATMENT_STATE_OPERATING,
      { timeoutMs: 30_000, what: 'the site operating' },
    );

    // Figures computed here from the amounts above, not by the service's code.
    const cost = 800_000_000 + 3_700_000_000;
    const nonState = 400_000_000 + 100_000_000 + 1_200_000_000 + 500_000_000;
    const annual = (await client.getProvinceReport({ year, province: HP, period: 2 }, as(analyst))).report;
    expect(annual?.committed).toEqual({
      cost: vnd(cost),
      stateNational: vnd(2_000_000_000),
      stateProvincial: vnd(300_000_000),
      counterpart: vnd(1_600_000_000),
      sponsor: vnd(600_000_000),
      nonStateShareBasisPoints: Math.floor((nonState * 10_000) / cost), // 4888: 48.88 % non-state
    });
    expect(annual?.paid).toEqual({
      state: vnd(2_300_000_000),
      counterpart: vnd(1_600_000_000),
      sponsorReceived: vnd(600_000_000),
    });
    expect(annual).toMatchObject({ beneficiaries: 2, schemesAccepted: 2, sitesTreated: 1 });
    expect(annual?.outcomes).toEqual({
      jobs: 8,
      output: vnd(2_500_000_000),
      energySavedKwh: 40_000,
      emissionsCutTonnesCo2e: 172.5,
      firmsReached: 27,
    });
    const S = pb.SchemeStatus;
    expect(annual?.schemesByLineAndStatus).toEqual([
      { line: L.SUPPORT_LINE_CLEANER_PRODUCTION, status: S.SCHEME_STATUS_ACCEPTED, schemes: 1 },
      { line: L.SUPPORT_LINE_CLEANER_PRODUCTION, status: S.SCHEME_STATUS_PROPOSED, schemes: 1 },
      { line: L.SUPPORT_LINE_CLEANER_PRODUCTION, status: S.SCHEME_STATUS_REJECTED, schemes: 1 },
      { line: L.SUPPORT_LINE_CLUSTER_SITE_INFRASTRUCTURE, status: S.SCHEME_STATUS_ACCEPTED, schemes: 1 },
    ]);

    // At 30 June the wastewater scheme was approved but not yet contracted, paid or accepted.
    const half = (await client.getProvinceReport({ year, province: HP, period: 1 }, centre)).report;
    expect(half?.paid).toEqual({
      state: vnd(300_000_000),
      counterpart: vnd(400_000_000),
      sponsorReceived: vnd(100_000_000),
    });
    expect(half).toMatchObject({ schemesAccepted: 1, sitesTreated: 0, beneficiaries: 2 });
    expect(half?.schemesByLineAndStatus).toContainEqual({
      line: L.SUPPORT_LINE_CLUSTER_SITE_INFRASTRUCTURE,
      status: S.SCHEME_STATUS_APPROVED,
      schemes: 1,
    });

    // Another province's centre and an establishment do not read it.
    await expect(
      client.getProvinceReport({ year, province: HP, period: 2 }, as(officer(BN))),
    ).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
    await expect(
      client.getProvinceReport({ year, province: HP, period: 2 }, as(firm('ent-hp-1'))),
    ).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
  });
});
