import type { Actor } from '@lienket/platform';
import { taxCodeCheckDigit } from '@lienket/reference';
import type { EnterpriseInput } from '../src/domain/enterprise';
import type { Enterprise } from '../src/domain/model';
import type { CapabilityInput, NeedInput } from '../src/domain/postings';

/** Builders for domain tests: a valid value, with overrides. */
export const now = new Date('2026-03-01T00:00:00Z');
export const DAY = 86_400_000;

export function enterpriseInput(overrides: Partial<EnterpriseInput> = {}): EnterpriseInput {
  return {
    taxCode: '0100109106',
    name: 'Hợp tác xã Mây tre đan Phú Vinh',
    kind: 'cooperative',
    supportingIndustry: false,
    provinceCode: '01',
    address: 'Phú Nghĩa, Chương Mỹ, Hà Nội',
    primaryVsic: '1629',
    vsicCodes: [],
    sizeBand: 'small',
    recognitions: [{ kind: 'OCOP', level: '4', year: 2024, product: 'Giỏ mây' }],
    trademarks: [{ name: 'Phú Vinh', registrationNumber: '4-0321456-000' }],
    contact: { person: 'Nguyễn Văn An', phone: '0912 345 678', email: 'an@phuvinh.vn' },
    ...overrides,
  };
}

export function enterprise(overrides: Partial<Enterprise> = {}): Enterprise {
  return {
    id: 'ent-1',
    taxCode: '0100109106',
    name: 'Hợp tác xã Mây tre đan Phú Vinh',
    kind: 'cooperative',
    supportingIndustry: false,
    leadFirm: false,
    province: '01',
    legacyProvince: '',
    region: 'RRD',
    address: '',
    primaryVsic: '1629',
    vsicCodes: ['1629'],
    sizeBand: 'small',
    recognitions: [],
    trademarks: [],
    contact: { person: 'An', phone: '0912345678', email: 'an@phuvinh.vn' },
    verification: { status: 'unverified', reason: '', decidedBy: '', decidedAt: null },
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...overrides,
  };
}

export function capabilityInput(overrides: Partial<CapabilityInput> = {}): CapabilityInput {
  return {
    enterpriseId: 'ent-1',
    title: 'Thùng carton 5 lớp in flexo',
    description: 'Năng lực 20.000 thùng mỗi tháng',
    hsCodes: ['481910'],
    vsicCodes: ['1702'],
    monthlyCapacity: { value: 20_000, unit: 'carton' },
    minimumOrder: { value: 1_000, unit: 'carton' },
    leadTimeDays: 10,
    servedProvinces: ['19', '06'],
    servedRegions: ['NMM'],
    certifications: ['ISO_9001'],
    priceBand: null,
    validUntil: null,
    ...overrides,
  };
}

export function needInput(overrides: Partial<NeedInput> = {}): NeedInput {
  return {
    enterpriseId: 'ent-1',
    title: 'Cần 5.000 thùng carton mỗi tháng',
    description: 'Đóng gói chè Thái Nguyên',
    category: 'material',
    hsCodes: ['4819'],
    vsicCodes: [],
    quantityPerMonth: { value: 5_000, unit: 'carton' },
    deadline: new Date(now.getTime() + 60 * DAY),
    requiredCertifications: [],
    preferredProvinces: [],
    excludedProvinces: [],
    budget: null,
    validUntil: null,
    ...overrides,
  };
}

export const officerOf = (province: string): Actor => ({
  role: 'province',
  enterpriseId: '',
  provinceCode: province,
  subject: `officer-${province}`,
});

/** The first valid 10-digit tax code at or after the nine-digit number `from` (check digit by the domain rule). */
export function validTaxCode(from: number): string {
  for (let i = from; ; i += 1) {
    const nine = String(100_000_000 + (i % 900_000_000)).slice(-9);
    const digit = taxCodeCheckDigit(nine);
    if (digit !== undefined) return `${nine}${digit}`;
  }
}
