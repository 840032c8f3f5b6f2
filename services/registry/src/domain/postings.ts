import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import {
  checkProductCodes,
  checkProvinceCodes,
  foldVietnamese,
  isValidRecognition,
  messages,
  type RegionCode,
  regions,
} from '@lienket/reference';
import type { Capability, Enterprise, MoneyRange, Need, NeedCategory, Posting, Quantity } from './model';

const DAY = 86_400_000;

/** Posting rules, from configuration. */
export interface PostingRules {
  /** Open postings one enterprise may hold at once. */
  maxOpenPostings: number;
  defaultValidityDays: number;
  maxValidityDays: number;
  /** A posting may be renewed from this many days before it expires. */
  renewalWindowDays: number;
  /** The expiring warning goes out this many days before expiry. */
  expiringNoticeDays: number;
}

export const defaultPostingRules: PostingRules = {
  maxOpenPostings: 50,
  defaultValidityDays: 365,
  maxValidityDays: 730,
  renewalWindowDays: 30,
  expiringNoticeDays: 14,
};

export interface CodesInput {
  hsCodes: string[];
  vsicCodes: string[];
}

export interface CapabilityInput extends CodesInput {
  enterpriseId: string;
  title: string;
  description: string;
  monthlyCapacity: Quantity | null;
  minimumOrder: Quantity | null;
  leadTimeDays: number;
  servedProvinces: string[];
  servedRegions: string[];
  certifications: string[];
  priceBand: MoneyRange | null;
  validUntil: Date | null;
}

export interface NeedInput extends CodesInput {
  enterpriseId: string;
  title: string;
  description: string;
  category: NeedCategory | undefined;
  quantityPerMonth: Quantity | null;
  deadline: Date | null;
  requiredCertifications: string[];
  preferredProvinces: string[];
  excludedProvinces: string[];
  budget: MoneyRange | null;
  validUntil: Date | null;
}

function checkText(
  input: { title: string; description: string },
  prefix: string,
  violations: FieldViolation[],
) {
  const title = input.title.trim();
  if (title.length < 3 || title.length > 200) violations.push(messages.length(`${prefix}.title`, 3, 200));
  if (input.description.length > 5_000) violations.push(messages.length(`${prefix}.description`, 0, 5_000));
}

function checkQuantity(
  quantity: Quantity | null,
  field: string,
  violations: FieldViolation[],
  required: boolean,
) {
  if (!quantity) {
    if (required) violations.push(messages.required(field));
    return null;
  }
  if (!(quantity.value > 0) || !Number.isFinite(quantity.value))
    violations.push(messages.positive(`${field}.value`));
  const unit = quantity.unit.trim().toLowerCase();
  if (!unit) violations.push(messages.unit(`${field}.unit`));
  return { value: quantity.value, unit };
}

function checkCertifications(kinds: string[], field: string, violations: FieldViolation[]): string[] {
  // A certification requirement names a kind; OCOP may name a minimum star level as OCOP:4.
  const valid = kinds.map((k) => k.trim().toUpperCase()).filter(Boolean);
  valid.forEach((kind, i) => {
    const [base = '', level] = kind.split(':');
    if (
      !isValidRecognition(
        base,
        level ?? (base === 'OCOP' ? '3' : base === 'TYPICAL_RURAL_PRODUCT' ? 'provincial' : undefined),
      )
    ) {
      violations.push(messages.invalidRecognition(`${field}[${i}]`, kind));
    }
  });
  return [...new Set(valid)];
}

function checkMoney(range: MoneyRange | null, field: string, violations: FieldViolation[]) {
  if (!range) return null;
  if (range.minVnd < 0 || range.maxVnd < 0) violations.push(messages.positive(field));
  if (range.maxVnd > 0 && range.minVnd > range.maxVnd) violations.push(messages.budgetOrder(field));
  return range.minVnd === 0 && range.maxVnd === 0 ? null : range;
}

function checkValidUntil(
  validUntil: Date | null,
  fallback: Date,
  now: Date,
  rules: PostingRules,
  field: string,
  violations: FieldViolation[],
) {
  const value = validUntil ?? fallback;
  if (value.getTime() <= now.getTime()) violations.push(messages.future(field));
  if (value.getTime() > now.getTime() + rules.maxValidityDays * DAY)
    violations.push(messages.tooFar(field, rules.maxValidityDays));
  return value;
}

function requireMayPost(enterprise: Enterprise): void {
  if (enterprise.verification.status === 'rejected') {
    throw new AppError(
      'FAILED_PRECONDITION',
      'A rejected enterprise cannot post; update its profile for a new review',
      {
        code: 'ENTERPRISE_REJECTED',
        messageVi: 'Doanh nghiệp bị từ chối không thể đăng tin; hãy cập nhật hồ sơ để được xét lại',
      },
    );
  }
}

export function openPostingLimit(rules: PostingRules): AppError {
  return new AppError(
    'RESOURCE_EXHAUSTED',
    `An enterprise may have at most ${rules.maxOpenPostings} open postings; withdraw or close one first`,
    {
      code: 'OPEN_POSTING_LIMIT',
      messageVi: `Mỗi doanh nghiệp chỉ được có tối đa ${rules.maxOpenPostings} tin đang mở; hãy rút hoặc đóng bớt một tin`,
    },
  );
}

export function postCapability(
  enterprise: Enterprise,
  input: CapabilityInput,
  id: string,
  now: Date,
  rules: PostingRules = defaultPostingRules,
): Capability {
  requireMayPost(enterprise);
  const p = 'capability';
  const violations: FieldViolation[] = [];
  checkText(input, p, violations);
  const codes = checkProductCodes(input, p, violations);
  const monthlyCapacity = checkQuantity(input.monthlyCapacity, `${p}.monthlyCapacity`, violations, true);
  const minimumOrder = checkQuantity(input.minimumOrder, `${p}.minimumOrder`, violations, false);
  if (input.leadTimeDays < 0 || input.leadTimeDays > 3_650)
    violations.push(messages.range(`${p}.leadTimeDays`, 0, 3_650));
  const servedProvinces = checkProvinceCodes(input.servedProvinces, `${p}.servedProvinces`, violations);
  const known = new Set(regions.map((r) => r.code as string));
  input.servedRegions.forEach((code, i) => {
    if (!known.has(code)) violations.push(messages.unknownRegion(`${p}.servedRegions[${i}]`, code));
  });
  const certifications = checkCertifications(input.certifications, `${p}.certifications`, violations);
  const priceBand = checkMoney(input.priceBand, `${p}.priceBand`, violations);
  const validUntil = checkValidUntil(
    input.validUntil,
    new Date(now.getTime() + rules.defaultValidityDays * DAY),
    now,
    rules,
    `${p}.validUntil`,
    violations,
  );
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    kind: 'capability',
    id,
    enterpriseId: enterprise.id,
    title: input.title.trim(),
    description: input.description.trim(),
    ...codes,
    monthlyCapacity: monthlyCapacity as Quantity,
    minimumOrder,
    leadTimeDays: input.leadTimeDays,
    servedProvinces,
    servedRegions: [...new Set(input.servedRegions)] as RegionCode[],
    certifications,
    priceBand,
    province: enterprise.province,
    validUntil,
    expiringNoticeFor: null,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export function postNeed(
  enterprise: Enterprise,
  input: NeedInput,
  id: string,
  now: Date,
  rules: PostingRules = defaultPostingRules,
): Need {
  requireMayPost(enterprise);
  const p = 'need';
  const violations: FieldViolation[] = [];
  checkText(input, p, violations);
  if (!input.category) violations.push(messages.required(`${p}.category`));
  const codes = checkProductCodes(input, p, violations);
  const quantityPerMonth = checkQuantity(input.quantityPerMonth, `${p}.quantityPerMonth`, violations, true);
  if (input.deadline && input.deadline.getTime() <= now.getTime())
    violations.push(messages.future(`${p}.deadline`));
  const requiredCertifications = checkCertifications(
    input.requiredCertifications,
    `${p}.requiredCertifications`,
    violations,
  );
  const preferredProvinces = checkProvinceCodes(
    input.preferredProvinces,
    `${p}.preferredProvinces`,
    violations,
  );
  const excludedProvinces = checkProvinceCodes(input.excludedProvinces, `${p}.excludedProvinces`, violations);
  const budget = checkMoney(input.budget, `${p}.budget`, violations);
  const fallback =
    input.deadline &&
    input.deadline.getTime() > now.getTime() &&
    input.deadline.getTime() < now.getTime() + rules.defaultValidityDays * DAY
      ? input.deadline
      : new Date(now.getTime() + rules.defaultValidityDays * DAY);
  const validUntil = checkValidUntil(input.validUntil, fallback, now, rules, `${p}.validUntil`, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    kind: 'need',
    id,
    enterpriseId: enterprise.id,
    title: input.title.trim(),
    description: input.description.trim(),
    category: input.category as NeedCategory,
    ...codes,
    quantityPerMonth: quantityPerMonth as Quantity,
    deadline: input.deadline,
    requiredCertifications,
    preferredProvinces,
    excludedProvinces,
    budget,
    province: enterprise.province,
    validUntil,
    expiringNoticeFor: null,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

function illegal(posting: Posting, action: string, actionVi: string): AppError {
  const what = posting.kind === 'capability' ? 'capability' : 'need';
  return new AppError('FAILED_PRECONDITION', `Cannot ${action} a ${posting.status} ${what}`, {
    code: 'ILLEGAL_TRANSITION',
    messageVi: `Không thể ${actionVi} tin ở trạng thái ${posting.status}`,
  });
}

export function withdrawCapability(capability: Capability, now: Date): Capability {
  if (capability.status !== 'open') throw illegal(capability, 'withdraw', 'rút');
  return { ...capability, status: 'withdrawn', updatedAt: now };
}

/** Renewal opens `renewalWindowDays` before expiry and extends by the default validity from the old end. */
export function renewCapability(
  capability: Capability,
  now: Date,
  rules: PostingRules = defaultPostingRules,
): Capability {
  if (capability.status !== 'open') throw illegal(capability, 'renew', 'gia hạn');
  const opens = capability.validUntil.getTime() - rules.renewalWindowDays * DAY;
  if (now.getTime() < opens) {
    throw new AppError(
      'FAILED_PRECONDITION',
      `Renewal opens ${rules.renewalWindowDays} days before expiry, on ${new Date(opens).toISOString().slice(0, 10)}`,
      {
        code: 'RENEWAL_NOT_OPEN',
        messageVi: `Chỉ được gia hạn trong ${rules.renewalWindowDays} ngày trước khi hết hạn, từ ngày ${new Date(opens).toISOString().slice(0, 10)}`,
      },
    );
  }
  return {
    ...capability,
    validUntil: new Date(capability.validUntil.getTime() + rules.defaultValidityDays * DAY),
    expiringNoticeFor: null,
    updatedAt: now,
  };
}

export function closeNeed(need: Need, now: Date): Need {
  if (need.status !== 'open') throw illegal(need, 'close', 'đóng');
  return { ...need, status: 'closed', updatedAt: now };
}

export function fulfilNeed(need: Need, now: Date): Need {
  if (need.status !== 'open') throw illegal(need, 'fulfil', 'hoàn thành');
  return { ...need, status: 'fulfilled', updatedAt: now };
}

/** Due for the expiring warning: open, inside the notice window, not yet warned for this expiry. */
export function isExpiringNoticeDue(
  posting: Posting,
  now: Date,
  rules: PostingRules = defaultPostingRules,
): boolean {
  return (
    posting.status === 'open' &&
    posting.validUntil.getTime() - rules.expiringNoticeDays * DAY <= now.getTime() &&
    posting.validUntil.getTime() > now.getTime() &&
    posting.expiringNoticeFor?.getTime() !== posting.validUntil.getTime()
  );
}

export function expirePosting<P extends Posting>(posting: P, now: Date): P {
  if (posting.status !== 'open' || posting.validUntil.getTime() > now.getTime())
    throw illegal(posting, 'expire', 'hết hạn');
  return { ...posting, status: 'expired', updatedAt: now };
}

/** Folded words of title and description, for diacritics-insensitive search. */
export function postingSearchTokens(posting: Pick<Posting, 'title' | 'description'>): string[] {
  return [
    ...new Set(
      foldVietnamese(`${posting.title} ${posting.description}`)
        .split(/[^a-z0-9]+/)
        .filter((t) => t.length > 1),
    ),
  ];
}
