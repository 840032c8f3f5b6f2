import { programmeServiceV1 as api, type programmeV1 as pb } from '@lienket/contracts';
import type { AggregatePage } from '@lienket/eventbus';
import {
  type AsyncHandlers,
  actorFrom,
  bindService,
  decodePageToken,
  encodePageToken,
  type Logger,
  type ServiceBinding,
} from '@lienket/platform';
import type { Programme } from '../../app/programme';
import {
  budgetToProto,
  enterpriseKind,
  fundingFromProto,
  fundingSource,
  planToProto,
  pledgeToProto,
  progressToProto,
  reportPeriod,
  reportToProto,
  ruleToProto,
  schemeStatus,
  schemeToProto,
  siteToProto,
  sponsorKind,
  supportLine,
  targetFromProto,
  treatmentState,
} from '../../app/to-proto';
import type { FundingSource } from '../../domain/model';

export const PROGRAMME_SERVICE_NAME = 'lienket.programme.v1.ProgrammeService';

const pageOf = (page: { pageSize: number; pageToken: string } | undefined) => ({
  size: page?.pageSize ?? 0,
  cursor: decodePageToken(page?.pageToken ?? ''),
});
const pageResponse = (result: AggregatePage<unknown>) => ({
  nextPageToken: encodePageToken(result.nextCursor),
  totalSize: result.total,
});
/** An enum the caller left unspecified reaches the domain as '' and is refused there with a field error. */
const name = <V extends string>(codec: { fromProto(v: number): V | undefined }, value: number) =>
  codec.fromProto(value) ?? ('' as V);

export function makeProgrammeGrpc({
  programme: p,
  log,
}: {
  programme: Programme;
  log: Logger;
}): ServiceBinding {
  const who = (metadata: Parameters<typeof actorFrom>[0]) => p.actorOf(actorFrom(metadata));
  const scheme = async (value: Promise<Parameters<typeof schemeToProto>[0]>) => ({
    scheme: schemeToProto(await value),
  });

  const handlers: AsyncHandlers<typeof api.ProgrammeServiceService> = {
    async listSupportLineRules(request, { metadata }) {
      const rules = await p.listRules(
        who(metadata),
        request.year,
        name(fundingSource, request.source) as FundingSource,
      );
      return { rules: rules.map(ruleToProto) };
    },
    async setSupportLineRule(request, { metadata }) {
      const r = request.rule as pb.SupportLineRule | undefined;
      const rule = await p.setRule(who(metadata), {
        line: name(supportLine, r?.line ?? 0),
        year: r?.year ?? 0,
        source: name(fundingSource, r?.source ?? 0),
        funds: r?.funds ?? [],
        capVnd: r?.cap?.vnd ?? 0,
        minCounterpartPercent: r?.minCounterpartPercent ?? 0,
        eligibleKinds: (r?.eligibleKinds ?? []).map((k) => name(enterpriseKind, k)),
      });
      return { rule: ruleToProto(rule) };
    },

    async setBudget(request, { metadata }) {
      const budget = await p.setBudget(who(metadata), {
        year: request.year,
        source: name(fundingSource, request.source),
        province: request.province,
        totalVnd: request.total?.vnd ?? 0,
      });
      return { budget: budgetToProto(budget) };
    },
    async getBudget(request, { metadata }) {
      const source = name(fundingSource, request.source) as FundingSource;
      return {
        budget: budgetToProto(await p.getBudget(who(metadata), request.year, source, request.province)),
      };
    },

    proposeScheme: (request, { metadata }) =>
      scheme(
        p.proposeScheme(who(metadata), {
          title: request.title,
          line: name(supportLine, request.line),
          year: request.year,
          province: request.province,
          beneficiaryId: request.beneficiaryEnterpriseId,
          beneficiaryKind: name(enterpriseKind, request.beneficiaryKind),
          siteId: request.siteId,
          pollutionTreatment: request.pollutionTreatment,
          funding: fundingFromProto(request.funding),
        }),
      ),
    getScheme: (request, { metadata }) => scheme(p.getScheme(who(metadata), request.schemeId)),
    async listSchemes(request, { metadata }) {
      const result = await p.listSchemes(
        who(metadata),
        {
          province: request.province,
          year: request.year,
          line: supportLine.fromProto(request.line) ?? '',
          statuses: request.statuses.flatMap((s) => schemeStatus.fromProto(s) ?? []),
          beneficiaryId: request.beneficiaryEnterpriseId,
          sponsorId: '',
        },
        pageOf(request.page),
      );
      return { schemes: result.items.map(schemeToProto), page: pageResponse(result) };
    },
    appraiseScheme: (request, { metadata }) =>
      scheme(
        p.appraiseScheme(who(metadata), request.schemeId, {
          checklist: request.checklist,
          score: request.score,
          reasons: request.reasons,
          passed: request.passed,
        }),
      ),
    approveScheme: (request, { metadata }) => scheme(p.approveScheme(who(metadata), request.schemeId)),
    rejectScheme: (request, { metadata }) =>
      scheme(p.rejectScheme(who(metadata), request.schemeId, request.reason)),
    withdrawScheme: (request, { metadata }) => scheme(p.withdrawScheme(who(metadata), request.schemeId)),
    contractScheme: (request, { metadata }) =>
      scheme(p.contractScheme(who(metadata), request.schemeId, request.contractNumber)),
    recordMilestone: (request, { metadata }) =>
      scheme(
        p.recordMilestone(who(metadata), request.schemeId, {
          id: request.milestoneId,
          title: request.title,
          evidence: request.evidence,
        }),
      ),
    recordDisbursement: (request, { metadata }) =>
      scheme(
        p.recordDisbursement(who(metadata), request.schemeId, {
          source: request.source,
          amountVnd: request.amount?.vnd ?? 0,
          reference: request.reference,
        }),
      ),
    acceptScheme: (request, { metadata }) =>
      scheme(
        p.acceptScheme(who(metadata), request.schemeId, {
          jobs: request.outcomes?.jobs ?? 0,
          outputVnd: request.outcomes?.output?.vnd ?? 0,
          energySavedKwh: request.outcomes?.energySavedKwh ?? 0,
          emissionsCutTonnesCo2e: request.outcomes?.emissionsCutTonnesCo2e ?? 0,
          firmsReached: request.outcomes?.firmsReached ?? 0,
        }),
      ),
    settleScheme: (request, { metadata }) => scheme(p.settleScheme(who(metadata), request.schemeId)),
    cancelScheme: (request, { metadata }) =>
      scheme(p.cancelScheme(who(metadata), request.schemeId, request.reason)),

    async makePledge(request, { metadata }) {
      const pledge = await p.makePledge(who(metadata), {
        sponsorId: request.sponsorId,
        sponsorName: request.sponsorName,
        sponsorKind: name(sponsorKind, request.sponsorKind),
        target: {
          schemeId: request.targetSchemeId,
          line: supportLine.fromProto(request.targetLine) ?? '',
          province: request.targetProvince,
        },
        amountVnd: request.amount?.vnd ?? 0,
      });
      return { pledge: pledgeToProto(pledge) };
    },
    async matchPledge(request, { metadata }) {
      const result = await p.matchPledge(who(metadata), request.pledgeId, request.schemeId);
      return { pledge: pledgeToProto(result.pledge), scheme: schemeToProto(result.scheme) };
    },
    async receivePledge(request, { metadata }) {
      return { pledge: pledgeToProto(await p.receivePledge(who(metadata), request.pledgeId)) };
    },
    async listPledges(request, { metadata }) {
      const result = await p.listPledges(
        who(metadata),
        { sponsorId: request.sponsorId, province: request.province, schemeId: request.schemeId },
        pageOf(request.page),
      );
      return { pledges: result.items.map(pledgeToProto), page: pageResponse(result) };
    },

    async setPlan(request, { metadata }) {
      const plan = await p.setPlan(who(metadata), {
        year: request.year,
        province: request.province,
        targets: request.targets.map(targetFromProto),
      });
      return { plan: planToProto(plan) };
    },
    async getPlanProgress(request, { metadata }) {
      const { plan, progress } = await p.planProgress(who(metadata), request.year, request.province);
      return { plan: planToProto(plan), progress: progress.map(progressToProto) };
    },

    async registerSite(request, { metadata }) {
      const site = await p.registerSite(who(metadata), {
        name: request.name,
        province: request.province,
        operator: request.operator,
        areaHectares: request.areaHectares,
        occupancyPercent: request.occupancyPercent,
        tenantIds: request.tenantEnterpriseIds,
        treatment: name(treatmentState, request.treatment),
      });
      return { site: siteToProto(site) };
    },
    async updateSite(request, { metadata }) {
      const site = await p.updateSite(who(metadata), request.siteId, {
        operator: request.operator,
        occupancyPercent: request.occupancyPercent,
        tenantIds: request.tenantEnterpriseIds,
      });
      return { site: siteToProto(site) };
    },
    async changeSiteTreatment(request, { metadata }) {
      const site = await p.changeSiteTreatment(
        who(metadata),
        request.siteId,
        name(treatmentState, request.treatment),
        request.note,
      );
      return { site: siteToProto(site) };
    },
    async getSite(request, { metadata }) {
      return { site: siteToProto(await p.getSite(who(metadata), request.siteId)) };
    },
    async getProvinceReport(request, { metadata }) {
      const period = reportPeriod.fromProto(request.period) ?? 'year';
      return {
        report: reportToProto(await p.provinceReport(who(metadata), request.year, request.province, period)),
      };
    },
    async listSites(request, { metadata }) {
      const result = await p.listSites(
        who(metadata),
        { province: request.province, treatment: treatmentState.fromProto(request.treatment) ?? '' },
        pageOf(request.page),
      );
      return { sites: result.items.map(siteToProto), page: pageResponse(result) };
    },
  };
  return bindService(PROGRAMME_SERVICE_NAME, api.ProgrammeServiceService, handlers, log);
}
