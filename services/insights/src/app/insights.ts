import { type insightsServiceV1 as api, insightsV1 as v1 } from '@lienket/contracts';
import { invalidArgument } from '@lienket/platform/errors';
import { regionOf, resolveProvinceCode } from '@lienket/reference';
import { type Criteria, criteriaOf, type Dimension, type FilterInput, type Period } from '../domain/criteria';
import {
  divisionsUnder,
  hsChapterLabel,
  type Label,
  provinceLabel,
  regionLabel,
  vsicDivisionLabel,
} from '../domain/places';
import type { FactKind } from '../domain/rules';
import type { SliceDimension } from '../domain/slices';
import type { Condition, FactStore, SumQuery } from './ports';

/**
 * The read models. Every figure is one $match/$unwind/$group over fact documents, computed when
 * asked: nothing is counted ahead, so a replay into a fresh store answers the same.
 */

/** One figure: which facts, which of their times the period applies to, what is added up. */
interface Measure {
  kind: FactKind;
  /** The time the period applies to (a slice's `at` with `sliceTime`). */
  time: string;
  /** Open at the end of the period: posted before it ends, not ended by then. */
  stock?: boolean;
  /** Everything up to the end of the period. */
  cumulative?: boolean;
  /** Numeric field to add up (of the document, or of the slice when grouped by slices); else a count. */
  sum?: string;
  /** Where the province and region filters look (a field or an array of codes). */
  province: string;
  region: string;
  /** Dimensions held in a scalar field of the document; the others are read from slices. */
  scalar?: Partial<Record<Dimension, string>>;
  /** The array of slices (default `slices`). */
  slices?: string;
  /** The period applies to each slice's `at` (happenings kept in the fact: renewals). */
  sliceTime?: boolean;
  /** Carries a need category. */
  category?: boolean;
  /** Carries the cleaner-production / pollution-treatment flag. */
  cleaner?: boolean;
  /** Carries sector codes (default true). */
  sectors?: boolean;
  where?: Condition;
}

/** Rows by a dimension, by fields of the document (a matrix), or one total. */
type Group = { dimension: Dimension } | { fields: readonly string[] } | undefined;

const KEY_SEPARATOR = '\u001f';

const sliceOf: Record<Dimension, SliceDimension> = {
  province: 'province',
  region: 'region',
  vsic_division: 'vsic',
  hs_chapter: 'hs',
};

function periodCondition({ start, end }: Period): Condition {
  if (!start && !end) return { $exists: true };
  return { ...(start ? { $gte: start } : {}), ...(end ? { $lt: end } : {}) };
}

function baseMatch(m: Measure, c: Criteria, cleanerOnly: boolean): Condition {
  const q: Condition = { ...(m.where ?? {}) };
  const end = c.period.end;
  if (m.stock) {
    q[m.time] = end ? { $lt: end } : { $exists: true };
    if (end) q.$or = [{ endedAt: { $exists: false } }, { endedAt: { $gte: end } }];
    else q.endedAt = { $exists: false };
  } else if (m.cumulative) {
    q[m.time] = end ? { $lt: end } : { $exists: true };
  } else if (!m.sliceTime) {
    q[m.time] = periodCondition(c.period);
  }
  if (m.sectors !== false) {
    if (c.vsicPrefix) q.vsicPrefixes = c.vsicPrefix;
    if (c.hsPrefix) q.hsPrefixes = c.hsPrefix;
  }
  if (c.province) q[m.province] = c.province;
  if (c.region) q[m.region] = c.region;
  if (c.category && m.category) q.category = c.category;
  if (cleanerOnly && m.cleaner) q.cleaner = true;
  return q;
}

/** A slice key the filter names keeps only the named value: a Bắc Ninh–Hà Nội proposal filtered to Bắc Ninh is one Bắc Ninh row. */
function narrowed(slice: SliceDimension, c: Criteria): Condition {
  if (slice === 'province' && c.province) return { k: c.province };
  if (slice === 'region' && c.region) return { k: c.region };
  if (slice === 'vsic' && c.vsicPrefix) return { k: { $in: divisionsUnder(c.vsicPrefix) } };
  if (slice === 'hs' && c.hsPrefix) return { k: c.hsPrefix.slice(0, 2) };
  return {};
}

/**
 * The query of one measure: the document $match, then, when grouping by an array dimension (or
 * counting happenings kept in slices), $unwind of the slices and a $match on the unwound entry
 * only; the group keys and the sum come from the entry too (see slices.ts).
 */
function sumQuery(
  m: Measure,
  c: Criteria,
  group: Group,
  options: { extra?: readonly string[]; cleanerOnly?: boolean } = {},
): SumQuery {
  const extra = options.extra ?? [];
  const match = baseMatch(m, c, options.cleanerOnly ?? false);
  const dimension = group && 'dimension' in group ? group.dimension : undefined;
  const scalar = dimension ? m.scalar?.[dimension] : undefined;
  const slice: SliceDimension | undefined =
    dimension && !scalar ? sliceOf[dimension] : m.sliceTime ? 'all' : undefined;
  if (!slice) {
    const keys = group && 'fields' in group ? group.fields : scalar ? [scalar] : [];
    return { kind: m.kind, match, by: [...keys, ...extra], ...(m.sum ? { sum: m.sum } : {}) };
  }
  const array = m.slices ?? 'slices';
  const entry: Condition = { d: slice, ...narrowed(slice, c) };
  if (m.sliceTime) entry.at = periodCondition(c.period);
  const prefixed = Object.fromEntries(
    Object.entries(entry).map(([key, value]) => [`${array}.${key}`, value]),
  );
  return {
    kind: m.kind,
    match,
    stages: [{ unwind: array }, { match: prefixed }],
    by: [...(slice === 'all' ? [] : [`${array}.k`]), ...extra.map((e) => `${array}.${e}`)],
    ...(m.sum ? { sum: `${array}.${m.sum}` } : {}),
  };
}

function labelOf(dimension: Dimension, key: string): Label {
  switch (dimension) {
    case 'province':
      return provinceLabel(key);
    case 'region':
      return regionLabel(key);
    case 'vsic_division':
      return vsicDivisionLabel(key);
    case 'hs_chapter':
      return hsChapterLabel(key);
  }
}

export function dimensionFromProto(value: v1.Dimension): Dimension {
  switch (value) {
    case v1.Dimension.DIMENSION_REGION:
      return 'region';
    case v1.Dimension.DIMENSION_VSIC_DIVISION:
      return 'vsic_division';
    case v1.Dimension.DIMENSION_HS_CHAPTER:
      return 'hs_chapter';
    default:
      return 'province';
  }
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0);

// ---- measures ------------------------------------------------------------------------------------

const placed = { province: 'province', region: 'region', scalar: { province: 'province', region: 'region' } };

const proposals: Measure = {
  kind: 'proposal',
  time: 'proposedAt',
  // A proposal has two provinces: filters match either, rows come from its province slices.
  province: 'provinces',
  region: 'regions',
  category: true,
  where: { described: true },
};
const linkages: Measure = { ...proposals, time: 'establishedAt' };

const needs: Measure = { kind: 'need', time: 'postedAt', ...placed, category: true };
const needEnds = (reason: string): Measure => ({
  ...needs,
  time: 'endedAt',
  where: { endReason: reason, postedAt: { $exists: true } },
});
const capabilities: Measure = { kind: 'capability', time: 'postedAt', ...placed };
const capabilityEnds = (reason: string): Measure => ({
  ...capabilities,
  time: 'endedAt',
  where: { endReason: reason, postedAt: { $exists: true } },
});

const postingColumns = {
  openNeeds: { ...needs, stock: true },
  openCapabilities: { ...capabilities, stock: true },
  needsPosted: needs,
  needsFulfilled: needEnds('fulfilled'),
  needsClosed: needEnds('closed'),
  needsExpired: needEnds('expired'),
  capabilitiesPosted: capabilities,
  capabilitiesWithdrawn: capabilityEnds('withdrawn'),
  capabilitiesExpired: capabilityEnds('expired'),
  capabilityRenewals: {
    kind: 'capability',
    time: 'at',
    province: 'province',
    region: 'region',
    slices: 'renewalSlices',
    sliceTime: true,
    where: { postedAt: { $exists: true } },
  },
} satisfies Record<string, Measure>;

const demand: Measure = { kind: 'demand', time: 'unmetAt', ...placed, category: true };
const demandColumns = {
  unmetNeeds: demand,
  noMatchAboveThreshold: { ...demand, time: 'noMatchAt' },
  expiredUnmatched: { ...demand, time: 'expiredUnmatchedAt' },
} satisfies Record<string, Measure>;

const by = (province: string, region: string) => ({
  province,
  region,
  scalar: { province, region },
  cleaner: true,
});
const byOwner = by('ownerProvince', 'ownerRegion');
const byAdopter = by('interestedProvince', 'interestedRegion');
const byApplicant = by('applicantProvince', 'applicantRegion');
const uptakeColumns = {
  offersPublished: { kind: 'offer', time: 'publishedAt', ...byOwner },
  requestsPosted: { kind: 'request', time: 'postedAt', ...by('province', 'region') },
  interestsExpressed: { kind: 'interest', time: 'expressedAt', ...byAdopter },
  interestsReceived: { kind: 'interest', time: 'expressedAt', ...byOwner },
  agreementsSigned: { kind: 'interest', time: 'agreementSignedAt', ...byAdopter },
  agreementValueVnd: { kind: 'interest', time: 'agreementSignedAt', sum: 'agreementValueVnd', ...byAdopter },
  cofundingRequested: { kind: 'cofunding', time: 'requestedAt', ...byApplicant },
  cofundingRequestedVnd: { kind: 'cofunding', time: 'requestedAt', sum: 'requestedVnd', ...byApplicant },
  cofundingApproved: { kind: 'cofunding', time: 'approvedAt', ...byApplicant },
  cofundingApprovedVnd: { kind: 'cofunding', time: 'approvedAt', sum: 'approvedVnd', ...byApplicant },
  cofundingRejected: { kind: 'cofunding', time: 'rejectedAt', ...byApplicant },
  cofundingDisbursedVnd: { kind: 'disbursement', time: 'at', sum: 'amountVnd', ...byApplicant },
} satisfies Record<string, Measure>;

const enterprises: Measure = {
  kind: 'enterprise',
  time: 'registeredAt',
  cumulative: true,
  ...placed,
  sectors: false,
};
const enterpriseColumns = {
  registered: enterprises,
  verified: { ...enterprises, where: { isVerified: true } },
  leadFirms: { ...enterprises, where: { isLeadFirm: true } },
  supportingIndustry: { ...enterprises, where: { supportingIndustry: true } },
} satisfies Record<string, Measure>;

// ---- the use cases -------------------------------------------------------------------------------

type Counts<C extends string> = Record<C, number>;

export interface InsightsDeps {
  store: FactStore;
}

export type Insights = ReturnType<typeof makeInsights>;

export function makeInsights({ store }: InsightsDeps) {
  async function sums(
    m: Measure,
    c: Criteria,
    group: Group,
    options: { extra?: readonly string[]; cleanerOnly?: boolean } = {},
  ) {
    const rows = await store.sum(sumQuery(m, c, group, options));
    return new Map(rows.map((r) => [r.key.join(KEY_SEPARATOR), r.value]));
  }

  /** Several measures by one dimension, and each once overall. */
  async function table<C extends string>(
    c: Criteria,
    dimension: Dimension,
    columns: Record<C, Measure>,
    cleanerOnly = false,
  ): Promise<{ rows: { key: string; values: Counts<C> }[]; total: Counts<C> }> {
    const names = Object.keys(columns) as C[];
    const [byKey, totals] = await Promise.all([
      Promise.all(names.map((n) => sums(columns[n], c, { dimension }, { cleanerOnly }))),
      Promise.all(names.map((n) => sums(columns[n], c, undefined, { cleanerOnly }))),
    ]);
    const keys = [...new Set(byKey.flatMap((m) => [...m.keys()]))].sort();
    const zero = () => Object.fromEntries(names.map((n) => [n, 0])) as Counts<C>;
    const rows = keys.map((key) => {
      const values = zero();
      names.forEach((n, i) => {
        values[n] = byKey[i]?.get(key) ?? 0;
      });
      return { key, values };
    });
    const total = zero();
    names.forEach((n, i) => {
      total[n] = totals[i]?.get('') ?? 0;
    });
    return { rows, total };
  }

  const keyed = (dimension: Dimension, key: string) => {
    const label = labelOf(dimension, key);
    return { dimension, key, name: label.name, nameVi: label.nameVi };
  };
  const totalKey = { dimension: 'total', key: '', name: 'total', nameVi: 'tổng' };

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
    getProvinceSummary: (
      province: string,
      filter: Partial<FilterInput> | undefined,
      leadFirmsLimit: number,
    ) => provinceSummary(province, filter, checkedLimit(leadFirmsLimit, 10, 50, 'lead_firms_limit')),
  };
}

function emptyOutcome() {
  return { proposed: 0, accepted: 0, established: 0, declined: 0, expired: 0, retracted: 0, open: 0 };
}

function provinceRegion(code: string): string {
  return resolveProvinceCode(code) ? (regionOf(code) ?? '') : '';
}

function pairLabels(buyer: string, supplier: string) {
  return {
    buyerProvince: buyer,
    buyerProvinceName: provinceLabel(buyer).nameVi,
    buyerRegion: provinceRegion(buyer),
    supplierProvince: supplier,
    supplierProvinceName: provinceLabel(supplier).nameVi,
    supplierRegion: provinceRegion(supplier),
  };
}

const byPair = (
  a: { buyerProvince: string; supplierProvince: string },
  b: { buyerProvince: string; supplierProvince: string },
) => a.buyerProvince.localeCompare(b.buyerProvince) || a.supplierProvince.localeCompare(b.supplierProvince);

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
