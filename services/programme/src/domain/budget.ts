import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import { type ProgrammeActor, requireMinistry, requireProvinceOrMinistry } from './actor';
import { type Budget, type FundingSource, fundingSources, vndText } from './model';
import { provinceField } from './province';

export const budgetIdOf = (year: number, source: FundingSource, province: string) =>
  source === 'national' ? `${year}:national` : `${year}:provincial:${province}`;

export const insufficientBudget = (budgetId: string, availableVnd: number | undefined, amountVnd: number) =>
  new AppError(
    'FAILED_PRECONDITION',
    availableVnd === undefined
      ? `Budget ${budgetId} is not open`
      : `Budget ${budgetId} has ${availableVnd} VND available, less than ${amountVnd} VND`,
    {
      code: 'INSUFFICIENT_BUDGET',
      messageVi:
        availableVnd === undefined
          ? `Chưa mở ngân sách ${budgetId}`
          : `Ngân sách ${budgetId} chỉ còn ${availableVnd} VND, ít hơn ${amountVnd} VND`,
    },
  );

/**
 * A year's budget set (or changed) by whoever holds it: the ministry the national budget, a
 * province's centre its province's. The total never falls below what approvals committed.
 */
export function setBudget(
  actor: ProgrammeActor,
  current: Budget | undefined,
  input: { year: number; source: string; province: string; totalVnd: number },
  now: Date,
): Budget {
  const violations: FieldViolation[] = [];
  if (!(fundingSources as readonly string[]).includes(input.source))
    violations.push(messages.required('source'));
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    violations.push(messages.range('year', 2000, 2100));
  if (!Number.isSafeInteger(input.totalVnd) || input.totalVnd < 0)
    violations.push(messages.range('totalVnd', 0, Number.MAX_SAFE_INTEGER));
  const province = input.source === 'provincial' ? provinceField(input.province, 'province', violations) : '';
  if (violations.length > 0) throw invalidArgument(violations);
  const source = input.source as FundingSource;
  if (source === 'national') requireMinistry(actor);
  else requireProvinceOrMinistry(actor, province);
  const committed = current?.committedVnd ?? 0;
  if (input.totalVnd < committed)
    throw invalidArgument(
      [
        {
          field: 'totalVnd',
          reason: 'below_committed',
          description: `Approved schemes already hold ${vndText.en(committed)} of this budget`,
          descriptionVi: `Các đề án đã duyệt đang giữ ${vndText.vi(committed)} của ngân sách này`,
        },
      ],
      'FUNDING_REFUSED',
    );
  return {
    id: budgetIdOf(input.year, source, province),
    year: input.year,
    source,
    province,
    totalVnd: input.totalVnd,
    availableVnd: input.totalVnd - committed,
    committedVnd: committed,
    reservedSchemeIds: current?.reservedSchemeIds ?? [],
    releasedSchemeIds: current?.releasedSchemeIds ?? [],
    updatedAt: now,
    version: current?.version ?? 1,
  };
}

/**
 * Reserves a scheme's state share (what the store does with one conditional decrement; this pure
 * form states the rule and serves the unit tests). Undefined when the scheme holds it already.
 */
export function reserve(budget: Budget, schemeId: string, amountVnd: number, now: Date): Budget | undefined {
  if (budget.reservedSchemeIds.includes(schemeId)) return undefined;
  if (budget.availableVnd < amountVnd) throw insufficientBudget(budget.id, budget.availableVnd, amountVnd);
  return {
    ...budget,
    availableVnd: budget.availableVnd - amountVnd,
    committedVnd: budget.committedVnd + amountVnd,
    reservedSchemeIds: [...budget.reservedSchemeIds, schemeId],
    updatedAt: now,
  };
}

/** Gives back what a cancelled scheme's state share did not pay, once. */
export function release(budget: Budget, schemeId: string, amountVnd: number, now: Date): Budget | undefined {
  if (!budget.reservedSchemeIds.includes(schemeId) || budget.releasedSchemeIds.includes(schemeId))
    return undefined;
  return {
    ...budget,
    availableVnd: budget.availableVnd + amountVnd,
    committedVnd: budget.committedVnd - amountVnd,
    releasedSchemeIds: [...budget.releasedSchemeIds, schemeId],
    updatedAt: now,
  };
}
