import type { Actor, AppError } from '@lienket/platform';
import {
  applyForCoFunding,
  changeBudget,
  claimApproval,
  closeProgramme,
  completeApproval,
  createProgramme,
  draw,
  eligibilityViolations,
  type ProgrammeInput,
  recordDisbursement,
  rejectApplication,
  requireDecider,
  requireManager,
  reserve,
  revertApproval,
} from './cofunding';
import type { CoFundingApplication, Disbursement, Interest, Programme } from './model';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

const actor = (role: Actor['role'], provinceCode = '', enterpriseId = ''): Actor => ({
  role,
  enterpriseId,
  provinceCode,
  subject: `${role}-${provinceCode || enterpriseId || 'x'}`,
});
const admin = actor('admin');
const officer = (provinceCode: string) => actor('province', provinceCode);

const programmeInput = (overrides: Partial<ProgrammeInput> = {}): ProgrammeInput => ({
  name: 'Chương trình khuyến công quốc gia 2026',
  funderKind: 'national_fund',
  sponsor: null,
  province: '',
  budgetVnd: 10_000_000_000,
  maxCofundingPercent: 30,
  perProjectCapVnd: 500_000_000,
  eligibility: { provinces: [], vsicPrefixes: [], cleanerProductionOnly: false },
  ...overrides,
});
const national = (overrides: Partial<ProgrammeInput> = {}) =>
  createProgramme(admin, programmeInput(overrides), 'prog-1', now);

/** An agreement of 1 billion VND, signed between ent-owner (Hà Nội) and ent-buyer (TP.HCM). */
const agreed = (overrides: Partial<Interest> = {}): Interest => ({
  id: 'int-1',
  offerId: 'offer-1',
  offerTitle: 'Công nghệ sấy gỗ bằng bơm nhiệt',
  ownerId: 'ent-owner',
  ownerProvince: '01',
  anonymousOwner: false,
  hsCodes: ['4418'],
  vsicCodes: ['1621'],
  cleanerProduction: false,
  pollutionTreatment: false,
  interestedId: 'ent-buyer',
  interestedProvince: '79',
  requestId: '',
  message: 'Quan tâm',
  status: 'agreed',
  respondBy: at(60),
  reminded: '',
  messages: [],
  agreement: {
    id: 'agr-1',
    type: 'licence',
    valueVnd: 1_000_000_000,
    startDate: at(30),
    termsSummary: 'Li-xăng 5 năm',
    status: 'signed',
    proposedBy: 'ent-owner',
    proposedAt: now,
    signedAt: now,
  },
  declineReason: '',
  abandonReason: '',
  abandonedBy: '',
  lastActivityAt: now,
  createdAt: now,
  updatedAt: now,
  version: 5,
  ...overrides,
});
const buyer = { enterpriseId: 'ent-buyer', province: '79' };

const apply = (programme: Programme = national(), amountVnd = 200_000_000, interest: Interest = agreed()) =>
  applyForCoFunding(programme, interest, buyer, 'agr-1', amountVnd, 'app-1', at(1));
const approved = (amountVnd = 200_000_000) =>
  completeApproval(
    claimApproval(apply(national(), amountVnd), 'officer-79', at(2)),
    at(2),
  ) as CoFundingApplication;
const payment = (overrides: Partial<Disbursement> = {}): Disbursement => ({
  id: 'pay-1',
  amountVnd: 50_000_000,
  reference: 'UNC-2026-001',
  recordedBy: 'officer-79',
  recordedAt: at(10),
  ...overrides,
});

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};
const reasons = (error: AppError) => error.violations.map((v) => `${v.field}:${v.reason}`).sort();

describe('creating a programme', () => {
  it('opens a national fund by an admin with its whole budget available', () => {
    const programme = national({
      eligibility: {
        provinces: ['30', '79'],
        vsicPrefixes: [' 16 ', '16', '25'],
        cleanerProductionOnly: true,
      },
    });
    expect(programme).toMatchObject({
      id: 'prog-1',
      funderKind: 'national_fund',
      sponsor: null,
      province: '',
      budgetVnd: 10_000_000_000,
      availableVnd: 10_000_000_000,
      committedVnd: 0,
      disbursedVnd: 0,
      status: 'open',
      reservations: [],
      draws: [],
      createdBy: 'admin-x',
      version: 1,
      eligibility: { provinces: ['31', '79'], vsicPrefixes: ['16', '25'], cleanerProductionOnly: true },
    });
  });

  it('opens a sponsor’s programme by an admin, with an upper-case country', () => {
    const programme = national({
      funderKind: 'sponsor',
      sponsor: { name: ' JICA ', kind: 'foreign_organisation', country: 'jp' },
    });
    expect(programme.sponsor).toEqual({ name: 'JICA', kind: 'foreign_organisation', country: 'JP' });
  });

  it('refuses national funds and sponsors’ programmes to anyone but admins', () => {
    for (const who of [officer('01'), actor('enterprise', '', 'ent-1'), actor('analyst'), actor('service')]) {
      for (const funderKind of ['national_fund', 'sponsor'] as const) {
        const input = programmeInput({
          funderKind,
          sponsor: { name: 'JICA', kind: 'foreign_organisation', country: 'JP' },
        });
        expect(errorOf(() => createProgramme(who, input, 'p', now))).toMatchObject({
          kind: 'PERMISSION_DENIED',
          code: 'NOT_ALLOWED',
        });
      }
    }
    expect(errorOf(() => createProgramme(actor('anonymous'), programmeInput(), 'p', now)).kind).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('lets an officer open its own province’s fund, whose eligibility is that province', () => {
    const programme = createProgramme(
      officer('48'),
      programmeInput({
        funderKind: 'provincial_fund',
        province: '48',
        eligibility: { provinces: ['01', '79'], vsicPrefixes: [], cleanerProductionOnly: false },
      }),
      'prog-dn',
      now,
    );
    expect(programme).toMatchObject({
      funderKind: 'provincial_fund',
      province: '48',
      createdBy: 'province-48',
    });
    expect(programme.eligibility.provinces).toEqual(['48']);
    // A legacy code resolves to the current unit ('30' Hải Dương is now Hải Phòng '31').
    const merged = createProgramme(
      officer('31'),
      programmeInput({ funderKind: 'provincial_fund', province: '30' }),
      'p',
      now,
    );
    expect(merged.province).toBe('31');
    expect(
      createProgramme(admin, programmeInput({ funderKind: 'provincial_fund', province: '79' }), 'p', now)
        .province,
    ).toBe('79');
  });

  it('refuses a provincial fund to an officer of another province or an enterprise', () => {
    const input = programmeInput({ funderKind: 'provincial_fund', province: '48' });
    const error = errorOf(() => createProgramme(officer('79'), input, 'p', now));
    expect(error).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'NOT_ALLOWED' });
    expect(error.messageVi).toContain('cán bộ của tỉnh');
    expect(errorOf(() => createProgramme(actor('enterprise', '48', 'ent-1'), input, 'p', now)).kind).toBe(
      'PERMISSION_DENIED',
    );
  });

  it.each([0, 101, 12.5])('refuses a co-funding share of %p percent', (maxCofundingPercent) => {
    const error = errorOf(() => national({ maxCofundingPercent }));
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(reasons(error)).toEqual(['programme.maxCofundingPercent:out_of_range']);
  });

  it.each([1, 100])('accepts a co-funding share of %p percent', (maxCofundingPercent) => {
    expect(national({ maxCofundingPercent }).maxCofundingPercent).toBe(maxCofundingPercent);
  });

  it('needs a positive budget, a sponsor’s country and a province for a provincial fund', () => {
    expect(reasons(errorOf(() => national({ budgetVnd: 0 })))).toEqual(['programme.budget:must_be_positive']);
    expect(reasons(errorOf(() => national({ budgetVnd: -5 })))).toEqual([
      'programme.budget:must_be_positive',
    ]);
    expect(reasons(errorOf(() => national({ budgetVnd: 1.5 })))).toEqual([
      'programme.budget:must_be_positive',
    ]);
    expect(
      reasons(
        errorOf(() =>
          national({ funderKind: 'sponsor', sponsor: { name: '', kind: undefined, country: 'VNM' } }),
        ),
      ),
    ).toEqual([
      'programme.sponsor.country:invalid_country',
      'programme.sponsor.kind:required',
      'programme.sponsor.name:required',
    ]);
    expect(reasons(errorOf(() => national({ funderKind: 'sponsor', sponsor: null })))).toEqual([
      'programme.sponsor.country:invalid_country',
      'programme.sponsor.kind:required',
      'programme.sponsor.name:required',
    ]);
    expect(reasons(errorOf(() => national({ funderKind: 'provincial_fund', province: '99' })))).toEqual([
      'programme.province[0]:unknown_province',
    ]);
  });

  it('lists every offending field at once', () => {
    const error = errorOf(() =>
      national({
        name: 'ab',
        funderKind: undefined,
        perProjectCapVnd: -1,
        eligibility: { provinces: ['99'], vsicPrefixes: ['04'], cleanerProductionOnly: false },
      }),
    );
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'VALIDATION_FAILED' });
    expect(reasons(error)).toEqual([
      'programme.eligibility.provinces[0]:unknown_province',
      'programme.eligibility.vsicPrefixes[0]:invalid_vsic_code',
      'programme.funderKind:required',
      'programme.name:invalid_length',
      'programme.perProjectCap:must_not_be_negative',
    ]);
  });

  it('lets admins manage every programme and officers their own province’s fund', () => {
    const provincial = createProgramme(
      officer('48'),
      programmeInput({ funderKind: 'provincial_fund', province: '48' }),
      'p',
      now,
    );
    expect(() => requireManager(admin, national())).not.toThrow();
    expect(() => requireManager(officer('48'), provincial)).not.toThrow();
    expect(errorOf(() => requireManager(officer('79'), provincial)).kind).toBe('PERMISSION_DENIED');
    expect(errorOf(() => requireManager(officer('48'), national())).kind).toBe('PERMISSION_DENIED');
    expect(errorOf(() => requireManager(actor('anonymous'), national())).kind).toBe('UNAUTHENTICATED');
  });
});

describe('programme budget', () => {
  it('tops up and reduces the budget and what is available', () => {
    const up = changeBudget(national(), 2_000_000_000, at(1));
    expect(up).toMatchObject({ budgetVnd: 12_000_000_000, availableVnd: 12_000_000_000, updatedAt: at(1) });
    const reserved = reserve(national(), 'app-1', 4_000_000_000, at(1)) as Programme;
    const down = changeBudget(reserved, -6_000_000_000, at(2));
    expect(down).toMatchObject({ budgetVnd: 4_000_000_000, availableVnd: 0, committedVnd: 4_000_000_000 });
  });

  it('refuses a reduction below what is available', () => {
    const reserved = reserve(national(), 'app-1', 4_000_000_000, at(1)) as Programme;
    const error = errorOf(() => changeBudget(reserved, -6_000_000_001, at(2)));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'INSUFFICIENT_BUDGET' });
    expect(error.message).toBe('The programme has 6000000000 VND available, less than 6000000001 VND');
  });

  it('refuses a zero or fractional change', () => {
    for (const delta of [0, 0.5]) {
      expect(reasons(errorOf(() => changeBudget(national(), delta, at(1))))).toEqual([
        'deltaVnd:must_be_non_zero',
      ]);
    }
  });

  it('refuses changes to a closed programme, and closing twice', () => {
    const closed = closeProgramme(national(), at(1));
    expect(closed).toMatchObject({ status: 'closed', updatedAt: at(1) });
    const error = errorOf(() => changeBudget(closed, 1_000, at(2)));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
    expect(error.message).toBe('Cannot change the budget of a programme that is closed');
    expect(error.messageVi).toBe('Không thể đổi ngân sách của chương trình đang ở trạng thái đã đóng');
    expect(() => closeProgramme(closed, at(2))).toThrow(
      expect.objectContaining({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' }),
    );
  });

  it('reserves an approved amount once per application', () => {
    const reserved = reserve(national(), 'app-1', 300_000_000, at(1)) as Programme;
    expect(reserved).toMatchObject({
      availableVnd: 9_700_000_000,
      committedVnd: 300_000_000,
      reservations: [{ applicationId: 'app-1', amountVnd: 300_000_000 }],
    });
    expect(reserve(reserved, 'app-1', 300_000_000, at(2))).toBeUndefined();
    // A retried reservation is recognised even once the programme has closed.
    expect(reserve(closeProgramme(reserved, at(2)), 'app-1', 300_000_000, at(3))).toBeUndefined();
  });

  it('refuses a reservation above what is available, or from a closed programme', () => {
    const small = national({ budgetVnd: 100_000_000 });
    expect(reserve(small, 'app-1', 100_000_000, at(1))?.availableVnd).toBe(0);
    expect(errorOf(() => reserve(small, 'app-1', 100_000_001, at(1)))).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'INSUFFICIENT_BUDGET',
    });
    expect(errorOf(() => reserve(closeProgramme(small, at(1)), 'app-2', 1, at(2)))).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('counts a disbursement against the programme once', () => {
    const drawn = draw(national(), 'pay-1', 50_000_000, at(1)) as Programme;
    expect(drawn).toMatchObject({
      disbursedVnd: 50_000_000,
      draws: [{ disbursementId: 'pay-1', amountVnd: 50_000_000 }],
    });
    expect(draw(drawn, 'pay-1', 50_000_000, at(2))).toBeUndefined();
    expect(draw(drawn, 'pay-2', 25_000_000, at(2))?.disbursedVnd).toBe(75_000_000);
  });
});

describe('applying for co-funding', () => {
  it('creates a requested application for a party to a signed agreement', () => {
    const application = apply();
    expect(application).toEqual({
      id: 'app-1',
      programmeId: 'prog-1',
      agreementId: 'agr-1',
      interestId: 'int-1',
      applicantId: 'ent-buyer',
      applicantProvince: '79',
      amountVnd: 200_000_000,
      agreementValueVnd: 1_000_000_000,
      vsicCodes: ['1621'],
      cleanerProduction: false,
      status: 'requested',
      decidedBy: '',
      decisionReason: '',
      decidedAt: null,
      disbursements: [],
      disbursedVnd: 0,
      createdAt: at(1),
      updatedAt: at(1),
      version: 1,
    });
    const owner = applyForCoFunding(
      national(),
      agreed(),
      { enterpriseId: 'ent-owner', province: '01' },
      'agr-1',
      1,
      'a',
      now,
    );
    expect(owner.applicantId).toBe('ent-owner');
  });

  it('needs a signed agreement, the one named', () => {
    const proposed = agreed({
      status: 'negotiating',
      agreement: {
        ...(agreed().agreement as NonNullable<Interest['agreement']>),
        status: 'proposed',
        signedAt: null,
      },
    });
    for (const [interest, agreementId] of [
      [proposed, 'agr-1'],
      [agreed({ agreement: null }), 'agr-1'],
      [agreed(), 'agr-2'],
    ] as const) {
      const error = errorOf(() => applyForCoFunding(national(), interest, buyer, agreementId, 1, 'a', now));
      expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'AGREEMENT_NOT_SIGNED' });
    }
  });

  it('is refused to an enterprise not party to the agreement', () => {
    const error = errorOf(() =>
      applyForCoFunding(
        national(),
        agreed(),
        { enterpriseId: 'ent-third', province: '79' },
        'agr-1',
        1,
        'a',
        now,
      ),
    );
    expect(error).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'NOT_A_PARTY' });
  });

  it('is refused by a closed programme', () => {
    const error = errorOf(() => apply(closeProgramme(national(), now)));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
    expect(error.message).toBe('Cannot apply to a programme that is closed');
  });

  it('caps the amount at the programme’s share of the agreement’s value', () => {
    const programme = national({ perProjectCapVnd: 0 });
    expect(apply(programme, 300_000_000).amountVnd).toBe(300_000_000);
    const error = errorOf(() => apply(programme, 300_000_001));
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'NOT_ELIGIBLE' });
    expect(reasons(error)).toEqual(['amount:above_ratio_cap']);
    expect(error.violations[0]?.description).toBe("At most 30% of the agreement's value: 300000000 VND");
  });

  it('caps the amount per project', () => {
    const programme = national({ maxCofundingPercent: 100, perProjectCapVnd: 250_000_000 });
    expect(apply(programme, 250_000_000).amountVnd).toBe(250_000_000);
    expect(reasons(errorOf(() => apply(programme, 250_000_001)))).toEqual(['amount:above_project_cap']);
    expect(reasons(errorOf(() => apply(national(), 600_000_000)))).toEqual([
      'amount:above_project_cap',
      'amount:above_ratio_cap',
    ]);
  });

  it('needs a positive whole amount', () => {
    expect(reasons(errorOf(() => apply(national(), 0)))).toEqual(['amount:must_be_positive']);
    expect(reasons(errorOf(() => apply(national(), 10.5)))).toEqual(['amount:must_be_positive']);
  });

  it('checks the applicant’s province, the sector and cleaner production', () => {
    const strict = national({
      eligibility: { provinces: ['01', '48'], vsicPrefixes: ['25'], cleanerProductionOnly: true },
    });
    const error = errorOf(() => apply(strict));
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'NOT_ELIGIBLE' });
    expect(error.violations.map((v) => v.reason)).toEqual([
      'province_not_eligible',
      'sector_not_eligible',
      'cleaner_production_only',
    ]);
    expect(error.violations[0]?.description).toBe('The programme does not cover province 79');
    expect(error.violations[1]?.description).toContain('(25)');
  });

  it('accepts an applicant matching every eligibility rule', () => {
    const strict = national({
      eligibility: { provinces: ['79'], vsicPrefixes: ['16'], cleanerProductionOnly: true },
    });
    expect(apply(strict, 100_000_000, agreed({ cleanerProduction: true })).cleanerProduction).toBe(true);
    // Pollution treatment qualifies for a cleaner-production programme too.
    expect(apply(strict, 100_000_000, agreed({ pollutionTreatment: true })).cleanerProduction).toBe(true);
    expect(
      eligibilityViolations(strict, '79', {
        vsicCodes: ['1621'],
        cleanerProduction: true,
        pollutionTreatment: false,
      }),
    ).toEqual([]);
    expect(
      eligibilityViolations(strict, '79', {
        vsicCodes: ['2592'],
        cleanerProduction: true,
        pollutionTreatment: false,
      }).map((v) => v.reason),
    ).toEqual(['sector_not_eligible']);
  });
});

describe('deciding on an application', () => {
  it('belongs to an officer of the applicant’s province that the programme covers', () => {
    const application = apply();
    expect(() => requireDecider(officer('79'), application, national())).not.toThrow();
    const covering = national({
      eligibility: { provinces: ['79', '01'], vsicPrefixes: [], cleanerProductionOnly: false },
    });
    expect(() => requireDecider(officer('79'), application, covering)).not.toThrow();

    expect(errorOf(() => requireDecider(admin, application, national()))).toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'NOT_ALLOWED',
    });
    expect(
      errorOf(() => requireDecider(actor('enterprise', '79', 'ent-buyer'), application, national())).kind,
    ).toBe('PERMISSION_DENIED');
    const other = errorOf(() => requireDecider(officer('01'), application, national()));
    expect(other).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'OTHER_PROVINCE' });
    expect(other.message).toBe('Only officers of province 79 decide on this application');
    const elsewhere = national({
      eligibility: { provinces: ['01'], vsicPrefixes: [], cleanerProductionOnly: false },
    });
    expect(errorOf(() => requireDecider(officer('79'), application, elsewhere))).toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'PROVINCE_NOT_ELIGIBLE',
    });
    expect(errorOf(() => requireDecider(actor('anonymous'), application, national())).kind).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('approves in steps: claim, then complete', () => {
    const claimed = claimApproval(apply(), 'officer-79', at(2));
    expect(claimed).toMatchObject({
      status: 'approving',
      decidedBy: 'officer-79',
      decidedAt: at(2),
      updatedAt: at(2),
    });
    const done = completeApproval(claimed, at(3));
    expect(done).toMatchObject({ status: 'approved', decidedBy: 'officer-79', updatedAt: at(3) });
    expect(completeApproval(done as CoFundingApplication, at(4))).toBeUndefined();
    expect(completeApproval(apply(), at(4))).toBeUndefined();
  });

  it('reverts a claim without a reservation back to requested', () => {
    const claimed = claimApproval(apply(), 'officer-79', at(2));
    expect(revertApproval(claimed, at(3))).toMatchObject({
      status: 'requested',
      decidedBy: '',
      decidedAt: null,
      updatedAt: at(3),
    });
    expect(revertApproval(apply(), at(3))).toBeUndefined();
    expect(revertApproval(approved(), at(3))).toBeUndefined();
  });

  it('refuses to approve an application twice', () => {
    const error = errorOf(() => claimApproval(approved(), 'officer-79', at(3)));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
    expect(error.message).toBe('Cannot approve a co-funding application that is approved');
    expect(error.messageVi).toBe('Không thể duyệt hồ sơ đồng tài trợ đang ở trạng thái đã duyệt');
    expect(errorOf(() => claimApproval(claimApproval(apply(), 'o', at(2)), 'o', at(2)))).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('rejects a requested application with a reason', () => {
    expect(rejectApplication(apply(), 'officer-79', '  Thiếu hồ sơ  ', at(2))).toMatchObject({
      status: 'rejected',
      decidedBy: 'officer-79',
      decisionReason: 'Thiếu hồ sơ',
      decidedAt: at(2),
    });
    expect(reasons(errorOf(() => rejectApplication(apply(), 'officer-79', ' ', at(2))))).toEqual([
      'reason:invalid_length',
    ]);
  });

  it('refuses to reject an approved, approving or rejected application, or approve a rejected one', () => {
    const rejected = rejectApplication(apply(), 'officer-79', 'Thiếu hồ sơ', at(2));
    const approvedError = errorOf(() => rejectApplication(approved(), 'officer-79', 'x', at(3)));
    expect(approvedError).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
    expect(approvedError.messageVi).toBe('Không thể từ chối hồ sơ đồng tài trợ đang ở trạng thái đã duyệt');
    for (const application of [claimApproval(apply(), 'o', at(2)), rejected]) {
      expect(() => rejectApplication(application, 'officer-79', 'x', at(3))).toThrow(
        expect.objectContaining({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' }),
      );
    }
    expect(errorOf(() => claimApproval(rejected, 'o', at(3))).message).toBe(
      'Cannot approve a co-funding application that is rejected',
    );
  });
});

describe('disbursing', () => {
  it('records partial payments, then marks the application disbursed in full', () => {
    const first = recordDisbursement(approved(), payment(), at(10)) as CoFundingApplication;
    expect(first).toMatchObject({ status: 'approved', disbursedVnd: 50_000_000, updatedAt: at(10) });
    expect(first.disbursements).toEqual([payment()]);
    const rest = recordDisbursement(first, payment({ id: 'pay-2', amountVnd: 150_000_000 }), at(20));
    expect(rest).toMatchObject({ status: 'disbursed', disbursedVnd: 200_000_000 });
    expect(rest?.disbursements.map((d) => d.id)).toEqual(['pay-1', 'pay-2']);
  });

  it('ignores a repeated payment', () => {
    const first = recordDisbursement(approved(), payment(), at(10)) as CoFundingApplication;
    expect(recordDisbursement(first, payment(), at(11))).toBeUndefined();
    const full = recordDisbursement(first, payment({ id: 'pay-2', amountVnd: 150_000_000 }), at(20));
    expect(
      recordDisbursement(full as CoFundingApplication, payment({ id: 'pay-2' }), at(21)),
    ).toBeUndefined();
  });

  it('refuses more than what remains', () => {
    const first = recordDisbursement(approved(), payment(), at(10)) as CoFundingApplication;
    const error = errorOf(() =>
      recordDisbursement(first, payment({ id: 'pay-2', amountVnd: 150_000_001 }), at(20)),
    );
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(reasons(error)).toEqual(['amount:above_remaining']);
    expect(error.violations[0]?.description).toBe('Only 150000000 VND remain to be disbursed');
  });

  it('needs a positive amount and a reference', () => {
    expect(
      reasons(
        errorOf(() => recordDisbursement(approved(), payment({ amountVnd: 0, reference: ' ' }), at(10))),
      ),
    ).toEqual(['amount:must_be_positive', 'reference:invalid_length']);
  });

  it('refuses payments on an application that is not approved', () => {
    for (const [application, state] of [
      [apply(), 'requested'],
      [claimApproval(apply(), 'o', at(2)), 'being approved'],
      [rejectApplication(apply(), 'o', 'x', at(2)), 'rejected'],
      [
        recordDisbursement(approved(), payment({ amountVnd: 200_000_000 }), at(10)) as CoFundingApplication,
        'disbursed',
      ],
    ] as const) {
      const error = errorOf(() => recordDisbursement(application, payment({ id: 'pay-9' }), at(30)));
      expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
      expect(error.message).toBe(`Cannot disburse a co-funding application that is ${state}`);
    }
  });
});
