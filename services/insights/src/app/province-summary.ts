import { type insightsServiceV1 as api, insightsV1 as v1 } from '@lienket/contracts';
import { invalidArgument } from '@lienket/platform/errors';
import { resolveProvinceCode } from '@lienket/reference';
import { criteriaOf, type FilterInput } from '../domain/criteria';
import { provinceLabel, regionLabel } from '../domain/places';
import { type Figures, keyed } from './figures';
import type { makeLeadFirms } from './lead-firms';
import { enterpriseColumns, linkages } from './measures';
import type { makePostingTables } from './posting-tables';
import type { makeProposalFunnel } from './proposal-funnel';
import { provinceRegion } from './province-pairs';

type Parts = ReturnType<typeof makePostingTables> &
  ReturnType<typeof makeProposalFunnel> &
  ReturnType<typeof makeLeadFirms>;

/** One province's page: every figure above narrowed to it, its partners, firms and clusters. */
export function makeProvinceSummary({ store, sums }: Figures, parts: Parts) {
  const { openPostings, unmetDemand, funnel, uptake, linkageMatrix, leadFirms } = parts;

  async function provinceSummary(
    province: string,
    filter: Partial<FilterInput> | undefined,
    leadFirmsLimit: number,
  ) {
    const resolved = resolveProvinceCode(province.trim());
    if (!resolved)
      throw invalidArgument([
        {
          field: 'province',
          reason: province.trim() ? 'unknown_province' : 'required',
          description: province.trim() ? `unknown province ${province}` : 'a province is required',
          descriptionVi: province.trim() ? `không có tỉnh ${province}` : 'cần chọn một tỉnh',
        },
      ]);
    const code = resolved.code;
    const c = criteriaOf({ ...filter, province: code, region: '' });
    const region = provinceRegion(code);
    const [postings, unmet, funnelRows, tech, cleanerTech, matrix, share, firms, counts, clusters] =
      await Promise.all([
        openPostings(c, 'province'),
        unmetDemand(c, 'province'),
        funnel(c, 'province'),
        uptake(c, 'province', false),
        uptake(c, 'province', true),
        linkageMatrix(c),
        Promise.all(['intraRegion', 'crossRegion'].map((sum) => sums({ ...linkages, sum }, c, undefined))),
        leadFirms(c, leadFirmsLimit),
        Promise.all(
          (Object.keys(enterpriseColumns) as (keyof typeof enterpriseColumns)[]).map(async (name) => [
            name,
            (await sums(enterpriseColumns[name], c, undefined)).get('') ?? 0,
          ]),
        ),
        store.sum({
          kind: 'cluster',
          match: {},
          stages: [{ unwind: 'members' }, { match: { 'members.province': code, 'members.active': true } }],
          by: ['_id'],
        }),
      ]);
    const pick = <T extends { key: string }>(rows: T[], fallback: T) =>
      rows.find((r) => r.key === code) ?? fallback;
    const here = keyed('province', code);

    const partners = new Map<string, { buysFrom: number; suppliesTo: number; linkages: number }>();
    let asBuyer = 0;
    let asSupplier = 0;
    let intraProvince = 0;
    for (const cell of matrix.rows) {
      const buying = cell.buyerProvince === code;
      const supplying = cell.supplierProvince === code;
      const partner = buying ? cell.supplierProvince : cell.buyerProvince;
      const entry = partners.get(partner) ?? { buysFrom: 0, suppliesTo: 0, linkages: 0 };
      if (buying) {
        asBuyer += cell.linkages;
        entry.buysFrom += cell.linkages;
      }
      if (supplying) {
        asSupplier += cell.linkages;
        entry.suppliesTo += cell.linkages;
      }
      if (buying && supplying) intraProvince += cell.linkages;
      entry.linkages += cell.linkages;
      partners.set(partner, entry);
    }
    const [intraRegion, crossRegion] = share.map((m) => m.get('') ?? 0);

    const response: Omit<api.GetProvinceSummaryResponse, 'rows'> = {
      province: code,
      provinceName: provinceLabel(code).nameVi,
      region,
      regionName: regionLabel(region).name,
      postings: pick(postings.rows, v1.PostingsRow.fromPartial(here)),
      unmetDemand: pick(unmet.rows, v1.UnmetDemandRow.fromPartial(here)),
      funnel: pick(funnelRows.rows, v1.FunnelRow.fromPartial(here)),
      techTransfer: pick(tech.rows, v1.UptakeRow.fromPartial(here)),
      cleanerTechTransfer: pick(cleanerTech.rows, v1.UptakeRow.fromPartial(here)),
      linkages: v1.ProvinceLinkages.fromPartial({
        linkages: matrix.totalLinkages,
        asBuyer,
        asSupplier,
        intraProvince,
        intraRegion: intraRegion ?? 0,
        crossRegion: crossRegion ?? 0,
      }),
      partners: [...partners.entries()]
        .map(([partner, p]) =>
          v1.PartnerRow.fromPartial({
            partnerProvince: partner,
            partnerProvinceName: provinceLabel(partner).nameVi,
            partnerRegion: provinceRegion(partner),
            ...p,
          }),
        )
        .sort((a, b) => b.linkages - a.linkages || a.partnerProvince.localeCompare(b.partnerProvince)),
      leadFirms: firms,
      enterprises: v1.EnterpriseCounts.fromPartial(Object.fromEntries(counts)),
      clusters: v1.ClusterCounts.fromPartial({
        clusters: clusters.length,
        members: clusters.reduce((total, r) => total + r.value, 0),
      }),
    };
    return { ...response, rows: summaryRows(response) };
  }

  return { provinceSummary };
}

const snake = (name: string) => name.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

/** Every numeric (and boolean) figure of a summary as (section, key, metric, value). */
export function summaryRows(s: Omit<api.GetProvinceSummaryResponse, 'rows'>): v1.SummaryRow[] {
  const rows: v1.SummaryRow[] = [];
  const add = (section: string, key: string, values: object | undefined, skip: readonly string[] = []) => {
    for (const [metric, value] of Object.entries(values ?? {})) {
      if (skip.includes(metric)) continue;
      if (typeof value === 'number') rows.push({ section, key, metric: snake(metric), value });
      else if (typeof value === 'boolean')
        rows.push({ section, key, metric: snake(metric), value: value ? 1 : 0 });
    }
  };
  add('postings', '', s.postings);
  add('unmet_demand', '', s.unmetDemand);
  add('funnel', '', s.funnel);
  add('tech_transfer', '', s.techTransfer);
  add('cleaner_tech_transfer', '', s.cleanerTechTransfer);
  add('linkages', '', s.linkages);
  for (const p of s.partners) add('partners', p.partnerProvince, p);
  for (const f of s.leadFirms) add('lead_firms', f.enterpriseId, f);
  add('enterprises', '', s.enterprises);
  add('clusters', '', s.clusters);
  return rows;
}
