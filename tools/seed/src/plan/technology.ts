// Planning technology transfer (offers, requests, interests through negotiation to agreements) and co-funding
// (programmes and applications).

import { provinces as allProvinces } from '@lienket/reference';
import {
  type Chain,
  EQUIPMENT_OFFERS,
  INSTITUTES,
  type Mode,
  type Technology,
  technologyByKey,
} from '../catalogue';
import { provinceLabel } from '../names';
import type { Rng } from '../prng';
import type {
  AgreementType,
  PlannedApplication,
  PlannedInterest,
  PlannedOffer,
  PlannedProgramme,
  PlannedRequest,
  SeedPlan,
} from './bodies';
import { DAY_MS, type Draft, lowerFirst, provinceName } from './shared';

const VARIANTS = ['gói quy mô hộ gia đình', 'gói quy mô hợp tác xã', 'gói quy mô doanh nghiệp nhỏ và vừa'];
const AGREEMENT_TYPE: Record<Mode, AgreementType> = {
  LICENCE: 'AGREEMENT_TYPE_LICENCE',
  SALE: 'AGREEMENT_TYPE_SALE',
  EQUIPMENT_SUPPLY: 'AGREEMENT_TYPE_SALE',
  TRAINING_CONSULTING: 'AGREEMENT_TYPE_TRAINING',
  JOINT_VENTURE: 'AGREEMENT_TYPE_JOINT_VENTURE',
};

export function planOffers(root: Rng, drafts: Draft[]): PlannedOffer[] {
  const rng = root.fork('offers');
  const offers: PlannedOffer[] = [];
  const seen = new Map<string, number>();
  const add = (owner: Draft, tech: Technology, equipment: boolean, first: boolean) => {
    const occurrence = seen.get(tech.key) ?? 0;
    seen.set(tech.key, occurrence + 1);
    const base = equipment ? `Cung cấp, lắp đặt ${lowerFirst(tech.title)}` : tech.title;
    const title = occurrence === 0 ? base : `${base} – ${VARIANTS[(occurrence - 1) % VARIANTS.length]}`;
    const visibility = first
      ? 'VISIBILITY_PUBLIC'
      : rng.weighted([
          ['VISIBILITY_PUBLIC', 70],
          ['VISIBILITY_VERIFIED_ENTERPRISES', 20],
          ['VISIBILITY_NAMED_PROVINCES', 10],
        ] as const);
    const modes: Mode[] = equipment ? ['EQUIPMENT_SUPPLY', 'TRAINING_CONSULTING'] : [...tech.modes];
    offers.push({
      ref: `o${offers.length}`,
      owner: owner.ref,
      technology: tech.key,
      body: {
        title: title.slice(0, 200),
        summary: tech.summary,
        hsCodes: [...tech.hs],
        vsicCodes: [...tech.vsic],
        keywords: [...tech.keywords],
        readinessLevel: equipment ? 9 : tech.readiness,
        ipStatus: `IP_STATUS_${equipment ? 'NONE' : tech.ip}`,
        ipNumbers: equipment ? [] : [...tech.ipNumbers],
        transferModes: modes.map((m) => `TRANSFER_MODE_${m}` as const),
        priceBand: { min: { vnd: tech.price[0] }, max: { vnd: tech.price[1] } },
        cleanerProduction: tech.cleanerProduction,
        pollutionTreatment: tech.pollutionTreatment,
        languages: rng.chance(0.3) ? ['vi', 'en'] : ['vi'],
        visibility,
        visibleProvinces:
          visibility === 'VISIBILITY_NAMED_PROVINCES'
            ? allProvinces.filter((p) => p.region === owner.region).map((p) => p.code)
            : [],
        anonymous: !first && rng.chance(0.12),
      },
    });
  };
  for (const d of drafts) {
    if (d.group === 'institute') {
      const spec = INSTITUTES.find((i) => i.name === d.body.name);
      const keys = spec?.technologies ?? [];
      const count = Math.min(keys.length, 2 + (rng.chance(0.5) ? 1 : 0));
      keys.slice(0, count).forEach((key, i) => {
        add(d, technologyByKey.get(key) as Technology, false, i === 0);
      });
    } else if (d.verification !== 'reject') {
      const equipment = d.products.map((p) => EQUIPMENT_OFFERS[p]).find((t) => t !== undefined);
      if (equipment && rng.chance(0.6)) add(d, technologyByKey.get(equipment) as Technology, true, true);
    }
  }
  return offers;
}

export function planTechTransfer(
  root: Rng,
  drafts: Draft[],
  offers: PlannedOffer[],
  now: Date,
): Pick<SeedPlan, 'requests' | 'interests' | 'programmes' | 'applications'> {
  const rng = root.fork('techtransfer');
  const byRef = new Map(drafts.map((d) => [d.ref, d]));
  const publicOffers = offers.filter((o) => o.body.visibility === 'VISIBILITY_PUBLIC');
  const offersFor = (chain: Chain | null, owner: string) =>
    publicOffers.filter(
      (o) =>
        o.owner !== owner &&
        chain !== null &&
        (technologyByKey.get(o.technology) as Technology).targets.includes(chain),
    );
  const wanted =
    drafts.length >= 10 ? Math.max(2, Math.round(drafts.length / 25)) : drafts.length >= 5 ? 1 : 0;
  const candidates = rng.shuffle(
    drafts.filter(
      (d) =>
        d.verification === 'verify' &&
        (d.group === 'rural' || d.group === 'manufacturer' || d.group === 'supporting') &&
        offersFor(d.chain, d.ref).length > 0,
    ),
  );
  const requests: PlannedRequest[] = [];
  const interests: PlannedInterest[] = [];
  for (const d of candidates) {
    if (requests.length >= wanted) break;
    // The first requests ask for cleaner production or pollution treatment, so their agreements can be co-funded.
    const green = requests.length < 2;
    const fitting = offersFor(d.chain, d.ref).filter(
      (o) => !green || o.body.cleanerProduction || o.body.pollutionTreatment,
    );
    if (fitting.length === 0) continue;
    const offer = rng.pick(fitting);
    const tech = technologyByKey.get(offer.technology) as Technology;
    const product = d.primaryProduct ? `${d.primaryProduct.short}` : 'hàng xuất khẩu';
    const request: PlannedRequest = {
      ref: `r${requests.length}`,
      requester: d.ref,
      technology: tech.key,
      body: {
        title: tech.request,
        description: `${d.body.name} (${provinceName(d.province)}) sản xuất ${product}, mong muốn tìm đơn vị chuyển giao công nghệ, hỗ trợ lắp đặt và đào tạo vận hành.`,
        hsCodes: [...tech.hs],
        vsicCodes: [...tech.vsic],
        keywords: tech.keywords.slice(0, 3),
        minReadinessLevel: 6,
        transferModes: [],
        budget: { min: { vnd: tech.price[0] }, max: { vnd: tech.price[1] } },
        cleanerProduction: tech.cleanerProduction,
        pollutionTreatment: tech.pollutionTreatment,
      },
    };
    requests.push(request);
    interests.push({
      ref: `i${interests.length}`,
      interested: d.ref,
      offer: offer.ref,
      request: request.ref,
      message: `Chúng tôi quan tâm tới "${offer.body.title}" để áp dụng tại ${d.place || provinceName(d.province)}. Đề nghị quý đơn vị gửi thông tin về chi phí, thời gian chuyển giao và các cơ sở đã áp dụng.`,
      answer: 'none',
      messages: [],
    });
  }
  // A few interests without a request: firms browsing the marketplace.
  const extra = drafts.length >= 30 ? Math.round(drafts.length / 60) : 0;
  const requesters = new Set(requests.map((r) => r.requester));
  for (const d of rng.shuffle(drafts.filter((x) => x.verification === 'verify' && !requesters.has(x.ref)))) {
    if (interests.length >= requests.length + extra) break;
    const fitting = offersFor(d.chain, d.ref);
    if (fitting.length === 0 || d.group === 'institute') continue;
    const offer = rng.pick(fitting);
    interests.push({
      ref: `i${interests.length}`,
      interested: d.ref,
      offer: offer.ref,
      message: `Cơ sở chúng tôi đang tìm hiểu "${offer.body.title}". Xin được tham quan mô hình đã triển khai.`,
      answer: 'none',
      messages: [],
    });
  }
  // Owners answer: three in five accepted, one declined, one left pending.
  interests.forEach((interest, i) => {
    const step = i % 5;
    if (step <= 2) interest.answer = 'accept';
    else if (step === 3 && interests.length >= 3) {
      interest.answer = 'decline';
      interest.declineReason =
        'Đơn vị đã kín lịch chuyển giao trong năm nay; đề nghị liên hệ lại vào quý sau.';
    }
    if (interest.answer !== 'accept') return;
    interest.messages = [
      {
        by: 'owner',
        text: 'Cảm ơn quý đơn vị đã quan tâm. Chúng tôi gửi kèm hồ sơ kỹ thuật và báo giá sơ bộ.',
        attachments: [
          {
            fileName: 'ho-so-ky-thuat.pdf',
            mediaType: 'application/pdf',
            sizeBytes: rng.int(150_000, 2_500_000),
            sha256: Array.from({ length: 64 }, () => '0123456789abcdef'[rng.int(0, 15)]).join(''),
          },
        ],
      },
      {
        by: 'interested',
        text: 'Chúng tôi đề nghị khảo sát thực tế tại cơ sở trong tháng tới để chốt phương án.',
        attachments: [],
      },
    ];
  });
  const offerByRef = new Map(offers.map((o) => [o.ref, o]));
  const agreed = interests.filter((x) => x.request !== undefined && x.answer === 'accept').slice(0, 2);
  for (const interest of agreed) {
    const offer = offerByRef.get(interest.offer) as PlannedOffer;
    const tech = technologyByKey.get(offer.technology) as Technology;
    const mode = (offer.body.transferModes[0] ?? 'TRANSFER_MODE_LICENCE').replace(
      'TRANSFER_MODE_',
      '',
    ) as Mode;
    interest.agreement = {
      type: AGREEMENT_TYPE[mode],
      valueVnd: rng.round(tech.price[0], tech.price[1], 1_000_000),
      startDate: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
      termsSummary: `Chuyển giao ${lowerFirst(tech.title)}: khảo sát, lắp đặt, đào tạo vận hành hai đợt, bảo hành 12 tháng; thanh toán ba đợt theo tiến độ.`,
    };
  }

  const year = now.getUTCFullYear();
  const programmes: PlannedProgramme[] = [
    {
      ref: 'national',
      openedBy: 'admin',
      body: {
        name: `Chương trình khuyến công quốc gia năm ${year}: hỗ trợ chuyển giao công nghệ sản xuất sạch hơn`,
        funderKind: 'FUNDER_KIND_NATIONAL_FUND',
        budget: { vnd: 20_000_000_000 },
        maxCofundingPercent: 50,
        perProjectCap: { vnd: 1_000_000_000 },
        eligibility: { provinces: [], vsicPrefixes: [], cleanerProductionOnly: true },
      },
    },
    {
      ref: 'sponsor',
      openedBy: 'admin',
      body: {
        name: `Chương trình hỗ trợ làng nghề sản xuất sạch hơn vùng Đồng bằng sông Cửu Long ${year}`,
        funderKind: 'FUNDER_KIND_SPONSOR',
        sponsor: {
          name: 'Quỹ Hợp tác Phát triển Xanh Mê Kông',
          kind: 'SPONSOR_KIND_FOREIGN_ORGANISATION',
          country: 'DE',
        },
        budget: { vnd: 5_000_000_000 },
        maxCofundingPercent: 40,
        perProjectCap: { vnd: 500_000_000 },
        eligibility: {
          provinces: allProvinces.filter((p) => p.region === 'MD').map((p) => p.code),
          vsicPrefixes: [],
          cleanerProductionOnly: true,
        },
      },
    },
  ];
  const applications: PlannedApplication[] = [];
  const [first, second] = agreed;
  if (first?.agreement) {
    const applicant = byRef.get(first.interested) as Draft;
    const province = applicant.province;
    programmes.push({
      ref: 'provincial',
      openedBy: { province },
      body: {
        name: `Quỹ khuyến công địa phương ${provinceLabel(province)} năm ${year}`,
        funderKind: 'FUNDER_KIND_PROVINCIAL_FUND',
        province,
        budget: { vnd: 3_000_000_000 },
        maxCofundingPercent: 30,
        perProjectCap: { vnd: 300_000_000 },
        eligibility: { provinces: [province], vsicPrefixes: [], cleanerProductionOnly: false },
      },
    });
    const amount = floorMillion(Math.min((first.agreement.valueVnd * 30) / 100, 300_000_000));
    applications.push({
      interest: first.ref,
      programme: 'provincial',
      applicant: applicant.ref,
      amountVnd: amount,
      decidedBy: province,
      disbursement: {
        amountVnd: floorMillion(amount / 2),
        reference: `KBNN-${province}-${year}-${rng.digits(5)}`,
      },
    });
  }
  if (second?.agreement) {
    const applicant = byRef.get(second.interested) as Draft;
    applications.push({
      interest: second.ref,
      programme: 'national',
      applicant: applicant.ref,
      amountVnd: floorMillion(Math.min((second.agreement.valueVnd * 50) / 100, 1_000_000_000)),
      decidedBy: applicant.province,
    });
  }
  return { requests, interests, programmes, applications };
}

const floorMillion = (vnd: number) => Math.max(1_000_000, Math.floor(vnd / 1_000_000) * 1_000_000);
