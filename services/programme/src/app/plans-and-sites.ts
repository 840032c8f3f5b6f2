import { Events } from '@lienket/contracts';
import type { OutboxEntry } from '@lienket/eventbus';
import { type ProgrammeActor, requireProvinceOrMinistry, requireSignedIn } from '../domain/actor';
import type { ClusterSite, Plan, PlanTarget, TreatmentState } from '../domain/model';
import { planIdOf, planProgress, setPlan } from '../domain/plan';
import { provinceReport, type ReportPeriod, requireReportReader } from '../domain/report';
import {
  changeTreatment,
  registerSite,
  type SiteInput,
  treatmentAfterAcceptance,
  updateSite,
} from '../domain/site';
import { notFound, type UseCaseContext } from './context';
import type { PageRequest } from './ports';
import { planToProto, siteToProto, treatmentState } from './to-proto';

/** What an accepted scheme tells its site (from the scheme's SchemeAccepted event). */
export interface AcceptedScheme {
  schemeId: string;
  siteId: string;
  pollutionTreatment: boolean;
  at: Date;
}

/** Plans and targets with their progress; industrial cluster sites and their treatment. */
export function makePlanAndSiteUseCases(ctx: UseCaseContext) {
  const { store, clock, newId, afterWrite, event, change } = ctx;
  const loadSite = ctx.loader(store.findSite, 'site', 'cụm công nghiệp');

  const treatmentEvent = (
    site: ClusterSite,
    previous: TreatmentState,
    schemeId: string,
    now: Date,
  ): OutboxEntry =>
    event(
      Events.siteTreatmentChanged,
      {
        siteId: site.id,
        province: site.province,
        treatment: treatmentState.toProto(site.treatment),
        previous: treatmentState.toProto(previous),
        schemeId,
      },
      site.id,
      now,
    );

  return {
    async setPlan(
      actor: ProgrammeActor,
      input: { year: number; province: string; targets: PlanTarget[] },
    ): Promise<Plan> {
      const now = clock();
      const id = planIdOf(input.year, input.province.trim());
      const current = await store.findPlan(id);
      const next = setPlan(actor, current, input, now);
      const events = [event(Events.planSet, { plan: planToProto(next) }, next.id, now)];
      if (!current) {
        await store.insertPlan(next, events);
        afterWrite();
        return next;
      }
      return change(
        () => store.findPlan(id) as Promise<Plan>,
        (c, t) => {
          const decided = setPlan(actor, c, input, t);
          return { next: decided, events: [event(Events.planSet, { plan: planToProto(decided) }, id, t)] };
        },
        store.savePlan,
      );
    },

    /** A plan with its progress by line: an aggregate, so analysts read it too. */
    async planProgress(actor: ProgrammeActor, year: number, province: string) {
      requireSignedIn(actor);
      const id = planIdOf(year, province.trim());
      const plan = await store.findPlan(id);
      if (!plan) throw notFound('plan', id, 'kế hoạch');
      const schemes = await store.schemesOfYear(year, plan.province);
      return { plan, progress: planProgress(plan, schemes) };
    },

    async registerSite(actor: ProgrammeActor, input: SiteInput): Promise<ClusterSite> {
      const now = clock();
      const site = registerSite(actor, input, newId(), now);
      await store.insertSite(site, [event(Events.siteRegistered, { site: siteToProto(site) }, site.id, now)]);
      afterWrite();
      return site;
    },

    updateSite: (
      actor: ProgrammeActor,
      id: string,
      input: Pick<SiteInput, 'operator' | 'occupancyPercent' | 'tenantIds'>,
    ) =>
      change(
        () => loadSite(id),
        (site, now) => {
          const next = updateSite(actor, site, input, now);
          return { next, events: [event(Events.siteUpdated, { site: siteToProto(next) }, id, now)] };
        },
        store.saveSite,
      ),

    /** A centre records what it sees at the site (a plant degraded, construction started). */
    changeSiteTreatment: (actor: ProgrammeActor, id: string, state: TreatmentState, note: string) =>
      change(
        () => loadSite(id),
        (site, now) => {
          requireProvinceOrMinistry(actor, site.province);
          const next = changeTreatment(
            site,
            state,
            { by: actor.subject, schemeId: '', note: note.trim().slice(0, 500) },
            now,
          );
          return next && { next, events: [treatmentEvent(next, site.treatment, '', now)] };
        },
        store.saveSite,
      ),

    /** The province's (or national) report of a plan year's schemes, as they stood at the period's end. */
    async provinceReport(actor: ProgrammeActor, year: number, province: string, period: ReportPeriod) {
      const code = province.trim();
      requireReportReader(actor, code);
      const [schemes, sites] = await Promise.all([store.schemesOfYear(year, code), store.sitesOf(code)]);
      return provinceReport(year, code, period, schemes, sites);
    },

    async getSite(actor: ProgrammeActor, id: string) {
      requireSignedIn(actor);
      return loadSite(id);
    },

    listSites(
      actor: ProgrammeActor,
      query: { province: string; treatment: TreatmentState | '' },
      page: PageRequest,
    ) {
      requireSignedIn(actor);
      return store.listSites(query, page);
    },

    /**
     * For the consumer of SchemeAccepted: a batch's accepted pollution-treatment schemes put their
     * sites' treatment in operation; one read of the sites, one bulk write. A scheme already in a
     * site's history changes nothing (replays); a site changed meanwhile makes the batch retry.
     */
    async applyAcceptedSchemes(accepted: readonly AcceptedScheme[]): Promise<number> {
      const relevant = accepted.filter(
        (a) => treatmentAfterAcceptance({ ...a, status: 'accepted' }) !== undefined,
      );
      if (relevant.length === 0) return 0;
      const sites = new Map((await store.findSites(relevant.map((a) => a.siteId))).map((s) => [s.id, s]));
      const changed = new Map<
        string,
        { site: ClusterSite; expectedVersion: number; events: OutboxEntry[] }
      >();
      for (const a of relevant) {
        const site = changed.get(a.siteId)?.site ?? sites.get(a.siteId);
        if (!site) continue;
        const next = changeTreatment(
          site,
          'operating',
          { by: 'programme', schemeId: a.schemeId, note: 'scheme accepted' },
          a.at,
        );
        if (!next) continue;
        const entry = changed.get(a.siteId);
        changed.set(a.siteId, {
          site: next,
          expectedVersion: sites.get(a.siteId)?.version ?? 0,
          events: [...(entry?.events ?? []), treatmentEvent(next, site.treatment, a.schemeId, a.at)],
        });
      }
      if (changed.size === 0) return 0;
      const items = [...changed.values()].map((c) => ({
        ...c,
        site: { ...c.site, version: c.expectedVersion + 1 },
      }));
      const matched = await store.saveSites(items);
      if (matched < items.length)
        throw new Error('a cluster site changed while accepted schemes were applied');
      afterWrite();
      return matched;
    },
  };
}
