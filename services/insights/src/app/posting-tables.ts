import { insightsV1 as v1 } from '@lienket/contracts';
import type { Criteria, Dimension } from '../domain/criteria';
import { type Figures, keyed, totalKey } from './figures';
import { demandColumns, postingColumns, uptakeColumns } from './measures';

/** Tables by a dimension: open postings, unmet demand, technology-transfer uptake. */
export function makePostingTables({ table }: Figures) {
  async function openPostings(c: Criteria, dimension: Dimension) {
    const { rows, total } = await table(c, dimension, postingColumns);
    return {
      rows: rows.map((r) => v1.PostingsRow.fromPartial({ ...keyed(dimension, r.key), ...r.values })),
      total: v1.PostingsRow.fromPartial({ ...totalKey, ...total }),
    };
  }

  async function unmetDemand(c: Criteria, dimension: Dimension) {
    const { rows, total } = await table(c, dimension, demandColumns);
    return {
      rows: rows.map((r) => v1.UnmetDemandRow.fromPartial({ ...keyed(dimension, r.key), ...r.values })),
      total: v1.UnmetDemandRow.fromPartial({ ...totalKey, ...total }),
    };
  }

  async function uptake(c: Criteria, dimension: Dimension, cleanerOnly: boolean) {
    const { rows, total } = await table(c, dimension, uptakeColumns, cleanerOnly);
    return {
      rows: rows.map((r) => v1.UptakeRow.fromPartial({ ...keyed(dimension, r.key), ...r.values })),
      total: v1.UptakeRow.fromPartial({ ...totalKey, ...total }),
    };
  }

  return { openPostings, unmetDemand, uptake };
}
