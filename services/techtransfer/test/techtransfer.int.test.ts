import {
  techtransferServiceV1 as api,
  Events,
  techtransferEventsV1 as ev,
  registryServiceV1 as reg,
  registryEventsV1,
  registryV1,
  Topics,
  techtransferV1 as tt,
} from '@lienket/contracts';
import { createEventPublisher, type EncodedEvent, encodeEvent, headerText } from '@lienket/eventbus';
import {
  type Actor,
  actorMetadata,
  createGrpcClient,
  type PromiseClient,
  parseConfig,
} from '@lienket/platform';
import { grpcHealth, listGrpcServices, openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { KafkaMessage } from 'kafkajs';
import { registryConfigSchema } from '../../registry/src/config';
import { startRegistry } from '../../registry/src/service';
import { validTaxCode } from '../../registry/test/fixtures';
import { techTransferConfigSchema } from '../src/config';
import { startTechTransfer } from '../src/service';

const DAY = 86_400_000;
let infra: TestInfra;
let registry: Awaited<ReturnType<typeof startRegistry>>;
let service: Awaited<ReturnType<typeof startTechTransfer>>;
let registryClient: PromiseClient<typeof reg.RegistryServiceService>;
let client: PromiseClient<typeof api.TechTransferServiceService>;
/** The service's clock runs this far ahead of the wall clock (deadline tests move it). */
let offsetMs = 0;

beforeAll(async () => {
  infra = await openTestInfra('techtransfer');
  const shared = {
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    MONGO_URL: infra.mongoUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '3',
    RELAY_POLL_MS: '50',
  };
  registry = await startRegistry(
    parseConfig(registryConfigSchema, { ...shared, MONGO_DB: infra.databaseFor('registry') }),
    infra.log,
  );
  service = await startTechTransfer(
    parseConfig(techTransferConfigSchema, {
      ...shared,
      MONGO_DB: infra.databaseFor('techtransfer'),
      DEADLINE_INTERVAL_MS: '3600000',
      APPROVAL_CLAIM_TIMEOUT_MS: '1000',
    }),
    infra.log,
    { clock: () => new Date(Date.now() + offsetMs) },
  );
  registryClient = createGrpcClient(reg.RegistryServiceService, `127.0.0.1:${registry.grpcPort}`);
  client = createGrpcClient(api.TechTransferServiceService, `127.0.0.1:${service.grpcPort}`);
});

afterAll(async () => {
  registryClient?.close();
  client?.close();
  await service?.stop();
  await registry?.stop();
  await infra.close();
});

const admin: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'admin-1' };
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
const bySubject = (id: string) => (m: KafkaMessage) => headerText(m.headers, 'ce_subject') === id;
const ofType = (type: string, id: string) => (m: KafkaMessage) =>
  headerText(m.headers, 'ce_type') === type && headerText(m.headers, 'ce_subject') === id;

/** Registers an enterprise in the registry and waits until techtransfer knows it (through Kafka). */
async function enterprise(
  name: string,
  provinceCode: string,
  kind = registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
) {
  const { enterprise: e } = await registryClient.registerEnterprise(
    {
      enterprise: reg.EnterpriseInput.fromPartial({
        taxCode: validTaxCode(300_000_000 + Math.floor(Math.random() * 600_000_000)),
        name,
        kind,
        provinceCode,
        primaryVsic: '2592',
        contact: { person: name, phone: '0912000111', email: 'lienhe@example.vn' },
      }),
    },
    as(admin),
  );
  const id = (e as registryV1.Enterprise).id;
  await waitFor(async () => (await service.store.findParty(id)) !== undefined, { timeoutMs: 20_000 });
  return id;
}

const offerInput = (ownerId: string, overrides: Partial<api.OfferInput> = {}) =>
  api.OfferInput.fromPartial({
    ownerEnterpriseId: ownerId,
    title: 'Công nghệ xử lý nước thải làng nghề dệt nhuộm bằng keo tụ điện hóa',
    summary: 'Hệ thống xử lý nước thải dệt nhuộm quy mô 50 m³/ngày, giảm 90% độ màu.',
    vsicCodes: ['3700', '1313'],
    keywords: ['nước thải', 'dệt nhuộm', 'keo tụ'],
    readinessLevel: 7,
    ipStatus: tt.IpStatus.IP_STATUS_UTILITY_SOLUTION,
    ipNumbers: ['2-0002345'],
    transferModes: [tt.TransferMode.TRANSFER_MODE_LICENCE, tt.TransferMode.TRANSFER_MODE_TRAINING_CONSULTING],
    priceBand: { min: { vnd: 300_000_000 }, max: { vnd: 900_000_000 } },
    cleanerProduction: true,
    pollutionTreatment: true,
    visibility: tt.Visibility.VISIBILITY_PUBLIC,
    ...overrides,
  });

async function publishedOffer(ownerId: string, overrides: Partial<api.OfferInput> = {}) {
  const { offer } = await client.createOffer({ offer: offerInput(ownerId, overrides) }, as(firm(ownerId)));
  const published = await client.publishOffer({ offerId: offer?.id ?? '' }, as(firm(ownerId)));
  return published.offer as tt.Offer;
}

/** Interest → accepted → terms proposed by the owner → signed by the adopter. */
async function signedAgreement(offer: tt.Offer, ownerId: string, adopterId: string, valueVnd = 600_000_000) {
  const { interest } = await client.expressInterest(
    {
      offerId: offer.id,
      enterpriseId: adopterId,
      message: 'Chúng tôi muốn áp dụng cho xưởng nhuộm.',
      requestId: '',
    },
    as(firm(adopterId)),
  );
  const id = interest?.id ?? '';
  await client.acceptInterest({ interestId: id }, as(firm(ownerId)));
  const proposed = await client.proposeAgreement(
    {
      interestId: id,
      type: tt.AgreementType.AGREEMENT_TYPE_LICENCE,
      value: { vnd: valueVnd },
      startDate: new Date('2027-01-01T00:00:00Z'),
      termsSummary: 'Li-xăng 5 năm, đào tạo vận hành 2 tuần',
    },
    as(firm(ownerId)),
  );
  const signed = await client.signAgreement(
    { interestId: id, agreementId: proposed.interest?.agreement?.id ?? '' },
    as(firm(adopterId)),
  );
  return signed.interest as tt.Interest;
}

describe('the service', () => {
  it('answers health and lists its service through reflection', async () => {
    const address = `127.0.0.1:${service.grpcPort}`;
    expect(await grpcHealth(address)).toBe('SERVING');
    expect(await listGrpcServices(address)).toEqual([
      'grpc.health.v1.Health',
      'lienket.techtransfer.v1.TechTransferService',
    ]);
  });
});

describe('offers', () => {
  it('publishes an anonymous offer without naming its owner to others or on Kafka; the owner sees itself', async () => {
    const institute = await enterprise(
      'Viện Công nghệ Môi trường',
      '01',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
    );
    const reader = await enterprise('Công ty Dệt may Thành Công', '79');
    const offer = await publishedOffer(institute, { anonymous: true });
    expect(offer.status).toBe(tt.OfferStatus.OFFER_STATUS_PUBLISHED);
    expect(offer.ownerKind).toBe('research_institute');

    const [published] = await infra.collect(Topics.techtransferOffer, 1, { filter: bySubject(offer.id) });
    expect(headerText(published?.headers, 'ce_type')).toBe(Events.offerPublished.type);
    const payload = ev.OfferPublished.decode(published?.value as Buffer);
    expect(payload.offer?.title).toBe(offer.title);
    expect(payload.offer?.ownerEnterpriseId).toBe('');
    expect(payload.offer?.ownerProvince).toBe('01');

    const seenByOther = await client.getOffer({ offerId: offer.id }, as(firm(reader)));
    expect(seenByOther.offer?.ownerEnterpriseId).toBe('');
    const seenByOwner = await client.getOffer({ offerId: offer.id }, as(firm(institute)));
    expect(seenByOwner.offer?.ownerEnterpriseId).toBe(institute);
  });

  it('refuses illegal transitions with FAILED_PRECONDITION and a reason in both languages', async () => {
    const owner = await enterprise(
      'Trung tâm Khuyến công Nam Định',
      '37',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_PROMOTION_CENTRE,
    );
    const offer = await publishedOffer(owner);
    await expect(client.publishOffer({ offerId: offer.id }, as(firm(owner)))).rejects.toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'ILLEGAL_TRANSITION',
      message: 'Cannot publish an offer that is published',
      messageVi: 'Không thể công bố chào bán đang ở trạng thái đã công bố',
    });
    await client.withdrawOffer({ offerId: offer.id, reason: 'Đã chuyển giao xong' }, as(firm(owner)));
    await expect(
      client.renewOffer({ offerId: offer.id, validUntil: undefined }, as(firm(owner))),
    ).rejects.toMatchObject({
      kind: 'FAILED_PRECONDITION',
    });
    const [withdrawn] = await infra.collect(Topics.techtransferOffer, 1, {
      filter: ofType(Events.offerWithdrawn.type, offer.id),
    });
    expect(ev.OfferWithdrawn.decode(withdrawn?.value as Buffer).reason).toBe('Đã chuyển giao xong');
    await expect(
      client.createOffer(
        { offer: offerInput(owner, { readinessLevel: 12, transferModes: [] }) },
        as(firm(owner)),
      ),
    ).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT' });
    await expect(
      client.createOffer({ offer: offerInput(owner) }, as(firm('someone-else'))),
    ).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
  });

  it('shows offers by visibility: verified enterprises only, named provinces only, public to all', async () => {
    const owner = await enterprise(
      'Viện Cơ khí Năng lượng và Mỏ',
      '01',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
    );
    const inHue = await enterprise('Cơ sở Sấy nông sản Hương Trà', '46');
    const inCanTho = await enterprise('Công ty Nông sản Cần Thơ', '92');
    const forVerified = await publishedOffer(owner, {
      title: 'Máy sấy bơm nhiệt cho nông sản',
      visibility: tt.Visibility.VISIBILITY_VERIFIED_ENTERPRISES,
    });
    const forHue = await publishedOffer(owner, {
      title: 'Lò sấy sinh khối trấu',
      visibility: tt.Visibility.VISIBILITY_NAMED_PROVINCES,
      visibleProvinces: ['46'],
    });
    const visibleTo = async (actor: Actor) =>
      (
        await client.searchOffers(
          {
            filter: api.OfferFilter.fromPartial({ ownerProvinces: ['01'], text: 'say' }),
            page: { pageSize: 50, pageToken: '' },
          },
          as(actor),
        )
      ).offers.map((o) => o.id);

    expect(await visibleTo(firm(inHue))).toEqual([forHue.id]);
    expect(await visibleTo(firm(inCanTho))).toEqual([]);
    expect((await visibleTo(officer('46'))).sort()).toEqual([forHue.id, forVerified.id].sort());
    await expect(client.getOffer({ offerId: forVerified.id }, as(firm(inCanTho)))).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });

    await registryClient.verifyEnterprise(
      { enterpriseId: inCanTho, decision: reg.VerificationDecision.VERIFICATION_DECISION_VERIFY, reason: '' },
      as(officer('92')),
    );
    await waitFor(async () => (await service.store.findParty(inCanTho))?.verified === true);
    expect(await visibleTo(firm(inCanTho))).toEqual([forVerified.id]);
  });
});

describe('expressions of interest and negotiation', () => {
  it('reveals an anonymous owner to the interested enterprise only when it accepts, and signs an agreement', async () => {
    const owner = await enterprise(
      'Viện Dệt May',
      '01',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
    );
    const adopter = await enterprise('HTX Dệt nhuộm Vạn Phúc', '01');
    const stranger = await enterprise('Công ty Nhuộm Bình Dương', '79');
    const offer = await publishedOffer(owner, { anonymous: true });

    const { interest } = await client.expressInterest(
      { offerId: offer.id, enterpriseId: adopter, message: 'Xin thông tin vận hành', requestId: '' },
      as(firm(adopter)),
    );
    const id = interest?.id ?? '';
    expect(interest?.ownerEnterpriseId).toBe('');
    expect(
      (await client.getInterest({ interestId: id }, as(firm(adopter)))).interest?.ownerEnterpriseId,
    ).toBe('');
    await expect(client.getInterest({ interestId: id }, as(firm(stranger)))).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });
    await expect(client.acceptInterest({ interestId: id }, as(firm(adopter)))).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'WRONG_PARTY',
    });
    await expect(
      client.expressInterest(
        { offerId: offer.id, enterpriseId: adopter, message: 'Lần nữa', requestId: '' },
        as(firm(adopter)),
      ),
    ).rejects.toMatchObject({ kind: 'ALREADY_EXISTS', code: 'INTEREST_EXISTS' });

    await client.acceptInterest({ interestId: id }, as(firm(owner)));
    expect(
      (await client.getInterest({ interestId: id }, as(firm(adopter)))).interest?.ownerEnterpriseId,
    ).toBe(owner);
    await expect(client.getInterest({ interestId: id }, as(firm(stranger)))).rejects.toMatchObject({
      kind: 'NOT_FOUND',
    });

    await client.sendMessage(
      {
        interestId: id,
        text: 'Gửi hồ sơ kỹ thuật',
        attachments: [
          { fileName: 'ho-so.pdf', mediaType: 'application/pdf', sizeBytes: 120_000, sha256: 'a'.repeat(64) },
        ],
      },
      as(firm(owner)),
    );
    const proposed = await client.proposeAgreement(
      {
        interestId: id,
        type: tt.AgreementType.AGREEMENT_TYPE_LICENCE,
        value: { vnd: 500_000_000 },
        startDate: new Date('2027-02-01T00:00:00Z'),
        termsSummary: 'Li-xăng 3 năm',
      },
      as(firm(adopter)),
    );
    const agreementId = proposed.interest?.agreement?.id ?? '';
    await expect(
      client.signAgreement({ interestId: id, agreementId }, as(firm(adopter))),
    ).rejects.toMatchObject({
      code: 'OWN_PROPOSAL',
    });
    const signed = await client.signAgreement({ interestId: id, agreementId }, as(firm(owner)));
    expect(signed.interest?.status).toBe(tt.InterestStatus.INTEREST_STATUS_AGREED);
    expect(signed.interest?.messages.map((m) => m.attachments[0]?.fileName)).toEqual(['ho-so.pdf']);

    const events = await infra.collect(Topics.techtransferInterest, 3, { filter: bySubject(id) });
    expect(events.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.interestExpressed.type,
      Events.interestAccepted.type,
      Events.agreementSigned.type,
    ]);
    const agreed = ev.AgreementSigned.decode(events[2]?.value as Buffer);
    expect(agreed).toMatchObject({
      agreementId,
      value: { vnd: 500_000_000 },
      type: tt.AgreementType.AGREEMENT_TYPE_LICENCE,
    });
    // Nobody learns an anonymous owner from the stream, not even after the agreement.
    for (const message of events) expect(message.value?.includes(Buffer.from(owner))).toBe(false);
    expect(agreed.facts).toMatchObject({
      ownerProvince: '01',
      interestedEnterpriseId: adopter,
      cleanerProduction: true,
    });
  });

  it('reminds the owner before the answer deadline, then expires the interest', async () => {
    const owner = await enterprise('Viện Nghiên cứu Sành sứ', '25');
    const adopter = await enterprise('Cơ sở Gốm Phù Lãng', '24');
    const offer = await publishedOffer(owner);
    const { interest } = await client.expressInterest(
      { offerId: offer.id, enterpriseId: adopter, message: 'Quan tâm lò nung tiết kiệm', requestId: '' },
      as(firm(adopter)),
    );
    const id = interest?.id ?? '';
    try {
      offsetMs = 12 * DAY;
      await service.techtransfer.runDeadlines();
      await service.techtransfer.runDeadlines(); // a second pass sends no second reminder
      offsetMs = 15 * DAY;
      await service.techtransfer.runDeadlines();
    } finally {
      offsetMs = 0;
    }
    const events = await infra.collect(Topics.techtransferInterest, 3, { filter: bySubject(id) });
    expect(events.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.interestExpressed.type,
      Events.interestReminder.type,
      Events.interestExpired.type,
    ]);
    expect(ev.InterestReminder.decode(events[1]?.value as Buffer)).toMatchObject({
      action: 'respond',
      waitingOn: 'owner',
    });
    await expect(client.acceptInterest({ interestId: id }, as(firm(owner)))).rejects.toMatchObject({
      kind: 'FAILED_PRECONDITION',
      message: 'Cannot accept an expression of interest that is expired',
    });
  });
});

describe('technology requests', () => {
  it('turns a registry need of category technology into a request and ranks visible offers for it', async () => {
    const buyer = await enterprise('Công ty Dệt Nam Định', '37');
    // In the buyer's own province, so geography puts it ahead of the same technology offered elsewhere.
    const supplier = await enterprise(
      'Trung tâm Khuyến công Nam Định',
      '37',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_PROMOTION_CENTRE,
    );
    const fits = await publishedOffer(supplier, { title: 'Xử lý nước thải dệt nhuộm keo tụ điện hóa' });
    const other = await publishedOffer(supplier, {
      title: 'Dây chuyền sấy gỗ keo',
      summary: 'Lò sấy gỗ rừng trồng công suất 20 m³ mỗi mẻ.',
      vsicCodes: ['1610'],
      keywords: ['sấy gỗ'],
      cleanerProduction: false,
      pollutionTreatment: false,
    });
    const { need } = await registryClient.postNeed(
      {
        need: reg.NeedInput.fromPartial({
          enterpriseId: buyer,
          title: 'Cần công nghệ xử lý nước thải nhuộm',
          description: 'Xưởng nhuộm 30 m³/ngày cần hệ thống xử lý nước thải đạt QCVN',
          category: registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY,
          vsicCodes: ['3700'],
          quantityPerMonth: { value: 1, unit: 'hệ thống' },
        }),
      },
      as(firm(buyer)),
    );
    const needId = need?.id ?? '';
    await waitFor(async () => (await service.store.findRequest(needId)) !== undefined, { timeoutMs: 20_000 });
    const { request } = await client.getRequest({ requestId: needId }, as(firm(buyer)));
    expect(request).toMatchObject({
      source: tt.RequestSource.REQUEST_SOURCE_REGISTRY_NEED,
      registryNeedId: needId,
    });

    const { offers } = await client.rankOffers(
      { requestId: needId, limit: 10, minScore: 0 },
      as(firm(buyer)),
    );
    const ids = offers.map((o) => o.offer?.id);
    expect(ids[0]).toBe(fits.id);
    expect(ids).not.toContain(other.id); // no shared division, no shared word above the bar
    expect(offers[0]?.reason).not.toBe('');
    const scores = offers.map((o) => o.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The same VSIC class (4 digits) as the need.
    expect(offers[0]?.components.find((c) => c.name === 'product')?.value).toBe(0.9);

    await registryClient.closeNeed({ needId, reason: 'Đã tìm được' }, as(firm(buyer)));
    await waitFor(async () => (await service.store.findRequest(needId))?.status === 'closed', {
      timeoutMs: 20_000,
    });
  });
});

describe('the registry consumer, on batches', () => {
  it('applies a batch of registry events in order, once, however often it is delivered', async () => {
    const publisher = await createEventPublisher({
      kafka: infra.kafka,
      source: '/lienket/registry',
      topicPrefix: infra.topicPrefix,
      log: infra.log,
    });
    try {
      const enterpriseId = 'e-batch-1';
      const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
      const meta = (id: string, key: string, seconds: number) => ({
        id,
        source: '/lienket/registry',
        key,
        time: at(seconds),
      });
      const enterpriseEvents = [
        encodeEvent(
          Events.enterpriseRegistered,
          registryEventsV1.EnterpriseRegistered.fromPartial({
            enterprise: registryV1.Enterprise.fromPartial({
              id: enterpriseId,
              name: 'Công ty Cơ khí Thái Nguyên',
              province: { code: '19' },
              kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
            }),
          }),
          meta('batch-registered', enterpriseId, 1),
        ),
        encodeEvent(
          Events.enterpriseVerified,
          registryEventsV1.EnterpriseVerified.fromPartial({ enterpriseId, province: '19' }),
          meta('batch-verified', enterpriseId, 2),
        ),
        encodeEvent(
          Events.enterpriseRejected,
          registryEventsV1.EnterpriseRejected.fromPartial({ enterpriseId, province: '19', reason: 'x' }),
          meta('batch-rejected', enterpriseId, 3),
        ),
        encodeEvent(
          Events.leadFirmDesignated,
          registryEventsV1.LeadFirmDesignated.fromPartial({ enterpriseId, province: '19', leadFirm: true }),
          meta('batch-lead-firm', enterpriseId, 4),
        ),
      ];
      const need = (id: string, category: registryV1.NeedCategory) =>
        encodeEvent(
          Events.needPosted,
          registryEventsV1.NeedPosted.fromPartial({
            need: registryV1.Need.fromPartial({
              id,
              enterpriseId,
              province: '19',
              title: 'Cần công nghệ mạ kẽm nhúng nóng',
              category,
              createdAt: at(5),
            }),
          }),
          meta(`batch-posted-${id}`, id, 5),
        );
      const needEvents = [
        need('n-batch-tech', registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY),
        need('n-batch-goods', registryV1.NeedCategory.NEED_CATEGORY_MATERIAL),
        encodeEvent(
          Events.needClosed,
          registryEventsV1.NeedClosed.fromPartial({ needId: 'n-batch-tech', enterpriseId }),
          meta('batch-closed', 'n-batch-tech', 6),
        ),
        encodeEvent(
          Events.needExpired,
          registryEventsV1.NeedExpired.fromPartial({ needId: 'n-batch-tech', enterpriseId }),
          meta('batch-expired', 'n-batch-tech', 7),
        ),
      ];
      // Each batch twice in one produce (a relay re-run), then the first events again later (a replay).
      await publisher.publishEncoded([
        ...enterpriseEvents,
        ...enterpriseEvents,
        ...needEvents,
        ...needEvents,
      ]);
      await waitFor(async () => (await service.store.findRequest('n-batch-tech'))?.status === 'closed', {
        what: 'the request of the technology need, closed',
        timeoutMs: 20_000,
      });
      await waitFor(async () => (await service.store.findParty(enterpriseId))?.leadFirm === true, {
        what: 'the party as of its last event',
      });
      // The replay, each followed by a marker with the same key (so in the same partition, after it).
      const markers = [
        encodeEvent(
          Events.leadFirmDesignated,
          registryEventsV1.LeadFirmDesignated.fromPartial({ enterpriseId, province: '19', leadFirm: false }),
          meta('batch-lead-firm-withdrawn', enterpriseId, 8),
        ),
        { ...need('n-batch-marker', registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY), key: 'n-batch-tech' },
      ];
      await publisher.publishEncoded([
        ...enterpriseEvents.slice(0, 2),
        markers[0] as EncodedEvent,
        ...needEvents.slice(0, 1),
        markers[1] as EncodedEvent,
      ]);
      await waitFor(async () => (await service.store.findRequest('n-batch-marker')) !== undefined, {
        what: 'the marker after the replayed need',
      });
      await waitFor(async () => (await service.store.findParty(enterpriseId))?.leadFirm === false, {
        what: 'the marker after the replayed enterprise events',
      });
      await waitFor(async () => (await service.relay.backlog()) === 0, { what: 'the outbox drained' });

      // The last event of each kind wins; older ones replayed later change nothing.
      expect(await service.store.findParty(enterpriseId)).toMatchObject({
        province: '19',
        verified: false,
        rejected: true,
        leadFirm: false,
      });
      const request = await service.store.findRequest('n-batch-tech');
      expect(request).toMatchObject({ status: 'closed', version: 2 });
      expect(await service.store.findRequest('n-batch-goods')).toBeUndefined();
      const announced = (await infra.readAll(Topics.techtransferRequest)).filter(
        (m) => m.key?.toString() === 'n-batch-tech',
      );
      expect(announced.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
        Events.requestPosted.type,
        Events.requestClosed.type,
      ]);
      const closed = ev.RequestClosed.decode(announced[1]?.value as Buffer);
      expect(closed.reason).toBe('need_closed');
    } finally {
      await publisher.disconnect();
    }
  });
});

describe('co-funding', () => {
  it('applies a signed agreement within the caps; the applicant province officer approves; disbursements count once', async () => {
    const owner = await enterprise(
      'Viện Hóa học Công nghiệp',
      '01',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
    );
    const adopter = await enterprise('Công ty Giấy Bãi Bằng', '25');
    const offer = await publishedOffer(owner);
    const agreed = await signedAgreement(offer, owner, adopter, 600_000_000);
    const agreementId = agreed.agreement?.id ?? '';

    const { programme } = await client.createProgramme(
      {
        programme: api.ProgrammeInput.fromPartial({
          name: 'Khuyến công quốc gia 2027: sản xuất sạch hơn',
          funderKind: tt.FunderKind.FUNDER_KIND_NATIONAL_FUND,
          budget: { vnd: 2_000_000_000 },
          maxCofundingPercent: 50,
          perProjectCap: { vnd: 250_000_000 },
          eligibility: { cleanerProductionOnly: true },
        }),
      },
      as(admin),
    );
    const programmeId = programme?.id ?? '';
    await expect(
      client.createProgramme(
        { programme: api.ProgrammeInput.fromPartial({ name: 'Quỹ riêng', funderKind: 1 }) },
        as(officer('25')),
      ),
    ).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT' });

    await expect(
      client.applyForCoFunding(
        { programmeId, agreementId, enterpriseId: adopter, amount: { vnd: 400_000_000 } },
        as(firm(adopter)),
      ),
    ).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'NOT_ELIGIBLE' });
    const { application } = await client.applyForCoFunding(
      { programmeId, agreementId, enterpriseId: adopter, amount: { vnd: 250_000_000 } },
      as(firm(adopter)),
    );
    const applicationId = application?.id ?? '';
    await expect(client.approveCoFunding({ applicationId }, as(officer('01')))).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'OTHER_PROVINCE',
    });
    await expect(client.approveCoFunding({ applicationId }, as(firm(adopter)))).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
    const approved = await client.approveCoFunding({ applicationId }, as(officer('25')));
    expect(approved.application?.status).toBe(tt.CoFundingStatus.CO_FUNDING_STATUS_APPROVED);
    await expect(
      client.rejectCoFunding({ applicationId, reason: 'muộn' }, as(officer('25'))),
    ).rejects.toMatchObject({
      kind: 'FAILED_PRECONDITION',
    });

    await client.recordDisbursement(
      { applicationId, amount: { vnd: 100_000_000 }, reference: 'KBNN-001' },
      as(officer('25')),
    );
    await client.recordDisbursement(
      { applicationId, amount: { vnd: 100_000_000 }, reference: 'KBNN-001' },
      as(officer('25')),
    );
    await expect(
      client.recordDisbursement(
        { applicationId, amount: { vnd: 200_000_000 }, reference: 'KBNN-002' },
        as(officer('25')),
      ),
    ).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT' });
    const final = await client.recordDisbursement(
      { applicationId, amount: { vnd: 150_000_000 }, reference: 'KBNN-002' },
      as(officer('25')),
    );
    expect(final.application).toMatchObject({
      status: tt.CoFundingStatus.CO_FUNDING_STATUS_DISBURSED,
      disbursed: { vnd: 250_000_000 },
    });
    const after = (await client.getProgramme({ programmeId }, as(analyst))).programme;
    expect(after).toMatchObject({
      budget: { vnd: 2_000_000_000 },
      committed: { vnd: 250_000_000 },
      available: { vnd: 1_750_000_000 },
      disbursed: { vnd: 250_000_000 },
    });

    const events = await infra.collect(Topics.techtransferCoFunding, 4, { filter: bySubject(applicationId) });
    expect(events.map((m) => headerText(m.headers, 'ce_type'))).toEqual([
      Events.coFundingRequested.type,
      Events.coFundingApproved.type,
      Events.coFundingDisbursed.type,
      Events.coFundingDisbursed.type,
    ]);
    expect(ev.CoFundingDisbursed.decode(events[3]?.value as Buffer).disbursedTotal?.vnd).toBe(250_000_000);
  });

  it('never takes the budget below zero when approvals race', async () => {
    const owner = await enterprise(
      'Viện Công nghệ Sinh học',
      '01',
      registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
    );
    const offer = await publishedOffer(owner);
    const adopters = await Promise.all(
      Array.from({ length: 10 }, (_, i) => enterprise(`HTX Chế biến Nông sản số ${i + 1}`, '38')),
    );
    const agreements = await Promise.all(adopters.map((a) => signedAgreement(offer, owner, a, 200_000_000)));
    const { programme } = await client.createProgramme(
      {
        programme: api.ProgrammeInput.fromPartial({
          name: 'Quỹ khuyến công tỉnh Thanh Hóa 2027',
          funderKind: tt.FunderKind.FUNDER_KIND_PROVINCIAL_FUND,
          province: '38',
          budget: { vnd: 350_000_000 },
          maxCofundingPercent: 30,
        }),
      },
      as(officer('38')),
    );
    const programmeId = programme?.id ?? '';
    const applications = await Promise.all(
      agreements.map(async (a) => {
        const { application } = await client.applyForCoFunding(
          {
            programmeId,
            agreementId: a.agreement?.id ?? '',
            enterpriseId: a.interestedEnterpriseId,
            amount: { vnd: 50_000_000 },
          },
          as(firm(a.interestedEnterpriseId)),
        );
        return application?.id ?? '';
      }),
    );
    const outcomes = await Promise.allSettled(
      applications.map((applicationId) => client.approveCoFunding({ applicationId }, as(officer('38')))),
    );
    const approved = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(approved).toHaveLength(7);
    expect(refused).toHaveLength(3);
    for (const reason of refused)
      expect(reason).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'INSUFFICIENT_BUDGET' });

    const after = (await client.getProgramme({ programmeId }, as(officer('38')))).programme;
    expect(after).toMatchObject({ available: { vnd: 0 }, committed: { vnd: 350_000_000 } });
    // The refused ones are requests again, and can be decided once there is money.
    const listed = await client.listCoFundingApplications(
      {
        programmeId,
        applicantProvince: '',
        applicantEnterpriseId: '',
        statuses: [tt.CoFundingStatus.CO_FUNDING_STATUS_REQUESTED],
        page: undefined,
      },
      as(officer('38')),
    );
    expect(listed.applications).toHaveLength(3);
    const budgetEvents = await infra.collect(Topics.techtransferProgramme, 8, {
      filter: bySubject(programmeId),
    });
    const committed = budgetEvents
      .map((m) => ev.ProgrammeBudgetChanged.decode(m.value as Buffer))
      .filter((e) => e.change === 'committed');
    expect(committed).toHaveLength(7);
    expect(Math.min(...committed.map((e) => e.available?.vnd ?? -1))).toBe(0);
  });
});
