import { unitName } from '@lienket/reference';
import {
  bestProductFit,
  capacityValue,
  DAY_MS,
  freshnessValue,
  geographyValue,
  jaccard,
  jaccardBound,
  leadDays,
  leadTimeValue,
  MIN_KEYWORD_FIT,
  missingCertifications,
  type ProductFit,
  policyValue,
  productValue,
  relationOf,
  responsivenessValue,
  serves,
  sharedTokens,
  supportsSmallBuyer,
  total,
  trustValue,
} from './components';
import { floorPercent, formatDate, formatNumber, provinceName, roundPercent } from './format';
import { type PreparedDemand, type PreparedSupply, prepareDemand, prepareSupply } from './prepare';
import type {
  Component,
  ComponentName,
  Demand,
  Exclusion,
  ExclusionReason,
  Party,
  Scored,
  Supply,
  Verdict,
  Weights,
} from './types';
import { componentNames, defaultWeights } from './weights';

export interface Explanation {
  verdict: Verdict;
  /** All nine components, computed even when the pair is excluded, for "why not" answers. */
  components: Component[];
}

/** Hard filters first (every failing filter is listed, for "why not"), then the weighted components. */
export function scorePair(
  demand: Demand,
  supply: Supply,
  buyer: Party,
  supplier: Party,
  now: Date,
  weights: Weights = defaultWeights,
): Verdict {
  return evaluatePrepared(
    prepareDemand(demand),
    prepareSupply(supply),
    buyer,
    supplier,
    now.getTime(),
    weights,
  ).verdict;
}

/** scorePair plus the components, which are computed even for an excluded pair. */
export function explainPair(
  demand: Demand,
  supply: Supply,
  buyer: Party,
  supplier: Party,
  now: Date,
  weights: Weights = defaultWeights,
): Explanation {
  return evaluatePrepared(
    prepareDemand(demand),
    prepareSupply(supply),
    buyer,
    supplier,
    now.getTime(),
    weights,
  );
}

/** Returned by rankScore for a pair that is excluded or can't reach the bar. */
export const NOT_RANKED = -1;

/**
 * The score of a pair as scorePair would report it, or NOT_RANKED when a hard filter fails or the pair can't
 * reach `bar`. For ranking: no strings, no allocation. `productCap` and `geographyCap` must be at least the
 * pair's product and geography values; the index knows them from the tier and partition being searched.
 */
export function rankScore(
  pd: PreparedDemand,
  ps: PreparedSupply,
  buyer: Party,
  supplier: Party,
  nowMs: number,
  w: Weights,
  productCap: number,
  geographyCap: number,
  bar: number,
): number {
  if (!pd.open || !ps.open || pd.validUntilMs <= nowMs || ps.validUntilMs <= nowMs) return NOT_RANKED;
  const keywordsCap = jaccardBound(pd.tokenCount, ps.tokenCount);
  if (productCap === 0 && keywordsCap < MIN_KEYWORD_FIT) return NOT_RANKED;
  const capacity = capacityValue(ps.capacity, ps.capacityUnit, pd.quantity, pd.quantityUnit);
  const leadTime = leadTimeValue(ps.leadTimeDays, pd.deadlineMs, nowMs);
  const policy = policyValue(buyer, supplier);
  const trust = trustValue(supplier);
  const freshness = freshnessValue(ps.postedAtMs, nowMs);
  const responsiveness = responsivenessValue(supplier);
  // Each term is monotone in its value and the sum runs in the same order, so the bound holds after rounding.
  const bound = total(
    w,
    productCap,
    keywordsCap,
    capacity,
    leadTime,
    geographyCap,
    policy,
    trust,
    freshness,
    responsiveness,
  );
  if (bound < bar) return NOT_RANKED;
  // The checks that read the candidate's strings, sets and code lists, only for pairs that could still rank.
  if (pd.enterpriseId === ps.enterpriseId) return NOT_RANKED;
  if (pd.hasExclusions && pd.excluded.has(supplier.province)) return NOT_RANKED;
  if (!serves(ps, buyer.province)) return NOT_RANKED;
  if (pd.hasRequirements && missingCertifications(pd, ps, supplier).length > 0) return NOT_RANKED;
  const geography = geographyValue(pd, buyer.province, supplier.province);
  const product = productValue(pd.hs, pd.vsic, ps.hs, ps.vsic);
  const keywords = jaccard(pd.tokens, ps.tokens);
  if (product === 0 && keywords < MIN_KEYWORD_FIT) return NOT_RANKED;
  return total(w, product, keywords, capacity, leadTime, geography, policy, trust, freshness, responsiveness);
}

/** scorePair on data already prepared (the index prepares each posting once). */
export function evaluatePrepared(
  pd: PreparedDemand,
  ps: PreparedSupply,
  buyer: Party,
  supplier: Party,
  nowMs: number,
  w: Weights,
): Explanation {
  const demand = pd.demand;
  const supply = ps.supply;
  const fit = bestProductFit(pd.hs, pd.vsic, ps.hs, ps.vsic);
  const shared = sharedTokens(pd.tokens, ps.tokens);
  const union = pd.tokens.size + ps.tokens.size - shared;
  const keywords = jaccard(pd.tokens, ps.tokens);

  const values: Record<ComponentName, number> = {
    product: fit === null ? 0 : fit.value,
    keywords,
    capacity: capacityValue(ps.capacity, ps.capacityUnit, pd.quantity, pd.quantityUnit),
    lead_time: leadTimeValue(ps.leadTimeDays, pd.deadlineMs, nowMs),
    geography: geographyValue(pd, buyer.province, supplier.province),
    policy: policyValue(buyer, supplier),
    trust: trustValue(supplier),
    freshness: freshnessValue(ps.postedAtMs, nowMs),
    responsiveness: responsivenessValue(supplier),
  };
  const texts: Record<ComponentName, Text> = {
    product: productText(fit),
    keywords: keywordsText(shared, union),
    capacity: capacityText(pd, ps),
    lead_time: leadTimeText(supply.leadTimeDays, pd.deadlineMs, nowMs),
    geography: geographyText(pd, buyer.province, supplier.province),
    policy: policyText(buyer, supplier),
    trust: supplier.verified
      ? ['verified supplier', 'nhà cung ứng đã xác minh']
      : ['unverified supplier', 'nhà cung ứng chưa xác minh'],
    freshness: freshnessText(ps.postedAtMs, nowMs),
    responsiveness: responsivenessText(supplier),
  };
  const components: Component[] = componentNames.map((name) => ({
    name,
    value: values[name],
    weight: w[name],
    contribution: values[name] * w[name],
    detail: texts[name][0],
    detailVi: texts[name][1],
  }));

  const exclusions = exclusionsOf(pd, ps, buyer, supplier, nowMs, values.product, keywords);
  if (exclusions.length > 0) return { verdict: { ok: false, exclusions }, components };

  const score = total(
    w,
    values.product,
    values.keywords,
    values.capacity,
    values.lead_time,
    values.geography,
    values.policy,
    values.trust,
    values.freshness,
    values.responsiveness,
  );
  // Stable sort, so equal contributions keep component order.
  const top = components
    .filter((c) => c.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 3);
  const match: Scored = {
    demandId: demand.id,
    supplyId: supply.id,
    score,
    components,
    reason: top.map((c) => c.detail).join('; '),
    reasonVi: top.map((c) => c.detailVi).join('; '),
  };
  return { verdict: { ok: true, match }, components };
}

/** [English, Vietnamese] */
type Text = readonly [string, string];

function exclusion(reason: ExclusionReason, [detail, detailVi]: Text): Exclusion {
  return { reason, detail, detailVi };
}

function exclusionsOf(
  pd: PreparedDemand,
  ps: PreparedSupply,
  buyer: Party,
  supplier: Party,
  nowMs: number,
  product: number,
  keywords: number,
): Exclusion[] {
  const demand = pd.demand;
  const supply = ps.supply;
  const out: Exclusion[] = [];
  if (!demand.open || !supply.open) {
    out.push(
      exclusion(
        'closed',
        !demand.open && !supply.open
          ? ['need and capability are closed', 'nhu cầu và năng lực đều đã đóng']
          : !demand.open
            ? ['need is closed', 'nhu cầu đã đóng']
            : ['capability is closed', 'năng lực đã đóng'],
      ),
    );
  }
  const expired: [string, string][] = [];
  if (pd.validUntilMs <= nowMs) {
    expired.push([
      `need expired ${formatDate(demand.validUntil, 'en')}`,
      `nhu cầu hết hạn ngày ${formatDate(demand.validUntil, 'vi')}`,
    ]);
  }
  if (ps.validUntilMs <= nowMs) {
    expired.push([
      `capability expired ${formatDate(supply.validUntil, 'en')}`,
      `năng lực hết hạn ngày ${formatDate(supply.validUntil, 'vi')}`,
    ]);
  }
  if (expired.length > 0) {
    out.push(
      exclusion('expired', [expired.map((e) => e[0]).join(', '), expired.map((e) => e[1]).join(', ')]),
    );
  }
  if (demand.enterpriseId === supply.enterpriseId) {
    out.push(
      exclusion('same_enterprise', [
        'need and capability belong to the same enterprise',
        'nhu cầu và năng lực thuộc cùng một doanh nghiệp',
      ]),
    );
  }
  if (pd.hasExclusions && pd.excluded.has(supplier.province)) {
    const name = provinceName(supplier.province);
    out.push(
      exclusion('excluded_province', [
        `the buyer excludes suppliers in ${name}`,
        `bên mua loại trừ nhà cung ứng ở ${name}`,
      ]),
    );
  }
  if (!serves(ps, buyer.province)) {
    const name = provinceName(buyer.province);
    out.push(
      exclusion('not_served', [`the capability does not serve ${name}`, `năng lực không phục vụ ${name}`]),
    );
  }
  const missing = missingCertifications(pd, ps, supplier);
  if (missing.length > 0) {
    const list = missing.join(', ');
    out.push(exclusion('missing_certification', [`missing ${list}`, `thiếu chứng nhận ${list}`]));
  }
  if (product === 0 && keywords < MIN_KEYWORD_FIT) {
    const share = roundPercent(keywords);
    const min = roundPercent(MIN_KEYWORD_FIT);
    out.push(
      exclusion('no_product_fit', [
        `no shared HS or VSIC code and keywords overlap ${share} (< ${min})`,
        `không trùng mã HS hoặc VSIC và từ khóa chỉ trùng ${share} (< ${min})`,
      ]),
    );
  }
  return out;
}

const HS_LEVELS: Readonly<Record<number, Text>> = {
  2: ['chapter', 'chương'],
  4: ['heading', 'nhóm'],
  6: ['subheading', 'phân nhóm'],
  8: ['tariff line', 'dòng thuế'],
};

const VSIC_LEVELS: Readonly<Record<number, Text>> = {
  2: ['division', 'ngành cấp 2'],
  3: ['group', 'ngành cấp 3'],
  4: ['class', 'ngành cấp 4'],
  5: ['subclass', 'ngành cấp 5'],
};

function productText(fit: ProductFit | null): Text {
  if (fit === null) return ['no shared HS or VSIC code', 'không trùng mã HS hoặc VSIC'];
  const { system, demandCode: d, supplyCode: s, shared } = fit;
  const vi = `mã ${system}`;
  if (d === s) return [`${system} ${d} = ${s}`, `${vi} ${d} = ${s}`];
  if (shared === d.length) return [`${system} ${d} ⊂ ${s}`, `${vi} ${d} ⊂ ${s}`];
  if (shared === s.length) return [`${system} ${d} ⊃ ${s}`, `${vi} ${d} ⊃ ${s}`];
  // Siblings: name the deepest level both codes sit under.
  const depth = system === 'HS' ? Math.min(8, shared - (shared % 2)) : Math.min(5, shared);
  const [en, viLevel] = (system === 'HS' ? HS_LEVELS : VSIC_LEVELS)[depth] ?? ['level', 'cấp'];
  const prefix = d.slice(0, depth);
  return [`${system} ${d} ~ ${s}, same ${en} ${prefix}`, `${vi} ${d} ~ ${s}, cùng ${viLevel} ${prefix}`];
}

function keywordsText(shared: number, union: number): Text {
  if (union === 0) return ['no keywords', 'không có từ khóa'];
  return [`${shared} of ${union} keywords shared`, `trùng ${shared}/${union} từ khóa`];
}

function capacityText(pd: PreparedDemand, ps: PreparedSupply): Text {
  const capacity = ps.supply.monthlyCapacity;
  const quantity = pd.demand.quantityPerMonth;
  if (capacity === null && quantity === null) {
    return ['capacity and quantity not stated', 'chưa nêu công suất và số lượng cần'];
  }
  if (capacity === null) return ['capacity not stated', 'chưa nêu công suất'];
  if (quantity === null) return ['quantity not stated', 'chưa nêu số lượng cần'];
  // English reads English units: 120 tấn is 120 tonnes (a unit already in English stays as written).
  const needEn = `${formatNumber(quantity.value, 'en')} ${unitName(quantity.unit, 'en', quantity.value)}/month`;
  const needVi = `${formatNumber(quantity.value, 'vi')} ${quantity.unit.trim()}/tháng`;
  if (ps.capacityUnit !== pd.quantityUnit) {
    const hasEn = `${formatNumber(capacity.value, 'en')} ${unitName(capacity.unit, 'en', capacity.value)}/month`;
    const hasVi = `${formatNumber(capacity.value, 'vi')} ${capacity.unit.trim()}/tháng`;
    return [`units differ: ${hasEn} vs ${needEn}`, `khác đơn vị: ${hasVi} và ${needVi}`];
  }
  const share = floorPercent(capacityValue(ps.capacity, ps.capacityUnit, pd.quantity, pd.quantityUnit));
  return [`covers ${share} of ${needEn}`, `đáp ứng ${share} nhu cầu ${needVi}`];
}

function leadTimeText(leadTimeDays: number, deadlineMs: number, nowMs: number): Text {
  const en = formatNumber(leadDays(leadTimeDays), 'en');
  const vi = formatNumber(leadDays(leadTimeDays), 'vi');
  if (Number.isNaN(deadlineMs)) {
    return [`lead time ${en} days, no deadline`, `giao trong ${vi} ngày, không có hạn chót`];
  }
  const days = (deadlineMs - nowMs) / DAY_MS;
  if (days <= 0) return [`deadline passed, lead time ${en} days`, `đã quá hạn chót, giao trong ${vi} ngày`];
  const left = Math.floor(days);
  return [
    `lead time ${en} days, deadline in ${left} days`,
    `giao trong ${vi} ngày, còn ${left} ngày đến hạn chót`,
  ];
}

function geographyText(pd: PreparedDemand, buyerProvince: string, supplierProvince: string): Text {
  const name = provinceName(supplierProvince);
  if (pd.hasPreferred && pd.preferred.has(supplierProvince))
    return [`preferred province ${name}`, `tỉnh ưu tiên ${name}`];
  switch (relationOf(buyerProvince, supplierProvince)) {
    case 'same_province':
      return [`same province ${name}`, `cùng tỉnh ${name}`];
    case 'neighbour':
      return [`neighbouring province ${name}`, `tỉnh lân cận ${name}`];
    case 'same_region':
      return [`same-region province ${name}`, `tỉnh cùng vùng ${name}`];
    case 'other_region':
      return [`other-region province ${name}`, `tỉnh khác vùng ${name}`];
    default:
      return [`unknown province ${supplierProvince}`, `tỉnh không xác định ${supplierProvince}`];
  }
}

const BUYER_KINDS: Readonly<Record<string, Text>> = {
  cooperative: ['a cooperative', 'hợp tác xã'],
  household_business: ['a household business', 'hộ kinh doanh'],
  rural_industrial_establishment: ['a rural industrial establishment', 'cơ sở công nghiệp nông thôn'],
};

function policyText(buyer: Party, supplier: Party): Text {
  const en: string[] = [];
  const vi: string[] = [];
  const kind = BUYER_KINDS[buyer.kind];
  if (supportsSmallBuyer(buyer, supplier) && kind !== undefined) {
    en.push(`supporting industry for ${kind[0]}`);
    vi.push(`công nghiệp hỗ trợ cho ${kind[1]}`);
  }
  if (supplier.leadFirm) {
    en.push('lead firm');
    vi.push('doanh nghiệp dẫn dắt');
  }
  if (en.length === 0) return ['no policy priority', 'không thuộc diện ưu tiên chính sách'];
  return [en.join(', '), vi.join(', ')];
}

function freshnessText(postedAtMs: number, nowMs: number): Text {
  const days = Math.max(0, Math.floor((nowMs - postedAtMs) / DAY_MS));
  if (days === 0) return ['posted today', 'đăng hôm nay'];
  return [`posted ${days} ${days === 1 ? 'day' : 'days'} ago`, `đăng ${days} ngày trước`];
}

function responsivenessText(supplier: Party): Text {
  const r = supplier.responsiveness;
  if (r === undefined || !Number.isFinite(r))
    return ['no proposal history', 'chưa có lịch sử phản hồi đề xuất'];
  const share = roundPercent(responsivenessValue(supplier));
  return [`answered ${share} of proposals`, `đã phản hồi ${share} đề xuất`];
}
