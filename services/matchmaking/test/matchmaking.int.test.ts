import {
  Events,
  matchmakingEventsV1,
  matchmakingV1,
  matchmakingServiceV1 as mm,
  registryServiceV1 as reg,
  registryV1,
  Topics,
} from '@lienket/contracts';
import { createEventPublisher, headerText } from '@lienket/eventbus';
import {
  type Actor,
  actorMetadata,
  createGrpcClient,
  createLogger,
  type PromiseClient,
  parseConfig,
  storeCommands,
} from '@lienket/platform';
import { openTestInfra, type TestInfra, waitFor } from '@lienket/testkit';
import type { KafkaMessage } from 'kafkajs';
import { registryConfigSchema } from '../../registry/src/config';
import { startRegistry } from '../../registry/src/service';
import { validTaxCode } from '../../registry/test/fixtures';
import { matchmakingConfigSchema } from '../src/config';
import { startMatchmaking } from '../src/service';

let infra: TestInfra;
let registry: Awaited<ReturnType<typeof startRegistry>>;
let matchmaking: Awaited<ReturnType<typeof startMatchmaking>>;
let registryClient: PromiseClient<typeof reg.RegistryServiceService>;
let matchClient: PromiseClient<typeof mm.MatchmakingServiceService>;

const matchmakingConfig = (overrides: Record<string, string> = {}) =>
  parseConfig(matchmakingConfigSchema, {
    GRPC_PORT: '0',
    METRICS_PORT: '0',
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: infra.databaseFor('matchmaking'),
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: infra.topicPrefix,
    KAFKA_PARTITIONS: '3',
    RELAY_POLL_MS: '50',
    INSTANCE_ID: 'one',
    MATCH_THRESHOLD: '0.4',
    // Responsiveness comes from the proposals, which a replay into a fresh database does not have:
    // no periodic refresh during the tests, or the live index's parties would differ from a replay's.
    PROPOSAL_EXPIRY_INTERVAL_MS: '3600000',
    ...overrides,
  });

beforeAll(async () => {
  infra = await openTestInfra('matchmaking');
  registry = await startRegistry(
    parseConfig(registryConfigSchema, {
      GRPC_PORT: '0',
      METRICS_PORT: '0',
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: infra.databaseFor('registry'),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: infra.topicPrefix,
      KAFKA_PARTITIONS: '3',
      RELAY_POLL_MS: '50',
    }),
    infra.log,
  );
  matchmaking = await startMatchmaking(matchmakingConfig(), infra.log);
  registryClient = createGrpcClient(reg.RegistryServiceService, `127.0.0.1:${registry.grpcPort}`);
  matchClient = createGrpcClient(mm.MatchmakingServiceService, `127.0.0.1:${matchmaking.grpcPort}`);
  await matchmaking.indexConsumer.joined();
  await matchmaking.actionConsumer.joined();
});

afterAll(async () => {
  registryClient?.close();
  matchClient?.close();
  await matchmaking?.stop();
  await registry?.stop();
  await infra.close();
});

const admin: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'admin' };
const firm = (enterpriseId: string): Actor => ({
  role: 'enterprise',
  enterpriseId,
  provinceCode: '',
  subject: `u-${enterpriseId}`,
});
const as = (actor: Actor) => ({ metadata: actorMetadata(actor) });

const taxCode = () => validTaxCode(200_000_000 + Math.floor(Math.random() * 600_000_000));

async function enterprise(name: string, provinceCode: string, extra: Partial<reg.EnterpriseInput> = {}) {
  const response = await registryClient.registerEnterprise(
    {
      enterprise: reg.EnterpriseInput.fromPartial({
        taxCode: taxCode(),
        name,
        kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
        provinceCode,
        primaryVsic: '1702',
        contact: { person: name, phone: '0912000111', email: `${provinceCode}@example.vn` },
        ...extra,
      }),
    },
    as(admin),
  );
  return response.enterprise as registryV1.Enterprise;
}

async function capability(owner: registryV1.Enterprise, title: string, hsCodes: string[], capacity = 20_000) {
  const response = await registryClient.postCapability(
    {
      capability: reg.CapabilityInput.fromPartial({
        enterpriseId: owner.id,
        title,
        hsCodes,
        monthlyCapacity: { value: capacity, unit: 'carton' },
        leadTimeDays: 7,
      }),
    },
    as(firm(owner.id)),
  );
  return response.capability as registryV1.Capability;
}

async function need(owner: registryV1.Enterprise, title: string, hsCodes: string[]) {
  const response = await registryClient.postNeed(
    {
      need: reg.NeedInput.fromPartial({
        enterpriseId: owner.id,
        title,
        category: registryV1.NeedCategory.NEED_CATEGORY_MATERIAL,
        hsCodes,
        quantityPerMonth: { value: 5_000, unit: 'carton' },
      }),
    },
    as(firm(owner.id)),
  );
  return response.need as registryV1.Need;
}

const proposalsFor = (needId: string, count: number) =>
  infra.collect(Topics.matchmakingProposal, count, {
    filter: (m: KafkaMessage) =>
      headerText(m.headers, 'ce_type') === Events.matchProposed.type &&
      matchmakingEventsV1.MatchProposed.decode(m.value as Buffer).proposal?.needId === needId,
    timeoutMs: 30_000,
  });

/** Store commands this process sent so far (registry and matchmaking run in it), by who sends them. */
async function storeCommandCounts() {
  const { values } = await storeCommands.get();
  const sum = (keep: (collection: string, command: string) => boolean) =>
    values
      .filter((v) => keep(String(v.labels.collection), String(v.labels.command)))
      .reduce((total, v) => total + v.value, 0);
  const dedupe = (collection: string) =>
    collection.startsWith('processed_events_') && collection.includes('matchmaking');
  return {
    // The index consumer writes the projection and nothing else.
    index: sum((collection) => collection.startsWith('projection_')),
    indexDedupe: sum((collection) => dedupe(collection) && collection.includes('-index-')),
    // The action consumer inserts proposals and unmet demand (the relay's commands are updates
    // and reads) and records the ids it applied.
    actions: sum(
      (collection, command) =>
        ((collection === 'proposals' || collection === 'demand_outcomes') && command === 'insert') ||
        (dedupe(collection) && !collection.includes('-index-')),
    ),
    partyStats: sum((collection) => collection === 'party_stats'),
  };
}

describe('matchmaking on real Kafka and the store', () => {
  let buyer: registryV1.Enterprise;
  let near: registryV1.Enterprise;
  let neighbour: registryV1.Enterprise;
  let far: registryV1.Enterprise;
  let unrelated: registryV1.Enterprise;
  let posted: registryV1.Need;
  let proposals: matchmakingV1.Proposal[];
  let batchOfNeeds: registryV1.Need[];

  it('proposes for a posted need, nearest and best-fitting first', async () => {
    buyer = await enterprise('HTX Chè Tân Cương', '19', {
      kind: registryV1.EnterpriseKind.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT,
    });
    near = await enterprise('Bao bì Phổ Yên', '19', { supportingIndustry: true });
    neighbour = await enterprise('Bao bì Bắc Ninh', '24', { supportingIndustry: true });
    far = await enterprise('Bao bì Sài Gòn', '79', { supportingIndustry: true });
    unrelated = await enterprise('Gốm Bát Tràng', '01', { primaryVsic: '2393' });
    const capabilities = {
      near: await capability(near, 'Thùng carton 5 lớp', ['481910']),
      neighbour: await capability(neighbour, 'Thùng carton sóng', ['481910']),
      far: await capability(far, 'Thùng carton xuất khẩu', ['481910']),
      unrelated: await capability(unrelated, 'Bát đĩa gốm', ['6911']),
    };

    posted = await need(buyer, 'Cần 5.000 thùng carton mỗi tháng', ['4819']);
    const messages = await proposalsFor(posted.id, 3);

    proposals = messages.map(
      (m) => matchmakingEventsV1.MatchProposed.decode(m.value as Buffer).proposal as matchmakingV1.Proposal,
    );
    const byCapability = new Map(proposals.map((p) => [p.capabilityId, p]));
    expect(byCapability.has(capabilities.unrelated.id)).toBe(false);
    const score = (id: string) => byCapability.get(id)?.score ?? 0;
    expect(score(capabilities.near.id)).toBeGreaterThan(score(capabilities.neighbour.id));
    expect(score(capabilities.neighbour.id)).toBeGreaterThan(score(capabilities.far.id));

    const first = byCapability.get(capabilities.near.id) as matchmakingV1.Proposal;
    expect(first).toMatchObject({
      buyerEnterpriseId: buyer.id,
      supplierEnterpriseId: near.id,
      buyerProvince: '19',
      supplierProvince: '19',
      status: matchmakingV1.ProposalStatus.PROPOSAL_STATUS_PROPOSED,
    });
    // Whichever direction got there first proposed it (the capability's, when its action ran
    // after the need was indexed); never both.
    expect(['need', 'capability']).toContain(first.triggeredBy);
    expect(first.components.map((c) => c.name)).toEqual(
      expect.arrayContaining(['product', 'geography', 'capacity']),
    );
    expect(first.reason.length).toBeGreaterThan(10);
    expect(first.reasonVi.length).toBeGreaterThan(10);

    // The ad hoc ranking agrees and explains why not for the unrelated capability.
    const ranked = await matchClient.findMatchesForNeed({ needId: posted.id, limit: 10, minScore: 0 });
    expect(ranked.candidates.slice(0, 3).map((c) => c.enterpriseId)).toEqual([near.id, neighbour.id, far.id]);
    const whyNot = await matchClient.explainMatch({
      needId: posted.id,
      capabilityId: capabilities.unrelated.id,
    });
    expect(whyNot.matched).toBe(false);
    expect(whyNot.exclusions.map((e) => e.reason)).toContain('no_product_fit');
  });

  it('releases contacts only after both sides accept, and never to a third party', async () => {
    const proposal = proposals.find((p) => p.supplierEnterpriseId === near.id) as matchmakingV1.Proposal;
    const contact = (reader: string, owner: string) =>
      registryClient.getContact({ enterpriseId: owner, matchId: proposal.id }, as(firm(reader)));

    await expect(contact(buyer.id, near.id)).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });
    await expect(
      matchClient.acceptProposal({ proposalId: proposal.id }, as(firm(neighbour.id))),
    ).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
    const half = await matchClient.acceptProposal({ proposalId: proposal.id }, as(firm(buyer.id)));
    expect(half.proposal?.status).toBe(matchmakingV1.ProposalStatus.PROPOSAL_STATUS_ACCEPTED_BY_ONE);
    await expect(contact(buyer.id, near.id)).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });

    const full = await matchClient.acceptProposal({ proposalId: proposal.id }, as(firm(near.id)));
    expect(full.proposal?.status).toBe(matchmakingV1.ProposalStatus.PROPOSAL_STATUS_ESTABLISHED);

    const [linkage] = await infra.collect(Topics.matchmakingProposal, 1, {
      filter: (m) =>
        headerText(m.headers, 'ce_type') === Events.linkageEstablished.type &&
        m.key?.toString() === proposal.id,
    });
    expect(matchmakingEventsV1.LinkageEstablished.decode(linkage?.value as Buffer)).toMatchObject({
      buyerProvince: '19',
      supplierProvince: '19',
      needId: posted.id,
    });

    const released = await waitFor(
      () =>
        contact(buyer.id, near.id)
          .then((r) => r.contact)
          .catch(() => undefined),
      {
        what: 'the registry to release the supplier contact',
      },
    );
    expect(released.phone).toBe('0912000111');
    expect((await contact(near.id, buyer.id)).contact?.person).toBe('HTX Chè Tân Cương');
    await expect(contact(neighbour.id, near.id)).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });
    await expect(contact(neighbour.id, buyer.id)).rejects.toMatchObject({ kind: 'PERMISSION_DENIED' });
  });

  it('shows a proposal to its parties and their provinces only', async () => {
    const proposal = proposals[0] as matchmakingV1.Proposal;
    const read = (actor: Actor) => matchClient.getProposal({ proposalId: proposal.id }, as(actor));
    expect((await read(firm(proposal.buyerEnterpriseId))).proposal?.id).toBe(proposal.id);
    expect((await read(firm(proposal.supplierEnterpriseId))).proposal?.id).toBe(proposal.id);
    const officer: Actor = {
      role: 'province',
      enterpriseId: '',
      provinceCode: proposal.buyerProvince,
      subject: 'o',
    };
    expect((await read(officer)).proposal?.id).toBe(proposal.id);
    for (const stranger of [
      firm('someone-else'),
      { ...officer, provinceCode: '01' },
      { ...admin, role: 'analyst' } as Actor,
    ]) {
      await expect(read(stranger)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    }
    const list = (actor: Actor, enterpriseId: string, provinceCode = '') =>
      matchClient.listProposals({ enterpriseId, provinceCode, statuses: [], page: undefined }, as(actor));
    expect(
      (await list(firm(proposal.buyerEnterpriseId), proposal.buyerEnterpriseId)).proposals.length,
    ).toBeGreaterThan(0);
    await expect(list(firm('someone-else'), proposal.buyerEnterpriseId)).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
    await expect(list({ ...admin, role: 'analyst' } as Actor, '', '19')).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
    await expect(list({ ...officer, provinceCode: '01' }, '', proposal.buyerProvince)).rejects.toMatchObject({
      kind: 'PERMISSION_DENIED',
    });
  });

  it('creates no duplicate proposals from duplicate or repeated events', async () => {
    const deadLetteredBefore = matchmaking.actionConsumer.stats.deadLettered;
    const before = await matchClient.listProposals(
      {
        enterpriseId: buyer.id,
        provinceCode: '',
        statuses: [],
        page: undefined,
      },
      as(admin),
    );
    // Replay the need's NeedPosted twice: once as the same event, once as a new event for the same need.
    const [needEvent] = await infra.collect(Topics.registryNeed, 1, {
      filter: (m) => m.key?.toString() === posted.id,
    });
    const { kafka } = infra;
    const producer = kafka.producer();
    await producer.connect();
    const original = needEvent as KafkaMessage;
    await producer.send({
      topic: infra.topicPrefix + Topics.registryNeed,
      messages: [
        { key: original.key, value: original.value, headers: original.headers },
        {
          key: original.key,
          value: original.value,
          headers: { ...original.headers, ce_id: 'replayed-need-event' },
        },
      ],
    });
    await producer.disconnect();
    await waitFor(() => matchmaking.actionConsumer.stats.duplicates >= 1, {
      what: 'the duplicate to be seen',
    });
    const fresh = await need(buyer, 'Marker need after duplicates', ['6911']);
    await proposalsFor(fresh.id, 1);
    const after = await matchClient.listProposals(
      {
        enterpriseId: buyer.id,
        provinceCode: '',
        statuses: [],
        page: undefined,
      },
      as(admin),
    );
    expect(after.page?.totalSize).toBe((before.page?.totalSize ?? 0) + 1);
    // A repeated posting whose proposals exist already is done, not a failure for the dead-letter topic.
    expect(matchmaking.actionConsumer.stats.deadLettered).toBe(deadLetteredBefore);
  });

  it('retracts open proposals when a capability is withdrawn', async () => {
    const open = proposals.find((p) => p.supplierEnterpriseId === far.id) as matchmakingV1.Proposal;
    await registryClient.withdrawCapability(
      { capabilityId: open.capabilityId, reason: 'hết hàng' },
      as(firm(far.id)),
    );
    // A wait, not a limit: a new collector joins its group first, which takes seconds on a loaded machine.
    await infra.collect(Topics.matchmakingProposal, 1, {
      filter: (m) =>
        headerText(m.headers, 'ce_type') === Events.matchRetracted.type && m.key?.toString() === open.id,
      timeoutMs: 60_000,
    });
    const stored = await matchClient.getProposal({ proposalId: open.id }, as(admin));
    expect(stored.proposal?.status).toBe(matchmakingV1.ProposalStatus.PROPOSAL_STATUS_RETRACTED);
  }, 90_000);

  it('signals unmet demand when nothing fits, once', async () => {
    const lonely = await need(buyer, 'Cần 200 con ngựa giống', ['0101']);
    const [signal] = await infra.collect(Topics.matchmakingDemand, 1, {
      filter: (m) => m.key?.toString() === lonely.id,
    });
    expect(headerText(signal?.headers, 'ce_type')).toBe(Events.demandUnmet.type);
    expect(matchmakingEventsV1.DemandUnmet.decode(signal?.value as Buffer)).toMatchObject({
      needId: lonely.id,
      province: '19',
      hsCodes: ['0101'],
      category: 'material',
      reason: 'no_match_above_threshold',
    });
    const listed = await matchClient.listProposals(
      {
        enterpriseId: '',
        provinceCode: '19',
        statuses: [],
        page: { pageSize: 100, pageToken: '' },
      },
      as(admin),
    );
    expect(listed.proposals.filter((p) => p.needId === lonely.id)).toEqual([]);
  });

  it('costs a bounded number of store commands per batch and no Kafka request, whatever the number of needs', async () => {
    const before = await storeCommandCounts();
    const adminRequests = matchmaking.progress.adminRequests();
    const index = { ...matchmaking.indexConsumer.stats };
    const actions = { ...matchmaking.actionConsumer.stats };
    const posted = await Promise.all(
      Array.from({ length: 12 }, (_, i) => need(buyer, `Thùng carton lô ${i + 1}`, ['481910'])),
    );
    await waitFor(
      () =>
        matchmaking.actionConsumer.stats.processed >= actions.processed + posted.length &&
        matchmaking.indexConsumer.stats.processed >= index.processed + posted.length,
      { what: `${posted.length} needs indexed and acted on`, timeoutMs: 30_000 },
    );
    await Promise.all(posted.map((n) => proposalsFor(n.id, 1)));
    batchOfNeeds = posted;
    const after = await storeCommandCounts();
    const batches = {
      index: matchmaking.indexConsumer.stats.batches - index.batches,
      actions: matchmaking.actionConsumer.stats.batches - actions.batches,
    };
    // Index: one insert of the new documents per batch, and a guarded update only for documents the
    // insert did not create (none here, but a batch may carry a redelivered event), no record of
    // processed ids (idempotent).
    expect(after.index - before.index).toBeLessThanOrEqual(2 * batches.index);
    expect(after.indexDedupe - before.indexDedupe).toBe(0);
    // Actions: the processed ids read and written once, one insert of proposals, one of unmet demand.
    expect(after.actions - before.actions).toBeLessThanOrEqual(4 * batches.actions);
    // No statistics written per proposal or answer: they are derived from the proposals.
    expect(after.partyStats).toBe(0);
    // "Caught up" is judged from the watermarks the consumers saw in their fetches: the admin API
    // (offsets of the registry topics) is asked at start only, never per action batch.
    expect(adminRequests).toBeGreaterThan(0); // the committed offsets read at start are counted
    expect(batches.actions).toBeGreaterThan(0);
    expect(matchmaking.progress.adminRequests()).toBe(adminRequests);
    infra.log.info(
      {
        needs: posted.length,
        batches,
        index: after.index - before.index,
        actions: after.actions - before.actions,
      },
      'store commands of the needs',
    );
  });

  it('retracts the open proposals of expired needs and reports those nobody linked with as unmet', async () => {
    const expiring = batchOfNeeds.slice(0, 3);
    const open = await matchClient.listProposals(
      { enterpriseId: buyer.id, provinceCode: '', statuses: [], page: { pageSize: 100, pageToken: '' } },
      as(admin),
    );
    const theirs = open.proposals.filter((p) => expiring.some((n) => n.id === p.needId));
    expect(theirs.length).toBeGreaterThanOrEqual(expiring.length);
    // The registry's expiry job announces them together (here straight onto its topic).
    const publisher = await createEventPublisher({
      kafka: infra.kafka,
      source: '/lienket/registry',
      topicPrefix: infra.topicPrefix,
      log: infra.log,
    });
    try {
      await Promise.all(
        expiring.map((n) =>
          publisher.publish(
            Events.needExpired,
            { needId: n.id, enterpriseId: n.enterpriseId },
            { key: n.id, subject: n.id },
          ),
        ),
      );
    } finally {
      await publisher.disconnect();
    }
    const retracted = await infra.collect(Topics.matchmakingProposal, theirs.length, {
      filter: (m) =>
        headerText(m.headers, 'ce_type') === Events.matchRetracted.type &&
        theirs.some((p) => p.id === m.key?.toString()),
    });
    expect(retracted.map((m) => matchmakingEventsV1.MatchRetracted.decode(m.value as Buffer).reason)).toEqual(
      theirs.map(() => 'need_expired'),
    );
    const unmet = await infra.collect(Topics.matchmakingDemand, expiring.length, {
      filter: (m) => expiring.some((n) => n.id === m.key?.toString()),
    });
    expect(
      unmet
        .map((m) => matchmakingEventsV1.DemandUnmet.decode(m.value as Buffer))
        .map((d) => [d.needId, d.reason])
        .sort(),
    ).toEqual(expiring.map((n) => [n.id, 'expired_unmatched']).sort());
  });

  it('builds an identical index when a fresh instance replays the topics', async () => {
    const fresh = await startMatchmaking(
      matchmakingConfig({
        MONGO_DB: infra.databaseFor('replay'),
        INSTANCE_ID: 'replay',
        CONSUMER_GROUP: 'replay-group',
      }),
      infra.log,
    );
    try {
      await waitFor(
        () =>
          fresh.matchmaking.supplies.fingerprint() === matchmaking.matchmaking.supplies.fingerprint() &&
          fresh.matchmaking.demands.fingerprint() === matchmaking.matchmaking.demands.fingerprint(),
        { what: 'the replayed index to equal the live one', timeoutMs: 30_000 },
      );
      expect(fresh.matchmaking.supplies.size).toBe(matchmaking.matchmaking.supplies.size);
    } finally {
      await fresh.stop();
    }
  });

  it('never proposes a pair twice with two instances in the group', async () => {
    const second = await startMatchmaking(matchmakingConfig({ INSTANCE_ID: 'two' }), infra.log);
    try {
      await second.actionConsumer.joined();
      const buyers = await Promise.all([1, 2, 3, 4].map((i) => enterprise(`Cơ sở chè ${i}`, '19')));
      const needs = await Promise.all(buyers.map((b, i) => need(b, `Thùng carton đợt ${i}`, ['481910'])));
      for (const n of needs) {
        const listed = await waitFor(
          async () => {
            const page = await matchClient.listProposals(
              {
                enterpriseId: n.enterpriseId,
                provinceCode: '',
                statuses: [],
                page: undefined,
              },
              as(admin),
            );
            return (page.page?.totalSize ?? 0) >= 2 ? page : undefined;
          },
          { what: `proposals for ${n.id}` },
        );
        const total = listed.page?.totalSize ?? 0;
        // Read every MatchProposed of this need (a relay crash may repeat an event: same ce_id).
        const seenIds = new Set<string>();
        const messages = await infra.collect(Topics.matchmakingProposal, total, {
          filter: (m: KafkaMessage) => {
            const id = headerText(m.headers, 'ce_id') ?? '';
            if (headerText(m.headers, 'ce_type') !== Events.matchProposed.type || seenIds.has(id))
              return false;
            if (matchmakingEventsV1.MatchProposed.decode(m.value as Buffer).proposal?.needId !== n.id)
              return false;
            seenIds.add(id);
            return true;
          },
        });
        const proposed = messages.map(
          (m) => matchmakingEventsV1.MatchProposed.decode(m.value as Buffer).proposal,
        );
        const pairs = new Set(proposed.map((p) => `${p?.needId}:${p?.capabilityId}`));
        expect(new Set(proposed.map((p) => p?.id)).size).toBe(total);
        expect(pairs.size).toBe(total);
      }
    } finally {
      await second.stop();
    }
  });

  it('acts at once after a restart, from where its index left off', async () => {
    // Restarted with the same instance id, the index resumes from its committed offsets and
    // does not read again what it had; an action must not wait for it to (up to 10 s per event,
    // then it warns and matches with what the index has).
    const matchClientBefore = matchClient;
    await matchmaking.stop();
    const warnings: string[] = [];
    const log = createLogger({
      service: 'matchmaking-restarted',
      level: 'warn',
      destination: { write: (line: string) => warnings.push(JSON.parse(line).msg) },
    });
    matchmaking = await startMatchmaking(matchmakingConfig(), log);
    matchClient = createGrpcClient(mm.MatchmakingServiceService, `127.0.0.1:${matchmaking.grpcPort}`);
    matchClientBefore.close();
    await matchmaking.indexConsumer.joined();
    await matchmaking.actionConsumer.joined();
    const buyer = await enterprise('Cơ sở chè sau khởi động lại', '19');
    const posted = await need(buyer, 'Thùng carton sau khởi động lại', ['481910']);
    await proposalsFor(posted.id, 1);
    expect(warnings).not.toContain('index did not catch up in time; matching with what it has');
  }, 60_000);

  it('derives responsiveness from the proposals: answered (accepted or declined) of received', async () => {
    const declined = proposals.find((p) => p.supplierEnterpriseId === neighbour.id) as matchmakingV1.Proposal;
    await matchClient.declineProposal(
      { proposalId: declined.id, reason: 'Giá chưa phù hợp' },
      as(firm(buyer.id)),
    );
    const received = await matchClient.listProposals(
      { enterpriseId: buyer.id, provinceCode: '', statuses: [], page: { pageSize: 100, pageToken: '' } },
      as(admin),
    );
    const answered = received.proposals.filter(
      (p) => p.buyerAcceptedAt !== undefined || p.declinedBy === buyer.id,
    ).length;
    // It accepted the nearest and declined the neighbour's; every later one is still open.
    expect([answered, received.proposals.length]).toEqual([2, received.page?.totalSize]);
    expect(received.proposals.length).toBeGreaterThanOrEqual(3);
    await matchmaking.matchmaking.refreshResponsiveness();
    expect(matchmaking.matchmaking.supplies.party(buyer.id)?.responsiveness).toBeCloseTo(
      answered / received.proposals.length,
      10,
    );
    // Fewer than three received tells nothing yet.
    expect(matchmaking.matchmaking.supplies.party(unrelated.id)?.responsiveness).toBeUndefined();
  });
});
