import { isAppError } from '@lienket/platform';
import { criteriaOf, inPeriod, monthOf, monthStart } from './criteria';

describe('months', () => {
  it('start at midnight Vietnam time (17:00 UTC the day before)', () => {
    expect(monthStart('2025-09')).toEqual(new Date('2025-08-31T17:00:00Z'));
    expect(monthStart('2025-12', 1)).toEqual(new Date('2025-12-31T17:00:00Z'));
    expect(monthStart('2025-13')).toBeUndefined();
    expect(monthStart('2025-9')).toBeUndefined();
  });

  it('put an instant in the month it is in Vietnam', () => {
    expect(monthOf(new Date('2025-08-31T16:59:59Z'))).toBe('2025-08');
    expect(monthOf(new Date('2025-08-31T17:00:00Z'))).toBe('2025-09');
  });

  it('make a period of a month range, both ends included', () => {
    const { period } = criteriaOf({ fromMonth: '2025-08', toMonth: '2025-09' });
    expect(period).toEqual({
      start: new Date('2025-07-31T17:00:00Z'),
      end: new Date('2025-09-30T17:00:00Z'),
    });
    expect(inPeriod(new Date('2025-09-30T16:59:59Z'), period)).toBe(true);
    expect(inPeriod(new Date('2025-09-30T17:00:00Z'), period)).toBe(false);
    expect(inPeriod(new Date('2025-07-31T17:00:00Z'), period)).toBe(true);
    expect(criteriaOf({}).period).toEqual({});
  });
});

describe('filters', () => {
  it('normalise codes: a legacy province, lower-case region and section letter', () => {
    expect(
      criteriaOf({ province: '27', region: 'rrd', vsicPrefix: 'c', hsPrefix: '4819', category: 'Material' }),
    ).toEqual({
      period: {},
      province: '24',
      region: 'RRD',
      vsicPrefix: 'C',
      hsPrefix: '4819',
      category: 'material',
    });
  });

  it('report every bad field at once', () => {
    let error: unknown;
    try {
      criteriaOf({
        fromMonth: '2025-10',
        toMonth: '2025-09',
        province: '99',
        region: 'XX',
        vsicPrefix: '2',
        hsPrefix: 'ab',
        category: 'food',
      });
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error) && error.kind).toBe('INVALID_ARGUMENT');
    expect(isAppError(error) && error.violations.map((v) => `${v.field}:${v.reason}`)).toEqual([
      'filter.to_month:period_reversed',
      'filter.vsic_prefix:invalid_vsic_prefix',
      'filter.hs_prefix:invalid_hs_prefix',
      'filter.province:unknown_province',
      'filter.region:unknown_region',
      'filter.category:unknown_category',
    ]);
  });

  it('reject a month that is not YYYY-MM', () => {
    expect(() => criteriaOf({ fromMonth: '08/2025' })).toThrow(/filter.from_month/);
    expect(() => criteriaOf({ toMonth: '2025-00' })).toThrow(/filter.to_month/);
  });
});
