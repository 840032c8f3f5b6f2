// Planning enterprises (by group, archetype and province), their verification, value-chain clusters and lead firms.

import { provinces as allProvinces, proximity, type RegionCode, regionOf } from '@lienket/reference';
import {
  ARCHETYPES,
  type Archetype,
  CHAINS,
  CLUSTER_ORDER,
  GROUP_SHARES,
  type Group,
  INSTITUTE_SHARE,
  INSTITUTES,
  type Kind,
  PROVINCE_WEIGHTS,
  type Product,
  productByKey,
  type Size,
} from '../catalogue';
import { address, brandName, mobilePhone, personName, placeIn, slug } from '../names';
import type { Rng } from '../prng';
import { newTaxCode } from '../tax-code';
import type { PlannedCluster, RecognitionBody } from './bodies';
import { type Draft, lowerFirst, provinceName, regionName, unique, upperFirst } from './shared';

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

export function draftEnterprises(root: Rng, total: number, taken: Set<string>): Draft[] {
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

export function decideVerification(root: Rng, drafts: Draft[]): void {
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

export function planClusters(root: Rng, drafts: Draft[]): PlannedCluster[] {
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

export function decideLeadFirms(root: Rng, drafts: Draft[]): void {
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
