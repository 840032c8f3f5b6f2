import {
  enumCodec,
  type programmeEventsV1 as ev,
  programmeV1 as pb,
  programmeServiceV1,
  registryV1,
} from '@lienket/contracts';
import type {
  Budget,
  ClusterSite,
  EnterpriseKind,
  FundingMix,
  FundingSource,
  Plan,
  PlanTarget,
  Pledge,
  PledgeStatus,
  Scheme,
  SchemeStatus,
  SponsorKind,
  SupportLine,
  SupportLineRule,
  TreatmentState,
} from '../domain/model';
import type { LineProgress } from '../domain/plan';
import type { ProvinceReport, ReportPeriod } from '../domain/report';

export const reportPeriod = enumCodec<ReportPeriod>(programmeServiceV1.ReportPeriod, 'REPORT_PERIOD');
export const supportLine = enumCodec<SupportLine>(pb.SupportLine, 'SUPPORT_LINE');
export const fundingSource = enumCodec<FundingSource>(pb.FundingSource, 'FUNDING_SOURCE');
export const schemeStatus = enumCodec<Exclude<SchemeStatus, 'approving'>>(pb.SchemeStatus, 'SCHEME_STATUS');
export const sponsorKind = enumCodec<SponsorKind>(pb.SponsorKind, 'SPONSOR_KIND');
export const pledgeStatus = enumCodec<PledgeStatus>(pb.PledgeStatus, 'PLEDGE_STATUS');
export const treatmentState = enumCodec<TreatmentState>(pb.TreatmentState, 'TREATMENT_STATE');
export const enterpriseKind = enumCodec<EnterpriseKind>(registryV1.EnterpriseKind, 'ENTERPRISE_KIND');

const money = (vnd: number) => ({ vnd });

/** An approval in progress is still appraised from the outside (it completes or reverts). */
const visibleStatus = (status: SchemeStatus) =>
  schemeStatus.toProto(status === 'approving' ? 'appraised' : status);

export const fundingToProto = (f: FundingMix): pb.FundingMix => ({
  cost: money(f.costVnd),
  state: money(f.stateVnd),
  stateSource: fundingSource.toProto(f.stateSource),
  counterpart: money(f.counterpartVnd),
  sponsor: money(f.sponsorVnd),
});

export const fundingFromProto = (f: pb.FundingMix | undefined): FundingMix => ({
  costVnd: f?.cost?.vnd ?? 0,
  stateVnd: f?.state?.vnd ?? 0,
  stateSource: fundingSource.fromProto(f?.stateSource ?? 0) ?? ('' as FundingSource),
  counterpartVnd: f?.counterpart?.vnd ?? 0,
  sponsorVnd: f?.sponsor?.vnd ?? 0,
});

export const ruleToProto = (r: SupportLineRule): pb.SupportLineRule => ({
  line: supportLine.toProto(r.line),
  year: r.year,
  source: fundingSource.toProto(r.source),
  funds: r.funds,
  cap: money(r.capVnd),
  minCounterpartPercent: r.minCounterpartPercent,
  eligibleKinds: r.eligibleKinds.map(enterpriseKind.toProto),
  updatedAt: r.updatedAt,
});

export function schemeToProto(s: Scheme): pb.Scheme {
  return {
    schemeId: s.id,
    title: s.title,
    line: supportLine.toProto(s.line),
    year: s.year,
    province: s.province,
    proposedBy: s.proposedBy,
    beneficiaryEnterpriseId: s.beneficiaryId,
    beneficiaryKind: enterpriseKind.toProto(s.beneficiaryKind),
    siteId: s.siteId,
    pollutionTreatment: s.pollutionTreatment,
    funding: fundingToProto(s.funding),
    status: visibleStatus(s.status),
    appraisal: s.appraisal
      ? {
          checklist: s.appraisal.checklist,
          score: s.appraisal.score,
          reasons: s.appraisal.reasons,
          passed: s.appraisal.passed,
          appraisedAt: s.appraisal.at,
        }
      : undefined,
    decisionReason: s.decisionReason,
    contractNumber: s.contractNumber,
    milestones: s.milestones.map((m) => ({
      milestoneId: m.id,
      title: m.title,
      evidence: m.evidence,
      recordedAt: m.recordedAt,
    })),
    disbursements: s.disbursements.map((d) => ({
      disbursementId: d.id,
      source: d.source,
      amount: money(d.amountVnd),
      reference: d.reference,
      recordedAt: d.recordedAt,
    })),
    pledges: s.pledges.map((p) => ({
      pledgeId: p.pledgeId,
      sponsorId: p.sponsorId,
      sponsorKind: sponsorKind.toProto(p.sponsorKind),
      amount: money(p.amountVnd),
      status: pledgeStatus.toProto(p.status),
    })),
    outcomes: s.outcomes
      ? {
          jobs: s.outcomes.jobs,
          output: money(s.outcomes.outputVnd),
          energySavedKwh: s.outcomes.energySavedKwh,
          emissionsCutTonnesCo2e: s.outcomes.emissionsCutTonnesCo2e,
          firmsReached: s.outcomes.firmsReached,
        }
      : undefined,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

export const schemeFacts = (s: Scheme): ev.SchemeFacts => ({
  schemeId: s.id,
  line: supportLine.toProto(s.line),
  year: s.year,
  province: s.province,
  status: visibleStatus(s.status),
  beneficiaryEnterpriseId: s.beneficiaryId,
  funding: fundingToProto(s.funding),
  siteId: s.siteId,
  pollutionTreatment: s.pollutionTreatment,
});

/** Amounts are after-values when `exact` (a set); a conditional increment knows only its delta. */
export const budgetToProto = (b: Budget, exact = true): pb.Budget => ({
  budgetId: b.id,
  year: b.year,
  source: fundingSource.toProto(b.source),
  province: b.province,
  total: exact ? money(b.totalVnd) : undefined,
  available: exact ? money(b.availableVnd) : undefined,
  committed: exact ? money(b.committedVnd) : undefined,
});

export const pledgeToProto = (p: Pledge): pb.Pledge => ({
  pledgeId: p.id,
  sponsorId: p.sponsorId,
  sponsorName: p.sponsorName,
  sponsorKind: sponsorKind.toProto(p.sponsorKind),
  targetSchemeId: p.target.schemeId,
  targetLine: p.target.line ? supportLine.toProto(p.target.line) : 0,
  targetProvince: p.target.province,
  amount: money(p.amountVnd),
  status: pledgeStatus.toProto(p.status),
  schemeId: p.schemeId,
  createdAt: p.createdAt,
});

const targetToProto = (t: PlanTarget): pb.PlanTarget => ({
  line: supportLine.toProto(t.line),
  schemes: t.schemes,
  state: money(t.stateVnd),
  beneficiaries: t.beneficiaries,
});

export const targetFromProto = (t: pb.PlanTarget): PlanTarget => ({
  line: supportLine.fromProto(t.line) ?? ('' as SupportLine),
  schemes: t.schemes,
  stateVnd: t.state?.vnd ?? 0,
  beneficiaries: t.beneficiaries,
});

export const planToProto = (p: Plan): pb.Plan => ({
  planId: p.id,
  year: p.year,
  province: p.province,
  targets: p.targets.map(targetToProto),
  updatedAt: p.updatedAt,
});

export const progressToProto = (l: LineProgress): pb.LineProgress => ({
  line: supportLine.toProto(l.line),
  target: targetToProto(l.target),
  schemes: l.schemes,
  state: money(l.stateVnd),
  beneficiaries: l.beneficiaries,
});

export const siteToProto = (s: ClusterSite): pb.ClusterSite => ({
  siteId: s.id,
  name: s.name,
  province: s.province,
  operator: s.operator,
  areaHectares: s.areaHectares,
  occupancyPercent: s.occupancyPercent,
  tenantEnterpriseIds: s.tenantIds,
  treatment: treatmentState.toProto(s.treatment),
  treatmentHistory: s.treatmentHistory.map((h) => ({
    state: treatmentState.toProto(h.state),
    changedAt: h.at,
    schemeId: h.schemeId,
    note: h.note,
  })),
  updatedAt: s.updatedAt,
});

export const reportToProto = (r: ProvinceReport): programmeServiceV1.ProvinceReport => ({
  year: r.year,
  province: r.province,
  period: reportPeriod.toProto(r.period),
  asOf: r.asOf,
  schemesByLineAndStatus: r.schemesByLineAndStatus.map((c) => ({
    line: supportLine.toProto(c.line),
    status: visibleStatus(c.status),
    schemes: c.schemes,
  })),
  committed: {
    cost: money(r.committed.costVnd),
    stateNational: money(r.committed.stateNationalVnd),
    stateProvincial: money(r.committed.stateProvincialVnd),
    counterpart: money(r.committed.counterpartVnd),
    sponsor: money(r.committed.sponsorVnd),
    nonStateShareBasisPoints: r.committed.nonStateShareBasisPoints,
  },
  paid: {
    state: money(r.paid.stateVnd),
    counterpart: money(r.paid.counterpartVnd),
    sponsorReceived: money(r.paid.sponsorReceivedVnd),
  },
  beneficiaries: r.beneficiaries,
  outcomes: {
    jobs: r.outcomes.jobs,
    output: money(r.outcomes.outputVnd),
    energySavedKwh: r.outcomes.energySavedKwh,
    emissionsCutTonnesCo2e: r.outcomes.emissionsCutTonnesCo2e,
    firmsReached: r.outcomes.firmsReached,
  },
  schemesAccepted: r.outcomes.schemesAccepted,
  sitesTreated: r.sitesTreated,
});
