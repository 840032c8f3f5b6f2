import type { Actor, AppError } from '@lienket/platform';
import type { Offer, Party } from './model';
import {
  createOffer,
  defaultOfferRules,
  editableOfferFields,
  expireOffer,
  type OfferInput,
  offerInputOf,
  offerSearchTokens,
  publishOffer,
  renewOffer,
  requireOwner,
  updateOffer,
  withdrawOffer,
} from './offer';

const DAY = 86_400_000;
const now = new Date('2026-05-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);

const owner = (overrides: Partial<Party> = {}): Party => ({
  enterpriseId: 'ent-owner',
  province: '01',
  region: 'RRD',
  kind: 'enterprise',
  verified: true,
  supportingIndustry: false,
  leadFirm: false,
  recognitions: [],
  ...overrides,
});

const offerInput = (overrides: Partial<OfferInput> = {}): OfferInput => ({
  title: 'Công nghệ sấy gỗ bằng bơm nhiệt',
  summary: 'Sấy gỗ keo tiết kiệm 40% điện năng',
  hsCodes: ['4418'],
  vsicCodes: ['1621'],
  keywords: ['sấy gỗ', 'bơm nhiệt'],
  readinessLevel: 7,
  ipStatus: 'patent',
  ipNumbers: ['1-0012345'],
  transferModes: ['licence'],
  priceBand: { minVnd: 500_000_000, maxVnd: 1_500_000_000 },
  cleanerProduction: true,
  pollutionTreatment: false,
  languages: ['vi', 'en'],
  visibility: 'public',
  visibleProvinces: [],
  anonymous: false,
  validUntil: null,
  ...overrides,
});

const draft = (overrides: Partial<OfferInput> = {}) =>
  createOffer(owner(), offerInput(overrides), 'offer-1', now);
const published = (overrides: Partial<OfferInput> = {}) => publishOffer(draft(overrides), now);
const withdrawn = () => withdrawOffer(published(), at(1));
const expired = () => expireOffer(published(), at(180));

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};

/** The refusal of a state change, naming the offer's state in English and Vietnamese. */
const expectIllegal = (
  fn: () => unknown,
  action: string,
  actionVi: string,
  state: string,
  stateVi: string,
) => {
  const error = errorOf(fn);
  expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' });
  expect(error.message).toBe(`Cannot ${action} an offer that is ${state}`);
  expect(error.messageVi).toBe(`Không thể ${actionVi} chào bán đang ở trạng thái ${stateVi}`);
};

const reasons = (error: AppError) => error.violations.map((v) => `${v.field}:${v.reason}`).sort();

describe('creating an offer', () => {
  it('creates a normalised draft carrying the owner’s facts', () => {
    const offer = createOffer(
      owner(),
      offerInput({
        title: '  Công nghệ sấy gỗ bằng bơm nhiệt  ',
        keywords: [' sấy gỗ', 'sấy gỗ', '', 'bơm nhiệt'],
        ipNumbers: ['1-0012345', ' 1-0012345 '],
        transferModes: ['licence', 'licence', 'training_consulting'],
        languages: [],
      }),
      'offer-1',
      now,
    );
    expect(offer).toMatchObject({
      id: 'offer-1',
      ownerId: 'ent-owner',
      ownerProvince: '01',
      ownerRegion: 'RRD',
      ownerKind: 'enterprise',
      title: 'Công nghệ sấy gỗ bằng bơm nhiệt',
      keywords: ['sấy gỗ', 'bơm nhiệt'],
      ipNumbers: ['1-0012345'],
      transferModes: ['licence', 'training_consulting'],
      languages: ['vi'],
      visibility: 'public',
      visibleProvinces: [],
      status: 'draft',
      publishedAt: null,
      validUntil: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  });

  it('defaults visibility to public, drops provinces unless named, and maps legacy province codes', () => {
    expect(draft({ visibility: undefined, visibleProvinces: ['79'] })).toMatchObject({
      visibility: 'public',
      visibleProvinces: [],
    });
    // '30' (Hải Dương before 2025) is part of Hải Phòng ('31') now.
    expect(draft({ visibility: 'named_provinces', visibleProvinces: ['30', '79', '31'] })).toMatchObject({
      visibility: 'named_provinces',
      visibleProvinces: ['31', '79'],
    });
  });

  it('treats a zero price band as no price band', () => {
    expect(draft({ priceBand: { minVnd: 0, maxVnd: 0 } }).priceBand).toBeNull();
  });

  it('is refused to a rejected enterprise', () => {
    const error = errorOf(() => createOffer({ ...owner(), rejected: true }, offerInput(), 'o', now));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ENTERPRISE_REJECTED' });
    expect(error.messageVi).toContain('Doanh nghiệp bị từ chối');
  });

  it.each([0, 10, 6.5, Number.NaN])('refuses readiness level %p (TRL is 1..9)', (readinessLevel) => {
    const error = errorOf(() => draft({ readinessLevel }));
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'VALIDATION_FAILED' });
    expect(reasons(error)).toEqual(['offer.readinessLevel:out_of_range']);
  });

  it.each([1, 9])('accepts readiness level %p', (readinessLevel) => {
    expect(draft({ readinessLevel }).readinessLevel).toBe(readinessLevel);
  });

  it('needs patent or utility-solution numbers, but not for know-how', () => {
    for (const ipStatus of ['patent', 'utility_solution'] as const) {
      const error = errorOf(() => draft({ ipStatus, ipNumbers: [' ', ''] }));
      expect(error.kind).toBe('INVALID_ARGUMENT');
      expect(reasons(error)).toEqual(['offer.ipNumbers:required']);
    }
    expect(draft({ ipStatus: 'know_how', ipNumbers: [] }).ipNumbers).toEqual([]);
  });

  it('lists every offending field at once', () => {
    const error = errorOf(() =>
      draft({
        title: ' x ',
        readinessLevel: 12,
        ipStatus: undefined,
        transferModes: [],
        visibility: 'named_provinces',
        visibleProvinces: [],
        languages: ['vi', 'Vietnamese', 'en-US'],
        hsCodes: ['7700'],
        vsicCodes: ['04'],
        priceBand: { minVnd: 2_000, maxVnd: 1_000 },
      }),
    );
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'VALIDATION_FAILED' });
    expect(reasons(error)).toEqual([
      'offer.hsCodes[0]:invalid_hs_code',
      'offer.ipStatus:required',
      'offer.languages[1]:invalid_language',
      'offer.priceBand:invalid_range',
      'offer.readinessLevel:out_of_range',
      'offer.title:invalid_length',
      'offer.transferModes:required',
      'offer.visibleProvinces:required',
      'offer.vsicCodes[0]:invalid_vsic_code',
    ]);
    expect(error.message).toContain('offer.transferModes');
    expect(error.messageVi).toContain('Yêu cầu không hợp lệ');
    const language = error.violations.find((v) => v.reason === 'invalid_language');
    expect(language?.description).toBe('"Vietnamese" is not a language tag such as "vi" or "en"');
    expect(language?.descriptionVi).toContain('không phải mã ngôn ngữ');
  });

  it('needs a product code and known province codes', () => {
    const error = errorOf(() =>
      draft({ hsCodes: [], vsicCodes: [], visibility: 'named_provinces', visibleProvinces: ['99'] }),
    );
    expect(reasons(error)).toEqual([
      'offer.hsCodes:product_code_required',
      'offer.visibleProvinces[0]:unknown_province',
    ]);
  });

  it('refuses a negative price band', () => {
    expect(reasons(errorOf(() => draft({ priceBand: { minVnd: -1, maxVnd: 10 } })))).toEqual([
      'offer.priceBand:must_be_positive',
    ]);
  });

  it('needs a valid-until in the future and within the maximum validity', () => {
    expect(reasons(errorOf(() => draft({ validUntil: now })))).toEqual(['offer.validUntil:must_be_future']);
    expect(reasons(errorOf(() => draft({ validUntil: at(731) })))).toEqual(['offer.validUntil:too_far']);
    expect(draft({ validUntil: at(730) }).validUntil).toEqual(at(730));
  });
});

describe('offer lifecycle: draft → published → withdrawn | expired', () => {
  it('publishes a draft with the default validity of 180 days', () => {
    const offer = publishOffer(draft(), at(2));
    expect(defaultOfferRules.defaultValidityDays).toBe(180);
    expect(offer).toMatchObject({ status: 'published', publishedAt: at(2), updatedAt: at(2) });
    expect(offer.validUntil).toEqual(at(182));
  });

  it('keeps the validity the owner chose, and honours custom rules', () => {
    expect(publishOffer(draft({ validUntil: at(30) }), at(1)).validUntil).toEqual(at(30));
    const rules = { defaultValidityDays: 10, maxValidityDays: 20 };
    expect(publishOffer(draft(), now, rules).validUntil).toEqual(at(10));
  });

  it('refuses to publish a draft whose chosen validity has passed', () => {
    const error = errorOf(() => publishOffer(draft({ validUntil: at(10) }), at(10)));
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'VALIDITY_PASSED' });
  });

  it('withdraws a draft or a published offer', () => {
    expect(withdrawOffer(draft(), at(1))).toMatchObject({ status: 'withdrawn', updatedAt: at(1) });
    expect(withdrawOffer(published(), at(1))).toMatchObject({ status: 'withdrawn', updatedAt: at(1) });
  });

  it('expires a published offer once its validity has passed, not before', () => {
    const offer = published();
    const early = errorOf(() => expireOffer(offer, at(179)));
    expect(early).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'NOT_DUE' });
    expect(early.messageVi).toBe('Chào bán vẫn còn hiệu lực');
    expect(expireOffer(offer, at(180))).toMatchObject({ status: 'expired', updatedAt: at(180) });
  });

  it.each([
    ['published', published, 'đã công bố'],
    ['withdrawn', withdrawn, 'đã rút'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to publish an offer that is %s', (state, make, stateVi) => {
    expectIllegal(() => publishOffer(make(), at(200)), 'publish', 'công bố', state, stateVi);
  });

  it.each([
    ['withdrawn', withdrawn, 'đã rút'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to withdraw an offer that is %s', (state, make, stateVi) => {
    expectIllegal(() => withdrawOffer(make(), at(200)), 'withdraw', 'rút', state, stateVi);
  });

  it.each([
    ['draft', draft, 'bản nháp'],
    ['withdrawn', withdrawn, 'đã rút'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to renew an offer that is %s', (state, make, stateVi) => {
    expectIllegal(() => renewOffer(make(), at(300), at(200)), 'renew', 'gia hạn', state, stateVi);
  });

  it.each([
    ['draft', draft, 'bản nháp'],
    ['withdrawn', withdrawn, 'đã rút'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to expire an offer that is %s', (state, make, stateVi) => {
    expectIllegal(() => expireOffer(make(), at(800)), 'expire', 'cho hết hạn', state, stateVi);
  });

  it.each([
    ['withdrawn', withdrawn, 'đã rút'],
    ['expired', expired, 'đã hết hạn'],
  ])('refuses to change an offer that is %s', (state, make, stateVi) => {
    expectIllegal(
      () => updateOffer(make(), offerInput({ title: 'Tiêu đề mới' }), ['title'], at(200)),
      'change',
      'sửa',
      state,
      stateVi,
    );
  });

  it('refuses with the matcher form too', () => {
    expect(() => publishOffer(published(), now)).toThrow(
      expect.objectContaining({ kind: 'FAILED_PRECONDITION', code: 'ILLEGAL_TRANSITION' }),
    );
  });
});

describe('renewing an offer', () => {
  it('moves valid-until later, by default 180 days from now', () => {
    const offer = published(); // valid until day 180
    expect(renewOffer(offer, at(400), at(100))).toMatchObject({ validUntil: at(400), updatedAt: at(100) });
    expect(renewOffer(offer, null, at(100)).validUntil).toEqual(at(280));
  });

  it('refuses a date that is not later than the current one', () => {
    const offer = published();
    for (const date of [at(180), at(150)]) {
      const error = errorOf(() => renewOffer(offer, date, at(100)));
      expect(error.kind).toBe('INVALID_ARGUMENT');
      expect(reasons(error)).toEqual(['validUntil:not_later']);
    }
    // The default renewal from day 1 (day 181) is still later than day 180; from day 0 it is not.
    expect(renewOffer(offer, null, at(1)).validUntil).toEqual(at(181));
    expect(reasons(errorOf(() => renewOffer(offer, null, now)))).toEqual(['validUntil:not_later']);
  });

  it('refuses a date beyond the maximum validity from now', () => {
    const offer = published();
    expect(reasons(errorOf(() => renewOffer(offer, at(100 + 731), at(100))))).toEqual(['validUntil:too_far']);
    expect(renewOffer(offer, at(100 + 730), at(100)).validUntil).toEqual(at(830));
  });
});

describe('updating an offer', () => {
  it('changes only the fields in the mask and reports them', () => {
    const offer = draft();
    const { offer: next, changed } = updateOffer(
      offer,
      offerInput({ title: 'Sấy gỗ thông minh', summary: 'ignored', readinessLevel: 8 }),
      ['title', 'readinessLevel'],
      at(1),
    );
    expect(changed).toEqual(['title', 'readinessLevel']);
    expect(next).toMatchObject({
      title: 'Sấy gỗ thông minh',
      readinessLevel: 8,
      summary: offer.summary,
      status: 'draft',
      updatedAt: at(1),
    });
  });

  it('refuses fields that are not editable, naming each', () => {
    const error = errorOf(() => updateOffer(draft(), offerInput(), ['title', 'status', 'ownerId'], at(1)));
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT' });
    expect(reasons(error)).toEqual(['updateMask.ownerId:not_editable', 'updateMask.status:not_editable']);
  });

  it('validates the merged offer', () => {
    const error = errorOf(() =>
      updateOffer(published(), offerInput({ readinessLevel: 0 }), ['readinessLevel'], at(1)),
    );
    expect(reasons(error)).toEqual(['offer.readinessLevel:out_of_range']);
  });

  it('returns the same offer and no changes when nothing changes', () => {
    const offer = published();
    const result = updateOffer(
      offer,
      offerInput({ title: `  ${offer.title}  ` }),
      ['title', 'summary'],
      at(1),
    );
    expect(result.changed).toEqual([]);
    expect(result.offer).toBe(offer);
    expect(updateOffer(offer, offerInputOf(offer), editableOfferFields, at(1)).changed).toEqual([]);
  });

  it('fixes anonymity once published, but not in a draft', () => {
    const error = errorOf(() =>
      updateOffer(published(), offerInput({ anonymous: true }), ['anonymous'], at(1)),
    );
    expect(error).toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'ANONYMITY_FIXED' });
    expect(error.messageVi).toContain('ẩn danh');
    const result = updateOffer(draft(), offerInput({ anonymous: true }), ['anonymous'], at(1));
    expect(result.changed).toEqual(['anonymous']);
    expect(result.offer.anonymous).toBe(true);
  });

  it('keeps a published offer’s valid-until when the update clears it', () => {
    const offer = published();
    const result = updateOffer(offer, offerInput({ validUntil: null }), ['validUntil'], at(1));
    expect(result.changed).toEqual([]);
    expect(result.offer.validUntil).toEqual(at(180));
  });

  it('can move a published offer’s visibility to named provinces', () => {
    const result = updateOffer(
      published(),
      offerInput({ visibility: 'named_provinces', visibleProvinces: ['48'] }),
      ['visibility', 'visibleProvinces'],
      at(1),
    );
    expect(result.changed).toEqual(['visibility', 'visibleProvinces']);
    expect(result.offer).toMatchObject({ visibility: 'named_provinces', visibleProvinces: ['48'] });
  });

  it('round-trips every editable field through offerInputOf', () => {
    const offer = draft({ anonymous: true, validUntil: at(50) });
    const input = offerInputOf(offer);
    expect(Object.keys(input).sort()).toEqual([...editableOfferFields].sort());
    expect(input).toMatchObject({
      anonymous: true,
      validUntil: at(50),
      ipStatus: 'patent',
      visibility: 'public',
    });
  });
});

describe('offer ownership and search', () => {
  const actor = (role: Actor['role'], enterpriseId = '', provinceCode = ''): Actor => ({
    role,
    enterpriseId,
    provinceCode,
    subject: `${role}-${enterpriseId}`,
  });

  it('lets the owner, admins and services change an offer, nobody else', () => {
    const offer: Offer = draft();
    expect(() => requireOwner(actor('enterprise', 'ent-owner'), offer)).not.toThrow();
    expect(() => requireOwner(actor('admin'), offer)).not.toThrow();
    expect(() => requireOwner(actor('service'), offer)).not.toThrow();
    for (const other of [actor('enterprise', 'ent-other'), actor('province', '', '01'), actor('anonymous')]) {
      expect(errorOf(() => requireOwner(other, offer))).toMatchObject({
        kind: 'PERMISSION_DENIED',
        code: 'NOT_OWNER',
      });
    }
  });

  it('searches folded words of title, summary and keywords', () => {
    expect(offerSearchTokens({ title: 'Sấy Gỗ', summary: 'bơm nhiệt', keywords: ['gỗ keo', 'đá'] })).toEqual([
      'say',
      'go',
      'bom',
      'nhiet',
      'keo',
      'da',
    ]);
  });
});
