import { editableOfferFields as offerMaskFields } from '@lienket/contracts/messages';
import type { Actor } from '@lienket/platform';
import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { checkProductCodes, checkProvinceCodes, messages, tokenize } from '@lienket/reference';
import type { IpStatus, MoneyRange, Offer, Party, TransferMode, Visibility } from './model';
import { DAY_MS, illegalTransition } from './transitions';

export interface OfferRules {
  defaultValidityDays: number;
  maxValidityDays: number;
}

export const defaultOfferRules: OfferRules = { defaultValidityDays: 180, maxValidityDays: 730 };

export interface OfferInput {
  title: string;
  summary: string;
  hsCodes: string[];
  vsicCodes: string[];
  keywords: string[];
  readinessLevel: number;
  ipStatus: IpStatus | undefined;
  ipNumbers: string[];
  transferModes: TransferMode[];
  priceBand: MoneyRange | null;
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
  languages: string[];
  visibility: Visibility | undefined;
  visibleProvinces: string[];
  anonymous: boolean;
  validUntil: Date | null;
}

export const editableOfferFields = offerMaskFields satisfies readonly (keyof OfferInput)[];

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function checkMoneyRange(range: MoneyRange | null, field: string, violations: FieldViolation[]) {
  if (!range) return null;
  if (range.minVnd < 0 || range.maxVnd < 0) violations.push(messages.positive(field));
  if (range.maxVnd > 0 && range.minVnd > range.maxVnd) violations.push(messages.budgetOrder(field));
  return range.minVnd === 0 && range.maxVnd === 0 ? null : range;
}

/** Validates the fields of an offer; every problem is reported at once. */
function checkOffer(
  input: OfferInput,
  now: Date,
  rules: OfferRules,
  /** False when valid-until is the stored one, unchanged (it may have passed since it was chosen). */
  checkValidUntil = true,
): Omit<
  Offer,
  | 'id'
  | 'ownerId'
  | 'ownerProvince'
  | 'ownerRegion'
  | 'ownerKind'
  | 'status'
  | 'publishedAt'
  | 'createdAt'
  | 'updatedAt'
  | 'version'
> {
  const p = 'offer';
  const violations: FieldViolation[] = [];
  const title = input.title.trim();
  if (title.length < 3 || title.length > 200) violations.push(messages.length(`${p}.title`, 3, 200));
  if (input.summary.length > 5_000) violations.push(messages.length(`${p}.summary`, 0, 5_000));
  const codes = checkProductCodes(input, p, violations);
  const keywords = [...new Set(input.keywords.map((k) => k.trim()).filter(Boolean))];
  if (keywords.length > 30) violations.push(messages.tooMany(`${p}.keywords`, 30));
  if (!Number.isInteger(input.readinessLevel) || input.readinessLevel < 1 || input.readinessLevel > 9)
    violations.push(messages.range(`${p}.readinessLevel`, 1, 9));
  if (!input.ipStatus) violations.push(messages.required(`${p}.ipStatus`));
  const ipNumbers = [...new Set(input.ipNumbers.map((n) => n.trim()).filter(Boolean))];
  if ((input.ipStatus === 'patent' || input.ipStatus === 'utility_solution') && ipNumbers.length === 0)
    violations.push(messages.required(`${p}.ipNumbers`));
  if (ipNumbers.length > 20) violations.push(messages.tooMany(`${p}.ipNumbers`, 20));
  const transferModes = [...new Set(input.transferModes)];
  if (transferModes.length === 0) violations.push(messages.required(`${p}.transferModes`));
  const priceBand = checkMoneyRange(input.priceBand, `${p}.priceBand`, violations);
  const languages = [...new Set(input.languages.map((l) => l.trim()).filter(Boolean))];
  languages.forEach((tag, i) => {
    if (!LANGUAGE.test(tag))
      violations.push({
        field: `${p}.languages[${i}]`,
        reason: 'invalid_language',
        description: `"${tag}" is not a language tag such as "vi" or "en"`,
        descriptionVi: `"${tag}" không phải mã ngôn ngữ như "vi" hoặc "en"`,
      });
  });
  const visibility = input.visibility ?? 'public';
  const visibleProvinces = checkProvinceCodes(input.visibleProvinces, `${p}.visibleProvinces`, violations);
  if (visibility === 'named_provinces' && input.visibleProvinces.length === 0)
    violations.push(messages.required(`${p}.visibleProvinces`));
  if (input.validUntil && checkValidUntil) {
    if (input.validUntil.getTime() <= now.getTime()) violations.push(messages.future(`${p}.validUntil`));
    if (input.validUntil.getTime() > now.getTime() + rules.maxValidityDays * DAY_MS)
      violations.push(messages.tooFar(`${p}.validUntil`, rules.maxValidityDays));
  }
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    anonymous: input.anonymous,
    title,
    summary: input.summary.trim(),
    ...codes,
    keywords,
    readinessLevel: input.readinessLevel,
    ipStatus: input.ipStatus as IpStatus,
    ipNumbers,
    transferModes,
    priceBand,
    cleanerProduction: input.cleanerProduction,
    pollutionTreatment: input.pollutionTreatment,
    languages: languages.length > 0 ? languages : ['vi'],
    visibility,
    visibleProvinces: visibility === 'named_provinces' ? visibleProvinces : [],
    validUntil: input.validUntil,
  };
}

/** A draft offer of the owner; rejected enterprises cannot offer technology. */
export function createOffer(
  owner: Party & { rejected?: boolean },
  input: OfferInput,
  id: string,
  now: Date,
  rules: OfferRules = defaultOfferRules,
): Offer {
  if (owner.rejected) {
    throw new AppError('FAILED_PRECONDITION', 'A rejected enterprise cannot offer technology', {
      code: 'ENTERPRISE_REJECTED',
      messageVi: 'Doanh nghiệp bị từ chối không thể chào bán công nghệ',
    });
  }
  return {
    id,
    ownerId: owner.enterpriseId,
    ownerProvince: owner.province,
    ownerRegion: owner.region,
    ownerKind: owner.kind,
    ...checkOffer(input, now, rules),
    status: 'draft',
    publishedAt: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

const offerIllegal = (offer: Offer, action: string, actionVi: string) =>
  illegalTransition('an offer', 'chào bán', offer.status, action, actionVi);

/** Changes the fields named in `mask` of a draft or published offer; withdrawn and expired ones are closed. */
export function updateOffer(
  offer: Offer,
  input: OfferInput,
  mask: readonly string[],
  now: Date,
  rules: OfferRules = defaultOfferRules,
): { offer: Offer; changed: string[] } {
  if (offer.status !== 'draft' && offer.status !== 'published') throw offerIllegal(offer, 'change', 'sửa');
  const unknown = mask.filter((f) => !(editableOfferFields as readonly string[]).includes(f));
  if (unknown.length > 0)
    throw invalidArgument(
      unknown.map((f) => ({
        field: `updateMask.${f}`,
        reason: 'not_editable',
        description: `${f} cannot be changed`,
        descriptionVi: `Không thể sửa ${f}`,
      })),
    );
  const merged = { ...offerInputOf(offer) } as Record<string, unknown>;
  for (const field of mask) merged[field] = (input as unknown as Record<string, unknown>)[field];
  const checked = checkOffer(merged as unknown as OfferInput, now, rules, mask.includes('validUntil'));
  if (offer.status === 'published' && checked.anonymous !== offer.anonymous) {
    throw new AppError('FAILED_PRECONDITION', 'Anonymity cannot change once an offer is published', {
      code: 'ANONYMITY_FIXED',
      messageVi: 'Không thể đổi chế độ ẩn danh sau khi đã công bố',
    });
  }
  const next: Offer = { ...offer, ...checked, updatedAt: now };
  if (offer.status === 'published' && next.validUntil === null) next.validUntil = offer.validUntil;
  const changed = editableOfferFields.filter(
    (f) => JSON.stringify(next[f as keyof Offer]) !== JSON.stringify(offer[f as keyof Offer]),
  );
  return { offer: changed.length > 0 ? next : offer, changed };
}

export function offerInputOf(offer: Offer): OfferInput {
  const { ipStatus, visibility, ...rest } = offer;
  const input: Record<string, unknown> = { ipStatus, visibility };
  for (const field of editableOfferFields)
    if (!(field in input)) input[field] = rest[field as keyof typeof rest];
  return input as unknown as OfferInput;
}

export function publishOffer(offer: Offer, now: Date, rules: OfferRules = defaultOfferRules): Offer {
  if (offer.status !== 'draft') throw offerIllegal(offer, 'publish', 'công bố');
  const validUntil = offer.validUntil ?? new Date(now.getTime() + rules.defaultValidityDays * DAY_MS);
  if (validUntil.getTime() <= now.getTime()) {
    throw new AppError(
      'FAILED_PRECONDITION',
      'The offer’s valid-until date has passed; choose a new one first',
      {
        code: 'VALIDITY_PASSED',
        messageVi: 'Thời hạn hiệu lực của chào bán đã qua; hãy chọn thời hạn mới trước',
      },
    );
  }
  return { ...offer, status: 'published', validUntil, publishedAt: now, updatedAt: now };
}

export function withdrawOffer(offer: Offer, now: Date): Offer {
  if (offer.status !== 'draft' && offer.status !== 'published') throw offerIllegal(offer, 'withdraw', 'rút');
  return { ...offer, status: 'withdrawn', updatedAt: now };
}

/** Extends a published offer; the new date must be later than the current one and within the maximum. */
export function renewOffer(
  offer: Offer,
  validUntil: Date | null,
  now: Date,
  rules: OfferRules = defaultOfferRules,
): Offer {
  if (offer.status !== 'published') throw offerIllegal(offer, 'renew', 'gia hạn');
  const next = validUntil ?? new Date(now.getTime() + rules.defaultValidityDays * DAY_MS);
  const violations: FieldViolation[] = [];
  if (next.getTime() <= now.getTime()) violations.push(messages.future('validUntil'));
  else if (offer.validUntil && next.getTime() <= offer.validUntil.getTime())
    violations.push({
      field: 'validUntil',
      reason: 'not_later',
      description: 'A renewal must move valid-until later',
      descriptionVi: 'Gia hạn phải lùi thời hạn hiệu lực về sau',
    });
  if (next.getTime() > now.getTime() + rules.maxValidityDays * DAY_MS)
    violations.push(messages.tooFar('validUntil', rules.maxValidityDays));
  if (violations.length > 0) throw invalidArgument(violations);
  return { ...offer, validUntil: next, updatedAt: now };
}

export function expireOffer(offer: Offer, now: Date): Offer {
  if (offer.status !== 'published') throw offerIllegal(offer, 'expire', 'cho hết hạn');
  if (offer.validUntil && offer.validUntil.getTime() > now.getTime()) {
    throw new AppError('FAILED_PRECONDITION', 'The offer is still valid', {
      code: 'NOT_DUE',
      messageVi: 'Chào bán vẫn còn hiệu lực',
    });
  }
  return { ...offer, status: 'expired', updatedAt: now };
}

/** The owner (or an admin or service) changes an offer. */
export function requireOwner(actor: Actor, offer: Offer): void {
  if (actor.role === 'admin' || actor.role === 'service') return;
  if (actor.role === 'enterprise' && actor.enterpriseId === offer.ownerId) return;
  throw new AppError('PERMISSION_DENIED', 'Only the offer’s owner may change it', {
    code: 'NOT_OWNER',
    messageVi: 'Chỉ chủ sở hữu mới được thay đổi chào bán',
  });
}

/** Folded words of title, summary and keywords, for text search. */
export function offerSearchTokens(offer: Pick<Offer, 'title' | 'summary' | 'keywords'>): string[] {
  return [...new Set(tokenize(`${offer.title} ${offer.summary} ${offer.keywords.join(' ')}`))];
}
