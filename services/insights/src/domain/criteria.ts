import { type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { type RegionCode, regions, resolveProvinceCode } from '@lienket/reference';

/** Vietnam keeps UTC+7 all year: a calendar month starts at 17:00 UTC on the day before. */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;

export const categories = [
  'material',
  'component',
  'outsourcing',
  'equipment',
  'technology',
  'service',
] as const;

export type Dimension = 'province' | 'region' | 'vsic_division' | 'hs_chapter';

/** A half-open interval [start, end); either end may be open. */
export interface Period {
  start?: Date;
  end?: Date;
}

/** A validated filter. */
export interface Criteria {
  period: Period;
  vsicPrefix?: string;
  hsPrefix?: string;
  province?: string;
  region?: RegionCode;
  category?: string;
}

export interface FilterInput {
  fromMonth: string;
  toMonth: string;
  vsicPrefix: string;
  hsPrefix: string;
  province: string;
  region: string;
  category: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The instant a calendar month "YYYY-MM" begins in Vietnam; undefined when not of that shape. */
export function monthStart(month: string, monthsLater = 0): Date | undefined {
  const match = MONTH.exec(month);
  if (!match) return undefined;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1 + monthsLater, 1) - VIETNAM_OFFSET_MS);
}

/** The calendar month (Vietnam time) an instant falls in, "YYYY-MM". */
export function monthOf(date: Date): string {
  return new Date(date.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 7);
}

/** Whether an instant falls in a period. */
export function inPeriod(date: Date | undefined, { start, end }: Period): boolean {
  if (!date) return false;
  const t = date.getTime();
  return (!start || t >= start.getTime()) && (!end || t < end.getTime());
}

function violation(
  field: string,
  reason: string,
  description: string,
  descriptionVi: string,
): FieldViolation {
  return { field, reason, description, descriptionVi };
}

/** Checks and normalises a filter; every problem is reported at once as INVALID_ARGUMENT. */
export function criteriaOf(input: Partial<FilterInput> | undefined, prefix = 'filter'): Criteria {
  const f = {
    fromMonth: '',
    toMonth: '',
    vsicPrefix: '',
    hsPrefix: '',
    province: '',
    region: '',
    category: '',
    ...input,
  };
  const problems: FieldViolation[] = [];
  const criteria: Criteria = { period: {} };
  const field = (name: string) => `${prefix}.${name}`;

  const from = f.fromMonth.trim();
  const to = f.toMonth.trim();
  if (from) {
    criteria.period.start = monthStart(from);
    if (!criteria.period.start)
      problems.push(
        violation(field('from_month'), 'invalid_month', 'must be YYYY-MM', 'phải có dạng YYYY-MM'),
      );
  }
  if (to) {
    criteria.period.end = monthStart(to, 1);
    if (!criteria.period.end)
      problems.push(violation(field('to_month'), 'invalid_month', 'must be YYYY-MM', 'phải có dạng YYYY-MM'));
  }
  if (criteria.period.start && criteria.period.end && criteria.period.start >= criteria.period.end)
    problems.push(
      violation(
        field('to_month'),
        'period_reversed',
        'to_month must not be before from_month',
        'to_month không được trước from_month',
      ),
    );

  const vsic = f.vsicPrefix.trim().toUpperCase();
  if (vsic) {
    if (/^([A-U]|\d{2,5})$/.test(vsic)) criteria.vsicPrefix = vsic;
    else
      problems.push(
        violation(
          field('vsic_prefix'),
          'invalid_vsic_prefix',
          'must be a VSIC section letter or 2 to 5 digits',
          'phải là chữ cái ngành cấp 1 hoặc 2 đến 5 chữ số VSIC',
        ),
      );
  }
  const hs = f.hsPrefix.trim();
  if (hs) {
    if (/^\d{2,8}$/.test(hs)) criteria.hsPrefix = hs;
    else
      problems.push(
        violation(
          field('hs_prefix'),
          'invalid_hs_prefix',
          'must be 2 to 8 digits',
          'phải có 2 đến 8 chữ số HS',
        ),
      );
  }
  const province = f.province.trim();
  if (province) {
    const resolved = resolveProvinceCode(province);
    if (resolved) criteria.province = resolved.code;
    else
      problems.push(
        violation(
          field('province'),
          'unknown_province',
          `unknown province ${province}`,
          `không có tỉnh ${province}`,
        ),
      );
  }
  const region = f.region.trim().toUpperCase();
  if (region) {
    const known = regions.find((r) => r.code === region);
    if (known) criteria.region = known.code;
    else
      problems.push(
        violation(
          field('region'),
          'unknown_region',
          `unknown region ${region} (NMM, RRD, NCC, CH, SE, MD)`,
          `không có vùng ${region} (NMM, RRD, NCC, CH, SE, MD)`,
        ),
      );
  }
  const category = f.category.trim().toLowerCase();
  if (category) {
    if ((categories as readonly string[]).includes(category)) criteria.category = category;
    else
      problems.push(
        violation(
          field('category'),
          'unknown_category',
          `category must be one of ${categories.join(', ')}`,
          `nhóm nhu cầu phải là một trong ${categories.join(', ')}`,
        ),
      );
  }
  if (problems.length > 0) throw invalidArgument(problems);
  return criteria;
}
