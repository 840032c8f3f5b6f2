import { waitFor } from '@lienket/testkit';
import { validTaxCode } from '../../../registry/test/fixtures';
import { http, tokenFor } from '../platform';

/** A small country: firms in four provinces, needs and capabilities that match, one established linkage. */
export interface Seed {
  enterprises: Record<EnterpriseKey, { id: string; name: string; province: string; token: string }>;
  needs: SeededPosting[];
  capabilities: SeededPosting[];
  /** The proposal the browser accepts (buyer: kraft), and the one both sides accepted before (bolts). */
  proposals: { kraft: string; bolts: string; bamboo: string };
  leadFirms: string[];
  /** A published cleaner-production technology offer of the Bắc Ninh firm. */
  offer: { id: string; title: string };
  admin: string;
}

export interface SeededPosting {
  id: string;
  title: string;
  province: string;
  enterprise: EnterpriseKey;
  category?: string;
}

type EnterpriseKey = 'cartons' | 'kraft' | 'bolts' | 'bamboo' | 'electronics' | 'weaving';

const FIRMS: Record<EnterpriseKey, { name: string; province: string; vsic: string }> = {
  cartons: { name: 'Công ty Bao bì Thái Nguyên', province: '19', vsic: '1702' },
  kraft: { name: 'HTX Giấy Kraft Phú Bình', province: '19', vsic: '1701' },
  bolts: { name: 'Công ty Cơ khí Chính xác Bắc Ninh', province: '24', vsic: '2599' },
  bamboo: { name: 'HTX Mây tre đan Ninh Bình', province: '37', vsic: '1629' },
  electronics: { name: 'Công ty Điện tử Hải Phòng', province: '31', vsic: '2610' },
  weaving: { name: 'Cơ sở Dệt thổ cẩm Sơn La', province: '14', vsic: '1311' },
};

let taxSerial = 310_000_000 + Math.floor(Math.random() * 100_000_000);

type ProposalRow = { id: string; needId: string; capabilityId: string; status: string };

export async function seed(url: string): Promise<Seed> {
  const admin = await tokenFor({ sub: 'admin-portal', role: 'admin' });
  const enterprises = {} as Seed['enterprises'];
  for (const [key, firm] of Object.entries(FIRMS) as [EnterpriseKey, (typeof FIRMS)[EnterpriseKey]][]) {
    taxSerial += 7;
    const created = await http<{ enterprise: { id: string } }>(url, 'POST', '/v1/enterprises', {
      token: admin,
      body: {
        taxCode: validTaxCode(taxSerial),
        name: firm.name,
        kind: 'ENTERPRISE_KIND_ENTERPRISE',
        provinceCode: firm.province,
        primaryVsic: firm.vsic,
        contact: {
          person: firm.name,
          phone: `09120000${String(taxSerial % 100).padStart(2, '0')}`,
          email: 'lienhe@example.vn',
        },
      },
    });
    if (created.status !== 201)
      throw new Error(`register ${key}: ${created.status} ${JSON.stringify(created.body)}`);
    const id = created.body.enterprise.id;
    enterprises[key] = {
      id,
      name: firm.name,
      province: firm.province,
      token: await tokenFor({ sub: `user-${key}`, role: 'enterprise', enterprise_id: id }),
    };
  }

  // The kraft cooperative is Thái Nguyên's lead firm, designated by the province's officer.
  const officer19 = await tokenFor({ sub: 'officer-19', role: 'province', province_code: '19' });
  const verified = await http(url, 'POST', `/v1/enterprises/${enterprises.kraft.id}/verification`, {
    token: officer19,
    body: { decision: 'VERIFICATION_DECISION_VERIFY' },
  });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  const lead = await http(url, 'PUT', `/v1/enterprises/${enterprises.kraft.id}/lead-firm`, {
    token: officer19,
    body: { leadFirm: true },
  });
  if (lead.status !== 200) throw new Error(`lead firm: ${lead.status} ${JSON.stringify(lead.body)}`);

  const capabilities: SeededPosting[] = [];
  const postCapability = async (
    key: EnterpriseKey,
    title: string,
    hsCodes: string[],
    capacity: number,
    unit: string,
  ) => {
    const e = enterprises[key];
    const r = await http<{ capability: { id: string } }>(url, 'POST', '/v1/capabilities', {
      token: e.token,
      body: {
        enterpriseId: e.id,
        title,
        description: `${title}: sản xuất ổn định, giao hàng toàn miền Bắc`,
        hsCodes,
        monthlyCapacity: { value: capacity, unit },
        leadTimeDays: 10,
      },
    });
    if (r.status !== 201) throw new Error(`capability ${title}: ${r.status} ${JSON.stringify(r.body)}`);
    capabilities.push({ id: r.body.capability.id, title, province: e.province, enterprise: key });
  };
  await postCapability('kraft', 'Giấy kraft cuộn làm thùng carton', ['480411'], 300, 'tấn');
  await postCapability('bolts', 'Bu lông, ốc vít thép cường độ cao', ['731815'], 200_000, 'cái');
  await postCapability('bamboo', 'Giỏ mây tre đan xuất khẩu', ['460211'], 5_000, 'chiếc');
  await postCapability('weaving', 'Vải thổ cẩm dệt tay', ['580110'], 800, 'mét');

  const needs: SeededPosting[] = [];
  const postNeed = async (
    key: EnterpriseKey,
    title: string,
    category: string,
    hsCodes: string[],
    quantity: number,
    unit: string,
  ) => {
    const e = enterprises[key];
    const r = await http<{ need: { id: string } }>(url, 'POST', '/v1/needs', {
      token: e.token,
      body: {
        enterpriseId: e.id,
        title,
        description: `${title}, giao hằng tháng`,
        category,
        hsCodes,
        quantityPerMonth: { value: quantity, unit },
      },
    });
    if (r.status !== 201) throw new Error(`need ${title}: ${r.status} ${JSON.stringify(r.body)}`);
    needs.push({ id: r.body.need.id, title, province: e.province, enterprise: key, category });
  };
  await postNeed(
    'cartons',
    'Cần giấy kraft cuộn cho dây chuyền thùng carton',
    'NEED_CATEGORY_MATERIAL',
    ['480411'],
    100,
    'tấn',
  );
  await postNeed(
    'cartons',
    'Cần bu lông thép cho khung máy ép',
    'NEED_CATEGORY_COMPONENT',
    ['731815'],
    20_000,
    'cái',
  );
  await postNeed(
    'electronics',
    'Cần giỏ mây tre đựng quà tặng',
    'NEED_CATEGORY_MATERIAL',
    ['460211'],
    1_000,
    'chiếc',
  );

  const proposalFor = (needId: string, token: string) =>
    waitFor(
      async () => {
        const listed = await http<{ proposals?: ProposalRow[] }>(url, 'GET', '/v1/proposals', { token });
        return listed.body.proposals?.find((p) => p.needId === needId);
      },
      { timeoutMs: 45_000, what: `a proposal for need ${needId}` },
    );
  const [kraftNeed, boltsNeed, bambooNeed] = needs as [SeededPosting, SeededPosting, SeededPosting];
  const kraft = await proposalFor(kraftNeed.id, enterprises.cartons.token);
  const bolts = await proposalFor(boltsNeed.id, enterprises.cartons.token);
  const bamboo = await proposalFor(bambooNeed.id, enterprises.electronics.token);

  // One established linkage: Thái Nguyên (buyer) ← Bắc Ninh (supplier).
  for (const token of [enterprises.cartons.token, enterprises.bolts.token]) {
    const accepted = await http(url, 'POST', `/v1/proposals/${bolts.id}/acceptance`, { token });
    if (accepted.status !== 200)
      throw new Error(`accept bolts: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
  await waitFor(
    async () => {
      const r = await http<{ proposal: { status: string } }>(url, 'GET', `/v1/proposals/${bolts.id}`, {
        token: admin,
      });
      return r.body.proposal?.status === 'PROPOSAL_STATUS_ESTABLISHED';
    },
    { timeoutMs: 20_000, what: 'the bolts linkage established' },
  );

  const offerTitle = 'Công nghệ mạ kẽm nhúng nóng ít phát thải';
  const offer = await http<{ offer: { id: string } }>(url, 'POST', '/v1/tech/offers', {
    token: enterprises.bolts.token,
    body: {
      ownerEnterpriseId: enterprises.bolts.id,
      title: offerTitle,
      summary: 'Dây chuyền mạ kẽm nhúng nóng thu hồi hơi kẽm, giảm 60% khí thải so với lò hở.',
      vsicCodes: ['2592'],
      keywords: ['mạ kẽm', 'sản xuất sạch hơn'],
      readinessLevel: 7,
      ipStatus: 'IP_STATUS_KNOW_HOW',
      transferModes: ['TRANSFER_MODE_LICENCE', 'TRANSFER_MODE_TRAINING_CONSULTING'],
      cleanerProduction: true,
      visibility: 'VISIBILITY_PUBLIC',
    },
  });
  if (offer.status !== 201) throw new Error(`offer: ${offer.status} ${JSON.stringify(offer.body)}`);
  const published = await http(url, 'POST', `/v1/tech/offers/${offer.body.offer.id}/publication`, {
    token: enterprises.bolts.token,
  });
  if (published.status !== 200)
    throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);

  return {
    offer: { id: offer.body.offer.id, title: offerTitle },
    enterprises,
    needs,
    capabilities,
    proposals: { kraft: kraft.id, bolts: bolts.id, bamboo: bamboo.id },
    leadFirms: [enterprises.kraft.id],
    admin,
  };
}
