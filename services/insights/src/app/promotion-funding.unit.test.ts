import { nonStateShareBp, promotionFundingRow } from './promotion-funding';

describe('the non-state share of promotion money', () => {
  it('is counterpart plus sponsors over the cost, in basis points rounded down', () => {
    const row = promotionFundingRow(
      { province: '24', line: 'cleaner_production' },
      [2, 3_000_000_000, 1_000_000_000, 1_500_000_000, 500_000_000],
    );
    expect(row).toMatchObject({
      province: '24',
      line: 'cleaner_production',
      schemes: 2,
      nonStateVnd: 2_000_000_000,
      nonStateShareBp: 6666,
    });
  });

  it('is 0 without money, and 10000 without state money', () => {
    expect(nonStateShareBp(0, 0)).toBe(0);
    expect(nonStateShareBp(5, 5)).toBe(10_000);
    expect(promotionFundingRow({}, []).nonStateShareBp).toBe(0);
  });
});
