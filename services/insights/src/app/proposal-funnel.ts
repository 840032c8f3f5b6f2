import { insightsV1 as v1 } from '@lienket/contracts';
import type { Criteria, Dimension } from '../domain/criteria';
import { type Figures, type Group, KEY_SEPARATOR, keyed, ratio, totalKey } from './figures';
import { linkages, proposals } from './measures';
import { byPair, pairLabels } from './province-pairs';

function emptyOutcome() {
  return { proposed: 0, accepted: 0, established: 0, declined: 0, expired: 0, retracted: 0, open: 0 };
}

/** Proposals and linkages: the province × province matrices and the funnel by a dimension. */
export function makeProposalFunnel({ sums }: Figures) {
  async function linkageMatrix(c: Criteria) {
    const [cells, total] = await Promise.all([
      sums(linkages, c, { fields: ['buyerProvince', 'supplierProvince'] }),
      sums(linkages, c, undefined),
    ]);
    const rows = [...cells.entries()]
      .map(([key, count]) => {
        const [buyer = '', supplier = ''] = key.split(KEY_SEPARATOR);
        return v1.LinkageCell.fromPartial({
          ...pairLabels(buyer, supplier),
          linkages: count,
        });
      })
      .sort(byPair);
    return { rows, totalLinkages: total.get('') ?? 0 };
  }

  /** proposed / accepted / established and outcomes, grouped by some fields. */
  async function outcomes(c: Criteria, group: Group) {
    const [byOutcome, accepted] = await Promise.all([
      sums(proposals, c, group, { extra: ['outcome'] }),
      sums({ ...proposals, sum: 'accepted' }, c, group),
    ]);
    const result = new Map<string, ReturnType<typeof emptyOutcome>>();
    for (const [key, count] of byOutcome) {
      const parts = key.split(KEY_SEPARATOR);
      const outcome = parts.pop() ?? '';
      const groupKey = parts.join(KEY_SEPARATOR);
      const entry = result.get(groupKey) ?? emptyOutcome();
      entry.proposed += count;
      if (outcome === 'established') entry.established += count;
      else if (outcome === 'declined') entry.declined += count;
      else if (outcome === 'expired') entry.expired += count;
      else if (outcome === 'retracted') entry.retracted += count;
      else entry.open += count;
      result.set(groupKey, entry);
    }
    for (const [key, entry] of result) entry.accepted = accepted.get(key) ?? 0;
    return result;
  }

  async function proposalMatrix(c: Criteria) {
    const [cells, overall] = await Promise.all([
      outcomes(c, { fields: ['buyerProvince', 'supplierProvince'] }),
      outcomes(c, undefined),
    ]);
    const cell = (buyer: string, supplier: string, o: ReturnType<typeof emptyOutcome>) =>
      v1.ProposalCell.fromPartial({
        ...(buyer || supplier ? pairLabels(buyer, supplier) : {}),
        ...o,
        acceptanceRate: ratio(o.accepted, o.proposed),
        establishmentRate: ratio(o.established, o.proposed),
      });
    const rows = [...cells.entries()]
      .map(([key, o]) => {
        const [buyer = '', supplier = ''] = key.split(KEY_SEPARATOR);
        return cell(buyer, supplier, o);
      })
      .sort(byPair);
    return { rows, total: cell('', '', overall.get('') ?? emptyOutcome()) };
  }

  async function funnel(c: Criteria, dimension: Dimension) {
    const [byKey, overall] = await Promise.all([outcomes(c, { dimension }), outcomes(c, undefined)]);
    const row = (
      head: { dimension: string; key: string; name: string; nameVi: string },
      o = emptyOutcome(),
    ) =>
      v1.FunnelRow.fromPartial({
        ...head,
        proposed: o.proposed,
        accepted: o.accepted,
        established: o.established,
        acceptanceRate: ratio(o.accepted, o.proposed),
        establishmentRate: ratio(o.established, o.proposed),
        conversionRate: ratio(o.established, o.accepted),
      });
    const rows = [...byKey.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, o]) => row(keyed(dimension, key), o));
    return { rows, overall: row(totalKey, overall.get('')) };
  }

  return { linkageMatrix, proposalMatrix, funnel };
}
