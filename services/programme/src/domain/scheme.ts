import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import {
  deny,
  type ProgrammeActor,
  requireMinistry,
  requireProvinceOrMinistry,
  requireSignedIn,
} from './actor';
import { budgetIdOf } from './budget';
import { fundingViolations, moneyIn } from './funding';
import {
  type Appraisal,
  type ChecklistItem,
  type Disbursement,
  type EnterpriseKind,
  enterpriseKinds,
  type FundingMix,
  fundingSources,
  type Outcomes,
  type PaymentSource,
  paymentSources,
  type Scheme,
  type SchemeStatus,
  type SupportLine,
  type SupportLineRule,
  supportLines,
  vndText,
} from './model';
import { provinceField } from './province';

export interface ProposalInput {
  title: string;
  line: string;
  year: number;
  province: string;
  /** The establishment that benefits; an enterprise proposes for itself only. */
  beneficiaryId: string;
  beneficiaryKind: string;
  siteId: string;
  pollutionTreatment: boolean;
  funding: FundingMix;
}

const statusVi: Record<SchemeStatus, string> = {
  proposed: 'đã đề xuất',
  appraised: 'đã thẩm định',
  approving: 'đang phê duyệt',
  approved: 'đã phê duyệt',
  contracted: 'đã ký hợp đồng',
  implementing: 'đang thực hiện',
  accepted: 'đã nghiệm thu',
  settled: 'đã quyết toán',
  rejected: 'bị từ chối',
  withdrawn: 'đã rút',
  cancelled: 'đã hủy',
};

/** A refused transition: FAILED_PRECONDITION naming the scheme's state, with a field for forms. */
export function illegalTransition(
  scheme: Pick<Scheme, 'status'>,
  action: string,
  actionVi: string,
): AppError {
  return new AppError('FAILED_PRECONDITION', `Cannot ${action} a scheme that is ${scheme.status}`, {
    code: 'ILLEGAL_TRANSITION',
    messageVi: `Không thể ${actionVi} đề án ${statusVi[scheme.status]}`,
    violations: [
      {
        field: 'status',
        reason: 'illegal_transition',
        description: `The scheme is ${scheme.status}; it cannot be ${action}d now`,
        descriptionVi: `Đề án ${statusVi[scheme.status]}, không thể ${actionVi} lúc này`,
      },
    ],
  });
}

const requireStatus = (
  scheme: Scheme,
  allowed: readonly SchemeStatus[],
  action: string,
  actionVi: string,
) => {
  if (!allowed.includes(scheme.status)) throw illegalTransition(scheme, action, actionVi);
};

const moved = (scheme: Scheme, status: SchemeStatus, by: string, now: Date): Scheme => ({
  ...scheme,
  status,
  history: [...scheme.history, { status, by, at: now }],
  updatedAt: now,
});

const text = (field: string, value: string, min: number, max: number, out: FieldViolation[]) => {
  const trimmed = value.trim();
  if (trimmed.length < min || trimmed.length > max) out.push(messages.length(field, min, max));
  return trimmed;
};

/** The rule a proposal or an approval stands under must be the line's, for its year and source. */
function checkRule(rule: SupportLineRule | undefined, line: SupportLine, year: number, mix: FundingMix) {
  if (!rule || rule.line !== line || rule.year !== year || rule.source !== mix.stateSource)
    throw new AppError(
      'FAILED_PRECONDITION',
      `No rule for ${line} in ${year} from the ${mix.stateSource} budget`,
      {
        code: 'NO_SUPPORT_LINE_RULE',
        messageVi: `Chưa có quy định cho nội dung ${line} năm ${year}`,
      },
    );
  return rule;
}

/**
 * A scheme proposed by an establishment for itself or by a province's centre, under one support
 * line's rule for its year and the state source it asks for. Every field error at once.
 */
export function proposeScheme(
  actor: ProgrammeActor,
  input: ProposalInput,
  rule: SupportLineRule | undefined,
  id: string,
  now: Date,
): Scheme {
  requireSignedIn(actor);
  if (actor.kind === 'enterprise') {
    if (input.beneficiaryId !== actor.enterpriseId)
      throw deny(
        'An establishment proposes schemes for itself only',
        'Cơ sở chỉ được đề xuất đề án cho chính mình',
        'NOT_OWN_ENTERPRISE',
      );
  } else if (actor.kind === 'centre') {
    if (input.province !== actor.province)
      throw deny(
        `A centre proposes schemes in its own province (${actor.province})`,
        `Trung tâm chỉ đề xuất đề án trong tỉnh mình (${actor.province})`,
        'OTHER_PROVINCE',
      );
  } else {
    throw deny(
      'Schemes are proposed by establishments and provincial promotion centres',
      'Đề án do cơ sở hoặc trung tâm khuyến công tỉnh đề xuất',
    );
  }
  const violations: FieldViolation[] = [];
  const title = text('title', input.title, 3, 200, violations);
  if (!(supportLines as readonly string[]).includes(input.line))
    violations.push({
      field: 'line',
      reason: 'unknown_support_line',
      description: `Unknown support line "${input.line}"`,
      descriptionVi: `Nội dung khuyến công "${input.line}" không tồn tại`,
    });
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    violations.push(messages.range('year', 2000, 2100));
  const province = provinceField(input.province, 'province', violations);
  const kind = (input.beneficiaryId ? input.beneficiaryKind : 'promotion_centre') as EnterpriseKind;
  if (!(enterpriseKinds as readonly string[]).includes(kind))
    violations.push({
      field: 'beneficiaryKind',
      reason: 'unknown_enterprise_kind',
      description: `Unknown enterprise kind "${input.beneficiaryKind}"`,
      descriptionVi: `Loại hình cơ sở "${input.beneficiaryKind}" không tồn tại`,
    });
  if (!(fundingSources as readonly string[]).includes(input.funding.stateSource))
    violations.push({
      field: 'funding.stateSource',
      reason: 'unknown_funding_source',
      description: 'The state share comes from the national or the provincial budget',
      descriptionVi: 'Phần ngân sách nhà nước là khuyến công quốc gia hoặc địa phương',
    });
  if (input.pollutionTreatment && input.line !== 'cluster_site_infrastructure')
    violations.push({
      field: 'pollutionTreatment',
      reason: 'line_not_cluster_site',
      description: 'Pollution treatment of a cluster site is a cluster-site infrastructure scheme',
      descriptionVi: 'Xử lý ô nhiễm cụm công nghiệp thuộc nội dung hạ tầng cụm công nghiệp',
    });
  if (input.line === 'cluster_site_infrastructure' && !input.siteId.trim())
    violations.push(messages.required('siteId'));
  if (violations.length > 0) throw invalidArgument(violations);
  const line = input.line as SupportLine;
  const found = checkRule(rule, line, input.year, input.funding);
  const money = fundingViolations(input.funding, found, kind);
  if (money.length > 0) throw invalidArgument(money, 'FUNDING_REFUSED');
  return {
    id,
    title,
    line,
    year: input.year,
    province,
    proposedBy: actor.kind === 'enterprise' ? 'enterprise' : 'centre',
    beneficiaryId: input.beneficiaryId,
    beneficiaryKind: kind,
    siteId: input.siteId.trim(),
    pollutionTreatment: input.pollutionTreatment,
    funding: { ...input.funding },
    status: 'proposed',
    appraisal: null,
    budgetId: '',
    decidedBy: '',
    decisionReason: '',
    contractNumber: '',
    milestones: [],
    disbursements: [],
    pledges: [],
    outcomes: null,
    history: [{ status: 'proposed', by: actor.subject, at: now }],
    createdBy: actor.subject,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** Who may read a single scheme: its beneficiary, its province's centre, the ministry, the service. */
export function maySeeScheme(actor: ProgrammeActor, scheme: Scheme): boolean {
  switch (actor.kind) {
    case 'ministry':
    case 'service':
      return true;
    case 'centre':
      return actor.province === scheme.province;
    case 'enterprise':
      return scheme.beneficiaryId !== '' && actor.enterpriseId === scheme.beneficiaryId;
    case 'sponsor':
      return scheme.pledges.some((p) => p.sponsorId === actor.sponsorId);
    default:
      return false;
  }
}

export interface AppraisalInput {
  checklist: ChecklistItem[];
  score: number;
  reasons: string;
  passed: boolean;
}

/** The province's centre appraises: passed moves it to appraised, failed rejects it with the reasons. */
export function appraiseScheme(
  actor: ProgrammeActor,
  scheme: Scheme,
  input: AppraisalInput,
  now: Date,
): Scheme {
  requireProvinceOrMinistry(actor, scheme.province);
  requireStatus(scheme, ['proposed'], 'appraise', 'thẩm định');
  const violations: FieldViolation[] = [];
  if (input.checklist.length === 0 || input.checklist.length > 50)
    violations.push(messages.range('checklist', 1, 50));
  input.checklist.forEach((c, i) => {
    if (!c.item.trim() || c.item.length > 200)
      violations.push(messages.length(`checklist[${i}].item`, 1, 200));
  });
  if (!Number.isInteger(input.score) || input.score < 0 || input.score > 100)
    violations.push(messages.range('score', 0, 100));
  const reasons = text('reasons', input.reasons, 1, 2000, violations);
  if (input.passed && input.checklist.some((c) => !c.passed))
    violations.push({
      field: 'passed',
      reason: 'checklist_not_passed',
      description: 'A scheme passes appraisal only when every checklist item passes',
      descriptionVi: 'Đề án chỉ đạt thẩm định khi mọi tiêu chí đều đạt',
    });
  if (violations.length > 0) throw invalidArgument(violations);
  const appraisal: Appraisal = {
    checklist: input.checklist.map((c) => ({ item: c.item.trim(), passed: c.passed })),
    score: input.score,
    reasons,
    passed: input.passed,
    by: actor.subject,
    at: now,
  };
  const next = { ...scheme, appraisal };
  return input.passed
    ? moved(next, 'appraised', actor.subject, now)
    : moved({ ...next, decidedBy: actor.subject, decisionReason: reasons }, 'rejected', actor.subject, now);
}

/** National money is the ministry's to approve; provincial money the province's centre's. */
export function requireApprover(actor: ProgrammeActor, scheme: Scheme): void {
  if (scheme.funding.stateSource === 'national') {
    requireMinistry(actor);
    return;
  }
  requireSignedIn(actor);
  if (actor.kind !== 'centre' || actor.province !== scheme.province)
    throw deny(
      `Provincial money is approved by the promotion centre of province ${scheme.province}`,
      `Kinh phí khuyến công địa phương do trung tâm khuyến công tỉnh ${scheme.province} phê duyệt`,
      'OTHER_PROVINCE',
    );
}

/**
 * First of three steps of an approval (claim, reserve the budget, complete; ADR 0018): the scheme
 * is claimed for the approver, its money checked again under the rule in force, and the budget it
 * will draw on named.
 */
export function claimApproval(
  actor: ProgrammeActor,
  scheme: Scheme,
  rule: SupportLineRule | undefined,
  now: Date,
): Scheme {
  requireApprover(actor, scheme);
  requireStatus(scheme, ['appraised'], 'approve', 'phê duyệt');
  const found = checkRule(rule, scheme.line, scheme.year, scheme.funding);
  const money = fundingViolations(scheme.funding, found, scheme.beneficiaryKind);
  if (money.length > 0) throw invalidArgument(money, 'FUNDING_REFUSED');
  return {
    ...moved(scheme, 'approving', actor.subject, now),
    budgetId: budgetIdOf(scheme.year, scheme.funding.stateSource, scheme.province),
    decidedBy: actor.subject,
  };
}

export function completeApproval(scheme: Scheme, now: Date): Scheme | undefined {
  if (scheme.status !== 'approving') return undefined;
  return moved(scheme, 'approved', scheme.decidedBy, now);
}

/** The budget refused the reservation (or the claim went stale without one): back to appraised. */
export function revertApproval(scheme: Scheme, now: Date): Scheme | undefined {
  if (scheme.status !== 'approving') return undefined;
  return { ...moved(scheme, 'appraised', scheme.decidedBy, now), budgetId: '', decidedBy: '' };
}

export function rejectScheme(actor: ProgrammeActor, scheme: Scheme, reason: string, now: Date): Scheme {
  requireProvinceOrMinistry(actor, scheme.province);
  requireStatus(scheme, ['proposed', 'appraised'], 'reject', 'từ chối');
  const violations: FieldViolation[] = [];
  const decisionReason = text('reason', reason, 1, 2000, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return moved({ ...scheme, decidedBy: actor.subject, decisionReason }, 'rejected', actor.subject, now);
}

/** Its proposer takes it back before approval. */
export function withdrawScheme(actor: ProgrammeActor, scheme: Scheme, now: Date): Scheme {
  requireSignedIn(actor);
  const own =
    (actor.kind === 'enterprise' &&
      scheme.proposedBy === 'enterprise' &&
      actor.enterpriseId === scheme.beneficiaryId) ||
    (actor.kind === 'centre' && scheme.proposedBy === 'centre' && actor.province === scheme.province);
  if (!own) throw deny('Only its proposer withdraws a scheme', 'Chỉ bên đề xuất mới được rút đề án');
  requireStatus(scheme, ['proposed', 'appraised'], 'withdraw', 'rút');
  return moved(scheme, 'withdrawn', actor.subject, now);
}

/** Who manages an approved scheme: the province's centre, or the ministry for national money. */
export function requireManager(actor: ProgrammeActor, scheme: Scheme): void {
  requireSignedIn(actor);
  if (actor.kind === 'ministry') return;
  requireProvinceOrMinistry(actor, scheme.province);
}

export function contractScheme(
  actor: ProgrammeActor,
  scheme: Scheme,
  contractNumber: string,
  now: Date,
): Scheme {
  requireManager(actor, scheme);
  requireStatus(scheme, ['approved'], 'contract', 'ký hợp đồng');
  const violations: FieldViolation[] = [];
  const number = text('contractNumber', contractNumber, 1, 100, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  return moved({ ...scheme, contractNumber: number }, 'contracted', actor.subject, now);
}

const implementing = (scheme: Scheme, by: string, now: Date) =>
  scheme.status === 'contracted' ? moved(scheme, 'implementing', by, now) : { ...scheme, updatedAt: now };

/** A milestone reached, with its evidence (file names or links); the first one starts implementation. */
export function recordMilestone(
  actor: ProgrammeActor,
  scheme: Scheme,
  milestone: { id: string; title: string; evidence: string[] },
  now: Date,
): Scheme | undefined {
  requireManager(actor, scheme);
  if (scheme.milestones.some((m) => m.id === milestone.id)) return undefined;
  requireStatus(scheme, ['contracted', 'implementing'], 'record a milestone of', 'ghi mốc cho');
  const violations: FieldViolation[] = [];
  const title = text('milestone.title', milestone.title, 1, 200, violations);
  const evidence = milestone.evidence.map((e) => e.trim()).filter(Boolean);
  if (evidence.length === 0 || evidence.length > 20)
    violations.push(messages.range('milestone.evidence', 1, 20));
  if (violations.length > 0) throw invalidArgument(violations);
  return implementing(
    {
      ...scheme,
      milestones: [
        ...scheme.milestones,
        { id: milestone.id, title, evidence, recordedBy: actor.subject, recordedAt: now },
      ],
    },
    actor.subject,
    now,
  );
}

/**
 * A payment from the state share or the counterpart; never more than that source's share of the
 * scheme. The same id (derived from the reference) again changes nothing.
 */
export function recordDisbursement(
  actor: ProgrammeActor,
  scheme: Scheme,
  payment: { id: string; source: string; amountVnd: number; reference: string },
  now: Date,
): Scheme | undefined {
  requireManager(actor, scheme);
  if (scheme.disbursements.some((d) => d.id === payment.id)) return undefined;
  requireStatus(scheme, ['contracted', 'implementing', 'accepted'], 'disburse to', 'giải ngân cho');
  const violations: FieldViolation[] = [];
  const reference = text('reference', payment.reference, 1, 100, violations);
  if (!(paymentSources as readonly string[]).includes(payment.source))
    violations.push({
      field: 'source',
      reason: 'unknown_payment_source',
      description:
        'A payment comes from the state share or the counterpart (sponsors’ money arrives as pledges)',
      descriptionVi: 'Khoản chi từ ngân sách nhà nước hoặc vốn đối ứng (tài trợ đến qua cam kết tài trợ)',
    });
  if (!Number.isSafeInteger(payment.amountVnd) || payment.amountVnd <= 0)
    violations.push(messages.positive('amountVnd'));
  if (violations.length > 0) throw invalidArgument(violations);
  const source = payment.source as PaymentSource;
  const paid = moneyIn(scheme)[source];
  const share = source === 'state' ? scheme.funding.stateVnd : scheme.funding.counterpartVnd;
  if (paid + payment.amountVnd > share)
    throw invalidArgument(
      [
        {
          field: 'amountVnd',
          reason: 'above_share',
          description: `Only ${vndText.en(share - paid)} of the ${source} share remain to be paid`,
          descriptionVi: `Phần ${source === 'state' ? 'ngân sách' : 'đối ứng'} chỉ còn ${vndText.vi(share - paid)}`,
        },
      ],
      'FUNDING_REFUSED',
    );
  const disbursement: Disbursement = {
    id: payment.id,
    source,
    amountVnd: payment.amountVnd,
    reference,
    recordedBy: actor.subject,
    recordedAt: now,
  };
  return implementing(
    { ...scheme, disbursements: [...scheme.disbursements, disbursement] },
    actor.subject,
    now,
  );
}

/** Acceptance (nghiệm thu) with the measured outcomes; at least one milestone must stand behind it. */
export function acceptScheme(actor: ProgrammeActor, scheme: Scheme, outcomes: Outcomes, now: Date): Scheme {
  requireManager(actor, scheme);
  requireStatus(scheme, ['implementing'], 'accept', 'nghiệm thu');
  const violations: FieldViolation[] = [];
  for (const field of ['jobs', 'firmsReached'] as const)
    if (!Number.isSafeInteger(outcomes[field]) || outcomes[field] < 0)
      violations.push(messages.range(`outcomes.${field}`, 0, Number.MAX_SAFE_INTEGER));
  for (const field of ['outputVnd', 'energySavedKwh'] as const)
    if (!Number.isSafeInteger(outcomes[field]) || outcomes[field] < 0)
      violations.push(messages.range(`outcomes.${field}`, 0, Number.MAX_SAFE_INTEGER));
  if (!Number.isFinite(outcomes.emissionsCutTonnesCo2e) || outcomes.emissionsCutTonnesCo2e < 0)
    violations.push(messages.range('outcomes.emissionsCutTonnesCo2e', 0, Number.MAX_SAFE_INTEGER));
  if (scheme.milestones.length === 0)
    violations.push({
      field: 'milestones',
      reason: 'no_milestone',
      description: 'Record at least one milestone with its evidence before acceptance',
      descriptionVi: 'Cần ghi ít nhất một mốc thực hiện kèm minh chứng trước khi nghiệm thu',
    });
  if (violations.length > 0) throw invalidArgument(violations);
  return moved({ ...scheme, outcomes: { ...outcomes } }, 'accepted', actor.subject, now);
}

/** Settlement closes the books: every source paid or received exactly as the funding mix says. */
export function settleScheme(actor: ProgrammeActor, scheme: Scheme, now: Date): Scheme {
  requireManager(actor, scheme);
  requireStatus(scheme, ['accepted'], 'settle', 'quyết toán');
  const paid = moneyIn(scheme);
  const f = scheme.funding;
  const violations: FieldViolation[] = [];
  const check = (field: string, got: number, want: number, what: string, whatVi: string) => {
    if (got !== want)
      violations.push({
        field,
        reason: 'does_not_add_up',
        description: `${what}: ${got} VND recorded, ${want} VND in the funding mix`,
        descriptionVi: `${whatVi}: đã ghi ${got} VND, cơ cấu vốn là ${want} VND`,
      });
  };
  check('funding.stateVnd', paid.state, f.stateVnd, 'State money paid', 'Ngân sách đã chi');
  check(
    'funding.counterpartVnd',
    paid.counterpart,
    f.counterpartVnd,
    'Counterpart paid',
    'Vốn đối ứng đã chi',
  );
  check(
    'funding.sponsorVnd',
    paid.sponsorReceived,
    f.sponsorVnd,
    'Sponsors’ money received',
    'Tài trợ đã nhận',
  );
  if (violations.length > 0) throw invalidArgument(violations, 'FUNDING_REFUSED');
  return moved(scheme, 'settled', actor.subject, now);
}

/**
 * An approved scheme stopped before acceptance; what the state share has not paid goes back to
 * the budget (returned as `releaseVnd`).
 */
export function cancelScheme(
  actor: ProgrammeActor,
  scheme: Scheme,
  reason: string,
  now: Date,
): { next: Scheme; releaseVnd: number } {
  requireManager(actor, scheme);
  requireStatus(scheme, ['approved', 'contracted', 'implementing'], 'cancel', 'hủy');
  const violations: FieldViolation[] = [];
  const decisionReason = text('reason', reason, 1, 2000, violations);
  if (violations.length > 0) throw invalidArgument(violations);
  const releaseVnd = scheme.funding.stateVnd - moneyIn(scheme).state;
  return {
    next: moved({ ...scheme, decisionReason }, 'cancelled', actor.subject, now),
    releaseVnd,
  };
}

/** States in which the money of a scheme is committed (counted against plans and in reports). */
export const committedStatuses: readonly SchemeStatus[] = [
  'approved',
  'contracted',
  'implementing',
  'accepted',
  'settled',
];
