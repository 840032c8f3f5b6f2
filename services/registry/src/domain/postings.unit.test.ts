import type { AppError } from '@lienket/platform';
import { capabilityInput, DAY, enterprise, needInput, now } from '../../test/fixtures';
import {
  closeNeed,
  expirePosting,
  fulfilNeed,
  isExpiringNoticeDue,
  postCapability,
  postNeed,
  renewCapability,
  withdrawCapability,
} from './postings';

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};
const at = (days: number) => new Date(now.getTime() + days * DAY);

describe('posting a capability', () => {
  it('defaults validity to 365 days and maps legacy province codes it serves', () => {
    const c = postCapability(enterprise(), capabilityInput(), 'cap-1', now);
    expect(c).toMatchObject({ status: 'open', province: '01', servedProvinces: ['19'], version: 1 });
    expect(c.validUntil).toEqual(at(365));
  });

  it('needs a product code, a positive capacity with a unit, known codes', () => {
    const error = errorOf(() =>
      postCapability(
        enterprise(),
        capabilityInput({
          hsCodes: [],
          vsicCodes: [],
          monthlyCapacity: { value: 0, unit: '' },
          servedRegions: ['XX'],
        }),
        'c',
        now,
      ),
    );
    expect(error.violations.map((v) => v.reason).sort()).toEqual([
      'must_be_positive',
      'product_code_required',
      'unit_required',
      'unknown_region',
    ]);
    const codes = errorOf(() =>
      postCapability(enterprise(), capabilityInput({ hsCodes: ['7700'], vsicCodes: ['04'] }), 'c', now),
    );
    expect(codes.violations.map((v) => v.reason).sort()).toEqual(['invalid_hs_code', 'invalid_vsic_code']);
  });

  it('is refused to a rejected enterprise', () => {
    const rejected = enterprise({
      verification: { status: 'rejected', reason: 'x', decidedBy: 'o', decidedAt: now },
    });
    expect(errorOf(() => postCapability(rejected, capabilityInput(), 'c', now)).code).toBe(
      'ENTERPRISE_REJECTED',
    );
  });
});

describe('capability lifecycle', () => {
  const open = () => postCapability(enterprise(), capabilityInput(), 'cap-1', now);

  it('renews only from 30 days before expiry, extending by a year from the old end', () => {
    expect(errorOf(() => renewCapability(open(), at(300))).code).toBe('RENEWAL_NOT_OPEN');
    const renewed = renewCapability(open(), at(336));
    expect(renewed.validUntil).toEqual(at(730));
  });

  it('warns once 14 days before expiry', () => {
    const c = open();
    expect(isExpiringNoticeDue(c, at(350))).toBe(false);
    expect(isExpiringNoticeDue(c, at(351))).toBe(true);
    expect(isExpiringNoticeDue({ ...c, expiringNoticeFor: c.validUntil }, at(352))).toBe(false);
    expect(isExpiringNoticeDue(c, at(366))).toBe(false); // past expiry: expire instead
  });

  it('expires only once past its date, and only when open', () => {
    expect(errorOf(() => expirePosting(open(), at(364))).code).toBe('ILLEGAL_TRANSITION');
    const expired = expirePosting(open(), at(365));
    expect(expired.status).toBe('expired');
    expect(errorOf(() => withdrawCapability(expired, at(366))).kind).toBe('FAILED_PRECONDITION');
    expect(errorOf(() => renewCapability(expired, at(366))).kind).toBe('FAILED_PRECONDITION');
  });

  it('withdraws once', () => {
    const withdrawn = withdrawCapability(open(), at(1));
    expect(withdrawn.status).toBe('withdrawn');
    expect(errorOf(() => withdrawCapability(withdrawn, at(2))).messageVi).toContain('Không thể');
  });
});

describe('need lifecycle', () => {
  it('defaults validity to the deadline and checks category and quantity', () => {
    const n = postNeed(enterprise(), needInput(), 'need-1', now);
    expect(n.validUntil).toEqual(at(60));
    const bad = errorOf(() =>
      postNeed(
        enterprise(),
        needInput({ category: undefined, quantityPerMonth: null, deadline: at(-1) }),
        'n',
        now,
      ),
    );
    expect(bad.violations.map((v) => v.field).sort()).toEqual([
      'need.category',
      'need.deadline',
      'need.quantityPerMonth',
    ]);
  });

  it('goes open → closed | fulfilled | expired and no further', () => {
    const n = postNeed(enterprise(), needInput(), 'need-1', now);
    const closed = closeNeed(n, at(1));
    expect(closed.status).toBe('closed');
    expect(fulfilNeed(n, at(1)).status).toBe('fulfilled');
    expect(expirePosting(n, at(60)).status).toBe('expired');
    expect(errorOf(() => fulfilNeed(closed, at(2))).kind).toBe('FAILED_PRECONDITION');
    expect(errorOf(() => closeNeed(closed, at(2))).kind).toBe('FAILED_PRECONDITION');
  });
});
