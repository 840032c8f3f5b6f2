// The world the drills run in: suppliers with capabilities, buyers that post needs, and one of each
// technology-transfer and cluster flow so that every public topic carries real events.
import {
  techtransferServiceV1 as api,
  matchmakingV1,
  registryServiceV1 as reg,
  registryV1,
  techtransferV1 as tt,
} from '@lienket/contracts';
import { admin, as, type Clients, firm, officer, retrying } from './clients';
import { databases } from './cluster';
import type { Store } from './store';
import { log, waitUntil } from './util';

/** HS codes the suppliers make; every load need asks for one of them (two suppliers each). */
export const HS_CODES = ['480411', '481910', '392321', '730890', '611020', '940360'];
/** Asked for by no supplier: such needs end as DemandUnmet. */
export const UNMATCHED_HS = '010121';
const PROVINCE = '01';

export interface World {
  suppliers: string[];
  buyers: string[];
  capabilities: string[];
  /** A research institute that owns offers (techtransfer load). */
  institute: string;
  adopter: string;
}

const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
/** A valid 10-digit Vietnamese tax code from a 9-digit number (retries numbers whose check is 10). */
export function taxCode(n: number): string {
  for (let m = n; ; m += 1) {
    const nine = String(m % 1_000_000_000).padStart(9, '0');
    const sum = weights.reduce((total, w, i) => total + w * Number(nine[i]), 0);
    const digit = 10 - (sum % 11);
    if (digit !== 10) return `${nine}${digit}`;
  }
}

let taxSeed = 300_000_000 + Math.floor(Math.random() * 500_000_000);

async function register(
  clients: Clients,
  name: string,
  kind = registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
  province = PROVINCE,
): Promise<string> {
  taxSeed += 17;
  const { enterprise } = await clients.registry.registerEnterprise(
    {
      enterprise: reg.EnterpriseInput.fromPartial({
        taxCode: taxCode(taxSeed),
        name,
        kind,
        provinceCode: province,
        primaryVsic: '1702',
        contact: { person: name, phone: '0912000111', email: 'lienhe@example.vn' },
      }),
    },
    as(admin),
  );
  return enterprise?.id ?? '';
}

export function needInput(
  enterpriseId: string,
  title: string,
  hs: string,
  category: registryV1.NeedCategory = registryV1.NeedCategory.NEED_CATEGORY_MATERIAL,
) {
  return reg.NeedInput.fromPartial({
    enterpriseId,
    title,
    description: 'Cần nguồn cung ổn định hằng tháng',
    category,
    hsCodes: [hs],
    quantityPerMonth: { value: 100, unit: 'tấn' },
  });
}

export function offerInput(ownerId: string, title: string) {
  return api.OfferInput.fromPartial({
    ownerEnterpriseId: ownerId,
    title,
    summary: 'Hệ thống xử lý nước thải dệt nhuộm quy mô 50 m³/ngày, giảm 90% độ màu.',
    vsicCodes: ['3700', '1313'],
    keywords: ['nước thải', 'dệt nhuộm'],
    readinessLevel: 7,
    ipStatus: tt.IpStatus.IP_STATUS_UTILITY_SOLUTION,
    ipNumbers: ['2-0002345'],
    transferModes: [tt.TransferMode.TRANSFER_MODE_LICENCE],
    priceBand: { min: { vnd: 300_000_000 }, max: { vnd: 900_000_000 } },
    cleanerProduction: true,
    visibility: tt.Visibility.VISIBILITY_PUBLIC,
  });
}

/** Registers the firms and postings, and walks one flow through every other topic. */
export async function buildWorld(
  clients: Clients,
  store: Store,
  size: { suppliers: number; buyers: number },
) {
  const suppliers: string[] = [];
  const capabilities: string[] = [];
  for (let i = 0; i < size.suppliers; i += 1) {
    const id = await register(clients, `Công ty Cung ứng Drill ${i + 1}`);
    suppliers.push(id);
    const hs = HS_CODES[i % HS_CODES.length] as string;
    const { capability } = await clients.registry.postCapability(
      {
        capability: reg.CapabilityInput.fromPartial({
          enterpriseId: id,
          title: `Cung ứng mã HS ${hs}`,
          description: 'Năng lực ổn định, giao hàng toàn miền Bắc',
          hsCodes: [hs],
          vsicCodes: ['1702'],
          monthlyCapacity: { value: 5_000, unit: 'tấn' },
          minimumOrder: { value: 10, unit: 'tấn' },
          leadTimeDays: 7,
          servedProvinces: [PROVINCE],
        }),
      },
      as(admin),
    );
    capabilities.push(capability?.id ?? '');
  }
  const buyers: string[] = [];
  for (let i = 0; i < size.buyers; i += 1)
    buyers.push(await register(clients, `Công ty Thu mua Drill ${i + 1}`));
  log(`  world: ${suppliers.length} suppliers with a capability each, ${buyers.length} buyers`);

  // A cluster (registry.cluster).
  await clients.registry.formCluster(
    {
      name: 'Cụm liên kết giấy Drill',
      chain: 'giấy - bao bì',
      anchorEnterpriseId: suppliers[0] as string,
      memberEnterpriseIds: buyers.slice(0, 2),
    },
    as(admin),
  );

  // One need that matches and whose proposal both sides accept (matchmaking.proposal → registry
  // contact grants), one that matches nothing (matchmaking.demand).
  const probe = await clients.registry.postNeed(
    { need: needInput(buyers[0] as string, 'Drill setup: need with a match', HS_CODES[0] as string) },
    as(admin),
  );
  const probeId = probe.need?.id ?? '';
  await clients.registry.postNeed(
    { need: needInput(buyers[1] as string, 'Drill setup: need without a match', UNMATCHED_HS) },
    as(admin),
  );
  await waitUntil(
    async () => (await store.count(databases.matchmaking, 'proposals', { needId: probeId })) > 0,
    {
      timeoutMs: 90_000,
      what: 'a proposal for the setup need (matching works end to end)',
    },
  );
  const [proposal] = await store.all(
    databases.matchmaking,
    'proposals',
    { needId: probeId },
    { _id: 1, buyerEnterpriseId: 1, supplierEnterpriseId: 1 },
  );
  const proposalId = String(proposal?._id);
  await clients.matchmaking.acceptProposal({ proposalId }, as(firm(String(proposal?.buyerEnterpriseId))));
  const accepted = await clients.matchmaking.acceptProposal(
    { proposalId },
    as(firm(String(proposal?.supplierEnterpriseId))),
  );
  if (accepted.proposal?.status !== matchmakingV1.ProposalStatus.PROPOSAL_STATUS_ESTABLISHED)
    throw new Error(`setup: the proposal was not established (${accepted.proposal?.status})`);

  // Technology transfer: offer, interest, agreement, programme, co-funding, disbursement.
  const institute = await register(
    clients,
    'Viện Công nghệ Môi trường Drill',
    registryV1.EnterpriseKind.ENTERPRISE_KIND_RESEARCH_INSTITUTE,
  );
  const adopter = await register(
    clients,
    'Công ty Dệt nhuộm Drill',
    registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
    '25',
  );
  const created = await retrying(() =>
    clients.techtransfer.createOffer(
      { offer: offerInput(institute, 'Drill setup offer') },
      as(firm(institute)),
    ),
  );
  const offerId = created.offer?.id ?? '';
  await clients.techtransfer.publishOffer({ offerId }, as(firm(institute)));
  const { interest } = await retrying(() =>
    clients.techtransfer.expressInterest(
      { offerId, enterpriseId: adopter, message: 'Chúng tôi muốn áp dụng.', requestId: '' },
      as(firm(adopter)),
    ),
  );
  const interestId = interest?.id ?? '';
  await clients.techtransfer.acceptInterest({ interestId }, as(firm(institute)));
  const proposed = await clients.techtransfer.proposeAgreement(
    {
      interestId,
      type: tt.AgreementType.AGREEMENT_TYPE_LICENCE,
      value: { vnd: 600_000_000 },
      startDate: new Date(Date.now() + 30 * 86_400_000),
      termsSummary: 'Li-xăng 5 năm',
    },
    as(firm(institute)),
  );
  const signed = await clients.techtransfer.signAgreement(
    { interestId, agreementId: proposed.interest?.agreement?.id ?? '' },
    as(firm(adopter)),
  );
  const agreementId = signed.interest?.agreement?.id ?? '';
  const { programme } = await clients.techtransfer.createProgramme(
    {
      programme: api.ProgrammeInput.fromPartial({
        name: 'Khuyến công Drill: sản xuất sạch hơn',
        funderKind: tt.FunderKind.FUNDER_KIND_NATIONAL_FUND,
        budget: { vnd: 2_000_000_000 },
        maxCofundingPercent: 50,
        perProjectCap: { vnd: 250_000_000 },
        eligibility: { cleanerProductionOnly: true },
      }),
    },
    as(admin),
  );
  const { application } = await clients.techtransfer.applyForCoFunding(
    { programmeId: programme?.id ?? '', agreementId, enterpriseId: adopter, amount: { vnd: 250_000_000 } },
    as(firm(adopter)),
  );
  const applicationId = application?.id ?? '';
  await clients.techtransfer.approveCoFunding({ applicationId }, as(officer('25')));
  await clients.techtransfer.recordDisbursement(
    { applicationId, amount: { vnd: 100_000_000 }, reference: 'DRILL-001' },
    as(officer('25')),
  );
  // A technology need becomes a technology request (techtransfer.request).
  await clients.registry.postNeed(
    {
      need: needInput(
        buyers[2 % buyers.length] as string,
        'Drill setup: technology need',
        HS_CODES[1] as string,
        registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY,
      ),
    },
    as(admin),
  );
  log(
    '  world: a cluster, an established linkage, an unmet need, an offer with a signed and co-funded agreement, a technology request',
  );
  return { suppliers, buyers, capabilities, institute, adopter } satisfies World;
}
