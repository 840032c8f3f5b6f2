import {
  registryServiceV1 as api,
  Events,
  matchmakingEventsV1,
  registryEventsV1,
  registryV1,
  Topics,
} from '@lienket/contracts';
import { createEventPublisher, encodeEvent, headerText } from '@lienket/eventbus';
import {
  type Actor,
  AppError,
  actorMetadata,
  createGrpcClient,
  type PromiseClient,
  parseConfig,
} from '@lienket/platform';
import { listGrpcServices, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { KafkaMessage } from 'kafkajs';
import { createMongoRegistryStore, ensureRegistryIndexes } from '../src/adapters/mongo/store';
import { importEnterprises } from '../src/cli/importer';
import { registryConfigSchema } from '../src/config';
import { defaultPostingRules, openPostingLimit, postCapability } from '../src/domain/postings';
import { startRegistry } from '../src/service';
import { validTaxCode } from './fixtures';

let infra: TestInfra;
let service: Awaited<ReturnType<typeof startRegistry>>;
let client: PromiseClient<typeof api.RegistryServiceService>;
let clockOffsetDays = 0;
const DAY = 86_400_000;

const config = () =>
  parseConfig(registryConfigSchema, {
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: infra.dbName,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '3',
    RELAY_POLL_MS: '50',
    EXPIRY_INTERVAL_MS: '3600000',
    MAX_OPEN_POSTINGS: '3',
  });

const start = (relay = true) =>
  startRegistry(config(), infra.log, { clock: () => new Date(Date.now() + clockOffsetDays * DAY), relay });

beforeAll(async () => {
  infra = await openTestInfra('registry');
  service = await start();
  client = createGrpcClient(api.RegistryServiceService, `127.0.0.1:${service.grpcPort}`);
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await infra.close();
});

const admin: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'admin-1' };
const officer = (provinceCode: string): Actor => ({
  role: 'province',
  enterpriseId: '',
  provinceCode,
  subject: `officer-${provinceCode}`,
});
const as = (actor: Actor) => ({ metadata: actorMetadata(actor) });
const firm = (enterpriseId: string): Actor => ({
  role: 'enterprise',
  enterpriseId,
  provinceCode: '',
  subject: `user-${enterpriseId}`,
});

const taxCode = validTaxCode;

const input = (overrides: Partial<api.EnterpriseInput> = {}): api.EnterpriseInput =>
  api.EnterpriseInput.fromPartial({
    taxCode: taxCode(Math.floor(Math.random() * 90_000_000)),
    name: 'Công ty TNHH Bao bì Thái Nguyên',
    kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
    supportingIndustry: true,
    provinceCode: '19',
    primaryVsic: '1702',
    contact: { person: 'Trần Thị Bình', phone: '0987654321', email: 'binh@baobi-tn.vn' },
    ...overrides,
  });

const register = async (overrides: Partial<api.EnterpriseInput> = {}) =>
  (await client.registerEnterprise({ enterprise: input(overrides) }, as(admin)))
    .enterprise as registryV1.Enterprise;

const withId = (id: string) => (m: KafkaMessage) => headerText(m.headers, 'ce_subject') === id;

describe('registering enterprises', () => {
  it('persists, answers with the profile and emits exactly EnterpriseRegistered, with no contact data', async () => {
    const created = await register({ provinceCode: '06' }); // Bắc Kạn, merged into Thái Nguyên
    expect(created.province).toMatchObject({ code: '19', legacyCode: '06', name: 'Thái Nguyên' });
    expect(created.verification?.status).toBe(registryV1.VerificationStatus.VERIFICATION_STATUS_UNVERIFIED);

    const [message] = await infra.collect(Topics.registryEnterprise, 1, { filter: withId(created.id) });
    expect(message?.key?.toString()).toBe(created.id);
    expect(headerText(message?.headers, 'ce_type')).toBe(Events.enterpriseRegistered.type);
    expect(headerText(message?.headers, 'ce_source')).toBe('/lienket/registry');
    const payload = registryEventsV1.EnterpriseRegistered.decode(message?.value as Buffer);
    expect(payload.enterprise).toMatchObject({
      id: created.id,
      taxCode: created.taxCode,
      province: { code: '19' },
    });
    expect(payload.legacyProvinceCode).toBe('06');
    const bytes = Buffer.from(message?.value ?? Buffer.alloc(0)).toString('latin1');
    expect(bytes).not.toContain('0987654321');
    expect(bytes).not.toContain('binh@baobi-tn.vn');

    const fetched = await client.getEnterprise({ enterpriseId: created.id });
    expect(fetched.enterprise?.name).toBe('Công ty TNHH Bao bì Thái Nguyên');
  });

  it('refuses a duplicate tax code with ALREADY_EXISTS', async () => {
    const code = taxCode(424_242);
    await register({ taxCode: code });
    const error = await client
      .registerEnterprise({ enterprise: input({ taxCode: code }) }, as(admin))
      .catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'ALREADY_EXISTS', code: 'DUPLICATE_TAX_CODE' });
  });

  it('refuses bad input with INVALID_ARGUMENT and field details', async () => {
    const error = await client
      .registerEnterprise(
        { enterprise: input({ taxCode: '0100109107', provinceCode: '99', primaryVsic: '' }) },
        as(admin),
      )
      .catch((e) => e);
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(error.violations.map((v: { field: string }) => v.field).sort()).toEqual([
      'enterprise.primaryVsic',
      'enterprise.provinceCode',
      'enterprise.taxCode',
    ]);
    expect(error.violations[0].descriptionVi).toBeTruthy();
  });

  it('refuses anonymous callers', async () => {
    const error = await client.registerEnterprise({ enterprise: input() }).catch((e) => e);
    expect(error.kind).toBe('UNAUTHENTICATED');
  });
});

describe('provincial verification', () => {
  it('refuses an officer of another province, and lets the own province verify', async () => {
    const created = await register({ provinceCode: '24' }); // Bắc Ninh
    const denied = await client
      .verifyEnterprise(
        {
          enterpriseId: created.id,
          decision: api.VerificationDecision.VERIFICATION_DECISION_VERIFY,
          reason: '',
        },
        as(officer('19')),
      )
      .catch((e) => e);
    expect(denied).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'OTHER_PROVINCE' });

    const verified = await client.verifyEnterprise(
      {
        enterpriseId: created.id,
        decision: api.VerificationDecision.VERIFICATION_DECISION_VERIFY,
        reason: '',
      },
      as(officer('24')),
    );
    expect(verified.enterprise?.verification?.status).toBe(
      registryV1.VerificationStatus.VERIFICATION_STATUS_VERIFIED,
    );
    const lead = await client.setLeadFirm({ enterpriseId: created.id, leadFirm: true }, as(officer('24')));
    expect(lead.enterprise?.leadFirm).toBe(true);

    const events = await infra.collect(Topics.registryEnterprise, 3, { filter: withId(created.id) });
    expect(events.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.enterpriseRegistered.type,
      Events.enterpriseVerified.type,
      Events.leadFirmDesignated.type,
    ]);
    const again = await client
      .verifyEnterprise(
        {
          enterpriseId: created.id,
          decision: api.VerificationDecision.VERIFICATION_DECISION_REJECT,
          reason: 'changed',
        },
        as(officer('24')),
      )
      .catch((e) => e);
    expect(again).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ALREADY_DECIDED' });
  });
});

describe('postings', () => {
  it('posts and closes a need with exactly its events; illegal transitions are refused', async () => {
    const buyer = await register({
      name: 'HTX Chè Tân Cương',
      kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE,
    });
    const posted = await client.postNeed(
      {
        need: api.NeedInput.fromPartial({
          enterpriseId: buyer.id,
          title: 'Cần 5.000 thùng carton mỗi tháng',
          category: registryV1.NeedCategory.NEED_CATEGORY_MATERIAL,
          hsCodes: ['4819'],
          quantityPerMonth: { value: 5000, unit: 'carton' },
        }),
      },
      as(firm(buyer.id)),
    );
    const need = posted.need as registryV1.Need;
    expect(need).toMatchObject({ status: registryV1.NeedStatus.NEED_STATUS_OPEN, province: '19' });

    const other = await client
      .closeNeed({ needId: need.id, reason: 'x' }, as(firm('someone-else')))
      .catch((e) => e);
    expect(other.kind).toBe('PERMISSION_DENIED');
    await client.closeNeed({ needId: need.id, reason: 'Đã tìm được nhà cung cấp' }, as(firm(buyer.id)));
    const illegal = await client.fulfilNeed({ needId: need.id }, as(firm(buyer.id))).catch((e) => e);
    expect(illegal).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });

    const events = await infra.collect(Topics.registryNeed, 2, { filter: withId(need.id) });
    expect(events.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.needPosted.type,
      Events.needClosed.type,
    ]);
    const postedEvent = registryEventsV1.NeedPosted.decode(events[0]?.value as Buffer);
    expect(postedEvent.need).toMatchObject({
      id: need.id,
      hsCodes: ['4819'],
      quantityPerMonth: { value: 5000, unit: 'carton' },
    });
    expect(registryEventsV1.NeedClosed.decode(events[1]?.value as Buffer)).toEqual({
      needId: need.id,
      enterpriseId: buyer.id,
      reason: 'Đã tìm được nhà cung cấp',
    });
  });

  it('bounds the open postings of one enterprise and frees a slot on withdrawal', async () => {
    const supplier = await register({ name: 'Công ty Cơ khí Phổ Yên' });
    const post = () =>
      client.postCapability(
        {
          capability: api.CapabilityInput.fromPartial({
            enterpriseId: supplier.id,
            title: 'Gia công cơ khí chính xác',
            vsicCodes: ['2592'],
            monthlyCapacity: { value: 10_000, unit: 'chi tiết' },
          }),
        },
        as(firm(supplier.id)),
      );
    const first = (await post()).capability as registryV1.Capability;
    await post();
    await post();
    const fourth = await post().catch((e) => e);
    expect(fourth).toMatchObject({ kind: 'RESOURCE_EXHAUSTED', code: 'OPEN_POSTING_LIMIT' });
    await client.withdrawCapability(
      { capabilityId: first.id, reason: 'hết công suất' },
      as(firm(supplier.id)),
    );
    await expect(post()).resolves.toBeDefined();
  });
});

describe('open-posting slots', () => {
  it('never lets concurrent postings exceed the limit, from this process or another', async () => {
    const firm1 = await register({ name: 'HTX Gốm Bát Tràng' });
    const enterprise = await service.registry.getEnterprise(firm1.id);
    const capability = (n: number) =>
      api.CapabilityInput.fromPartial({
        enterpriseId: firm1.id,
        title: `Gốm sứ men lam ${n}`,
        vsicCodes: ['2393'],
        monthlyCapacity: { value: 500, unit: 'bộ' },
      });
    // Another registry process: its own store, with no hint of which slots are taken.
    const other = createMongoRegistryStore(infra.connection, () => 'red_river_delta');
    const viaOther = (n: number) => {
      const input = {
        ...{ enterpriseId: firm1.id, title: `Gốm sứ men lam khác ${n}`, description: '', hsCodes: [] },
        ...{ vsicCodes: ['2393'], monthlyCapacity: { value: 500, unit: 'bộ' }, minimumOrder: null },
        ...{ leadTimeDays: 0, servedProvinces: [], servedRegions: [], certifications: [] },
        ...{ priceBand: null, validUntil: null },
      };
      const posting = postCapability(enterprise, input, `other-${n}-${Date.now()}`, new Date());
      return other.insertPosting(posting, [], 3).then((inserted) => {
        if (!inserted) throw openPostingLimit({ ...defaultPostingRules, maxOpenPostings: 3 });
      });
    };
    const attempts = await Promise.allSettled([
      ...Array.from({ length: 9 }, (_, n) =>
        client.postCapability({ capability: capability(n) }, as(firm(firm1.id))),
      ),
      ...Array.from({ length: 4 }, (_, n) => viaOther(n)),
    ]);
    const refused = attempts
      .filter((a) => a.status === 'rejected')
      .map((a) => (a as PromiseRejectedResult).reason);
    expect(attempts.length - refused.length).toBe(3);
    for (const reason of refused) expect(reason).toMatchObject({ code: 'OPEN_POSTING_LIMIT' });
    const postings = service.db.collection<{
      _id: string;
      enterpriseId: string;
      status: string;
      slot: string;
    }>('postings');
    const open = await postings.find({ enterpriseId: firm1.id, status: 'open' }).toArray();
    expect(open.map((p) => p.slot).sort()).toEqual([0, 1, 2].map((n) => `${firm1.id}#${n}`));
    // Closing leaves the slot in the same write: one more fits, then the limit holds again.
    const withdrawn = open[0] as { _id: string };
    await client.withdrawCapability({ capabilityId: withdrawn._id, reason: 'hết hàng' }, as(firm(firm1.id)));
    expect((await postings.findOne({ _id: withdrawn._id }))?.slot).toBe(withdrawn._id);
    await expect(
      client.postCapability({ capability: capability(20) }, as(firm(firm1.id))),
    ).resolves.toBeDefined();
    await expect(
      client.postCapability({ capability: capability(21) }, as(firm(firm1.id))),
    ).rejects.toMatchObject({
      code: 'OPEN_POSTING_LIMIT',
    });
  });

  it('gives the postings stored before slots one when the indexes are built', async () => {
    const legacy = infra.connection.useDb(`${infra.dbName}_legacy`);
    const stored = legacy.db?.collection<Record<string, unknown> & { _id: string }>('postings');
    const base = { kind: 'capability', enterpriseId: 'e1', province: '01', version: 1 };
    await stored?.insertMany([
      { _id: 'p1', ...base, status: 'open' },
      { _id: 'p2', ...base, status: 'withdrawn' },
      { _id: 'p3', ...base, status: 'open' },
      { _id: 'p4', ...base, enterpriseId: 'e2', status: 'open' },
    ]);
    await ensureRegistryIndexes(legacy);
    const slots = Object.fromEntries((await stored?.find().toArray())?.map((d) => [d._id, d.slot]) ?? []);
    expect(slots).toEqual({ p1: 'e1#0', p2: 'p2', p3: 'e1#1', p4: 'e2#0' });
    await expect(
      stored?.insertOne({ _id: 'p5', ...base, status: 'open', slot: 'e1#1' }),
    ).rejects.toMatchObject({
      code: 11000,
    });
    await legacy.dropDatabase();
  });
});

describe('search', () => {
  it('filters and counts facets over a seeded set', async () => {
    const marker = `Seeded${Date.now()}`;
    const seeded = [
      {
        provinceCode: '01',
        primaryVsic: '1629',
        kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE,
      },
      { provinceCode: '01', primaryVsic: '2310', kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE },
      { provinceCode: '27', primaryVsic: '1621', kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE }, // legacy Bắc Ninh → 24
      {
        provinceCode: '24',
        primaryVsic: '1629',
        kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_HOUSEHOLD_BUSINESS,
      },
      { provinceCode: '79', primaryVsic: '2220', kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE },
    ];
    const names = ['Một', 'Hai', 'Ba', 'Bốn', 'Năm'];
    for (const [i, s] of seeded.entries()) await register({ ...s, name: `${marker} Cơ sở ${names[i]}` });

    const search = (filter: Partial<api.EnterpriseFilter>, facets: string[] = []) =>
      client.searchEnterprises({
        filter: api.EnterpriseFilter.fromPartial({ text: marker, ...filter }),
        page: { pageSize: 2, pageToken: '' },
        facets,
      });

    const all = await search({}, ['province', 'region', 'vsic_division', 'kind']);
    expect(all.page?.totalSize).toBe(5);
    expect(all.enterprises).toHaveLength(2);
    const facet = (name: string) =>
      Object.fromEntries(
        (all.facets.find((f) => f.name === name)?.counts ?? []).map((c) => [c.value, c.count]),
      );
    expect(facet('province')).toEqual({ '01': 2, '24': 2, '79': 1 });
    expect(facet('region')).toEqual({ RRD: 4, SE: 1 });
    expect(facet('vsic_division')).toEqual({ '16': 3, '23': 1, '22': 1 });
    expect(facet('kind')).toEqual({ enterprise: 3, cooperative: 1, household_business: 1 });

    // Paging walks every item once, newest first.
    const seen: string[] = [];
    let token = '';
    do {
      const page = await client.searchEnterprises({
        filter: api.EnterpriseFilter.fromPartial({ text: marker }),
        page: { pageSize: 2, pageToken: token },
        facets: [],
      });
      seen.push(...page.enterprises.map((e) => e.name));
      token = page.page?.nextPageToken ?? '';
    } while (token);
    expect(seen).toEqual(['Năm', 'Bốn', 'Ba', 'Hai', 'Một'].map((n) => `${marker} Cơ sở ${n}`));

    expect((await search({ vsicPrefix: '16' })).page?.totalSize).toBe(3);
    expect((await search({ vsicPrefix: '162' })).page?.totalSize).toBe(3);
    expect((await search({ vsicPrefix: '1621' })).page?.totalSize).toBe(1);
    expect((await search({ provinceCodes: ['24'] })).page?.totalSize).toBe(2);
    expect((await search({ regions: ['SE'] })).page?.totalSize).toBe(1);
    // Diacritics-insensitive, by prefix.
    expect((await search({ text: `${marker} co so bon` })).enterprises.map((e) => e.name)).toEqual([
      `${marker} Cơ sở Bốn`,
    ]);
  });
});

describe('contacts', () => {
  it('are released to the enterprise and its province officers, and refused to others until a match', async () => {
    const owner = await register({ provinceCode: '31' });
    const read = (actor: Actor) => client.getContact({ enterpriseId: owner.id, matchId: '' }, as(actor));
    expect((await read(firm(owner.id))).contact).toMatchObject({ phone: '0987654321' });
    expect((await read(officer('31'))).contact?.email).toBe('binh@baobi-tn.vn');
    for (const actor of [firm('another'), officer('01'), { ...admin, role: 'analyst' } as Actor]) {
      await expect(read(actor)).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });
    }
    await expect(
      client.getContact({ enterpriseId: owner.id, matchId: 'm-1' }, as(firm('another'))),
    ).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'CONTACT_NOT_RELEASED',
    });
  });
});

describe('established matches (the linkages consumer, on batches)', () => {
  it('release each contact to the other party once, however often the batch is delivered', async () => {
    const buyer = await register({ provinceCode: '31' });
    const supplier = await register({ provinceCode: '01' });
    const publisher = await createEventPublisher({
      kafka: infra.kafka,
      source: '/lienket/matchmaking',
      topicPrefix: infra.topicPrefix,
      log: infra.log,
    });
    try {
      const linkage = (proposalId: string) =>
        encodeEvent(
          Events.linkageEstablished,
          matchmakingEventsV1.LinkageEstablished.fromPartial({
            proposalId,
            buyerEnterpriseId: buyer.id,
            supplierEnterpriseId: supplier.id,
          }),
          { id: `linkage-${proposalId}`, source: '/lienket/matchmaking', key: proposalId, time: new Date() },
        );
      // The same events three times (a relay re-run, a replay), in one produce: one batch.
      const events = [linkage('m-batch-1'), linkage('m-batch-2')];
      await publisher.publishEncoded([...events, ...events, ...events]);
      const grants = infra.db.collection('contact_grants');
      await waitFor(
        async () => (await grants.countDocuments({ matchId: { $in: ['m-batch-1', 'm-batch-2'] } })) === 4,
        {
          what: 'the grants of both matches',
        },
      );
      const contact = await client.getContact(
        { enterpriseId: supplier.id, matchId: 'm-batch-1' },
        as(firm(buyer.id)),
      );
      expect(contact.contact?.phone).toBe('0987654321');
      await expect(
        client.getContact({ enterpriseId: buyer.id, matchId: 'm-batch-1' }, as(firm('another'))),
      ).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });
      // Delivered again later (a crash before the commit): nothing changes.
      const before = await grants.find({ matchId: 'm-batch-1' }).sort({ _id: 1 }).toArray();
      await publisher.publishEncoded([linkage('m-batch-1'), linkage('m-batch-3')]);
      await waitFor(async () => (await grants.countDocuments({ matchId: 'm-batch-3' })) === 2, {
        what: 'the grants of the match after the replay',
      });
      expect(await grants.find({ matchId: 'm-batch-1' }).sort({ _id: 1 }).toArray()).toEqual(before);
    } finally {
      await publisher.disconnect();
    }
  });
});

describe('crash between write and publish', () => {
  it('publishes the event exactly once after restart', async () => {
    // An instance that writes but dies before its relay publishes anything.
    const doomed = await start(false);
    const doomedClient = createGrpcClient(api.RegistryServiceService, `127.0.0.1:${doomed.grpcPort}`);
    const created = (await doomedClient.registerEnterprise({ enterprise: input() }, as(admin)))
      .enterprise as registryV1.Enterprise;
    doomedClient.close();
    await doomed.stop();

    // The running instance's relay (the restarted process) drains it.
    await waitFor(async () => (await service.relay.backlog()) === 0, { what: 'the backlog to drain' });
    const all = await infra.readAll(Topics.registryEnterprise);
    expect(all.filter(withId(created.id))).toHaveLength(1);
  });
});

describe('expiry job', () => {
  it('warns 14 days ahead, then expires, once each even with two instances', async () => {
    const owner = await register({ name: 'Công ty Nhựa Bắc Ninh', provinceCode: '24' });
    const posted = await client.postCapability(
      {
        capability: api.CapabilityInput.fromPartial({
          enterpriseId: owner.id,
          title: 'Ép nhựa linh kiện',
          vsicCodes: ['2220'],
          monthlyCapacity: { value: 50_000, unit: 'chi tiết' },
          validUntil: new Date(Date.now() + 20 * DAY),
        }),
      },
      as(firm(owner.id)),
    );
    const id = (posted.capability as registryV1.Capability).id;
    const second = await start(false);
    try {
      clockOffsetDays = 7; // 13 days left
      const warned = await Promise.all([service.registry.runExpiry(), second.registry.runExpiry()]);
      expect(warned.reduce((n, r) => n + r.warned, 0)).toBe(1);
      clockOffsetDays = 21;
      const expired = await Promise.all([service.registry.runExpiry(), second.registry.runExpiry()]);
      expect(expired.reduce((n, r) => n + r.expired, 0)).toBe(1);
    } finally {
      clockOffsetDays = 0;
      await second.stop();
    }
    const seenTypes: string[] = [];
    const events = await infra
      .collect(Topics.registryCapability, 3, {
        filter: (m) => {
          if (withId(id)(m)) seenTypes.push(String(headerText(m.headers, 'ce_type')));
          return withId(id)(m);
        },
      })
      .catch((e) => {
        throw new Error(
          `${e.message}; saw ${seenTypes.join(', ')}; backlog ${JSON.stringify(service.relay.stats)}`,
        );
      });
    expect(events.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.capabilityPosted.type,
      Events.capabilityExpiring.type,
      Events.capabilityExpired.type,
    ]);
    const posting = await client.getPosting({ postingId: id });
    expect(posting.posting?.$case === 'capability' && posting.posting.value.status).toBe(
      registryV1.CapabilityStatus.CAPABILITY_STATUS_EXPIRED,
    );
  });
});

describe('bulk import', () => {
  it('imports rows, reports row-level errors, and is idempotent on tax code', async () => {
    const codes = [taxCode(7_000_001), taxCode(7_000_101), taxCode(7_000_201)];
    const csv = [
      'tax_code,name,kind,province_code,primary_vsic,recognitions,contact_phone',
      `${codes[0]},HTX Mây tre Phú Vinh,cooperative,01,1629,OCOP:4,0912345678`,
      `${codes[1]},"Công ty Gốm ""Bát Tràng""",enterprise,01,2393,,`,
      '0100109107,Bad check digit,enterprise,01,1629,,',
      `${codes[2]},Unknown province,enterprise,99,1629,,`,
    ].join('\n');
    const first = await importEnterprises(client, 'firms.csv', csv, { concurrency: 2 });
    expect(first).toMatchObject({ rows: 4, imported: 2, existing: 0, failed: 2 });
    expect(first.errors.map((e) => [e.line, e.code, e.fields.map((f) => f.field)])).toEqual([
      [4, 'VALIDATION_FAILED', ['enterprise.taxCode']],
      [5, 'VALIDATION_FAILED', ['enterprise.provinceCode']],
    ]);
    const second = await importEnterprises(client, 'firms.csv', csv, { concurrency: 2 });
    expect(second).toMatchObject({ rows: 4, imported: 0, existing: 2, failed: 2 });
    const found = await client.searchEnterprises({
      filter: api.EnterpriseFilter.fromPartial({ text: 'gom bat trang' }),
      page: { pageSize: 10, pageToken: '' },
      facets: [],
    });
    expect(found.enterprises.map((e) => e.name)).toContain('Công ty Gốm "Bát Tràng"');
  });
});

describe('the gRPC server', () => {
  it('lists RegistryService and health through reflection, as grpcurl does', async () => {
    expect(await listGrpcServices(`127.0.0.1:${service.grpcPort}`)).toEqual([
      'grpc.health.v1.Health',
      'lienket.registry.v1.RegistryService',
    ]);
  });
});

describe('profile updates and clusters', () => {
  it('updates masked fields with EnterpriseUpdated, and forms, joins and leaves clusters with their events', async () => {
    const anchor = await register({ name: 'Công ty Mây tre Xuất khẩu Phú Vinh', provinceCode: '01' });
    const member = await register({ name: 'HTX Mây tre Tân Cương', provinceCode: '19' });
    const joiner = await register({ name: 'Cơ sở Đan lát Bắc Ninh', provinceCode: '24' });

    const updated = await client.updateEnterprise(
      {
        enterpriseId: anchor.id,
        enterprise: api.EnterpriseInput.fromPartial({ address: 'Phú Nghĩa, Chương Mỹ' }),
        updateMask: ['address'],
        expectedVersion: anchor.version,
      },
      as(firm(anchor.id)),
    );
    expect(updated.enterprise).toMatchObject({
      address: 'Phú Nghĩa, Chương Mỹ',
      version: anchor.version + 1,
    });
    const stale = await client
      .updateEnterprise(
        {
          enterpriseId: anchor.id,
          enterprise: api.EnterpriseInput.fromPartial({ address: 'x' }),
          updateMask: ['address'],
          expectedVersion: anchor.version,
        },
        as(firm(anchor.id)),
      )
      .catch((e) => e);
    expect(stale).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'VERSION_CONFLICT' });

    const formed = await client.formCluster(
      {
        name: 'Chuỗi mây tre đan Bắc Bộ',
        chain: 'bamboo and rattan',
        anchorEnterpriseId: anchor.id,
        memberEnterpriseIds: [member.id],
      },
      as(firm(anchor.id)),
    );
    const clusterId = formed.cluster?.id as string;
    expect(formed.cluster?.members.map((m) => m.province)).toEqual(['01', '19']);
    await client.joinCluster({ clusterId, enterpriseId: joiner.id }, as(firm(joiner.id)));
    await expect(
      client.joinCluster({ clusterId, enterpriseId: joiner.id }, as(firm(joiner.id))),
    ).rejects.toMatchObject({
      kind: 'ALREADY_EXISTS',
    });
    await expect(
      client.leaveCluster({ clusterId, enterpriseId: anchor.id }, as(firm(anchor.id))),
    ).rejects.toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'ANCHOR_CANNOT_LEAVE',
    });
    const left = await client.leaveCluster({ clusterId, enterpriseId: member.id }, as(firm(member.id)));
    expect(left.cluster?.members.map((m) => m.enterpriseId)).toEqual([anchor.id, joiner.id]);

    const clusterEvents = await infra.collect(Topics.registryCluster, 3, { filter: withId(clusterId) });
    expect(clusterEvents.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.clusterFormed.type,
      Events.clusterMemberJoined.type,
      Events.clusterMemberLeft.type,
    ]);
    const [, update] = await infra.collect(Topics.registryEnterprise, 2, { filter: withId(anchor.id) });
    expect(registryEventsV1.EnterpriseUpdated.decode(update?.value as Buffer)).toMatchObject({
      changedFields: ['address'],
    });
  });
});
