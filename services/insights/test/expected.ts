import { findVsicDivision, regionOf, resolveProvinceCode, vsicSections } from '@lienket/reference';
import {
  applications,
  capabilities,
  clusters,
  enterprises,
  interests,
  needs,
  offers,
  type ProposalSpec,
  proposals,
  requests,
  unmet,
} from './scenario';

/**
 * The figures every read model should give, computed straight from the scenario specs with plain
 * loops over calendar-month strings: no code shared with the service.
 */

export interface TestFilter {
  fromMonth?: string;
  toMonth?: string;
  vsicPrefix?: string;
  hsPrefix?: string;
  province?: string;
  region?: string;
  category?: string;
}

const month = (date: Date) => new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 7);
const within = (date: Date | undefined, f: TestFilter) =>
  date !== undefined &&
  (!f.fromMonth || month(date) >= f.fromMonth) &&
  (!f.toMonth || month(date) <= f.toMonth);
/** Open at the end of the period: posted by then and not ended by then. */
const openAtEnd = (posted: Date, ended: Date | undefined, f: TestFilter) =>
  (!f.toMonth || month(posted) <= f.toMonth) &&
  (!ended || (f.toMonth !== undefined && month(ended) > f.toMonth));

const provinceOf = (f: TestFilter) => (f.province ? resolveProvinceCode(f.province)?.code : undefined);

function sectorOk(vsic: string[], hs: string[], f: TestFilter) {
  const p = f.vsicPrefix;
  const vsicOk =
    !p || vsic.some((c) => (/^[A-U]$/.test(p) ? findVsicDivision(c)?.section === p : c.startsWith(p)));
  return vsicOk && (!f.hsPrefix || hs.some((c) => c.startsWith(f.hsPrefix as string)));
}

function placeOk(provinces: string[], f: TestFilter) {
  const province = provinceOf(f);
  return (
    (!province || provinces.includes(province)) &&
    (!f.region || provinces.some((p) => regionOf(p) === f.region))
  );
}

const add = (table: Record<string, Record<string, number>>, key: string, column: string, value = 1) => {
  table[key] ??= {};
  (table[key] as Record<string, number>)[column] =
    ((table[key] as Record<string, number>)[column] ?? 0) + value;
};

export type Dim = 'province' | 'region' | 'vsic_division' | 'hs_chapter';

/** The keys an entity falls under for a dimension, narrowed as the service narrows them by the filter. */
function keysOf(dim: Dim, provinces: string[], vsic: string[], hs: string[], f: TestFilter): string[] {
  const unique = (values: string[]) => [...new Set(values.filter(Boolean))];
  if (dim === 'province') {
    const province = provinceOf(f);
    return unique(provinces).filter((p) => !province || p === province);
  }
  if (dim === 'region')
    return unique(provinces.map((p) => regionOf(p) ?? '')).filter((r) => !f.region || r === f.region);
  if (dim === 'vsic_division') {
    const p = f.vsicPrefix;
    const allowed = p
      ? /^[A-U]$/.test(p)
        ? [...(vsicSections.find((s) => s.code === p)?.divisions ?? [])]
        : [p.slice(0, 2)]
      : undefined;
    return unique(vsic.map((c) => c.slice(0, 2))).filter((x) => !allowed || allowed.includes(x));
  }
  return unique(hs.map((c) => c.slice(0, 2))).filter((x) => !f.hsPrefix || x === f.hsPrefix.slice(0, 2));
}

const proposalOk = (p: ProposalSpec, f: TestFilter) =>
  sectorOk(p.need.vsic, p.need.hs, f) &&
  placeOk([p.need.province, p.capability.province], f) &&
  (!f.category || p.need.category === f.category);

const established = (p: ProposalSpec) => p.end?.kind === 'established';

export function linkageMatrix(f: TestFilter) {
  const cells: Record<string, number> = {};
  let total = 0;
  for (const p of proposals) {
    if (!established(p) || !within(p.end?.at, f) || !proposalOk(p, f)) continue;
    const key = `${p.need.province}>${p.capability.province}`;
    cells[key] = (cells[key] ?? 0) + 1;
    total += 1;
  }
  return { cells, total };
}

function outcome(p: ProposalSpec) {
  const accepted = p.accepts.length > 0 || established(p) ? 1 : 0;
  const kind = p.end?.kind ?? 'open';
  return {
    proposed: 1,
    accepted,
    established: kind === 'established' ? 1 : 0,
    declined: kind === 'declined' ? 1 : 0,
    expired: kind === 'expired' ? 1 : 0,
    retracted: kind === 'retracted' ? 1 : 0,
    open: kind === 'open' ? 1 : 0,
  };
}

export function proposalMatrix(f: TestFilter) {
  const cells: Record<string, Record<string, number>> = {};
  const total: Record<string, Record<string, number>> = {};
  for (const p of proposals) {
    if (!within(p.proposedAt, f) || !proposalOk(p, f)) continue;
    for (const [column, value] of Object.entries(outcome(p))) {
      add(cells, `${p.need.province}>${p.capability.province}`, column, value);
      add(total, 'total', column, value);
    }
  }
  return { cells, total: total.total ?? {} };
}

export function funnel(f: TestFilter, dim: Dim = 'province') {
  const rows: Record<string, Record<string, number>> = {};
  const overall: Record<string, Record<string, number>> = {};
  for (const p of proposals) {
    if (!within(p.proposedAt, f) || !proposalOk(p, f)) continue;
    const o = outcome(p);
    const figures = { proposed: o.proposed, accepted: o.accepted, established: o.established };
    for (const key of keysOf(dim, [p.need.province, p.capability.province], p.need.vsic, p.need.hs, f))
      for (const [column, value] of Object.entries(figures)) add(rows, key, column, value);
    for (const [column, value] of Object.entries(figures)) add(overall, 'total', column, value);
  }
  return { rows, overall: overall.total ?? {} };
}

export function postings(f: TestFilter, dim: Dim = 'province') {
  const rows: Record<string, Record<string, number>> = {};
  const total: Record<string, Record<string, number>> = {};
  const count = (keys: string[], column: string, value = 1) => {
    for (const key of keys) add(rows, key, column, value);
    add(total, 'total', column, value);
  };
  for (const n of needs) {
    if (!sectorOk(n.vsic, n.hs, f) || !placeOk([n.province], f) || (f.category && n.category !== f.category))
      continue;
    const keys = keysOf(dim, [n.province], n.vsic, n.hs, f);
    if (openAtEnd(n.postedAt, n.end?.at, f)) count(keys, 'openNeeds');
    if (within(n.postedAt, f)) count(keys, 'needsPosted');
    if (n.end && within(n.end.at, f)) {
      const column = { fulfilled: 'needsFulfilled', closed: 'needsClosed', expired: 'needsExpired' }[
        n.end.reason
      ];
      count(keys, column);
    }
  }
  // Capabilities carry no category: a category filter leaves them as they are.
  for (const c of capabilities) {
    if (!sectorOk(c.vsic, c.hs, f) || !placeOk([c.province], f)) continue;
    const keys = keysOf(dim, [c.province], c.vsic, c.hs, f);
    if (openAtEnd(c.postedAt, c.end?.at, f)) count(keys, 'openCapabilities');
    if (within(c.postedAt, f)) count(keys, 'capabilitiesPosted');
    if (c.end && within(c.end.at, f))
      count(keys, c.end.reason === 'withdrawn' ? 'capabilitiesWithdrawn' : 'capabilitiesExpired');
    for (const r of c.renewals ?? []) if (within(r.at, f)) count(keys, 'capabilityRenewals');
  }
  return { rows, total: total.total ?? {} };
}

export function unmetDemand(f: TestFilter, dim: Dim = 'province') {
  const rows: Record<string, Record<string, number>> = {};
  const total: Record<string, Record<string, number>> = {};
  const byNeed = new Map<string, typeof unmet>();
  for (const u of unmet) byNeed.set(u.need.id, [...(byNeed.get(u.need.id) ?? []), u]);
  for (const reports of byNeed.values()) {
    const n = (reports[0] as (typeof unmet)[number]).need;
    if (!sectorOk(n.vsic, n.hs, f) || !placeOk([n.province], f) || (f.category && n.category !== f.category))
      continue;
    const keys = keysOf(dim, [n.province], n.vsic, n.hs, f);
    const first = (reason?: string) =>
      reports
        .filter((r) => !reason || r.reason === reason)
        .map((r) => r.at)
        .sort((a, b) => a.getTime() - b.getTime())[0];
    const columns: [string, Date | undefined][] = [
      ['unmetNeeds', first()],
      ['noMatchAboveThreshold', first('no_match_above_threshold')],
      ['expiredUnmatched', first('expired_unmatched')],
    ];
    for (const [column, at] of columns) {
      if (!within(at, f)) continue;
      for (const key of keys) add(rows, key, column);
      add(total, 'total', column);
    }
  }
  return { rows, total: total.total ?? {} };
}

export function uptake(f: TestFilter, cleanerOnly: boolean, dim: Dim = 'province') {
  const rows: Record<string, Record<string, number>> = {};
  const total: Record<string, Record<string, number>> = {};
  const count = (province: string, vsic: string[], hs: string[], column: string, value = 1) => {
    if (!sectorOk(vsic, hs, f) || !placeOk([province], f)) return;
    for (const key of keysOf(dim, [province], vsic, hs, f)) add(rows, key, column, value);
    add(total, 'total', column, value);
  };
  for (const o of offers) {
    if (cleanerOnly && !(o.cleanerProduction || o.pollutionTreatment)) continue;
    if (within(o.publishedAt, f)) count(o.ownerProvince, o.vsic, o.hs, 'offersPublished');
  }
  for (const r of requests) {
    if (cleanerOnly && !r.cleaner) continue;
    if (within(r.postedAt, f)) count(r.province, r.vsic, r.hs, 'requestsPosted');
  }
  for (const i of interests) {
    if (cleanerOnly && !(i.offer.cleanerProduction || i.offer.pollutionTreatment)) continue;
    const { vsic, hs } = i.offer;
    if (within(i.expressedAt, f)) {
      count(i.interestedProvince, vsic, hs, 'interestsExpressed');
      count(i.offer.ownerProvince, vsic, hs, 'interestsReceived');
    }
    if (i.agreement && within(i.agreement.at, f)) {
      count(i.interestedProvince, vsic, hs, 'agreementsSigned');
      count(i.interestedProvince, vsic, hs, 'agreementValueVnd', i.agreement.valueVnd);
    }
  }
  for (const a of applications) {
    const o = a.interest.offer;
    if (cleanerOnly && !(o.cleanerProduction || o.pollutionTreatment)) continue;
    // Applications carry VSIC codes only.
    const at = (column: string, date: Date | undefined, value = 1) => {
      if (within(date, f)) count(a.applicantProvince, o.vsic, [], column, value);
    };
    at('cofundingRequested', a.requestedAt);
    at('cofundingRequestedVnd', a.requestedAt, a.amountVnd);
    at('cofundingApproved', a.approvedAt);
    at('cofundingApprovedVnd', a.approvedAt, a.amountVnd);
    at('cofundingRejected', a.rejectedAt);
    for (const x of a.disbursements) at('cofundingDisbursedVnd', x.at, x.amountVnd);
  }
  return { rows, total: total.total ?? {} };
}

export function leadFirms(f: TestFilter, limit: number) {
  const province = provinceOf(f);
  const counts = new Map<
    string,
    { linkages: number; asBuyer: number; asSupplier: number; province: string }
  >();
  for (const p of proposals) {
    if (!established(p) || !within(p.end?.at, f) || !proposalOk(p, f)) continue;
    const sides = [
      { id: p.need.enterprise, province: p.need.province, role: 'asBuyer' as const },
      { id: p.capability.enterprise, province: p.capability.province, role: 'asSupplier' as const },
    ];
    for (const s of sides) {
      if (province && s.province !== province) continue;
      if (f.region && regionOf(s.province) !== f.region) continue;
      const entry = counts.get(s.id) ?? { linkages: 0, asBuyer: 0, asSupplier: 0, province: s.province };
      entry.linkages += 1;
      entry[s.role] += 1;
      counts.set(s.id, entry);
    }
  }
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y.linkages - x.linkages || a.localeCompare(b))
    .slice(0, limit)
    .map(([id, c], index) => {
      const e = enterprises.find((x) => x.id === id);
      return {
        rank: index + 1,
        enterpriseId: id,
        name: e?.renamedTo?.name ?? e?.name ?? '',
        province: e?.province ?? c.province,
        leadFirm: e?.leadFirm?.at(-1)?.value ?? false,
        linkages: c.linkages,
        asBuyer: c.asBuyer,
        asSupplier: c.asSupplier,
      };
    });
}

export function regionalShare(f: TestFilter) {
  const rows: Record<string, Record<string, number>> = {};
  const overall: Record<string, Record<string, number>> = {};
  for (const p of proposals) {
    if (!established(p) || !within(p.end?.at, f) || !proposalOk(p, f)) continue;
    const a = regionOf(p.need.province) ?? '';
    const b = regionOf(p.capability.province) ?? '';
    const figures = {
      linkages: 1,
      intraRegion: a === b ? 1 : 0,
      crossRegion: a === b ? 0 : 1,
      intraProvince: p.need.province === p.capability.province ? 1 : 0,
    };
    // A region filter keeps that region's row only (a cross-region linkage also touches the other).
    for (const region of new Set([a, b]))
      if (!f.region || region === f.region)
        for (const [k, v] of Object.entries(figures)) add(rows, region, k, v);
    for (const [k, v] of Object.entries(figures)) add(overall, 'all', k, v);
  }
  return { rows, overall: overall.all ?? {} };
}

export function enterpriseCounts(province: string, f: TestFilter) {
  const here = enterprises.filter(
    (e) => e.province === province && (!f.toMonth || month(e.registeredAt) <= f.toMonth),
  );
  return {
    registered: here.length,
    verified: here.filter((e) => e.verification?.status === 'verified').length,
    leadFirms: here.filter((e) => e.leadFirm?.at(-1)?.value === true).length,
    supportingIndustry: here.filter((e) => e.supporting).length,
  };
}

/** Clusters with a current member in the province, and those members (membership is not by period). */
export function clusterCounts(province: string) {
  const members = clusters.flatMap((k) =>
    k.members.filter((m) => m.province === province && !m.leftAt).map((m) => ({ cluster: k.id, ...m })),
  );
  return { clusters: new Set(members.map((m) => m.cluster)).size, members: members.length };
}

/** A province's own linkages: as buyer, as supplier, with whom. */
export function provinceLinkages(province: string, f: TestFilter) {
  const g = { ...f, province, region: undefined };
  const partners: Record<string, Record<string, number>> = {};
  const totals = { linkages: 0, asBuyer: 0, asSupplier: 0, intraProvince: 0, intraRegion: 0, crossRegion: 0 };
  for (const p of proposals) {
    if (!established(p) || !within(p.end?.at, g) || !proposalOk(p, g)) continue;
    const buyer = p.need.province;
    const supplier = p.capability.province;
    totals.linkages += 1;
    if (buyer === province) totals.asBuyer += 1;
    if (supplier === province) totals.asSupplier += 1;
    if (buyer === supplier) totals.intraProvince += 1;
    if (regionOf(buyer) === regionOf(supplier)) totals.intraRegion += 1;
    else totals.crossRegion += 1;
    const partner = buyer === province ? supplier : buyer;
    if (buyer === province) add(partners, partner, 'buysFrom');
    if (supplier === province) add(partners, partner, 'suppliesTo');
    add(partners, partner, 'linkages');
  }
  return { totals, partners };
}
