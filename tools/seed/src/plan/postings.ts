// Planning postings: what each enterprise can supply (capabilities) and what it looks for (needs).

import { neighbours, type RegionCode } from '@lienket/reference';
import { ARCHETYPES, type Archetype, type Kind, type Product, productByKey } from '../catalogue';
import type { Rng } from '../prng';
import type { PlannedCapability, PlannedNeed } from './bodies';
import { DAY_MS, type Draft, formatVi, nice, provinceName, unique } from './shared';

const REGION_NEIGHBOURS: Readonly<Record<RegionCode, readonly RegionCode[]>> = {
  NMM: ['RRD', 'NCC'],
  RRD: ['NMM', 'NCC'],
  NCC: ['RRD', 'NMM', 'CH'],
  CH: ['NCC', 'SE'],
  SE: ['CH', 'MD'],
  MD: ['SE'],
};

export function planCapabilities(root: Rng, drafts: Draft[]): PlannedCapability[] {
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

export function planNeeds(
  root: Rng,
  drafts: Draft[],
  capabilities: PlannedCapability[],
  now: Date,
): PlannedNeed[] {
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
