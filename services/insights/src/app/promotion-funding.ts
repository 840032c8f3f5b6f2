import { insightsServiceV1 as v1 } from '@lienket/contracts';
import type { Criteria } from '../domain/criteria';
import { type Figures, type Group, KEY_SEPARATOR, type Measure } from './figures';

/** The money of schemes approved into a plan and not cancelled; the period applies to the approval. */
const committedSchemes: Measure = {
  kind: 'scheme',
  time: 'approvedAt',
  province: 'province',
  region: 'region',
  sectors: false,
  where: { committed: 1 },
};
const sums = ['', 'costVnd', 'stateVnd', 'counterpartVnd', 'sponsorVnd'] as const;

/** The non-state share in basis points, rounded down; 0 without money. */
export const nonStateShareBp = (nonState: number, cost: number) =>
  cost > 0 ? Math.floor((nonState * 10_000) / cost) : 0;

export function promotionFundingRow(
  keys: { province?: string; line?: string; period?: string },
  [schemes = 0, cost = 0, state = 0, counterpart = 0, sponsor = 0]: readonly number[],
): v1.PromotionFundingRow {
  const nonState = counterpart + sponsor;
  return v1.PromotionFundingRow.fromPartial({
    ...keys,
    schemes,
    costVnd: cost,
    stateVnd: state,
    counterpartVnd: counterpart,
    sponsorVnd: sponsor,
    nonStateVnd: nonState,
    nonStateShareBp: nonStateShareBp(nonState, cost),
  });
}

/**
 * How much of the promotion money is not state budget (the beneficiaries' counterpart and sponsors'
 * pledges), by province and support line, by half-year of approval, and in all: five sums (one
 * accumulator each, FerretDB) per grouping.
 */
export function makePromotionFunding({ sums: sum }: Figures) {
  const by = (c: Criteria, group: Group) =>
    Promise.all(sums.map((s) => sum(s ? { ...committedSchemes, sum: s } : committedSchemes, c, group)));
  async function promotionFunding(c: Criteria) {
    const [cells, halves, total] = await Promise.all([
      by(c, { fields: ['province', 'line'] }),
      by(c, { fields: ['half'] }),
      by(c, undefined),
    ]);
    const keysOf = (maps: Map<string, number>[]) => [...new Set(maps.flatMap((m) => [...m.keys()]))].sort();
    const values = (maps: Map<string, number>[], key: string) => maps.map((m) => m.get(key) ?? 0);
    return {
      rows: keysOf(cells).map((key) => {
        const [province = '', line = ''] = key.split(KEY_SEPARATOR);
        return promotionFundingRow({ province, line }, values(cells, key));
      }),
      byHalfYear: keysOf(halves).map((period) => promotionFundingRow({ period }, values(halves, period))),
      total: promotionFundingRow({}, values(total, '')),
    };
  }
  return { promotionFunding };
}
