import { deny, type ProgrammeActor, requireSignedIn } from './actor';
import { nonStateShareBasisPoints } from './funding';
import type { ClusterSite, FundingMix, Outcomes, Scheme, SchemeStatus, SupportLine } from './model';
import { committedStatuses } from './scheme';

/** The first half of a year (to 30 June) or the whole year. */
export type ReportPeriod = 'first_half' | 'year';

export interface ProvinceReport {
  year: number;
  /** Empty for the national roll-up. */
  province: string;
  period: ReportPeriod;
  /** The end of the period: every figure is as it stood then. */
  asOf: Date;
  schemesByLineAndStatus: { line: SupportLine; status: SchemeStatus; schemes: number }[];
  /** Planned money of the schemes approved or further along by the end of the period. */
  committed: {
    costVnd: number;
    stateNationalVnd: number;
    stateProvincialVnd: number;
    counterpartVnd: number;
    sponsorVnd: number;
    nonStateShareBasisPoints: number;
  };
  /** Money paid (state, counterpart) or received (sponsors) by the end of the period. */
  paid: { stateVnd: number; counterpartVnd: number; sponsorReceivedVnd: number };
  /** Distinct beneficiaries of the committed schemes (a centre's own schemes count as the centre). */
  beneficiaries: number;
  /** Summed over the schemes accepted by the end of the period. */
  outcomes: Outcomes & { schemesAccepted: number };
  /** Cluster sites whose treatment an accepted scheme put in operation during the year, to the period's end. */
  sitesTreated: number;
}

export const periodEnd = (year: number, period: ReportPeriod) =>
  period === 'first_half' ? new Date(Date.UTC(year, 6, 1)) : new Date(Date.UTC(year + 1, 0, 1));

/** A province's centre reads its province's report; the ministry and analysts any, and the national one. */
export function requireReportReader(actor: ProgrammeActor, province: string): void {
  requireSignedIn(actor);
  if (actor.kind === 'ministry' || actor.kind === 'analyst' || actor.kind === 'service') return;
  if (actor.kind === 'centre' && province !== '' && actor.province === province) return;
  throw deny(
    'Reports are read by the province’s centre, the ministry and analysts',
    'Báo cáo dành cho trung tâm khuyến công của tỉnh, Bộ và chuyên gia phân tích',
  );
}

/** A scheme's status at a moment, from its history (undefined if it did not exist yet). */
export function statusAt(scheme: Scheme, at: Date): SchemeStatus | undefined {
  let status: SchemeStatus | undefined;
  for (const h of scheme.history) if (h.at < at) status = h.status === 'approving' ? 'appraised' : h.status;
  return status;
}

/**
 * The six-monthly or annual report of a province (or, province empty, the national roll-up) for the
 * schemes of a plan year, as things stood at the end of the period.
 */
export function provinceReport(
  year: number,
  province: string,
  period: ReportPeriod,
  schemes: readonly Scheme[],
  sites: readonly ClusterSite[],
): ProvinceReport {
  const asOf = periodEnd(year, period);
  const mine = schemes.filter((s) => s.year === year && (province === '' || s.province === province));
  const counts = new Map<string, { line: SupportLine; status: SchemeStatus; schemes: number }>();
  const committed: FundingMix[] = [];
  const beneficiaries = new Set<string>();
  const paid = { stateVnd: 0, counterpartVnd: 0, sponsorReceivedVnd: 0 };
  const outcomes = {
    jobs: 0,
    outputVnd: 0,
    energySavedKwh: 0,
    emissionsCutTonnesCo2e: 0,
    firmsReached: 0,
    schemesAccepted: 0,
  };
  for (const scheme of mine) {
    const status = statusAt(scheme, asOf);
    if (!status) continue;
    const key = `${scheme.line}/${status}`;
    const entry = counts.get(key) ?? { line: scheme.line, status, schemes: 0 };
    entry.schemes += 1;
    counts.set(key, entry);
    if (!committedStatuses.includes(status)) continue;
    committed.push(scheme.funding);
    beneficiaries.add(scheme.beneficiaryId || `centre:${scheme.province}`);
    for (const d of scheme.disbursements) {
      if (d.recordedAt >= asOf) continue;
      if (d.source === 'state') paid.stateVnd += d.amountVnd;
      else paid.counterpartVnd += d.amountVnd;
    }
    for (const p of scheme.pledges)
      if (p.status === 'received' && p.receivedAt && p.receivedAt < asOf)
        paid.sponsorReceivedVnd += p.amountVnd;
    if ((status === 'accepted' || status === 'settled') && scheme.outcomes) {
      outcomes.schemesAccepted += 1;
      outcomes.jobs += scheme.outcomes.jobs;
      outcomes.outputVnd += scheme.outcomes.outputVnd;
      outcomes.energySavedKwh += scheme.outcomes.energySavedKwh;
      outcomes.emissionsCutTonnesCo2e += scheme.outcomes.emissionsCutTonnesCo2e;
      outcomes.firmsReached += scheme.outcomes.firmsReached;
    }
  }
  const yearStart = new Date(Date.UTC(year, 0, 1));
  const sitesTreated = sites.filter(
    (site) =>
      (province === '' || site.province === province) &&
      site.treatmentHistory.some(
        (h) => h.schemeId !== '' && h.state === 'operating' && h.at >= yearStart && h.at < asOf,
      ),
  ).length;
  const sum = (pick: (m: FundingMix) => number, where: (m: FundingMix) => boolean = () => true) =>
    committed.filter(where).reduce((total, m) => total + pick(m), 0);
  return {
    year,
    province,
    period,
    asOf,
    schemesByLineAndStatus: [...counts.values()].sort((a, b) =>
      `${a.line}/${a.status}`.localeCompare(`${b.line}/${b.status}`),
    ),
    committed: {
      costVnd: sum((m) => m.costVnd),
      stateNationalVnd: sum(
        (m) => m.stateVnd,
        (m) => m.stateSource === 'national',
      ),
      stateProvincialVnd: sum(
        (m) => m.stateVnd,
        (m) => m.stateSource === 'provincial',
      ),
      counterpartVnd: sum((m) => m.counterpartVnd),
      sponsorVnd: sum((m) => m.sponsorVnd),
      nonStateShareBasisPoints: nonStateShareBasisPoints(committed),
    },
    paid,
    beneficiaries: beneficiaries.size,
    outcomes,
    sitesTreated,
  };
}
