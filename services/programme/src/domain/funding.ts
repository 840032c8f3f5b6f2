import type { FieldViolation } from '@lienket/platform/errors';
import {
  type EnterpriseKind,
  type FundingMix,
  type Scheme,
  type SupportLineRule,
  supportLineNames,
  vndText,
} from './model';

const money = (field: string, value: number, positive = false): FieldViolation | undefined =>
  Number.isSafeInteger(value) && (positive ? value > 0 : value >= 0)
    ? undefined
    : {
        field,
        reason: positive ? 'must_be_positive' : 'must_be_whole_vnd',
        description: `${field} is a whole number of VND${positive ? ' above zero' : ', zero or more'}`,
        descriptionVi: `${field} là số VND nguyên${positive ? ' lớn hơn 0' : ', từ 0 trở lên'}`,
      };

/**
 * Why a scheme's money does not stand under a rule: amounts not whole VND, parts that do not add
 * up to the cost, a state share above the line's cap, a counterpart below the line's minimum
 * share, or a beneficiary the line does not fund. Empty when it stands.
 */
export function fundingViolations(
  mix: FundingMix,
  rule: SupportLineRule,
  beneficiaryKind: EnterpriseKind,
): FieldViolation[] {
  const out: FieldViolation[] = [];
  const checks = [
    money('funding.costVnd', mix.costVnd, true),
    money('funding.stateVnd', mix.stateVnd),
    money('funding.counterpartVnd', mix.counterpartVnd),
    money('funding.sponsorVnd', mix.sponsorVnd),
  ];
  for (const v of checks) if (v) out.push(v);
  if (out.length > 0) return out;
  const sum = mix.stateVnd + mix.counterpartVnd + mix.sponsorVnd;
  if (sum !== mix.costVnd)
    out.push({
      field: 'funding',
      reason: 'does_not_add_up',
      description: `State ${vndText.en(mix.stateVnd)} + counterpart ${vndText.en(mix.counterpartVnd)} + sponsors ${vndText.en(mix.sponsorVnd)} = ${vndText.en(sum)}, not the cost of ${vndText.en(mix.costVnd)}`,
      descriptionVi: `Ngân sách ${vndText.vi(mix.stateVnd)} + đối ứng ${vndText.vi(mix.counterpartVnd)} + tài trợ ${vndText.vi(mix.sponsorVnd)} = ${vndText.vi(sum)}, khác tổng kinh phí ${vndText.vi(mix.costVnd)}`,
    });
  if (mix.stateVnd > rule.capVnd)
    out.push({
      field: 'funding.stateVnd',
      reason: 'above_cap',
      description: `${supportLineNames[rule.line].en}: at most ${vndText.en(rule.capVnd)} of ${rule.source} money per scheme in ${rule.year}`,
      descriptionVi: `${supportLineNames[rule.line].vi}: ngân sách ${rule.source === 'national' ? 'trung ương' : 'địa phương'} hỗ trợ tối đa ${vndText.vi(rule.capVnd)} mỗi đề án năm ${rule.year}`,
    });
  // Whole-number comparison: counterpart / cost >= min% without rounding.
  if (mix.counterpartVnd * 100 < rule.minCounterpartPercent * mix.costVnd)
    out.push({
      field: 'funding.counterpartVnd',
      reason: 'below_counterpart_share',
      description: `The beneficiary brings at least ${rule.minCounterpartPercent}% of the cost: ${vndText.en(Math.ceil((rule.minCounterpartPercent * mix.costVnd) / 100))}`,
      descriptionVi: `Vốn đối ứng của đơn vị thụ hưởng tối thiểu ${rule.minCounterpartPercent}% kinh phí: ${vndText.vi(Math.ceil((rule.minCounterpartPercent * mix.costVnd) / 100))}`,
    });
  if (!rule.eligibleKinds.includes(beneficiaryKind))
    out.push({
      field: 'beneficiaryKind',
      reason: 'kind_not_eligible',
      description: `${supportLineNames[rule.line].en} does not fund a ${beneficiaryKind.replaceAll('_', ' ')}`,
      descriptionVi: `${supportLineNames[rule.line].vi} không hỗ trợ loại hình ${beneficiaryKind.replaceAll('_', ' ')}`,
    });
  return out;
}

/** Money paid or received so far, by source. */
export function moneyIn(scheme: Pick<Scheme, 'disbursements' | 'pledges'>) {
  let state = 0;
  let counterpart = 0;
  for (const d of scheme.disbursements) {
    if (d.source === 'state') state += d.amountVnd;
    else counterpart += d.amountVnd;
  }
  let sponsorMatched = 0;
  let sponsorReceived = 0;
  for (const p of scheme.pledges) {
    sponsorMatched += p.amountVnd;
    if (p.status === 'received') sponsorReceived += p.amountVnd;
  }
  return { state, counterpart, sponsorMatched, sponsorReceived };
}

/** The non-state share of a set of funding mixes, in basis points (exact integer arithmetic). */
export function nonStateShareBasisPoints(mixes: readonly FundingMix[]): number {
  let cost = 0;
  let nonState = 0;
  for (const m of mixes) {
    cost += m.costVnd;
    nonState += m.counterpartVnd + m.sponsorVnd;
  }
  return cost === 0 ? 0 : Math.floor((nonState * 10_000) / cost);
}
