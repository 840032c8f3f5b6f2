import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import {
  type EnterpriseKind,
  enterpriseKinds,
  type FundingSource,
  fundingSources,
  type SupportLine,
  type SupportLineRule,
  supportLines,
} from './model';

export const ruleId = (year: number, source: FundingSource, line: SupportLine) => `${year}:${source}:${line}`;

export interface RuleInput {
  line: string;
  year: number;
  source: string;
  funds: string[];
  capVnd: number;
  minCounterpartPercent: number;
  eligibleKinds: string[];
}

const isLine = (v: string): v is SupportLine => (supportLines as readonly string[]).includes(v);
const isSource = (v: string): v is FundingSource => (fundingSources as readonly string[]).includes(v);
const isKind = (v: string): v is EnterpriseKind => (enterpriseKinds as readonly string[]).includes(v);

/** A rule as the ministry sets it, every field checked at once. */
export function supportLineRule(input: RuleInput, by: string, now: Date, version = 1): SupportLineRule {
  const violations: FieldViolation[] = [];
  if (!isLine(input.line))
    violations.push({
      field: 'rule.line',
      reason: 'unknown_support_line',
      description: `Unknown support line "${input.line}" (one of ${supportLines.join(', ')})`,
      descriptionVi: `Nội dung khuyến công "${input.line}" không tồn tại`,
    });
  if (!isSource(input.source))
    violations.push({
      field: 'rule.source',
      reason: 'unknown_funding_source',
      description: 'The funding source is national or provincial',
      descriptionVi: 'Nguồn kinh phí là khuyến công quốc gia hoặc địa phương',
    });
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    violations.push(messages.range('rule.year', 2000, 2100));
  const funds = input.funds.map((f) => f.trim()).filter(Boolean);
  if (funds.length === 0 || funds.length > 20) violations.push(messages.range('rule.funds', 1, 20));
  if (!Number.isSafeInteger(input.capVnd) || input.capVnd <= 0)
    violations.push(messages.positive('rule.capVnd'));
  if (
    !Number.isInteger(input.minCounterpartPercent) ||
    input.minCounterpartPercent < 0 ||
    input.minCounterpartPercent > 100
  )
    violations.push(messages.range('rule.minCounterpartPercent', 0, 100));
  const kinds = [...new Set(input.eligibleKinds)];
  if (kinds.length === 0) violations.push(messages.required('rule.eligibleKinds'));
  kinds.forEach((k, i) => {
    if (!isKind(k))
      violations.push({
        field: `rule.eligibleKinds[${i}]`,
        reason: 'unknown_enterprise_kind',
        description: `Unknown enterprise kind "${k}"`,
        descriptionVi: `Loại hình cơ sở "${k}" không tồn tại`,
      });
  });
  if (violations.length > 0) throw invalidArgument(violations);
  const line = input.line as SupportLine;
  const source = input.source as FundingSource;
  return {
    id: ruleId(input.year, source, line),
    line,
    year: input.year,
    source,
    funds,
    capVnd: input.capVnd,
    minCounterpartPercent: input.minCounterpartPercent,
    eligibleKinds: kinds as EnterpriseKind[],
    updatedBy: by,
    updatedAt: now,
    version,
  };
}

export const noRule = (year: number, source: FundingSource, line: SupportLine) =>
  new AppError(
    'FAILED_PRECONDITION',
    `No rule for support line ${line} in ${year} from the ${source} budget`,
    {
      code: 'NO_SUPPORT_LINE_RULE',
      messageVi: `Chưa có quy định cho nội dung ${line} năm ${year} từ nguồn ${source === 'national' ? 'khuyến công quốc gia' : 'khuyến công địa phương'}`,
    },
  );

const small: EnterpriseKind[] = [
  'rural_industrial_establishment',
  'household_business',
  'cooperative',
  'enterprise',
];
const withCentre: EnterpriseKind[] = [...small, 'promotion_centre'];

/**
 * Seed values for a year with no rules stored yet: the shape of the programme's lines with
 * illustrative caps and counterpart shares (ADR 0018 says what was verified). The ministry changes
 * them through SetSupportLineRule; the service never reads these once a year has rules.
 */
export const defaultRuleInputs: readonly Omit<RuleInput, 'year' | 'source'>[] = [
  {
    line: 'training',
    funds: ['vocational training and skills upgrading', 'trainers', 'materials'],
    capVnd: 300_000_000,
    minCounterpartPercent: 0,
    eligibleKinds: withCentre,
  },
  {
    line: 'machinery_technology',
    funds: ['advanced machinery', 'technology transfer', 'installation and training on it'],
    capVnd: 500_000_000,
    minCounterpartPercent: 50,
    eligibleKinds: small,
  },
  {
    line: 'demonstration_model',
    funds: ['technical demonstration models', 'equipment of the model', 'visits and workshops'],
    capVnd: 1_500_000_000,
    minCounterpartPercent: 30,
    eligibleKinds: withCentre,
  },
  {
    line: 'cleaner_production',
    funds: [
      'cleaner-production assessment',
      'applying its solutions',
      'equipment that cuts waste and energy',
    ],
    capVnd: 500_000_000,
    minCounterpartPercent: 50,
    eligibleKinds: small,
  },
  {
    line: 'product_development',
    funds: ['product design', 'packaging and labels', 'certification'],
    capVnd: 200_000_000,
    minCounterpartPercent: 50,
    eligibleKinds: small,
  },
  {
    line: 'trade_promotion',
    funds: ['fairs and exhibitions', 'showrooms', 'trade missions'],
    capVnd: 300_000_000,
    minCounterpartPercent: 20,
    eligibleKinds: withCentre,
  },
  {
    line: 'consulting',
    funds: ['consulting', 'information and communication'],
    capVnd: 100_000_000,
    minCounterpartPercent: 30,
    eligibleKinds: withCentre,
  },
  {
    line: 'linkage_cluster',
    funds: ['linkage associations', 'value-chain clusters', 'shared facilities'],
    capVnd: 500_000_000,
    minCounterpartPercent: 30,
    eligibleKinds: withCentre,
  },
  {
    line: 'cluster_site_infrastructure',
    funds: ['cluster-site infrastructure', 'wastewater and pollution treatment: repair and upgrade'],
    capVnd: 5_000_000_000,
    minCounterpartPercent: 30,
    eligibleKinds: ['enterprise', 'cooperative', 'promotion_centre'],
  },
];

/** Every line's default rule for a year and source (seeded into an empty store). */
export function defaultRules(year: number, source: FundingSource, now: Date): SupportLineRule[] {
  return defaultRuleInputs.map((input) => supportLineRule({ ...input, year, source }, 'seed', now));
}
