import type { AppError } from '@lienket/platform';
import type { Party } from './model';
import {
  closeRequest,
  expireRequest,
  postRequest,
  REQUEST_DEFAULT_VALIDITY_DAYS,
  REQUEST_MAX_VALIDITY_DAYS,
  type RequestInput,
  requestSearchTokens,
} from './request';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

const requester = (overrides: Partial<Party> = {}): Party => ({
  enterpriseId: 'ent-buyer',
  province: '79',
  region: 'SE',
  kind: 'enterprise',
  verified: true,
  supportingIndustry: false,
  leadFirm: false,
  recognitions: [],
  ...overrides,
});

const requestInput = (overrides: Partial<RequestInput> = {}): RequestInput => ({
  title: 'Cần công nghệ sấy gỗ tiết kiệm điện',
  description: 'Xưởng gỗ xuất khẩu cần giảm độ ẩm gỗ keo',
  hsCodes: ['4418'],
  vsicCodes: ['1621'],
  keywords: ['sấy gỗ'],
  minReadinessLevel: 6,
  transferModes: ['licence', 'equipment_supply'],
  budget: { minVnd: 300_000_000, maxVnd: 1_000_000_000 },
  cleanerProduction: true,
  pollutionTreatment: false,
  validUntil: null,
  ...overrides,
});

const open = (overrides: Partial<RequestInput> = {}) =>
  postRequest(requester(), requestInput(overrides), 'req-1', now);

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};
const reasons = (error: AppError) => error.violations.map((v) => `${v.field}:${v.reason}`).sort();

const expectIllegal = (
  fn: () => unknown,
  action: string,
  actionVi: string,
  state: string,
  stateVi: string,
) => {
  const error = errorOf(fn);
  expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
  expect(error.message).toBe(`Cannot ${action} a request that is ${state}`);
  expect(error.messageVi).toBe(`Không thể ${actionVi} yêu cầu công nghệ đang ở trạng thái ${stateVi}`);
};

describe('posting a request', () => {
  it('opens a direct request valid 180 days by default', () => {
    const request = postRequest(
      requester(),
      requestInput({
        title: '  Cần công nghệ sấy gỗ tiết kiệm điện ',
        keywords: ['sấy gỗ', ' sấy gỗ ', ''],
        transferModes: ['licence', 'licence'],
      }),
      'req-1',
      now,
    );
    expect(REQUEST_DEFAULT_VALIDITY_DAYS).toBe(180);
    expect(request).toMatchObject({
      id: 'req-1',
      requesterId: 'ent-buyer',
      province: '79',
      region: 'SE',
      title: 'Cần công nghệ sấy gỗ tiết kiệm điện',
      keywords: ['sấy gỗ'],
      transferModes: ['licence'],
      source: 'direct',
      registryNeedId: '',
      status: 'open',
      createdAt: now,
      version: 1,
    });
    expect(request.validUntil).toEqual(at(180));
  });

  it('keeps a chosen validity, and treats a zero budget as none', () => {
    const request = open({ validUntil: at(30), budget: { minVnd: 0, maxVnd: 0 } });
    expect(request.validUntil).toEqual(at(30));
    expect(request.budget).toBeNull();
    expect(open({ budget: { minVnd: 100, maxVnd: 0 } }).budget).toEqual({ minVnd: 100, maxVnd: 0 });
  });

  it('accepts a readiness level of 0 (no minimum) to 9', () => {
    expect(open({ minReadinessLevel: 0 }).minReadinessLevel).toBe(0);
    expect(open({ minReadinessLevel: 9 }).minReadinessLevel).toBe(9);
  });

  it('lists every offending field at once', () => {
    const error = errorOf(() =>
      open({
        title: 'ab',
        description: 'x'.repeat(5_001),
        hsCodes: ['7700'],
        vsicCodes: ['04'],
        minReadinessLevel: 10,
        budget: { minVnd: 5, maxVnd: 1 },
        validUntil: at(-1),
      }),
    );
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'VALIDATION_FAILED' });
    expect(reasons(error)).toEqual([
      'request.budget:invalid_range',
      'request.description:invalid_length',
      'request.hsCodes[0]:invalid_hs_code',
      'request.minReadinessLevel:out_of_range',
      'request.title:invalid_length',
      'request.validUntil:must_be_future',
      'request.vsicCodes[0]:invalid_vsic_code',
    ]);
    expect(error.message).toContain('request.minReadinessLevel');
  });

  it('needs a product code, a whole readiness level, a non-negative budget and a near enough date', () => {
    expect(reasons(errorOf(() => open({ hsCodes: [], vsicCodes: [' '] })))).toEqual([
      'request.hsCodes:product_code_required',
    ]);
    expect(reasons(errorOf(() => open({ minReadinessLevel: -1 })))).toEqual([
      'request.minReadinessLevel:out_of_range',
    ]);
    expect(reasons(errorOf(() => open({ minReadinessLevel: 2.5 })))).toEqual([
      'request.minReadinessLevel:out_of_range',
    ]);
    expect(reasons(errorOf(() => open({ budget: { minVnd: -1, maxVnd: 0 } })))).toEqual([
      'request.budget:must_be_positive',
    ]);
    expect(reasons(errorOf(() => open({ validUntil: at(REQUEST_MAX_VALIDITY_DAYS + 1) })))).toEqual([
      'request.validUntil:too_far',
    ]);
    expect(reasons(errorOf(() => open({ validUntil: now })))).toEqual(['request.validUntil:must_be_future']);
  });
});

describe('request lifecycle: open → closed | expired', () => {
  it('closes an open request', () => {
    expect(closeRequest(open(), at(3))).toMatchObject({ status: 'closed', updatedAt: at(3) });
  });

  it('expires an open request once its validity has passed, not before', () => {
    const request = open({ validUntil: at(30) });
    const early = errorOf(() => expireRequest(request, at(29)));
    expect(early).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'NOT_DUE' });
    expect(early.messageVi).toBe('Yêu cầu vẫn còn hiệu lực');
    expect(expireRequest(request, at(30))).toMatchObject({ status: 'expired', updatedAt: at(30) });
  });

  const closed = () => closeRequest(open(), at(1));
  const expired = () => expireRequest(open(), at(180));

  it.each([
    ['closed', closed, 'đã đóng'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to close a request that is %s', (state, make, stateVi) => {
    expectIllegal(() => closeRequest(make(), at(200)), 'close', 'đóng', state, stateVi);
  });

  it.each([
    ['closed', closed, 'đã đóng'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to expire a request that is %s', (state, make, stateVi) => {
    expectIllegal(() => expireRequest(make(), at(800)), 'expire', 'cho hết hạn', state, stateVi);
  });

  it('searches folded words of title, description and keywords', () => {
    expect(requestSearchTokens({ title: 'Sấy gỗ', description: 'Gỗ keo', keywords: ['điện'] })).toEqual([
      'say',
      'go',
      'keo',
      'dien',
    ]);
  });
});
