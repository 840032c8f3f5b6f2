import { type Proximity, provinces, proximity, regionOf } from '@lienket/reference';
import type { Certification, PreparedDemand, PreparedSupply } from './prepare';
import { parseCertification } from './prepare';
import type { Party, Weights } from './types';

// Numeric component values only: the index ranks with these and scorePair reuses them for its output, so a
// ranked score and the score scorePair reports for the same pair can never drift apart.

export const DAY_MS = 86_400_000;

/** Length of the common prefix of two codes. */
export function sharedLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** HS levels are 2, 4, 6 and 8 digits; sharing 6 or more is the same product. */
export function hsValue(shared: number): number {
  if (shared >= 6) return 1;
  if (shared >= 4) return 0.75;
  if (shared >= 2) return 0.4;
  return 0;
}

/** VSIC levels are 2 to 5 digits; an activity is less specific than a product, so it tops out at 0.9. */
export function vsicValue(shared: number): number {
  if (shared >= 4) return 0.9;
  if (shared === 3) return 0.7;
  if (shared === 2) return 0.5;
  return 0;
}

export interface ProductFit {
  value: number;
  system: 'HS' | 'VSIC';
  demandCode: string;
  supplyCode: string;
  shared: number;
}

/** The best code pair; ties keep the first found (HS before VSIC, listing order), so details are stable. */
export function bestProductFit(
  demandHs: readonly string[],
  demandVsic: readonly string[],
  supplyHs: readonly string[],
  supplyVsic: readonly string[],
): ProductFit | null {
  let best: ProductFit | null = null;
  for (const d of demandHs) {
    for (const s of supplyHs) {
      const shared = sharedLength(d, s);
      const value = hsValue(shared);
      if (value > 0 && (best === null || value > best.value)) {
        best = { value, system: 'HS', demandCode: d, supplyCode: s, shared };
      }
    }
  }
  for (const d of demandVsic) {
    for (const s of supplyVsic) {
      const shared = sharedLength(d, s);
      const value = vsicValue(shared);
      if (value > 0 && (best === null || value > best.value)) {
        best = { value, system: 'VSIC', demandCode: d, supplyCode: s, shared };
      }
    }
  }
  return best;
}

/** Same value as bestProductFit without allocating, for ranking. */
export function productValue(
  demandHs: readonly string[],
  demandVsic: readonly string[],
  supplyHs: readonly string[],
  supplyVsic: readonly string[],
): number {
  let best = 0;
  for (const d of demandHs) {
    for (const s of supplyHs) {
      const value = hsValue(sharedLength(d, s));
      if (value > best) {
        if (value === 1) return 1;
        best = value;
      }
    }
  }
  for (const d of demandVsic) {
    for (const s of supplyVsic) {
      const value = vsicValue(sharedLength(d, s));
      if (value > best) best = value;
    }
  }
  return best;
}

export function sharedTokens(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const token of small) if (large.has(token)) shared++;
  return shared;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const shared = sharedTokens(a, b);
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Jaccard can't exceed the ratio of the smaller set's size to the larger's: a bound before counting. */
export function jaccardBound(sizeA: number, sizeB: number): number {
  if (sizeA === 0 || sizeB === 0) return 0;
  return sizeA <= sizeB ? sizeA / sizeB : sizeB / sizeA;
}

/** Keywords alone must overlap this much to stand in for a product code. */
export const MIN_KEYWORD_FIT = 0.2;

/** Capacity when it can't be compared: a figure is missing or the units differ. */
export const UNCOMPARABLE_CAPACITY = 0.5;

export function capacityValue(
  capacity: number | null,
  capacityUnit: string | null,
  quantity: number | null,
  quantityUnit: string | null,
): number {
  if (capacity === null || quantity === null || capacityUnit !== quantityUnit) return UNCOMPARABLE_CAPACITY;
  if (!(quantity > 0)) return 1;
  const ratio = capacity / quantity;
  // Written so a NaN capacity gives 0, not NaN.
  if (!(ratio > 0)) return 0;
  return Math.min(ratio, 1);
}

/** A lead time that is not a positive number is treated as immediate. */
export function leadDays(leadTimeDays: number): number {
  return Number.isFinite(leadTimeDays) && leadTimeDays > 0 ? leadTimeDays : 0;
}

export function leadTimeValue(leadTimeDays: number, deadlineMs: number, nowMs: number): number {
  const lead = leadDays(leadTimeDays);
  if (Number.isNaN(deadlineMs)) return lead <= 30 ? 1 : lead <= 90 ? 0.7 : 0.4;
  const days = (deadlineMs - nowMs) / DAY_MS;
  if (lead <= days) return 1;
  return days > 0 ? days / lead : 0;
}

export const proximityValues: Readonly<Record<Proximity, number>> = Object.freeze({
  same_province: 1,
  neighbour: 0.75,
  same_region: 0.5,
  other_region: 0.2,
});

// A province code that is not current gets the farthest value rather than an exception, so one stale record
// can't fail a whole ranking.
export const UNKNOWN_PROVINCE_VALUE = proximityValues.other_region;

// 34 × 34 relations computed once, since ranking asks for one per candidate.
const relations = new Map<string, Map<string, Proximity>>(
  provinces.map((a) => [a.code, new Map(provinces.map((b) => [b.code, proximity(a.code, b.code)]))]),
);

export function relationOf(buyerProvince: string, supplierProvince: string): Proximity | undefined {
  return relations.get(buyerProvince)?.get(supplierProvince);
}

/** Geography without preferences: by proximity alone. */
export function proximityValue(buyerProvince: string, supplierProvince: string): number {
  const relation = relationOf(buyerProvince, supplierProvince);
  return relation === undefined ? UNKNOWN_PROVINCE_VALUE : proximityValues[relation];
}

export function geographyValue(pd: PreparedDemand, buyerProvince: string, supplierProvince: string): number {
  return pd.hasPreferred && pd.preferred.has(supplierProvince)
    ? 1
    : proximityValue(buyerProvince, supplierProvince);
}

/** Buyer kinds that policy favours when a supporting-industry supplier serves them. */
export const SMALL_BUYER_KINDS: ReadonlySet<string> = new Set([
  'rural_industrial_establishment',
  'household_business',
  'cooperative',
]);

export function supportsSmallBuyer(buyer: Party, supplier: Party): boolean {
  return supplier.supportingIndustry && SMALL_BUYER_KINDS.has(buyer.kind);
}

export function policyValue(buyer: Party, supplier: Party): number {
  const value = (supportsSmallBuyer(buyer, supplier) ? 1 : 0) + (supplier.leadFirm ? 0.5 : 0);
  return Math.min(value, 1);
}

/** The most policy can give a supplier, over all buyers. */
export function supplierPolicyCap(supplier: Party): number {
  return Math.min((supplier.supportingIndustry ? 1 : 0) + (supplier.leadFirm ? 0.5 : 0), 1);
}

/** The most policy can give a buyer, over all suppliers. */
export function buyerPolicyCap(buyer: Party): number {
  return SMALL_BUYER_KINDS.has(buyer.kind) ? 1 : 0.5;
}

export function trustValue(supplier: Party): number {
  return supplier.verified ? 1 : 0.3;
}

export function freshnessValue(postedAtMs: number, nowMs: number): number {
  const age = (nowMs - postedAtMs) / DAY_MS;
  if (age <= 30) return 1;
  if (age >= 365) return 0.3;
  return 1 - (0.7 * (age - 30)) / 335;
}

/** The share a party with no history is credited with. */
export const DEFAULT_RESPONSIVENESS = 0.7;

export function responsivenessValue(supplier: Party): number {
  const r = supplier.responsiveness;
  // Clamped because every bound in the index assumes each component is at most 1.
  if (r === undefined || !Number.isFinite(r)) return DEFAULT_RESPONSIVENESS;
  return Math.min(Math.max(r, 0), 1);
}

export function serves(ps: PreparedSupply, buyerProvince: string): boolean {
  if (ps.servesEverywhere || ps.servedProvinces.has(buyerProvince)) return true;
  const region = regionOf(buyerProvince);
  return region !== undefined && ps.servedRegions.has(region);
}

function satisfies(required: Certification, held: Certification): boolean {
  if (held.kind !== required.kind) return false;
  if (required.level === null || held.level === required.level) return true;
  return required.rank !== null && held.rank !== null && held.rank >= required.rank;
}

function holds(required: Certification, held: readonly Certification[]): boolean {
  for (const h of held) if (satisfies(required, h)) return true;
  return false;
}

/** Required certifications found neither on the capability nor among the supplier's recognitions. */
export function missingCertifications(pd: PreparedDemand, ps: PreparedSupply, supplier: Party): string[] {
  const missing: string[] = [];
  if (!pd.hasRequirements) return missing;
  let recognitions: Certification[] | null = null;
  for (const required of pd.required) {
    if (holds(required, ps.certifications)) continue;
    recognitions ??= supplier.recognitions.map(parseCertification);
    if (!holds(required, recognitions)) missing.push(required.text);
  }
  return missing;
}

/** Sums value × weight in componentNames order and rounds to 4 decimals; the one way any score is totalled. */
export function total(
  w: Weights,
  product: number,
  keywords: number,
  capacity: number,
  leadTime: number,
  geography: number,
  policy: number,
  trust: number,
  freshness: number,
  responsiveness: number,
): number {
  const sum =
    product * w.product +
    keywords * w.keywords +
    capacity * w.capacity +
    leadTime * w.lead_time +
    geography * w.geography +
    policy * w.policy +
    trust * w.trust +
    freshness * w.freshness +
    responsiveness * w.responsiveness;
  return round4(sum);
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
