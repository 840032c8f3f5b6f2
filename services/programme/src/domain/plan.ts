import { type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import { type ProgrammeActor, requireMinistry, requireProvinceOrMinistry } from './actor';
import type { Plan, PlanTarget, Scheme, SupportLine } from './model';
import { supportLines } from './model';
import { provinceField } from './province';
import { committedStatuses } from './scheme';

export const planIdOf = (year: number, province: string) => `${year}:${province || 'national'}`;

/** A province's centre sets its province's plan; the ministry the national one (province empty). */
export function setPlan(
  actor: ProgrammeActor,
  current: Plan | undefined,
  input: { year: number; province: string; targets: PlanTarget[] },
  now: Date,
): Plan {
  const violations: FieldViolation[] = [];
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    violations.push(messages.range('year', 2000, 2100));
  const province = provinceField(input.province, 'province', violations, true);
  const seen = new Set<string>();
  input.targets.forEach((t, i) => {
    if (!(supportLines as readonly string[]).includes(t.line) || seen.has(t.line))
      violations.push({
        field: `targets[${i}].line`,
        reason: 'unknown_or_repeated_line',
        description: `"${t.line}" is not a support line, or is listed twice`,
        descriptionVi: `"${t.line}" không phải nội dung khuyến công, hoặc bị lặp`,
      });
    seen.add(t.line);
    for (const field of ['schemes', 'stateVnd', 'beneficiaries'] as const)
      if (!Number.isSafeInteger(t[field]) || t[field] < 0)
        violations.push(messages.range(`targets[${i}].${field}`, 0, Number.MAX_SAFE_INTEGER));
  });
  if (violations.length > 0) throw invalidArgument(violations);
  if (province) requireProvinceOrMinistry(actor, province);
  else requireMinistry(actor);
  return {
    id: planIdOf(input.year, province),
    year: input.year,
    province,
    targets: input.targets.map((t) => ({ ...t })),
    updatedBy: actor.subject,
    updatedAt: now,
    version: current?.version ?? 1,
  };
}

export interface LineProgress {
  line: SupportLine;
  target: PlanTarget;
  /** Schemes approved or further along, their state money, their distinct beneficiaries. */
  schemes: number;
  stateVnd: number;
  beneficiaries: number;
}

/**
 * Progress of a plan: the schemes of its year (and province, or every province for the national
 * plan) whose money is committed, by support line against the targets.
 */
export function planProgress(plan: Plan, schemes: readonly Scheme[]): LineProgress[] {
  return plan.targets.map((target) => {
    const counted = schemes.filter(
      (s) =>
        s.year === plan.year &&
        s.line === target.line &&
        (plan.province === '' ? s.funding.stateSource === 'national' : s.province === plan.province) &&
        committedStatuses.includes(s.status),
    );
    return {
      line: target.line,
      target,
      schemes: counted.length,
      stateVnd: counted.reduce((sum, s) => sum + s.funding.stateVnd, 0),
      beneficiaries: new Set(counted.map((s) => s.beneficiaryId || `centre:${s.province}`)).size,
    };
  });
}
