import type { Demand, Supply } from './types';

/** A certification as written ('OCOP:4', 'ISO_9001'), split so levels can be compared. */
export interface Certification {
  text: string;
  kind: string;
  level: string | null;
  /** The level as a number when it is all digits (OCOP stars), so higher levels satisfy lower ones. */
  rank: number | null;
}

// Ranking reads the flat scalar fields first and touches the sets and lists only for candidates that can still
// make the top k: with a million postings, each object a candidate leads to is a likely cache miss.

/** What scoring reads from a need, computed once: on upsert in an index, per call in scorePair. */
export interface PreparedDemand {
  demand: Demand;
  enterpriseId: string;
  open: boolean;
  validUntilMs: number;
  /** NaN without a deadline. */
  deadlineMs: number;
  hs: readonly string[];
  vsic: readonly string[];
  tokens: ReadonlySet<string>;
  tokenCount: number;
  preferred: ReadonlySet<string>;
  hasPreferred: boolean;
  excluded: ReadonlySet<string>;
  hasExclusions: boolean;
  /** Monthly quantity; null without one. */
  quantity: number | null;
  /** Trimmed, lower case; null without a quantity. */
  quantityUnit: string | null;
  required: readonly Certification[];
  hasRequirements: boolean;
}

/** What scoring reads from a capability, computed once. */
export interface PreparedSupply {
  supply: Supply;
  enterpriseId: string;
  open: boolean;
  validUntilMs: number;
  postedAtMs: number;
  leadTimeDays: number;
  hs: readonly string[];
  vsic: readonly string[];
  tokens: ReadonlySet<string>;
  tokenCount: number;
  servesEverywhere: boolean;
  servedProvinces: ReadonlySet<string>;
  servedRegions: ReadonlySet<string>;
  /** Monthly capacity; null without one. */
  capacity: number | null;
  capacityUnit: string | null;
  certifications: readonly Certification[];
}

export function parseCertification(text: string): Certification {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) return { text: trimmed, kind: trimmed, level: null, rank: null };
  const level = trimmed.slice(colon + 1).trim();
  return {
    text: trimmed,
    kind: trimmed.slice(0, colon).trim(),
    level,
    rank: /^\d+$/.test(level) ? Number(level) : null,
  };
}

// One string per distinct unit: a million postings use a handful of units, and a copy each costs ~1.5 MB per
// 100,000 postings. Capped, so odd input can't grow it without bound; units past the cap are copies, which
// compare the same.
const units = new Map<string, string>();
const MAX_UNITS = 10_000;

export function normaliseUnit(unit: string): string {
  const normal = unit.trim().toLowerCase();
  const known = units.get(normal);
  if (known !== undefined) return known;
  if (units.size < MAX_UNITS) units.set(normal, normal);
  return normal;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function prepareDemand(demand: Demand): PreparedDemand {
  const tokens = new Set(demand.tokens);
  const preferred = new Set(demand.preferredProvinces);
  const excluded = new Set(demand.excludedProvinces);
  const required = demand.requiredCertifications.map(parseCertification);
  const quantity = demand.quantityPerMonth;
  return {
    demand,
    enterpriseId: demand.enterpriseId,
    open: demand.open,
    validUntilMs: demand.validUntil.getTime(),
    deadlineMs: demand.deadline === null ? Number.NaN : demand.deadline.getTime(),
    hs: unique(demand.hsCodes),
    vsic: unique(demand.vsicCodes),
    tokens,
    tokenCount: tokens.size,
    preferred,
    hasPreferred: preferred.size > 0,
    excluded,
    hasExclusions: excluded.size > 0,
    quantity: quantity === null ? null : quantity.value,
    quantityUnit: quantity === null ? null : normaliseUnit(quantity.unit),
    required,
    hasRequirements: required.length > 0,
  };
}

export function prepareSupply(supply: Supply): PreparedSupply {
  const tokens = new Set(supply.tokens);
  const capacity = supply.monthlyCapacity;
  return {
    supply,
    enterpriseId: supply.enterpriseId,
    open: supply.open,
    validUntilMs: supply.validUntil.getTime(),
    postedAtMs: supply.postedAt.getTime(),
    leadTimeDays: supply.leadTimeDays,
    hs: unique(supply.hsCodes),
    vsic: unique(supply.vsicCodes),
    tokens,
    tokenCount: tokens.size,
    servesEverywhere: supply.servedProvinces.length === 0 && supply.servedRegions.length === 0,
    servedProvinces: new Set(supply.servedProvinces),
    servedRegions: new Set(supply.servedRegions),
    capacity: capacity === null ? null : capacity.value,
    capacityUnit: capacity === null ? null : normaliseUnit(capacity.unit),
    certifications: supply.certifications.map(parseCertification),
  };
}
