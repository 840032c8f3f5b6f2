import type { AppError } from '@lienket/platform';
import { DAY, enterprise, enterpriseInput, now, officerOf } from '../../test/fixtures';
import {
  decideVerification,
  designateLeadFirm,
  enterpriseSearchTokens,
  registerEnterprise,
  updateEnterprise,
} from './enterprise';

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};

describe('registering an enterprise', () => {
  it('normalises and starts unverified with no open postings', () => {
    const e = registerEnterprise(enterpriseInput({ taxCode: '0100109106001' }), 'ent-9', now);
    expect(e).toMatchObject({
      id: 'ent-9',
      taxCode: '0100109106-001',
      province: '01',
      legacyProvince: '',
      region: 'RRD',
      vsicCodes: ['1629'],
      verification: { status: 'unverified' },
      version: 1,
    });
    expect(e.contact.phone).toBe('0912345678');
  });

  it('maps a legacy province code and keeps the original', () => {
    const e = registerEnterprise(enterpriseInput({ provinceCode: '06' }), 'ent-bk', now); // Bắc Kạn → Thái Nguyên
    expect(e).toMatchObject({ province: '19', legacyProvince: '06', region: 'NMM' });
  });

  it('lists every invalid field at once, in English and Vietnamese', () => {
    const error = errorOf(() =>
      registerEnterprise(
        enterpriseInput({
          taxCode: '0100109107',
          name: 'X',
          provinceCode: '99',
          primaryVsic: '04',
          recognitions: [{ kind: 'OCOP', level: '6', year: 2024, product: '' }],
          contact: { person: '', phone: '12', email: 'not-an-email' },
        }),
        'e',
        now,
      ),
    );
    expect(error.kind).toBe('INVALID_ARGUMENT');
    expect(error.violations.map((v) => v.field).sort()).toEqual([
      'enterprise.contact.email',
      'enterprise.contact.phone',
      'enterprise.name',
      'enterprise.primaryVsic',
      'enterprise.provinceCode',
      'enterprise.recognitions[0]',
      'enterprise.taxCode',
    ]);
    const taxCode = error.violations.find((v) => v.field === 'enterprise.taxCode');
    expect(taxCode).toMatchObject({ reason: 'invalid_tax_code_check_digit' });
    expect(taxCode?.descriptionVi).toMatch(/mã số thuế/i);
  });

  it('folds names for search', () => {
    const tokens = enterpriseSearchTokens({
      name: 'Công ty Gốm Bát Tràng',
      trademarks: [{ name: 'Đất Việt', registrationNumber: '' }],
      taxCode: '0100109106',
    });
    expect(tokens).toEqual(
      expect.arrayContaining(['cong', 'ty', 'gom', 'bat', 'trang', 'dat', 'viet', '0100109106']),
    );
  });
});

describe('updating an enterprise', () => {
  const input = { ...enterpriseInput() };

  it('changes only masked fields and reports what changed', () => {
    const { enterprise: next, changed } = updateEnterprise(
      enterprise(),
      { ...input, address: 'Mới' },
      ['address'],
      new Date(now.getTime() + DAY),
    );
    expect(changed).toEqual(['address']);
    expect(next.address).toBe('Mới');
    expect(next.name).toBe(enterprise().name);
  });

  it('sends a verified enterprise back to review when its name or province changes', () => {
    const verified = enterprise({
      verification: { status: 'verified', reason: '', decidedBy: 'o', decidedAt: now },
      leadFirm: true,
    });
    const renamed = updateEnterprise(
      verified,
      { ...input, name: 'HTX Mây tre Phú Vinh mới' },
      ['name'],
      now,
    ).enterprise;
    expect(renamed.verification.status).toBe('unverified');
    const moved = updateEnterprise(
      verified,
      { ...input, provinceCode: '19' },
      ['province_code'],
      now,
    ).enterprise;
    expect(moved).toMatchObject({ province: '19', leadFirm: false, verification: { status: 'unverified' } });
    const sameReview = updateEnterprise(verified, { ...input, address: 'x' }, ['address'], now).enterprise;
    expect(sameReview.verification.status).toBe('verified');
  });

  it('refuses an empty or unknown mask', () => {
    expect(errorOf(() => updateEnterprise(enterprise(), input, [], now)).kind).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => updateEnterprise(enterprise(), input, ['tax_code'], now)).kind).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('provincial verification', () => {
  it('lets an officer of the same province verify or reject with a reason', () => {
    const verified = decideVerification(enterprise(), officerOf('01'), 'verify', '', now);
    expect(verified.verification).toMatchObject({
      status: 'verified',
      decidedBy: 'officer-01',
      decidedAt: now,
    });
    const rejected = decideVerification(
      enterprise(),
      officerOf('01'),
      'reject',
      'Mã số thuế không khớp tên',
      now,
    );
    expect(rejected.verification).toMatchObject({ status: 'rejected', reason: 'Mã số thuế không khớp tên' });
  });

  it('refuses officers of another province and other roles', () => {
    const other = errorOf(() => decideVerification(enterprise(), officerOf('19'), 'verify', '', now));
    expect(other).toMatchObject({ kind: 'PERMISSION_DENIED', code: 'OTHER_PROVINCE' });
    const self = errorOf(() =>
      decideVerification(
        enterprise(),
        { role: 'enterprise', enterpriseId: 'ent-1', provinceCode: '', subject: 's' },
        'verify',
        '',
        now,
      ),
    );
    expect(self.kind).toBe('PERMISSION_DENIED');
  });

  it('allows only unverified → verified | rejected', () => {
    const verified = decideVerification(enterprise(), officerOf('01'), 'verify', '', now);
    expect(
      errorOf(() => decideVerification(verified, officerOf('01'), 'reject', 'changed mind', now)),
    ).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'ALREADY_DECIDED',
    });
    expect(errorOf(() => decideVerification(enterprise(), officerOf('01'), 'reject', '', now)).kind).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('designates lead firms among verified enterprises of the officer’s province', () => {
    expect(errorOf(() => designateLeadFirm(enterprise(), officerOf('01'), true, now)).code).toBe(
      'NOT_VERIFIED',
    );
    const verified = enterprise({
      verification: { status: 'verified', reason: '', decidedBy: 'o', decidedAt: now },
    });
    expect(designateLeadFirm(verified, officerOf('01'), true, now).leadFirm).toBe(true);
    expect(errorOf(() => designateLeadFirm(verified, officerOf('24'), true, now)).kind).toBe(
      'PERMISSION_DENIED',
    );
  });
});
