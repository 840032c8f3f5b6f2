// Builders shared by the unit tests (not itself a test: jest runs *.unit.test.ts, tsc skips *.test.ts).
import { provinces, regions } from '@lienket/reference';
import type { Demand, Party, Supply } from './types';

export const DAY = 86_400_000;
export const NOW = new Date('2025-09-01T00:00:00Z');

export function daysFromNow(days: number): Date {
  return new Date(NOW.getTime() + days * DAY);
}

/** A need for printed cartons from an enterprise in Hà Nội. */
export function demand(overrides: Partial<Demand> = {}): Demand {
  return {
    id: 'D1',
    enterpriseId: 'E-BUY',
    province: '01',
    category: 'packaging',
    hsCodes: ['4819'],
    vsicCodes: [],
    tokens: ['hop', 'carton', 'in'],
    quantityPerMonth: { value: 5000, unit: 'carton' },
    deadline: null,
    requiredCertifications: [],
    preferredProvinces: [],
    excludedProvinces: [],
    postedAt: daysFromNow(-2),
    validUntil: daysFromNow(60),
    open: true,
    ...overrides,
  };
}

/** A carton maker in Bắc Ninh (neighbouring Hà Nội). */
export function supply(overrides: Partial<Supply> = {}): Supply {
  return {
    id: 'S1',
    enterpriseId: 'E-SUP',
    province: '24',
    hsCodes: ['481910'],
    vsicCodes: [],
    tokens: ['hop', 'carton', 'in', 'offset'],
    monthlyCapacity: { value: 5000, unit: 'carton' },
    leadTimeDays: 14,
    servedProvinces: [],
    servedRegions: [],
    certifications: [],
    postedAt: daysFromNow(-10),
    validUntil: daysFromNow(90),
    open: true,
    ...overrides,
  };
}

export function buyer(overrides: Partial<Party> = {}): Party {
  return {
    enterpriseId: 'E-BUY',
    province: '01',
    kind: 'enterprise',
    supportingIndustry: false,
    leadFirm: false,
    verified: true,
    recognitions: [],
    ...overrides,
  };
}

export function supplier(overrides: Partial<Party> = {}): Party {
  return {
    enterpriseId: 'E-SUP',
    province: '24',
    kind: 'enterprise',
    supportingIndustry: false,
    leadFirm: false,
    verified: true,
    recognitions: [],
    responsiveness: 0.8,
    ...overrides,
  };
}

/** mulberry32: a tiny seeded PRNG, so the random data sets are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface World {
  parties: Map<string, Party>;
  supplies: Supply[];
  demands: Demand[];
}

const HS_CHAPTERS = ['09', '39', '44', '48', '52', '61', '73', '84', '85', '94'];
const VSIC_DIVISIONS = ['10', '13', '16', '17', '22', '25', '28', '31'];
const VOCABULARY = (
  'hop carton giay in bao bi nhua go noi that det may ao vai thep khuon co khi dien day cap ' +
  'linh kien ca phe tieu hat dong goi xuat khau thu cong tre may che bien say kho lanh son'
).split(' ');
const UNITS = ['carton', 'tonne', 'piece', 'Carton ', 'm2'];
const CERTIFICATIONS = ['ISO_9001', 'HACCP', 'OCOP:3', 'OCOP:4', 'OCOP:5', 'VIETGAP'];
const KINDS = ['enterprise', 'cooperative', 'household_business', 'rural_industrial_establishment'];

/** A random but seeded marketplace: codes cluster in a few chapters and divisions so that pairs do meet. */
export function randomWorld(seed: number, supplyCount: number, demandCount: number): World {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const some = <T>(items: readonly T[], max: number): T[] => {
    const out = new Set<T>();
    const n = int(max + 1);
    for (let i = 0; i < n; i++) out.add(pick(items));
    return [...out];
  };
  const digits = (n: number) => Array.from({ length: n }, () => String(int(3))).join('');
  const hsCode = () => `${pick(HS_CHAPTERS)}${digits(pick([0, 2, 4, 4, 6, 6]))}`;
  const vsicCode = () => `${pick(VSIC_DIVISIONS)}${digits(pick([0, 1, 2, 2, 3]))}`;
  const codes = (make: () => string) => Array.from({ length: pick([0, 1, 1, 1, 2, 3]) }, make);
  const provinceCodes = provinces.map((p) => p.code);
  const quantity = () =>
    r() < 0.15 ? null : { value: pick([0, 100, 500, 1000, 2500, 5000, 12000]), unit: pick(UNITS) };

  const parties = new Map<string, Party>();
  for (let i = 0; i < 300; i++) {
    const enterpriseId = `E${String(i).padStart(3, '0')}`;
    const party: Party = {
      enterpriseId,
      province: pick(provinceCodes),
      kind: pick(KINDS),
      supportingIndustry: r() < 0.3,
      leadFirm: r() < 0.1,
      verified: r() < 0.6,
      recognitions: some(CERTIFICATIONS, 2),
    };
    if (r() < 0.7) party.responsiveness = pick([0, 0.25, 0.5, 0.8, 1]);
    parties.set(enterpriseId, party);
  }
  const enterpriseIds = [...parties.keys()];

  const supplies: Supply[] = [];
  for (let i = 0; i < supplyCount; i++) {
    const enterpriseId = pick(enterpriseIds);
    const served = r();
    supplies.push({
      id: `S${String(i).padStart(5, '0')}`,
      enterpriseId,
      province: parties.get(enterpriseId)?.province ?? '01',
      hsCodes: codes(hsCode),
      vsicCodes: codes(vsicCode),
      tokens: some(VOCABULARY, 7),
      monthlyCapacity: quantity(),
      leadTimeDays: pick([0, 3, 7, 14, 30, 45, 60, 90, 120]),
      servedProvinces: served < 0.15 ? some(provinceCodes, 6) : [],
      servedRegions:
        served > 0.85
          ? some(
              regions.map((g) => g.code),
              2,
            )
          : [],
      certifications: some(CERTIFICATIONS, 2),
      // Whole days, so many pairs tie and the tie-break by id is exercised.
      postedAt: daysFromNow(-int(500)),
      validUntil: daysFromNow(int(220) - 20),
      open: r() < 0.9,
    });
  }

  const demands: Demand[] = [];
  for (let i = 0; i < demandCount; i++) {
    const enterpriseId = pick(enterpriseIds);
    demands.push({
      id: `D${String(i).padStart(5, '0')}`,
      enterpriseId,
      province: parties.get(enterpriseId)?.province ?? '01',
      category: 'goods',
      hsCodes: codes(hsCode),
      vsicCodes: codes(vsicCode),
      tokens: some(VOCABULARY, 6),
      quantityPerMonth: quantity(),
      deadline: r() < 0.5 ? null : daysFromNow(int(105) - 5),
      requiredCertifications: r() < 0.2 ? [pick(CERTIFICATIONS)] : [],
      preferredProvinces: r() < 0.2 ? some(provinceCodes, 3) : [],
      excludedProvinces: r() < 0.1 ? some(provinceCodes, 4) : [],
      postedAt: daysFromNow(-int(100)),
      validUntil: daysFromNow(int(200) - 10),
      open: r() < 0.95,
    });
  }
  return { parties, supplies, demands };
}

export function partyIn(world: World, enterpriseId: string): Party {
  const party = world.parties.get(enterpriseId);
  if (party === undefined) throw new Error(`no party ${enterpriseId}`);
  return party;
}
