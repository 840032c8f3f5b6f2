import { insightsV1 as v1 } from '@lienket/contracts';
import type { Criteria } from '../domain/criteria';
import { provinceLabel } from '../domain/places';
import { type Figures, sumQuery } from './figures';
import { linkages } from './measures';
import type { Condition } from './ports';
import { provinceRegion } from './province-pairs';

/** The enterprises in the most linkages, as buyer and as supplier. */
export function makeLeadFirms({ store }: Figures) {
  async function leadFirms(c: Criteria, limit: number) {
    const partyStages: { match: Condition }[] = [];
    if (c.province) partyStages.push({ match: { 'parties.province': c.province } });
    if (c.region) partyStages.push({ match: { 'parties.region': c.region } });
    const base = sumQuery(linkages, c, undefined);
    const stages = [{ unwind: 'parties' }, ...partyStages];
    const top = await store.sum({ ...base, stages, by: ['parties.id'], top: limit });
    const ids = top.map((r) => r.key[0] ?? '').filter(Boolean);
    if (ids.length === 0) return [];
    const only = { match: { 'parties.id': { $in: ids } } };
    const [roles, places, facts] = await Promise.all([
      store.sum({ ...base, stages: [...stages, only], by: ['parties.id', 'parties.role'] }),
      store.sum({ ...base, stages: [...stages, only], by: ['parties.id', 'parties.province'] }),
      store.find('enterprise', { _id: { $in: ids } }),
    ]);
    const role = (id: string, which: string) =>
      roles.find((r) => r.key[0] === id && r.key[1] === which)?.value ?? 0;
    return top.map((r, index) => {
      const id = r.key[0] ?? '';
      const fact = facts.find((f) => f._id === id);
      // The registry's province; else where the linkages put it (the most frequent).
      const linkageProvince =
        places.filter((p) => p.key[0] === id).sort((a, b) => b.value - a.value)[0]?.key[1] ?? '';
      const province = fact?.province ?? linkageProvince;
      return v1.LeadFirmRow.fromPartial({
        rank: index + 1,
        enterpriseId: id,
        name: fact?.name ?? '',
        province,
        provinceName: provinceLabel(province).nameVi,
        region: fact?.region ?? provinceRegion(province),
        leadFirm: fact?.isLeadFirm ?? false,
        linkages: r.value,
        asBuyer: role(id, 'buyer'),
        asSupplier: role(id, 'supplier'),
      });
    });
  }

  return { leadFirms };
}
