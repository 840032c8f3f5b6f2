import {
  provinces as allProvinces,
  findProvince,
  neighbours,
  proximity,
  type RegionCode,
  regionOf,
  regions,
} from '@lienket/reference';
import {
  ARCHETYPES,
  type Archetype,
  type Category,
  CHAINS,
  type Chain,
  CLUSTER_ORDER,
  EQUIPMENT_OFFERS,
  GROUP_SHARES,
  type Group,
  INSTITUTE_SHARE,
  INSTITUTES,
  type Kind,
  type Mode,
  PROVINCE_WEIGHTS,
  type Product,
  productByKey,
  type Size,
  type Technology,
  technologyByKey,
} from './catalogue';
import { address, brandName, mobilePhone, personName, placeIn, provinceLabel, slug } from './names';
import { Rng } from './prng';
import { newTaxCode } from './tax-code';

const DAY_MS = 86_400_000;

// ------------------------------------------------------------------------------------------------
// The plan: everything the seed will send, in the proto3 JSON form the gateway takes (enums by name,
// money as { vnd }), with references ("e12", "c3", …) where the server assigns ids.

export interface Money {
  vnd: number;
}
export interface MoneyRange {
  min: Money;
  max: Money;
}
export interface Quantity {
  value: number;
  unit: string;
}
export interface RecognitionBody {
  kind: string;
  level?: string;
  year: number;
  product?: string;
}

export interface EnterpriseBody {
  taxCode: string;
  name: string;
  kind: `ENTERPRISE_KIND_${Kind}`;
  supportingIndustry: boolean;
  provinceCode: string;
  address: string;
  primaryVsic: string;
  vsicCodes: string[];
  sizeBand: `SIZE_BAND_${Size}`;
  recognitions: RecognitionBody[];
  trademarks: { name: string; registrationNumber: string }[];
  contact: { person: string; phone: string; email: string };
}

export interface PlannedEnterprise {
  ref: string;
  group: Group;
  /** Archetype key, or "institute". */
  archetype: string;
  chain: Chain | null;
  province: string;
  region: RegionCode;
  /** Products it supplies (capabilities). */
  products: string[];
  verification: 'verify' | 'reject' | 'none';
  leadFirm: boolean;
  body: EnterpriseBody;
}

export interface CapabilityBody {
  title: string;
  description: string;
  hsCodes: string[];
  vsicCodes: string[];
  monthlyCapacity: Quantity;
  minimumOrder: Quantity;
  leadTimeDays: number;
  servedProvinces: string[];
  servedRegions: string[];
  certifications: string[];
  priceBand: MoneyRange;
}

export interface PlannedCapability {
  ref: string;
  owner: string;
  product: string;
  body: CapabilityBody;
}

export interface NeedBody {
  title: string;
  description: string;
  category: `NEED_CATEGORY_${Category}`;
  hsCodes: string[];
  vsicCodes: string[];
  quantityPerMonth: Quantity;
  deadline: string;
  requiredCertifications: string[];
  preferredProvinces: string[];
  budget?: MoneyRange;
}

/** What the buyer does with the proposals matchmaking makes for the need. */
export type NeedOutcome = 'establish' | 'accept-one' | 'decline' | 'leave';

export interface PlannedNeed {
  ref: string;
  owner: string;
  product: string;
  outcome: NeedOutcome;
  body: NeedBody;
}

export interface PlannedCluster {
  name: string;
  chain: string;
  anchor: string;
  members: string[];
}

export interface OfferBody {
  title: string;
  summary: string;
  hsCodes: string[];
  vsicCodes: string[];
  keywords: string[];
  readinessLevel: number;
  ipStatus: string;
  ipNumbers: string[];
  transferModes: string[];
  priceBand: MoneyRange;
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
  languages: string[];
  visibility: 'VISIBILITY_PUBLIC' | 'VISIBILITY_VERIFIED_ENTERPRISES' | 'VISIBILITY_NAMED_PROVINCES';
  visibleProvinces: string[];
  anonymous: boolean;
}

export interface PlannedOffer {
  ref: string;
  owner: string;
  technology: string;
  body: OfferBody;
}

export interface RequestBody {
  title: string;
  description: string;
  hsCodes: string[];
  vsicCodes: string[];
  keywords: string[];
  minReadinessLevel: number;
  transferModes: string[];
  budget: MoneyRange;
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
}

export interface PlannedRequest {
  ref: string;
  requester: string;
  technology: string;
  body: RequestBody;
}

export interface Attachment {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface PlannedInterest {
  ref: string;
  interested: string;
  offer: string;
  request?: string;
  message: string;
  answer: 'accept' | 'decline' | 'none';
  declineReason?: string;
  messages: { by: 'owner' | 'interested'; text: string; attachments: Attachment[] }[];
  agreement?: { type: string; valueVnd: number; startDate: string; termsSummary: string };
}

export interface ProgrammeBody {
  name: string;
  funderKind: 'FUNDER_KIND_NATIONAL_FUND' | 'FUNDER_KIND_PROVINCIAL_FUND' | 'FUNDER_KIND_SPONSOR';
  sponsor?: { name: string; kind: string; country: string };
  province?: string;
  budget: Money;
  maxCofundingPercent: number;
  perProjectCap: Money;
  eligibility: { provinces: string[]; vsicPrefixes: string[]; cleanerProductionOnly: boolean };
}

export interface PlannedProgramme {
  ref: string;
  /** "admin", or the province whose officer opens its own fund. */
  openedBy: 'admin' | { province: string };
  body: ProgrammeBody;
}

export interface PlannedApplication {
  interest: string;
  programme: string;
  applicant: string;
  amountVnd: number;
  /** The officer's province that decides (the applicant's). */
  decidedBy: string;
  disbursement?: { amountVnd: number; reference: string };
}

export interface SeedPlan {
  seed: string;
  now: string;
  enterprises: PlannedEnterprise[];
  capabilities: PlannedCapability[];
  needs: PlannedNeed[];
  clusters: PlannedCluster[];
  offers: PlannedOffer[];
  requests: PlannedRequest[];
  interests: PlannedInterest[];
  programmes: PlannedProgramme[];
  applications: PlannedApplication[];
}

export interface GenerateOptions {
  enterprises: number;
  seed: string | number;
  /** Deadlines and years are counted from here (default: now). */
  now?: Date;
}

// ------------------------------------------------------------------------------------------------
// helpers

/** 12345 → "12.345", as Vietnamese writes thousands. */
export function formatVi(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** Two significant figures: 12_345 → 12_000; keeps small numbers. */
export function nice(n: number): number {
  if (n < 100) return Math.max(1, Math.round(n));
  const magnitude = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / magnitude) * magnitude;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const unique = <T>(items: readonly T[]) => [...new Set(items)];

const REGION_NEIGHBOURS: Readonly<Record<RegionCode, readonly RegionCode[]>> = {
  NMM: ['RRD', 'NCC'],
  RRD: ['NMM', 'NCC'],
  NCC: ['RRD', 'NMM', 'CH'],
  CH: ['NCC', 'SE'],
  SE: ['CH', 'MD'],
  MD: ['SE'],
};

const regionName = (code: RegionCode) => regions.find((r) => r.code === code)?.nameVi ?? code;
const provinceName = (code: string) => findProvince(code)?.name ?? code;

const SIZE_RANK: Record<Size, number> = { MICRO: 0, SMALL: 1, MEDIUM: 2, LARGE: 3 };
const GROUP_RANK: Record<Group, number> = {
  manufacturer: 4,
  supporting: 3,
  material: 2,
  rural: 1,
  institute: 0,
};

/** How many enterprises of each group; institutes at least two (from 10 enterprises), capped by the list. */
export function groupCounts(total: number): Record<Group, number> {
  const institutes =
    total >= 10
      ? Math.min(INSTITUTES.length, Math.max(2, Math.round(total * INSTITUTE_SHARE)))
      : total >= 4
        ? 1
        : 0;
  const rest = total - institutes;
  const shareSum = GROUP_SHARES.reduce((s, [, share]) => s + share, 0);
  const exact = GROUP_SHARES.map(([group, share]) => [group, (rest * share) / shareSum] as const);
  const counts = Object.fromEntries(exact.map(([g, x]) => [g, Math.floor(x)])) as Record<Group, number>;
  let left = rest - exact.reduce((s, [, x]) => s + Math.floor(x), 0);
  // Largest remainders first; ties in the listed order.
  for (const [group] of [...exact].sort((a, b) => (b[1] % 1) - (a[1] % 1))) {
    if (left <= 0) break;
    counts[group] += 1;
    left -= 1;
  }
  counts.institute = institutes;
  return counts;
}

// ------------------------------------------------------------------------------------------------
// enterprises

interface Draft extends PlannedEnterprise {
  index: number;
  size: Size;
  kind: Kind;
  place: string;
  brand: string;
  primaryProduct: Product | undefined;
  ocop: { stars: string; product: string } | undefined;
}

function chooseArchetype(
  rng: Rng,
  group: Exclude<Group, 'institute'>,
  province: string | undefined,
): Archetype {
  const inGroup = ARCHETYPES.filter((a) => a.group === group);
  if (province !== undefined) {
    const typical = inGroup.filter((a) => a.provinces.includes(province));
    const candidates = typical.length > 0 ? typical : inGroup.filter((a) => a.anywhere);
    if (candidates.length > 0) return rng.weighted(candidates.map((a) => [a, a.weight] as const));
  }
  return rng.weighted(inGroup.map((a) => [a, a.weight] as const));
}

function chooseProvince(rng: Rng, archetype: Archetype): string {
  if (rng.chance(0.75)) {
    const n = archetype.provinces.length;
    return rng.weighted(archetype.provinces.map((p, i) => [p, n - i + 2] as const));
  }
  return rng.weighted(allProvinces.map((p) => [p.code, PROVINCE_WEIGHTS[p.code] ?? 1.5] as const));
}

const LEGAL_FORMS = [
  ['Công ty TNHH', 55],
  ['Công ty Cổ phần', 30],
  ['Công ty TNHH MTV', 15],
] as const;

function enterpriseName(
  rng: Rng,
  kind: Kind,
  trade: string,
  place: string,
  brand: string,
  person: string,
  attempt: number,
): string {
  const tradeLower = lowerFirst(trade);
  switch (kind) {
    case 'COOPERATIVE':
      return attempt === 0 ? `Hợp tác xã ${trade} ${place}` : `Hợp tác xã ${trade} ${brand}`;
    case 'RURAL_INDUSTRIAL_ESTABLISHMENT':
      return rng.chance(0.5) ? `Cơ sở ${trade} ${brand}` : `Cơ sở sản xuất ${tradeLower} ${brand}`;
    case 'HOUSEHOLD_BUSINESS':
      return attempt === 0 ? `Hộ kinh doanh ${person}` : `Hộ kinh doanh ${tradeLower} ${person}`;
    default:
      return `${rng.weighted(LEGAL_FORMS)} ${trade} ${brand}`;
  }
}

const STREETS = [
  'đường Hoàng Quốc Việt',
  'đường Trường Chinh',
  'đường Láng',
  'đường Nguyễn Văn Cừ',
  'đường 3 Tháng 2',
  'đường Lê Duẩn',
  'đường Hùng Vương',
  'đường Trần Phú',
];

function draftEnterprises(root: Rng, total: number, taken: Set<string>): Draft[] {
  const counts = groupCounts(total);
  const order = root
    .fork('order')
    .shuffle(
      (['rural', 'material', 'supporting', 'manufacturer'] as const).flatMap((g) =>
        Array.from({ length: counts[g] }, () => g),
      ),
    );
  // Institutes first (their list is ordered by importance), then the shuffled rest.
  const groups: Group[] = [...Array.from({ length: counts.institute }, () => 'institute' as const), ...order];
  const coverage = root.fork('coverage').shuffle(allProvinces.map((p) => p.code));
  const names = new Set<string>();
  const drafts: Draft[] = [];
  let slot = 0;
  let institute = 0;
  groups.forEach((group, index) => {
    const rng = root.fork(`enterprise:${index}`);
    const taxCode = newTaxCode(rng, taken);
    const person = personName(rng);
    const phone = mobilePhone(rng);
    if (group === 'institute') {
      const spec = INSTITUTES[institute++] as (typeof INSTITUTES)[number];
      names.add(spec.name);
      const domain = slug(spec.name.split(' ').slice(-3).join(' '));
      drafts.push({
        ref: `e${index}`,
        index,
        group,
        archetype: 'institute',
        chain: null,
        province: spec.province,
        region: regionOf(spec.province) as RegionCode,
        products: [],
        verification: 'verify',
        leadFirm: false,
        size: 'MEDIUM',
        kind: spec.kind,
        place: '',
        brand: spec.name,
        primaryProduct: undefined,
        ocop: undefined,
        body: {
          taxCode,
          name: spec.name,
          kind: `ENTERPRISE_KIND_${spec.kind}`,
          supportingIndustry: false,
          provinceCode: spec.province,
          address: `Số ${rng.int(1, 320)} ${rng.pick(STREETS)}, ${provinceName(spec.province)}`,
          primaryVsic: spec.kind === 'RESEARCH_INSTITUTE' ? '7212' : '7020',
          vsicCodes: spec.kind === 'RESEARCH_INSTITUTE' ? ['7212', '7120'] : ['7020', '8559'],
          sizeBand: 'SIZE_BAND_MEDIUM',
          recognitions: [],
          trademarks: [],
          contact: { person, phone, email: `chuyengiao@${domain}.gov.vn` },
        },
      });
      return;
    }
    const coverageProvince = slot < coverage.length ? coverage[slot++] : undefined;
    const archetype = chooseArchetype(rng, group, coverageProvince);
    const province = coverageProvince ?? chooseProvince(rng, archetype);
    const kind = rng.weighted(archetype.kinds);
    const size: Size =
      kind === 'HOUSEHOLD_BUSINESS'
        ? 'MICRO'
        : kind === 'COOPERATIVE' || kind === 'RURAL_INDUSTRIAL_ESTABLISHMENT'
          ? rng.weighted(archetype.sizes.filter(([s]) => s !== 'LARGE'))
          : rng.weighted(archetype.sizes);
    // Products it supplies: a primary one, sometimes a second.
    const options = archetype.products.map((key) => productByKey.get(key) as Product);
    const primaryProduct = options.length > 0 ? rng.pick(options) : undefined;
    const others = options.filter((p) => p !== primaryProduct);
    const extra = others.length > 0 && rng.chance(group === 'rural' ? 0.3 : 0.45) ? [rng.pick(others)] : [];
    const supplied = primaryProduct ? [primaryProduct, ...extra] : [];
    const trade = archetype.trade ?? primaryProduct?.trade ?? 'Sản xuất';
    const place = placeIn(rng, province);
    let brand = brandName(rng);
    let name = '';
    for (let attempt = 0; ; attempt++) {
      name = enterpriseName(rng, kind, trade, place, brand, person, attempt);
      if (attempt > 3) name = `${name} ${provinceName(province)}`;
      if (attempt > 8) name = `${name} ${attempt}`;
      if (!names.has(name)) break;
      brand = brandName(rng);
    }
    names.add(name);
    const vsic = unique([...supplied.flatMap((p) => p.vsic), ...archetype.vsic]);
    if (vsic.length === 0) vsic.push('3290');
    const rural = group === 'rural' || kind === 'COOPERATIVE';
    // OCOP stars and the typical rural product title go to rural products.
    const recognitions: RecognitionBody[] = [];
    let ocop: Draft['ocop'];
    const label = kind === 'COOPERATIVE' ? place : brand;
    if (primaryProduct?.ocop && archetype.ocop && rng.chance(archetype.ocop)) {
      const stars = rng.weighted([
        ['3', 55],
        ['4', 37],
        ['5', 8],
      ] as const);
      const product = `${upperFirst(primaryProduct.short)} ${label}`;
      ocop = { stars, product };
      recognitions.push({ kind: 'OCOP', level: stars, year: rng.int(2020, 2025), product });
    }
    if (group === 'rural' && primaryProduct && rng.chance(0.18)) {
      recognitions.push({
        kind: 'TYPICAL_RURAL_PRODUCT',
        level: rng.weighted([
          ['provincial', 70],
          ['regional', 22],
          ['national', 8],
        ] as const),
        year: rng.int(2018, 2025),
        product: `${upperFirst(primaryProduct.short)} ${label}`,
      });
    }
    for (const [cert, p] of archetype.certs ?? []) {
      if (rng.chance(p)) recognitions.push({ kind: cert, year: rng.int(2014, 2025) });
    }
    const trademarks =
      ocop || (kind === 'ENTERPRISE' && rng.chance(0.4))
        ? [
            {
              name: kind === 'COOPERATIVE' ? `${trade} ${place}` : brand,
              registrationNumber: `4-0${rng.digits(6)}-000`,
            },
          ]
        : [];
    const email =
      kind === 'HOUSEHOLD_BUSINESS' || (rural && rng.chance(0.5))
        ? `${slug(person.split(' ').slice(-1).join(''))}${slug(place)}${rng.int(10, 99)}@gmail.com`
        : `lienhe@${slug(brand)}${rng.int(1, 9)}.vn`;
    drafts.push({
      ref: `e${index}`,
      index,
      group,
      archetype: archetype.key,
      chain: archetype.chain,
      province,
      region: regionOf(province) as RegionCode,
      products: supplied.map((p) => p.key),
      verification: 'none',
      leadFirm: false,
      size,
      kind,
      place,
      brand,
      primaryProduct,
      ocop,
      body: {
        taxCode,
        name,
        kind: `ENTERPRISE_KIND_${kind}`,
        supportingIndustry: archetype.supportingIndustry,
        provinceCode: province,
        address: address(rng, province, place, kind === 'ENTERPRISE' && group !== 'rural'),
        primaryVsic: vsic[0] as string,
        vsicCodes: vsic,
        sizeBand: `SIZE_BAND_${size}`,
        recognitions,
        trademarks,
        contact: { person, phone, email },
      },
    });
  });
  return drafts;
}

// ------------------------------------------------------------------------------------------------
// verification, clusters, lead firms

function decideVerification(root: Rng, drafts: Draft[]): void {
  const rng = root.fork('verification');
  const mayReject = drafts.length >= 60;
  for (const d of drafts) {
    if (d.group === 'institute') {
      d.verification = 'verify';
      continue;
    }
    const r = rng.next();
    d.verification = mayReject && r < 0.015 ? 'reject' : r < 0.87 ? 'verify' : 'none';
  }
}

function planClusters(root: Rng, drafts: Draft[]): PlannedCluster[] {
  const wanted = drafts.length >= 20 ? Math.min(8, Math.max(1, Math.floor(drafts.length / 35))) : 0;
  const rng = root.fork('clusters');
  const clusters: PlannedCluster[] = [];
  for (const chain of CLUSTER_ORDER) {
    if (clusters.length >= wanted) break;
    const candidates = drafts.filter((d) => d.chain === chain && d.verification !== 'reject');
    const anchors = candidates
      .filter((d) => d.verification === 'verify')
      .sort(
        (a, b) =>
          GROUP_RANK[b.group] - GROUP_RANK[a.group] ||
          SIZE_RANK[b.size] - SIZE_RANK[a.size] ||
          a.index - b.index,
      );
    const anchor = anchors[0];
    if (!anchor) continue;
    const closeness = { same_province: 0, neighbour: 1, same_region: 2, other_region: 3 } as const;
    const members = candidates
      .filter((d) => d !== anchor)
      .map((d) => ({ d, c: closeness[proximity(anchor.province, d.province)], r: rng.next() }))
      .sort((a, b) => a.c - b.c || a.r - b.r)
      .slice(0, 6)
      .map(({ d }) => d);
    if (members.length < 2 || new Set([anchor, ...members].map((d) => d.province)).size < 2) continue;
    anchor.leadFirm = true;
    clusters.push({
      name: `Cụm liên kết chuỗi ${CHAINS[chain]} ${regionName(anchor.region)}`,
      chain: CHAINS[chain],
      anchor: anchor.ref,
      members: members.map((m) => m.ref),
    });
  }
  return clusters;
}

function decideLeadFirms(root: Rng, drafts: Draft[]): void {
  const rng = root.fork('lead-firms');
  for (const d of drafts) {
    if (d.verification !== 'verify' || d.group === 'institute' || d.leadFirm) continue;
    const p =
      d.group === 'manufacturer'
        ? d.size === 'LARGE'
          ? 0.45
          : 0.2
        : d.group === 'supporting' && d.size === 'LARGE'
          ? 0.3
          : d.kind === 'COOPERATIVE' && d.size === 'MEDIUM'
            ? 0.3
            : 0;
    if (rng.chance(p)) d.leadFirm = true;
  }
}

// ------------------------------------------------------------------------------------------------
// postings

function planCapabilities(root: Rng, drafts: Draft[]): PlannedCapability[] {
  const out: PlannedCapability[] = [];
  for (const d of drafts) {
    if (d.verification === 'reject') continue;
    const rng = root.fork(`capabilities:${d.index}`);
    for (const key of d.products) {
      const product = productByKey.get(key) as Product;
      const capacity = nice(rng.int(product.capacity[0], product.capacity[1]));
      const certs = d.body.recognitions
        .filter((r) => r.kind !== 'TYPICAL_RURAL_PRODUCT' && r.kind !== 'OCOP')
        .map((r) => r.kind);
      if (d.ocop && key === d.primaryProduct?.key) certs.push(`OCOP:${d.ocop.stars}`);
      const scope = rng.next();
      const regional = d.group === 'rural' || d.group === 'material' ? 0.3 : 0.15;
      const servedRegions = scope < regional ? [d.region, ...REGION_NEIGHBOURS[d.region]] : [];
      const servedProvinces =
        d.group === 'rural' && scope >= regional && scope < regional + 0.08
          ? [d.province, ...neighbours(d.province)]
          : [];
      const ocopNote =
        d.ocop && key === d.primaryProduct?.key ? ` Sản phẩm đạt OCOP ${d.ocop.stars} sao.` : '';
      out.push({
        ref: `c${out.length}`,
        owner: d.ref,
        product: key,
        body: {
          title: product.title,
          description: `${product.detail}. Công suất khoảng ${formatVi(capacity)} ${product.unit}/tháng tại ${provinceName(d.province)}.${ocopNote}`,
          hsCodes: [...product.hs],
          vsicCodes: [...product.vsic],
          monthlyCapacity: { value: capacity, unit: product.unit },
          minimumOrder: {
            value: nice(Math.max(1, capacity * rng.pick([0.01, 0.02, 0.05]))),
            unit: product.unit,
          },
          leadTimeDays: rng.int(product.leadTime[0], product.leadTime[1]),
          servedProvinces,
          servedRegions,
          certifications: unique(certs),
          priceBand: { min: { vnd: product.price[0] }, max: { vnd: product.price[1] } },
        },
      });
    }
  }
  return out;
}

const NEED_NOTES = [
  'Ưu tiên nhà cung cấp trong vùng để giảm chi phí vận chuyển.',
  'Có thể ký hợp đồng khung 12 tháng, giao hàng theo lô hằng tháng.',
  'Cần mẫu thử trước khi đặt hàng chính thức.',
  'Yêu cầu hóa đơn VAT và chứng từ nguồn gốc đầy đủ.',
  'Thanh toán chuyển khoản 30 ngày sau khi nhận hàng.',
];

const KIND_LABEL: Record<Kind, string> = {
  ENTERPRISE: 'doanh nghiệp',
  COOPERATIVE: 'hợp tác xã',
  HOUSEHOLD_BUSINESS: 'hộ kinh doanh',
  RURAL_INDUSTRIAL_ESTABLISHMENT: 'cơ sở',
  RESEARCH_INSTITUTE: 'viện',
  PROMOTION_CENTRE: 'trung tâm',
};

function planNeeds(root: Rng, drafts: Draft[], capabilities: PlannedCapability[], now: Date): PlannedNeed[] {
  const suppliers = new Map<string, PlannedCapability[]>();
  for (const c of capabilities) suppliers.set(c.product, [...(suppliers.get(c.product) ?? []), c]);
  const out: PlannedNeed[] = [];
  for (const d of drafts) {
    if (d.verification === 'reject' || d.group === 'institute') continue;
    const archetype = ARCHETYPES.find((a) => a.key === d.archetype) as Archetype;
    const rng = root.fork(`needs:${d.index}`);
    const count =
      d.group === 'rural'
        ? rng.weighted([
            [0, 15],
            [1, 60],
            [2, 25],
          ] as const)
        : d.group === 'supporting'
          ? rng.weighted([
              [0, 45],
              [1, 55],
            ] as const)
          : d.group === 'manufacturer'
            ? rng.int(2, 3)
            : 0;
    const eligible = archetype.needs.filter(([key]) =>
      (suppliers.get(key) ?? []).some((c) => c.owner !== d.ref),
    );
    for (const [key, category] of rng.sample(eligible, count)) {
      const product = productByKey.get(key) as Product;
      const q = nice(rng.int(product.need[0], product.need[1]));
      const title =
        category === 'OUTSOURCING'
          ? `Tìm cơ sở gia công ${product.needPhrase}, khoảng ${formatVi(q)} ${product.unit}/tháng`
          : category === 'EQUIPMENT'
            ? `Cần đầu tư ${formatVi(q)} ${product.unit} ${product.needPhrase}`
            : `Cần ${formatVi(q)} ${product.unit} ${product.needPhrase} mỗi tháng`;
      const purpose = d.primaryProduct
        ? `Phục vụ sản xuất ${d.primaryProduct.short} của ${KIND_LABEL[d.kind]} tại ${provinceName(d.province)}.`
        : `Phục vụ đơn hàng xuất khẩu của ${KIND_LABEL[d.kind]} tại ${provinceName(d.province)}.`;
      const certified = (suppliers.get(key) ?? []).some(
        (c) => c.owner !== d.ref && c.body.certifications.includes('ISO_9001'),
      );
      const requireIso =
        d.group === 'manufacturer' && category === 'COMPONENT' && certified && rng.chance(0.35);
      const hs = product.hs[0] as string;
      out.push({
        ref: `n${out.length}`,
        owner: d.ref,
        product: key,
        outcome: rng.weighted([
          ['establish', 45],
          ['accept-one', 12],
          ['decline', 8],
          ['leave', 35],
        ] as const),
        body: {
          title,
          description: `${purpose} ${rng.pick(NEED_NOTES)}`,
          category: `NEED_CATEGORY_${category}`,
          hsCodes: [hs.length > 4 && rng.chance(0.3) ? hs.slice(0, 4) : hs],
          vsicCodes: [],
          quantityPerMonth: { value: q, unit: product.unit },
          deadline: new Date(now.getTime() + rng.int(30, 120) * DAY_MS).toISOString(),
          requiredCertifications: requireIso ? ['ISO_9001'] : [],
          preferredProvinces: rng.chance(0.25) ? [d.province, ...neighbours(d.province)] : [],
          ...(rng.chance(0.4)
            ? { budget: { min: { vnd: q * product.price[0] }, max: { vnd: q * product.price[1] } } }
            : {}),
        },
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// technology transfer and co-funding

const VARIANTS = ['gói quy mô hộ gia đình', 'gói quy mô hợp tác xã', 'gói quy mô doanh nghiệp nhỏ và vừa'];
const AGREEMENT_TYPE: Record<Mode, string> = {
  LICENCE: 'AGREEMENT_TYPE_LICENCE',
  SALE: 'AGREEMENT_TYPE_SALE',
  EQUIPMENT_SUPPLY: 'AGREEMENT_TYPE_SALE',
  TRAINING_CONSULTING: 'AGREEMENT_TYPE_TRAINING',
  JOINT_VENTURE: 'AGREEMENT_TYPE_JOINT_VENTURE',
};

function planOffers(root: Rng, drafts: Draft[]): PlannedOffer[] {
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
        transferModes: modes.map((m) => `TRANSFER_MODE_${m}`),
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

function planTechTransfer(
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

// ------------------------------------------------------------------------------------------------

/** The whole data set for a size and a seed: the same inputs always give the same plan. */
export function generate(options: GenerateOptions): SeedPlan {
  const total = Math.floor(options.enterprises);
  if (!(total >= 1)) throw new RangeError('enterprises must be at least 1');
  const seed = String(options.seed);
  const now = options.now ?? new Date();
  const root = new Rng(`lienket-seed:${seed}`);
  const drafts = draftEnterprises(root, total, new Set());
  decideVerification(root, drafts);
  const clusters = planClusters(root, drafts);
  decideLeadFirms(root, drafts);
  const capabilities = planCapabilities(root, drafts);
  const needs = planNeeds(root, drafts, capabilities, now);
  const offers = planOffers(root, drafts);
  const tech = planTechTransfer(root, drafts, offers, now);
  const enterprises: PlannedEnterprise[] = drafts.map((d) => ({
    ref: d.ref,
    group: d.group,
    archetype: d.archetype,
    chain: d.chain,
    province: d.province,
    region: d.region,
    products: d.products,
    verification: d.verification,
    leadFirm: d.leadFirm,
    body: d.body,
  }));
  return { seed, now: now.toISOString(), enterprises, capabilities, needs, clusters, offers, ...tech };
}
