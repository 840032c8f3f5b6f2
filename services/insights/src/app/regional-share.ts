import { insightsV1 as v1 } from '@lienket/contracts';
import type { Criteria } from '../domain/criteria';
import { regionLabel } from '../domain/places';
import { type Figures, type Measure, ratio } from './figures';
import { linkages } from './measures';

/** Linkages within a region, across regions and within a province, per region. */
export function makeRegionalShare({ sums }: Figures) {
  async function regionalShare(c: Criteria) {
    const figures = ['', 'intraRegion', 'crossRegion', 'intraProvince'] as const;
    const measure = (sum: string): Measure => (sum ? { ...linkages, sum } : linkages);
    const [perRegion, overall] = await Promise.all([
      Promise.all(figures.map((f) => sums(measure(f), c, { dimension: 'region' }))),
      Promise.all(figures.map((f) => sums(measure(f), c, undefined))),
    ]);
    const row = (region: string, values: number[]) => {
      const [count = 0, intra = 0, cross = 0, intraProvince = 0] = values;
      const label = region ? regionLabel(region) : { name: 'all regions', nameVi: 'cả nước' };
      return v1.RegionalShareRow.fromPartial({
        region,
        regionName: label.name,
        regionNameVi: label.nameVi,
        linkages: count,
        intraRegion: intra,
        crossRegion: cross,
        intraProvince,
        intraRegionShare: ratio(intra, count),
        crossRegionShare: ratio(cross, count),
      });
    };
    const regionKeys = [...new Set(perRegion.flatMap((m) => [...m.keys()]))].sort();
    return {
      rows: regionKeys.map((key) =>
        row(
          key,
          perRegion.map((m) => m.get(key) ?? 0),
        ),
      ),
      overall: row(
        '',
        overall.map((m) => m.get('') ?? 0),
      ),
    };
  }

  return { regionalShare };
}
