import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { checkProductCodes, messages, tokenize } from '@lienket/reference';
import type { MoneyRange, Party, TechRequest, TransferMode } from './model';
import { DAY_MS, illegalTransition } from './transitions';

export interface RequestInput {
  title: string;
  description: string;
  hsCodes: string[];
  vsicCodes: string[];
  keywords: string[];
  minReadinessLevel: number;
  transferModes: TransferMode[];
  budget: MoneyRange | null;
  cleanerProduction: boolean;
  pollutionTreatment: boolean;
  validUntil: Date | null;
}

export const REQUEST_DEFAULT_VALIDITY_DAYS = 180;
export const REQUEST_MAX_VALIDITY_DAYS = 730;

/** A technology request posted in the marketplace (source "direct"). */
export function postRequest(requester: Party, input: RequestInput, id: string, now: Date): TechRequest {
  const p = 'request';
  const violations: FieldViolation[] = [];
  const title = input.title.trim();
  if (title.length < 3 || title.length > 200) violations.push(messages.length(`${p}.title`, 3, 200));
  if (input.description.length > 5_000) violations.push(messages.length(`${p}.description`, 0, 5_000));
  const codes = checkProductCodes(input, p, violations);
  if (
    !Number.isInteger(input.minReadinessLevel) ||
    input.minReadinessLevel < 0 ||
    input.minReadinessLevel > 9
  )
    violations.push(messages.range(`${p}.minReadinessLevel`, 0, 9));
  const budget = input.budget;
  if (budget && (budget.minVnd < 0 || budget.maxVnd < 0)) violations.push(messages.positive(`${p}.budget`));
  if (budget && budget.maxVnd > 0 && budget.minVnd > budget.maxVnd)
    violations.push(messages.budgetOrder(`${p}.budget`));
  const validUntil = input.validUntil ?? new Date(now.getTime() + REQUEST_DEFAULT_VALIDITY_DAYS * DAY_MS);
  if (validUntil.getTime() <= now.getTime()) violations.push(messages.future(`${p}.validUntil`));
  if (validUntil.getTime() > now.getTime() + REQUEST_MAX_VALIDITY_DAYS * DAY_MS)
    violations.push(messages.tooFar(`${p}.validUntil`, REQUEST_MAX_VALIDITY_DAYS));
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    id,
    requesterId: requester.enterpriseId,
    province: requester.province,
    region: requester.region,
    title,
    description: input.description.trim(),
    ...codes,
    keywords: [...new Set(input.keywords.map((k) => k.trim()).filter(Boolean))],
    minReadinessLevel: input.minReadinessLevel,
    transferModes: [...new Set(input.transferModes)],
    budget: budget && (budget.minVnd > 0 || budget.maxVnd > 0) ? budget : null,
    cleanerProduction: input.cleanerProduction,
    pollutionTreatment: input.pollutionTreatment,
    source: 'direct',
    registryNeedId: '',
    validUntil,
    status: 'open',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

const requestIllegal = (request: TechRequest, action: string, actionVi: string) =>
  illegalTransition('a request', 'yêu cầu công nghệ', request.status, action, actionVi);

export function closeRequest(request: TechRequest, now: Date): TechRequest {
  if (request.status !== 'open') throw requestIllegal(request, 'close', 'đóng');
  return { ...request, status: 'closed', updatedAt: now };
}

export function expireRequest(request: TechRequest, now: Date): TechRequest {
  if (request.status !== 'open') throw requestIllegal(request, 'expire', 'cho hết hạn');
  if (request.validUntil.getTime() > now.getTime()) {
    throw new AppError('FAILED_PRECONDITION', 'The request is still valid', {
      code: 'NOT_DUE',
      messageVi: 'Yêu cầu vẫn còn hiệu lực',
    });
  }
  return { ...request, status: 'expired', updatedAt: now };
}

export function requestSearchTokens(
  request: Pick<TechRequest, 'title' | 'description' | 'keywords'>,
): string[] {
  return [...new Set(tokenize(`${request.title} ${request.description} ${request.keywords.join(' ')}`))];
}
