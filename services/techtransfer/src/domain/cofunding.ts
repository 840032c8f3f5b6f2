import type { Actor } from '@lienket/platform';
import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { checkProvinceCodes, isValidVsicCode, messages } from '@lienket/reference';
import type {
  CoFundingApplication,
  Disbursement,
  Eligibility,
  FunderKind,
  Interest,
  Programme,
  SponsorKind,
} from './model';
import { deny, requireAuthenticated } from './policy';
import { illegalTransition } from './transitions';

export interface ProgrammeInput {
  name: string;
  funderKind: FunderKind | undefined;
  sponsor: { name: string; kind: SponsorKind | undefined; country: string } | null;
  province: string;
  budgetVnd: number;
  maxCofundingPercent: number;
  perProjectCapVnd: number;
  eligibility: Eligibility;
}

const COUNTRY = /^[A-Z]{2}$/;

/**
 * Admins open national funds and sponsors' programmes; an officer opens its own province's fund
 * (whose eligibility is that province).
 */
export function createProgramme(actor: Actor, input: ProgrammeInput, id: string, now: Date): Programme {
  requireAuthenticated(actor);
  const violations: FieldViolation[] = [];
  const name = input.name.trim();
  if (name.length < 3 || name.length > 200) violations.push(messages.length('programme.name', 3, 200));
  if (!input.funderKind) violations.push(messages.required('programme.funderKind'));
  let sponsor: Programme['sponsor'] = null;
  if (input.funderKind === 'sponsor') {
    if (!input.sponsor?.name.trim()) violations.push(messages.required('programme.sponsor.name'));
    if (!input.sponsor?.kind) violations.push(messages.required('programme.sponsor.kind'));
    const country = (input.sponsor?.country ?? '').trim().toUpperCase();
    if (!COUNTRY.test(country))
      violations.push({
        field: 'programme.sponsor.country',
        reason: 'invalid_country',
        description: 'A two-letter ISO 3166 country code, e.g. VN or JP',
        descriptionVi: 'Mã quốc gia ISO 3166 hai chữ cái, ví dụ VN hoặc JP',
      });
    if (input.sponsor?.kind) sponsor = { name: input.sponsor.name.trim(), kind: input.sponsor.kind, country };
  }
  let province = '';
  if (input.funderKind === 'provincial_fund') {
    if (!input.province.trim()) violations.push(messages.required('programme.province'));
    else [province = ''] = checkProvinceCodes([input.province], 'programme.province', violations);
  }
  if (!Number.isSafeInteger(input.budgetVnd) || input.budgetVnd <= 0)
    violations.push(messages.positive('programme.budget'));
  if (
    !Number.isInteger(input.maxCofundingPercent) ||
    input.maxCofundingPercent < 1 ||
    input.maxCofundingPercent > 100
  )
    violations.push(messages.range('programme.maxCofundingPercent', 1, 100));
  if (!Number.isSafeInteger(input.perProjectCapVnd) || input.perProjectCapVnd < 0)
    violations.push({
      field: 'programme.perProjectCap',
      reason: 'must_not_be_negative',
      description: 'programme.perProjectCap must be zero (no cap) or more',
      descriptionVi: 'programme.perProjectCap phải bằng 0 (không giới hạn) hoặc lớn hơn',
    });
  const provinces = checkProvinceCodes(
    input.eligibility.provinces,
    'programme.eligibility.provinces',
    violations,
  );
  const vsicPrefixes = [...new Set(input.eligibility.vsicPrefixes.map((v) => v.trim()).filter(Boolean))];
  vsicPrefixes.forEach((code, i) => {
    if (!isValidVsicCode(code))
      violations.push(messages.invalidVsic(`programme.eligibility.vsicPrefixes[${i}]`, code));
  });
  if (violations.length > 0) throw invalidArgument(violations);

  if (input.funderKind === 'provincial_fund') {
    if (!(actor.role === 'admin' || (actor.role === 'province' && actor.provinceCode === province)))
      throw deny(
        'Only officers of the province (or admins) open its promotion fund',
        'Chỉ cán bộ của tỉnh (hoặc quản trị viên) mới được mở quỹ khuyến công của tỉnh',
      );
  } else if (actor.role !== 'admin') {
    throw deny(
      'Only admins open national funds and sponsors’ programmes',
      'Chỉ quản trị viên mới được mở quỹ quốc gia và chương trình của nhà tài trợ',
    );
  }
  return {
    id,
    name,
    funderKind: input.funderKind as FunderKind,
    sponsor,
    province,
    budgetVnd: input.budgetVnd,
    availableVnd: input.budgetVnd,
    committedVnd: 0,
    disbursedVnd: 0,
    maxCofundingPercent: input.maxCofundingPercent,
    perProjectCapVnd: input.perProjectCapVnd,
    eligibility: {
      provinces: input.funderKind === 'provincial_fund' ? [province] : provinces,
      vsicPrefixes,
      cleanerProductionOnly: input.eligibility.cleanerProductionOnly,
    },
    status: 'open',
    reservations: [],
    draws: [],
    createdBy: actor.subject,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** Admins manage every programme; officers their own province's fund. */
export function requireManager(actor: Actor, programme: Programme): void {
  requireAuthenticated(actor);
  if (actor.role === 'admin') return;
  if (
    actor.role === 'province' &&
    programme.funderKind === 'provincial_fund' &&
    actor.provinceCode === programme.province
  )
    return;
  throw deny(
    'Only the programme’s managers may change it',
    'Chỉ đơn vị quản lý chương trình mới được thay đổi',
  );
}

const programmeIllegal = (programme: Programme, action: string, actionVi: string) =>
  illegalTransition('a programme', 'chương trình', programme.status, action, actionVi);

/** A top-up or a reduction; a reduction cannot take more than what is not yet committed. */
export function changeBudget(programme: Programme, deltaVnd: number, now: Date): Programme {
  if (programme.status !== 'open')
    throw programmeIllegal(programme, 'change the budget of', 'đổi ngân sách của');
  if (!Number.isSafeInteger(deltaVnd) || deltaVnd === 0)
    throw invalidArgument([
      {
        field: 'deltaVnd',
        reason: 'must_be_non_zero',
        description: 'A budget change is a non-zero whole number of VND',
        descriptionVi: 'Thay đổi ngân sách là số VND khác 0',
      },
    ]);
  if (programme.availableVnd + deltaVnd < 0) throw insufficientBudget(programme, -deltaVnd);
  return {
    ...programme,
    budgetVnd: programme.budgetVnd + deltaVnd,
    availableVnd: programme.availableVnd + deltaVnd,
    updatedAt: now,
  };
}

export function closeProgramme(programme: Programme, now: Date): Programme {
  if (programme.status !== 'open') throw programmeIllegal(programme, 'close', 'đóng');
  return { ...programme, status: 'closed', updatedAt: now };
}

export function insufficientBudget(programme: Programme, amountVnd: number): AppError {
  return new AppError(
    'FAILED_PRECONDITION',
    `The programme has ${programme.availableVnd} VND available, less than ${amountVnd} VND`,
    {
      code: 'INSUFFICIENT_BUDGET',
      messageVi: `Chương trình chỉ còn ${programme.availableVnd} VND, ít hơn ${amountVnd} VND`,
    },
  );
}

/** Why the agreement's applicant cannot apply to the programme, or nothing when it can. */
export function eligibilityViolations(
  programme: Programme,
  applicantProvince: string,
  interest: Pick<Interest, 'vsicCodes' | 'cleanerProduction' | 'pollutionTreatment'>,
): FieldViolation[] {
  const out: FieldViolation[] = [];
  const { provinces, vsicPrefixes, cleanerProductionOnly } = programme.eligibility;
  if (provinces.length > 0 && !provinces.includes(applicantProvince))
    out.push({
      field: 'programmeId',
      reason: 'province_not_eligible',
      description: `The programme does not cover province ${applicantProvince}`,
      descriptionVi: `Chương trình không áp dụng cho tỉnh ${applicantProvince}`,
    });
  if (vsicPrefixes.length > 0 && !interest.vsicCodes.some((c) => vsicPrefixes.some((p) => c.startsWith(p))))
    out.push({
      field: 'programmeId',
      reason: 'sector_not_eligible',
      description: `The technology's sectors are outside the programme's (${vsicPrefixes.join(', ')})`,
      descriptionVi: `Ngành của công nghệ nằm ngoài phạm vi chương trình (${vsicPrefixes.join(', ')})`,
    });
  if (cleanerProductionOnly && !interest.cleanerProduction && !interest.pollutionTreatment)
    out.push({
      field: 'programmeId',
      reason: 'cleaner_production_only',
      description: 'The programme funds cleaner-production and pollution-treatment technology only',
      descriptionVi: 'Chương trình chỉ hỗ trợ công nghệ sản xuất sạch hơn và xử lý ô nhiễm',
    });
  return out;
}

/** A party to a signed agreement applies; the amount respects the ratio and per-project caps. */
export function applyForCoFunding(
  programme: Programme,
  interest: Interest,
  applicant: { enterpriseId: string; province: string },
  agreementId: string,
  amountVnd: number,
  id: string,
  now: Date,
): CoFundingApplication {
  if (programme.status !== 'open') throw programmeIllegal(programme, 'apply to', 'nộp hồ sơ vào');
  const agreement = interest.agreement;
  if (
    interest.status !== 'agreed' ||
    !agreement ||
    agreement.status !== 'signed' ||
    agreement.id !== agreementId
  ) {
    throw new AppError('FAILED_PRECONDITION', 'Only a signed agreement can apply for co-funding', {
      code: 'AGREEMENT_NOT_SIGNED',
      messageVi: 'Chỉ thỏa thuận đã ký mới được đề nghị đồng tài trợ',
    });
  }
  if (applicant.enterpriseId !== interest.ownerId && applicant.enterpriseId !== interest.interestedId)
    throw deny(
      'Only a party to the agreement may apply',
      'Chỉ một bên của thỏa thuận mới được nộp hồ sơ',
      'NOT_A_PARTY',
    );
  const violations = eligibilityViolations(programme, applicant.province, interest);
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0) violations.push(messages.positive('amount'));
  const ratioCap = Math.floor((agreement.valueVnd * programme.maxCofundingPercent) / 100);
  if (amountVnd > ratioCap)
    violations.push({
      field: 'amount',
      reason: 'above_ratio_cap',
      description: `At most ${programme.maxCofundingPercent}% of the agreement's value: ${ratioCap} VND`,
      descriptionVi: `Tối đa ${programme.maxCofundingPercent}% giá trị thỏa thuận: ${ratioCap} VND`,
    });
  if (programme.perProjectCapVnd > 0 && amountVnd > programme.perProjectCapVnd)
    violations.push({
      field: 'amount',
      reason: 'above_project_cap',
      description: `At most ${programme.perProjectCapVnd} VND per project`,
      descriptionVi: `Tối đa ${programme.perProjectCapVnd} VND mỗi dự án`,
    });
  if (violations.length > 0) throw invalidArgument(violations, 'NOT_ELIGIBLE');
  return {
    id,
    programmeId: programme.id,
    agreementId,
    interestId: interest.id,
    applicantId: applicant.enterpriseId,
    applicantProvince: applicant.province,
    amountVnd,
    agreementValueVnd: agreement.valueVnd,
    vsicCodes: interest.vsicCodes,
    cleanerProduction: interest.cleanerProduction || interest.pollutionTreatment,
    status: 'requested',
    decidedBy: '',
    decisionReason: '',
    decidedAt: null,
    disbursements: [],
    disbursedVnd: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** Decisions belong to officers of the applicant's province (which the programme must cover). */
export function requireDecider(actor: Actor, application: CoFundingApplication, programme: Programme): void {
  requireAuthenticated(actor);
  if (actor.role !== 'province') {
    throw deny(
      'Only a provincial officer decides on co-funding',
      'Chỉ cán bộ cấp tỉnh mới được quyết định đồng tài trợ',
    );
  }
  if (actor.provinceCode !== application.applicantProvince) {
    throw deny(
      `Only officers of province ${application.applicantProvince} decide on this application`,
      `Chỉ cán bộ tỉnh ${application.applicantProvince} mới được quyết định hồ sơ này`,
      'OTHER_PROVINCE',
    );
  }
  const { provinces } = programme.eligibility;
  if (provinces.length > 0 && !provinces.includes(actor.provinceCode)) {
    throw deny(
      'The programme does not cover your province',
      'Chương trình không áp dụng cho tỉnh của bạn',
      'PROVINCE_NOT_ELIGIBLE',
    );
  }
}

const applicationIllegal = (application: CoFundingApplication, action: string, actionVi: string) =>
  illegalTransition('a co-funding application', 'hồ sơ đồng tài trợ', application.status, action, actionVi);

/**
 * Approval in three single-document steps, since the store has no transactions: claim the
 * application (so no rejection races it), reserve the budget on the programme, then complete.
 * A claim older than a minute without a reservation is reverted by reconciliation; with one it is
 * completed.
 */
export function claimApproval(
  application: CoFundingApplication,
  decidedBy: string,
  now: Date,
): CoFundingApplication {
  if (application.status !== 'requested') throw applicationIllegal(application, 'approve', 'duyệt');
  return { ...application, status: 'approving', decidedBy, decidedAt: now, updatedAt: now };
}

export function completeApproval(
  application: CoFundingApplication,
  now: Date,
): CoFundingApplication | undefined {
  if (application.status !== 'approving') return undefined;
  return { ...application, status: 'approved', updatedAt: now };
}

export function revertApproval(
  application: CoFundingApplication,
  now: Date,
): CoFundingApplication | undefined {
  if (application.status !== 'approving') return undefined;
  return { ...application, status: 'requested', decidedBy: '', decidedAt: null, updatedAt: now };
}

export function rejectApplication(
  application: CoFundingApplication,
  decidedBy: string,
  reason: string,
  now: Date,
): CoFundingApplication {
  if (application.status !== 'requested') throw applicationIllegal(application, 'reject', 'từ chối');
  const decisionReason = reason.trim();
  if (decisionReason.length < 1 || decisionReason.length > 500)
    throw invalidArgument([messages.length('reason', 1, 500)]);
  return { ...application, status: 'rejected', decidedBy, decisionReason, decidedAt: now, updatedAt: now };
}

/** Records a payment; the total never exceeds the approved amount; a repeated reference changes nothing. */
export function recordDisbursement(
  application: CoFundingApplication,
  disbursement: Disbursement,
  now: Date,
): CoFundingApplication | undefined {
  if (application.disbursements.some((d) => d.id === disbursement.id)) return undefined;
  if (application.status !== 'approved') throw applicationIllegal(application, 'disburse', 'giải ngân cho');
  const violations: FieldViolation[] = [];
  if (!disbursement.reference.trim() || disbursement.reference.length > 100)
    violations.push(messages.length('reference', 1, 100));
  const remaining = application.amountVnd - application.disbursedVnd;
  if (!Number.isSafeInteger(disbursement.amountVnd) || disbursement.amountVnd <= 0)
    violations.push(messages.positive('amount'));
  else if (disbursement.amountVnd > remaining)
    violations.push({
      field: 'amount',
      reason: 'above_remaining',
      description: `Only ${remaining} VND remain to be disbursed`,
      descriptionVi: `Chỉ còn ${remaining} VND chưa giải ngân`,
    });
  if (violations.length > 0) throw invalidArgument(violations);
  const disbursedVnd = application.disbursedVnd + disbursement.amountVnd;
  return {
    ...application,
    disbursements: [...application.disbursements, disbursement],
    disbursedVnd,
    status: disbursedVnd === application.amountVnd ? 'disbursed' : 'approved',
    updatedAt: now,
  };
}

/** Commits an approved amount; undefined when this application already holds its reservation. */
export function reserve(
  programme: Programme,
  applicationId: string,
  amountVnd: number,
  now: Date,
): Programme | undefined {
  if (programme.reservations.some((r) => r.applicationId === applicationId)) return undefined;
  if (programme.status !== 'open')
    throw programmeIllegal(programme, 'approve co-funding from', 'duyệt đồng tài trợ từ');
  if (programme.availableVnd < amountVnd) throw insufficientBudget(programme, amountVnd);
  return {
    ...programme,
    availableVnd: programme.availableVnd - amountVnd,
    committedVnd: programme.committedVnd + amountVnd,
    reservations: [...programme.reservations, { applicationId, amountVnd }],
    updatedAt: now,
  };
}

/** Counts a disbursement against the programme once. */
export function draw(
  programme: Programme,
  disbursementId: string,
  amountVnd: number,
  now: Date,
): Programme | undefined {
  if (programme.draws.some((d) => d.disbursementId === disbursementId)) return undefined;
  return {
    ...programme,
    disbursedVnd: programme.disbursedVnd + amountVnd,
    draws: [...programme.draws, { disbursementId, amountVnd }],
    updatedAt: now,
  };
}
