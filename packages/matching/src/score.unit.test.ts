import {
  buyer,
  DAY,
  daysFromNow,
  demand,
  NOW,
  partyIn,
  randomWorld,
  supplier,
  supply,
} from './fixtures.test';
import { prepareDemand, prepareSupply } from './prepare';
import { explainPair, NOT_RANKED, rankScore, scorePair } from './score';
import type { ComponentName, Demand, ExclusionReason, Party, Supply, Verdict } from './types';
import { defaultWeights } from './weights';

function component(
  name: ComponentName,
  d: Partial<Demand> = {},
  s: Partial<Supply> = {},
  b: Partial<Party> = {},
  p: Partial<Party> = {},
  now = NOW,
) {
  const found = explainPair(demand(d), supply(s), buyer(b), supplier(p), now).components.find(
    (c) => c.name === name,
  );
  if (found === undefined) throw new Error(`no component ${name}`);
  return found;
}

const value = (
  name: ComponentName,
  d?: Partial<Demand>,
  s?: Partial<Supply>,
  b?: Partial<Party>,
  p?: Partial<Party>,
) => component(name, d, s, b, p).value;

function reasons(verdict: Verdict): ExclusionReason[] {
  return verdict.ok ? [] : verdict.exclusions.map((e) => e.reason);
}

describe('scorePair on the reference pair', () => {
  it('scores a neighbouring carton maker with every component and reasons in both languages', () => {
    const verdict = scorePair(demand(), supply(), buyer(), supplier(), NOW);
    if (!verdict.ok) throw new Error('expected a match');
    const { match } = verdict;
    expect(match.demandId).toBe('D1');
    expect(match.supplyId).toBe('S1');
    expect(match.components.map((c) => [c.name, c.value, c.weight])).toEqual([
      ['product', 0.75, 0.35],
      ['keywords', 0.75, 0.05],
      ['capacity', 1, 0.15],
      ['lead_time', 1, 0.1],
      ['geography', 0.75, 0.15],
      ['policy', 0, 0.05],
      ['trust', 1, 0.05],
      ['freshness', 1, 0.05],
      ['responsiveness', 0.8, 0.05],
    ]);
    for (const c of match.components) expect(c.contribution).toBe(c.value * c.weight);
    // .2625 + .0375 + .15 + .1 + .1125 + 0 + .05 + .05 + .04
    expect(match.score).toBe(0.8025);
    expect(match.reason).toBe(
      'HS 4819 ⊂ 481910; covers 100% of 5,000 carton/month; neighbouring province Bắc Ninh',
    );
    expect(match.reasonVi).toBe(
      'mã HS 4819 ⊂ 481910; đáp ứng 100% nhu cầu 5.000 carton/tháng; tỉnh lân cận Bắc Ninh',
    );
  });

  it('gives every component a short detail in English and Vietnamese', () => {
    const verdict = scorePair(demand(), supply(), buyer(), supplier(), NOW);
    if (!verdict.ok) throw new Error('expected a match');
    expect(verdict.match.components.map((c) => [c.detail, c.detailVi])).toEqual([
      ['HS 4819 ⊂ 481910', 'mã HS 4819 ⊂ 481910'],
      ['3 of 4 keywords shared', 'trùng 3/4 từ khóa'],
      ['covers 100% of 5,000 carton/month', 'đáp ứng 100% nhu cầu 5.000 carton/tháng'],
      ['lead time 14 days, no deadline', 'giao trong 14 ngày, không có hạn chót'],
      ['neighbouring province Bắc Ninh', 'tỉnh lân cận Bắc Ninh'],
      ['no policy priority', 'không thuộc diện ưu tiên chính sách'],
      ['verified supplier', 'nhà cung ứng đã xác minh'],
      ['posted 10 days ago', 'đăng 10 ngày trước'],
      ['answered 80% of proposals', 'đã phản hồi 80% đề xuất'],
    ]);
  });

  it('rounds the score to 4 decimals', () => {
    // freshness at 100 days: 1 - 0.7 × 70/335 = 0.85373…, contributing 0.0426865…
    const verdict = scorePair(demand(), supply({ postedAt: daysFromNow(-100) }), buyer(), supplier(), NOW);
    if (!verdict.ok) throw new Error('expected a match');
    expect(verdict.match.score).toBe(0.7952);
  });

  it('uses the weights it is given', () => {
    const onlyProduct = { ...defaultWeights };
    for (const name of Object.keys(onlyProduct) as ComponentName[]) onlyProduct[name] = 0;
    onlyProduct.product = 1;
    const verdict = scorePair(demand(), supply(), buyer(), supplier(), NOW, onlyProduct);
    if (!verdict.ok) throw new Error('expected a match');
    expect(verdict.match.score).toBe(0.75);
    // Components that contribute nothing stay out of the reason.
    expect(verdict.match.reason).toBe('HS 4819 ⊂ 481910');
  });
});

describe('product', () => {
  const hs = (d: string[], s: string[]) => component('product', { hsCodes: d }, { hsCodes: s });
  const vsic = (d: string[], s: string[]) =>
    component('product', { hsCodes: [], vsicCodes: d }, { hsCodes: [], vsicCodes: s });

  it('scores HS pairs by the level they share', () => {
    expect(hs(['48191000'], ['48191000'])).toMatchObject({ value: 1, detail: 'HS 48191000 = 48191000' });
    expect(hs(['481910'], ['48191000'])).toMatchObject({ value: 1, detail: 'HS 481910 ⊂ 48191000' });
    expect(hs(['48191000'], ['48191010'])).toMatchObject({
      value: 1,
      detail: 'HS 48191000 ~ 48191010, same subheading 481910',
      detailVi: 'mã HS 48191000 ~ 48191010, cùng phân nhóm 481910',
    });
    expect(hs(['4819'], ['481910'])).toMatchObject({ value: 0.75, detail: 'HS 4819 ⊂ 481910' });
    expect(hs(['481910'], ['4819'])).toMatchObject({ value: 0.75, detail: 'HS 481910 ⊃ 4819' });
    expect(hs(['481910'], ['481920'])).toMatchObject({
      value: 0.75,
      detail: 'HS 481910 ~ 481920, same heading 4819',
      detailVi: 'mã HS 481910 ~ 481920, cùng nhóm 4819',
    });
    expect(hs(['48191000'], ['48192000'])).toMatchObject({ value: 0.75 });
    expect(hs(['4819'], ['4820'])).toMatchObject({
      value: 0.4,
      detail: 'HS 4819 ~ 4820, same chapter 48',
      detailVi: 'mã HS 4819 ~ 4820, cùng chương 48',
    });
    expect(hs(['48'], ['4819'])).toMatchObject({ value: 0.4, detail: 'HS 48 ⊂ 4819' });
    expect(hs(['4819'], ['3923'])).toMatchObject({
      value: 0,
      detail: 'no shared HS or VSIC code',
      detailVi: 'không trùng mã HS hoặc VSIC',
    });
    expect(hs(['4819'], ['4919'])).toMatchObject({ value: 0 });
  });

  it('scores VSIC pairs by the level they share, below the HS values', () => {
    expect(vsic(['17021'], ['17021'])).toMatchObject({ value: 0.9, detail: 'VSIC 17021 = 17021' });
    expect(vsic(['1702'], ['17021'])).toMatchObject({ value: 0.9, detail: 'VSIC 1702 ⊂ 17021' });
    expect(vsic(['17021'], ['17022'])).toMatchObject({
      value: 0.9,
      detail: 'VSIC 17021 ~ 17022, same class 1702',
      detailVi: 'mã VSIC 17021 ~ 17022, cùng ngành cấp 4 1702',
    });
    expect(vsic(['1701'], ['1709'])).toMatchObject({
      value: 0.7,
      detail: 'VSIC 1701 ~ 1709, same group 170',
    });
    expect(vsic(['170'], ['1702'])).toMatchObject({ value: 0.7, detail: 'VSIC 170 ⊂ 1702' });
    expect(vsic(['1701'], ['1720'])).toMatchObject({
      value: 0.5,
      detail: 'VSIC 1701 ~ 1720, same division 17',
      detailVi: 'mã VSIC 1701 ~ 1720, cùng ngành cấp 2 17',
    });
    expect(vsic(['1701'], ['1810'])).toMatchObject({ value: 0 });
  });

  it('takes the best pair over both systems', () => {
    const c = component(
      'product',
      { hsCodes: ['4819', '3923'], vsicCodes: ['1702'] },
      { hsCodes: ['4820'], vsicCodes: ['1709', '17021'] },
    );
    expect(c).toMatchObject({ value: 0.9, detail: 'VSIC 1702 ⊂ 17021' });
    expect(
      value(
        'product',
        { hsCodes: ['3923'], vsicCodes: ['1701'] },
        { hsCodes: ['392310'], vsicCodes: ['17'] },
      ),
    ).toBe(0.75);
  });
});

describe('keywords', () => {
  it('is the Jaccard index of the token sets', () => {
    expect(value('keywords', { tokens: ['a1', 'b1', 'c1'] }, { tokens: ['b1', 'c1', 'd1'] })).toBe(0.5);
    expect(value('keywords', { tokens: ['a1', 'a1', 'b1'] }, { tokens: ['b1', 'a1'] })).toBe(1);
    expect(value('keywords', { tokens: ['a1'] }, { tokens: ['b1'] })).toBe(0);
    expect(component('keywords', { tokens: [] }, { tokens: [] })).toMatchObject({
      value: 0,
      detail: 'no keywords',
      detailVi: 'không có từ khóa',
    });
  });
});

describe('capacity', () => {
  const capacity = (need: Demand['quantityPerMonth'], has: Supply['monthlyCapacity']) =>
    component('capacity', { quantityPerMonth: need }, { monthlyCapacity: has });

  it('is the share of the monthly quantity covered, in the same unit', () => {
    expect(capacity({ value: 5000, unit: 'carton' }, { value: 2500, unit: 'carton' })).toMatchObject({
      value: 0.5,
      detail: 'covers 50% of 5,000 carton/month',
      detailVi: 'đáp ứng 50% nhu cầu 5.000 carton/tháng',
    });
    expect(capacity({ value: 5000, unit: 'carton' }, { value: 6000, unit: 'carton' }).value).toBe(1);
    expect(capacity({ value: 5000, unit: 'carton' }, { value: 4999, unit: 'carton' }).detail).toBe(
      'covers 99% of 5,000 carton/month',
    );
    expect(capacity({ value: 2.5, unit: 'tonne' }, { value: 1, unit: 'tonne' })).toMatchObject({
      value: 0.4,
      detailVi: 'đáp ứng 40% nhu cầu 2,5 tonne/tháng',
    });
    expect(capacity({ value: 0, unit: 'carton' }, { value: 10, unit: 'carton' }).value).toBe(1);
    expect(capacity({ value: 100, unit: 'carton' }, { value: 0, unit: 'carton' }).value).toBe(0);
  });

  it('names a Vietnamese unit in English in the English text', () => {
    expect(capacity({ value: 120, unit: 'tấn' }, { value: 60, unit: 'tấn' })).toMatchObject({
      detail: 'covers 50% of 120 tonnes/month',
      detailVi: 'đáp ứng 50% nhu cầu 120 tấn/tháng',
    });
    expect(capacity({ value: 1, unit: 'tấn' }, { value: 500, unit: 'chiếc' }).detail).toBe(
      'units differ: 500 pieces/month vs 1 tonne/month',
    );
  });

  it('compares units trimmed and case-insensitively', () => {
    expect(capacity({ value: 100, unit: ' Carton ' }, { value: 50, unit: 'carton' }).value).toBe(0.5);
  });

  it('gives 0.5 when units differ or a figure is missing', () => {
    expect(capacity({ value: 5, unit: 'tonne' }, { value: 5000, unit: 'carton' })).toMatchObject({
      value: 0.5,
      detail: 'units differ: 5,000 carton/month vs 5 tonne/month',
      detailVi: 'khác đơn vị: 5.000 carton/tháng và 5 tonne/tháng',
    });
    expect(capacity(null, { value: 5000, unit: 'carton' })).toMatchObject({
      value: 0.5,
      detail: 'quantity not stated',
    });
    expect(capacity({ value: 5, unit: 'tonne' }, null)).toMatchObject({
      value: 0.5,
      detail: 'capacity not stated',
    });
    expect(capacity(null, null)).toMatchObject({
      value: 0.5,
      detailVi: 'chưa nêu công suất và số lượng cần',
    });
  });
});

describe('lead_time', () => {
  const lead = (leadTimeDays: number, deadline: Date | null) =>
    component('lead_time', { deadline }, { leadTimeDays });

  it('with a deadline: 1 when the lead time fits, else the share of it that does', () => {
    expect(lead(30, daysFromNow(30))).toMatchObject({
      value: 1,
      detail: 'lead time 30 days, deadline in 30 days',
      detailVi: 'giao trong 30 ngày, còn 30 ngày đến hạn chót',
    });
    expect(lead(60, daysFromNow(30)).value).toBe(0.5);
    expect(lead(31, daysFromNow(30)).value).toBe(30 / 31);
    expect(lead(0, daysFromNow(0.5)).value).toBe(1);
    expect(lead(10, daysFromNow(-1))).toMatchObject({
      value: 0,
      detail: 'deadline passed, lead time 10 days',
      detailVi: 'đã quá hạn chót, giao trong 10 ngày',
    });
    expect(lead(10, NOW).value).toBe(0);
  });

  it('without a deadline: 1 up to 30 days, 0.7 up to 90, else 0.4', () => {
    expect(lead(30, null).value).toBe(1);
    expect(lead(31, null).value).toBe(0.7);
    expect(lead(90, null).value).toBe(0.7);
    expect(lead(91, null)).toMatchObject({
      value: 0.4,
      detail: 'lead time 91 days, no deadline',
      detailVi: 'giao trong 91 ngày, không có hạn chót',
    });
  });
});

describe('geography', () => {
  const geo = (supplierProvince: string, preferredProvinces: string[] = []) =>
    component('geography', { preferredProvinces }, {}, {}, { province: supplierProvince });

  it('scores the supplier province against the buyer province (Hà Nội)', () => {
    expect(geo('01')).toMatchObject({
      value: 1,
      detail: 'same province Hà Nội',
      detailVi: 'cùng tỉnh Hà Nội',
    });
    expect(geo('24')).toMatchObject({
      value: 0.75,
      detail: 'neighbouring province Bắc Ninh',
      detailVi: 'tỉnh lân cận Bắc Ninh',
    });
    expect(geo('31')).toMatchObject({
      value: 0.5,
      detail: 'same-region province Hải Phòng',
      detailVi: 'tỉnh cùng vùng Hải Phòng',
    });
    expect(geo('92')).toMatchObject({
      value: 0.2,
      detail: 'other-region province Cần Thơ',
      detailVi: 'tỉnh khác vùng Cần Thơ',
    });
  });

  it('gives 1 to a preferred province however far', () => {
    expect(geo('92', ['92'])).toMatchObject({
      value: 1,
      detail: 'preferred province Cần Thơ',
      detailVi: 'tỉnh ưu tiên Cần Thơ',
    });
  });

  it('treats a code that is not current as far rather than failing', () => {
    expect(geo('27')).toMatchObject({ value: 0.2, detail: 'unknown province 27' });
  });
});

describe('policy', () => {
  const policy = (buyerKind: string, p: Partial<Party>) =>
    component('policy', {}, {}, { kind: buyerKind }, p);

  it('favours supporting-industry suppliers of small rural buyers and lead firms', () => {
    for (const kind of ['cooperative', 'household_business', 'rural_industrial_establishment']) {
      expect(policy(kind, { supportingIndustry: true }).value).toBe(1);
    }
    expect(policy('cooperative', { supportingIndustry: true })).toMatchObject({
      detail: 'supporting industry for a cooperative',
      detailVi: 'công nghiệp hỗ trợ cho hợp tác xã',
    });
    expect(policy('enterprise', { supportingIndustry: true }).value).toBe(0);
    expect(policy('cooperative', { supportingIndustry: false }).value).toBe(0);
    expect(policy('enterprise', { leadFirm: true })).toMatchObject({
      value: 0.5,
      detail: 'lead firm',
      detailVi: 'doanh nghiệp dẫn dắt',
    });
    expect(policy('household_business', { supportingIndustry: true, leadFirm: true })).toMatchObject({
      value: 1,
      detail: 'supporting industry for a household business, lead firm',
    });
  });
});

describe('trust, freshness, responsiveness', () => {
  it('trust: 1 when the supplier is verified, else 0.3', () => {
    expect(value('trust', {}, {}, {}, { verified: true })).toBe(1);
    expect(component('trust', {}, {}, {}, { verified: false })).toMatchObject({
      value: 0.3,
      detail: 'unverified supplier',
      detailVi: 'nhà cung ứng chưa xác minh',
    });
  });

  it('freshness: 1 up to 30 days, 0.3 from 365, linear between', () => {
    const fresh = (days: number) => value('freshness', {}, { postedAt: daysFromNow(-days) });
    expect(fresh(0)).toBe(1);
    expect(fresh(30)).toBe(1);
    expect(fresh(197.5)).toBeCloseTo(0.65, 12);
    expect(fresh(365)).toBe(0.3);
    expect(fresh(1000)).toBe(0.3);
    expect(fresh(-3)).toBe(1);
    expect(component('freshness', {}, { postedAt: NOW })).toMatchObject({ detail: 'posted today' });
    expect(component('freshness', {}, { postedAt: new Date(NOW.getTime() - DAY) })).toMatchObject({
      detail: 'posted 1 day ago',
      detailVi: 'đăng 1 ngày trước',
    });
  });

  it('responsiveness: the supplier share, 0.7 without history', () => {
    expect(value('responsiveness', {}, {}, {}, { responsiveness: 0.25 })).toBe(0.25);
    expect(value('responsiveness', {}, {}, {}, { responsiveness: 0 })).toBe(0);
    expect(component('responsiveness', {}, {}, {}, { responsiveness: undefined })).toMatchObject({
      value: 0.7,
      detail: 'no proposal history',
      detailVi: 'chưa có lịch sử phản hồi đề xuất',
    });
  });
});

describe('hard filters', () => {
  it('lists closed, expired and same enterprise together', () => {
    const verdict = scorePair(
      demand({ open: false, enterpriseId: 'E-X' }),
      supply({ enterpriseId: 'E-X', validUntil: NOW }),
      buyer({ enterpriseId: 'E-X' }),
      supplier({ enterpriseId: 'E-X' }),
      NOW,
    );
    expect(verdict).toEqual({
      ok: false,
      exclusions: [
        { reason: 'closed', detail: 'need is closed', detailVi: 'nhu cầu đã đóng' },
        {
          reason: 'expired',
          detail: 'capability expired 2025-09-01',
          detailVi: 'năng lực hết hạn ngày 01/09/2025',
        },
        {
          reason: 'same_enterprise',
          detail: 'need and capability belong to the same enterprise',
          detailVi: 'nhu cầu và năng lực thuộc cùng một doanh nghiệp',
        },
      ],
    });
  });

  it('names both postings when both are closed or expired', () => {
    const verdict = scorePair(
      demand({ open: false, validUntil: daysFromNow(-1) }),
      supply({ open: false, validUntil: daysFromNow(-2) }),
      buyer(),
      supplier(),
      NOW,
    );
    if (verdict.ok) throw new Error('expected exclusions');
    expect(verdict.exclusions.map((e) => e.detail)).toEqual([
      'need and capability are closed',
      'need expired 2025-08-31, capability expired 2025-08-30',
    ]);
  });

  it('lists excluded province, not served, missing certification and no product fit together', () => {
    const verdict = scorePair(
      demand({
        excludedProvinces: ['24'],
        requiredCertifications: ['ISO_9001', 'OCOP:4'],
        hsCodes: ['0901'],
        tokens: ['ca', 'phe', 'rang', 'xay', 'hat'],
      }),
      supply({ servedProvinces: ['79'], servedRegions: ['MD'], certifications: ['OCOP:3'] }),
      buyer(),
      supplier({ recognitions: ['HACCP'] }),
      NOW,
    );
    expect(verdict).toEqual({
      ok: false,
      exclusions: [
        {
          reason: 'excluded_province',
          detail: 'the buyer excludes suppliers in Bắc Ninh',
          detailVi: 'bên mua loại trừ nhà cung ứng ở Bắc Ninh',
        },
        {
          reason: 'not_served',
          detail: 'the capability does not serve Hà Nội',
          detailVi: 'năng lực không phục vụ Hà Nội',
        },
        {
          reason: 'missing_certification',
          detail: 'missing ISO_9001, OCOP:4',
          detailVi: 'thiếu chứng nhận ISO_9001, OCOP:4',
        },
        {
          reason: 'no_product_fit',
          detail: 'no shared HS or VSIC code and keywords overlap 0% (< 20%)',
          detailVi: 'không trùng mã HS hoặc VSIC và từ khóa chỉ trùng 0% (< 20%)',
        },
      ],
    });
  });

  it('expires at validUntil itself', () => {
    expect(reasons(scorePair(demand({ validUntil: NOW }), supply(), buyer(), supplier(), NOW))).toEqual([
      'expired',
    ]);
    expect(
      scorePair(demand({ validUntil: new Date(NOW.getTime() + 1) }), supply(), buyer(), supplier(), NOW).ok,
    ).toBe(true);
  });

  it('reads the excluded province from the supplier party', () => {
    const excluded = { excludedProvinces: ['92'] };
    expect(
      reasons(scorePair(demand(excluded), supply(), buyer(), supplier({ province: '92' }), NOW)),
    ).toEqual(['excluded_province']);
    expect(scorePair(demand(excluded), supply({ province: '92' }), buyer(), supplier(), NOW).ok).toBe(true);
  });

  it('serves a buyer by province or by region, and everyone when both lists are empty', () => {
    const served = (s: Partial<Supply>) => scorePair(demand(), supply(s), buyer(), supplier(), NOW).ok;
    expect(served({})).toBe(true);
    expect(served({ servedProvinces: ['01'] })).toBe(true);
    expect(served({ servedRegions: ['RRD'] })).toBe(true);
    expect(served({ servedProvinces: ['79'], servedRegions: ['RRD'] })).toBe(true);
    expect(served({ servedProvinces: ['24'] })).toBe(false);
    expect(served({ servedRegions: ['SE', 'MD'] })).toBe(false);
  });

  it('accepts keywords alone as a product fit from a Jaccard of 0.2', () => {
    const noCodes = { hsCodes: [], vsicCodes: [] };
    const pair = (dTokens: string[], sTokens: string[]) =>
      scorePair(
        demand({ ...noCodes, tokens: dTokens }),
        supply({ ...noCodes, tokens: sTokens }),
        buyer(),
        supplier(),
        NOW,
      );
    // 1 shared of 5 = 0.2
    expect(pair(['a1', 'b1', 'c1'], ['a1', 'd1', 'e1']).ok).toBe(true);
    const short = pair(['a1', 'b1', 'c1'], ['a1', 'd1', 'e1', 'f1']);
    expect(reasons(short)).toEqual(['no_product_fit']);
    if (short.ok) throw new Error('expected exclusions');
    expect(short.exclusions[0]?.detail).toBe('no shared HS or VSIC code and keywords overlap 17% (< 20%)');
  });
});

describe('certifications', () => {
  const missing = (required: string[], onSupply: string[], recognitions: string[] = []) => {
    const verdict = scorePair(
      demand({ requiredCertifications: required }),
      supply({ certifications: onSupply }),
      buyer(),
      supplier({ recognitions }),
      NOW,
    );
    return reasons(verdict).includes('missing_certification');
  };

  it('satisfies OCOP:N with OCOP:M when M >= N', () => {
    expect(missing(['OCOP:4'], ['OCOP:5'])).toBe(false);
    expect(missing(['OCOP:4'], ['OCOP:4'])).toBe(false);
    expect(missing(['OCOP:4'], ['OCOP:3'])).toBe(true);
    expect(missing(['OCOP:4'], ['OCOP:3', 'OCOP:5'])).toBe(false);
  });

  it('satisfies plain OCOP with any level, but not a level with plain OCOP', () => {
    expect(missing(['OCOP'], ['OCOP:3'])).toBe(false);
    expect(missing(['OCOP'], ['OCOP'])).toBe(false);
    expect(missing(['OCOP:3'], ['OCOP'])).toBe(true);
    expect(missing(['OCOP'], ['ISO_9001'])).toBe(true);
  });

  it('counts the supplier recognitions as well as the capability certifications', () => {
    expect(missing(['ISO_9001', 'OCOP:4'], ['ISO_9001'], ['OCOP:5'])).toBe(false);
    expect(missing(['HACCP'], [], ['HACCP'])).toBe(false);
    expect(missing(['HACCP'], ['ISO_22000'], ['ISO_9001'])).toBe(true);
  });

  it('compares non-numeric levels exactly', () => {
    expect(missing(['TYPICAL_RURAL_PRODUCT:national'], ['TYPICAL_RURAL_PRODUCT:national'])).toBe(false);
    expect(missing(['TYPICAL_RURAL_PRODUCT:national'], ['TYPICAL_RURAL_PRODUCT:provincial'])).toBe(true);
    expect(missing(['TYPICAL_RURAL_PRODUCT'], ['TYPICAL_RURAL_PRODUCT:provincial'])).toBe(false);
  });
});

describe('explainPair', () => {
  it('returns the verdict and all nine components even when the pair is excluded', () => {
    const explained = explainPair(demand({ open: false }), supply(), buyer(), supplier(), NOW);
    expect(explained.verdict.ok).toBe(false);
    expect(explained.components.map((c) => c.name)).toEqual([
      'product',
      'keywords',
      'capacity',
      'lead_time',
      'geography',
      'policy',
      'trust',
      'freshness',
      'responsiveness',
    ]);
    expect(explained.components[0]).toMatchObject({ value: 0.75, contribution: 0.75 * 0.35 });
  });

  it('returns the same verdict as scorePair', () => {
    const explained = explainPair(demand(), supply(), buyer(), supplier(), NOW);
    const verdict = scorePair(demand(), supply(), buyer(), supplier(), NOW);
    expect(explained.verdict).toEqual(verdict);
    if (!verdict.ok) throw new Error('expected a match');
    expect(explained.components).toEqual(verdict.match.components);
  });
});

describe('rankScore', () => {
  it('agrees with scorePair on every pair of a random data set, and prunes only below the bar', () => {
    const world = randomWorld(31, 150, 40);
    let ranked = 0;
    for (const d of world.demands) {
      const pd = prepareDemand(d);
      const b = partyIn(world, d.enterpriseId);
      for (const s of world.supplies) {
        const p = partyIn(world, s.enterpriseId);
        const verdict = scorePair(d, s, b, p, NOW);
        const score = rankScore(pd, prepareSupply(s), b, p, NOW.getTime(), defaultWeights, 1, 1, 0);
        expect(score).toBe(verdict.ok ? verdict.match.score : NOT_RANKED);
        if (!verdict.ok) continue;
        ranked++;
        const s1 = verdict.match.score;
        expect(rankScore(pd, prepareSupply(s), b, p, NOW.getTime(), defaultWeights, 1, 1, s1)).toBe(s1);
      }
    }
    expect(ranked).toBeGreaterThan(500);
  });

  it('prunes a pair whose bound is under the bar', () => {
    const pd = prepareDemand(demand());
    const ps = prepareSupply(supply());
    const at = (productCap: number, geographyCap: number, bar: number) =>
      rankScore(pd, ps, buyer(), supplier(), NOW.getTime(), defaultWeights, productCap, geographyCap, bar);
    expect(at(0.75, 0.75, 0.8025)).toBe(0.8025);
    // With product and geography capped at 1 the bound is 0.8025 + 0.35 × 0.25 + 0.15 × 0.25 = 0.9275.
    expect(at(1, 1, 0.9275)).toBe(0.8025);
    expect(at(1, 1, 0.9276)).toBe(NOT_RANKED);
    expect(at(0.75, 0.75, 0.81)).toBe(NOT_RANKED);
  });
});
