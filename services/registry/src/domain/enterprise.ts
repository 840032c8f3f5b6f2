import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import {
  checkTaxCode,
  foldVietnamese,
  isValidRecognition,
  isValidVsicCode,
  messages,
  type RecognitionKind,
  regionOf,
  resolveProvinceCode,
} from '@lienket/reference';
import type { Actor, Contact, Enterprise, EnterpriseKind, Recognition, SizeBand, Trademark } from './model';
import { requireOfficerOf } from './policy';

export interface EnterpriseInput {
  taxCode: string;
  name: string;
  kind: EnterpriseKind | undefined;
  supportingIndustry: boolean;
  provinceCode: string;
  address: string;
  primaryVsic: string;
  vsicCodes: string[];
  sizeBand: SizeBand;
  recognitions: { kind: string; level: string; year: number; product: string }[];
  trademarks: Trademark[];
  contact: Contact;
}

export const editableFields = [
  'name',
  'kind',
  'supporting_industry',
  'province_code',
  'address',
  'primary_vsic',
  'vsic_codes',
  'size_band',
  'recognitions',
  'trademarks',
  'contact',
] as const;
export type EditableField = (typeof editableFields)[number];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^(\+84|0)?\d{8,10}$/;

interface ValidProfile {
  name: string;
  kind: EnterpriseKind;
  supportingIndustry: boolean;
  province: string;
  legacyProvince: string;
  address: string;
  primaryVsic: string;
  vsicCodes: string[];
  sizeBand: SizeBand;
  recognitions: Recognition[];
  trademarks: Trademark[];
  contact: Contact;
}

/** Checks every field at once and returns the normalised profile, or throws INVALID_ARGUMENT listing all problems. */
export function validateProfile(
  input: Omit<EnterpriseInput, 'taxCode'>,
  prefix = 'enterprise',
): ValidProfile {
  const violations: FieldViolation[] = [];
  const field = (name: string) => `${prefix}.${name}`;
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length < 2 || name.length > 200) violations.push(messages.length(field('name'), 2, 200));
  if (!input.kind) violations.push(messages.required(field('kind')));
  const province = resolveProvinceCode(input.provinceCode.trim());
  if (!input.provinceCode.trim()) violations.push(messages.required(field('provinceCode')));
  else if (!province) violations.push(messages.unknownProvince(field('provinceCode'), input.provinceCode));
  if (input.address.length > 300) violations.push(messages.length(field('address'), 0, 300));
  const primaryVsic = input.primaryVsic.trim();
  if (!primaryVsic) violations.push(messages.required(field('primaryVsic')));
  else if (!isValidVsicCode(primaryVsic))
    violations.push(messages.invalidVsic(field('primaryVsic'), primaryVsic));
  const vsicCodes = [...new Set(input.vsicCodes.map((c) => c.trim()).filter(Boolean))];
  if (vsicCodes.length > 20) violations.push(messages.tooMany(field('vsicCodes'), 20));
  vsicCodes.forEach((code, i) => {
    if (!isValidVsicCode(code)) violations.push(messages.invalidVsic(field(`vsicCodes[${i}]`), code));
  });
  input.recognitions.forEach((r, i) => {
    if (!isValidRecognition(r.kind, r.level || undefined)) {
      violations.push(
        messages.invalidRecognition(field(`recognitions[${i}]`), `${r.kind} ${r.level}`.trim()),
      );
    }
  });
  if (input.trademarks.length > 20) violations.push(messages.tooMany(field('trademarks'), 20));
  input.trademarks.forEach((t, i) => {
    if (!t.name.trim()) violations.push(messages.required(field(`trademarks[${i}].name`)));
  });
  const contact = {
    person: input.contact.person.trim(),
    phone: input.contact.phone.replace(/[\s.-]/g, ''),
    email: input.contact.email.trim().toLowerCase(),
  };
  if (contact.email && !EMAIL.test(contact.email)) violations.push(messages.email(field('contact.email')));
  if (contact.phone && !PHONE.test(contact.phone)) violations.push(messages.phone(field('contact.phone')));
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    name,
    kind: input.kind as EnterpriseKind,
    supportingIndustry: input.supportingIndustry,
    province: province?.code as string,
    legacyProvince: province?.legacyCode ?? '',
    address: input.address.trim(),
    primaryVsic,
    vsicCodes: vsicCodes.includes(primaryVsic) ? vsicCodes : [primaryVsic, ...vsicCodes],
    sizeBand: input.sizeBand,
    recognitions: input.recognitions.map((r) => ({ ...r, kind: r.kind as RecognitionKind })),
    trademarks: input.trademarks.map((t) => ({
      name: t.name.trim(),
      registrationNumber: t.registrationNumber.trim(),
    })),
    contact,
  };
}

export function normaliseTaxCode(raw: string, field = 'enterprise.taxCode'): string {
  const result = checkTaxCode(raw);
  if (result.ok) return result.taxCode;
  throw invalidArgument([
    result.reason === 'format' ? messages.taxCodeFormat(field) : messages.taxCodeCheckDigit(field),
  ]);
}

export function registerEnterprise(input: EnterpriseInput, id: string, now: Date): Enterprise {
  const violations: FieldViolation[] = [];
  let taxCode = '';
  try {
    taxCode = normaliseTaxCode(input.taxCode);
  } catch (error) {
    violations.push(...(error as AppError).violations);
  }
  let profile: ValidProfile | undefined;
  try {
    profile = validateProfile(input);
  } catch (error) {
    violations.push(...(error as AppError).violations);
  }
  if (violations.length > 0 || !profile) throw invalidArgument(violations);
  return {
    id,
    taxCode,
    ...profile,
    leadFirm: false,
    region: regionOf(profile.province) ?? 'RRD',
    verification: { status: 'unverified', reason: '', decidedBy: '', decidedAt: null },
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

const fieldKeys: Record<EditableField, (keyof ValidProfile)[]> = {
  name: ['name'],
  kind: ['kind'],
  supporting_industry: ['supportingIndustry'],
  province_code: ['province', 'legacyProvince'],
  address: ['address'],
  primary_vsic: ['primaryVsic', 'vsicCodes'],
  vsic_codes: ['vsicCodes'],
  size_band: ['sizeBand'],
  recognitions: ['recognitions'],
  trademarks: ['trademarks'],
  contact: ['contact'],
};

/**
 * Applies the masked fields. A change of name or province sends a verified or rejected
 * enterprise back to `unverified`: what the province checked no longer holds.
 */
export function updateEnterprise(
  current: Enterprise,
  input: Omit<EnterpriseInput, 'taxCode'>,
  mask: string[],
  now: Date,
): { enterprise: Enterprise; changed: EditableField[] } {
  const unknown = mask.filter((path) => !(editableFields as readonly string[]).includes(path));
  if (mask.length === 0 || unknown.length > 0) {
    throw invalidArgument([
      {
        field: 'update_mask',
        reason: 'invalid_mask',
        description: `update_mask must name editable fields (${editableFields.join(', ')})`,
        descriptionVi: `update_mask phải liệt kê các trường được sửa (${editableFields.join(', ')})`,
      },
    ]);
  }
  const merged: Omit<EnterpriseInput, 'taxCode'> = {
    name: current.name,
    kind: current.kind,
    supportingIndustry: current.supportingIndustry,
    provinceCode: current.legacyProvince || current.province,
    address: current.address,
    primaryVsic: current.primaryVsic,
    vsicCodes: current.vsicCodes,
    sizeBand: current.sizeBand,
    recognitions: current.recognitions,
    trademarks: current.trademarks,
    contact: current.contact,
  };
  const inputKey: Record<EditableField, keyof typeof merged> = {
    name: 'name',
    kind: 'kind',
    supporting_industry: 'supportingIndustry',
    province_code: 'provinceCode',
    address: 'address',
    primary_vsic: 'primaryVsic',
    vsic_codes: 'vsicCodes',
    size_band: 'sizeBand',
    recognitions: 'recognitions',
    trademarks: 'trademarks',
    contact: 'contact',
  };
  for (const path of mask as EditableField[])
    (merged as Record<string, unknown>)[inputKey[path]] = input[inputKey[path]];
  const profile = validateProfile(merged);
  const changed = (mask as EditableField[]).filter((path) =>
    fieldKeys[path].some((key) => JSON.stringify(profile[key]) !== JSON.stringify(current[key])),
  );
  const reverify =
    current.verification.status !== 'unverified' &&
    (changed.includes('name') || changed.includes('province_code'));
  return {
    enterprise: {
      ...current,
      ...profile,
      region: regionOf(profile.province) ?? current.region,
      // A lead firm is designated within a province; moving province ends it.
      leadFirm: changed.includes('province_code') ? false : current.leadFirm,
      verification: reverify
        ? { status: 'unverified', reason: '', decidedBy: '', decidedAt: null }
        : current.verification,
      updatedAt: changed.length > 0 ? now : current.updatedAt,
    },
    changed,
  };
}

export type VerificationDecision = 'verify' | 'reject';

export function decideVerification(
  current: Enterprise,
  actor: Actor,
  decision: VerificationDecision | undefined,
  reason: string,
  now: Date,
): Enterprise {
  requireOfficerOf(actor, current);
  if (!decision) throw invalidArgument([messages.required('decision')]);
  if (decision === 'reject' && reason.trim().length < 5)
    throw invalidArgument([messages.length('reason', 5, 500)]);
  if (current.verification.status !== 'unverified') {
    throw new AppError(
      'FAILED_PRECONDITION',
      `The enterprise is already ${current.verification.status}; it is reviewed again after it changes its name or province`,
      {
        code: 'ALREADY_DECIDED',
        messageVi: `Doanh nghiệp đã được ${current.verification.status === 'verified' ? 'xác minh' : 'từ chối'}; chỉ xét lại khi thay đổi tên hoặc tỉnh`,
      },
    );
  }
  return {
    ...current,
    verification: {
      status: decision === 'verify' ? 'verified' : 'rejected',
      reason: decision === 'reject' ? reason.trim() : '',
      decidedBy: actor.subject,
      decidedAt: now,
    },
    updatedAt: now,
  };
}

export function designateLeadFirm(
  current: Enterprise,
  actor: Actor,
  leadFirm: boolean,
  now: Date,
): Enterprise {
  requireOfficerOf(actor, current);
  if (leadFirm && current.verification.status !== 'verified') {
    throw new AppError('FAILED_PRECONDITION', 'Only a verified enterprise can be a lead firm', {
      code: 'NOT_VERIFIED',
      messageVi: 'Chỉ doanh nghiệp đã xác minh mới được công nhận là doanh nghiệp dẫn dắt',
    });
  }
  return { ...current, leadFirm, updatedAt: now };
}

/** Folded words of the name and trademarks, for diacritics-insensitive prefix search. */
export function enterpriseSearchTokens(
  enterprise: Pick<Enterprise, 'name' | 'trademarks' | 'taxCode'>,
): string[] {
  const text = [enterprise.name, ...enterprise.trademarks.map((t) => t.name)].join(' ');
  return [
    ...new Set([
      ...foldVietnamese(text)
        .split(/[^a-z0-9]+/)
        .filter((t) => t.length > 1),
      enterprise.taxCode,
    ]),
  ];
}
