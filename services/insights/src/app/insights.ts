import { invalidArgument } from '@lienket/platform/errors';
import { criteriaOf, type Dimension, type FilterInput } from '../domain/criteria';
import { makeFigures } from './figures';
import { makeLeadFirms } from './lead-firms';
import type { FactStore } from './ports';
import { makePostingTables } from './posting-tables';
import { makePromotionFunding } from './promotion-funding';
import { makeProposalFunnel } from './proposal-funnel';
import { makeProvinceSummary } from './province-summary';
import { makeRegionalShare } from './regional-share';

export { dimensionFromProto } from './figures';
export { summaryRows } from './province-summary';

/**
 * The read models. Every figure is one $match/$unwind/$group over fact documents, computed when
 * asked: nothing is counted ahead, so a replay into a fresh store answers the same. One module per
 * figure: proposal-funnel (matrices, funnel), posting-tables (postings, unmet demand, uptake),
 * lead-firms, regional-share, province-summary, promotion-funding; figures.ts turns a measure into a store query.
 */
export interface InsightsDeps {
  store: FactStore;
}

export type Insights = ReturnType<typeof makeInsights>;

export function makeInsights({ store }: InsightsDeps) {
  const figures = makeFigures(store);
  const { linkageMatrix, proposalMatrix, funnel } = makeProposalFunnel(figures);
  const { openPostings, unmetDemand, uptake } = makePostingTables(figures);
  const { leadFirms } = makeLeadFirms(figures);
  const { regionalShare } = makeRegionalShare(figures);
  const { promotionFunding } = makePromotionFunding(figures);
  const { provinceSummary } = makeProvinceSummary(figures, {
    openPostings,
    unmetDemand,
    uptake,
    linkageMatrix,
    proposalMatrix,
    funnel,
    leadFirms,
  });

  return {
    getLinkageMatrix: (filter: Partial<FilterInput> | undefined) => linkageMatrix(criteriaOf(filter)),
    getProposalMatrix: (filter: Partial<FilterInput> | undefined) => proposalMatrix(criteriaOf(filter)),
    getFunnel: (filter: Partial<FilterInput> | undefined, dimension: Dimension) =>
      funnel(criteriaOf(filter), dimension),
    getOpenPostings: (filter: Partial<FilterInput> | undefined, dimension: Dimension) =>
      openPostings(criteriaOf(filter), dimension),
    getUnmetDemand: (filter: Partial<FilterInput> | undefined, dimension: Dimension) =>
      unmetDemand(criteriaOf(filter), dimension),
    getTechTransferUptake: (
      filter: Partial<FilterInput> | undefined,
      dimension: Dimension,
      cleanerOnly: boolean,
    ) => uptake(criteriaOf(filter), dimension, cleanerOnly),
    getLeadFirms: (filter: Partial<FilterInput> | undefined, limit: number) =>
      leadFirms(criteriaOf(filter), checkedLimit(limit, 20, 200, 'limit')),
    getRegionalShare: (filter: Partial<FilterInput> | undefined) => regionalShare(criteriaOf(filter)),
    getPromotionFunding: (filter: Partial<FilterInput> | undefined) => promotionFunding(criteriaOf(filter)),
    getProvinceSummary: (
      province: string,
      filter: Partial<FilterInput> | undefined,
      leadFirmsLimit: number,
    ) => provinceSummary(province, filter, checkedLimit(leadFirmsLimit, 10, 50, 'lead_firms_limit')),
  };
}

function checkedLimit(value: number, fallback: number, max: number, field: string): number {
  if (value === 0) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw invalidArgument([
      {
        field,
        reason: 'out_of_range',
        description: `${field} must be 1..${max} (0 means ${fallback})`,
        descriptionVi: `${field} phải từ 1 đến ${max} (0 là ${fallback})`,
      },
    ]);
  return value;
}
